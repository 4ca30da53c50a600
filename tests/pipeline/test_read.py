from __future__ import annotations

import pytest

from tracker.pipeline.read import document_read, report_with_plan, report_with_review, text_truncated
from tracker.pipeline.similarity import text_similarity
from tracker.pipeline.types import PipelineError

from .conftest import FIXTURES, corpus_bytes
from .test_extract import PLAN


def test_document_read_end_to_end() -> None:
    doc = document_read("plan.txt", ("网站客服:123\n" + PLAN).encode("gbk"), 2025)
    assert doc.format == "txt" and doc.encoding == "gb18030"
    assert "网站客服" in doc.original and "网站客服" not in doc.text
    report = report_with_plan(doc, 2025)
    assert report is not None and report.pledges
    for p in report.pledges:
        assert doc.text[p.start : p.end] == p.text
        o = doc.to_original(p.start)
        assert doc.original[o : o + len(p.text)] == p.text
    assert report_with_review(doc, 2024) is report
    assert not doc.truncated
    assert doc.warnings == []


def test_year_disagreement_is_a_warning() -> None:
    doc = document_read("plan.txt", PLAN.encode(), 2027)
    assert any("text says 2025 but the given year is 2027" in w for w in doc.warnings)


def test_no_plan_or_review_is_a_warning_not_an_error() -> None:
    doc = document_read("notes.txt", "会议纪要。\n与会人员讨论了天气。\n".encode(), 2025)
    assert report_with_plan(doc, 2025) is None
    assert report_with_review(doc, 2025) is None
    assert any("no plan section" in w for w in doc.warnings)
    assert any("no review section" in w for w in doc.warnings)


def test_unreadable_input_raises() -> None:
    with pytest.raises(PipelineError):
        document_read("x.pdf", (FIXTURES / "image-only.pdf").read_bytes(), 2025)


@pytest.mark.parametrize(
    "fixture", ["national-2023-excerpt.pdf", "national-2023-excerpt.html", "national-2023-excerpt-utf16.txt"]
)
def test_every_format_reaches_pledges(fixture: str) -> None:
    doc = document_read(fixture, (FIXTURES / fixture).read_bytes(), 2023)
    report = report_with_plan(doc, 2023)
    assert report is not None
    texts = [p.text for p in report.pledges]
    assert "国内生产总值增长5%左右" in texts
    assert "城镇新增就业1200万人左右" in texts


def test_truncation() -> None:
    assert text_truncated("一、工作回顾\n" + "全面完成年度目标任务，" * 10 + "推进")
    assert text_truncated("重点做好以下几项工作：" * 5 + "\n主要任务如下：" * 8)
    assert not text_truncated("让我们团结奋斗！" * 10 + "\n某某县人民政府\n2021年1月")


def test_seeds_001_and_004_truncated_000_not(corpus) -> None:
    flags = {
        seed: document_read(seed, corpus_bytes(corpus, f"seeds/{seed}"), None).truncated
        for seed in ("000_ce1cc4cd42ce1422.txt", "001_bbc22e12883b5a47.txt", "004_fd803d36d9783eb8.txt")
    }
    assert flags == {"000_ce1cc4cd42ce1422.txt": False, "001_bbc22e12883b5a47.txt": True, "004_fd803d36d9783eb8.txt": True}


def test_seed_001_near_duplicate_of_000(corpus) -> None:
    a = document_read("000", corpus_bytes(corpus, "seeds/000_ce1cc4cd42ce1422.txt"), 2021)
    b = document_read("001", corpus_bytes(corpus, "seeds/001_bbc22e12883b5a47.txt"), 2021)
    assert text_similarity(a.text, b.text) > 0.85
    assert any("text says 2023 but the given year is 2021" in w for w in a.warnings)
    assert any("2023% in “固定资产投资增长2023%左右” looks like a year" in w for w in a.warnings)


def test_multi_report_file_picks_a_report(corpus) -> None:
    doc = document_read("002", corpus_bytes(corpus, "seeds/002_dc56839f2adf1e3c.txt"), 2023)
    assert len(doc.reports) == 9
    plan = report_with_plan(doc, 2023)
    review = report_with_review(doc, 2022)
    assert plan is not None and review is not None
    assert len(plan.pledges) == max(len(r.pledges) for r in doc.reports)


def test_reads_a_100kb_report(corpus) -> None:
    # How fast it reads is a figure of the pipeline benchmark, not asserted here.
    data = corpus_bytes(corpus, "seeds/002_dc56839f2adf1e3c.txt")
    assert len(data) > 100_000
    doc = document_read("002", data, 2023)
    assert doc.reports and sum(len(r.pledges) for r in doc.reports) > 50


def _same_modulo_normalisation(clean: str, original: str) -> bool:
    import unicodedata

    def norm(s: str) -> str:
        return unicodedata.normalize("NFKC", s).replace("〞", "”").replace("〝", "“")

    return norm(clean) == norm(original)


def test_pledge_offsets_map_back_to_the_original_in_noisy_copies(corpus) -> None:
    for rel in ("seeds/001_bbc22e12883b5a47.txt", "seeds/003_b429fffc0a08b02a.txt", "provincial/zhejiang-2026.txt"):
        doc = document_read(rel, corpus_bytes(corpus, rel), None)
        pledges = [p for r in doc.reports for p in r.pledges]
        assert pledges, rel
        for p in pledges:
            o_start = doc.to_original(p.start)
            o_end = doc.to_original(p.end - 1) + 1
            original = doc.original[o_start:o_end]
            # Deleted characters inside a span (a page marker, a line break) are allowed;
            # every character of the pledge must appear in order in the original.
            it = iter(original)
            assert all(any(_same_modulo_normalisation(c, o) for o in it) for c in p.text), (rel, p.text, original)
