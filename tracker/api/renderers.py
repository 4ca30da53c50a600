"""CSV for every list, streamed row by row so a 100,000-pledge export never sits in memory.

The list views hand `csv_stream` an iterator of flat dicts; the renderer only
exists so content negotiation accepts `?format=csv` and so error bodies still
come out as a (two-line) CSV a chart tool can show.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from django.http import StreamingHttpResponse
from rest_framework.renderers import BaseRenderer

from tracker.csv_export import csv_lines as shared_csv_lines
from tracker.csv_export import csv_response


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        # Only non-streamed bodies land here: errors and single objects.
        if data is None:
            return b""
        if isinstance(data, dict) and "error" in data and isinstance(data["error"], dict):
            rows: list[dict] = [{"code": data["error"].get("code"), "message": data["error"].get("message")}]
        elif isinstance(data, dict) and isinstance(data.get("results"), list):
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data]
        flat = [_flatten(row) if isinstance(row, dict) else {"value": row} for row in rows]
        columns: list[str] = []
        for row in flat:
            columns.extend(key for key in row if key not in columns)
        return "".join(csv_lines(columns, flat)).encode(self.charset)


def _flatten(row: dict, prefix: str = "") -> dict:
    out: dict = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{name}."))
        elif isinstance(value, list):
            out[name] = "; ".join(str(v) for v in value)
        else:
            out[name] = value
    return out


def csv_lines(columns: Sequence[str], rows: Iterable[dict]) -> Iterator[str]:
    """Dict rows through the shared writer (tracker.csv_export neutralises formula cells)."""
    return shared_csv_lines(columns, ([row.get(c) for c in columns] for row in rows))


def csv_stream(columns: Sequence[str], rows: Iterable[dict], filename: str) -> StreamingHttpResponse:
    """A streamed UTF-8 CSV with a BOM, from dict rows, through the shared writer."""
    return csv_response(f"{filename}.csv", columns, ([row.get(c) for c in columns] for row in rows))
