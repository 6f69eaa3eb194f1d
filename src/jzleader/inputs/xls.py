"""An OLE2 container -> Grid: an old .xls (BIFF) workbook read with xlrd and its number formats
(1974.1 shown as 0.00), or a password-protected .xlsx, which is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jzleader.errors import InputError
from jzleader.inputs.damage import DAMAGED, PASSWORD
from jzleader.inputs.grid import MAX_COLUMNS, Grid, Sheet


def read_ole2(path: Path) -> Grid:
    """An OLE2 container: an old .xls workbook, or an encrypted (password-protected) .xlsx."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(s) for s in ole.listdir()}
    except Exception as e:  # any damage to the container: olefile raises several kinds
        raise InputError(path, DAMAGED) from e
    if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
        raise InputError(path, PASSWORD)
    if "Workbook" in streams or "Book" in streams:
        return read_xls(path)
    raise InputError(path, "这是 Office 文件，但不是 Excel 工作簿")


_VISIBILITY = {0: "visible", 1: "hidden", 2: "veryHidden"}


def read_xls(path: Path) -> Grid:
    import xlrd

    try:
        wb = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except xlrd.XLRDError as e:
        raise InputError(path, PASSWORD if "encrypt" in str(e).lower() else DAMAGED) from e
    except Exception as e:  # xlrd raises struct.error, IndexError, AssertionError... on damage
        raise InputError(path, DAMAGED) from e
    grid = Grid(path, "xls")
    try:
        grid.sheets = [_sheet(wb, i, name) for i, name in enumerate(wb.sheet_names())]
    except Exception as e:  # xlrd's failure on a damaged sheet
        raise InputError(path, DAMAGED) from e
    finally:
        wb.release_resources()
    return grid


def _sheet(wb: Any, index: int, name: str) -> Sheet:
    import xlrd

    formats = {key: f.format_str for key, f in wb.format_map.items()}
    ws = wb.sheet_by_index(index)
    sheet = Sheet(name, state=_VISIBILITY.get(ws.visibility, "hidden"))
    for r in range(ws.nrows):
        number = r + 1
        row: list[Any] = []
        for c, cell in enumerate(ws.row(r)[:MAX_COLUMNS]):
            value: Any = cell.value
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    value = xlrd.xldate.xldate_as_datetime(cell.value, wb.datemode)
                except (xlrd.xldate.XLDateError, ValueError, OverflowError):
                    value = cell.value
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                value = bool(cell.value)
            elif cell.ctype == xlrd.XL_CELL_ERROR:
                sheet.errors[(number, c)] = xlrd.error_text_from_code.get(cell.value, "#N/A")
                value = None
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                value = None
            elif cell.ctype == xlrd.XL_CELL_NUMBER:
                try:
                    fmt = formats.get(wb.xf_list[cell.xf_index].format_key)
                except (IndexError, TypeError):
                    fmt = None
                if fmt is not None:
                    sheet.formats[(number, c)] = fmt
            row.append(value)
        sheet.rows.append((number, row))
        info = ws.rowinfo_map.get(r)
        if info is not None and info.hidden:
            sheet.hidden_rows.add(number)
    sheet.merged = [(r1 + 1, c1, r2, c2 - 1) for r1, r2, c1, c2 in ws.merged_cells]
    return sheet
