"""Files whose name lies about their content: read by what the bytes are, or refused by name."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile

import pytest

from tracker.pipeline import ingest
from tracker.pipeline.ingest import decode_file
from tracker.pipeline.read import document_read
from tracker.pipeline.types import PipelineError

from .conftest import FIXTURES, SAMPLES, assert_one_line_error, assert_valid_read, pdf_bytes, report_text


def _gbk(text: str) -> bytes:
    return text.encode("gbk", errors="replace")


def test_txt_name_holding_a_real_docx_is_read_as_docx():
    doc = document_read("report.txt", (SAMPLES / "zhejiang-2025.docx").read_bytes(), 2025)
    assert doc.format == "docx"
    assert "浙江" in doc.text
    assert sum(len(r.pledges) for r in doc.reports) > 50
    assert_valid_read(doc)


def test_txt_name_holding_a_pdf_is_read_as_pdf():
    doc = document_read("report.txt", pdf_bytes(), 2023)
    assert doc.format == "pdf"
    assert "二、对今年政府工作的建议" in doc.text
    assert_valid_read(doc)


def test_pdf_after_a_little_junk_is_still_a_pdf():
    # Some servers prepend a newline or a BOM; the PDF format allows junk before the header.
    text, fmt, _ = decode_file("report.txt", b"\r\n\xef\xbb\xbf" + pdf_bytes())
    assert fmt == "pdf" and "二、对今年政府工作的建议" in text


def test_html_name_holding_gbk_plain_text_is_read_as_gb18030_text():
    report = report_text()
    doc = document_read("report.html", _gbk(report), 2024)
    assert (doc.format, doc.encoding) == ("txt", "gb18030")
    assert doc.original.startswith(report.splitlines()[0].encode("gbk", errors="replace").decode("gbk"))
    assert sum(len(r.pledges) for r in doc.reports) > 50
    assert_valid_read(doc)


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_pdf_name_holding_html_is_read_as_html(encoding):
    page = (FIXTURES / "national-2023-excerpt.html").read_text(encoding="utf-8")
    if encoding == "gbk":
        page = page.replace('charset="utf-8"', 'charset="gbk"').replace("charset=utf-8", "charset=gbk")
    doc = document_read("report.pdf", page.encode(encoding, errors="replace"), 2023)
    assert doc.format == "html"
    assert "二、对今年政府工作的建议" in doc.text
    assert "<" not in doc.text
    assert_valid_read(doc)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.docx", report_text().encode("utf-8")),
        ("report.docx", _gbk(report_text())),
        ("report.pdf", report_text().encode("utf-8")),
        ("report.doc", report_text().encode("utf-8")),
    ],
    ids=["docx-utf8-text", "docx-gbk-text", "pdf-utf8-text", "doc-utf8-text"],
)
def test_container_name_holding_plain_text_is_refused_by_name(name, data):
    # Either reading would be defensible; what matters is one clear line, not a traceback.
    try:
        doc = document_read(name, data, 2024)
    except PipelineError as exc:
        message = assert_one_line_error(exc, name)
        assert "does not match the extension" in message
    else:
        assert_valid_read(doc)


def test_zip_that_is_not_a_docx_says_so():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("readme.txt", "二、2025年工作安排" * 50)
    for name in ("report.docx", "report.txt", "report.zip"):
        with pytest.raises(PipelineError) as err:
            decode_file(name, buf.getvalue())
        assert "without word/document.xml" in assert_one_line_error(err.value, name)


def test_docx_without_a_body_is_refused_by_name():
    data = (SAMPLES / "zhejiang-2025.docx").read_bytes()
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "word/document.xml":
                body = (
                    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
                )
            out.writestr(info, body)
    with pytest.raises(PipelineError) as err:
        decode_file("nobody.docx", buf.getvalue())
    assert_one_line_error(err.value, "nobody.docx")


def test_docx_that_inflates_past_the_limit_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(ingest, "MAX_DOCX_INFLATED", 10_000)

    def parse(*args, **kwargs):
        raise AssertionError("python-docx must not parse a zip bomb")

    import docx

    monkeypatch.setattr(docx, "Document", parse)
    with pytest.raises(PipelineError) as err:
        decode_file("bomb.docx", (SAMPLES / "zhejiang-2025.docx").read_bytes())
    assert "expands to" in assert_one_line_error(err.value, "bomb.docx")


def _docx_lying_about_its_size(inflated: int, declared: int) -> bytes:
    """The sample .docx whose word/document.xml inflates to `inflated` bytes while both zip
    headers declare `declared` (built in chunks, never held uncompressed)."""
    src = zipfile.ZipFile(SAMPLES / "zhejiang-2025.docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info, src.read(info))
                continue
            member = zipfile.ZipInfo("word/document.xml")
            member.compress_type = zipfile.ZIP_DEFLATED
            with out.open(member, "w") as stream:
                stream.write(src.read(info)[:200])
                for _ in range(inflated // (1 << 20)):
                    stream.write(b" " * (1 << 20))
    data = bytearray(buf.getvalue())
    for magic, size_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        pos = data.find(magic)
        while pos >= 0:
            name_len = struct.unpack_from("<H", data, pos + name_len_at)[0]
            if data[pos + name_at: pos + name_at + name_len] == b"word/document.xml":
                struct.pack_into("<I", data, pos + size_at, declared)
            pos = data.find(magic, pos + 4)
    return bytes(data)


@pytest.mark.parametrize("declared", [1024, 100 * 1024 * 1024])
def test_docx_whose_headers_lie_about_its_size_is_refused_on_the_bytes_read(declared):
    """Issue 15.7: 1.5 MB declaring 1 KB made the reader take 2 GB (zipfile inflates a whole member
    before cutting it to the declared size). Read in chunks, counted, bounded: a few MB at most."""
    data = _docx_lying_about_its_size(inflated=300 * 1024 * 1024, declared=declared)
    assert len(data) < 2 * 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(PipelineError) as err:
            decode_file("liar.docx", data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < ingest.MAX_DOCX_XML + 8 * 1024 * 1024, f"peak {peak // (1 << 20)} MB"
    message = assert_one_line_error(err.value, "liar.docx")
    assert "does not match its zip header" in message or "expands past" in message


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("r.txt", b"\xff\xfe" + b"\x00\xd8" * 40),  # UTF-16 BOM, then lone surrogates
        ("r.txt", b"\xff\xfe" + bytes(range(256)) * 4),  # binary that happens to start like UTF-16
        ("r.txt", b"\xef\xbb\xbf" + bytes(range(128, 256)) * 8),  # UTF-8 BOM, then no UTF-8
        ("r.html", b"<html>" + bytes(range(256)) * 8),
    ],
    ids=["utf16-bom-lone-surrogates", "utf16-bom-binary", "utf8-bom-binary", "html-binary"],
)
def test_a_bom_or_a_tag_in_front_of_binary_is_refused_by_name(name, data):
    with pytest.raises(PipelineError) as err:
        decode_file(name, data)
    assert "cannot decode" in assert_one_line_error(err.value, name)


def test_html_page_with_a_few_undecodable_bytes_is_still_read():
    page = (FIXTURES / "national-2023-excerpt.html").read_bytes()
    # A few Big5 bytes (none of the encodings tried) in a UTF-8 page: the page is still read.
    damaged = page.replace(b"<body>", b"<body><!-- " + "測試".encode("big5") * 3 + b" -->", 1)
    text, fmt, _ = decode_file("mixed.html", damaged)
    assert fmt == "html" and "二、对今年政府工作的建议" in text
