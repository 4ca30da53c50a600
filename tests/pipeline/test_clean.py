from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.pipeline.clean import clean_text
from tracker.pipeline.types import ReadDocument

from .conftest import corpus_bytes


def _doc(original: str) -> ReadDocument:
    text, runs = clean_text(original)
    return ReadDocument("x", "txt", "utf-8", original, text, runs, [])


def test_site_furniture_lines_removed() -> None:
    original = (
        "温馨提示:\n1. 部分包含数学公式或PPT动画的文件,查看预览时可能会显示错乱。\n网站客服:3074922707\n"
        "下载\n打印\n全屏\n收藏\n【字号：\n加大\n还原\n减小\n】\n"
        "二、2025年工作安排\n地区生产总值增长5%左右。\n第8页 共8页\n查看更多\n"
    )
    text, _ = clean_text(original)
    assert text == "二、2025年工作安排\n地区生产总值增长5%左右。"


def test_report_sentences_with_furniture_words_are_kept() -> None:
    # Long body lines that happen to contain 下载/投诉 are not furniture.
    line = (
        "加强知识产权保护，严厉打击侵权假冒行为，畅通12345投诉举报渠道，"
        "推进政务服务事项网上办理和下载打印证照全程电子化，让群众少跑腿。"
    )
    text, _ = clean_text("一、工作回顾\n" + line + "\n")
    assert line in text


def test_short_report_lines_with_site_words_are_kept() -> None:
    text, _ = clean_text("二、2025年工作安排\n培育一批中华老字号。\n建设省级数据中心。\n【字号：大 中 小】\n")
    assert text == "二、2025年工作安排\n培育一批中华老字号。\n建设省级数据中心。"


def test_page_markers_spliced_mid_sentence_are_removed_and_the_sentence_rejoined() -> None:
    page = "推进国家可持续发展实验区建设，继续在科技创新、生态保护方面探索，" * 5
    original = f"1、{page}着力打造以\n2、资源型城市绿色转型发展为特色的示范区。{page}\n3、{page}。"
    text, runs = clean_text(original)
    assert "着力打造以资源型城市" in text
    assert "2、" not in text and "3、" not in text


def test_short_numbered_lists_are_not_page_markers() -> None:
    original = "主要任务：\n1、新建学校3所。\n2、改造道路5公里。\n3、新增就业1000人。"
    text, _ = clean_text(original)
    assert "2、改造道路5公里" in text


def test_repeated_title_kept_once() -> None:
    title = "区政府XX年工作总结与XX年工作计划"
    original = " ".join([title] * 10) + " XX年，全区上下紧紧围绕主题开展工作。"
    text, _ = clean_text(original)
    assert text.count(title) == 1
    assert "全区上下紧紧围绕" in text


def test_licence_notice_at_the_end_is_dropped() -> None:
    body = "各位代表！让我们团结奋斗！\n" * 40
    original = body + "本作品是中华人民共和国的\n法律\n、\n法规\n公有领域\nPublic domain\nfalse\n"
    text, _ = clean_text(original)
    assert text.endswith("让我们团结奋斗！")
    assert "公有领域" not in text


def test_full_width_spaces_and_mixed_punctuation() -> None:
    text, _ = clean_text("\u3000\u3000坚持稳中求进,推动发展;增长２．５％(预期)")
    assert text == "坚持稳中求进，推动发展；增长2.5%（预期）"


def test_line_without_breaks_gets_paragraph_breaks_before_headings() -> None:
    body = "".join(f"第{i}项工作完成投资{i * 7}亿元，增长{i}%。" for i in range(80))
    original = f"主要做了以下工作: 一、着力推改革 {body} 二、着力调结构 {body}"
    text, _ = clean_text(original)
    assert "\n一、着力推改革" in text
    assert "\n二、着力调结构" in text


def test_offsets_map_back_to_the_original() -> None:
    original = "网站客服:123\n\u3000\u3000二、2025年工作安排\n\u3000\u3000新建高标准农田2万亩、提标4.5万亩。\n第1页 共2页\n"
    doc = _doc(original)
    i = doc.text.index("新建")
    j = doc.text.index("4.5万亩") + len("4.5万亩")
    o_i, o_j = doc.to_original(i), doc.to_original(j)
    assert original[o_i:o_j] == "新建高标准农田2万亩、提标4.5万亩"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("二、年工作安排增长5%左右，。\n\u3000 ,;:()第页共1下载打印")), max_size=200))
def test_every_kept_character_maps_to_an_equal_or_normalised_original(original: str) -> None:
    text, runs = clean_text(original)
    covered = 0
    for clean_start, orig_start, length in runs:
        for k in range(length):
            c, o = text[clean_start + k], original[orig_start + k]
            assert c == o or c in "，；：？！（）“”\n.%0123456789"
        covered += length
    assert covered == len(text)


def test_seed_000_loses_its_furniture(corpus) -> None:
    original = corpus_bytes(corpus, "seeds/000_ce1cc4cd42ce1422.txt").decode("utf-8")
    text, _ = clean_text(original)
    for junk in ("温馨提示", "网站客服", "第8页 共8页", "下载前"):
        assert junk not in text
    assert "主要预期目标" in text


def test_seed_001_page_markers(corpus) -> None:
    original = corpus_bytes(corpus, "seeds/001_bbc22e12883b5a47.txt").decode("utf-8")
    text, _ = clean_text(original)
    assert "着力打造以资型城市" in text
    assert "特殊限制" not in text and "配套讲稿" not in text


def test_seed_004_page_marker_19(corpus) -> None:
    original = corpus_bytes(corpus, "seeds/004_fd803d36d9783eb8.txt").decode("utf-8")
    text, _ = clean_text(original)
    assert "是我省统筹推进" in text
    assert "\n19、" not in text


def test_page_number_lines_of_a_printed_copy_removed() -> None:
    text, _ = clean_text("新建高标准农田2万亩。\n— 3 —\n二、2025年工作安排\n")
    assert text == "新建高标准农田2万亩。\n二、2025年工作安排"
