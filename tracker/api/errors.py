"""One error body for every API failure: {"error": {"code", "message", "detail"}}.

Clients (and the CSV consumers behind chart tools) can then branch on a stable
`code` instead of parsing DRF's several default shapes.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The resource changed since the version you sent."
    default_code = "stale_version"


class EvidenceReplacedConflict(exceptions.APIException):
    """The span a client decided on was removed by a re-run of the machine since it read it."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The machine re-ran and replaced this evidence span since you read it; reload the pledge.")
    default_code = "machine_reran"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The resource changed since the ETag you sent in If-Match."
    default_code = "stale_version"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "Send the version you based this change on: an If-Match header or a `version` field."
    default_code = "version_required"


class UnprocessableRequest(exceptions.APIException):
    """A well-formed request the services refused (bad offsets, not tracked yet…)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The request cannot be applied."
    default_code = "invalid"


def _message_of(exc: exceptions.APIException, detail: Any) -> str:
    if isinstance(exc, exceptions.ValidationError):
        first = _first_message(detail)
        return first or "Invalid input."
    if isinstance(detail, dict) and "detail" in detail:
        return str(detail["detail"])
    return str(detail) if isinstance(detail, str) else str(exc.default_detail)


def _first_message(detail: Any) -> str:
    if isinstance(detail, dict):
        for key, value in detail.items():
            inner = _first_message(value)
            if inner:
                return inner if key == "non_field_errors" else f"{key}: {inner}"
    elif isinstance(detail, list):
        for value in detail:
            inner = _first_message(value)
            if inner:
                return inner
    elif detail:
        return str(detail)
    return ""


def _code_of(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    if isinstance(codes, str):
        return codes
    if isinstance(exc, exceptions.ValidationError):
        return "invalid"
    return exc.default_code


def error_body(code: str, message: str, detail: Any = None) -> dict:
    return {"error": {"code": code, "message": message, "detail": detail}}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    detail = exc.detail
    message = _message_of(exc, detail)
    # Field errors keep DRF's per-field structure; a plain message needs no repeat.
    structured = detail if isinstance(detail, dict | list) else None
    response.data = error_body(_code_of(exc), message, structured)
    if isinstance(exc, Conflict | PreconditionFailed) and getattr(exc, "current_version", None) is not None:
        response.data["error"]["detail"] = {"current_version": exc.current_version}
        if getattr(exc, "etag", None):
            response["ETag"] = exc.etag
    return response
