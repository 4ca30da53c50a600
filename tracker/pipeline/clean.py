"""Remove the noise web copies add to a report, keeping a map back to the original.

The cleaner only deletes characters or swaps one character for one other, so the
map from cleaned to original offsets is a list of runs of kept characters.
"""

from __future__ import annotations

import re

# Whole lines that are site furniture when short. Keywords are the vocabulary of
# document-sharing and news sites, never sentences of one report.
_FURNITURE_LINE = re.compile(
    r"温馨提示|网站客服|联系客服|客服处理|下载前|下载文档|文件下载|本站|本文档|文档介绍|申明敬告|由会员分享|可在线阅读"
    r"|珍藏版|用户上传|版权归|版权所有|版权争议|浏览数|浏览次数|发布时间|当前位置|热门搜索|推荐访问|相关文章|相关报道"
    r"|相关阅读|上一篇|下一篇|扫一扫|分享到|【字号|字号[:：]|配套讲稿|特殊限制|关\s*键\s*词|PPT文件|word图标|禁止商用"
    r"|责任编辑|打印本页|关闭窗口|www\.|https?://|\.com|\.cn\b|ICP备|Copyright|©|限制\d+内|查看更多|点击查看|阅读全文"
    r"|全文阅读|^\d+\.\s*(?:部分|下载|本文档)|^\s*-?\s*\d+(?:\.\d+)?\s*(?:KB|MB)\b|^\s*-?\s*\d+页\s*$|^\s*-?\s*\d{4}-\d{2}-\d{2}\s*发布",
    re.IGNORECASE,
)
_FURNITURE_MAX_LEN = 120
# Lines a site opens with a label (推荐访问: …, 关键词: …) are furniture at any length.
_FURNITURE_START = re.compile(
    r"^[-•·\s]*(?:推荐访问|相关文章|相关推荐|热门搜索|热门文章|关\s*键\s*词|标签|上一篇|下一篇)\s*[:：]"
)

# Single words that stand alone on a line in page toolbars.
_TOOLBAR_WORDS = {
    "下载",
    "打印",
    "全屏",
    "收藏",
    "【字号：",
    "【字号:",
    "加大",
    "还原",
    "减小",
    "】",
    "Top",
    "top",
    "分享",
    "关闭",
    "返回顶部",
    "false",
    "true",
    "Public domain",
    "来源：",
    "时间：",
    "【",
    "大",
    "中",
    "小",
    "•",
    "·",
}

_PAGE_NUMBER_LINE = re.compile(r"^[ \t]*[-—－]+[ \t]*\d{1,3}[ \t]*[-—－]+[ \t]*$", re.MULTILINE)  # — 3 —
_PAGE_FOOTER = re.compile(r"第\s*\d+\s*页\s*[,，/]?\s*共\s*\d+\s*页")
_INLINE_FURNITURE = (
    _PAGE_FOOTER,
    _PAGE_NUMBER_LINE,
    re.compile(r"查看更多\s*$", re.MULTILINE),
    re.compile(r"以下是[^。！!\n]{0,80}?(?:参考|查阅|阅读|借鉴)[^。！!\n]{0,20}[。！!]"),
    re.compile(r"【字号[:：]?\s*加大\s*还原\s*减小\s*】"),
    re.compile(r"下载\s+打印\s+全屏\s+收藏"),
)
# A licence notice closes the text: everything from its first line on goes.
_LICENCE_START = re.compile(r"^(?:本作品是|本作品在|Public domain|版权所有|Copyright|本文来源于|注：中文维基)", re.MULTILINE)

_TERMINAL = "。！？!?：:；;”」』）)"
_CJK = r"\u4e00-\u9fff"
_PAGE_MARKER = re.compile(r"^(\d{1,3})、", re.MULTILINE)
_HEADING_AFTER_SPACE = re.compile(
    r"[ \u3000]+(?=(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）]"
    r"|第[一二三四五六七八九十]{1,3}[，,、]|各位代表|附件))"
)


def _mask_lines(text: str, keep: bytearray) -> None:
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.strip().strip("\u3000\xa0")
        start, end = pos, pos + len(line)
        pos = end
        if not body:
            continue
        drop = (
            body in _TOOLBAR_WORDS
            or _FURNITURE_START.match(body) is not None
            or (len(body) <= _FURNITURE_MAX_LEN and _FURNITURE_LINE.search(body) is not None)
        )
        # Stray punctuation left alone on a line by a wiki/link dump.
        if len(body) <= 2 and not re.search(f"[{_CJK}A-Za-z0-9]", body):
            drop = True
        if drop:
            for i in range(start, end):
                keep[i] = 0


def _mask(text: str, keep: bytearray, pattern: re.Pattern) -> None:
    for m in pattern.finditer(text):
        for i in range(m.start(), m.end()):
            keep[i] = 0


def _mask_repeated_title(text: str, keep: bytearray) -> None:
    """A title repeated many times at the top (SEO padding): keep the first copy."""
    head = text[:6000]
    for m in re.finditer(r"(\S{6,60}?)((?:\s*\1){2,})", head):
        for i in range(m.start(2), m.end(2)):
            keep[i] = 0
    # The same line repeated on consecutive lines.
    lines = text.splitlines(keepends=True)
    pos, prev = 0, None
    for line in lines:
        body = line.strip()
        if body and body == prev and len(body) < 80:
            for i in range(pos, pos + len(line)):
                keep[i] = 0
        if body:
            prev = body
        pos += len(line)


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end == -1 else end


