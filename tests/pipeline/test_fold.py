from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import fuzz

from tracker.pipeline.clean import clean_text
from tracker.pipeline.fold import TABLE_PATH, fold_table, fold_text

from .conftest import corpus_bytes


def test_table_is_data_with_same_length_rows() -> None:
    table = fold_table()
    assert TABLE_PATH.suffix == ".tsv"
    assert {"开展", "效劳", "工程", "根底", "平安", "方案"} <= set(table)
    assert all(len(k) == len(v) for k, v in table.items())


def test_both_sides_fold_to_the_same_canonical_form() -> None:
    plan = "推动经济社会持续开展，提升效劳水平，加快工程建设，夯实根底，建设平安城市，落实年度方案"
    review = "推动经济社会持续发展，提升服务水平，加快项目建设，夯实基础，建设安全城市，落实年度计划"
    assert fold_text(plan) == fold_text(review)


def test_legitimate_uses_still_compare_equal_after_folding() -> None:
    # 开展 is a real word: folding both texts keeps "开展活动" matching itself.
    assert fold_text("开展活动") == fold_text("开展活动")


@given(st.text(alphabet=st.sampled_from(list("开展发效劳服务工程项目根底基础平安全方案计划，。xyz")), max_size=80))
def test_fold_preserves_length(text: str) -> None:
    assert len(fold_text(text)) == len(text)


def test_bad_row_length_refused(tmp_path: Path) -> None:
    bad = tmp_path / "t.tsv"
    bad.write_text("开展\t发展展\n", encoding="utf-8")
    with pytest.raises(ValueError, match="differ in length"):
        fold_table(bad)


def test_folding_raises_similarity_of_seed_000_and_001(corpus) -> None:
    a, _ = clean_text(corpus_bytes(corpus, "seeds/000_ce1cc4cd42ce1422.txt").decode("utf-8"))
    b, _ = clean_text(corpus_bytes(corpus, "seeds/001_bbc22e12883b5a47.txt").decode("utf-8"))
    a, b = a[a.index("实施创新引领") :], b[b.index("实施创新引领") :]
    n = min(len(a), len(b))
    before = fuzz.ratio(a[:n], b[:n])
    after = fuzz.ratio(fold_text(a[:n]), fold_text(b[:n]))
    assert after > before + 3
