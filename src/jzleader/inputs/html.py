"""An HTML table saved with a spreadsheet's name (what web systems export as "导出Excel") -> Grid.

Excel and WPS open such a file as a one-sheet workbook, so it is one: each table is a sheet (one table:
a sheet without a name, as a CSV file), each <tr> a row numbered as Excel shows it, a colspan/rowspan a
merged range, a row styled display:none a hidden row, a cell reading "#N/A" an error value. The text is
taken as the page shows it, so an ID number or "1975.10" keeps every digit. The tokenizer is the standard
library's (html.parser): it knows entities and broken markup; only the table geometry is built here.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from jzleader.errors import InputError
from jzleader.inputs.grid import MAX_COLUMNS, Grid, Sheet

ERROR_VALUES = frozenset({"#N/A", "#VALUE!", "#REF!", "#NAME?", "#DIV/0!", "#NUM!", "#NULL!"})
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\r\n\f]+")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6", "caption")
_MAX_SPAN = 1000  #: a rowspan of 65,534 written by a careless exporter is cut here, as browsers cut it


def looks_like_html(head: bytes) -> bool:
    """The first bytes of a page: a doctype, <html>, or a table written straight away (XML 2003 is tested first)."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore").lstrip().lower().encode()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<head", b"<meta", b"<body", b"<style")):
        return True
    # XHTML (<?xml …?><html …>) or a page that opens with a comment: markup holding a page or a table
    return text.startswith(b"<") and (b"<html" in text or b"<table" in text)


def decode_page(path: Path, data: bytes) -> str:
    """The page's own charset (BOM, then <meta charset>), else UTF-8, else GB18030 (⊃ GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    declared = _CHARSET.search(data[:4096])
    candidates = [declared.group(1).decode("ascii").lower()] if declared else []
    for encoding in [*candidates, "utf-8", "gb18030"]:
        try:
            return data.decode("gb18030" if encoding in ("gbk", "gb2312") else encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise InputError(path, "网页表格的文字编码无法识别，请在 Excel/WPS 中打开后另存为 .xlsx")


class _Tables(HTMLParser):
    """Every <table> of the page as a Sheet; a table inside a cell gives its text to that cell."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sheets: list[Sheet] = []
        self._stack: list[_Table] = []
        #: the heading above a table names it, as LibreOffice writes a sheet: <h1>Sheet 1: <em>获奖</em></h1>
        self._heading: list[str] | None = None
        self._emphasis: list[str] | None = None
        self._names: list[str | None] = []
        self._name: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "table":
            if self._stack and self._stack[-1].cell is not None:
                self._stack.append(_Table(None))  # a layout table inside a cell: its text joins the cell
            else:
                table = _Table(Sheet(None))
                self.sheets.append(table.sheet)  # type: ignore[arg-type]
                self._names.append(self._name)
                self._name = None
                self._stack.append(table)
        elif not self._stack:
            if tag in _HEADINGS:
                self._heading, self._emphasis = [], None
            elif tag == "em" and self._heading is not None:
                self._emphasis = []
            return
        elif tag == "tr":
            self._stack[-1].start_row(_HIDDEN.search(attr.get("style") or "") is not None)
        elif tag in ("td", "th"):
            self._stack[-1].start_cell(_span(attr.get("rowspan")), _span(attr.get("colspan")))
        elif tag == "br":
            self._text("\n")

    def handle_endtag(self, tag: str) -> None:
        if not self._stack:
            if tag in _HEADINGS and self._heading is not None:
                words = self._emphasis if self._emphasis else self._heading
                self._name = _SPACE.sub(" ", "".join(words)).strip() or None
                self._heading = self._emphasis = None
            return
        if tag == "table":
            inner = self._stack.pop()
            inner.finish()
            if inner.sheet is None and self._stack:
                self._text(" ".join(inner.text_of_all))
        elif tag in ("td", "th", "tr"):
            self._stack[-1].end_cell()
        elif tag in ("p", "div", "li"):
            self._text("\n")

    def finish(self) -> None:
        """Tables the page never closed end with it, as in a browser."""
        while self._stack:
            self._stack.pop().finish()

    def handle_data(self, data: str) -> None:
        self._text(data)

    def _text(self, data: str) -> None:
        if self._heading is not None and not self._stack:
            self._heading.append(data)
            if self._emphasis is not None:
                self._emphasis.append(data)
        if self._stack:
            table = self._stack[-1]
            if table.cell is not None:
                table.cell.append(data)
            elif table.sheet is None:
                table.text_of_all.append(data)


