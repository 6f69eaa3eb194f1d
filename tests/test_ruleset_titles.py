import pytest

from jzleader.ruleset.titles import TitleBook


@pytest.fixture(scope="module")
def book(rules):
    return TitleBook(rules.titles)


@pytest.mark.parametrize(
    ("written", "level"),
    [
        # the traps of TITLES.md
        ("小学高级教师", "中级"),
        ("一级教师", "中级"),
        ("中学一级教师", "中级"),
        ("高级教师", "副高级"),
        ("中学高级教师", "副高级"),
        ("讲师", "中级"),
        ("高级讲师", "副高级"),
        ("主任记者", "副高级"),
        ("主任编辑", "副高级"),
        ("主任播音员", "副高级"),
        ("编辑", "中级"),
        ("翻译", "中级"),
        ("一级翻译", "副高级"),
        ("国家一级演员", "正高级"),
        ("一级演员", "正高级"),
        ("一级教练", "中级"),
        ("高级记者", "正高级"),
        # specialty suffixes and prefixes are stripped
        ("副主任医师（内科）", "副高级"),
        ("副主任医师(内科)", "副高级"),
        ("高级工程师(电气)", "副高级"),
        ("内科副主任医师", "副高级"),
        ("心内科主任医师", "正高级"),
        # old and long names
        ("教授级高级工程师", "正高级"),
        ("研究员级高级工程师", "正高级"),
        ("正高级工程师", "正高级"),
        ("副教授", "副高级"),
        ("教授", "正高级"),
        ("主治医师", "中级"),
        ("农业技术推广研究员", "正高级"),
        ("副研究馆员", "副高级"),
        ("高级经济师", "副高级"),
        ("助理工程师", "初级"),
        ("技师", "初级"),
        (" 高级 工程师 ", "副高级"),  # stray spaces
    ],
)
def test_title_levels(book, written, level):
    assert book.lookup(written).level == level


@pytest.mark.parametrize("written", ["高级技师", "一级技师", "高级工"])
def test_worker_skill_grades_are_not_titles(book, written):
    match = book.lookup(written)
    assert match.not_a_title and match.level is None


def test_a_level_word_before_a_known_title_is_never_stripped(book):
    # 小学 changes 高级教师 into another title; an unknown 见习/副 prefix must not be dropped either
    assert book.lookup("见习高级教师").level is None
    assert book.lookup("副高级记者").level is None


def test_unknown_title_is_reported_with_close_matches_never_guessed(book):
    match = book.lookup("副主任医生")
    assert match.level is None and match.canonical is None
    assert "副主任医师" in match.suggestions
    assert book.lookup("高級工程師").level is None  # traditional characters: suggested, not guessed
    assert "高级工程师" in book.lookup("高級工程師").suggestions


def test_every_title_has_exactly_one_level(rules):
    levels = {}
    for series in rules.titles.series:
        for level, names in series.titles.items():
            for name in names:
                assert levels.setdefault(name, level) == level, name
