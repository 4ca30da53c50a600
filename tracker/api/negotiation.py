"""Content negotiation that answers an unknown `?format=` with 406, not DRF's 404."""

from __future__ import annotations

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation


class FormatNegotiation(DefaultContentNegotiation):
    """`?format=xml` names a representation we do not have: that is Not Acceptable (406),
    with the usual error body in JSON; a 404 would tell the client the resource is missing."""

    def filter_renderers(self, renderers, format):
        kept = [renderer for renderer in renderers if renderer.format == format]
        if not kept:
            formats = ", ".join(sorted({renderer.format for renderer in renderers}))
            raise NotAcceptable(f"format {format!r} is not offered here; use one of: {formats}")
        return kept
