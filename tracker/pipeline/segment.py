"""Split cleaned text into reports, and each report into labelled top-level sections.

Headings are found by their numbering (一、 / 第一部分 / short keyword lines such as
"2023年工作计划"), also when glued to the next sentence in texts without line
breaks. Each top-level block is labelled by its heading; blocks without a telling
heading take the label of the part they sit in (a plan runs on until the closing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .types import ReportStructure, SectionSpan

CN_DIGITS = "一二三四五六七八九十"
_NUM = {c: i + 1 for i, c in enumerate(CN_DIGITS)}


def cn_ordinal(s: str) -> int:
    """一 -> 1, 十二 -> 12, 二十 -> 20; 0 when not a small Chinese numeral."""
    if not s or any(c not in _NUM for c in s):
        return 0
    if len(s) == 1:
        return _NUM[s]
    if s[0] == "十":
        return 10 + _NUM.get(s[1], 0)
    if len(s) == 2 and s[1] == "十":
        return _NUM[s[0]] * 10
    if len(s) == 3 and s[1] == "十":
        return _NUM[s[0]] * 10 + _NUM[s[2]]
    return 0


# A top-level heading: 一、 / 第一部分 / 第一， at a line start, or glued after a
# sentence end in texts without line breaks.
_L1 = re.compile(
    rf"(?:(?<=\n)|^|(?<=[。！？!?；;]))[ \t]*"
    rf"(?:第([{CN_DIGITS}]{{1,3}})部分[、，,：:\s]?|([{CN_DIGITS}]{{1,3}})[、．.](?![{CN_DIGITS}][、，]))"
)
_ANNEX = re.compile(r"(?:(?<=\n)|^)[ \t]*附件\s*\d*[^\n]{0,40}")
_REPORT_START = re.compile(r"(?:(?<=\n)|^)[^\n]{0,20}?现在[，,]?\s*我代表[^\n。]{0,40}?(?:报告|作)")

# A short line of its own naming a part: "2023年政府工作回顾", "2023年工作计划".
_KEYWORD_LINE = re.compile(
    r"(?:(?<=\n)|^)[ \t]*([^\n。，,；;]{0,24}?"
    r"(?:工作回顾|工作总结|工作计划|工作安排|主要任务|工作任务|重点工作|目标任务|工作展望|主要工作))[ \t]*(?=\n)"
)

_FIVE_YEAR = r"(?:五年|“[一二三四五六七八九十]{1,2}五”|十[一二三四五六]五|本届政府|[一二三四五六七八九十]五时期)"
_REVIEW_WORDS = re.compile(r"回顾|总结|成就|过去一年|一年来|主要工作$|工作情况|取得|成绩|所做的工作|主要做了")
_AMBIGUOUS_REVIEW = re.compile(r"主要工作|工作情况")  # a review or a plan, by position
_PLAN_WORDS = re.compile(
    r"工作安排|工作任务|重点工作|重点任务|工作思路|目标任务|主要任务|工作计划|工作建议|政府工作的建议|总体要求|总体部署|工作展望|工作目标|"
    r"今年|明年|新的一年|主要预期目标|政策取向|(?:\d{4}|[X_xＸ]{2,4})年\S{0,2}工作$"
)
_FIVE_PLAN_WORDS = re.compile(r"目标|规划|任务|展望|今后|未来|考虑|把握|思路|总体要求|举措")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")

# Cues inside text (not headings) for documents without numbered parts.
_PLAN_CUE = re.compile(
    r"主要预期目标|(?:今年|明年|新的一年)[^。\n]{0,20}(?:工作|任务|目标|安排)|工作安排|重点做好以下|将重点|着力抓好以下|抓好以下"
)
_REVIEW_CUE = re.compile(r"过去的?一年|一年来|工作回顾|主要做了以下|回顾\S{0,6}工作|较好地完成|取得了")
# Words typical of what was done versus what will be done, to label blocks whose
# heading is a slogan ("一、知重负重、唯实唯勤").
_PAST = re.compile(r"同比增长|比上年|完成了|实现了|取得了|累计|全年|增长\d|达到\d|\d+(?:\.\d+)?%[，,；;。]|了")
_FUTURE = re.compile(r"今年|新的一年|力争|确保|将|要|加快|推动|持续|深化|着力")


@dataclass
class _Heading:
    start: int  # where the heading marker starts
    level: str  # "l1", "annex", "keyword"
    number: int
    text: str  # the heading line (or its first clause when glued)


def heading_text_at(text: str, pos: int, limit: int = 60) -> str:
    """The heading starting at ``pos``: its line, or its first clause when glued to the body."""
    line_end = text.find("\n", pos)
    if line_end == -1:
        line_end = len(text)
    line = text[pos:line_end]
    if len(line) > limit:
        # Glued heading: its end is the first sentence mark; cut long clauses.
        m = re.search(r"[。！？!?：:]", line)
        line = line[: m.start()] if m and m.start() <= limit else line[:limit]
    return line.strip()


def _find_headings(text: str, start: int, end: int) -> list[_Heading]:
    region = text[start:end]
    found: list[_Heading] = []
    annex_seen = False
    annexes = []
    for m in _ANNEX.finditer(region):
        head = m.group().strip()
        # "附件1" on its own line is followed by the list's title (2025年省十件民生实事).
        nxt = text[m.end() + start :].lstrip("\n").split("\n", 1)[0].strip()
        if len(head) <= 5 and 0 < len(nxt) <= 30:
            head = f"{head} {nxt}"
        annexes.append((m.start() + start, head))
    for pos, head in annexes:
        found.append(_Heading(pos, "annex", 0, head))
    for m in _L1.finditer(region):
        pos = m.start() + start
        while pos < end and text[pos] in " \t":
            pos += 1
        num = cn_ordinal(m.group(1) or m.group(2))
        if not num:
            continue
        found.append(_Heading(pos, "l1", num, heading_text_at(text, pos)))
    for m in _KEYWORD_LINE.finditer(region):
        pos = m.start(1) + start
        found.append(_Heading(pos, "keyword", 0, m.group(1).strip()))
    found.sort(key=lambda h: h.start)
    # Keep a plausible sequence: L1 numbers go up by one or restart at 一; inside
    # an annex they are items of the annex, not parts of the report.
    kept: list[_Heading] = []
    last = 0
    for h in found:
        if h.level == "annex":
            annex_seen = True
            kept.append(h)
            continue
        if h.level == "keyword":
            if re.match(r"[（(]|\d+[、.．]|[一二三四五六七八九十]+、", h.text):
                continue
            if any(k.start <= h.start < k.start + len(k.text) + 2 for k in kept):
                continue
            kept.append(h)
            continue
        if annex_seen:
            continue
        if h.number == last + 1 or (h.number == 1 and last >= 1):
            kept.append(h)
            last = h.number
    return kept


def _classify_heading(head: str) -> str | None:
    h = re.sub(r"\s", "", head)[:40]
    five = re.search(_FIVE_YEAR, h) is not None
    one_year = re.search(r"一年|\d{4}年|[X_xＸ]{2,4}年|今年|明年|上年", h) is not None
    if _REVIEW_WORDS.search(h) and not re.search(r"目标|任务|安排|建议", h):
        if five and not one_year:
            return "five_year_review"
        return "review"
    if _PLAN_WORDS.search(h) or _FIVE_PLAN_WORDS.search(h):
        if five and not one_year and _FIVE_PLAN_WORDS.search(h):
            return "five_year_plan"
        if _PLAN_WORDS.search(h):
            return "plan"
    return None


def _body_tense(body: str) -> str | None:
    past = len(_PAST.findall(body))
    future = len(_FUTURE.findall(body))
    if past + future < 5:
        return None
    return "review" if past > future * 0.8 else "plan"


def _split_reports(text: str) -> list[tuple[int, int]]:
    starts = []
    for m in _REPORT_START.finditer(text):
        s = m.start()
        # The greeting line just before belongs to the report.
        prev = text.rfind("\n", 0, max(0, s - 1))
        prev_line = text[prev + 1 : s]
        if prev_line.startswith("各位代表") and len(prev_line) < 20:
            s = prev + 1
        # So does a short title line just above it (a page holding several reports
        # puts each report's title there).
        if s > 0:
            above = text.rfind("\n", 0, s - 1)
            title = text[above + 1 : s - 1]
            if 4 <= len(title.strip()) <= 40 and title.strip()[-1] not in "。！？!?：:；;":
                s = above + 1
        starts.append(s)
    # A closing thanks ("我代表…向…致以") is not a new report: require real body between.
    merged: list[int] = []
    for s in starts:
        if merged and s - merged[-1] < 2000:
            continue
        merged.append(s)
    if len(merged) <= 1:
        return [(0, len(text))]
    bounds = [0, *merged[1:], len(text)]
    return [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]


def _closing_start(text: str, start: int, end: int) -> int:
    """Start of the closing exhortation: the final run of 各位代表 paragraphs."""
    paras = [m.start() for m in re.finditer(r"(?:(?<=\n)|^)各位代表", text[start:end])]
    if not paras:
        return end
    body_lines = [m.start() for m in re.finditer(r"(?<=\n)", text[start:end])]
    last = paras[-1] + start
    if end - last > 3000:
        return end
    # Walk back over 各位代表 paragraphs that directly precede it.
    para_set = {p + start for p in paras}
    line_starts = sorted({start, *[b + start for b in body_lines]})
    idx = line_starts.index(last) if last in line_starts else -1
    while idx > 0 and line_starts[idx - 1] in para_set:
        idx -= 1
        last = line_starts[idx]
    return last


def _report_title(text: str, start: int, end: int) -> str:
    for line in text[start:end].split("\n")[:6]:
        line = line.strip()
        if 4 <= len(line) <= 60 and not line.startswith("各位代表"):
            return line
    return heading_text_at(text, start, 40)


def _sections_of_report(text: str, start: int, end: int, year: int | None, index: int) -> list[SectionSpan]:
    heads = _find_headings(text, start, end)
    closing = _closing_start(text, start, end)
    # Blocks: [heading start, next heading start)
    blocks: list[tuple[int, int, str, str | None]] = []
    first = heads[0].start if heads else end
    if first > start:
        blocks.append((start, first, "", None))
    for i, h in enumerate(heads):
        b_end = heads[i + 1].start if i + 1 < len(heads) else end
        kind = _classify_heading(h.text)
        if kind == "review" and _AMBIGUOUS_REVIEW.search(h.text) and not re.search(r"回顾|总结|成就", h.text):
            if any(b[3] in ("review", "five_year_review", "five_year_plan") for b in blocks):
                kind = "plan"
        if kind is None and re.search(_FIVE_YEAR, h.text) and any(b[3] in ("review", "five_year_review") for b in blocks):
            kind = "five_year_plan"
        if h.level == "annex":
            nxt = text[h.start : min(b_end, h.start + 200)]
            kind = "plan" if re.search(r"实事|民生项目|民生工程", nxt) else "other"
        blocks.append((h.start, b_end, h.text, kind))

    # The preamble may itself hold a whole part (plans without numbered headings).
    resolved: list[list] = [list(b) for b in blocks]
    if not any(b[3] == "plan" for b in resolved):
        _split_unlabelled(text, resolved)
    kinds = [b[3] for b in resolved]
    seen_plan = False
    for i, b in enumerate(resolved):
        if b[3] in ("plan", "five_year_plan"):
            seen_plan = True
            continue
        if b[3] is not None:
            continue
        if i == 0 and not b[2]:
            b[3] = "other"  # greeting, title, preamble
            continue
        if seen_plan:
            # A plan runs on through slogan headings (三、继续保持…) until the closing;
            # once the year's plan has started, trailing parts (政府自身建设) belong to it.
            annual = any(r[3] == "plan" for r in resolved[:i])
            prev = next((k for k in reversed([r[3] for r in resolved[:i]]) if k), None)
            b[3] = "plan" if annual else (prev or "plan")
            continue
        tense = _body_tense(text[b[0] : b[1]])
        later_plan = any(k in ("plan", "five_year_plan") for k in kinds[i + 1 :])
        after_review = any(r[3] in ("review", "five_year_review") for r in resolved[1:i])
        body_start = text.find("\n", b[0], b[1]) + 1 or b[0]
        if after_review and re.match(r"[^。\n]{0,10}“十[一二三四五六]五”时期", text[body_start : body_start + 40]):
            # A slogan heading whose body opens on the coming five-year period
            # ("二、一张蓝图绘到底…\n“十五五”时期是…") holds the five-year targets.
            b[3] = "five_year_plan"
            continue
        b[3] = "review" if (later_plan or tense == "review") else (tense or "other")
    # The closing follows the plan; a greeting before it is the report's opening.
    first_plan = next((b[0] for b in resolved if b[3] == "plan"), end)
    if closing <= first_plan:
        closing = end
    sections: list[SectionSpan] = []
    for s, e, head, kind in resolved:
        if s >= e:
            continue
        # The closing exhortation is cut out of whatever block holds it.
        if s < closing < e and kind in ("plan", "review", "five_year_plan"):
            sections.append(_span(kind, head, s, closing, year, index))
            sections.append(_span("other", heading_text_at(text, closing, 20), closing, e, year, index))
            continue
        if s >= closing and kind != "plan":
            kind = "other"
        sections.append(_span(kind or "other", head, s, e, year, index))
    return sections


def _split_unlabelled(text: str, blocks: list[list]) -> None:
    """No plan heading: find the plan by cue sentences and split the block holding it."""
    for i, b in enumerate(blocks):
        s, e = b[0], b[1]
        if b[3] in ("other", "five_year_review") and b[2]:
            continue
        m = _PLAN_CUE.search(text, s, e)
        if not m:
            continue
        # The plan starts at the line (or sentence) holding the cue.
        line_start = max(text.rfind("\n", s, m.start()) + 1, s)
        sent = max(text.rfind("。", line_start, m.start()) + 1, line_start)
        cut = sent if m.start() - line_start > 300 else line_start
        # A year-opening sentence just before the cue ("XX年是…开局之年") belongs to the plan.
        before = text[max(s, cut - 200) : cut]
        y = re.search(r"(?:^|\n|。)\s*(?:\S{0,4}年|今年|明年)是[^\n]*$", before)
        if y:
            cut = max(s, cut - 200) + y.start() + (1 if before[y.start()] in "\n。" else 0)
        # A block opening on its year ("2023年是新征程的开局起步之年") is a plan throughout.
        opening = text[s : min(cut, s + 160)]
        # A block whose text before the cue is only its heading (三、加强农业基础地位…) is
        # a plan chapter: the heading alone reviews nothing.
        heading_only = not re.search(r"[。；！？]", text[s:cut])
        year_opening = re.search(r"(?:^|[\n。])\s*(?:\S{2,4}年|今年|明年)是[^。\n]{0,30}之年", opening)
        if cut <= s + 5 or heading_only or (b[3] is None and year_opening):
            b[3] = "plan"
        else:
            review_kind = b[3] or ("review" if _REVIEW_CUE.search(text, s, cut) or b[2] else None)
            blocks[i] = [s, cut, b[2], review_kind]
            blocks.insert(i + 1, [cut, e, heading_text_at(text, cut, 30), "plan"])
        for later in blocks[i + 2 :]:
            if later[3] is None:
                later[3] = "plan"
        return


def _span(kind: str, head: str, s: int, e: int, year: int | None, index: int) -> SectionSpan:
    section_year = None
    if year is not None:
        section_year = year - 1 if kind == "review" else year
    return SectionSpan(kind=kind, heading=head, start=s, end=e, year=section_year, report_index=index)


def report_split(text: str, year: int | None = None) -> list[ReportStructure]:
    """Reports in ``text`` with their labelled sections (pledges are added later)."""
    reports = []
    for index, (s, e) in enumerate(_split_reports(text)):
        sections = _sections_of_report(text, s, e, year, index)
        reports.append(ReportStructure(index=index, title=_report_title(text, s, e), start=s, end=e, sections=sections))
    return reports


def heading_years(text: str, sections: list[SectionSpan]) -> dict[str, set[int]]:
    """Years written in plan/review headings, to warn when they disagree with the caller."""
    out: dict[str, set[int]] = {}
    for sec in sections:
        for m in _YEAR.finditer(sec.heading):
            out.setdefault(sec.kind, set()).add(int(m.group(1)))
    return out
