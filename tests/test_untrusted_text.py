"""Text an office can type is printed and written as text (issue 19): never rich markup, never a live
formula in a workbook, never a terminal control; and --format json always prints one document."""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jzleader import cli as cli_module
from jzleader.cli import cli

from .conftest import BORN, make_id, person, split_in_two

FORMULA = '=HYPERLINK("http://example.org/x","点击")'


def _round(path: Path, **over: object) -> Path:
    path.write_text(yaml.safe_dump({"candidates": [person(**over)]}, allow_unicode=True), encoding="utf-8")
    return path


COMMANDS = [
    ["check"],
    ["check", "--explain"],
    ["quota-report"],
    ["sensitivity"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_markup_in_cells_is_printed_as_written(tmp_path, command):
    path = _round(tmp_path / "r.yaml", name="张[/]伟", unit="[bold red]沁阳市[/bold red]", title="副主任医师[/]")
    result = CliRunner().invoke(cli, [*command, str(path)], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    if command[0] == "check":
        assert "张[/]伟" in result.output
    assert "[bold red]沁阳市" in result.output or command[0] != "check"


def test_a_formula_from_yaml_is_a_string_in_every_workbook_written(tmp_path):
    path = _round(tmp_path / "r.yaml", name=FORMULA, unit="+沁阳市", field="@卫生")
    report = tmp_path / "report.xlsx"
    result = CliRunner().invoke(cli, ["check", str(path), "--output", str(report)], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    wb = openpyxl.load_workbook(report)
    found = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == FORMULA]
    assert found and all(c.data_type == "s" for c in found)
    assert not [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_the_annotated_copy_keeps_the_officers_formulas_and_adds_only_text(tmp_path):
    source = tmp_path / "county.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "候选人"
    ws.append(["姓名", "身份证号", "出生年月", "专业技术职务", "学历", "合计年龄"])
    ws.append([FORMULA, make_id(__import__("datetime").date(1980, 5, 6)), "1980.05", "副主任医师", "硕士研究生", "=1+1"])
    wb.save(source)
    copy = tmp_path / "annotated.xlsx"
    result = CliRunner().invoke(cli, ["check", str(source), "--annotate", str(copy)], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    ws = openpyxl.load_workbook(copy)["候选人"]
    assert ws["F2"].data_type == "f" and ws["F2"].value == "=1+1"  # the officer's own formula, as it was
    assert ws["A2"].data_type == "f"  # their cell is theirs; only what jzleader adds must be text
    added = [c for c in ws[1] if c.value in ("审核结论", "审核说明")]
    assert len(added) == 2 and all(ws.cell(2, c.column).data_type == "s" for c in added)


def test_terminal_controls_and_bidi_overrides_never_reach_the_terminal(tmp_path):
    path = _round(tmp_path / "r.yaml", name="张\x1b[31m伟\u202e", unit="沁阳市\x07")
    out = CliRunner().invoke(cli, ["check", str(path), "--explain"], catch_exceptions=False).output
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert "张[31m伟" in out  # the rest of the text is kept


@pytest.mark.parametrize("command", ["check", "quota-report", "sensitivity"])
def test_json_when_every_file_is_unusable(tmp_path, command):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    result = CliRunner().invoke(cli, [command, str(broken), "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert doc["status"] == "unusable"
    assert [e["file"] for e in doc["errors"]] == [str(broken)]
    assert doc["errors"][0]["message"]


def test_json_when_a_rule_file_is_wrong(tmp_path):
    rules = tmp_path / "criteria.yaml"
    rules.write_text("kind: criteria\nnotice: [\n", encoding="utf-8")
    person_file = _round(tmp_path / "r.yaml")
    result = CliRunner().invoke(cli, ["check", str(person_file), "--rules", str(rules), "--format", "json"])
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert doc["status"] == "unusable" and "规则文件有误" in doc["errors"][0]["message"]


@pytest.mark.parametrize(("extra", "status", "code"), [([], "findings", 1), (["--strict"], "findings", 1)])
def test_json_status_follows_the_exit_status(tmp_path, extra, status, code):
    path = _round(tmp_path / "r.yaml", birth_date="1970.01", id_number=make_id(__import__("datetime").date(1970, 1, 5)))
    result = CliRunner().invoke(cli, ["check", str(path), "--format", "json", *extra], catch_exceptions=False)
    assert (result.exit_code, json.loads(result.stdout)["status"]) == (code, status)
    ok = CliRunner().invoke(cli, ["check", str(_round(tmp_path / "ok.yaml")), "--format", "json"], catch_exceptions=False)
    assert (ok.exit_code, json.loads(ok.stdout)["status"]) == (0, "ok")


@pytest.mark.parametrize("where", ["read_plan", "evaluate"])
def test_an_internal_error_is_exit_3_with_a_json_document(tmp_path, monkeypatch, capsys, where):
    """Also when the bug strikes while the candidates are being written (evaluate): their text waits until the
    status is known, so stdout holds one document, the error's, never half of another."""
    import jzleader.pipeline as pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(pipeline, where, broken)
    monkeypatch.setattr(sys, "argv", ["jzleader", "check", str(_round(tmp_path / "r.yaml")), "--format", "json"])
    with pytest.raises(SystemExit) as e:
        cli_module.main()
    assert e.value.code == 3
    out = capsys.readouterr()
    assert json.loads(out.out)["status"] == "error"
    assert "程序内部错误" in out.err and "Traceback" not in out.err


def test_an_internal_error_in_a_register_command_gives_the_register_commands_document(tmp_path, monkeypatch, capsys):
    """Its document names the command, as a refused register's does, and is not shaped as a check's."""
    import jzleader.cli.register as register_cli

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    refused = CliRunner().invoke(cli, ["register", "info", "--format", "json", "--db", str(tmp_path / "none" / "r.sqlite")])
    assert refused.exit_code == 2 and json.loads(refused.stdout)["command"] == "register info"
    monkeypatch.setattr(register_cli, "_opened", broken)
    db = str(tmp_path / "r.sqlite")
    monkeypatch.setattr(sys, "argv", ["jzleader", "register", "info", "--format", "json", "--db", db])
    with pytest.raises(SystemExit) as e:
        cli_module.main()
    assert e.value.code == 3
    document = json.loads(capsys.readouterr().out)
    assert (document["status"], document["command"]) == ("error", "register info") and "candidates" not in document


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="the evaluation is split by fork")
def test_an_internal_error_in_the_second_half_of_a_round_is_exit_3_with_one_document(tmp_path, monkeypatch, capsys):
    """A large round's second half is evaluated by a forked copy: a bug there ends the run as one here does."""
    import jzleader.pipeline as pipeline

    evaluate = pipeline.evaluate

    def broken(c, *args):
        if c.name == "丁四":
            raise RuntimeError("a bug")
        return evaluate(c, *args)

    people = [person(name=n, id_number=make_id(BORN, seq=f"{i}23")) for i, n in enumerate(["甲一", "乙二", "丙三", "丁四"])]
    path = tmp_path / "r.yaml"
    path.write_text(yaml.safe_dump({"candidates": people}, allow_unicode=True), encoding="utf-8")
    split = split_in_two(monkeypatch)
    monkeypatch.setattr(pipeline, "evaluate", broken)
    monkeypatch.setattr(sys, "argv", ["jzleader", "check", str(path), "--format", "json"])
    with pytest.raises(SystemExit) as e:
        cli_module.main()
    assert e.value.code == 3 and split == [4]
    out = capsys.readouterr()
    assert json.loads(out.out) == {**json.loads(out.out), "status": "error", "candidates": []}
    assert "程序内部错误" in out.err and "a bug" in out.err and "Traceback" not in out.err


# --- fuzzing: any text in any cell, through every text reporter and the report workbook ---------------

HOSTILE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["[/]", "[bold red]x[/bold red]", "[link=http://x]y", "=1+1", "+1", "-1", "@SUM(A1)", "\x00", "\x1b[2J",
                     "\u202e反向", "\u2066x\u2069", "a\r\nb", "\t", "x" * 5000, "[", "]", "\\[", "%s{0}"]),
)  # fmt: skip
FUZZ = settings(max_examples=int(__import__("os").environ.get("JZLEADER_FUZZ_EXAMPLES", "25")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])  # fmt: skip


@FUZZ
@given(name=HOSTILE, unit=HOSTILE, title=HOSTILE, statement=HOSTILE)
def test_any_cell_text_through_every_reporter(name, unit, title, statement):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "r.yaml"
        try:
            path.write_text(
                yaml.safe_dump(
                    {"candidates": [person(name=name, unit=unit, title=title, statement=statement)]}, allow_unicode=True
                ),
                encoding="utf-8",
            )
        except UnicodeEncodeError:  # a lone surrogate cannot be saved as UTF-8: no office can send it
            return
        report = Path(d) / "out.xlsx"
        for command in (["check", "--explain", "--output", str(report)], ["check", "--format", "json"], ["quota-report"],
                        ["sensitivity"], ["check", "--lang", "en"]):  # fmt: skip
            result = CliRunner().invoke(cli, [command[0], str(path), *command[1:]], catch_exceptions=False)
            assert result.exit_code in (0, 1, 2), result.output
            # JSON is data for scripts: it keeps the text as written, with control characters escaped
            unprintable = "[\x00-\x08\x0b\x1b]" if "json" in command else "[\x00-\x08\x0b\x1b\u202a-\u202e]"
            assert not re.search(unprintable, result.stdout)
        if report.exists():
            wb = openpyxl.load_workbook(report)
            assert not [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
