"""Synthetic tracked plans for the API and dashboard benchmarks (never for tests of behaviour).

Both benchmarks need the same thing: many plans with sections, pledges, verdicts and
evidence, loaded in bulk into a database of their own whose name starts with pt_bench.
"""

from __future__ import annotations

import random

from django.conf import settings

from tracker.models import Document, Evidence, Pledge, PledgeKind, Section, SectionKind, Status, Verdict

BENCH_DB_PREFIX = "pt_bench"
PHRASES = ["新建高标准农田", "改造老旧小区", "新增城镇就业", "建成综合交通枢纽", "出台数据要素办法", "推进城市更新",
           "实施乡村振兴", "新建幼儿园", "完成造林绿化", "建设保障性住房"]
# Shares of a realistic scorecard: many fulfilled, a large silent remainder.
STATUS_WEIGHTS = {Status.FULFILLED: 45, Status.PARTIAL: 8, Status.MISSED: 5, Status.DROPPED: 35}


def bench_database_ensure() -> str:
    """Create the configured database if missing; refuse one not named like a bench database."""
    import psycopg

    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        raise SystemExit(f"the benchmarks measure PostgreSQL: set DATABASE_URL=postgres://…/{BENCH_DB_PREFIX}_…")
    name = str(db["NAME"])
    if not name.startswith(BENCH_DB_PREFIX):
        raise SystemExit(f"refusing to bulk-load synthetic rows into {name!r}: use a database named {BENCH_DB_PREFIX}_…")
    params = {"host": db.get("HOST") or "127.0.0.1", "port": db.get("PORT") or 5432, "user": db.get("USER") or "postgres"}
    if db.get("PASSWORD"):
        params["password"] = db["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return name


def pledge_lines(count: int, rng: random.Random) -> list[str]:
    return [f"{rng.choice(PHRASES)}{i % 97 + 1}万{'亩个人座项'[i % 5]}" for i in range(count)]


def plan_rows_load(
    plan: Document,
    review: Document | None,
    lines: list[str],
    rng: random.Random,
    *,
    sections: int = 6,
    status_weights: dict[str, int] | None = None,
) -> int:
    """Sections, pledges, verdicts and evidence of one plan whose text is `lines` joined by "，".

    Without a review every verdict is pending, as for the newest plan on a real site.
    """
    weights = status_weights or STATUS_WEIGHTS
    size = max(len(lines) // sections, 1)
    section_rows = Section.objects.bulk_create(
        Section(document=plan, kind=SectionKind.PLAN, heading=f"（{k + 1}）第{k + 1}部分", year=plan.year,
                start=k * size * 12, end=k * size * 12 + 1)
        for k in range(sections)
    )
    rows, offset = [], 0
    for i, line in enumerate(lines):
        is_target = i % 4 == 0
        rows.append(Pledge(
            document=plan, section=section_rows[min(i // size, sections - 1)], plan_year=plan.year, text=line,
            start=offset, end=offset + len(line), kind=PledgeKind.TARGET if is_target else PledgeKind.PROJECT,
            target_metric=line[:6] if is_target else "", target_value=float(i % 97 + 1) if is_target else None,
            target_unit="万亩" if is_target else "", target_comparator="at_least" if is_target else "",
        ))
        offset += len(line) + 1
    created = Pledge.objects.bulk_create(rows, batch_size=5000)
    statuses, shares = list(weights), list(weights.values())
    verdicts, evidence = [], []
    for pledge in created:
        status = rng.choices(statuses, shares)[0] if review else Status.PENDING
        confidence = round(rng.random(), 3)
        verdicts.append(Verdict(
            pledge=pledge, review_document=review, machine_status=status, machine_confidence=confidence,
            status=status, confidence=confidence,
            machine_actual={"value": 3.0, "unit": "万亩"} if pledge.target_value and review else None,
        ))
        if review and status in (Status.FULFILLED, Status.PARTIAL, Status.MISSED):
            evidence.append(Evidence(pledge=pledge, review_document=review, text=pledge.text + "已完成", start=0,
                                     end=len(pledge.text) + 3, score=round(60 + 40 * rng.random(), 2)))
    Verdict.objects.bulk_create(verdicts, batch_size=5000)
    Evidence.objects.bulk_create(evidence, batch_size=5000)
    return len(created)
