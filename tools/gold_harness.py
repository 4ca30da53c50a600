"""Measure matching and verdicts alone, on the gold pledges of the dev pairs.

The reading half (extraction of pledges and sections) is bypassed: pledges are the
gold pledge texts located in the plan, the review section is cut out of the review
file with the meta headings. Scores follow ../shared/eval/score.py.

    python tools/gold_harness.py [--gold DIR] [--corpus DIR] [--verbose] [--overlap]

``--overlap`` shows how far word overlap can go: every gold pledge is counted by the
content words (framing verbs masked) it shares with its gold evidence, or, for a pledge
the labels call dropped, with the review clause closest to it in words.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

import jieba
from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.pipeline.judge import pledges_judge  # noqa: E402
from tracker.pipeline.match import (  # noqa: E402
    abbreviations_expand,
    content_mask,
    review_spans_split,
    text_fold,
)
from tracker.pipeline.types import PledgeSpan, SectionSpan, Target  # noqa: E402

SHARED = ROOT.parent / "shared"
STATUSES = ("fulfilled", "partial", "missed", "dropped")
EVIDENCE_AT = 80
# Numbered or enumerated heading starts: 一、 （一） 1. 附件; a later level nests in an earlier one.
HEADING_LEVELS = (
    re.compile(r"^附件"),
    re.compile(r"^[一二三四五六七八九十]+、"),
    re.compile(r"^[（(][一二三四五六七八九十]+[）)]"),
    re.compile(r"^\d+[.．、]"),
)
LIST_LEVEL = 3
TITLE_MAX = 30


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s or "")
    return "".join(ch for ch in s if not ch.isspace())


def text_load(path: Path) -> str:
    if path.suffix == ".docx":
        import docx

        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


def heading_level(line: str) -> int | None:
    s = line.strip()
    for level, rx in enumerate(HEADING_LEVELS):
        if rx.match(s):
            return level
    return None


def section_paths(text: str) -> list[tuple[int, str]]:
    """(line start, heading path) for every line.

    A short title line right after 附件 joins it (the list's name lives there), and the
    paragraph introducing a 1. 2. list counts as the list's heading.
    """
    out: list[tuple[int, str]] = []
    stack: dict[int, str] = {}
    pos = 0
    prev = ""
    for line in text.split("\n"):
        s = line.strip()
        level = heading_level(line)
        if level is not None:
            if level == LIST_LEVEL and LIST_LEVEL not in stack and prev:
                stack[LIST_LEVEL - 1] = prev.strip()[-40:]
            stack = {k: v for k, v in stack.items() if k < level}
            stack[level] = s[:40]
        elif s:
            if 0 in stack and len(stack) == 1 and len(s) <= TITLE_MAX and "。" not in s:
                stack[0] = stack[0] + " " + s
            prev = line
        out.append((pos, " / ".join(stack[k] for k in sorted(stack))))
        pos += len(line) + 1
    return out


def path_at(paths: list[tuple[int, str]], offset: int) -> str:
    best = ""
    for start, p in paths:
        if start > offset:
            break
        best = p
    return best


def line_find(text: str, heading: str, after: int = 0) -> int:
    h = heading.strip()
    i = text.find(h, after)
    if i < 0:
        i = text.find(h[:20], after)
    return i


def pair_load(meta: dict, gold_dir: Path, corpus: Path):
    gold = [json.loads(x) for x in (gold_dir / f"{meta['pair']}.jsonl").read_text("utf8").splitlines() if x.strip()]
    plan = text_load(corpus / meta["plan_file"])
    review = text_load(corpus / meta["review_file"])
    rs = line_find(review, meta["review_start"])
    re_ = line_find(review, meta["review_end"], max(rs, 0) + 1)
    if rs < 0:
        rs = 0
    if re_ < 0:
        re_ = len(review)
    sections = [SectionSpan("review", meta["review_start"].strip(), rs, re_, meta["plan_year"])]
    paths = section_paths(plan)
    pledges = []
    for g in gold:
        i = plan.find(g["pledge"])
        t = g.get("target") or None
        target = None
        if g["kind"] == "target" and t and t.get("value") is not None:
            target = Target(t.get("metric") or "", t.get("value"), t.get("unit"), t.get("comparator") or "exact")
        sp = path_at(paths, i) if i >= 0 else (g.get("section") or "")
        pledges.append(PledgeSpan(g["pledge"], max(i, 0), max(i, 0) + len(g["pledge"]), g["kind"], sp, 0, target))
    return gold, pledges, review, sections


FIGURE_WORD = re.compile(r"[\d.％%]+")
OVERLAP_CAP = 3


def content_words(text: str) -> set[str]:
    """The words a matcher built on word overlap can see: jieba words of two characters or
    more once framing verbs (推进, 完善) are masked, abbreviations expanded, figures left out."""
    jieba.setLogLevel(60)
    masked = content_mask(abbreviations_expand(text_fold(text)))
    return {w for w in jieba.lcut(masked) if len(w) >= 2 and not w.isspace() and not FIGURE_WORD.fullmatch(w)}


def overlap_row(gold: dict, verdict_status: str, clause_words: list[set[str]]) -> tuple[str, str, int]:
    """(gold addressed or dropped, tracker addressed or dropped, shared content words, capped).

    An addressed pledge shares words with its gold evidence; a dropped one with the review
    clause nearest to it in words, the clause a word matcher would be tempted by.
    """
    words = content_words(gold["pledge"])
    g = "dropped" if gold["status"] == "dropped" else "addressed"
    s = "dropped" if verdict_status == "dropped" else "addressed"
    if g == "addressed":
        evidence = set().union(*(content_words(e) for e in gold.get("evidence") or []))
        shared = len(words & evidence)
    else:
        shared = max((len(words & c) for c in clause_words), default=0)
    return g, s, min(shared, OVERLAP_CAP)


def overlap_print(table: Counter) -> None:
    heads = [str(n) for n in range(OVERLAP_CAP)] + [f"{OVERLAP_CAP}+"]
    print("shared content words      " + "".join(f"{h:>7}" for h in heads))
    for g, s in (("addressed", "addressed"), ("addressed", "dropped"), ("dropped", "dropped"), ("dropped", "addressed")):
        cells = "".join(f"{table[(g, s, n)]:>7}" for n in range(OVERLAP_CAP + 1))
        print(f"gold {g:<9} -> {s:<9}{cells}")


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def metrics(conf: Counter) -> dict:
    per = {}
    for s in STATUSES:
        tp = conf[(s, s)]
        pred = sum(v for (g, x), v in conf.items() if x == s)
        act = sum(v for (g, x), v in conf.items() if g == s)
        p = tp / pred if pred else 0.0
        r = tp / act if act else 0.0
        per[s] = (f1(p, r), act)
    n = sum(conf.values())
    agree = sum(conf[(s, s)] for s in STATUSES)
    present = [s for s in STATUSES if per[s][1]]
    return {
        "acc": agree / n if n else 0.0,
        "macroF1": sum(per[s][0] for s in present) / len(present) if present else 0.0,
        "dropF1": per["dropped"][0],
        "fulF1": per["fulfilled"][0],
        "per": {s: round(per[s][0], 3) for s in STATUSES},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", default=str(SHARED / "eval" / "dev"))
    ap.add_argument("--corpus", default=str(SHARED / "corpus"))
    ap.add_argument("--verbose", "-v", action="store_true", help="print every disagreement")
    ap.add_argument("--overlap", action="store_true", help="count pledges by content words shared with evidence")
    a = ap.parse_args(argv)
    gold_dir, corpus = Path(a.gold), Path(a.corpus)
    pooled: Counter = Counter()
    ev = [0, 0]
    overlap: Counter = Counter()
    for meta_path in sorted(gold_dir.glob("*.meta.json")):
        meta = json.loads(meta_path.read_text("utf8"))
        gold, pledges, review, sections = pair_load(meta, gold_dir, corpus)
        t0 = time.perf_counter()
        verdicts = pledges_judge(pledges, review, sections, meta["plan_year"])
        dt = time.perf_counter() - t0
        conf: Counter = Counter()
        pev = [0, 0]
        if a.overlap:
            clauses = [content_words(sp.text) for sp in review_spans_split(review, sections, meta["plan_year"])]
            overlap.update(overlap_row(g, v.status, clauses) for g, v in zip(gold, verdicts, strict=True))
        for g, v in zip(gold, verdicts, strict=True):
            conf[(g["status"], v.status)] += 1
            if g["status"] != "dropped" and v.status != "dropped":
                pev[1] += 1
                gev = [norm(e) for e in g.get("evidence") or []]
                sev = [norm(e.text) for e in v.evidence]
                if any(fuzz.partial_ratio(x, y) >= EVIDENCE_AT for x in sev for y in gev if x and y):
                    pev[0] += 1
            if a.verbose and g["status"] != v.status:
                print(f"  {g['status']:>9} -> {v.status:<9} {v.confidence:.2f} | {g['pledge'][:60]}")
                print(f"      gold: {' | '.join(g.get('evidence') or [])[:120]}")
                print(f"      sys : {' | '.join(e.text for e in v.evidence)[:120]}")
        m = metrics(conf)
        pooled.update(conf)
        ev[0] += pev[0]
        ev[1] += pev[1]
        evid = pev[0] / pev[1] if pev[1] else 0.0
        print(
            f"{meta['pair']:<16} n={len(gold):>4} acc={m['acc']:.3f} macroF1={m['macroF1']:.3f} "
            f"dropF1={m['dropF1']:.3f} fulF1={m['fulF1']:.3f} evid={evid:.3f} s={dt:.2f}"
        )
        print("   confusion: " + ", ".join(f"{g}->{s}={v}" for (g, s), v in sorted(conf.items())))
    m = metrics(pooled)
    print(
        f"OVERALL acc={m['acc']:.3f} macroF1={m['macroF1']:.3f} dropF1={m['dropF1']:.3f} "
        f"fulF1={m['fulF1']:.3f} evid={ev[0] / ev[1] if ev[1] else 0.0:.3f} per={m['per']}"
    )
    if a.overlap:
        overlap_print(overlap)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