def _mask_page_markers(text: str, keep: bytearray) -> None:
    """Document-sharing sites prefix each page with "N、", often mid-sentence.

    They show as a run 1、2、3… at line starts on very long lines. A marker is
    removed together with the line break before it when the previous line did
    not end a sentence, so the sentence is whole again.
    """
    markers = list(_PAGE_MARKER.finditer(text))
    if len(markers) < 2:
        return
    nums = [int(m.group(1)) for m in markers]
    increasing = sum(1 for a, b in zip(nums, nums[1:], strict=False) if b == a + 1)
    # find, not split: slicing the rest of the text per marker is quadratic on long lists.
    line_lengths = [_line_end(text, m.start()) - m.start() for m in markers]
    avg = sum(line_lengths) / len(line_lengths)
    # A real numbered list has short items; page dumps have pages of hundreds of chars.
    if increasing < len(markers) * 0.6 or avg < 150:
        return
    expected = None
    for m in markers:
        n = int(m.group(1))
        if expected is not None and n != expected and n != 1:
            continue
        following = text[m.end() : m.end() + 300].split("\n", 1)[0]
        if len(following) < 100 and n != 1:
            continue
        expected = n + 1
        for i in range(m.start(), m.end()):
            keep[i] = 0
        # Join with the previous line when the page break split a sentence.
        j = m.start() - 1
        if j >= 0 and text[j] == "\n":
            k = j - 1
            while k >= 0 and not keep[k]:
                k -= 1
            if k >= 0 and text[k] not in _TERMINAL:
                keep[j] = 0


def _mask_licence(text: str, keep: bytearray) -> None:
    for m in _LICENCE_START.finditer(text):
        if m.start() > len(text) * 0.7 and len(text) - m.start() < 3000:
            for i in range(m.start(), len(text)):
                keep[i] = 0
            return


def _substitutions(text: str) -> dict[int, str]:
    """Same-length swaps: mixed punctuation between CJK, paragraph breaks in one-line dumps."""
    subs: dict[int, str] = {}
    for m in re.finditer(f"(?<=[{_CJK}])[,;:?!](?=[{_CJK}\u201c\u2018\\s]|$)", text):
        subs[m.start()] = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}[m.group()]
    for m in re.finditer(f"\\((?=[{_CJK}一二三四五六七八九十])", text):
        end = text.find(")", m.end(), m.end() + 12)
        if end != -1:
            subs[m.start()] = "（"
            subs[end] = "）"
    # Full-width digits and letters (２００２年, ８．５％) read as their ASCII forms.
    for m in re.finditer("[０-９Ａ-Ｚａ-ｚ％]", text):
        subs[m.start()] = chr(ord(m.group()) - 0xFEE0)
    for m in re.finditer("(?<=[0-9０-９])．(?=[0-9０-９])", text):
        subs[m.start()] = "."
    # Mis-converted closing quote (〞 for ”) from a Traditional round trip.
    for m in re.finditer("[\u301e\u301f]", text):
        subs[m.start()] = "\u201d"
    for m in re.finditer("\u301d", text):
        subs[m.start()] = "\u201c"
    # A text without line breaks marks paragraphs with spaces: make them line breaks
    # before headings so the segmenter sees the hierarchy.
    pos = 0
    for line in text.split("\n"):
        if len(line) > 1500 and line.count(" ") + line.count("\u3000") > 1:
            for m in _HEADING_AFTER_SPACE.finditer(line):
                subs[pos + m.end() - 1] = "\n"
            for m in re.finditer(r"(?<=[。！？：:])[ \u3000]+(?=\S)", line):
                subs[pos + m.end() - 1] = "\n"
        pos += len(line) + 1
    return subs


def clean_text(original: str) -> tuple[str, list[tuple[int, int, int]]]:
    """Return (clean_text, offset_map); offset_map runs are (clean_start, original_start, length)."""
    n = len(original)
    keep = bytearray(b"\x01") * n
    _mask_licence(original, keep)
    _mask_lines(original, keep)
    for pattern in _INLINE_FURNITURE:
        _mask(original, keep, pattern)
    _mask_repeated_title(original, keep)
    _mask_page_markers(original, keep)
    subs = _substitutions(original)

    # Indentation and full-width spaces carry no meaning for a reader of the text;
    # a line break or one ASCII space between words is kept.
    for i, ch in enumerate(original):
        if ch in "\u3000\xa0\u2002\u2003\u200b\ufeff\t" and i not in subs:
            keep[i] = 0
        elif ch == " " and i not in subs:
            prev = original[i - 1] if i else "\n"
            nxt = original[i + 1] if i + 1 < n else "\n"
            if prev in " \n" or nxt in " \n" or not (prev.isascii() and nxt.isascii()):
                keep[i] = 0

    # Collapse blank lines: a newline is kept only if it ends a non-empty kept line.
    out: list[str] = []
    runs: list[tuple[int, int, int]] = []
    line_has_text = False
    for i in range(n):
        if not keep[i]:
            continue
        ch = subs.get(i, original[i])
        if ch == "\n":
            if not line_has_text:
                continue
            line_has_text = False
        else:
            line_has_text = True
        clean_pos = len(out)
        out.append(ch)
        if runs and runs[-1][0] + runs[-1][2] == clean_pos and runs[-1][1] + runs[-1][2] == i:
            cs, os_, ln = runs[-1]
            runs[-1] = (cs, os_, ln + 1)
        else:
            runs.append((clean_pos, i, 1))
    while out and out[-1] == "\n":
        out.pop()
    # Trailing line breaks were dropped: the runs must not cover them.
    n_out = len(out)
    while runs and runs[-1][0] + runs[-1][2] > n_out:
        cs, os_, ln = runs.pop()
        if n_out > cs:
            runs.append((cs, os_, n_out - cs))
    return "".join(out), runs
