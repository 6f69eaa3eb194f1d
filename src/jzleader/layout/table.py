"""One sheet as a table: merged cells spread over their range, the header found by content (one or two
levels), and the data rows with the Place of every cell (DOMAIN.md §3, §6)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jzleader.codes import Code
from jzleader.contract import FIELDS, IGNORED_HEADERS, KEY_FIELDS, header_field
from jzleader.inputs.grid import MAX_COLUMNS, Sheet
from jzleader.layout.rows import SAME_START, Sections, classify, same_as_above
from jzleader.layout.tables import Tables
from jzleader.model import Place, Reason, Row, SheetCells, SheetColumns
from jzleader.values import fold

HEADER_SCAN_ROWS = 30
_NUMBERS = (int, float)  #: the values whose number format a date or ID column needs (bool is neither)

Rows = list[tuple[int, list[Any]]]


def spread(sheet: Sheet) -> tuple[Rows, dict[tuple[int, int], str], set[tuple[int, int]]]:
    """The sheet's rows with every merged range's value in each of its cells: a 姓名 merged down a
    person's three award rows names all three; a blank outside a merge stays blank. The error values
    and bare formulas are spread the same way (a merged #REF! is unknown in every cell); the Grid
    itself is left as it was read."""
    if not sheet.merged:
        return sheet.rows, sheet.errors, sheet.formulas
    errors, formulas = dict(sheet.errors), set(sheet.formulas)
    rows = {number: list(values) for number, values in sheet.rows}
    last = max(rows, default=0)
    for top, left, bottom, right in sheet.merged:
        if top not in rows or left >= len(rows[top]) or left >= MAX_COLUMNS:
            continue
        value = rows[top][left]
        error, formula = errors.get((top, left)), (top, left) in formulas
        for number in range(top, min(bottom, last) + 1):
            row = rows.setdefault(number, [])
            for col in range(left, min(right, MAX_COLUMNS - 1) + 1):
                if col >= len(row):
                    row.extend([None] * (col + 1 - len(row)))
                if (number, col) != (top, left):
                    row[col] = value
                    if error is not None:
                        errors[(number, col)] = error
                    if formula:
                        formulas.add((number, col))
    return sorted(rows.items()), errors, formulas


def _filled(rows: Rows) -> Iterator[tuple[int, list[Any]]]:
    """Rows with at least one value: an empty row is never a header, data or a footer."""
    for number, values in rows:
        for v in values:
            if v is not None and (v.__class__ is not str or v.strip()):
                yield number, values
                break


def _header_columns(kind: str, cells: list[Any]) -> dict[int, str]:
    columns: dict[int, str] = {}
    for col, value in enumerate(cells):
        if isinstance(value, str):
            name = header_field(kind, value)
            if name and name not in columns.values():
                columns[col] = name
    return columns


def _header(head: list[list[Any]], kind: str) -> tuple[int, dict[int, str]] | None:
    """The header row (1-based among `head`) and its columns: the row naming most fields of the kind.

    A second level (a group cell over field cells) is read where it names the field: the row below the
    best row adds its columns when it names two more fields, and where both name a column the lower
    level wins. (With merges spread, a field merged down both rows stands on both.)
    """
    best: tuple[int, int, dict[int, str]] | None = None
    for i, cells in enumerate(head):
        columns = _header_columns(kind, cells)
        if not any(f in columns.values() for f in KEY_FIELDS[kind]):
            continue
        if len(columns) >= 2 and (best is None or len(columns) > best[0]):
            best = (len(columns), i + 1, columns)
    if best is None:
        return None
    _, row, columns = best
    if row < len(head):
        below = _header_columns(kind, head[row])
        if len(set(below.values()) - set(columns.values())) >= 2:
            merged = {c: f for c, f in columns.items() if f not in below.values()}
            merged.update(below)
            return row + 1, dict(sorted(merged.items()))
    return row, columns


def find_header(sheet: Sheet, kind: str) -> tuple[int, dict[int, str]] | None:
    head = [values for _, values in _head(spread(sheet)[0])[0]]
    return _header(head, kind)


def _head(rows: Rows) -> tuple[list[tuple[int, list[Any]]], Iterator[tuple[int, list[Any]]]]:
    filled = _filled(rows)
    head: list[tuple[int, list[Any]]] = []
    for item in filled:
        head.append(item)
        if len(head) == HEADER_SCAN_ROWS:
            break
    return head, filled


def read_table(out: Tables, sheet: Sheet, kind: str | None) -> None:
    """Find the header of one table by its content, then read the data rows with their cell places."""
    from openpyxl.utils import get_column_letter

    rows, errors, formulas = spread(sheet)
    numbered_head, rest = _head(rows)
    head = [values for _, values in numbered_head]
    k = kind or "candidates"
    found = _header(head, k)
    if found is None:
        if kind is not None and sheet.name is not None:
            expected = "、".join(FIELDS[kind][f][0] for f in KEY_FIELDS[kind])
            place = Place(str(out.path), sheet.name)
            out.problems.append(
                Reason.of(Code.SHEET_HEADER_NOT_FOUND, place, sheet=sheet.name, rows=HEADER_SCAN_ROWS, expected=expected)
            )
        return
    header_index, columns = found
    width = max(columns) + 1
    header_number, header_cells = numbered_head[header_index - 1]
    if k == "candidates":
        out.headers[sheet.name] = (header_number, max(len(header_cells), width))
    letters = [get_column_letter(i + 1) for i in range(width)]
    _report_ignored(header_cells, columns, sheet.name or out.path.name, out)
    header_text = {col: fold(header_cells[col]) for col in columns if col < len(header_cells)}

    def data() -> Iterator[tuple[int, list[Any]]]:
        yield from numbered_head[header_index:]
        yield from rest

    file, name = str(out.path), sheet.name
    formats = sheet.formats
    sections = Sections(out, file, name) if k == "candidates" else None
    found_rows: list[Row] = []
    untrusted = {r for r, _ in errors} | {r for r, _ in formulas}  # rows holding an error value or a bare formula
    sheet_columns = SheetColumns(columns, letters, SAME_START)  # a row is looked at for 同上 only if marked
    with_formats = {r for r, _ in formats}  # rows with a number whose format was kept
    for number, cells in data():
        fmts: dict[str, str] | None = None
        unknown: dict[str, tuple[Place, str]] = {}
        at = Place(file, name, None, number)  # the row; a cell's own Place is made only when a message names it
        if number in untrusted:
            cells = list(cells)  # the untrusted cells are no entry of the row; the Grid stays as it was read
            for col, field_name in columns.items():
                if (number, col) in errors or (number, col) in formulas:
                    unknown[field_name] = (Place(file, name, f"{letters[col]}{number}", number), errors.get((number, col), ""))
                    if col < len(cells):
                        cells[col] = None
        if number in with_formats:
            for col, field_name in columns.items():
                if col < len(cells) and cells[col].__class__ in _NUMBERS and (fmt := formats.get((number, col))):
                    fmts = fmts or {}
                    fmts[field_name] = fmt
        values = SheetCells(cells, sheet_columns, fmts, at)
        row = classify(k, values, unknown, at, out, cells[:width], header_text, sections)
        if row is not None:
            if found_rows:
                same_as_above(row, found_rows[-1], out)
            if sections is not None:
                row = sections.apply(row)
            found_rows.append(row)
    if sections is not None:
        sections.close()
    out.add(k, found_rows)
    hidden = sorted(r.place.row for r in found_rows if r.place.row is not None and r.place.row in sheet.hidden_rows)
    if hidden:
        listed = "、".join(str(n) for n in hidden)
        out.problems.append(Reason.of(Code.ROWS_HIDDEN, Place(file, name), sheet=name, rows=listed))


def _report_ignored(cells: list[Any], columns: dict[int, str], sheet: str, out: Tables) -> None:
    for col, value in enumerate(cells):
        if col not in columns and isinstance(value, str) and value.strip() and fold(value) not in IGNORED_HEADERS:
            out.notes.append(f"工作表“{sheet}”的“{value.strip()}”列不是规定的栏目，未读取")
