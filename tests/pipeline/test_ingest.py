from __future__ import annotations

import io
import zipfile

import pytest

from tracker.pipeline.ingest import MAX_BYTES, decode_file
from tracker.pipeline.types import PipelineError

from .conftest import FIXTURES

SAMPLE = "二、2025年工作安排\n地区生产总值增长5%左右，城镇调查失业率5.5%左右。\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (SAMPLE.encode("gb18030"), "gb18030"),
        (SAMPLE.encode("gbk"), "gb18030"),
        (SAMPLE.encode("utf-16"), "utf-16"),
        (SAMPLE.encode("utf-16-le"), "utf-16-le"),
        (SAMPLE.encode("utf-16-be"), "utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "gbk", "utf16-bom", "utf16le", "utf16be"],
)
def test_text_encodings_detected_without_being_told(data: bytes, encoding: str) -> None:
    text, fmt, enc = decode_file("report.txt", data)
    assert text == SAMPLE
    assert fmt == "txt"
    assert enc == encoding


def test_bom_is_not_part_of_the_text() -> None:
    text, _, _ = decode_file("a.txt", b"\xef\xbb\xbf" + SAMPLE.encode())
    assert not text.startswith("\ufeff")


def test_crlf_becomes_lf() -> None:
    text, _, _ = decode_file("a.txt", SAMPLE.replace("\n", "\r\n").encode())
    assert "\r" not in text


def test_gbk_fixture_of_a_seed() -> None:
    text, fmt, enc = decode_file("seed000-gbk.txt", (FIXTURES / "seed000-gbk.txt").read_bytes())
    assert enc == "gb18030"
    assert "主要预期目标" in text


def test_utf16_fixture() -> None:
    text, _, enc = decode_file("x.txt", (FIXTURES / "national-2023-excerpt-utf16.txt").read_bytes())
    assert enc == "utf-16"
    assert "二、对今年政府工作的建议" in text


def _docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                t.cell(r, c).text = cell
    d.add_paragraph("各位代表！")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_paragraphs_one_per_line_and_tables_in_place() -> None:
    data = _docx_bytes(["一、2024年工作回顾", "二、2025年工作安排"], [["指标", "目标"], ["地区生产总值", "增长5%左右"]])
    text, fmt, enc = decode_file("r.docx", data)
    assert fmt == "docx" and enc == ""
    lines = text.split("\n")
    assert lines[:2] == ["一、2024年工作回顾", "二、2025年工作安排"]
    assert "地区生产总值\t增长5%左右" in lines
    assert lines.index("地区生产总值\t增长5%左右") < lines.index("各位代表！")


def test_magic_bytes_win_over_extension() -> None:
    data = _docx_bytes(["二、2025年工作安排"])
    _, fmt, _ = decode_file("report.txt", data)
    assert fmt == "docx"


def test_pdf_with_text_layer_rejoins_wrapped_lines() -> None:
    text, fmt, _ = decode_file("x.pdf", (FIXTURES / "national-2023-excerpt.pdf").read_bytes())
    assert fmt == "pdf"
    assert "二、对今年政府工作的建议" in text.split("\n")
    # The fixture wraps every 48 characters; sentences must be whole again.
    assert "今年发展主要预期目标是：国内生产总值增长5%左右" in text


def test_html_keeps_the_article_not_the_navigation() -> None:
    text, fmt, enc = decode_file("x.html", (FIXTURES / "national-2023-excerpt.html").read_bytes())
    assert fmt == "html" and enc == "utf-8"
    assert "二、对今年政府工作的建议" in text
    for furniture in ("栏目3", "热门文章", "ICP备", "var tracker", "首页"):
        assert furniture not in text


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\n", "empty"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "legacy"),
        ("pic.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "binary"),
        ("blob.txt", bytes(range(256)) * 20, "binary"),
        ("bad.docx", b"PK\x03\x04" + b"garbage" * 50, "corrupt .docx"),
        ("fake.docx", b"just some text, not a zip", "corrupt .docx"),
        ("fake.pdf", b"hello, not a pdf at all", "corrupt .pdf"),
        ("bad.pdf", b"%PDF-1.4\n garbage", ".pdf"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 20 else "",
)
def test_bad_input_is_a_one_line_error_naming_the_file(name: str, data: bytes, problem: str) -> None:
    with pytest.raises(PipelineError) as err:
        decode_file(name, data)
    msg = str(err.value)
    assert msg.startswith(name + ":")
    assert problem in msg
    assert "\n" not in msg


def test_zip_that_is_not_a_docx() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(PipelineError, match="corrupt .docx"):
        decode_file("a.docx", buf.getvalue())


def test_encrypted_pdf() -> None:
    with pytest.raises(PipelineError, match="encrypted"):
        decode_file("encrypted.pdf", (FIXTURES / "encrypted.pdf").read_bytes())


def test_image_only_pdf() -> None:
    with pytest.raises(PipelineError, match="no text layer"):
        decode_file("image-only.pdf", (FIXTURES / "image-only.pdf").read_bytes())


def test_too_large() -> None:
    with pytest.raises(PipelineError, match="too large"):
        decode_file("huge.txt", b"a" * (MAX_BYTES + 1))


def test_undecodable_text() -> None:
    # Invalid in UTF-8, GB18030 and UTF-16 alike.
    data = (b"\x81\x20\xff\xfe\x80" * 300)[:-1]
    with pytest.raises(PipelineError, match="(cannot decode|binary)"):
        decode_file("x.txt", data)


def test_corpus_docx_reads(corpus) -> None:
    text, fmt, _ = decode_file("zhejiang-2025.docx", (corpus / "provincial" / "zhejiang-2025.docx").read_bytes())
    assert fmt == "docx"
    assert "二、2025年目标任务和重点工作" in text


def test_gbk_html_page_without_html_extension() -> None:
    page = (
        '<!DOCTYPE html><html><head><meta charset="gb2312"><title>报告</title></head><body>'
        "<div id='nav'><a href='/'>首页</a><a href='/a'>政务公开</a></div>"
        "<div class='content'><p>二、2025年工作安排</p><p>地区生产总值增长5%左右。</p></div></body></html>"
    )
    text, fmt, enc = decode_file("page.download", page.encode("gbk"))
    assert fmt == "html" and enc == "gb18030"
    assert text.split("\n")[-2:] == ["二、2025年工作安排", "地区生产总值增长5%左右。"]


def test_html_article_with_line_breaks_and_link_heavy_sidebar() -> None:
    links = "".join(f"<a href='/{i}'>关于推进政务公开工作的通知第{i}号</a><br>" for i in range(40))
    page = (
        "<html><body><div class='wrap'>"
        f"<div class='side'>{links}</div>"
        "<div class='text'>各位代表：<br>二、2025年工作安排<br>地区生产总值增长5%左右，城镇新增就业60万人以上。<br></div>"
        "</div></body></html>"
    )
    text, fmt, _ = decode_file("a.html", page.encode("utf-8"))
    assert fmt == "html"
    assert "通知第3号" not in text
    assert "城镇新增就业60万人以上" in text


def test_pdf_page_numbers_do_not_split_sentences() -> None:
    from tracker.pipeline.ingest import _join_wrapped_lines

    assert (
        _join_wrapped_lines("新建高标准\n- 3 -\n农田2万亩。\n二、工作安排\n开工建设")
        == "新建高标准农田2万亩。\n二、工作安排\n开工建设"
    )
