"""OpenAPI tweaks: CSV bodies are text, and the tracker's session authentication is documented.

Imported by tracker.api.urls so the extension is registered before any schema is generated.
"""

from __future__ import annotations

from drf_spectacular.authentication import SessionScheme


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
