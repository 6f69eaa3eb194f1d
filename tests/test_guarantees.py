"""Guarantees over every command and output format (issue 7): the input is byte-identical after the
run, and no ID number (18 or 15 digits) appears in any output without --show-id."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from jzleader.cli import cli

from .conftest import xlsx_to_csv, xlsx_to_xls

ROOT = Path(__file__).parents[1]
ID_RUN = re.compile(r"(?<!\d)(\d{17}[\dXx]|\d{15})(?!\d)|\d\.\d{14}E\+?17", re.IGNORECASE)


@pytest.fixture(params=["xlsx", "xls", "csv", "yaml"])
def round_file(request, tmp_path):
    source = ROOT / "examples" / "沁阳市推荐人选.xlsx"
    if request.param == "xlsx":
        return shutil.copy(source, tmp_path / "in.xlsx")
    if request.param == "xls":
        return xlsx_to_xls(source, tmp_path / "in.xls")
    if request.param == "csv":
        return xlsx_to_csv(source, tmp_path / "in.csv")
    return shutil.copy(ROOT / "examples" / "沁阳市推荐人选.yaml", tmp_path / "in.yaml")


def workbook_text(path: Path) -> str:
    wb = openpyxl.load_workbook(path)
    parts = [str(c.value) for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.value is not None]
    parts += [c.comment.text for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.comment]
    return "\n".join(parts)


COMMANDS = [
    ["check"], ["check", "--format", "json"], ["check", "--explain"], ["check", "--strict", "--format", "json"],
    ["quota-report"], ["quota-report", "--format", "json"], ["sensitivity"], ["sensitivity", "--format", "json"],
]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_no_id_in_any_output_and_the_input_untouched(round_file, command):
    before = hashlib.sha256(round_file.read_bytes()).hexdigest()
    result = CliRunner().invoke(cli, [command[0], str(round_file), *command[1:]], catch_exceptions=False)
    assert result.exit_code in (0, 1)
    assert not ID_RUN.search(result.output), ID_RUN.search(result.output)
    assert hashlib.sha256(round_file.read_bytes()).hexdigest() == before


def test_no_id_in_the_written_workbooks(round_file, tmp_path):
    before = hashlib.sha256(round_file.read_bytes()).hexdigest()
    report = tmp_path / "report.xlsx"
    args = ["check", str(round_file), "--output", str(report)]
    if round_file.suffix == ".xlsx":
        args += ["--annotate", str(tmp_path / "annotated.xlsx")]
    CliRunner().invoke(cli, args, catch_exceptions=False)
    assert not ID_RUN.search(workbook_text(report))
    quota = tmp_path / "quota.xlsx"
    CliRunner().invoke(cli, ["quota-report", str(round_file), "--output", str(quota)], catch_exceptions=False)
    assert not ID_RUN.search(workbook_text(quota))
    assert hashlib.sha256(round_file.read_bytes()).hexdigest() == before


def test_with_show_id_the_numbers_are_shown(round_file):
    result = CliRunner().invoke(cli, ["check", str(round_file), "--format", "json", "--show-id"], catch_exceptions=False)
    assert "410882198005061234" in result.output


def test_error_messages_mask_ids_too(tmp_path):
    path = tmp_path / "ids.yaml"
    path.write_text("candidates: [\n  410882198005061234\n", encoding="utf-8")  # a syntax error quoting an ID
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 2 and "410882198005061234" not in result.output


def test_a_file_named_by_an_id_number_is_masked_too(tmp_path):
    """Offices name files by ID number (一人一档): file names in every output are masked as well."""
    named = shutil.copy(ROOT / "examples" / "沁阳市推荐人选.yaml", tmp_path / "410882198005061234张伟.yaml")
    broken = tmp_path / "410882197407012158李娜.xlsx"
    broken.write_bytes(b"")
    for fmt in ("json", "text"):
        result = CliRunner().invoke(cli, ["check", str(named), str(broken), "--format", fmt, "--explain"])
        assert result.exit_code == 2
        assert not ID_RUN.search(result.output), ID_RUN.search(result.output)


RUN_15 = re.compile(r"\d{15,}")  #: DOMAIN §5: any run of 15 or more digits, valid or not


def written_text(path: Path) -> str:
    """Everything a written workbook holds that a person could read: values, comments, sheet names."""
    wb = openpyxl.load_workbook(path)
    parts = [ws.title for ws in wb.worksheets]
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    parts.append(str(c.value) if not isinstance(c.value, float) else f"{c.value:.0f}")
                if c.comment:
                    parts.append(c.comment.text)
    return "\n".join(parts)


def test_no_digit_run_of_15_anywhere_written_for_a_file_named_by_an_id_with_17_and_19_digit_ids(tmp_path):
    """Issue 13: every command and output option, on a workbook whose file name holds an ID and whose IDs
    were mistyped to 17 and 19 digits: no run of 15+ digits in anything written (stdout, stderr, files)."""
    from .conftest import HEAD, ID_A, ID_B, official, write_xlsx

    rows = [
        [1, "张伟", ID_A[:17], "1980.05", "沁阳市", "卫生", "副主任医师", "大学本科"],  # 17 digits
        [2, "李娜", ID_B + "7", "1974.07", "沁阳市", "农业", "高级农艺师", "大学本科"],  # 19 digits
        [3, "王强", int(ID_A[:15] + "000"), "1980.05", "孟州市", "卫生", "主任医师", "大学本科"],  # a number cell
    ]
    assert HEAD[2] == "身份证号"
    source = write_xlsx(tmp_path / f"{ID_A}张伟等.xlsx", official(rows))
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    out = tmp_path / "out"
    out.mkdir()
    runs = [
        ["check", "--explain"], ["check", "--format", "json"], ["check", "--lang", "en", "--explain"],
        ["check", "--strict", "--format", "json", "--lang", "en"],
        ["check", "--output", str(out / f"审核结果{ID_B}.xlsx"), "--annotate", str(out / "批注.xlsx")],
        ["quota-report"], ["quota-report", "--format", "json"], ["quota-report", "--output", str(out / "指标.xlsx")],
        ["sensitivity"], ["sensitivity", "--format", "json"], ["sensitivity", "--lang", "en"],
    ]  # fmt: skip
    for args in runs:
        result = CliRunner().invoke(cli, [args[0], str(source), *args[1:]], catch_exceptions=False)
        assert result.exit_code in (0, 1), (args, result.output)
        for stream in (result.stdout, result.stderr):
            assert not RUN_15.search(stream), (args, RUN_15.search(stream))
    written = sorted(out.iterdir())
    assert len(written) == 3
    for path in written:
        assert not RUN_15.search(written_text(path)), (path.name, RUN_15.search(written_text(path)))
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before
    # the annotated copy shows the numbers only when asked
    shown = tmp_path / "shown.xlsx"
    CliRunner().invoke(cli, ["check", str(source), "--annotate", str(shown), "--show-id"], catch_exceptions=False)
    assert ID_B + "7" in written_text(shown)
