"""Each rule, knob and boundary of DOMAIN.md, through the YAML input format and the shipped rules.

Expected verdicts are worked out from DOMAIN.md by hand, never copied from a run.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml

from jzleader import pipeline
from jzleader.ruleset.core import RuleSet
from jzleader.wording import message

from .conftest import award, codes, make_id, paper, person


def run(tmp_path, rules: RuleSet, *people: dict[str, Any]):
    path = tmp_path / "r.yaml"
    path.write_text(yaml.safe_dump({"candidates": list(people)}, allow_unicode=True), encoding="utf-8")
    return pipeline.check([path], rules)


def verdict(tmp_path, rules, **over):
    result = run(tmp_path, rules, person(**over))
    return result.verdicts[0].verdict, codes(result), result.verdicts[0].clauses_met


def test_the_base_candidate_is_eligible(tmp_path, rules):
    assert verdict(tmp_path, rules) == ("eligible", set(), [6])


# --- age: 二、3 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "expected"),
    [(dt.date(1974, 7, 1), "eligible"), (dt.date(1974, 6, 30), "ineligible"), (dt.date(1975, 6, 30), "eligible")],
)
def test_age_on_the_boundary_days(tmp_path, rules, born, expected):
    v, c, _ = verdict(tmp_path, rules, birth_date=born.isoformat(), id_number=make_id(born))
    assert v == expected
    assert ("AGE_OVER_LIMIT" in c) is (expected == "ineligible")


@pytest.mark.parametrize(("written", "expected"), [("1974.06", "ineligible"), ("1974.07", "eligible"), ("1974年7月", "eligible")])
def test_month_only_birth_dates_decide_on_a_month_end_cutoff(tmp_path, rules, written, expected):
    born = dt.date(1974, int(written[5:7].rstrip("月")), 15)
    assert verdict(tmp_path, rules, birth_date=written, id_number=make_id(born))[0] == expected


def test_exclusive_reading_of_45_is_a_knob(tmp_path, rules):
    born = dt.date(1974, 7, 1)  # exactly 45 on the cutoff
    exclusive = rules.with_knob("age_limit_inclusive", False)
    assert verdict(tmp_path, rules, birth_date=born.isoformat(), id_number=make_id(born))[0] == "eligible"
    assert verdict(tmp_path, exclusive, birth_date=born.isoformat(), id_number=make_id(born))[0] == "ineligible"
    younger = dt.date(1975, 7, 1)  # 44
    assert verdict(tmp_path, exclusive, birth_date=younger.isoformat(), id_number=make_id(younger))[0] == "eligible"


def test_a_stated_birth_date_bound_governs(tmp_path, rules):
    bounded = rules.with_rule("age", born_on_or_after=dt.date(1975, 1, 1))
    ok = dt.date(1975, 1, 1)
    late = dt.date(1974, 12, 31)
    assert verdict(tmp_path, bounded, birth_date=ok.isoformat(), id_number=make_id(ok))[0] == "eligible"
    v, c, _ = verdict(tmp_path, bounded, birth_date=late.isoformat(), id_number=make_id(late))
    assert v == "ineligible" and "BORN_BEFORE_BOUND" in c


def test_ambiguous_month_that_decides_the_age_is_review(tmp_path, rules):
    # 1974.1: January -> 46 (fails), October -> 45 (passes); no ID number to settle it
    v, c, _ = verdict(tmp_path, rules, birth_date=1974.1, id_number=None)
    assert v == "review"
    assert {"AGE_UNDECIDABLE", "BIRTH_DATE_AMBIGUOUS", "ID_MISSING"} <= c


def test_ambiguous_month_that_does_not_matter_is_a_notice(tmp_path, rules):
    born = dt.date(1980, 10, 3)
    result = run(tmp_path, rules, person(birth_date=1980.1, id_number=make_id(born)))
    assert result.verdicts[0].verdict == "eligible"
    assert "BIRTH_DATE_AMBIGUOUS" not in codes(result)


def test_the_id_number_settles_an_ambiguous_month(tmp_path, rules):
    january = dt.date(1974, 1, 20)
    result = run(tmp_path, rules, person(birth_date=1974.1, id_number=make_id(january)))
    assert result.verdicts[0].verdict == "ineligible"
    assert "BIRTH_DATE_RESOLVED_BY_ID" in codes(result, severities=("notice",))


@pytest.mark.parametrize("written", ["研究生（同等学力）", "同等学力硕士", "硕士（同等学力）", "同等学力"])
def test_the_equivalent_route_is_a_degree_without_graduate_education(tmp_path, rules, written):
    """DOMAIN §1 (issue 17): 同等学力 is the degree_counts_as_education case, not an unknown 学历.
    A 主治医师 (中级) has no senior title, so the degree decides: review by default, a pass under the knob."""
    v, c, _ = verdict(tmp_path, rules, title="主治医师", education=written)
    assert v == "review" and "DEGREE_WITHOUT_EDUCATION" in c and "EDUCATION_UNKNOWN" not in c
    counted = rules.with_knob("degree_counts_as_education", True)
    result = run(tmp_path, counted, person(title="主治医师", education=written))
    assert result.verdicts[0].verdict == "eligible"
    assert "DEGREE_COUNTED" in {r.code.name for r in result.verdicts[0].reasons}


def test_the_id_number_settles_an_ambiguous_month_as_october_too(tmp_path, rules):
    """DOMAIN §4 (issue 17): a valid ID whose birth date matches one reading settles it, with a notice."""
    october = dt.date(1974, 10, 20)  # October: 45 on 2020-06-30, within the limit
    result = run(tmp_path, rules, person(birth_date=1974.1, id_number=make_id(october)))
    assert result.verdicts[0].verdict == "eligible" and result.verdicts[0].age == "45"
    assert "BIRTH_DATE_RESOLVED_BY_ID" in codes(result, severities=("notice",))
    assert "AGE_UNDECIDABLE" not in codes(result)


def test_an_id_that_matches_neither_reading_settles_nothing(tmp_path, rules):
    """1974.1 is January or October; an ID born in March 1974 matches neither: the column and the ID
    disagree, the verdict hangs on the reading: review (DOMAIN §4, issue 17)."""
    result = run(tmp_path, rules, person(birth_date=1974.1, id_number=make_id(dt.date(1974, 3, 2))))
    assert result.verdicts[0].verdict == "review"
    assert {"AGE_UNDECIDABLE", "BIRTH_DATE_AMBIGUOUS"} <= codes(result)
    assert "BIRTH_DATE_RESOLVED_BY_ID" not in codes(result, severities=("notice",))


def test_a_hard_failure_under_every_reading_is_ineligible_even_with_unclear_identity(tmp_path, rules):
    # a 50-year-old with an ambiguous month and a damaged ID: precedence 1 of DOMAIN.md
    v, c, _ = verdict(tmp_path, rules, birth_date=1970.1, id_number="4.10882197001011E+17")
    assert v == "ineligible" and "AGE_OVER_LIMIT" in c and "ID_PRECISION_LOST" in c


def test_birth_date_column_against_the_id_when_the_verdict_differs(tmp_path, rules):
    old = dt.date(1974, 6, 1)  # 46 by the ID; 40 by the column
    v, c, _ = verdict(tmp_path, rules, birth_date="1980.05", id_number=make_id(old))
    assert v == "review" and {"BIRTH_DATE_MISMATCH", "AGE_UNDECIDABLE"} <= c
    # the knob: a valid ID number governs outright, the difference is only a notice
    v, c, _ = verdict(tmp_path, rules.with_knob("birth_date_source", "id"), birth_date="1980.05", id_number=make_id(old))
    assert v == "ineligible" and "BIRTH_DATE_MISMATCH" not in c


def test_birth_date_column_against_the_id_when_it_does_not_matter(tmp_path, rules):
    other = dt.date(1981, 3, 3)
    result = run(tmp_path, rules, person(birth_date="1980.05", id_number=make_id(other)))
    assert result.verdicts[0].verdict == "eligible"
    assert "BIRTH_DATE_MISMATCH" in codes(result, severities=("notice",))


def test_no_birth_date_anywhere_is_review(tmp_path, rules):
    v, c, _ = verdict(tmp_path, rules, birth_date=None, id_number=None)
    assert v == "review" and "BIRTH_DATE_MISSING" in c


def test_birth_date_from_the_id_when_the_column_is_absent(tmp_path, rules):
    old = dt.date(1970, 1, 1)
    assert verdict(tmp_path, rules, birth_date=None, id_number=make_id(old))[0] == "ineligible"


# --- title or education, exemption: 二、3 --------------------------------------------------------


@pytest.mark.parametrize(
    ("over", "expected", "code"),
    [
        ({"title": "主治医师", "education": "大学本科"}, "ineligible", "QUALIFICATION_NOT_MET"),
        ({"title": "主治医师", "education": "硕士研究生"}, "eligible", None),
        ({"title": "主治医师", "education": "博士研究生"}, "eligible", None),
        ({"title": "主任医师", "education": "大学专科"}, "eligible", None),
        ({"title": "小学高级教师", "education": "大学本科"}, "ineligible", "QUALIFICATION_NOT_MET"),
        ({"title": "高级技师", "education": "大学本科"}, "ineligible", "QUALIFICATION_NOT_MET"),
        ({"title": "主治医师", "education": "大学本科", "degree": "硕士"}, "review", "DEGREE_WITHOUT_EDUCATION"),
        ({"title": "副主任医生", "education": "大学本科"}, "review", "TITLE_UNKNOWN"),
        ({"title": "副主任医生", "education": "硕士研究生"}, "eligible", None),
        ({"title": "讲师", "title_level": "副高级", "education": "大学本科"}, "review", "TITLE_LEVEL_CONFLICT"),
        ({"title": None, "education": None}, "review", "QUALIFICATION_MISSING"),
        ({"title": "主治医师", "education": "同等学力"}, "review", "DEGREE_WITHOUT_EDUCATION"),  # DOMAIN §1: the degree case
        ({"title": None, "title_level": "副高级"}, "eligible", None),
    ],
)
def test_title_or_education(tmp_path, rules, over, expected, code):
    v, c, _ = verdict(tmp_path, rules, **over)
    assert v == expected
    if code:
        assert code in c


def test_a_title_conflict_that_decides_nothing_is_a_notice(tmp_path, rules):
    result = run(tmp_path, rules, person(title="高级工程师", title_level="中级", education="硕士研究生"))
    assert result.verdicts[0].verdict == "eligible"
    assert "TITLE_LEVEL_CONFLICT" in codes(result, severities=("notice",))


def test_degree_knob_both_settings(tmp_path, rules):
    over = {"title": "主治医师", "education": "大学本科", "degree": "硕士"}
    assert verdict(tmp_path, rules, **over)[0] == "review"
    v, _, _ = verdict(tmp_path, rules.with_knob("degree_counts_as_education", True), **over)
    assert v == "eligible"


def test_exemption_lifts_title_and_degree_only_and_is_review(tmp_path, rules):
    v, c, _ = verdict(tmp_path, rules, title="主治医师", exceptional="是", exceptional_reason="援鄂")
    assert v == "review" and "EXEMPTION_CLAIMED" in c
    old = dt.date(1970, 1, 1)
    v, c, _ = verdict(tmp_path, rules, title="主治医师", exceptional="是", birth_date="1970.01", id_number=make_id(old))
    assert v == "ineligible" and "AGE_OVER_LIMIT" in c


def test_exemption_not_needed(tmp_path, rules):
    result = run(tmp_path, rules, person(exceptional="是"))
    assert result.verdicts[0].verdict == "eligible"
    assert "EXEMPTION_NOT_NEEDED" in codes(result, severities=("notice",))


# --- scope: 一 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "code"),
    [("holds_provincial_title", "EXCLUDED_PROVINCIAL_TITLE"), ("leadership_post", "EXCLUDED_LEADERSHIP")],
)
def test_exclusions(tmp_path, rules, flag, code):
    v, c, _ = verdict(tmp_path, rules, **{flag: "√"})
    assert v == "ineligible" and code in c
    assert verdict(tmp_path, rules, **{flag: "否"})[0] == "eligible"
    v, c, _ = verdict(tmp_path, rules, **{flag: "待定"})
    assert v == "review" and "FLAG_UNREADABLE" in c


# --- achievements: 二、4 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("awards", "expected", "met"),
    [
        ([award("省部级", "二等奖", rank=5)], "eligible", [1]),
        ([award("国家级", "二等奖", "技术发明奖")], "eligible", [1]),
        ([award("省部级", "一等奖", "自然科学奖")], "eligible", [1]),
        ([award("省部级", "三等奖")], "ineligible", []),
        ([award("市厅级", "一等奖")], "eligible", [1]),  # 市（厅）级科技进步一等奖一项
        ([award("市厅级", "二等奖"), award("市厅级", "二等奖")], "eligible", [1]),  # 二等奖二项
        ([award("市厅级", "二等奖")], "ineligible", []),  # one 二等奖 is short
        ([award("市厅级", "二等奖"), award("市厅级", "三等奖")], "ineligible", []),
        ([award("市厅级", "一等奖", "自然科学奖")], "ineligible", []),  # only 科技进步 at 市厅级
        ([award("县级", "一等奖")], "ineligible", []),
        ([award("省部级", "二等奖", "社会科学优秀成果奖")], "eligible", [2]),
        ([award("市厅级", "一等奖", "社会科学优秀成果奖")], "ineligible", []),
    ],
)
def test_award_clauses(tmp_path, rules, awards, expected, met):
    v, c, clauses = verdict(tmp_path, rules, honours=None, awards=awards)
    assert (v, clauses) == (expected, met)
    if expected == "ineligible":
        assert c == {"NO_ACHIEVEMENT"}


def test_main_contributor_rank_knob(tmp_path, rules):
    tight = rules.with_knob("main_contributor_max_rank", {"省部级": 7})
    assert verdict(tmp_path, rules, honours=None, awards=[award("省部级", "二等奖", rank=9)])[0] == "eligible"
    assert verdict(tmp_path, tight, honours=None, awards=[award("省部级", "二等奖", rank=9)])[0] == "ineligible"
    assert verdict(tmp_path, tight, honours=None, awards=[award("省部级", "二等奖", rank=7)])[0] == "eligible"
    v, c, _ = verdict(tmp_path, tight, honours=None, awards=[award("省部级", "二等奖")])
    assert v == "review" and "AWARD_RANK_UNKNOWN" in c


def test_declared_level_contradicted_by_the_awarding_body(tmp_path, rules):
    from_ting = award("省部级", "二等奖", body="河南省教育厅")  # a 厅 is 厅级 = 市厅级
    v, c, _ = verdict(tmp_path, rules, honours=None, awards=[from_ting])
    assert v == "review" and {"AWARD_LEVEL_CONFLICT", "CLAUSE_UNCERTAIN"} <= c
    result = run(tmp_path, rules, person(awards=[from_ting]))  # clause 6 is met anyway
    assert result.verdicts[0].verdict == "eligible"
    assert "AWARD_LEVEL_CONFLICT" in codes(result, severities=("notice",))
    by_government = award("省部级", "二等奖", body="河南省人民政府")
    assert verdict(tmp_path, rules, honours=None, awards=[by_government])[0] == "eligible"


@pytest.mark.parametrize(
    ("pubs", "expected"),
    [
        ([paper(), paper(), paper()], "eligible"),
        ([paper("北大核心"), paper("SCI"), paper()], "eligible"),
        ([paper(), paper()], "ineligible"),  # two papers are short
        ([paper(), paper(), paper("市级")], "ineligible"),
        ([paper(), paper(), paper(own="否")], "ineligible"),
        ([paper(), paper(), paper(own=None)], "review"),  # 是否本专业 not stated
        ([paper(kind="专著")], "eligible"),
    ],
)
def test_publication_clause(tmp_path, rules, pubs, expected):
    assert verdict(tmp_path, rules, honours=None, publications=pubs)[0] == expected


def test_author_rank_knob(tmp_path, rules):
    pubs = [paper(rank=2), paper(rank=1), paper(rank=1)]
    assert verdict(tmp_path, rules, honours=None, publications=pubs)[0] == "eligible"
    assert verdict(tmp_path, rules.with_knob("max_author_rank", 1), honours=None, publications=pubs)[0] == "ineligible"


@pytest.mark.parametrize(
    ("projects", "expected"),
    [
        ([{"project": "重点工程", "level": "市级", "role": "主持"}], "review"),
        ([{"project": "重点工程", "level": "省部级", "role": "主要技术负责人"}], "review"),
        ([{"project": "重点工程", "level": "县级", "role": "主持"}], "ineligible"),
        ([{"project": "重点工程", "level": "市级", "role": "参与"}], "ineligible"),
    ],
)
def test_project_clause_is_always_a_judgement(tmp_path, rules, projects, expected):
    v, c, clauses = verdict(tmp_path, rules, honours=None, projects=projects)
    assert v == expected and clauses == []
    if expected == "review":
        assert c == {"CLAUSE_NEEDS_JUDGEMENT"}


def test_statement_opens_clauses_5_and_7_to_judgement(tmp_path, rules):
    result = run(tmp_path, rules, person(honours=None, field="生产", statement="主持技术改造12项"))
    assert result.verdicts[0].verdict == "review"
    opened = {r.clause for r in result.verdicts[0].reasons if r.code.name == "CLAUSE_NEEDS_JUDGEMENT"}
    assert opened == {"二、4(5)", "二、4(7)"}


@pytest.mark.parametrize(
    ("field", "level", "statement", "expected", "met"),
    [
        ("教育", "市级", None, "eligible", [6]),
        ("文化艺术", "省部级", None, "eligible", [6]),
        ("卫生", "县级", None, "ineligible", []),
        ("科研", "市级", None, "review", []),  # 等: whether 科研 is like 教育卫生… is a judgment
        ("卫生", None, "业绩突出", "review", []),  # the 公认骨干权威 half, and clauses 5 and 7
    ],
)
def test_honour_clause(tmp_path, rules, field, level, statement, expected, met):
    honours = [{"honour": "称号", "level": level}] if level else None
    assert verdict(tmp_path, rules, field=field, honours=honours, statement=statement)[::2] == (expected, met)


def test_nothing_at_all_is_ineligible(tmp_path, rules):
    assert verdict(tmp_path, rules, honours=None) == ("ineligible", {"NO_ACHIEVEMENT"}, [])


# --- identity and materials ---------------------------------------------------------------------


def test_same_id_in_two_files_is_the_same_person_twice(tmp_path, rules):
    a = tmp_path / "a.yaml"
    b = tmp_path / "b.yaml"
    a.write_text(yaml.safe_dump({"candidates": [person()]}, allow_unicode=True), encoding="utf-8")
    b.write_text(yaml.safe_dump({"candidates": [person(unit="孟州市")]}, allow_unicode=True), encoding="utf-8")
    result = pipeline.check([a, b], rules)
    assert [v.verdict for v in result.verdicts] == ["review", "review"]
    dup = [r for r in result.verdicts[1].reasons if r.code.name == "DUPLICATE_ID"][0]
    assert "a.yaml第1行" in message(dup)


@pytest.mark.parametrize(
    ("id_number", "code"),
    [
        ("410882198005061235", "ID_BAD_CHECKSUM"),
        (None, "ID_MISSING"),
        ("4.10882198005061E+17", "ID_PRECISION_LOST"),
        (4.10882198005061e17, "ID_YAML_INEXACT"),
    ],  # fmt: skip
)
def test_unsettled_identity_is_review(tmp_path, rules, id_number, code):
    v, c, _ = verdict(tmp_path, rules, id_number=id_number)
    assert v == "review" and code in c


def test_material_problems_are_notices(tmp_path, rules):
    result = run(tmp_path, rules, person(assessment_chars=2500, **{"推荐报告": "否"}))
    assert result.verdicts[0].verdict == "eligible"
    assert {"ASSESSMENT_TOO_LONG", "MATERIAL_MISSING"} <= codes(result, severities=("notice",))
