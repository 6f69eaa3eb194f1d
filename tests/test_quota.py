"""quota-report: the attachment's table, unit names as people write them, the COVID-19 exemption, the deadline."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml
from click.testing import CliRunner

from jzleader import pipeline
from jzleader.cli import cli
from jzleader.quota import tally
from jzleader.ruleset.units import UnitBook
from jzleader.wording import message

from .conftest import make_id, person

_seq = iter(range(100, 999))


def someone(unit: str, **over):
    """An eligible candidate of `unit` with an ID of their own."""
    n = next(_seq)
    return person(**{"name": f"人{n}", "unit": unit, "id_number": make_id(dt.date(1980, 5, 6), seq=str(n)), **over})


def write_round(path, people, units=None):
    data = {"candidates": people}
    if units:
        data["units"] = units
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def report_for(tmp_path, rules, people, units=None):
    result = pipeline.check([write_round(tmp_path / "r.yaml", people, units)], rules)
    return tally(result, rules.quotas)


def unit(report, name):
    return next(u for u in report.units if u.unit == name)


def problem_codes(report):
    return [r.code.name for r in report.problems]


def test_the_shipped_table_is_the_attachment(rules):
    q = rules.quotas
    groups = {g.name: (len(g.units), g.total) for g in q.groups}
    assert groups == {"县市区": (11, 50), "市直单位": (20, 52)}
    assert q.total == 102 and q.selection_target == 50 and q.deadline.date == dt.date(2020, 7, 10)
    table = {u.name: u.quota for u in q.units()}
    assert table["沁阳市"] == 5 and table["示范区"] == 4 and table["卫计委"] == 5 and table["其它"] == 15
    assert q.over_quota.value == "error"


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("沁阳市", "沁阳市"),
        ("沁阳", "沁阳市"),
        ("焦作市卫生健康委员会", "卫计委"),
        ("卫健委", "卫计委"),
        ("市生态环境局", "环保局"),
        ("工信局", "工信委"),
        ("文化广电和旅游局", "文广旅"),
        ("焦作师范高等专科学校", "焦作师专"),
        ("焦作城乡一体化示范区", "示范区"),
        ("焦作技师学院", "技师学院"),
        ("市委党校", "市委党校"),
        ("沁阳市人社局", "沁阳市"),
        ("ＳＨＩ 教育局".replace("ＳＨＩ ", "焦作市 "), "教育局"),  # a space and the 焦作市 prefix
        ("孟州市人力资源和社会保障局", "孟州市"),
    ],
)
def test_unit_aliases(rules, written, canonical):
    m = UnitBook(rules.quotas).match(written)
    assert (m.how, m.unit) == ("listed", canonical)


def test_a_typo_is_suggested_and_counted_nowhere(tmp_path, rules):
    report = report_for(tmp_path, rules, [someone("泌阳市"), someone("沁阳市")])
    assert unit(report, "沁阳市").recommended == 1
    typo = next(r for r in report.problems if r.code.name == "UNIT_TYPO")
    assert typo.params["suggestion"] == "沁阳市"
    assert "是否为“沁阳市”" in message(typo)
    assert report.unknown_units == 1 and report.has_findings


def test_an_unlisted_municipal_unit_goes_to_the_pool_and_is_named(tmp_path, rules):
    report = report_for(tmp_path, rules, [someone("市统计局"), someone("焦作市审计局")])
    pool = unit(report, "其它")
    assert pool.recommended == 2 and pool.pooled_units == ["市统计局", "焦作市审计局"]
    assert problem_codes(report).count("UNIT_POOLED") == 2
    assert not report.has_findings


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [("泌阳市", "沁阳市", True), ("孟州", "孟洲", True), ("沁阳市", "沁阳", True), ("审计局", "教育局", False),
     ("统计局", "科技局", False), ("沁阳市", "沁阳市", False)],
)  # fmt: skip
def test_one_wrong_character(a, b, expected):
    from jzleader.ruleset.units import one_edit

    assert one_edit(a, b) is expected


def test_an_unlisted_county_is_never_pooled(tmp_path, rules):
    report = report_for(tmp_path, rules, [someone("济源市")])
    assert problem_codes(report) == ["UNIT_UNKNOWN"]
    assert unit(report, "其它").recommended == 0 and report.has_findings


def test_over_quota_is_an_error_by_default_and_a_knob(tmp_path, rules):
    people = [someone("温县") for _ in range(6)]
    report = report_for(tmp_path, rules, people)
    wen = unit(report, "温县")
    assert (wen.quota, wen.recommended, wen.counted, wen.over) == (5, 6, 6, 1)
    over = next(r for r in report.problems if r.code.name == "UNIT_OVER_QUOTA")
    assert all(p["name"] in message(over) for p in people)
    assert report.has_findings
    lenient = rules.quotas.model_copy(update={"over_quota": rules.quotas.over_quota.model_copy(update={"value": "warning"})})
    assert not tally(pipeline.check([tmp_path / "r.yaml"], rules), lenient).has_findings


def test_covid_exemption_granted_takes_the_candidate_out_of_the_count(tmp_path, rules):
    covid = {"covid_contribution": "是", "covid_category": "参加援鄂应急医疗队"}
    people = [someone("温县") for _ in range(5)] + [someone("温县", **covid)]
    wen = unit(report_for(tmp_path, rules, people), "温县")
    assert (wen.recommended, wen.exempt, wen.counted, wen.over) == (6, 1, 5, 0)


def test_a_blank_category_is_a_notice_to_fill_in_never_a_refusal(tmp_path, rules):
    """DOMAIN §1 四: the list of contributions follows 特别是: examples, not conditions (issue 17)."""
    people = [someone("温县") for _ in range(5)] + [someone("温县", covid_contribution="是", covid_category=None)]
    report = report_for(tmp_path, rules, people)
    wen = unit(report, "温县")
    assert (wen.recommended, wen.exempt, wen.counted, wen.over) == (6, 1, 5, 0)
    assert "COVID_EXEMPTION_REFUSED" not in problem_codes(report)
    missing = next(r for r in report.problems if r.code.name == "COVID_CATEGORY_MISSING")
    assert "请推荐单位补填" in message(missing)
    exempt = next(r for r in report.problems if r.code.name == "COVID_EXEMPT")
    assert "（类别未注明）" in message(exempt)


@pytest.mark.parametrize(
    ("over", "why"),
    [
        ({"tilt_used": "是"}, "已享受过"),
        ({"birth_date": "1960.01", "id_number": None}, "不符合"),  # ineligible: too old
    ],
    ids=["tilt-already-used", "ineligible"],
)
def test_covid_exemption_refused_says_why(tmp_path, rules, over, why):
    flags = {"covid_contribution": "是", "covid_category": "发热门诊", **over}
    people = [someone("温县") for _ in range(5)] + [someone("温县", **flags)]
    report = report_for(tmp_path, rules, people)
    wen = unit(report, "温县")
    assert (wen.exempt, wen.counted, wen.over) == (0, 6, 1)
    refused = next(r for r in report.problems if r.code.name == "COVID_EXEMPTION_REFUSED")
    assert why in message(refused)


@pytest.mark.parametrize(("submitted", "late"), [("2020-07-10", False), ("2020-07-11", True), ("2020.07", None)])
def test_deadline(tmp_path, rules, submitted, late):
    report = report_for(tmp_path, rules, [someone("温县")], units=[{"unit": "温县", "submitted": submitted}])
    assert unit(report, "温县").late is bool(late)
    codes = problem_codes(report)
    assert ("UNIT_LATE" in codes) is (late is True)
    assert ("UNIT_DATE_UNKNOWN" in codes) is (late is None)  # July 2020 straddles the 10th


def test_a_file_with_one_unit_speaks_for_candidates_without_a_unit(tmp_path, rules):
    report = report_for(tmp_path, rules, [someone("")], units=[{"unit": "孟州市", "submitted": "2020-07-01"}])
    assert unit(report, "孟州市").recommended == 1


def test_json_shape_and_exit_codes(tmp_path):
    runner = CliRunner()
    path = write_round(tmp_path / "r.yaml", [someone("温县") for _ in range(2)])
    result = runner.invoke(cli, ["quota-report", str(path), "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0
    payload = json.loads(result.output)
    assert len(payload["units"]) == 31  # every unit of the table, with zeros
    for u in payload["units"]:
        assert set(u) >= {"unit", "group", "quota", "recommended", "exempt", "counted", "over", "late"}
    assert set(payload["totals"]) >= {"quota", "recommended", "exempt", "counted"}
    assert payload["totals"]["quota"] == 102 and payload["totals"]["recommended"] == 2
    wen = next(u for u in payload["units"] if u["unit"] == "温县")
    assert (wen["group"], wen["quota"], wen["recommended"], wen["late"]) == ("县市区", 5, 2, False)
    for p in payload["problems"]:
        assert set(p) >= {"code", "message", "row"}
    over = write_round(tmp_path / "o.yaml", [someone("林业局") for _ in range(3)])
    assert runner.invoke(cli, ["quota-report", str(over)]).exit_code == 1
    assert runner.invoke(cli, ["quota-report", str(tmp_path / "missing.xlsx")]).exit_code == 2


def test_without_files_the_allocation_table_is_printed():
    result = CliRunner().invoke(cli, ["quota-report"], catch_exceptions=False)
    assert result.exit_code == 0
    for name in ("沁阳市", "示范区", "卫计委", "焦作日报社", "其它", "102", "2018"):
        assert name in result.output
    payload = json.loads(CliRunner().invoke(cli, ["quota-report", "--format", "json"]).output)
    assert payload["totals"] == {"quota": 102, "recommended": 0, "exempt": 0, "counted": 0, "over": 0}
    assert payload["groups"]["县市区"]["quota"] == 50 and payload["groups"]["市直单位"]["quota"] == 52


def test_the_quota_report_lists_the_units_in_the_files_and_what_must_still_be_cut(tmp_path):
    """Issue 18, worked out by hand for the bundled example: 沁阳市 recommends 12, 郑华 is exempt (疫情防控), so
    11 count against a quota of 5 (6 over); 王强, 赵敏, 陈静, 周杰 and 孙丽 are 不符合, so once they are dropped 6
    remain: one more must go. The other 30 units sent nothing."""
    import json
    from pathlib import Path

    from click.testing import CliRunner

    from jzleader.cli import cli

    example = str(Path(__file__).parents[1] / "examples" / "沁阳市推荐人选.xlsx")
    out = CliRunner().invoke(cli, ["quota-report", example], env={"COLUMNS": "120"}).stdout
    assert "│ 沁阳市 " in out and "│ 孟州市 " not in out
    assert "其余 30 个单位未报送（加 --all 列出全部单位）" in out
    assert "沁阳市超出指标 6 名；去掉不符合的 5 人后仍超出 1 名，须再减少 1 人" in out
    every = CliRunner().invoke(cli, ["quota-report", example, "--all"], env={"COLUMNS": "120"}).stdout
    assert "│ 孟州市 " in every and "未报送" not in every
    doc = json.loads(CliRunner().invoke(cli, ["quota-report", example, "--format", "json"]).stdout)
    qinyang = next(u for u in doc["units"] if u["unit"] == "沁阳市")
    assert sorted(qinyang["ineligible_names"]) == sorted(["王强", "赵敏", "陈静", "周杰", "孙丽"])
    assert (qinyang["counted"], qinyang["over"], qinyang["over_after_ineligible"]) == (11, 6, 1)
    assert len(doc["units"]) == 31  # the JSON always holds every unit
