"""Fold words mis-converted by a Traditional->Simplified round trip, for matching only.

The table (data/misconversions.tsv) is data: one variant and its canonical word a
line. Many variants are real words too (开展, 工程, 平安, 方案), so folding is only
sound when applied to BOTH texts being compared; it never changes what is shown.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

TABLE_PATH = Path(__file__).resolve().parent / "data" / "misconversions.tsv"


@lru_cache(maxsize=4)
def fold_table(path: Path = TABLE_PATH) -> dict[str, str]:
    """Variant -> canonical; rows whose two sides differ in length are refused."""
    table: dict[str, str] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            raise ValueError(f"{path.name}:{lineno}: expected variant<TAB>canonical")
        variant, canonical = parts[0].strip(), parts[1].strip()
        if len(variant) != len(canonical):
            raise ValueError(f"{path.name}:{lineno}: {variant} and {canonical} differ in length")
        table[variant] = canonical
    return table


@lru_cache(maxsize=4)
def _pattern(path: Path = TABLE_PATH) -> re.Pattern | None:
    table = fold_table(path)
    if not table:
        return None
    # Longest first so a longer variant wins over a shorter one it contains.
    alternatives = sorted(table, key=len, reverse=True)
    return re.compile("|".join(re.escape(v) for v in alternatives))


def fold_text(text: str) -> str:
    """Return ``text`` with every variant replaced by its canonical word; same length."""
    pattern = _pattern()
    if pattern is None:
        return text
    table = fold_table()
    return pattern.sub(lambda m: table[m.group()], text)
