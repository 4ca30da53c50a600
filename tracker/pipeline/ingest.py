"""Bytes to text: detect the container format and the text encoding.

Every refusal is a ``PipelineError`` with one line naming the file and the problem,
so the caller can store it on the document instead of showing a traceback.
"""

from __future__ import annotations

import io
import re
import zipfile

from .types import PipelineError

MAX_BYTES = 20 * 1024 * 1024  # reports are < 1 MB; anything this big is not a report

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc / .xls containers
_BINARY_MAGICS = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x7fELF",
    b"MZ",
    b"\x1f\x8b",
    b"Rar!",
    b"7z\xbc\xaf",
)


def _sniff_format(name: str, data: bytes) -> str:
    """Magic bytes first: web downloads often carry the wrong extension."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(_OLE_MAGIC):
        return "doc"
    if any(data.startswith(m) for m in _BINARY_MAGICS):
        return "binary"
    head = data[:2048].lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or (
        ext in ("html", "htm") and head.startswith(b"<")
    ):
        return "html"
    if ext in ("pdf", "docx", "doc"):
        # The extension promises a container the bytes do not hold.
        return "corrupt-" + ext
    return "txt"


def _decode_text(name: str, data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    # UTF-16 without BOM: every other byte is NUL for ASCII, rarely so for CJK,
    # but CJK in UTF-16 never decodes as UTF-8 and shows many NUL/odd pairs.
    sample = data[:4096]
    if sample.count(b"\x00") > len(sample) // 8:
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _looks_like_text(text):
                return text, enc
        raise PipelineError(f"{name}: binary data, not a text file")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for enc in ("gb18030",):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, enc
    # Last resort: utf-16 without BOM and without ASCII (pure CJK).
    if len(data) % 2 == 0:
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _looks_like_text(text):
                return text, enc
    raise PipelineError(f"{name}: cannot decode text (not UTF-8, GB18030 or UTF-16)")


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    sample = text[:4000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\r\n\t\f") or 0xE000 <= ord(ch) <= 0xF8FF)
    if bad > len(sample) // 50:
        return False
    # Mis-decoded UTF-16 yields rare CJK-extension/hangul noise rather than common hanzi.
    common = len(_CJK.findall(sample)) + sum(1 for ch in sample if ch.isascii() and ch.isprintable())
    return common >= len(sample) * 0.5


def _docx_text(name: str, data: bytes) -> str:
    try:
        import docx  # python-docx; imported lazily so plain-text reads stay fast
        from docx.oxml.ns import qn

        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise PipelineError(f"{name}: corrupt .docx ({exc.__class__.__name__})") from exc
    except Exception as exc:  # python-docx raises assorted lxml/package errors
        raise PipelineError(f"{name}: corrupt .docx ({exc.__class__.__name__})") from exc
    lines: list[str] = []
    # Walk the body in order so tables stay where they stand in the report.
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append("".join(t.text or "" for t in child.iter(qn("w:t"))))
        elif child.tag == qn("w:tbl"):
            for row in child.iter(qn("w:tr")):
                cells = []
                for cell in row.iter(qn("w:tc")):
                    cells.append("".join(t.text or "" for t in cell.iter(qn("w:t"))))
                lines.append("\t".join(cells))
    return "\n".join(lines)


def _pdf_text(name: str, data: bytes) -> str:
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
    except Exception as exc:
        raise PipelineError(f"{name}: corrupt .pdf ({exc.__class__.__name__})") from exc
    if reader.is_encrypted:
        try:
            if not reader.decrypt(""):
                raise PipelineError(f"{name}: encrypted .pdf, needs a password")
        except PipelineError:
            raise
        except Exception as exc:
            raise PipelineError(f"{name}: encrypted .pdf, cannot decrypt") from exc
    pages = []
    try:
        for page in reader.pages:
            pages.append(page.extract_text() or "")
    except Exception as exc:
        raise PipelineError(f"{name}: unreadable .pdf page ({exc.__class__.__name__})") from exc
    text = "\n".join(pages)
    if len(text.strip()) < 20:
        raise PipelineError(f"{name}: .pdf has no text layer (scanned images?)")
    return text


_HTML_NOISE_TAGS = ("script", "style", "nav", "header", "footer", "aside", "form", "noscript", "iframe")


def _html_text(name: str, data: bytes) -> tuple[str, str]:
    from bs4 import BeautifulSoup

    # Decode ourselves: meta charset is often wrong on mirrored government pages.
    try:
        raw, enc = _decode_text(name, data)
    except PipelineError:
        raw, enc = data.decode("utf-8", errors="replace"), "utf-8"
    soup = BeautifulSoup(raw, "lxml")
    for tag in soup(_HTML_NOISE_TAGS):
        tag.decompose()
    body = soup.body or soup
    # The article is the element holding the most CJK text directly in its paragraphs.
    best, best_score = body, 0
    for el in body.find_all(["article", "div", "section", "td", "main"]):
        paras = el.find_all("p", recursive=True)
        score = sum(len(_CJK.findall(p.get_text())) for p in paras)
        # Prefer the innermost element: an ancestor scores the same but holds navigation too.
        if score > best_score * 1.0 and score > 0:
            if score > best_score or len(el.get_text()) < len(best.get_text()):
                best, best_score = el, score
    paras = best.find_all(["p", "h1", "h2", "h3", "h4", "li"]) if best_score else []
    if paras:
        lines = [p.get_text(" ", strip=True) for p in paras]
    else:
        lines = [ln.strip() for ln in best.get_text("\n").splitlines()]
    title = soup.title.get_text(strip=True) if soup.title else ""
    text = "\n".join(ln for ln in lines if ln)
    if title and title not in text[:200]:
        text = title + "\n" + text
    return text, enc


def decode_file(name: str, data: bytes) -> tuple[str, str, str]:
    """Return (text, format, encoding) for a report file; raise PipelineError if unreadable."""
    if not data or not data.strip():
        raise PipelineError(f"{name}: empty file")
    if len(data) > MAX_BYTES:
        raise PipelineError(f"{name}: file too large ({len(data) // (1024 * 1024)} MB, limit {MAX_BYTES // (1024 * 1024)} MB)")
    fmt = _sniff_format(name, data)
    if fmt == "doc":
        raise PipelineError(f"{name}: legacy Word .doc is not supported; save it as .docx")
    if fmt == "binary":
        raise PipelineError(f"{name}: binary file of unknown format")
    if fmt.startswith("corrupt-"):
        raise PipelineError(f"{name}: corrupt .{fmt[8:]} (content does not match the extension)")
    if fmt == "pdf":
        text, enc = _pdf_text(name, data), ""
    elif fmt == "docx":
        text, enc = _docx_text(name, data), ""
    elif fmt == "html":
        text, enc = _html_text(name, data)
    else:
        text, enc = _decode_text(name, data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise PipelineError(f"{name}: no text found")
    return text, fmt, enc
