"""Shared-word highlighting (pure, no database)."""

from tracker.highlight import highlight_html, highlight_segments, shared_mask, shared_share


def test_shared_bigrams_are_marked_and_lone_characters_are_not():
    segments = highlight_segments("新建高标准农田2万亩", "全年新建高标准农田二点一万亩")
    assert "".join(part for part, _ in segments) == "新建高标准农田2万亩"
    marked = [part for part, is_marked in segments if is_marked]
    assert marked == ["新建高标准农田"]  # 2万亩 is not the review's figure, so no part of it is marked


def test_punctuation_never_counts_as_a_match():
    assert not any(shared_mask("，。、", "，。、"))


def test_html_is_escaped_outside_and_inside_marks():
    html = highlight_html("<b>高标准</b>农田", "高标准农田")
    assert html == "&lt;b&gt;<mark>高标准</mark>&lt;/b&gt;<mark>农田</mark>"


def test_share_of_highlighted_content():
    assert shared_share("高标准农田", "高标准农田") == 1.0
    assert shared_share("高标准农田", "交通枢纽") == 0.0
    assert shared_share("", "x") == 0.0
