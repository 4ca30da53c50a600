"""Huge input: refused by name before any decoding when over the limit; linear time when allowed.

The timings are printed (run with -s to see them), never asserted: machines differ. The
inputs are the shapes that once made the cleaner quadratic, at a size where a quadratic
step takes minutes instead of seconds.
"""

from __future__ import annotations

import time

import pytest

from tracker.pipeline import ingest
from tracker.pipeline.clean import clean_text
from tracker.pipeline.ingest import MAX_BYTES, decode_file
from tracker.pipeline.read import document_read
from tracker.pipeline.types import PipelineError

from .conftest import assert_one_line_error, assert_valid_read, report_text

FIVE_MB = 5 * 1024 * 1024


def _repeat_to(text: str, size: int, encoding: str = "utf-8") -> bytes:
    unit = text.encode(encoding)
    return unit * (size // len(unit))  # whole copies only, so no character is cut


@pytest.mark.parametrize("name", ["huge.txt", "huge.docx", "huge.pdf", "huge.html"])
def test_file_over_the_limit_is_refused_by_name_before_any_decoding(name, monkeypatch):
    def must_not_run(*args, **kwargs):
        raise AssertionError("an over-limit file reached the decoder")

    for step in ("_sniff_format", "_decode_text", "_docx_text", "_pdf_text", "_html_text"):
        monkeypatch.setattr(ingest, step, must_not_run)
    with pytest.raises(PipelineError) as err:
        decode_file(name, b"%PDF-1.4 " + b"a" * MAX_BYTES)
    assert "too large" in assert_one_line_error(err.value, name)


def test_file_just_under_the_limit_is_not_refused_for_size():
    data = b" " * (MAX_BYTES - 1) + b"x"
    text, _, _ = decode_file("big.txt", data)
    assert text.strip() == "x"


def _timed(label: str, fn, *args):
    started = time.perf_counter()
    result = fn(*args)
    print(f"\n{label}: {time.perf_counter() - started:.2f} s")
    return result


def test_five_megabytes_of_report_text_reads_whole():
    report = report_text()
    data = _repeat_to(report, FIVE_MB)
    copies = FIVE_MB // len(report.encode())
    doc = _timed(f"document_read, {len(data) / 2**20:.1f} MB of repeated report text", document_read, "big.txt", data, 2024)
    assert len(doc.reports) >= copies // 2
    one = document_read("one.txt", report.encode(), 2024)
    assert sum(len(r.pledges) for r in doc.reports) >= copies * sum(len(r.pledges) for r in one.reports) // 2
    assert_valid_read(doc)


def test_five_megabytes_of_gb18030_text_reads():
    report = report_text().encode("gb18030", errors="replace").decode("gb18030")
    data = _repeat_to(report, FIVE_MB, "gb18030")
    doc = _timed("document_read, 5 MB GB18030", document_read, "big-gbk.txt", data, 2024)
    assert doc.encoding == "gb18030" and doc.reports


@pytest.mark.parametrize(
    "shape",
    [
        # Ten thousands of numbered lines: each "N、" is a page-marker candidate.
        "\n".join(f"{i % 99 + 1}、推进第{i}个重点项目建设，新建学校{i % 7 + 1}所" for i in range(4000)),
        # A whole report on one line, as some sites serve it.
        report_text().replace("\n", " "),
        # Page markers spliced into long lines, as document-sharing sites do.
        "\n".join(f"{i % 300 + 1}、{line}" for i, line in enumerate(report_text().splitlines()) if line.strip()),
    ],
    ids=["numbered-lines", "one-line", "page-markers"],
)
def test_five_megabytes_of_pathological_shapes_clean_in_linear_time(shape):
    text = (shape + "\n") * (FIVE_MB // len((shape + "\n").encode()) + 1)
    clean, runs = _timed(f"clean_text, {len(text.encode()) / 2**20:.1f} MB", clean_text, text)
    assert clean and runs
    assert runs[-1][0] + runs[-1][2] == len(clean)


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("<div>各位代表，新建学校10所。", "</div>"), ("<li>各位代表，新建学校10所。<ul>", "</ul></li>")],
    ids=["nested-divs", "nested-lists"],
)
def test_html_nested_thousands_deep_reads_in_linear_time_and_space(opening, closing):
    depth = 20_000
    page = f"<html><body><div><ul>{opening * depth}{closing * depth}</ul></div></body></html>".encode()
    text, fmt, _ = _timed(f"decode_file, {len(page) / 2**20:.1f} MB of HTML nested {depth} deep", decode_file, "deep.html", page)
    assert fmt == "html"
    # Each paragraph's text at most once: a nested list must not repeat its items once per
    # level. (The article finder may leave out the outer tenth of nested divs, by design.)
    assert depth * 0.9 <= text.count("新建学校10所") <= depth
    assert len(text) < len(page)


def test_html_paragraph_inside_a_list_item_is_read_once():
    page = "<html><body><div><ul><li><p>新建学校10所。</p></li><li>建成杭州西站枢纽。</li></ul></div></body></html>"
    text, _, _ = decode_file("list.html", page.encode())
    assert text.count("新建学校10所。") == 1 and text.count("建成杭州西站枢纽。") == 1
