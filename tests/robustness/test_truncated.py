"""Files cut short or with a broken byte: text loses at most the broken character; containers get one clear line."""

from __future__ import annotations

import io
import zipfile

import pytest

from tracker.pipeline.ingest import decode_file
from tracker.pipeline.read import document_read
from tracker.pipeline.types import PipelineError

from .conftest import SAMPLES, assert_one_line_error, assert_valid_read, docx_bytes, pdf_bytes, report_text

TEXT_ENCODINGS = ["utf-8", "gb18030", "utf-16-le", "utf-16-be", "utf-16", "utf-8-sig"]


def _encodable(text: str, encoding: str) -> str:
    return text.encode(encoding, errors="replace").decode(encoding)


@pytest.mark.parametrize("encoding", TEXT_ENCODINGS)
@pytest.mark.parametrize("tail", ["各位代表", "增长5%左右", "𠀀"], ids=["hanzi", "mixed", "4-byte"])
def test_text_cut_inside_its_last_character_decodes_without_it(encoding, tail):
    whole = _encodable(report_text()[:3000] + tail, encoding)
    data = whole.encode(encoding)
    last = whole[-1].encode({"utf-16": "utf-16-le", "utf-8-sig": "utf-8"}.get(encoding, encoding))
    assert len(last) > 1
    for cut in range(1, len(last)):
        text, fmt, _ = decode_file("cut.txt", data[:-cut])
        assert fmt == "txt"
        assert text == whole[:-1], (encoding, cut)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_whole_report_cut_mid_character_still_yields_its_pledges(encoding):
    report = _encodable(report_text(), encoding)
    data = report.encode(encoding)
    # Find a cut that lands inside a multi-byte character.
    for cut in range(len(data) // 2, len(data) // 2 + 8):
        try:
            data[:cut].decode(encoding)
        except UnicodeDecodeError:
            break
    else:
        pytest.fail("no multi-byte character near the middle")
    doc = document_read("half.txt", data[:cut], 2024)
    assert doc.encoding == encoding
    # Everything but the broken last character.
    assert doc.original == data[:cut].decode(encoding, errors="ignore")
    assert report.startswith(doc.original)
    assert sum(len(r.pledges) for r in doc.reports) > 20
    assert_valid_read(doc)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_one_broken_byte_inside_a_long_report_loses_one_character(encoding):
    report = _encodable(report_text(), encoding)
    data = bytearray(report.encode(encoding))
    # Overwrite the lead byte of a hanzi near the middle with a byte no encoding accepts there.
    middle = len(data) // 2
    while data[middle] < 0x81:
        middle += 1
    data[middle] = 0xFF
    doc = document_read("broken.txt", bytes(data), 2024)
    assert doc.encoding == encoding
    assert 1 <= doc.original.count("\ufffd") <= 2
    assert len(doc.original) >= len(report) - 2
    assert any("could not be decoded" in w for w in doc.warnings)
    assert_valid_read(doc)


def test_gbk_text_is_not_mistaken_for_damaged_utf8():
    report = report_text()
    text, _, enc = decode_file("gbk.txt", report.encode("gbk", errors="replace"))
    assert enc == "gb18030" and "\ufffd" not in text


def test_utf8_text_is_not_mistaken_for_damaged_gb18030():
    data = bytearray(report_text().encode("utf-8"))
    data[len(data) // 3] = 0xFF
    text, _, enc = decode_file("u.txt", bytes(data))
    assert enc == "utf-8" and "政府工作报告" in text


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.99])
def test_docx_cut_short_is_refused_by_name(fraction):
    data = (SAMPLES / "zhejiang-2025.docx").read_bytes()
    with pytest.raises(PipelineError) as err:
        decode_file("cut.docx", data[: int(len(data) * fraction)])
    assert "corrupt .docx" in assert_one_line_error(err.value, "cut.docx")


def test_docx_missing_its_first_half_is_refused_by_name():
    data = (SAMPLES / "zhejiang-2025.docx").read_bytes()
    with pytest.raises(PipelineError) as err:
        decode_file("tail.docx", data[len(data) // 2 :])
    assert_one_line_error(err.value, "tail.docx")


def test_docx_with_a_damaged_document_xml_is_refused_by_name():
    src = zipfile.ZipFile(io.BytesIO(docx_bytes(["二、2025年工作安排", "新建学校10所。"])))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "word/document.xml":
                body = body[: len(body) // 2]
            out.writestr(info, body)
    with pytest.raises(PipelineError) as err:
        decode_file("xml.docx", buf.getvalue())
    assert "corrupt .docx" in assert_one_line_error(err.value, "xml.docx")


@pytest.mark.parametrize("fraction", [0.05, 0.5, 0.9])
def test_pdf_cut_short_is_refused_by_name_or_read_in_part(fraction, capfd):
    data = pdf_bytes()
    try:
        text, fmt, _ = decode_file("cut.pdf", data[: int(len(data) * fraction)])
    except PipelineError as exc:
        message = assert_one_line_error(exc, "cut.pdf")
        assert ".pdf" in message
    else:
        assert fmt == "pdf" and text.strip()
    # pypdf's own complaints ("EOF marker not found") must not add lines to the command's stderr.
    assert "EOF marker" not in capfd.readouterr().err


def test_truncated_pdf_message_suggests_a_truncated_download():
    data = pdf_bytes()
    with pytest.raises(PipelineError, match="truncated"):
        decode_file("cut.pdf", data[: len(data) // 2])


def test_html_cut_mid_tag_and_mid_character_is_read():
    page = (SAMPLES.parent.parent / "tests" / "fixtures" / "national-2023-excerpt.html").read_bytes()
    cut = page.index("二、对今年政府工作的建议".encode()) + 200
    while True:
        try:
            page[:cut].decode("utf-8")
        except UnicodeDecodeError:
            break
        cut += 1
    doc = document_read("cut.html", page[:cut], 2023)
    assert doc.format == "html" and "二、对今年政府工作的建议" in doc.text
    assert_valid_read(doc)


@pytest.mark.parametrize("padding", [b"\x00" * 4096, b"\x00"], ids=["padded", "one-nul"])
def test_nul_bytes_are_dropped_from_the_text(padding):
    report = report_text()
    data = report[:5000].encode() + padding + report[5000:8000].encode() + padding
    text, _, enc = decode_file("padded.txt", data)
    assert enc == "utf-8" and "\x00" not in text
    assert text == (report[:8000]).replace("\r\n", "\n")
