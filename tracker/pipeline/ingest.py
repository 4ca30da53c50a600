"""Bytes to text: detect the container format and the text encoding.

Every refusal is a ``PipelineError`` with one line naming the file and the problem,
so the caller can store it on the document instead of showing a traceback.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import zipfile

from .types import PipelineError

# pypdf logs each damage it works around ("EOF marker not found") as a warning; a file
# it cannot read gets our one error line naming the file, so its own lines are noise.
logging.getLogger("pypdf").setLevel(logging.ERROR)

MAX_BYTES = 20 * 1024 * 1024  # reports are < 1 MB; anything this big is not a report
MAX_DOCX_INFLATED = 200 * 1024 * 1024  # a .docx declaring more than this is a zip bomb, not a report
# The text part read, counted on the bytes actually inflated (headers can lie): the largest
# report's word/document.xml in the corpus is 235 KB.
MAX_DOCX_XML = 32 * 1024 * 1024
_DOCX_CHUNK = 64 * 1024

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
    # The PDF header may follow a little junk (the format allows 1 KB of it).
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(_OLE_MAGIC):
        return "doc"
    if any(data.startswith(m) for m in _BINARY_MAGICS):
        return "binary"
    head = data[:2048].lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or (ext in ("html", "htm") and head.startswith(b"<")):
        return "html"
    if ext in ("pdf", "docx", "doc"):
        # The extension promises a container the bytes do not hold.
        return "corrupt-" + ext
    return "txt"


def _decode_cut(data: bytes, encoding: str) -> str:
    """Decode strictly, except that a character cut off at the very end is dropped.

    Copies saved from a browser or split by a size limit often stop mid-character;
    the incremental decoder buffers such a tail instead of failing on it.
    """
    return codecs.getincrementaldecoder(encoding)().decode(data, final=False)


def _decode_repaired(data: bytes, encoding: str) -> str | None:
    """Decode with a few broken characters replaced by U+FFFD; None when too many are broken.

    A stray bad byte in a long report must not make it unreadable, but text in another
    encoding breaks on nearly every non-ASCII character and is left to the next guess.
    """
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(data, final=False)
    broken = text.count("\ufffd") - data.count("\ufffd".encode(encoding))
    if broken <= 0:
        return text
    if broken * 100 > len(text):
        return None
    sound = len(text) - len(text.encode("ascii", errors="ignore")) - broken  # non-ASCII characters decoded
    return text if broken * 100 <= sound else None


def _decode_text(name: str, data: bytes) -> tuple[str, str]:
    undecodable = PipelineError(f"{name}: cannot decode text: binary data or an encoding other than UTF-8, GB18030, UTF-16")
    if data.startswith(b"\xef\xbb\xbf"):
        body = data[3:]
        try:
            return _decode_cut(body, "utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            text = _decode_repaired(body, "utf-8")
            if text is None:
                raise undecodable from None
            return text, "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        enc = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        try:
            text = _decode_cut(data[2:], enc)
        except UnicodeDecodeError:
            text = _decode_repaired(data[2:], enc)
        # Binary files start with these two bytes too; they decode as noise.
        if text is None or not _looks_like_text(text):
            raise undecodable
        return text, "utf-16"
    # UTF-16 without BOM: every other byte is NUL for ASCII, rarely so for CJK,
    # but CJK in UTF-16 never decodes as UTF-8 and shows many NUL/odd pairs.
    sample = data[:4096]
    if sample.count(b"\x00") > len(sample) // 8:
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = _decode_cut(data, enc)
            except UnicodeDecodeError:
                continue
            if _looks_like_text(text):
                return text, enc
        raise PipelineError(f"{name}: binary data, not a text file")
    try:
        return _decode_cut(data, "utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Before guessing GB18030: a UTF-8 file with a stray bad byte would read as mojibake.
    text = _decode_repaired(data, "utf-8")
    if text is not None and _looks_like_text(text):
        return text, "utf-8"
    try:
        text = _decode_cut(data, "gb18030")
    except UnicodeDecodeError:
        text = _decode_repaired(data, "gb18030")
    if text is not None and _looks_like_text(text):
        return text, "gb18030"
    # Last resort: utf-16 without BOM and without ASCII (pure CJK).
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = _decode_cut(data, enc)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, enc
    raise undecodable


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


def _zip_member_read(name: str, archive: zipfile.ZipFile, member: str, limit: int) -> bytes:
    """A member's bytes, inflated in small chunks and refused past `limit` bytes actually read.

    Never `archive.read()`: zipfile inflates a whole member in one call of up to 2 GB before
    cutting it to the size the header declares, so a 1.5 MB file declaring 1 KB made the
    process take 2 GB. Chunked reads inflate at most one chunk ahead, and zipfile's CRC check
    at the end refuses a member whose header lied about its size.
    """
    chunks, total = [], 0
    with archive.open(member) as stream:
        while chunk := stream.read(_DOCX_CHUNK):
            total += len(chunk)
            if total > limit:
                raise PipelineError(f"{name}: .docx text part expands past {limit // (1024 * 1024)} MB")
            chunks.append(chunk)
    return b"".join(chunks)


def _docx_text(name: str, data: bytes) -> str:
    try:
        from docx.oxml.ns import qn
        from docx.oxml.parser import parse_xml  # python-docx's parser: no entities, no network

        # A few kilobytes can inflate to gigabytes: refuse by the sizes the zip declares, then
        # on the bytes actually inflated (a header can declare anything).
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
            if "word/document.xml" not in archive.namelist():
                raise PipelineError(f"{name}: corrupt .docx (a zip archive without word/document.xml)")
            if inflated > MAX_DOCX_INFLATED:
                raise PipelineError(
                    f"{name}: .docx expands to {inflated // (1024 * 1024)} MB, "
                    f"limit {MAX_DOCX_INFLATED // (1024 * 1024)} MB"
                )
            if "[Content_Types].xml" not in archive.namelist():
                raise PipelineError(f"{name}: corrupt .docx (no [Content_Types].xml: not a Word package)")
            xml = _zip_member_read(name, archive, "word/document.xml", MAX_DOCX_XML)
        # Only the text part is parsed: python-docx would load the whole package, every part
        # through the unbounded read above.
        root = parse_xml(xml)
        if root.tag != qn("w:document"):
            raise PipelineError(f"{name}: corrupt .docx (word/document.xml is not a Word document)")
        body = root.find(qn("w:body"))
    except PipelineError:
        raise
    except zipfile.BadZipFile as exc:
        if "CRC" in str(exc):
            # Also what a header lying about its size ends in: the bytes read stop at the lie.
            raise PipelineError(f"{name}: corrupt .docx (a part does not match its zip header)") from exc
        raise PipelineError(f"{name}: corrupt .docx (incomplete zip archive: truncated download?)") from exc
    except Exception as exc:  # python-docx raises assorted zip/lxml/package errors
        raise PipelineError(f"{name}: corrupt .docx ({exc.__class__.__name__})") from exc
    if body is None:
        raise PipelineError(f"{name}: corrupt .docx (no document body)")
    lines: list[str] = []
    # Walk the body in order so tables stay where they stand in the report.
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
        hint = ": no %%EOF marker, truncated download?" if b"%%EOF" not in data[-2048:] else ""
        raise PipelineError(f"{name}: corrupt .pdf ({exc.__class__.__name__}{hint})") from exc
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
    return _join_wrapped_lines(text)


_PARA_END = "。！？!?：:；;”」）)"
_PAGE_NUMBER = re.compile(r"[-—－\s]*(?:第\s*)?\d{1,3}(?:\s*页)?[-—－\s]*")
_LINE_START_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.．、]|各位代表|附件)"
)


def _join_wrapped_lines(text: str) -> str:
    """Undo the typesetter's line wrapping: a PDF line that stops mid-sentence continues."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.rstrip()
        if _PAGE_NUMBER.fullmatch(line):
            continue  # a page number between two halves of a sentence
        if out and out[-1] and out[-1][-1] not in _PARA_END and line and not _LINE_START_HEADING.match(line):
            # Headings are short and unpunctuated: do not glue the next line to one.
            if not (_LINE_START_HEADING.match(out[-1]) and len(out[-1]) < 40):
                out[-1] += line.lstrip()
                continue
        out.append(line)
    return "\n".join(out)