class _Table:
    def __init__(self, sheet: Sheet | None) -> None:
        self.sheet = sheet
        self.number = 0  #: the row being read, numbered as Excel shows it
        self.column = 0
        self.cell: list[str] | None = None
        self.span = (1, 1)
        #: column -> the last row a rowspan from above covers it to (columns past MAX_COLUMNS are never kept,
        #: so a page of huge spans costs no more than a page of plain cells)
        self.busy: dict[int, int] = {}
        self.rows: dict[int, list[Any]] = {}
        self.text_of_all: list[str] = []

    def start_row(self, hidden: bool) -> None:
        self.end_cell()
        self.number += 1
        self.column = 0
        if hidden and self.sheet is not None:
            self.sheet.hidden_rows.add(self.number)

    def start_cell(self, rowspan: int, colspan: int) -> None:
        self.end_cell()
        if self.number == 0:
            self.start_row(False)  # a <td> without its <tr>: browsers start a row
        while self.busy.get(self.column, 0) >= self.number:
            self.column += 1
        self.cell, self.span = [], (rowspan, colspan)

    def end_cell(self) -> None:
        if self.cell is None:
            return
        text = "\n".join(_SPACE.sub(" ", line).strip() for line in "".join(self.cell).replace("\xa0", " ").split("\n"))
        text = text.strip("\n")
        rowspan, colspan = self.span
        self.cell = None
        row, col = self.number, self.column
        self.column += colspan
        if rowspan > 1:
            for c in range(col, min(col + colspan, MAX_COLUMNS)):
                self.busy[c] = row + rowspan - 1
        if self.sheet is None or col >= MAX_COLUMNS:
            if self.sheet is None:
                self.text_of_all.append(text)
            return
        if rowspan > 1 or colspan > 1:
            self.sheet.merged.append((row, col, row + rowspan - 1, min(col + colspan, MAX_COLUMNS) - 1))
        values = self.rows.setdefault(row, [])
        values.extend([None] * (col + 1 - len(values)))
        if text in ERROR_VALUES:
            self.sheet.errors[(row, col)] = text
        else:
            values[col] = text or None

    def finish(self) -> None:
        self.end_cell()
        if self.sheet is not None:
            self.sheet.rows = sorted(self.rows.items())


def _span(value: str | None) -> int:
    try:
        return max(1, min(int((value or "1").strip()), _MAX_SPAN))
    except ValueError:
        return 1


def read_html(path: Path, data: bytes) -> Grid:
    parser = _Tables()
    parser.feed(decode_page(path, data))
    parser.close()
    parser.finish()
    named = [
        (sheet, name)
        for sheet, name in zip(parser.sheets, parser._names, strict=True)
        if sheet.errors or any(any(v is not None for v in row) for _, row in sheet.rows)
    ]
    tables = [sheet for sheet, _ in named]
    if not tables:
        raise InputError(
            path,
            "这是一个网页（HTML）文件，不是工作簿，其中也没有表格：请在导出数据的系统中重新导出，"
            "或在 Excel/WPS 中打开后另存为 .xlsx",
        )
    if len(tables) > 1:  # each table a sheet, named by its heading where it has one, else 表格1, 表格2 ...
        seen: set[str] = set()
        for n, (sheet, name) in enumerate(named, start=1):
            sheet.name = name if name and name not in seen else f"表格{n}"
            seen.add(sheet.name)
    return Grid(path, "html", tables)
