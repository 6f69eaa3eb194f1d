"""What an officer reads in a terminal (issue 18): the width is the terminal's, or COLUMNS where it is set, so
a piped `COLUMNS=80 jzleader check …` fits 80 columns (a Chinese character counts two); Chinese is wrapped
between characters and no line, nor any cell line of a table, starts with closing punctuation."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from jzleader.cli import cli

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "沁阳市推荐人选.xlsx"
CLOSING = set("，。、；：！？）》」』】〕”’)]},.;:!?")


def cells(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def run(columns: int, *args: str) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], env={"COLUMNS": str(columns)}, catch_exceptions=False)
    assert result.exit_code in (0, 1, 2), result.output
    return result.stdout


@pytest.fixture(params=["example", "round"])
def inputs(request, tmp_path) -> list[str]:
    if request.param == "example":
        return [str(EXAMPLE)]
    broken = tmp_path / "温县.xlsx"
    broken.write_bytes(b"")
    return [str(EXAMPLE), str(ROOT / "examples" / "沁阳市推荐人选.yaml"), str(broken)]


COMMANDS = [["check"], ["check", "--explain"], ["quota-report"], ["sensitivity"]]


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_no_line_is_wider_than_the_terminal(inputs, columns, command):
    text = run(columns, command[0], *inputs, *command[1:])
    assert text.strip()
    too_wide = [line for line in text.splitlines() if cells(line) > columns]
    assert not too_wide, too_wide[:3]


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("command", [["check"], ["check", "--explain"]], ids=" ".join)
def test_no_line_starts_with_closing_punctuation(inputs, columns, command):
    text = run(columns, command[0], *inputs, *command[1:])
    starts = [part.strip()[:1] for line in text.splitlines() for part in line.split("│") if part.strip()]
    assert not [s for s in starts if s in CLOSING]


def test_the_layout_follows_the_width():
    assert "┃ 行 ┃ 姓名 ┃" in run(120, "check", EXAMPLE)  # a table from 100 columns
    narrow = run(80, "check", EXAMPLE)
    assert "┃" not in narrow and "\n5  张伟  沁阳市  40岁  " in narrow  # a block per candidate below


def test_the_clause_tag_stays_with_its_sentence():
    text = run(80, "check", "--explain", EXAMPLE)
    assert not [line for line in text.splitlines() if line.strip().endswith("]") and line.strip().startswith("[")]


def test_the_run_ends_with_the_counts_the_exit_status_and_the_next_step(tmp_path):
    report = tmp_path / "审核结果.xlsx"
    text = run(200, "check", EXAMPLE, "--output", report)
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[-4] == "共 12 人：符合 2，待核实 5，不符合 5"
    assert lines[-3] == f"已生成 {report}"
    assert lines[-2].startswith("退出状态 1：有不符合的人选")
    assert lines[-1].startswith("下一步：") and "--explain" in lines[-1]


def test_explain_only_one_candidate_and_the_notice_once(tmp_path):
    one = run(120, "check", EXAMPLE, "--only", "李娜")
    assert "\n李娜 " in one and "\n张伟 " not in one.split("共 12 人")[1]
    by_row = run(120, "check", EXAMPLE, "--explain", "--only", "6")
    assert by_row.split("共 12 人")[1] == one.split("共 12 人")[1]
    every = run(120, "check", EXAMPLE, "--explain")
    assert every.count("通知原文：年龄在45周岁以下") == 1  # the sentence once in the run, not per candidate


def test_an_unusable_file_is_named_once_above_the_verdicts(tmp_path):
    broken = tmp_path / "温县.xlsx"
    broken.write_bytes(b"")
    result = CliRunner().invoke(cli, ["check", str(EXAMPLE), str(broken)], env={"COLUMNS": "120"})
    assert result.exit_code == 2
    out = result.stdout
    assert out.count("温县.xlsx") == 1 and out.index("温县.xlsx") < out.index("┃ 行 ┃")


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("command", [[], ["check"], ["quota-report"], ["sensitivity"], ["validate-rules"], ["template"]])
def test_help_fits_the_terminal_with_examples_and_exit_statuses(columns, command):
    result = CliRunner().invoke(cli, [*command, "--help"], env={"COLUMNS": str(columns)}, catch_exceptions=False)
    assert result.exit_code == 0
    assert not [line for line in result.stdout.splitlines() if cells(line) > columns]
    if command in (["check"], ["quota-report"], ["sensitivity"]):
        assert "示例 Examples" in result.stdout and f"jzleader {command[0]} " in result.stdout
    if command:
        assert "退出状态 Exit status" in result.stdout
