"""The mistakes people make typing a YAML list by hand (DOMAIN §7): each gets a Chinese message with the line
that holds the mistake and the fix, never the parser's English; an unquoted ID is read where YAML kept it
exactly, with a notice to quote it, and is a problem on that candidate where it could not."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from jzleader import pipeline
from jzleader.cli import cli
from jzleader.errors import InputError
from jzleader.wording import message

from .conftest import ID_A, ID_B, read_tables

GOOD = f"""\
candidates:
  - name: 张伟
    id_number: "{ID_A}"
    birth_date: "1980.05"
    title: 副主任医师
  - name: 李娜
    id_number: "{ID_B}"
    birth_date: "1974.07"
    title: 高级农艺师
"""


def _refusal(tmp_path, text: str) -> str:
    path = tmp_path / "名单.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_tables(path)
    assert e.value.path == str(path)
    return e.value.message


def test_a_tab_in_the_indentation_names_its_line(tmp_path):
    text = GOOD.replace('    birth_date: "1974.07"', '\tbirth_date: "1974.07"')
    words = _refusal(tmp_path, text)
    assert words.startswith("YAML 格式错误第8行") and "制表符（Tab）" in words and "换成空格" in words
    assert "found character" not in words


@pytest.mark.parametrize(
    ("old", "new", "line", "key"),
    [
        ("    title: 副主任医师", "    title： 副主任医师", 5, "title"),  # the parser notices only on the next line
        ("  - name: 李娜", "  - name：李娜", 6, "name"),
        ('    birth_date: "1974.07"', '    出生年月： "1974.07"', 8, "出生年月"),
    ],
)
def test_a_full_width_colon_names_the_line_that_has_it(tmp_path, old, new, line, key):
    words = _refusal(tmp_path, GOOD.replace(old, new))
    assert words.startswith(f"YAML 格式错误第{line}行"), words
    assert f"“{key}”后面用了中文冒号“：”" in words and f"请改为“{key}: ”" in words


def test_a_full_width_colon_inside_a_value_is_text(tmp_path, rules):
    text = GOOD.replace("    title: 副主任医师", "    title: 副主任医师\n    statement: 说明：开展新技术3项")
    path = tmp_path / "名单.yaml"
    path.write_text(text, encoding="utf-8")
    result = pipeline.check([path], rules)
    assert "开展新技术3项" in result.verdicts[0].candidate.statement


def test_several_documents_in_one_file(tmp_path):
    words = _refusal(tmp_path, GOOD + "---\n" + GOOD)
    assert words.startswith("YAML 格式错误第10行") and "第二个 YAML 文档" in words and "只能有一份名单" in words


def test_a_leading_document_marker_is_fine(tmp_path):
    path = tmp_path / "名单.yaml"
    path.write_text("---\n" + GOOD, encoding="utf-8")
    assert len(read_tables(path).tables["candidates"]) == 2


def test_other_syntax_mistakes_are_in_chinese_with_the_parser_words_kept(tmp_path):
    words = _refusal(tmp_path, GOOD.replace('"1980.05"', '"1980.05'))
    assert words.startswith("YAML 格式错误第") and "引号" in words


def test_an_unquoted_id_number_is_read_exactly_with_a_notice_to_quote_it(tmp_path, rules):
    path = tmp_path / "名单.yaml"
    path.write_text(GOOD.replace(f'"{ID_A}"', ID_A), encoding="utf-8")
    result = pipeline.check([path], rules)
    zhang = result.verdicts[0]
    assert zhang.candidate.id.number == ID_A  # YAML integers keep all 18 digits
    (notice,) = [r for r in zhang.reasons if r.code.name == "ID_YAML_UNQUOTED"]
    assert notice.severity.value == "notice" and notice.place.line == 3
    assert "没有加引号" in message(notice) and "英文引号" in message(notice)
    assert not any(r.code.name == "ID_NUMERIC_CELL" for r in zhang.reasons)  # no talk of Excel cells


def test_an_unquoted_id_that_yaml_cannot_hold_is_a_problem_on_that_candidate(tmp_path, rules):
    path = tmp_path / "名单.yaml"
    path.write_text(GOOD.replace(f'"{ID_B}"', "4.10882197407012e+17"), encoding="utf-8")
    result = pipeline.check([path], rules)
    zhang, li = result.verdicts
    (problem,) = [r for r in li.reasons if r.code.name == "ID_YAML_INEXACT"]
    assert problem.severity.value == "review" and problem.place.line == 7
    assert "读成了小数" in message(problem) and "加上英文引号" in message(problem)
    assert li.candidate.id.number is None  # never a number made up from the float
    assert "ID_PRECISION_LOST" not in {r.code.name for r in li.reasons}  # said once, in YAML's words
    assert not any(r.code.name.startswith("ID_YAML") for r in zhang.reasons)


def test_a_yaml_mistake_with_json_output_is_a_json_error(tmp_path):
    path = tmp_path / "名单.yaml"
    path.write_text(GOOD.replace("    title: 副主任医师", "    title： 副主任医师"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path), "--format", "json"])
    assert result.exit_code == 2
    assert "中文冒号" in result.stdout and '"errors"' in result.stdout
