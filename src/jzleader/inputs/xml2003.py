"""XML Spreadsheet 2003 ("XML 电子表格 2003", often saved with an .xls name) -> Grid.

One XML document: <Worksheet ss:Name> with <x:WorksheetOptions><x:Visible> for hidden sheets, <Row ss:Index
ss:Hidden>, <Cell ss:Index ss:MergeAcross ss:MergeDown ss:StyleID ss:Formula> holding <Data ss:Type>, and the
number formats in <Styles>. Read by a streaming, defused parser (no entity expansion, no external entity),
each row dropped once read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from jzleader.errors import InputError
from jzleader.inputs.grid import MAX_COLUMNS, Grid, Sheet

SS = "urn:schemas-microsoft-com:office:spreadsheet"
_SS = "{" + SS + "}"
_X = "{urn:schemas-microsoft-com:office:excel}"
_MAX_ROW = 1_048_576  #: Excel's last row: a span past it is damage
_STATES = {"SheetHidden": "hidden", "SheetVeryHidden": "veryHidden"}
#: the named formats of this format, as the number formats they stand for
_NAMED = {"Fixed": "0.00", "Standard": "#,##0.00", "General Number": "General", "Percent": "0.00%"}


def looks_like_xml2003(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"<?xml") and SS.encode() in head and b"Workbook" in head


def read_xml2003(path: Path) -> Grid:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    grid = Grid(path, "xml2003")
    styles: dict[str, str] = {}
    try:
        _parse(iterparse(str(path), events=("start", "end")), grid, styles)
    except DefusedXmlException as e:
        raise InputError(path, "文件中含有不安全的 XML 内容（实体扩展或外部实体引用），可能是恶意文件，已拒绝读取") from e
    except (SyntaxError, ValueError) as e:  # ParseError is a SyntaxError; a bad number or date a ValueError
        raise InputError(path, f"这是 XML 电子表格 2003 文件，但内容已损坏（{e}），请在 Excel/WPS 中打开后另存为 .xlsx") from e
    if not grid.sheets:
        raise InputError(path, "这是 XML 电子表格 2003 文件，但其中没有工作表，请在 Excel/WPS 中打开后另存为 .xlsx")
    return grid


def _parse(events: Any, grid: Grid, styles: dict[str, str]) -> None:
    sheet: Sheet | None = None
    number = 0
    for event, element in events:
        tag = element.tag
        if event == "start":
            if tag == f"{_SS}Worksheet":
                sheet, number = Sheet(element.get(f"{_SS}Name")), 0
                grid.sheets.append(sheet)
            continue
        if tag == f"{_SS}NumberFormat":
            continue  # read with its Style
        if tag == f"{_SS}Style":
            fmt = element.find(f"{_SS}NumberFormat")
            if fmt is not None and fmt.get(f"{_SS}Format"):
                styles[element.get(f"{_SS}ID", "")] = _NAMED.get(fmt.get(f"{_SS}Format"), fmt.get(f"{_SS}Format"))
        elif tag == f"{_SS}Row" and sheet is not None:
            number = _bounded(element.get(f"{_SS}Index"), number + 1, _MAX_ROW)
            _row(sheet, element, number, styles)
            element.clear()
        elif tag == f"{_X}Visible" and sheet is not None:
            sheet.state = _STATES.get((element.text or "").strip(), sheet.state)


def _row(sheet: Sheet, element: Any, number: int, styles: dict[str, str]) -> None:
    if element.get(f"{_SS}Hidden") in ("1", "true"):
        sheet.hidden_rows.add(number)
    values: list[Any] = []
    col = 0
    for cell in element.iter(f"{_SS}Cell"):
        col = _bounded(cell.get(f"{_SS}Index"), col + 1, 16_384) - 1
        if col >= MAX_COLUMNS:
            break
        across = _bounded(cell.get(f"{_SS}MergeAcross"), 0, 16_384, low=0)
        down = _bounded(cell.get(f"{_SS}MergeDown"), 0, _MAX_ROW - number, low=0)
        if across or down:
            sheet.merged.append((number, col, number + down, min(col + across, MAX_COLUMNS - 1)))
        values.extend([None] * (col + 1 - len(values)))
        data = cell.find(f"{_SS}Data")
        if data is None:
            if cell.get(f"{_SS}Formula"):
                sheet.formulas.add((number, col))
        else:
            kind, text = data.get(f"{_SS}Type"), "".join(data.itertext())
            if kind == "Error":
                sheet.errors[(number, col)] = text.strip() or "#N/A"
            else:
                values[col] = _value(kind, text)
                fmt = styles.get(cell.get(f"{_SS}StyleID", ""))
                if kind == "Number" and fmt:
                    sheet.formats[(number, col)] = fmt
        col += across + 1
    sheet.rows.append((number, values))


def _bounded(written: str | None, default: int, high: int, *, low: int = 1) -> int:
    """An index or span as written, within the sheet; anything else is damage (ValueError, as int() raises)."""
    if written is None:
        return default
    value = int(written)
    if not low <= value <= high:
        raise ValueError(f"{written} 超出工作表范围")
    return value


def _value(kind: str | None, text: str) -> Any:
    if kind == "Number":
        number = float(text)
        return int(text) if text.lstrip("-").isdigit() else number  # an ID written in full keeps its digits
    if kind == "DateTime":
        return dt.datetime.fromisoformat(text.strip()[:19])
    if kind == "Boolean":
        return text.strip() == "1"
    return text if text.strip() else None
