import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jzleader.values import (
    PartialDate,
    age_range,
    completed_years,
    parse_bool,
    parse_date,
    parse_degree,
    parse_education,
    parse_int,
    parse_level,
    parse_venue_level,
)


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        ("1975.07", None, PartialDate(1975, 7)),
        ("1975.7", None, PartialDate(1975, 7)),
        ("1975年7月", None, PartialDate(1975, 7)),
        ("1975年07月05日", None, PartialDate(1975, 7, 5)),
        ("1975-07-05", None, PartialDate(1975, 7, 5)),
        ("1975/7/5", None, PartialDate(1975, 7, 5)),
        ("19750705", None, PartialDate(1975, 7, 5)),
        ("197507", None, PartialDate(1975, 7)),
        ("１９７５．０７", None, PartialDate(1975, 7)),  # full-width, as a Chinese IME types it
        (" 1975. 07 ", None, PartialDate(1975, 7)),
        ("1975-07-05 00:00:00", None, PartialDate(1975, 7, 5)),
        (dt.datetime(1975, 7, 5), "yyyy-mm-dd", PartialDate(1975, 7, 5)),
        (dt.date(1976, 2, 29), None, PartialDate(1976, 2, 29)),
        (1975.07, "General", PartialDate(1975, 7)),
        (1975.1, "0.00", PartialDate(1975, 10)),  # the cell shows 1975.10
        (1975.12, None, PartialDate(1975, 12)),
        (1975, None, PartialDate(1975)),
        ("1975.2", None, PartialDate(1975, 2)),  # .2 cannot be .20
    ],
)
def test_dates_read(value, fmt, expected):
    parsed = parse_date(value, fmt)
    assert parsed.readings == (expected,)


@pytest.mark.parametrize(("value", "fmt"), [(1975.1, None), (1975.1, "General"), ("1975.1", None), (1975.1, "0.0")])
def test_1975_1_without_a_two_decimal_format_is_ambiguous(value, fmt):
    parsed = parse_date(value, fmt)
    assert parsed.ambiguous
    assert set(parsed.readings) == {PartialDate(1975, 1), PartialDate(1975, 10)}


def test_bare_excel_serial_is_read_as_date_and_says_so():
    parsed = parse_date(27580, "General")  # 1975-07-05 (openpyxl to_excel) with its date format lost
    assert parsed.readings == (PartialDate(1975, 7, 5),)
    assert parsed.serial


@pytest.mark.parametrize("value", ["不详", "1975.13", "1975年13月", "2月30日", "1975-02-30", True])
def test_unreadable_dates(value):
    assert parse_date(value).unreadable


def test_blank_date():
    assert parse_date("  ").blank and not parse_date("  ").unreadable


@pytest.mark.parametrize(
    ("birth", "age"),
    [
        (dt.date(1974, 7, 1), 45),  # the boundary days of DOMAIN.md
        (dt.date(1974, 6, 30), 46),
        (dt.date(1975, 6, 30), 45),
        (dt.date(1975, 7, 1), 44),
    ],
)
def test_completed_years_on_cutoff(birth, age):
    assert completed_years(birth, dt.date(2020, 6, 30)) == age


def test_29_february_birthday_is_reached_on_1_march_in_a_common_year():
    born = dt.date(1976, 2, 29)
    assert completed_years(born, dt.date(2021, 2, 28)) == 44
    assert completed_years(born, dt.date(2021, 3, 1)) == 45
    assert completed_years(born, dt.date(2020, 2, 29)) == 44


def test_month_precision_decides_age_on_a_month_end_cutoff():
    cutoff = dt.date(2020, 6, 30)
    assert age_range(PartialDate(1974, 6), cutoff) == (46, 46)
    assert age_range(PartialDate(1974, 7), cutoff) == (45, 45)
    assert age_range(PartialDate(1974, 6), dt.date(2020, 6, 15)) == (45, 46)  # mid-month: undecidable


@given(st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_every_written_form_of_a_date_reads_back(day):
    for text in (
        f"{day.year}-{day.month:02d}-{day.day:02d}",
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.year}.{day.month:02d}.{day.day:02d}",
        f"{day.year}{day.month:02d}{day.day:02d}",
    ):
        assert parse_date(text).readings == (PartialDate(day.year, day.month, day.day),), text


