""".ods (LibreOffice's own format) -> Grid: values through python-calamine, in the reader's worker
process; what calamine does not give for .ods (merged ranges, hidden and filtered rows, error values,
formulas without a result) from the document's content.xml, read by a streaming, defused XML parser."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from jzleader.errors import InputError
from jzleader.inputs import isolate
from jzleader.inputs.damage import DAMAGED
from jzleader.inputs.grid import MAX_COLUMNS, Grid, Sheet
from jzleader.inputs.xlsx import STATES, calamine_sheet

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_C = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"


def is_ods(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.read("mimetype").strip().startswith(MIMETYPE)
    except (KeyError, zipfile.BadZipFile, OSError):
        return False


def _values(path: Path) -> list[tuple[str, str, list[tuple[int, list[Any]]]]]:
    """Each sheet's name, visibility and rows (run in the worker: calamine is native code)."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    states = {m.name: STATES.get(str(m.visible), "visible") for m in workbook.sheets_metadata}
    out = []
    for name in workbook.sheet_names:
        rows, _ = calamine_sheet(workbook, name)
        out.append((name, states.get(name, "visible"), rows))
    return out


def read_ods(path: Path) -> Grid:
    try:
        sheets = isolate.run(_values, path)
    except isolate.ReaderDied as e:
        raise InputError(path, "读取这个 .ods 文件时读取程序异常退出，请在 LibreOffice/WPS 中另存为 .xlsx 后再检查") from e
    except Exception as e:  # calamine's errors on a damaged document
        raise InputError(path, DAMAGED) from e
    grid = Grid(path, "ods", [Sheet(name, rows, state=state) for name, state, rows in sheets])
    try:
        _structure(path, {s.name: s for s in grid.sheets})
    except Exception as e:  # a damaged content.xml, or one that defusedxml refuses
        raise InputError(
            path, f"文件内容已损坏或不安全，无法读取（{type(e).__name__}），请在 LibreOffice/WPS 中另存为 .xlsx"
        ) from e
    return grid


def _structure(path: Path, sheets: dict[str | None, Sheet]) -> None:
    from defusedxml.ElementTree import iterparse

    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
        sheet: Sheet | None = None
        row = col = 0
        repeat = 1
        for event, element in iterparse(content, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == f"{_T}table":
                    sheet, row = sheets.get(element.get(f"{_T}name")), 0
                elif tag == f"{_T}table-row":
                    col, repeat = 0, int(element.get(f"{_T}number-rows-repeated", "1"))
                    if sheet is not None and element.get(f"{_T}visibility") in ("collapse", "filter") and repeat < 10_000:
                        sheet.hidden_rows.update(range(row + 1, row + repeat + 1))
                continue
            if tag in (f"{_T}table-cell", f"{_T}covered-table-cell"):
                span = int(element.get(f"{_T}number-columns-repeated", "1"))
                if sheet is not None and col < MAX_COLUMNS:
                    _cell(sheet, element, row + 1, col)
                col += span
                element.clear()
            elif tag == f"{_T}table-row":
                row += repeat
                element.clear()


def _cell(sheet: Sheet, element: Any, row: int, col: int) -> None:
    rows, cols = int(element.get(f"{_T}number-rows-spanned", "1")), int(element.get(f"{_T}number-columns-spanned", "1"))
    if rows > 1 or cols > 1:
        sheet.merged.append((row, col, row + rows - 1, col + cols - 1))
    if element.get(f"{_C}value-type") == "error":
        sheet.errors[(row, col)] = "".join(element.itertext()).strip() or "#N/A"
    elif element.get(f"{_T}formula") is not None and element.get(f"{_O}value-type") is None:
        sheet.formulas.add((row, col))
