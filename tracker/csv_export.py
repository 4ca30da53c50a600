"""The one CSV writer behind every export (API `?format=csv` and the dashboard's CSV links).

Cells come from untrusted text (uploaded reports, jurisdiction names anyone with a token
can create), and spreadsheet programs run a cell starting with = + - @ (or a tab or
carriage return before one) as a formula: `=HYPERLINK(...)` in a pledge would become a
link in a newsroom's Excel. Every cell therefore goes through `csv_cell`, here and
nowhere else, so no export can forget it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence

from django.http import StreamingHttpResponse

# A cell starting with one of these is run as a formula by Excel, LibreOffice or Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel reads a CSV without a BOM in the local code page and garbles every Chinese cell;
# pandas, R and csv with utf-8-sig skip it.
BOM = "\ufeff"


def csv_cell(value: object) -> object:
    """A value as written: None empty, formula-looking text behind an apostrophe (kept as text)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A write-only file whose write returns the line, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """The header line, then one line per row, every cell neutralised (no BOM)."""
    writer = csv.writer(_Echo())
    yield writer.writerow([csv_cell(name) for name in header])
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """A streamed UTF-8 CSV download with a BOM, in chunks of rows (one write per row would
    dominate the time of a 100,000-row export)."""

    def body() -> Iterator[bytes]:
        batch: list[str] = [BOM]
        for line in csv_lines(header, rows):
            batch.append(line)
            if len(batch) >= 500:
                yield "".join(batch).encode()
                batch = []
        if batch:
            yield "".join(batch).encode()

    response = StreamingHttpResponse(body(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
