""".xlsx -> Grid: values through python-calamine (fast), with openpyxl's streaming parser where
calamine would not be safe (a sheet whose cells span an enormous range) or cannot read the file.

calamine reads 470,000 cells in a fraction of openpyxl's time but gives no number formats. Only
two kinds of number need what the XML itself says, and they are few: YYYY.1 in a year range
(1974.1 is October when the cell shows 0.00) and numbers of 15 digits or more (an ID written in
full by a program, which calamine hands back as a rounded float). For those cells alone, one regex
scan of the sheet's XML finds the style and the raw text.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jzleader.inputs import isolate
from jzleader.inputs.damage import Damaged, damaged
from jzleader.inputs.grid import MAX_COLUMNS, Arrived, Begun, Grid, Range, Sheet
from jzleader.inputs.safety import XML_NS, package_safe, sheet_paths, sheet_safe


def read_xlsx(path: Path) -> Grid:
    return begin_xlsx(path)()


def begin_xlsx(path: Path) -> Begun[Grid]:
    """read_xlsx begun: the sheets go to the readers' workers now, and the call returned waits for them (reading
    with openpyxl instead where calamine may not or could not), telling `arrived` of each sheet calamine has read
    as it arrives. What the read raises, the call raises."""
    # The workers are forked from this process, and both use openpyxl (the workers for the built-in number
    # formats, this process for column letters as it lays the sheets out): imported once, here, the workers
    # inherit it instead of importing it again (about 0.3 s of every run).
    import openpyxl.utils  # noqa: F401

    reading = _Reading(path)

    def finish(arrived: Arrived | None = None) -> Grid:
        try:
            grid = reading.result(arrived)
        except Damaged:
            grid = None  # let openpyxl try: it tells damage from unsafe XML, with its own message
        except isolate.ReaderDied:
            grid = _read_openpyxl(path)  # what killed the native reader may be nothing to openpyxl
            grid.notes.append(f"{path.name}：快速读取时读取程序异常退出，已改用 openpyxl 逐格读取")
            return grid
        return grid if grid is not None else _read_openpyxl(path)

    return finish


# --- the careful path: openpyxl's own parser ------------------------------------------------------


def _read_openpyxl(path: Path) -> Grid:
    import openpyxl

    grid = Grid(path, "xlsx")
    with warnings.catch_warnings(), path.open("rb") as handle:  # a handle: openpyxl refuses a name ending .xls
        warnings.simplefilter("ignore")  # openpyxl warns about styles, extensions and bad dates it skips
        try:
            wb = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception as e:  # openpyxl raises KeyError, ValueError, TypeError... on damaged parts
            raise damaged(path, e) from e
        try:
            grid.sheets = [_openpyxl_sheet(ws) for ws in wb.worksheets]
        except Damaged as e:
            raise damaged(path, e) from e
        finally:
            wb.close()
    return grid


def _parser_class() -> Any:
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class Parser(WorkSheetParser):  # type: ignore[misc]
        """openpyxl's parser, also saying which cells hold a formula saved without its result."""

        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell: dict[str, Any] = super().parse_cell(element)
            if element.find(FORMULA_TAG) is not None and not (element.findtext(VALUE_TAG) or "").strip():
                cell["formula_without_value"] = True
            return cell

    return Parser


