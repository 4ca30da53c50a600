"""Every report of the corpus is segmented: the issue's acceptance walk."""

from __future__ import annotations

import csv
import re

from tracker.pipeline.read import document_read, report_with_plan


def _expectations(content: str) -> tuple[bool, bool]:
    text = content.lower()
    has_plan = "plan" in text
    has_review = "review" in text and "no review" not in text
    return has_review, has_plan


def test_every_corpus_report_gets_its_review_and_plan(corpus) -> None:
    rows = list(csv.DictReader((corpus / "MANIFEST.csv").open(encoding="utf-8")))
    assert len(rows) >= 90
    failures: list[str] = []
    walked = 0
    for row in rows:
        path = corpus / row["path"]
        year = int(row["year"]) if row["year"].strip() else None
        want_review, want_plan = _expectations(row["content"])
        try:
            doc = document_read(path.name, path.read_bytes(), year)
        except Exception as exc:  # a crash is a failure to report, not to hide
            failures.append(f"{row['path']}: {exc.__class__.__name__}: {exc}")
            continue
        several = re.search(r"(\w+) reports in one", row["content"])
        reports = doc.reports if several else [report_with_plan(doc, year or 0) or doc.reports[0]]
        if several:
            words = {"two": 2, "three": 3, "nine": 9}
            expected = words.get(several.group(1).lower(), 0)
            if expected and len(doc.reports) != expected:
                failures.append(f"{row['path']}: {len(doc.reports)} reports found, {expected} expected")
        for report in reports:
            walked += 1
            kinds = {s.kind for s in report.sections}
            if want_plan and "plan" not in kinds:
                failures.append(f"{row['path']} report {report.index + 1}: no plan section ({sorted(kinds)})")
            if want_review and not kinds & {"review", "five_year_review"}:
                failures.append(f"{row['path']} report {report.index + 1}: no review section ({sorted(kinds)})")
            if want_plan and not report.pledges:
                failures.append(f"{row['path']} report {report.index + 1}: plan without pledges")
            for p in report.pledges:
                if doc.text[p.start : p.end] != p.text:
                    failures.append(f"{row['path']}: pledge span does not match its text: {p.text}")
                    break
    print(f"walked {walked} reports in {len(rows)} files")
    for f in failures:
        print("FAIL", f)
    assert not failures, f"{len(failures)} segmentation failures (see printed list)"
