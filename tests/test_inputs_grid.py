"""The readers: every format gives the same Grid, keeping what the layout stage will need
(sheet visibility, merged ranges, hidden rows, error values, the number formats that matter)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

import jzleader.inputs.xlsx as xlsx
from jzleader.inputs.grid import Grid, Sheet
from jzleader.inputs.sniff import read_file

ID = "410882198005061234"  # check digit worked out by hand: Σ(aᵢ·Wᵢ) = 305, 305 mod 11 = 8 -> "4"


def _workbook(path: Path) -> Path:
    """推荐人选 with a merged unit block, a hidden row, an error value, 1974.1 shown as 1974.10 and a
    full ID in a number cell; a hidden and a very hidden sheet beside it."""
    wb = Workbook()
    ws = wb.active
    ws.title = "推荐人选"
    ws.append(["姓名", "身份证号", "出生年月", "推荐单位"])
    ws.append(["张伟", int(ID), 1974.1, "沁阳市"])
    ws.append(["李娜", "#N/A", 1980.05, None])
    ws.append(["王强", ID, "1981.03", None])
    ws.append(['=CONCATENATE("赵","敏")', None, None, None])  # a formula openpyxl saves without its result
    ws["C2"].number_format = "0.00"
    ws["B3"].data_type = "e"
    ws.merge_cells("D2:D4")
    ws.row_dimensions[3].hidden = True
    wb.create_sheet("草稿").sheet_state = "hidden"
    wb.create_sheet("旧表").sheet_state = "veryHidden"
    wb.save(path)
    # A program that writes the number in full (as the .NET Open XML SDK does; openpyxl writes a float)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = re.sub(rb'(<c r="B2"[^>]*><v>)[^<]*', rb"\g<1>" + ID.encode(), parts[sheet])
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def _sheet(grid: Grid, name: str) -> Sheet:
    return next(s for s in grid.sheets if s.name == name)


def _values(sheet: Sheet) -> dict[int, list]:
    return {n: [None if v == "" else v for v in row] for n, row in sheet.rows}


@pytest.mark.parametrize("fast", [True, False], ids=["calamine", "openpyxl"])
def test_xlsx_grid_through_both_readers(tmp_path, monkeypatch, fast):
    path = _workbook(tmp_path / "g.xlsx")
    monkeypatch.setattr(xlsx, "sheet_safe", lambda data: fast)
    grid = read_file(path)
    assert isinstance(grid, Grid) and grid.format == "xlsx"
    assert [(s.name, s.state) for s in grid.sheets] == [("推荐人选", "visible"), ("草稿", "hidden"), ("旧表", "veryHidden")]
    sheet = _sheet(grid, "推荐人选")
    rows = _values(sheet)
    assert rows[2][:2] == ["张伟", int(ID)]  # all 18 digits, not a rounded float
    assert rows[4][:2] == ["王强", ID]
    assert sheet.number_format(2, 2) == "0.00"  # 1974.1 shows as 1974.10: October
    assert sheet.merged == [(2, 3, 4, 3)]  # D2:D4
    assert rows[3][1] is None  # #N/A is never read as text
    assert sheet.errors == {(3, 1): "#N/A"}
    assert sheet.hidden_rows == {3}
    assert sheet.formulas == {(5, 0)}
    assert 5 not in rows or rows[5][0] is None  # no value to read


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_xls_grid_saved_by_libreoffice(tmp_path):
    source = _workbook(tmp_path / "g.xlsx")
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "xls", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    grid = read_file(tmp_path / "g.xls")
    assert grid.format == "xls"
    # LibreOffice saves a very hidden sheet as hidden in .xls
    assert [(s.name, s.visible) for s in grid.sheets] == [("推荐人选", True), ("草稿", False), ("旧表", False)]
    sheet = _sheet(grid, "推荐人选")
    assert sheet.merged == [(2, 3, 4, 3)]
    assert sheet.hidden_rows == {3}
    assert sheet.errors == {(3, 1): "#N/A"}
    assert sheet.number_format(2, 2) == "0.00"


def test_csv_is_one_unnamed_sheet_with_the_file_numbering(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes("标题\n\n姓名,身份证号\n张伟,410882198005061236\n".encode("gbk"))
    grid = read_file(path)
    assert [s.name for s in grid.sheets] == [None]
    assert grid.sheets[0].rows == [(1, ["标题"]), (2, []), (3, ["姓名", "身份证号"]), (4, ["张伟", "410882198005061236"])]
