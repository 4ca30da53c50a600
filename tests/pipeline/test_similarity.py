from __future__ import annotations

from tracker.pipeline.clean import clean_text
from tracker.pipeline.ingest import decode_file
from tracker.pipeline.similarity import text_similarity

from .conftest import corpus_bytes


def _clean(corpus, rel: str) -> str:
    text, _, _ = decode_file(rel, corpus_bytes(corpus, rel))
    return clean_text(text)[0]


def test_identical_and_empty() -> None:
    assert text_similarity("推进高标准农田建设，新建2万亩。", "推进高标准农田建设，新建2万亩。") == 1.0
    assert text_similarity("", "推进高标准农田建设") == 0.0


def test_masks_and_figures_do_not_break_a_duplicate() -> None:
    a = "加快推进xx等创新服务平台建设，组建xx等创新创业平台，地区生产总值增长7.5%左右"
    b = "加快推进_等创新服务平台建设，组建_等创新创业平台，地区生产总值增长7.5左右"
    assert text_similarity(a, b) > 0.9


def test_seed_001_is_a_near_duplicate_of_seed_000(corpus) -> None:
    a, b = _clean(corpus, "seeds/000_ce1cc4cd42ce1422.txt"), _clean(corpus, "seeds/001_bbc22e12883b5a47.txt")
    assert text_similarity(a, b) > 0.85


def test_two_provinces_are_not_duplicates(corpus) -> None:
    a, b = _clean(corpus, "provincial/zhejiang-2026.txt"), _clean(corpus, "provincial/guangdong-2026.txt")
    assert text_similarity(a, b) < 0.3


def test_next_years_national_reports_are_not_duplicates(corpus) -> None:
    a, b = _clean(corpus, "national/2024.txt"), _clean(corpus, "national/2025.txt")
    score = text_similarity(a, b)
    assert score < 0.5