def _openpyxl_sheet(ws: Any) -> Sheet:
    """The rows of a read-only sheet in the order they are written, each with its own row number.

    openpyxl's own read-only iteration pads gaps with empty rows up to the sheet's claimed
    <dimension> (A1:XFD1048576 makes every row 16,384 cells; rows far apart make a million empty
    ones) and silently drops a row numbered below the one before it. Its parser does neither.
    Number formats are looked up only for numbers: they are all a date or ID column needs.
    """
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
    from openpyxl.utils.cell import range_boundaries

    wb = ws.parent
    styles: dict[int, str] = {}

    def number_format(style_id: int) -> str:
        if style_id not in styles:
            try:
                fmt_id = wb._cell_styles[style_id].numFmtId
                styles[style_id] = (
                    BUILTIN_FORMATS.get(fmt_id, "General")
                    if fmt_id < BUILTIN_FORMATS_MAX_SIZE
                    else wb._number_formats[fmt_id - BUILTIN_FORMATS_MAX_SIZE]
                )
            except (IndexError, AttributeError, TypeError):
                styles[style_id] = "General"
        return styles[style_id]

    sheet = Sheet(ws.title, state=getattr(ws, "sheet_state", "visible") or "visible")
    try:
        with ws._get_source() as source:
            parser = _parser_class()(
                source, ws._shared_strings, data_only=True, epoch=wb.epoch,
                date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats,
            )  # fmt: skip
            parsed = list(parser.parse())
    except Exception as e:  # the parser's failure on damaged XML, nothing of ours
        raise Damaged() from e
    for number, cells in parsed:
        if not cells:
            continue
        width = min(max(c["column"] for c in cells), MAX_COLUMNS)
        row: list[Any] = [None] * width
        for c in cells:
            col = c["column"] - 1
            value = c["value"]
            if col >= width:
                continue
            if c.get("formula_without_value"):
                sheet.formulas.add((number, col))
            if value is None:
                continue
            if c["data_type"] == "e":
                sheet.errors[(number, col)] = str(value)
                continue
            row[col] = value
            if isinstance(value, int | float) and not isinstance(value, bool):
                sheet.formats[(number, col)] = number_format(c["style_id"] or 0)
        sheet.rows.append((number, row))
    for number, attrs in parser.row_dimensions.items():
        if str(attrs.get("hidden", "")).lower() in ("1", "true"):
            sheet.hidden_rows.add(int(number))
    merges = getattr(parser.merged_cells, "mergeCell", None) or []
    for m in merges:
        try:
            left, top, right, bottom = range_boundaries(m.ref)
        except (TypeError, ValueError):
            continue
        sheet.merged.append((top, left - 1, bottom, right - 1))
    return sheet


# --- the fast path: python-calamine for values -------------------------------------------------------


def _needs_xml(value: Any) -> bool:
    if not isinstance(value, float):
        return False
    if value >= 1e14:
        return True
    return 1900 < value < 2101 and round(value * 10) == value * 10 and round(value * 10) % 10 == 1


def _number_formats(archive: zipfile.ZipFile) -> list[str]:
    """Number format of each cell style (cellXfs), from styles.xml."""
    from defusedxml.ElementTree import fromstring
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    try:
        styles = fromstring(archive.read("xl/styles.xml"))
    except KeyError:
        return []
    custom = {int(f.get("numFmtId", -1)): f.get("formatCode", "General") for f in styles.findall("m:numFmts/m:numFmt", XML_NS)}
    out = []
    for xf in styles.findall("m:cellXfs/m:xf", XML_NS):
        fmt_id = int(xf.get("numFmtId", 0))
        out.append(custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id, "General")))
    return out


_CELL_AT = re.compile(rb"<c\b[^>]*?\br\s*=\s*[\"']([A-Z]{1,3}\d+)[\"']")
_CELL_VALUE = re.compile(rb"<c\b([^>]*)>(?:<f\b[^>]*(?:/>|>.*?</f>))?<v>([^<]*)</v>")
_STYLE = re.compile(rb"\bs\s*=\s*[\"'](\d+)[\"']")


def _cells_in_xml(data: bytes, coordinates: set[str]) -> dict[str, tuple[int, bytes | None]]:
    """Style id and raw value text of the named cells, found by one scan of the sheet's XML.

    One pattern finds every cell's reference and a set lookup picks the wanted ones (a pattern with every
    wanted reference as an alternative costs the text's length times their number: at 100,000 candidates,
    18 of the read stage's 35 s)."""
    if not coordinates:
        return {}
    wanted = {c.encode() for c in coordinates}
    out = {}
    for at in _CELL_AT.finditer(data):
        if at.group(1) in wanted and (m := _CELL_VALUE.match(data, at.start())) is not None:
            style = _STYLE.search(m.group(1))
            out[at.group(1).decode()] = (int(style.group(1)) if style else 0, m.group(2))
    return out


