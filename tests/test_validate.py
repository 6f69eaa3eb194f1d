"""validate-rules: each kind of mistake in a broken copy of the shipped rules, at its exact place."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from jzleader.cli import cli
from jzleader.ruleset.checks import fold_quote
from jzleader.validate import validate

ROOT = Path(__file__).parents[1]


def broken(tmp_path: Path, file: str, old: str, new: str, at: str | None = None) -> tuple[Path, int, int]:
    """A copy of the shipped rule set with one edit (the first `old`).

    Returns the copy and the line and column of `at` inside the edit (default: the edit without
    its indentation), as a person would find them in an editor.
    """
    copy = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", copy)
    target = copy / file
    text = target.read_text(encoding="utf-8")
    start = text.index(old)
    text = text[:start] + new + text[start + len(old) :]
    target.write_text(text, encoding="utf-8")
    offset = start + new.index(at if at is not None else new.lstrip())
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return copy, line, column


def found(path: Path) -> list[tuple[str, int | None, int | None, str]]:
    return [(Path(p.path).name, p.line, p.column, p.code.name) for p in validate([path]).problems]


@pytest.mark.parametrize(
    ("file", "old", "new", "code", "words"),
    [
        ("criteria.yaml", "max_age: 45", "max_age: 四十五", "RULE_TYPE", "应为整数"),
        ("criteria.yaml", "max_age: 45", "max_agee: 45", "RULE_UNKNOWN_KEY", "不认识的字段"),
        ("criteria.yaml", "cutoff: 2020-06-30", "cutoff: 2020-13-45", "RULE_BAD_DATE", "应为日期"),
        ("criteria.yaml", "min_papers: 3", "min_papers: 0", "RULE_RANGE", "不小于 1"),
        ("criteria.yaml", "    clause: 1\n", "    clause: 9\n", "RULE_RANGE", "不大于 7"),
        ("criteria.yaml", "min_title_level: 副高级", "min_title_level: 高级", "RULE_VALUE", "正高级"),
        ("criteria.yaml", "kind: award", "kind: awards", "RULE_VALUE", "kind"),
        ("quotas_2020.yaml", "{name: 沁阳市, quota: 5,", "{name: 沁阳市, quota: -5,", "RULE_RANGE", "大于 0"),
        ("quotas_2020.yaml", "  date: 2020-07-10", "  date: 七月十日", "RULE_BAD_DATE", "应为日期"),
    ],
)
def test_structure_mistakes_are_located(tmp_path, file, old, new, code, words):
    copy, line, column = broken(tmp_path, file, old, new, at=new.lstrip().lstrip("{").split(", ")[-1])
    problems = validate([copy]).problems
    hits = [p for p in problems if p.code.name == code]
    assert hits, problems
    assert (Path(hits[0].path).name, hits[0].line, hits[0].column) == (file, line, column)
    assert words in hits[0].message


def test_misquoted_sentence(tmp_path):
    copy, line, column = broken(tmp_path, "criteria.yaml", "quote: 年龄在45周岁以下", "quote: 年龄在四十五周岁以下")
    assert ("criteria.yaml", line, column, "RULE_MISQUOTED") in found(copy)


def test_quotes_survive_line_breaks_and_width_folding():
    notice = fold_quote((ROOT / "rules" / "notice-2020-28.txt").read_text(encoding="utf-8"))
    # the notice breaks 科技进/步奖 across lines and mixes full- and half-width punctuation
    assert fold_quote("科技进步奖或市(厅)级科技进步一等奖一项") in notice
    assert fold_quote("年龄在45周岁以下（截止2020年6月30日）") in notice


def test_alias_collision(tmp_path):
    copy, line, column = broken(tmp_path, "quotas_2020.yaml", "aliases: [孟州]", "aliases: [沁阳]")
    assert ("quotas_2020.yaml", line, column + len("aliases: ["), "RULE_ALIAS_COLLISION") in found(copy)
    assert ("quotas_2020.yaml", line - 1, column + len("aliases: ["), "RULE_ALIAS_COLLISION") not in found(copy)


def test_wrong_group_total_and_grand_total(tmp_path):
    copy, line, column = broken(tmp_path, "quotas_2020.yaml", "    total: 50", "    total: 51")
    problems = found(copy)
    assert ("quotas_2020.yaml", line, column, "RULE_WRONG_TOTAL") in problems
    assert sum(p[3] == "RULE_WRONG_TOTAL" for p in problems) == 2  # the grand total 102 no longer adds up


def test_a_title_with_two_levels(tmp_path):
    copy, line, _ = broken(tmp_path, "titles.yaml", "中级: [讲师]", "中级: [讲师, 教授]")
    assert any(p[3] == "RULE_TITLE_LEVELS" and p[1] == line for p in found(copy))


def test_every_knob_must_exist(tmp_path):
    text = (ROOT / "rules" / "criteria.yaml").read_text(encoding="utf-8")
    block = re.search(r"  max_author_rank:\n(    .*\n)+", text).group(0)
    copy, _, _ = broken(tmp_path, "criteria.yaml", block, "")
    assert any(p[3] == "RULE_MISSING" for p in found(copy))


def test_a_failing_rule_case_says_which_and_why(tmp_path):
    copy, line, column = broken(tmp_path, "tests/age.yaml", "verdict: ineligible", "verdict: eligible")
    problems = validate([copy]).problems
    failed = [p for p in problems if p.code.name == "RULE_CASE_FAILED"]
    assert len(failed) == 1
    assert "结论应为 eligible，实际为 ineligible" in failed[0].message
    assert failed[0].line == line - 1  # the expected entry starts at its "- name:" line


def test_an_uncovered_rule_and_a_knob_tried_one_way_only(tmp_path):
    copy = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", copy)
    (copy / "tests" / "age-exclusive.yaml").unlink()
    (copy / "tests" / "materials.yaml").unlink()
    problems = [p for p in validate([copy]).problems if p.code.name == "RULE_NOT_COVERED"]
    assert any("assessment_length" in p.message for p in problems)
    assert any("age_limit_inclusive" in p.message and "另一种口径" in p.message for p in problems)


def test_cli_exit_codes(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(cli, ["validate-rules"], catch_exceptions=False)
    assert ok.exit_code == 0 and "全部通过" in ok.output
    copy, line, _ = broken(tmp_path, "criteria.yaml", "max_age: 45", "max_age: 四十五")
    bad = runner.invoke(cli, ["validate-rules", str(copy)])
    assert bad.exit_code == 1 and f"criteria.yaml:{line}:" in bad.output
    (copy / "criteria.yaml").write_text("kind: criteria\nrules: [\n", encoding="utf-8")
    syntax = runner.invoke(cli, ["validate-rules", str(copy)])
    assert syntax.exit_code == 2 and "criteria.yaml:3:" in syntax.output
    assert runner.invoke(cli, ["validate-rules", str(tmp_path / "nowhere")]).exit_code == 2


def test_validate_rules_as_json_for_scripts(tmp_path, monkeypatch):
    runner = CliRunner()
    ok = json.loads(runner.invoke(cli, ["validate-rules", "--format", "json"], catch_exceptions=False).stdout)
    assert ok["status"] == "ok" and ok["problems"] == [] and ok["cases"]["passed"] > 0 and ok["format_version"]
    copy, line, column = broken(tmp_path, "criteria.yaml", "max_age: 45", "max_age: 四十五")
    bad = runner.invoke(cli, ["validate-rules", str(copy), "--format", "json"])
    assert bad.exit_code == 1
    (problem,) = json.loads(bad.stdout)["problems"]
    assert problem == {
        "file": str(copy / "criteria.yaml"), "line": line, "column": column, "code": "RULE_TYPE",
        "field": problem["field"], "message": problem["message"],
    }  # fmt: skip
    assert problem["field"].endswith(".max_age") and "整数" in problem["message"]
    (copy / "criteria.yaml").write_text("kind: criteria\nrules: [\n", encoding="utf-8")
    syntax = runner.invoke(cli, ["validate-rules", str(copy), "--format", "json"])
    assert syntax.exit_code == 2 and json.loads(syntax.stdout)["status"] == "unusable"
    assert json.loads(syntax.stdout)["problems"][0]["line"] == 3


def test_validate_rules_as_github_annotations(tmp_path, monkeypatch):
    copy, line, column = broken(tmp_path, "criteria.yaml", "max_age: 45", "max_age: 四十五")
    monkeypatch.chdir(tmp_path)  # a workflow runs in the repository root: paths relative to it
    result = CliRunner().invoke(cli, ["validate-rules", "rules", "--format", "github"])
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"::error file=rules/criteria.yaml,line={line},col={column},title=RULE_TYPE::rules[")
    assert "max_age: 应为整数" in first


def test_github_annotations_escape_what_would_end_them():
    from jzleader.codes import Code
    from jzleader.errors import RuleProblem
    from jzleader.report.rulecheck import github_annotation

    problem = RuleProblem("a,b:c.yaml", 3, 1, Code.RULE_VALUE, "x", "第一行\n第二行 100%")
    assert github_annotation(problem) == "::error file=a%2Cb%3Ac.yaml,line=3,col=1,title=RULE_VALUE::x: 第一行%0A第二行 100%25"


def test_check_refuses_a_rule_set_that_misquotes_the_notice(tmp_path):
    copy, line, _ = broken(tmp_path, "criteria.yaml", "quote: 年龄在45周岁以下", "quote: 年龄在四十五周岁以下")
    result = CliRunner().invoke(cli, ["check", str(ROOT / "examples" / "沁阳市推荐人选.yaml"), "--rules", str(copy)])
    assert result.exit_code == 2 and f"criteria.yaml:{line}:" in result.output


def test_the_second_rule_set_validates_and_drives_check(tmp_path):
    rules_2022 = ROOT / "examples" / "rules-2022"
    assert validate([rules_2022]).problems == []
    out = CliRunner().invoke(
        cli, ["check", str(ROOT / "examples" / "沁阳市推荐人选.yaml"), "--rules", str(rules_2022), "--format", "json"]
    )
    payload = json.loads(out.output)
    assert payload["rules"]["cutoff"] == "2022-06-30"
    li_na = next(c for c in payload["candidates"] if c["name"] == "李娜")  # born 1974: before 1977-01-01
    assert li_na["verdict"] == "ineligible"
    assert "BORN_BEFORE_BOUND" in {r["code"] for r in li_na["reasons"]}
    quotas = json.loads(CliRunner().invoke(cli, ["quota-report", "--rules", str(rules_2022), "--format", "json"]).output)
    assert quotas["totals"]["quota"] == 103 and quotas["deadline"] == "2022-07-15"


def test_rule_files_name_their_schema():
    for path in [*ROOT.glob("rules/*.yaml"), *ROOT.glob("examples/rules-2022/*.yaml"), *ROOT.glob("examples/*.yaml")]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        assert (path.parent / first.split("=", 1)[1]).resolve().is_file(), path


def test_no_round_constant_lives_in_the_code():
    """Dates, ages and quotas of a round come from rules/, never from src/."""
    pattern = re.compile(r"2020-06-30|2020-07-10|2020,\s*[67],|(?<![\d.])45(?![\d.])|(?<!\d)102(?!\d)")
    offenders = []
    for path in (ROOT / "src" / "jzleader").rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if path.name == "idnumber.py" and '"45"' in code:
                continue  # the province code of Hubei, not an age
            if pattern.search(code) and '"""' not in code and not code.strip().startswith(("#:", '"')):
                offenders.append(f"{path.name}:{n}: {line.strip()}")
    assert offenders == []
