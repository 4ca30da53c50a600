"""Candidate review spans for each pledge, with similarity features.

Only the review of the plan year counts as evidence, so candidates are the sentences
and clauses of review sections about that year. Chinese has no spaces and the reports
paraphrase heavily, so the main representation is character bigrams weighted by
their rarity in the pair (a bigram like 推进 that occurs everywhere says little; 充电桩
says a lot). On top of that come anchors that carry meaning: quoted names, figures
with units, the metric of a target. Framing verbs (推动, 加快, 完善) are masked so two
texts must share their object, and common abbreviations are expanded (data/*.tsv).
All pledge x span scores are sparse matrix products (scipy); Python only loops over the
few candidates kept per pledge, and only those are aligned with rapidfuzz.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import jieba
import numpy as np
from rapidfuzz import fuzz
from scipy import sparse

from tracker.pipeline.types import PledgeSpan, SectionSpan

try:  # the reading half provides the fold; until it lands, matching works unfolded
    from tracker.pipeline.fold import fold_text as _fold_text
except ImportError:  # pragma: no cover - depends on the other half being present
    _fold_text = None

SENTENCE_END = re.compile(r"[。！？；;!?\n]")
CLAUSE_END = re.compile(r"[，,：:]")
# Enumerators and dashes opening a sentence are layout, not content.
LEAD_NOISE = re.compile(
    r"^[\s\u3000—\-－·•]*(?:[一二三四五六七八九十]+是|[（(]?[一二三四五六七八九十\d]+[）)、.．])?[\s\u3000—\-－]*"
)
QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,30})[”\"」』]")
FIGURE = re.compile(r"(\d+(?:\.\d+)?)\s*(%|‰|个百分点|万亿|亿|万|千)?")
WORDISH = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")

MIN_SPAN_CHARS = 4
# Below this a year's review section is too short to be the review (see review_sections_for).
MIN_REVIEW_CHARS = 200
# A review that covers the plan year and the five years it closes (一、2025年和“十四五”时期
# 工作回顾, or a five-year review with 刚刚过去的2025年 inside) says in the head of each
# paragraph which it reports: these open the five years (the year's own paragraphs rarely
# start this way) ...
_FIVE_YEAR_OPENING = re.compile(
    r"五年来|过去五年|过去的五年|这五年|经过五年|五年间|五年发展|回望“十[一二三四五六]五”"
    r"|“十[一二三四五六]五”(?:时期(?:是|以来|，)|以来|的五年|(?:规划)?(?:顺利|胜利|圆满)收官)"
)
# ... and these turn to the shortcomings, which report no deliverable done.
_SHORTCOMINGS_OPENING = re.compile(
    r"清醒(?:地)?(?:认识|看)到|(?:同时|但)(?:也要|也应|我们也|也)?(?:清醒地)?看到|在看到成绩的同时"
    r"|问题也不容忽视|成绩固然可喜"
)
PARAGRAPH_HEAD_CHARS = 60
# A pledge word used by at most RARE_DF review sentences and RARE_PLAN_DF pledges names one
# deliverable rather than a field (中试平台 against 发展); the count of such words a span
# shares with the pledge is the ``n_rare`` feature.
RARE_DF = 1
RARE_PLAN_DF = 2
MIN_WORD_CHARS = 2

_tokenizer: jieba.Tokenizer | None = None


def _words_cut(texts: Sequence[str], extra: Sequence[str]) -> list[list[str]]:
    """jieba words of each text; ``extra`` (names quoted in the documents) join the dictionary
    for this call only, so a project name is one word rather than three fragments.

    The dictionary is restored afterwards: a worker that has seen other pairs must cut a
    pair exactly as a fresh one does, or re-running a task could change its verdicts.
    """
    global _tokenizer
    if _tokenizer is None:
        jieba.setLogLevel(60)
        _tokenizer = jieba.Tokenizer()
        _tokenizer.initialize()
    tok = _tokenizer
    total = tok.total
    new_keys: list[str] = []
    was_prefix: list[str] = []  # known only as the start of longer words (frequency 0)
    for w in extra:
        if MIN_WORD_CHARS <= len(w) <= 12 and not tok.FREQ.get(w):
            if w in tok.FREQ:
                was_prefix.append(w)
            new_keys += [w[: i + 1] for i in range(len(w)) if w[: i + 1] not in tok.FREQ]
            tok.add_word(w, freq=2000)
    try:
        return [[w for w in tok.lcut(t) if len(w) >= MIN_WORD_CHARS and WORDISH.match(w)] for t in texts]
    finally:
        for w in was_prefix:
            tok.FREQ[w] = 0
        for k in new_keys:
            tok.FREQ.pop(k, None)
        tok.total = total


@lru_cache(maxsize=1 << 16)
def text_fold(text: str) -> str:
    """Fold mis-converted characters and width variants without changing the length."""
    if _fold_text is not None:
        try:
            folded = _fold_text(text)
        except Exception:  # a broken fold must not break matching
            folded = text
        if isinstance(folded, str) and len(folded) == len(text):
            text = folded
    out = []
    for ch in text:
        n = unicodedata.normalize("NFKC", ch)
        out.append(n if len(n) == 1 else ch)
    return "".join(out)


@cache
def _function_words() -> re.Pattern | None:
    path = Path(__file__).resolve().parent / "data" / "function_words.txt"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    found = sorted({w.strip() for w in lines if w.strip() and not w.startswith("#")}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, found))) if found else None


def content_mask(text: str) -> str:
    """Blank out framing verbs (推动, 加快, 完善...) keeping the length, so only the object matches."""
    rx = _function_words()
    return rx.sub(lambda m: "\u3000" * len(m.group(0)), text) if rx else text


@cache
def _abbreviations() -> tuple[re.Pattern, dict[str, str]] | None:
    path = Path(__file__).resolve().parent / "data" / "abbreviations.tsv"
    try:
        rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
    except OSError:
        return None
    table = {r[0]: r[1] for r in rows if len(r) > 1 and r[0] and not r[0].startswith("#") and r[0] != r[1]}
    if not table:
        return None
    keys = sorted(table, key=len, reverse=True)
    # a full form already present must not be expanded again (自由贸易试验区 holds no 自贸区)
    return re.compile("|".join(map(re.escape, keys))), table


def abbreviations_expand(text: str) -> str:
    """Short forms to full forms, for scoring only (the length changes; offsets come from spans)."""
    found = _abbreviations()
    if found is None:
        return text
    rx, table = found
    return rx.sub(lambda m: table[m.group(0)], text)


def bigrams(text: str) -> list[str]:
    """Character bigrams of the word characters; punctuation breaks a run."""
    grams = []
    prev = ""
    for ch in text:
        if WORDISH.match(ch):
            if prev:
                grams.append(prev + ch)
            prev = ch
        else:
            prev = ""
    return grams


@dataclass(frozen=True)
class ReviewSpan:
    text: str
    start: int
    end: int
    kind: str  # "sentence" or "clause"
    sentence: int  # index of the sentence holding it
    five_year: bool = False  # from a five-year review standing in for the year's review


def review_sections_for(sections: Sequence[SectionSpan], plan_year: int) -> list[SectionSpan]:
    """Review sections about the plan year (year unknown counts, the reader could not tell).

    A report that only reviews the five years ending with the plan year (过去五年工作回顾)
    still reports that year's results, so its five-year review stands in, discounted.
    """
    found = [s for s in sections if s.kind == "review" and (s.year is None or s.year == plan_year)]
    # A "review" of a few lines is a heading the reader could not place, not the year's
    # review; the five-year review, when there is one, then says more about the year.
    if sum(s.end - s.start for s in found) >= MIN_REVIEW_CHARS:
        return found
    five = [s for s in sections if s.kind == "five_year_review"]
    if found and not five:
        return found
    return found + five


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    m = LEAD_NOISE.match(text, start, end)
    if m:
        start = m.end()
    while end > start and text[end - 1] in " \u3000\t\r":
        end -= 1
    return start, end


def review_parts(
    text: str, start: int, end: int, plan_year: int, opens_as: str = "year"
) -> list[tuple[int, int, str]]:
    """The paragraphs of one review section, merged into runs of "year", "five_year" or
    "shortcomings" by what their heads open with; the section starts as ``opens_as``.

    A paragraph that opens nothing continues the run before it, so the five-year
    achievements listed after 五年来，我们… stay five-year until 刚刚过去的2025年 turns back.
    """
    year_opening = re.compile(rf"(?:刚刚过去的|过去的)?{plan_year}年(?:[，,是里]|很不平凡)|过去一年|一年来|刚刚过去的一年")
    parts: list[tuple[int, int, str]] = []
    mode = opens_as
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl + 1
        head = text[pos : min(stop, pos + PARAGRAPH_HEAD_CHARS)]
        if _SHORTCOMINGS_OPENING.search(head[:30]):
            mode = "shortcomings"
        elif _FIVE_YEAR_OPENING.search(head):
            mode = "five_year"
        elif year_opening.search(head):
            mode = "year"
        if parts and parts[-1][2] == mode:
            parts[-1] = (parts[-1][0], stop, mode)
        else:
            parts.append((pos, stop, mode))
        pos = stop
    return parts


def year_part_of(text: str, start: int, end: int, plan_year: int) -> tuple[int, int] | None:
    """The first run of a five-year review that reports the plan year alone.

    A report opening a five-year period reviews the five years, then often the last
    one (刚刚过去的2025年，…) until it turns back to the five years (过去五年成绩的取得…).
    """
    year = [(a, b) for a, b, mode in review_parts(text, start, end, plan_year, opens_as="five_year") if mode == "year"]
    return year[0] if year else None


def review_spans_split(review_text: str, sections: Sequence[SectionSpan], plan_year: int) -> list[ReviewSpan]:
    """Sentences and the clauses inside them, with offsets into ``review_text``."""
    spans: list[ReviewSpan] = []
    seen: set[tuple[int, int]] = set()
    n_sent = 0
    for sec in sorted(review_sections_for(sections, plan_year), key=lambda s: s.start):
        in_five = sec.kind == "five_year_review"
        pos = max(0, sec.start)
        stop = min(len(review_text), sec.end)
        parts = review_parts(review_text, pos, stop, plan_year, opens_as="five_year" if in_five else "year")
        five_parts = [(a, b) for a, b, mode in parts if mode == "five_year"]
        skipped = [(a, b) for a, b, mode in parts if mode == "shortcomings"]
        while pos < stop:
            m = SENTENCE_END.search(review_text, pos, stop)
            end = m.start() if m else stop
            s0, s1 = _trimmed(review_text, pos, end)
            if any(a <= s0 < b for a, b in skipped):
                pos = end + 1
                continue
            five = any(a <= s0 < b for a, b in five_parts)
            if s1 - s0 >= MIN_SPAN_CHARS and (s0, s1) not in seen:
                seen.add((s0, s1))
                spans.append(ReviewSpan(review_text[s0:s1], s0, s1, "sentence", n_sent, five))
                c = s0
                parts = []
                while c < s1:
                    cm = CLAUSE_END.search(review_text, c, s1)
                    ce = cm.start() if cm else s1
                    parts.append((c, ce))
                    c = ce + 1
                if len(parts) > 1:
                    for c0, c1 in parts:
                        c0, c1 = _trimmed(review_text, c0, c1)
                        if c1 - c0 >= MIN_SPAN_CHARS and (c0, c1) not in seen:
                            seen.add((c0, c1))
                            spans.append(ReviewSpan(review_text[c0:c1], c0, c1, "clause", n_sent, five))
                n_sent += 1
            pos = end + 1
    return spans


@dataclass
class Candidate:
    span: ReviewSpan
    score: float  # 0..100, the combined similarity
    features: dict[str, float] = field(default_factory=dict)


@dataclass
class _Vocab:
    index: dict[str, int]
    idf: np.ndarray


def _idf_build(docs: list[list[str]]) -> dict[str, float]:
    df: dict[str, int] = {}
    for grams in docs:
        for g in set(grams):
            df[g] = df.get(g, 0) + 1
    n = len(docs) + 1
    return {g: math.log(n / (c + 0.5)) for g, c in df.items()}


def presence_matrix(gram_lists: Sequence[Iterable[str]], vocab: dict[str, int]) -> sparse.csr_matrix:
    """0/1 rows of which vocabulary entries each text holds. Sparse: a review sentence holds a few
    dozen of the plan's thousands of bigrams, and the dense products were most of matching's time."""
    rows = [sorted({vocab[g] for g in grams if g in vocab}) for grams in gram_lists]
    indptr = np.cumsum([0, *(len(r) for r in rows)])
    cols = np.fromiter((c for r in rows for c in r), dtype=np.int32, count=int(indptr[-1]))
    data = np.ones(len(cols), dtype=np.float32)
    return sparse.csr_matrix((data, cols, indptr), shape=(len(gram_lists), len(vocab)))


def anchors_of(text: str) -> tuple[set[str], set[str]]:
    """Quoted names and figures-with-unit of a text, folded."""
    quoted = {q for q in QUOTED.findall(text)}
    figures = set()
    for m in FIGURE.finditer(text):
        num, unit = m.group(1), m.group(2) or ""
        if unit or "." in num or len(num) >= 2:
            figures.add(num + unit)
    return quoted, figures


def _longest_run(pledge_grams: list[str], span_grams: set[str], weights: dict[str, float]) -> float:
    """IDF mass of the longest run of consecutive pledge bigrams found in the span."""
    best = run = 0.0
    for g in pledge_grams:
        if g in span_grams:
            run += weights.get(g, 0.0)
            best = max(best, run)
        else:
            run = 0.0
    return best


def candidates_find(
    pledges: Sequence[PledgeSpan],
    spans: Sequence[ReviewSpan],
    top_k: int = 6,
) -> list[list[Candidate]]:
    """The best ``top_k`` review spans for each pledge, best first."""
    if not pledges:
        return []
    if not spans:
        return [[] for _ in pledges]
    p_texts = [abbreviations_expand(text_fold(p.text)) for p in pledges]
    s_texts = [abbreviations_expand(text_fold(s.text)) for s in spans]
    p_grams = [bigrams(content_mask(t)) for t in p_texts]
    s_grams = [bigrams(content_mask(t)) for t in s_texts]
    # Rarity is measured over the review sentences plus the pledges, so it adapts to each pair.
    idf = _idf_build([g for g, s in zip(s_grams, spans, strict=True) if s.kind == "sentence"] + p_grams)
    # Bigrams the review never uses still count in the pledge's mass (an unmatched specific
    # name is exactly what makes a pledge unaddressed) but need no column: they match nothing.
    max_idf = max(idf.values()) if idf else 1.0

    def weight(g: str) -> float:
        v = idf.get(g, max_idf)
        return v if v > 0 else 0.05

    in_review = set().union(*(set(g) for g in s_grams)) if s_grams else set()
    vocab: dict[str, int] = {}
    for grams in p_grams:
        for g in grams:
            if g in in_review:
                vocab.setdefault(g, len(vocab))
    w = np.array([weight(g) for g in vocab], dtype=np.float32)
    pm = presence_matrix(p_grams, vocab)
    sm = presence_matrix(s_grams, vocab)
    p_mass = np.array([sum(weight(g) for g in set(gs)) for gs in p_grams], dtype=np.float32) + 1e-6
    overlap = (sm.multiply(w[None, :]).tocsr() @ pm.T).toarray()  # spans x pledges
    recall = overlap / p_mass[None, :]
    # Share of the span's own bigram mass explained by the pledge: a short clause fully
    # inside the pledge's words is a paraphrase, a long one sharing two words is not.
    s_mass = np.array([sum(idf.get(g, max_idf) for g in set(gs)) + 1e-6 for gs in s_grams], dtype=np.float32)
    precision = overlap / s_mass[:, None]
    # Words: present in a span when all their bigrams are (one column test per word).
    quoted_all = sorted({q for t in p_texts for q in QUOTED.findall(t)} | {q for t in s_texts for q in QUOTED.findall(t)})
    p_words = _words_cut([content_mask(t) for t in p_texts], quoted_all)
    wvocab: dict[str, int] = {}
    for ws in p_words:
        for x in ws:
            wvocab.setdefault(x, len(wvocab))
    # A word is present when the span holds all of its bigrams: count them in one product.
    # A word with a bigram the review never uses gets no row, so it is present nowhere.
    grams_of_word = presence_matrix(
        [grams if all(g in vocab for g in grams) else () for grams in (bigrams(x) for x in wvocab)], vocab
    )
    need = np.diff(grams_of_word.indptr).astype(np.float32)
    held = (sm @ grams_of_word.T).toarray()  # spans x words: how many of each word's bigrams
    present = (held == need[None, :]) & (need[None, :] > 0)
    sent_rows = np.array([s.kind == "sentence" for s in spans])
    df = present[sent_rows].sum(axis=0) if sent_rows.any() else present.sum(axis=0)
    n_sent = int(sent_rows.sum()) + 1
    widf = np.log((n_sent + 1) / (df + 0.5)).astype(np.float32)
    widf = np.maximum(widf, 0.05)
    pw = np.zeros((len(pledges), len(wvocab)), dtype=np.float32)
    for i, ws in enumerate(p_words):
        for x in ws:
            pw[i, wvocab[x]] = 1.0
    w_mass = (pw * widf).sum(axis=1) + 1e-6
    plan_df = pw.sum(axis=0)
    seen = present.any(axis=0)  # words the review never uses add nothing to any overlap
    weighted = sparse.csr_matrix(present[:, seen].astype(np.float32) * widf[seen])
    word_recall = (weighted @ sparse.csr_matrix(pw[:, seen]).T).toarray() / w_mass[None, :]
    combined = 0.4 * recall + 0.4 * word_recall + 0.2 * np.minimum(precision, 1.0)
    k = min(top_k, len(spans))
    top = np.argpartition(-combined, kth=k - 1, axis=0)[:k, :]  # k x pledges
    p_word_idx = [sorted({wvocab[x] for x in ws}) for ws in p_words]
    sent_of = np.array([s.sentence for s in spans])
    sent_first = {}
    for i, s in enumerate(spans):
        if s.kind == "sentence":
            sent_first[s.sentence] = i
    out: list[list[Candidate]] = []
    for pi in range(len(pledges)):
        quoted, figures = anchors_of(p_texts[pi])
        idx = p_word_idx[pi]
        w_idf = widf[idx] if idx else np.zeros(0, dtype=np.float32)
        df_p = df[idx] if idx else np.zeros(0)
        pdf_p = plan_df[idx] if idx else np.zeros(0)
        top_idf = float(w_idf.max()) if idx else 1.0
        cands = []
        for si in top[:, pi]:
            si = int(si)
            sg = set(s_grams[si])
            run = _longest_run(p_grams[pi], sg, idf) / float(p_mass[pi])
            st = s_texts[si]
            q_hit = sum(1 for q in quoted if q in st)
            f_hit = sum(1 for f in figures if f in st)
            # The local alignment only decides among the kept candidates (the ranking above does
            # not use it), so it is computed for those alone: k per pledge, not every sentence.
            fuzzy = fuzz.partial_ratio(p_texts[pi], st, score_cutoff=40)
            if spans[si].kind == "sentence":
                # Whole points for sentences, half up, as the all-pairs matrix gave them: the rule
                # thresholds and the shipped model were fitted on these values.
                fuzzy = float(math.floor(fuzzy + 0.5))
            hits = present[si, idx] if idx else np.zeros(0, dtype=bool)
            sent_row = sent_first.get(int(sent_of[si]), si)
            feats = {
                "sent_recall": float(max(word_recall[sent_row, pi], word_recall[si, pi])),
                "rare_word": float(w_idf[hits].max() / top_idf) if hits.any() else 0.0,
                "n_words": float(hits.sum()),
                "recall": float(recall[si, pi]),
                "word_recall": float(word_recall[si, pi]),
                "word_abs": float(word_recall[si, pi] * w_mass[pi]),
                "gram_abs": float(recall[si, pi] * p_mass[pi]),
                "precision": float(min(precision[si, pi], 1.0)),
                "run": float(run),
                "fuzzy": fuzzy / 100.0,
                "quoted": float(q_hit) / len(quoted) if quoted else 0.0,
                "has_quoted": 1.0 if quoted else 0.0,
                "figure": float(f_hit) / len(figures) if figures else 0.0,
                "mass": float(p_mass[pi]),
                "n_rare": float(((df_p <= RARE_DF) & (pdf_p <= RARE_PLAN_DF))[hits].sum()) if idx else 0.0,
            }
            cands.append(Candidate(spans[si], candidate_score(feats), feats))
        cands.sort(key=lambda c: (-c.score, len(c.span.text)))
        out.append(cands)
    return out


def candidate_score(f: dict[str, float]) -> float:
    """One similarity in 0..100 from the features; anchors lift paraphrases with shared names."""
    s = 0.25 * f["recall"] + 0.25 * f["word_recall"] + 0.15 * f["precision"] + 0.2 * f["run"] + 0.15 * f["fuzzy"]
    s += 0.15 * f["quoted"] + 0.1 * f["figure"]
    return round(100.0 * min(s, 1.0), 2)