class _Reading:
    """A workbook's sheets read by python-calamine in the readers' workers. Each sheet goes to a worker as soon as
    this is made, the largest first, two at a time where there are two, and the worker scans the sheet's XML
    before calamine reads it: a sheet that fails its scan sends the whole workbook to openpyxl (`result` is
    None), and calamine never sees that sheet. None too where the package itself may not go to calamine
    (safety.py)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.names: list[str] = []
        self.started: dict[int, isolate.Pending[Sheet | None]] = {}
        self.refused = False
        self.failed: Damaged | isolate.ReaderDied | None = None  #: raised by `result`, as a read would raise it
        try:
            with zipfile.ZipFile(path) as archive:
                if not package_safe(archive):
                    self.refused = True
                    return
                paths = sheet_paths(archive)
                names, states, sizes = isolate.run(_sheet_list, path)
                for i in sorted(range(len(names)), key=lambda i: -sizes[i]):
                    self.started[i] = isolate.submit(_read_sheet, path, names[i], states[names[i]])
                self.names = names
                listed = set(names)  # a sheet calamine does not list is scanned all the same, as before
                self.refused = not all(sheet_safe(archive.read(p)) for name, p in paths.items() if name not in listed)
        except (Damaged, isolate.ReaderDied) as e:
            self.failed = e
        except Exception:  # anything odd about the package: the careful path decides and explains
            self.refused = True
        if self.refused or self.failed:
            self.cancel()

    def result(self, arrived: Arrived | None = None) -> Grid | None:
        """The workbook read, or None where calamine may not read it. Raises Damaged, ReaderDied. `arrived` is told
        of each sheet read as it arrives, until one fails or is refused; what the workbook then is (read, refused,
        damaged) is decided in the workbook's order of sheets, as if nobody had been told."""
        if self.failed is not None:
            raise self.failed
        if self.refused:
            return None
        if arrived is not None:
            for pending in isolate.as_arrived(self.started.values()):
                try:
                    sheet = pending.result()
                except Exception:  # noqa: BLE001 - decided below, in the workbook's order
                    break
                if sheet is None:
                    break
                arrived(sheet)
        sheets = []
        try:
            for i in range(len(self.names)):
                sheet = self.started[i].result()
                if sheet is None:
                    return None
                sheets.append(sheet)
        except (Damaged, isolate.ReaderDied):
            raise
        except Exception:  # as above
            return None
        finally:
            self.cancel()
        return Grid(self.path, "xlsx", sheets)

    def cancel(self) -> None:
        """A read not yet started when the workbook is refused will not start (nothing to one that is done)."""
        for p in self.started.values():
            p.cancel()


# what a worker opened: (the file as it was, its calamine workbook, its archive, sheet paths, number formats)
_opened: tuple[tuple[str, int, int], Any, zipfile.ZipFile, dict[str, str], list[str]] | None = None


def _open(path: Path) -> tuple[Any, zipfile.ZipFile, dict[str, str], list[str]]:
    """The workbook in this worker, opened once for all the sheets it reads of it."""
    from python_calamine import CalamineWorkbook

    global _opened
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if _opened is None or _opened[0] != key:
        if _opened is not None:
            _opened[2].close()
            _opened = None
        archive = zipfile.ZipFile(path)
        _opened = (key, CalamineWorkbook.from_path(str(path)), archive, sheet_paths(archive), _number_formats(archive))
    return _opened[1:]


def _sheet_list(path: Path) -> tuple[list[str], dict[str, str], list[int]]:
    """The sheets' names in the workbook's order, their visibility, and the size of each one's XML (in a worker)."""
    try:
        workbook, archive, paths, _ = _open(path)
        states = {m.name: STATES.get(str(m.visible), "visible") for m in workbook.sheets_metadata}
        names = list(workbook.sheet_names)
        sizes = [archive.getinfo(paths[name]).file_size if name in paths else 0 for name in names]
    except Exception as e:  # calamine's and zipfile's errors on a damaged package
        raise Damaged() from e
    return names, {name: states.get(name, "visible") for name in names}, sizes


def _read_sheet(path: Path, name: str, state: str) -> Sheet | None:
    """One sheet (in a worker): None when its XML fails the safety scan (safety.sheet_safe), before calamine has
    read any of it; else calamine's values, and from the XML what calamine leaves out."""
    try:
        workbook, archive, paths, formats = _open(path)
        xml = archive.read(paths[name]) if name in paths else None
        if xml is not None and not sheet_safe(xml):
            return None
        rows, merged = calamine_sheet(workbook, name)
        out = Sheet(name, rows, state=state, merged=_merges(merged))
        _exact_numbers(out, xml, formats)
        if xml is not None:
            _what_calamine_leaves_out(out, xml)
    except Exception as e:  # calamine's and zipfile's errors on a damaged package
        raise Damaged() from e
    return out


STATES = {
    "SheetVisibleEnum.Visible": "visible",
    "SheetVisibleEnum.Hidden": "hidden",
    "SheetVisibleEnum.VeryHidden": "veryHidden",
}


def _merges(ranges: Any) -> list[Range]:
    return [(top + 1, left, bottom + 1, right) for (top, left), (bottom, right) in ranges or []]


SHARED_TEXT = 40  #: texts up to this length recur down a column (units, titles, levels, 是/否): one object each


