"""One error body for every API failure: {"error": {"code", "message", "detail"}}.

Clients (and the CSV consumers behind chart tools) can then branch on a stable
`code` instead of parsing DRF's several default shapes.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import InterfaceError as DatabaseInterfaceError
from django.db import OperationalError as DatabaseOperationalError
from django.http import Http404, HttpRequest, JsonResponse
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


class ServiceUnavailable(exceptions.APIException):
    """A server the request needs (PostgreSQL, Redis) is down: retry later, the request was not wrong."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("A server this request needs is unreachable; retry in a moment.")
    default_code = "service_unavailable"


class QueueUnavailableError(ServiceUnavailable):
    """Stored, but its task could not be sent; `detail` names the row to poll."""

    default_detail = _(
        "Stored, but the task queue is unreachable: processing starts by itself once it is back; poll the document."
    )
    default_code = "queue_unavailable"

    def __init__(self, row_detail: dict):
        super().__init__()
        self.row_detail = row_detail


# Seconds a client should wait before retrying during an outage.
OUTAGE_RETRY_AFTER = 30


def _outage(exc: Exception) -> ServiceUnavailable | None:
    """The 503 for an exception that means a server is down, or None."""
    from kombu.exceptions import OperationalError as BrokerOperationalError
    from redis.exceptions import RedisError

    from tracker.services import QueueUnavailable

    if isinstance(exc, QueueUnavailable):
        return QueueUnavailableError({type(exc.row).__name__.lower(): exc.row.pk})
    if isinstance(exc, DatabaseOperationalError | DatabaseInterfaceError):
        return ServiceUnavailable(_("The database is unreachable; retry in a moment."), code="database_unavailable")
    if isinstance(exc, BrokerOperationalError):
        return ServiceUnavailable(_("The task queue is unreachable; retry in a moment."), code="queue_unavailable")
    if isinstance(exc, RedisError):
        return ServiceUnavailable(_("The cache is unreachable; retry in a moment."), code="cache_unavailable")
    return None


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
    else:
        # An outage must answer in the envelope too, not with Django's HTML 500 page.
        exc = _outage(exc) or exc
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
    if isinstance(exc, ServiceUnavailable):
        response["Retry-After"] = str(OUTAGE_RETRY_AFTER)
        if getattr(exc, "row_detail", None):
            response.data["error"]["detail"] = exc.row_detail
    return response


def server_error(request: HttpRequest, *args, **kwargs):
    """handler500: under /api/ an error that escaped the views (a middleware, the database
    cut before DRF ran) still answers JSON in the envelope; elsewhere Django's own page."""
    from django.views.defaults import server_error as html_server_error

    if not request.path.startswith("/api/"):
        return html_server_error(request, *args, **kwargs)
    body = error_body("server_error", str(_("Internal server error; it has been logged.")))
    return JsonResponse(body, status=500, json_dumps_params={"ensure_ascii": False})