_CONTROL_CHARS = dict.fromkeys(i for i in range(32) if chr(i) not in "\r\n\t\f")  # for str.translate: delete
_HTML_NOISE_TAGS = ("script", "style", "nav", "header", "footer", "aside", "form", "noscript", "iframe")


def _html_text(name: str, data: bytes) -> tuple[str, str]:
    from bs4 import BeautifulSoup

    # Decode ourselves: meta charset is often wrong on mirrored government pages.
    try:
        raw, enc = _decode_text(name, data)
    except PipelineError:
        raw, enc = data.decode("utf-8", errors="replace"), "utf-8"
        # Markup survives a wrong guess of the encoding; bytes that are mostly noise are no page.
        noise = raw.count("\ufffd") + len(raw) - len(raw.translate(_CONTROL_CHARS))
        if noise > len(raw) // 10:
            raise PipelineError(
                f"{name}: cannot decode the page: binary data or an encoding other than UTF-8, GB18030, UTF-16"
            ) from None
    soup = BeautifulSoup(raw, "lxml")
    for tag in soup(_HTML_NOISE_TAGS):
        tag.decompose()
    body = soup.body or soup
    best = _article_element(body)
    paras = _paragraph_strings(best)
    if paras and sum(len(s) for strings in paras for s in strings) > len(best.get_text()) * 0.5:
        lines = [" ".join(s.strip() for s in strings if s.strip()) for strings in paras]
    else:
        # Pages that break lines with <br> instead of paragraphs.
        lines = [ln.strip() for ln in best.get_text("\n").splitlines()]
    title = soup.title.get_text(strip=True) if soup.title else ""
    text = "\n".join(ln for ln in lines if ln)
    if title and title not in text[:200]:
        text = title + "\n" + text
    return text, enc


