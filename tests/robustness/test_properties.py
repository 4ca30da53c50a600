"""Property tests: whatever bytes arrive, reading returns a sound document or one clear error.

"Sound" means every section and pledge span lies inside the cleaned text, a pledge's
text is exactly its span, and the offset map back to the original is ordered. The
only exception allowed out is PipelineError, whose message starts with the file name.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tracker.pipeline.clean import clean_text
from tracker.pipeline.ingest import decode_file
from tracker.pipeline.read import document_read
from tracker.pipeline.types import PipelineError

from .conftest import assert_one_line_error, assert_valid_read, docx_bytes, pdf_bytes, report_text

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NAMES = st.sampled_from(["r.txt", "r.docx", "r.pdf", "r.html", "r.htm", "r.doc", "noextension", "报告.TXT", "a.b.c.pdf"])
MAGICS = st.sampled_from(
    [
        b"",
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b"\xfe\xff",
        b"PK\x03\x04",
        b"%PDF-1.4\n",
        b"<!DOCTYPE html><html><body>",
        b"<html>",
        b"<",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\x89PNG",
    ]
)
# Words, headings, figures and noise a work report and its web copies are made of.
REPORT_PIECES = [
    "一、2024年工作回顾\n",
    "二、2025年工作安排\n",
    "（一）",
    "（二）",
    "1.",
    "2、",
    "①",
    "各位代表：\n",
    "今年发展主要预期目标是：",
    "国内生产总值增长5%左右",
    "城镇调查失业率5.5%左右",
    "居民消费价格涨幅3%左右",
    "新建高标准农田2万亩、提标4.5万亩",
    "出台xx办法",
    "全面完成",
    "。",
    "，",
    "；",
    "：",
    ",",
    ";",
    "(",
    ")",
    "\n",
    "\n\n",
    " ",
    "\u3000",
    "\t",
    "\r\n",
    "\xa0",
    "\ufeff",
    "第8页 共8页",
    "— 3 —",
    "温馨提示",
    "查看更多",
    "【字号：加大 还原 减小】",
    "Copyright ©",
    "２０２５年",
    "８．５％",
    "〝",
    "〞",
    "20_年",
    "XXXX年",
    "以上",
    "以内",
    "控制在",
]
REPORTISH = st.lists(st.one_of(st.sampled_from(REPORT_PIECES), st.text(max_size=8)), max_size=120).map("".join)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])


def _read_or_refuse(name: str, data: bytes, year: int | None = 2025):
    try:
        doc = document_read(name, data, year)
    except PipelineError as exc:
        assert_one_line_error(exc, name)
        return None
    assert_valid_read(doc)
    return doc


@FAST
@given(name=NAMES, magic=MAGICS, body=st.binary(max_size=3000))
def test_decode_file_on_arbitrary_bytes_returns_text_or_names_the_file(name, magic, body):
    data = magic + body
    try:
        text, fmt, _ = decode_file(name, data)
    except PipelineError as exc:
        assert_one_line_error(exc, name)
        return
    assert text.strip()
    assert "\r" not in text
    assert fmt in ("txt", "html", "docx", "pdf")


@FAST
@given(name=NAMES, magic=MAGICS, body=st.binary(max_size=3000), year=st.one_of(st.none(), st.integers(1949, 2100)))
def test_document_read_on_arbitrary_bytes(name, magic, body, year):
    _read_or_refuse(name, magic + body, year)


@FAST
@given(text=REPORTISH, encoding=ENCODINGS, name=st.sampled_from(["r.txt", "r.html", "r"]))
def test_document_read_on_arbitrary_report_like_text(text, encoding, name):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        assume(False)
    _read_or_refuse(name, data)


@FAST
@given(text=REPORTISH)
def test_clean_text_offset_map_points_into_the_original(text):
    clean, runs = clean_text(text)
    position = 0
    for clean_start, orig_start, length in runs:
        assert clean_start == position  # runs tile the cleaned text without gaps
        assert orig_start + length <= len(text)
        position += length
    assert position == len(clean)


_REPORT = report_text()


@FAST
@given(
    start=st.integers(0, len(_REPORT) - 1),
    length=st.integers(0, 4000),
    encoding=st.sampled_from(["utf-8", "gb18030", "utf-16-le"]),
    cut=st.integers(0, 3),
    flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=4),
)
def test_document_read_on_damaged_real_report(start, length, encoding, cut, flips):
    """A slice of a real report, cut mid-character and with a few bytes overwritten."""
    data = bytearray(_REPORT[start : start + length].encode(encoding))
    if cut and len(data) > cut:
        del data[-cut:]
    for position, value in flips:
        if data:
            data[position % len(data)] = value
    _read_or_refuse("damaged.txt", bytes(data))


_CONTAINERS = {
    "r.docx": docx_bytes(["一、2024年工作回顾", "二、2025年工作安排", "国内生产总值增长5%左右。"]),
    "r.pdf": pdf_bytes(),
}


@FAST
@given(
    name=st.sampled_from(sorted(_CONTAINERS)),
    keep=st.floats(0.0, 1.0),
    flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=6),
)
def test_document_read_on_damaged_containers(name, keep, flips):
    data = bytearray(_CONTAINERS[name][: int(len(_CONTAINERS[name]) * keep)])
    for position, value in flips:
        if data:
            data[position % len(data)] = value
    _read_or_refuse(name, bytes(data))


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16"])
def test_whole_real_report_is_sound_in_every_encoding(encoding):
    doc = _read_or_refuse("national-2024.txt", _REPORT.encode(encoding), 2024)
    assert doc is not None and sum(len(r.pledges) for r in doc.reports) > 50


_TAGS = ["div", "td", "section", "article", "main", "a", "p", "li", "ul", "h2", "span", "table", "tr", "br", "script", "title"]
_HTML_PIECES = st.one_of(
    st.sampled_from([f"<{t}>" for t in _TAGS] + [f"</{t}>" for t in _TAGS] + ["<!-- 注释 -->", "<![CDATA[x]]>", "&amp;", "&#0;"]),
    st.sampled_from(REPORT_PIECES),
    st.text(max_size=6),
)


@FAST
@given(pieces=st.lists(_HTML_PIECES, max_size=150), encoding=st.sampled_from(["utf-8", "gb18030"]))
def test_document_read_on_arbitrary_tag_soup(pieces, encoding):
    page = "<html><head><title>政府工作报告</title></head><body>" + "".join(pieces)
    try:
        data = page.encode(encoding)
    except UnicodeEncodeError:
        assume(False)
    doc = _read_or_refuse("page.html", data)
    if doc is not None:
        assert doc.format == "html"
