"""Grid -> Tables: which sheet plays which role, where its header is, and which rows are data
(DOMAIN.md §3, §6).

A sheet's role comes from its name (候选人, 获奖, ...) or, for the only sheet of a file, from its
content; the header row is found by content below title rows; 合计 rows, empty rows and footer
lines are not data. Every data row keeps the Place of each of its cells. A YAML file is laid out
by its keys, which already name the fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jzleader.codes import Code
from jzleader.contract import DETAIL_KINDS, FIELDS, IGNORED_HEADERS, KEY_FIELDS, header_field, sheet_kind
from jzleader.errors import InputError
from jzleader.inputs.grid import Grid, Sheet, YamlDoc
from jzleader.model import Cell, Place, Reason, Row
from jzleader.values import fold, is_blank

HEADER_SCAN_ROWS = 30
_TOTAL_WORDS = ("合计", "总计", "小计", "共计")
_FOOTER_STARTS = ("注", "说明", "填表", "备注", "制表", "审核人", "联系人", "单位(盖章)", "单位盖章", "负责人")


@dataclass
class Tables:
    """The data rows of one input file, by sheet kind (candidates, awards, ..., units)."""

    path: Path
    format: str  #: xlsx, xls, csv, yaml
    tables: dict[str, list[Row]] = field(default_factory=dict)
    problems: list[Reason] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    headers: dict[str | None, tuple[int, int]] = field(default_factory=dict)  #: candidate sheets: header row, width

    def add(self, kind: str, rows: Iterable[Row]) -> None:
        self.tables.setdefault(kind, []).extend(rows)


def lay_out(source: Grid | YamlDoc) -> Tables:
    """The tables of one file. Raises InputError when the file holds no candidate table."""
    tables = Tables(source.path, source.format, problems=list(source.problems), notes=list(source.notes))
    if isinstance(source, YamlDoc):
        _yaml_tables(source, tables)
    else:
        _grid_tables(source, tables)
    return tables


# --- spreadsheets ----------------------------------------------------------------------------------


def _grid_tables(grid: Grid, out: Tables) -> None:
    sheets = grid.sheets
    if grid.format == "csv":
        _read_table(out, sheets[0], "candidates")
        if "candidates" not in out.tables:
            raise InputError(grid.path, "前30行中找不到表头（应有“姓名”“身份证号”等栏目）")
        return
    kinds = [sheet_kind(s.name or "") for s in sheets]
    if len(sheets) == 1 and kinds[0] is None:
        kinds[0] = "candidates"  # the only sheet is the candidate sheet
    has_candidates = "candidates" in kinds
    for sheet, kind in zip(sheets, kinds, strict=True):
        if kind is None and has_candidates:
            out.notes.append(f"工作表“{sheet.name}”不是规定的表，未读取")
            continue
        _read_table(out, sheet, kind)
    if "candidates" not in out.tables:
        names = "、".join(s.name or "" for s in sheets)
        raise InputError(
            grid.path,
            f"找不到候选人表（工作表：{names}）：候选人表应命名为“候选人”，并在前30行中有“姓名”“身份证号”等表头",
        )


def _filled(rows: list[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
    """Rows with at least one value: an empty row is never a header, data or a footer."""
    for number, values in rows:
        for v in values:
            if v is not None and (v.__class__ is not str or v.strip()):
                yield number, values
                break


def _read_table(out: Tables, sheet: Sheet, kind: str | None) -> None:
    """Find the header of one table by its content, then read the data rows with their cell places."""
    from openpyxl.utils import get_column_letter

    rows = _filled(sheet.rows)
    numbered_head: list[tuple[int, list[Any]]] = []
    for item in rows:
        numbered_head.append(item)
        if len(numbered_head) == HEADER_SCAN_ROWS:
            break
    head = [values for _, values in numbered_head]
    found = _find_header(head, kind)
    if found is None:
        if kind is not None and sheet.name is not None:
            expected = "、".join(FIELDS[kind][f][0] for f in KEY_FIELDS[kind])
            place = Place(str(out.path), sheet.name)
            out.problems.append(
                Reason.of(Code.SHEET_HEADER_NOT_FOUND, place, sheet=sheet.name, rows=HEADER_SCAN_ROWS, expected=expected)
            )
        return
    kind, header_index, columns = found  # header_index: 1-based position among the rows read
    width = max(columns) + 1
    if kind == "candidates":
        out.headers[sheet.name] = (numbered_head[header_index - 1][0], max(len(head[header_index - 1]), width))
    letters = [get_column_letter(i + 1) for i in range(width)]
    _report_ignored(head[header_index - 1], columns, sheet.name or out.path.name, out)

    def data() -> Iterator[tuple[int, list[Any]]]:
        yield from numbered_head[header_index:]
        yield from rows

    file, name, formats = str(out.path), sheet.name, sheet.formats
    found_rows = []
    for number, cells in data():
        values = {}
        for col, field_name in columns.items():
            if col < len(cells):
                value = cells[col]
                if value is not None and (value.__class__ is not str or value.strip()):  # is_blank, inlined
                    fmt = formats.get((number, col)) if value.__class__ is float or value.__class__ is int else None
                    values[field_name] = Cell(value, fmt, Place(file, name, f"{letters[col]}{number}", number))
        row = _keep_row(kind, values, Place(file, name, None, number), out, cells[:width])
        if row is not None:
            found_rows.append(row)
    out.add(kind, found_rows)


def _find_header(head: list[list[Any]], kind: str | None) -> tuple[str, int, dict[int, str]] | None:
    """The header row (1-based) and its columns: the row naming most fields of the sheet's kind.

    A second header row (two-level headers under merged cells) adds the columns it names.
    """
    k = kind or "candidates"
    best: tuple[int, int, dict[int, str]] | None = None
    for i, cells in enumerate(head):
        columns = _header_columns(k, cells)
        if not any(f in columns.values() for f in KEY_FIELDS[k]):
            continue
        if len(columns) >= 2 and (best is None or len(columns) > best[0]):
            best = (len(columns), i + 1, columns)
    if best is None:
        return None
    _, row, columns = best
    if row < len(head):
        below = {c: f for c, f in _header_columns(k, head[row]).items() if c not in columns}
        if len(below) >= 2:
            columns = {**columns, **below}
            row += 1
    return k, row, columns


def _header_columns(kind: str, cells: list[Any]) -> dict[int, str]:
    columns: dict[int, str] = {}
    for col, value in enumerate(cells):
        if isinstance(value, str):
            name = header_field(kind, value)
            if name and name not in columns.values():
                columns[col] = name
    return columns


def _report_ignored(cells: list[Any], columns: dict[int, str], sheet: str, out: Tables) -> None:
    for col, value in enumerate(cells):
        if col not in columns and isinstance(value, str) and value.strip() and fold(value) not in IGNORED_HEADERS:
            out.notes.append(f"工作表“{sheet}”的“{value.strip()}”列不是规定的栏目，未读取")


def _keep_row(kind: str, values: dict[str, Cell], place: Place, out: Tables, raw: Iterable[Any] = ()) -> Row | None:
    """A data row, or None for empty, total and footer rows (which are not candidates).

    `raw` is every value of the row, mapped column or not: 合计 usually stands in the 序号 column.
    """
    if not values:
        return None
    if "id_number" in values:  # a total or footer row has no ID number: the common case is settled
        return Row(kind, place, values)
    texts = [fold(v) for v in raw if isinstance(v, str) and v.strip()]
    texts = texts or [fold(c.value) for c in values.values() if isinstance(c.value, str)]
    if any(t.startswith(_TOTAL_WORDS) for t in texts):
        return None
    if not any(k in values for k in KEY_FIELDS[kind]):
        first = texts[0] if texts else ""
        if not first.startswith(tuple(fold(s) for s in _FOOTER_STARTS)) and kind == "candidates":
            out.problems.append(Reason.of(Code.ROW_SKIPPED, place, row=place.row))
        return None
    return Row(kind, place, values)


# --- yaml ------------------------------------------------------------------------------------------


def _yaml_tables(doc: YamlDoc, out: Tables) -> None:
    path, data, marks = doc.path, doc.data, doc.marks
    if isinstance(data, list):
        data, marks = {"candidates": data}, {(("candidates",) + k): v for k, v in marks.items()}
    if not isinstance(data, dict):
        raise InputError(path, "YAML 文件应包含 candidates: 候选人列表")
    sections = [(sheet_kind(str(k)), k) for k in data]
    if "candidates" not in {kind for kind, _ in sections}:
        raise InputError(path, "YAML 文件中没有 candidates（候选人）列表")
    for kind, key in sections:
        if kind is None:
            out.notes.append(f"{path.name}：“{key}”不是规定的部分，未读取")
            continue
        items = data[key]
        if not isinstance(items, list):
            raise InputError(path, f"“{key}”应为列表（每项以“- ”开头）")
        _yaml_rows(path, kind, items, (key,), marks, out)


def _yaml_rows(
    path: Path,
    kind: str,
    items: list[Any],
    base: tuple[Any, ...],
    marks: dict[Any, Any],
    out: Tables,
    owner: Row | None = None,
) -> None:
    """Rows of one YAML list; details nested under a candidate belong to that candidate."""
    for i, item in enumerate(items):
        line = marks.get((*base, i), (None, None))[0]
        place = Place(str(path), None, None, i + 1, line)
        if not isinstance(item, dict):
            out.problems.append(Reason.of(Code.ROW_SKIPPED, place, row=i + 1))
            continue
        cells: dict[str, Cell] = {}
        nested: list[tuple[str, Any]] = []
        for key, value in item.items():
            name = header_field(kind, key)
            if name is None:
                detail = sheet_kind(str(key)) if kind == "candidates" else None
                if detail in DETAIL_KINDS and isinstance(value, list):
                    nested.append((detail, key))
                else:
                    out.notes.append(f"{path.name}：第{i + 1}项的“{key}”不是规定的字段，未读取")
                continue
            if not is_blank(value):
                vline = marks.get((*base, i, key), (line, None))[0]
                cells[name] = Cell(value, None, Place(str(path), None, None, i + 1, vline))
        if owner is not None:
            cells = {**{k: v for k, v in owner.cells.items() if k in ("id_number", "name")}, **cells}
        row = _keep_row(kind, cells, place, out)
        if row is None:
            continue
        if owner is not None:
            row = Row(kind, place, cells, owner=owner.place)
        out.add(kind, [row])
        for detail, key in nested:
            _yaml_rows(path, detail, item[key], (*base, i, key), marks, out, owner=row)