@given(st.integers(1901, 2099), st.integers(1, 12))
def test_month_only_forms_read_back(year, month):
    for text in (f"{year}.{month:02d}", f"{year}年{month}月", f"{year}-{month:02d}"):
        assert parse_date(text).readings == (PartialDate(year, month),), text
    formatted = parse_date(float(f"{year}.{month:02d}"), "0.00")
    assert formatted.readings == (PartialDate(year, month),)


@given(st.dates(min_value=dt.date(1901, 1, 1)), st.dates(min_value=dt.date(1901, 1, 1)))
def test_age_is_monotonic_and_changes_on_the_birthday(birth, on):
    if on < birth:
        return
    age = completed_years(birth, on)
    assert age >= 0
    assert completed_years(birth, on + dt.timedelta(days=1)) in (age, age + 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("是", True), ("√", True), ("Y", True), ("1", True), (1, True), ("否", False), ("×", False),
     ("N", False), ("0", False), (None, False), ("", False), ("  ", False), ("待定", None)],
)  # fmt: skip
def test_booleans(value, expected):
    assert parse_bool(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("硕士研究生", "硕士研究生"), ("博士研究生", "博士研究生"), ("研究生（硕士）", "硕士研究生"),
     ("在职研究生", "研究生"), ("大学本科", "大学本科"), ("本科", "大学本科"), ("大专", "大学专科"),
     ("中专", "中专及以下"), ("同等学力", "同等学力"), ("其他", None)],
)  # fmt: skip
def test_education(value, expected):
    assert parse_education(value) == expected


def test_degree_and_levels():
    assert parse_degree("工学硕士") == "硕士"
    assert parse_degree("博士学位") == "博士"
    assert parse_level("省级") == "省部级"
    assert parse_level("市（厅）级") == "市厅级"
    assert parse_venue_level("SCI") == "国际"
    assert parse_venue_level("北大核心") == "国家级"
    assert parse_venue_level("CSSCI") == "国家级"  # contains "SCI" but is a Chinese index
    assert parse_venue_level("SSCI") == "国际"
    assert parse_venue_level("EI收录") == "国际"
    assert parse_venue_level("CSCD核心") == "国家级"
    assert parse_int("３") == 3 and parse_int("第2名") == 2 and parse_int("两") is None


def test_the_rule_file_models_name_the_same_values_as_the_vocabulary():
    """The Literal types of the rule files cannot be built from vocab.py (mypy reads them as written): keep them equal."""
    from typing import get_args

    from jzleader import vocab
    from jzleader.ruleset import models

    assert get_args(models.TitleLevel) == vocab.TITLE_LEVELS
    assert get_args(models.Education) == vocab.EDUCATIONS[:4]  # 中专及以下 never qualifies: not a threshold
    assert get_args(models.Level) == vocab.LEVELS
    assert get_args(models.Grade) == vocab.GRADES
    assert get_args(models.Category) == vocab.AWARD_CATEGORIES
    assert get_args(models.Venue) == vocab.VENUES
    assert get_args(models.Role) == vocab.ROLES


def test_every_value_the_parsers_give_is_in_the_vocabulary():
    """The parsers' tables name their canonical values as text; vocab.py is where those values are defined."""
    from jzleader import values, vocab

    tables = {
        values._EDUCATION: (*vocab.EDUCATIONS, vocab.GRADUATE, vocab.EQUIVALENT),
        values._DEGREE: vocab.DEGREES,
        values._TITLE_LEVEL: vocab.TITLE_LEVELS,
        values._LEVEL: vocab.LEVELS,
        values._GRADE: (*vocab.GRADES, "优秀奖"),
        values._CATEGORY: vocab.AWARD_CATEGORIES,
        values._VENUE: vocab.VENUES,
        values._PUB_KIND: vocab.PUBLICATION_KINDS,
        values._ROLE: vocab.ROLES,
    }
    for table, allowed in tables.items():
        assert {canonical for _, canonical in table} <= set(allowed)
    assert set(values._VENUE_INDEX.values()) <= set(vocab.VENUES)
    assert {level for _, level in values._BODY_LEVEL} <= set(vocab.LEVELS)
