"""Which version a curation write was based on: If-Match (-> 412 when stale) or a `version` field (-> 409)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rest_framework.request import Request

from tracker.api.errors import Conflict, PreconditionFailed, PreconditionRequired

_ETAG = re.compile(r'^(?:W/)?"?(?:(?P<kind>verdict|evidence)-(?P<id>\d+)-)?(?P<version>\d+)"?$')


def etag(kind: str, object_id: int, version: int) -> str:
    # The kind and id are part of the tag so a pledge's ETag can never pass for an evidence span's.
    return f'"{kind}-{object_id}-{version}"'


@dataclass(frozen=True)
class Expected:
    kind: str
    object_id: int
    version: int | None
    from_header: bool

    def stale(self, current_version: int) -> Exception:
        exc = (PreconditionFailed if self.from_header else Conflict)()
        exc.current_version = current_version
        # The current ETag lets a client re-read and retry without guessing the format.
        exc.etag = etag(self.kind, self.object_id, current_version)
        return exc


def expected_version(request: Request, kind: str, object_id: int, body_version: int | None) -> Expected:
    """The version a client sent; a tag for another object or garbage counts as stale, never as absent."""
    header = request.headers.get("If-Match", "").strip()
    if header:
        if header == "*":
            return Expected(kind, object_id, None, True)
        match = _ETAG.match(header)
        if match is None or (match["kind"] and (match["kind"] != kind or int(match["id"]) != object_id)):
            return Expected(kind, object_id, -1, True)
        return Expected(kind, object_id, int(match["version"]), True)
    if body_version is None:
        raise PreconditionRequired()
    return Expected(kind, object_id, body_version, False)
