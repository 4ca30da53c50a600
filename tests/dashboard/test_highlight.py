"""Highlighting the words a pledge and its evidence share, as the dashboard renders it (no database)."""

from tracker.dashboard.highlight import highlight, highlight_many


def test_shared_words_are_marked_on_both_sides():
    plan, review = "新建高标准农田3万亩", "全年新建高标准农田3.2万亩"
    # A figure is one token: 3万亩 and 3.2万亩 differ, so neither is marked, not even the 3 or 万亩.
    assert highlight(plan, review) == "<mark>新建高标准农田</mark>3万亩"
    assert highlight(review, plan) == "全年<mark>新建高标准农田</mark>3.2万亩"


def test_figures_are_marked_whole_with_their_unit_or_not_at_all():
    # The 12 of 1256 and of 1200 is no agreement: digits are never marked in part.
    assert highlight("城镇新增就业1256万人", "城镇新增就业1200万人以上") == "<mark>城镇新增就业</mark>1256万人"
    assert highlight("增长5%，粮食1.4万亿斤", "生产总值增长5%左右，粮食1.4万亿斤以上") == (
        "<mark>增长5%</mark>，<mark>粮食1.4万亿斤</mark>"
    )


def test_single_characters_and_punctuation_are_not_matches():
    assert "<mark>" not in highlight("推进，改革", "，推")
    assert highlight("的发展", "的") == "的发展"


def test_plan_side_marks_words_from_every_evidence_span_but_never_across_two():
    html = highlight_many("新建农田改造小区", ["新建农田", "改造小区"])
    assert html == "<mark>新建农田改造小区</mark>"
    assert "<mark>" not in highlight_many("田改", ["农田", "改造"])


def test_text_is_escaped():
    html = highlight("<b>新建</b>农田", "新建农田")
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert "<mark>新建</mark>" in html
    assert str(highlight("<b>", "")) == "&lt;b&gt;"