_PARAGRAPH_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "li"})


def _paragraph_strings(root) -> list[list[str]]:
    """The strings of each paragraph below ``root``, in document order.

    A string belongs to its innermost paragraph only: a list item holding a nested
    list (or a paragraph) would otherwise repeat that text once per level, which on
    a broken page nested thousands deep grows quadratically.
    """
    from bs4 import Tag

    text_types = Tag.MAIN_CONTENT_STRING_TYPES  # the strings get_text() counts
    paras: list[list[str]] = []
    stack = [(child, None) for child in reversed(root.contents)]
    while stack:
        node, owner = stack.pop()
        if isinstance(node, Tag):
            if node.name in _PARAGRAPH_TAGS:
                owner = []
                paras.append(owner)
            stack.extend((child, owner) for child in reversed(node.contents))
        elif owner is not None and type(node) in text_types:
            owner.append(str(node))
    return paras


def _article_element(body):
    """The element holding the article: most CJK text outside links, innermost of equals.

    Navigation, sidebars and footers are mostly link text, so link characters count
    against an element; an ancestor of the article scores no better than the
    article itself, so the deepest element close to the best score wins.

    Scores are summed bottom-up in one pass: asking every element for its own text
    is quadratic in the nesting depth, and broken pages nest thousands deep.
    """
    from bs4 import Tag

    text_types = Tag.MAIN_CONTENT_STRING_TYPES  # the strings get_text() counts
    order: list = []  # tags in document order
    stack = [body]
    while stack:
        el = stack.pop()
        order.append(el)
        stack.extend(reversed([child for child in el.contents if isinstance(child, Tag)]))
    position = {id(el): i for i, el in enumerate(order)}
    cjk: dict[int, int] = {}  # CJK characters in the element's text
    in_links: dict[int, int] = {}  # CJK characters inside the links below the element
    size: dict[int, int] = {}  # tags in its subtree, itself included
    for el in reversed(order):  # children before their parents
        tags = [child for child in el.contents if isinstance(child, Tag)]
        own = sum(len(_CJK.findall(child)) for child in el.contents if type(child) in text_types)
        cjk[id(el)] = own + sum(cjk[id(t)] for t in tags)
        in_links[id(el)] = sum(in_links[id(t)] + (cjk[id(t)] if t.name == "a" else 0) for t in tags)
        size[id(el)] = 1 + sum(size[id(t)] for t in tags)

    def score(el) -> int:
        return cjk[id(el)] - 2 * in_links[id(el)]

    def inside(el, ancestor) -> bool:
        first = position[id(ancestor)]
        return first < position[id(el)] < first + size[id(ancestor)]

    wanted = {"article", "main", "section", "div", "td"}
    candidates = [(score(el), el) for el in order[1:] if el.name in wanted]
    if not candidates:
        return body
    top = max(sc for sc, _ in candidates)
    if top <= 0:
        return body
    best = next(el for sc, el in candidates if sc == top)
    # Descend while a child still holds nearly all of the article.
    for sc, el in candidates:
        if sc >= top * 0.9 and inside(el, best):
            best = el
    return best


def decode_file(name: str, data: bytes) -> tuple[str, str, str]:
    """Return (text, format, encoding) for a report file; raise PipelineError if unreadable."""
    # Size first: stripping a huge file would copy it before refusing it.
    if len(data) > MAX_BYTES:
        raise PipelineError(f"{name}: file too large ({len(data) // (1024 * 1024)} MB, limit {MAX_BYTES // (1024 * 1024)} MB)")
    if not data or not data.strip():
        raise PipelineError(f"{name}: empty file")
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
    # NUL bytes pad interrupted downloads and stand for unmapped PDF glyphs; they carry
    # no text, and PostgreSQL refuses to store them.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if not text.strip():
        raise PipelineError(f"{name}: no text found")
    return text, fmt, enc