def calamine_sheet(workbook: Any, name: str) -> tuple[list[tuple[int, list[Any]]], Any]:
    """One sheet's rows (calamine_rows) and merged ranges. The native sheet is let go once its values are out,
    and calamine's own list of each row once the row is copied: a large workbook's sheets are read one after
    another without two of them, or two copies of one, in memory at once."""
    sheet = workbook.get_sheet_by_name(name)
    values = sheet.to_python()
    top, left = (sheet.start or (0, 0)) if values else (0, 0)
    merged = sheet.merged_cell_ranges
    del sheet
    return list(calamine_rows(values, top, left)), merged


def calamine_rows(values: list[list[Any]], top: int, left: int) -> Iterator[tuple[int, list[Any]]]:
    """Rows numbered as the sheet shows them, from column A; rows with nothing in them are left out. `values`
    is used up: each of its rows is let go (None) once read.

    calamine makes a new string for every cell; the short texts that recur down a column share one object
    here, so that a large sheet holds each of them once (and pickles each once from the reader's worker)."""
    pad = [None] * left
    seen: dict[str, str] = {}
    share = seen.setdefault
    for r, row in enumerate(values):
        values[r] = None  # type: ignore[call-overload]
        if row.count("") != len(row):  # something in it (calamine's empty cell is ""): counted in C
            row = [share(v, v) if v.__class__ is str and len(v) <= SHARED_TEXT else v for v in row[: MAX_COLUMNS - left]]
            yield top + r + 1, (pad + row) if left else row


def _exact_numbers(sheet: Sheet, xml: bytes | None, formats: list[str]) -> None:
    """The few numbers calamine cannot give exactly: their number format and, for IDs, the digits."""
    from openpyxl.utils import get_column_letter

    wanted = {
        f"{get_column_letter(c + 1)}{number}": (number, c)
        for number, row in sheet.rows
        for c, value in enumerate(row)
        if value.__class__ is float and _needs_xml(value)
    }
    if not wanted or xml is None:
        return
    rows = dict(sheet.rows)
    for coordinate, (style, raw) in _cells_in_xml(xml, set(wanted)).items():
        number, c = wanted[coordinate]
        row = rows[number]
        if raw is not None and raw.isdigit():
            row[c] = int(raw)  # an ID written in full: calamine rounded it to a float
        if 0 <= style < len(formats):
            sheet.formats[(number, c)] = formats[style]


# calamine reads an error value (#REF!) and a formula saved without its result alike as an empty cell, and
# says nothing of hidden rows. The sheet's own XML says all three; each is rare, so each scan starts with
# a plain search for its marker and costs nothing on a sheet without one. (A sheet written with namespace
# prefixes never reaches calamine: safety.sheet_safe sends it to openpyxl.)
_HIDDEN_ROW = re.compile(rb"<row\b[^>]*\bhidden\s*=\s*[\"'](?:1|true)[\"'][^>]*>")
_ROW_REF = re.compile(rb"\br\s*=\s*[\"'](\d+)[\"']")
_ERROR_CELL = re.compile(rb"<c\b([^>]*\bt\s*=\s*[\"']e[\"'][^>]*)>(.*?)</c>", re.S)
_CELL_REF = re.compile(rb"\br\s*=\s*[\"']([A-Z]{1,3})(\d+)[\"']")
_VALUE = re.compile(rb"<v>([^<]*)</v>")


def _position(attributes: bytes) -> tuple[int, int] | None:
    from openpyxl.utils import column_index_from_string

    m = _CELL_REF.search(attributes)
    return (int(m.group(2)), column_index_from_string(m.group(1).decode()) - 1) if m else None


def _what_calamine_leaves_out(sheet: Sheet, xml: bytes) -> None:
    if b"hidden" in xml:
        for m in _HIDDEN_ROW.finditer(xml):
            ref = _ROW_REF.search(m.group(0))
            if ref:
                sheet.hidden_rows.add(int(ref.group(1)))
    if b't="e"' in xml or b"t='e'" in xml:
        for m in _ERROR_CELL.finditer(xml):
            where, value = _position(m.group(1)), _VALUE.search(m.group(2))
            if where and where[1] < MAX_COLUMNS:
                sheet.errors[where] = value.group(1).decode(errors="replace") if value else "#N/A"
    start = xml.find(b"<f")
    while start != -1:  # a formula: is there a result beside it?
        cell_start, cell_end = xml.rfind(b"<c ", 0, start), xml.find(b"</c>", start)
        if cell_start != -1 and cell_end != -1:
            cell = xml[cell_start:cell_end]
            value = _VALUE.search(cell)
            if value is None or not value.group(1).strip():
                where = _position(cell[: cell.find(b">")])
                if where and where[1] < MAX_COLUMNS:
                    sheet.formulas.add(where)
        start = xml.find(b"<f", cell_end if cell_end != -1 else start + 2)
