"""OpenAPI tweaks: the schema says what the API does.

- Public reads need no credentials: they are declared with no security requirement (no lock
  in Swagger); writes keep their token/session requirement.
- Every error a view can answer is documented with the shared error body: 404 for an id that
  is not there (or a page past the end), 400 for a query the filters refuse, 401 for
  credentials that are not valid, 406 for a representation not offered, 429 when throttled.
- CSV bodies are text, and the tracker's session authentication is documented.

Imported by tracker.api.urls so the extension is registered before any schema is generated.
"""

from __future__ import annotations

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

ERROR_RESPONSE = inline_serializer(
    "Error",
    {
        "error": inline_serializer(
            "ErrorBody",
            {
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "detail": serializers.JSONField(allow_null=True),
            },
        )
    },
)

# What each error means here; a view's own description (if any) is kept.
ERROR_DESCRIPTIONS = {
    "400": "A query parameter or body field is invalid; `error.message` names it.",
    "401": "Credentials were sent but are not valid (unknown or revoked token), or a write came without any.",
    "403": "Authenticated, but without the permission this write needs.",
    "404": "No row with this id, or a page past the end.",
    "406": "`?format=` (or Accept) names a representation this endpoint does not offer.",
    "409": "Stale `version`: the resource changed since you read it; `detail.current_version` says to what.",
    "412": "Stale If-Match: the resource changed since the ETag you sent; the response carries the current ETag.",
    "428": "No version sent: give an If-Match header or a `version` field.",
    "429": "Too many requests; retry after the seconds in Retry-After.",
}
PUBLIC_READ_401 = "Credentials were sent but are not valid (unknown or revoked token); send none for a public read."


class TrackerAutoSchema(AutoSchema):
    def get_auth(self) -> list[dict]:
        auths = super().get_auth()
        # drf-spectacular lists an anonymous-allowed operation as "token, session, or nothing",
        # which Swagger draws with a lock and fuzzers read as "auth required". A read that
        # anyone may make needs no credentials: say exactly that.
        return [] if {} in auths else auths

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for code in self._error_codes(path, operation):
            content = self._error_content(responses, json_only=code == "406")
            responses.setdefault(code, {"content": content, "description": ""})
        # No security requirement at all: anyone may call it (drf-spectacular leaves the key out).
        public = not operation.get("security")
        if public:
            operation["security"] = []
        for code, response in responses.items():
            if code in ERROR_DESCRIPTIONS and not response.get("description"):
                response["description"] = PUBLIC_READ_401 if code == "401" and public else ERROR_DESCRIPTIONS[code]
        return operation

    def _error_codes(self, path: str, operation: dict) -> list[str]:
        # Every request is authenticated (a bad token is refused even on a public read),
        # negotiated (?format=xml) and throttled.
        codes = ["401", "406", "429"]
        paginated = self._is_list_view() and self._get_paginator() is not None
        if "{" in path or paginated:
            codes.append("404")
        if self.method not in {"GET", "HEAD"} or (self._is_list_view() and getattr(self.view, "filterset_class", None)):
            codes.append("400")
        return codes

    def _error_content(self, responses: dict, *, json_only: bool) -> dict:
        ref = self.resolve_serializer(ERROR_RESPONSE, "response").ref
        # An error comes back in the representation asked for (a two-line CSV for ?format=csv),
        # except a failed negotiation, which can only answer JSON.
        media_types = ["application/json"]
        if not json_only:
            for code, response in responses.items():
                if code.startswith("2"):
                    media_types.extend(mt for mt in (response.get("content") or {}) if mt not in media_types)
        return {media_type: {"schema": ref} for media_type in media_types}


def csv_bodies_as_text(result: dict, generator, request, public) -> dict:
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for response in (operation.get("responses") or {}).values():
                content = response.get("content") if isinstance(response, dict) else None
                if content and "text/csv" in content:
                    content["text/csv"] = {
                        "schema": {"type": "string", "description": "UTF-8 CSV, header row first; columns are stable."}
                    }
    return result


class TrackerSessionScheme(SessionScheme):
    """Documents tracker.api.authentication.SessionAuthentication like DRF's (it only adds a key check)."""

    target_class = "tracker.api.authentication.SessionAuthentication"
