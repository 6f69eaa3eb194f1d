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
