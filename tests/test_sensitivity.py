"""sensitivity: a round where each knob flips a known candidate, and one where none flips anything."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from jzleader import pipeline
from jzleader.cli import cli

from .conftest import award, make_id, paper, person

EXACTLY_45 = dt.date(1974, 7, 1)


def flipping_round():
    return [
        person(name="恰满45周岁", birth_date=EXACTLY_45.isoformat(), id_number=make_id(EXACTLY_45)),
        person(name="本科加硕士学位", title="主治医师", degree="硕士", id_number=make_id(dt.date(1980, 5, 6), seq="201")),
        person(name="排名第9", honours=None, awards=[award("省部级", "二等奖", rank=9)],
               id_number=make_id(dt.date(1980, 5, 6), seq="202")),
        person(name="档案与身份证不一致", birth_date="1980.05", id_number=make_id(dt.date(1974, 6, 1), seq="203")),
        person(name="第二作者", honours=None, publications=[paper(rank=2), paper(rank=2), paper(rank=2)],
               id_number=make_id(dt.date(1980, 5, 6), seq="204")),
    ]  # fmt: skip


def write(path, people):
    path.write_text(yaml.safe_dump({"candidates": people}, allow_unicode=True), encoding="utf-8")
    return path


def flips_by_knob(result):
    out = {}
    for run in result.runs:
        out.setdefault(run.knob, {}).update({f.before.candidate.name: (f.before.verdict, f.after.verdict) for f in run.flips})
    return out


def test_each_knob_flips_the_candidate_it_should(tmp_path, rules):
    result = pipeline.sensitivity([write(tmp_path / "r.yaml", flipping_round())], rules)
    assert flips_by_knob(result) == {
        "age_limit_inclusive": {"恰满45周岁": ("eligible", "ineligible")},
        "birth_date_source": {"档案与身份证不一致": ("review", "ineligible")},
        "degree_counts_as_education": {"本科加硕士学位": ("review", "eligible")},
        "main_contributor_max_rank": {"排名第9": ("eligible", "ineligible")},
        "max_author_rank": {"第二作者": ("eligible", "ineligible")},
    }
    assert result.hanging == 5


def test_a_round_where_no_reading_matters(tmp_path, rules):
    result = pipeline.sensitivity([write(tmp_path / "r.yaml", [person()])], rules)
    assert [run.flips for run in result.runs] == [[] for _ in result.runs]
    assert {run.knob for run in result.runs} == set(type(rules.criteria.knobs).model_fields)  # every knob was tried
    out = CliRunner().invoke(cli, ["sensitivity", str(tmp_path / "r.yaml")], catch_exceptions=False).output
    assert out.count("没有人选的结论因此改变") == len(result.runs)


def test_json_shape(tmp_path):
    path = write(tmp_path / "r.yaml", flipping_round())
    result = CliRunner().invoke(cli, ["sensitivity", str(path), "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0
    payload = json.loads(result.output)
    for knob in payload["knobs"]:
        assert set(knob) >= {"knob", "clause", "default", "alternative", "flips"}
        for flip in knob["flips"]:
            assert set(flip) >= {"row", "name", "unit", "from", "to"}
            assert flip["from"] in ("eligible", "review", "ineligible") and isinstance(flip["row"], int)
    degree = next(k for k in payload["knobs"] if k["knob"] == "degree_counts_as_education")
    assert (degree["clause"], degree["default"], degree["alternative"]) == ("二、3", False, True)
    assert degree["flips"] == [
        {**degree["flips"][0], "row": 2, "name": "本科加硕士学位", "unit": "沁阳市", "from": "review", "to": "eligible"}
    ]
    assert "硕士研究生以上学历" in degree["quote"]


def test_in_the_officers_words(tmp_path, rules):
    """Issue 18: each knob by the question the rule file asks, its readings written out, the reasons in Chinese;
    the same words in the JSON (label, default_words, alternative_words) and the report's 口径影响 sheet."""
    import openpyxl

    path = write(tmp_path / "r.yaml", flipping_round())
    out = CliRunner().invoke(cli, ["sensitivity", str(path)], env={"COLUMNS": "200"}, catch_exceptions=False).stdout
    knob = rules.criteria.knobs.age_limit_inclusive
    assert knob.label == "“45周岁以下”是否包括45周岁" and len(knob.readings) == 2
    assert knob.label in out and f"现行口径：{knob.readings[0]}" in out and f"另一口径：{knob.readings[1]}" in out
    assert "改为：[二、3] 截至2020年6月30日年龄45周岁，超过45周岁以下的要求" in out
    assert "AGE_OVER_LIMIT" not in out and "true" not in out and "null" not in out
    payload = json.loads(CliRunner().invoke(cli, ["sensitivity", str(path), "--format", "json"]).stdout)
    age = next(k for k in payload["knobs"] if k["knob"] == "age_limit_inclusive")
    assert (age["label"], age["default_words"], age["alternative_words"]) == (knob.label, *knob.readings)
    report = tmp_path / "审核结果.xlsx"
    CliRunner().invoke(cli, ["check", str(path), "--output", str(report)], catch_exceptions=False)
    sheet = [[c.value for c in row] for row in openpyxl.load_workbook(report)["口径影响"].iter_rows(min_row=2)]
    row = next(r for r in sheet if r[5] == "恰满45周岁")
    assert row[0] == knob.label and row[2:4] == knob.readings and row[7] == "符合 → 不符合"
    assert row[8].startswith("改为：[二、3] 截至2020年6月30日")


def test_readings_must_match_the_alternatives(tmp_path):
    import shutil

    from jzleader.validate import validate

    copy = tmp_path / "rules"
    shutil.copytree(Path(__file__).parents[1] / "rules", copy)
    criteria = copy / "criteria.yaml"
    text = criteria.read_text(encoding="utf-8")
    criteria.write_text(text.replace("readings: [不限排名, 只算第一作者, 前三名作者]", "readings: [不限排名]"), encoding="utf-8")
    problems = [p for p in validate([copy]).problems if p.field.endswith("readings")]
    assert problems and "readings 应有 3 项" in problems[0].message
