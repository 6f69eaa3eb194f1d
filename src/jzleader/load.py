"""Read input files into rows of cells with their places (DOMAIN.md §3, §4).

The format is decided by the file's first bytes, not its name. Anything that makes a whole
file unusable raises InputError (exit 2) naming the file and the fix; a bad sheet or row is
a problem record and reading goes on. Input files are opened read-only and never written.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException

from jzleader.codes import Code
from jzleader.contract import (
    DETAIL_KINDS,
    FIELDS,
    IGNORED_HEADERS,
    KEY_FIELDS,
    header_field,
    sheet_kind,
)
from jzleader.errors import InputError
from jzleader.limits import DEFAULT_MAX_UNPACKED_MB, MAX_CALAMINE_CELLS, MAX_RATIO
from jzleader.model import Cell, Place, Reason, Row
from jzleader.values import fold, is_blank
from jzleader.yamlfile import YamlSyntaxError, load_yaml

HEADER_SCAN_ROWS = 30
MAX_COLUMNS = 256  #: the contract has about 30 columns; a row claiming 16,384 is cut here
INPUT_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".yaml", ".yml")
_TOTAL_WORDS = ("合计", "总计", "小计", "共计")
_FOOTER_STARTS = ("注", "说明", "填表", "备注", "制表", "审核人", "联系人", "单位(盖章)", "单位盖章", "负责人")

_ZIP = b"PK\x03\x04"
_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")


@dataclass
class Book:
    """The rows of one input file, by sheet kind."""

    path: Path
    format: str  #: xlsx, csv, yaml
    tables: dict[str, list[Row]] = field(default_factory=dict)
    problems: list[Reason] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    headers: dict[str | None, tuple[int, int]] = field(default_factory=dict)  #: candidate sheets: header row, width

    def add(self, kind: str, rows: Iterable[Row]) -> None:
        self.tables.setdefault(kind, []).extend(rows)


def expand_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a folder stands for the workbooks and YAML files directly inside it.

    Office lock files (~$...) and hidden files are skipped.
    """
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = sorted(
                f
                for f in p.iterdir()
                if f.is_file() and f.suffix.lower() in INPUT_SUFFIXES and not f.name.startswith(("~$", "."))
            )
            if not found:
                raise InputError(p, "文件夹中没有 .xlsx、.xls、.csv 或 .yaml 文件")
            out.extend(found)
        else:
            out.append(p)
    return out


def _check_archive(path: Path, max_unpacked_mb: int) -> None:
    """Refuse a zip bomb from the archive's own directory, before any XML is parsed.

    Python's zipfile never inflates a member past its declared size (a lying header ends in a
    CRC error), so the declared sizes bound the work.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except Exception as e:  # zipfile raises BadZipFile, NotImplementedError, EOFError, struct.error...
        raise InputError(path, _DAMAGED) from e
    total = sum(m.file_size for m in members)
    worst = max((m.file_size / max(m.compress_size, 1) for m in members if m.file_size > 10_000_000), default=0)
    if total > max_unpacked_mb * 1_000_000 or worst > MAX_RATIO:
        raise InputError(
            path,
            f"工作簿解压后有 {total // 1_000_000} MB（压缩比 {worst:.0f} 倍），超过 {max_unpacked_mb} MB 的安全上限，"
            "可能是恶意文件，已拒绝读取；确属正常的大文件请用 --max-unpacked-mb 调高上限",
        )


def read_file(path: Path, *, max_unpacked_mb: int = DEFAULT_MAX_UNPACKED_MB) -> Book:
    """Read one input file of any supported format."""
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except FileNotFoundError as e:
        raise InputError(path, "找不到文件，请检查文件名和路径") from e
    except IsADirectoryError as e:
        raise InputError(path, "这是一个文件夹") from e
    except OSError as e:
        raise InputError(path, f"无法打开文件（{e.strerror}），如果文件正在 Excel/WPS 中打开，请先关闭") from e
    if not head:
        raise InputError(path, "文件是空的（0字节），请让报送单位重新发送")
    suffix = path.suffix.lower()
    if head.startswith(_ZIP):
        _check_archive(path, max_unpacked_mb)
        return _by_content(_read_xlsx(path), suffix, (".xlsx", ".xlsm"), ".xlsx")
    if head.startswith(_OLE2):
        return _by_content(_read_ole2(path), suffix, (".xls",), ".xls")
    if suffix in (".xlsx", ".xlsm", ".xls"):
        raise InputError(
            path,
            f"扩展名是 {suffix}，但内容不是 Excel 工作簿。如果它其实是 CSV 文本，请把扩展名改为 .csv；否则可能是发错了文件",
        )
    if suffix in (".yaml", ".yml"):
        return _read_yaml(path)
    if suffix == ".csv":
        return _read_csv(path)
    raise InputError(path, "无法识别的文件类型：请提供 .xlsx、.xls、.csv 或 .yaml 文件")


def _by_content(book: Book, suffix: str, expected: tuple[str, ...], actual: str) -> Book:
    """A workbook whose name says another format is read by its content, and the officer is told."""
    if suffix not in expected:
        params: dict[str, Any] = {"file": book.path.name, "suffix": suffix or "（无）", "actual": actual}
        book.problems.append(Reason.of(Code.FORMAT_BY_CONTENT, Place(str(book.path)), **params))
    return book


def _read_ole2(path: Path) -> Book:
    """An OLE2 container: an old .xls workbook, or an encrypted (password-protected) .xlsx."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(s) for s in ole.listdir()}
    except Exception as e:  # any damage to the container: olefile raises several kinds
        raise InputError(path, _DAMAGED) from e
    if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
        raise InputError(path, _PASSWORD)
    if "Workbook" in streams or "Book" in streams:
        return _read_xls(path)
    raise InputError(path, "这是 Office 文件，但不是 Excel 工作簿")


_PASSWORD = "工作簿设置了打开密码：请在 Excel/WPS 中取消密码后重新保存，再检查"
_DAMAGED = "文件不完整或已损坏（可能下载或复制时中断），请让报送单位重新发送"
#: rows as (row number as Excel shows it, [(value, number format), ...] by column from A)
Grid = Iterator[tuple[int, list[tuple[Any, str | None]]]]


# --- workbooks: one table reader for .xlsx, .xls and .csv ------------------------------------


def _read_grids(book: Book, sheets: list[tuple[str, Any]]) -> None:
    """Read every sheet of a workbook; `sheets` holds (title, a function giving its rows)."""
    kinds = {title: sheet_kind(title) for title, _ in sheets}
    if len(sheets) == 1 and kinds[sheets[0][0]] is None:
        kinds[sheets[0][0]] = "candidates"  # the only sheet is the candidate sheet
    has_candidates = "candidates" in kinds.values()
    for title, grid in sheets:
        kind = kinds[title]
        if kind is None and has_candidates:
            book.notes.append(f"工作表“{title}”不是规定的表，未读取")
            continue
        _read_table(book, title, kind, grid())
    if "candidates" not in book.tables:
        names = "、".join(title for title, _ in sheets)
        raise InputError(
            book.path,
            f"找不到候选人表（工作表：{names}）：候选人表应命名为“候选人”，并在前30行中有“姓名”“身份证号”等表头",
        )


def _read_table(book: Book, sheet: str | None, kind: str | None, rows: Grid) -> None:
    """Find the header of one table by its content, then read the data rows with their cell places."""
    from openpyxl.utils import get_column_letter

    numbered_head: list[tuple[int, list[tuple[Any, str | None]]]] = []
    for item in rows:
        numbered_head.append(item)
        if len(numbered_head) == HEADER_SCAN_ROWS:
            break
    head = [cells for _, cells in numbered_head]
    found = _find_header(head, kind)
    if found is None:
        if kind is not None and sheet is not None:
            expected = "、".join(FIELDS[kind][f][0] for f in KEY_FIELDS[kind])
            place = Place(str(book.path), sheet)
            book.problems.append(
                Reason.of(Code.SHEET_HEADER_NOT_FOUND, place, sheet=sheet, rows=HEADER_SCAN_ROWS, expected=expected)
            )
        return
    kind, header_index, columns = found  # header_index: 1-based position among the rows read
    width = max(columns) + 1
    if kind == "candidates":
        book.headers[sheet] = (numbered_head[header_index - 1][0], max(len(head[header_index - 1]), width))
    letters = [get_column_letter(i + 1) for i in range(width)]
    _report_ignored(head[header_index - 1], columns, sheet or book.path.name, book)

    def numbered() -> Grid:
        yield from numbered_head[header_index:]
        for number, row in rows:
            yield number, row[:width]

    file = str(book.path)
    out = []
    for number, cells in numbered():
        values = {}
        for col, name in columns.items():
            if col < len(cells):
                value, fmt = cells[col]
                if value is not None and (value.__class__ is not str or value.strip()):  # is_blank, inlined
                    values[name] = Cell(value, fmt, Place(file, sheet, f"{letters[col]}{number}", number))
        row = _keep_row(kind, values, Place(file, sheet, None, number), book, (value for value, _ in cells))
        if row is not None:
            out.append(row)
    book.add(kind, out)


class _Damaged(Exception):
    """Raised from a row generator when the library parsing the file fails: the file is damaged.

    Only the libraries' own work is wrapped, so that a mistake in jzleader's code is never
    reported to the officer as a damaged file (and is caught by the fuzzing tests instead).
    """


def _damaged(path: Path, error: BaseException) -> InputError:
    if _caused_by(error, DefusedXmlException):  # openpyxl wraps defusedxml's refusal in a ValueError
        return InputError(path, "工作簿中含有不安全的 XML 内容（实体扩展或外部实体引用），可能是恶意文件，已拒绝读取")
    if _caused_by(error, zipfile.BadZipFile):
        return InputError(path, _DAMAGED)
    cause = error.__cause__ if isinstance(error, _Damaged) and error.__cause__ else error
    return InputError(path, f"工作簿内容已损坏，无法读取（{type(cause).__name__}），请在 Excel/WPS 中打开后另存一份")


def _read_xlsx(path: Path) -> Book:
    """Values through python-calamine (fast), with openpyxl's streaming parser where calamine would
    not be safe (a sheet whose cells span an enormous range) or cannot read the file."""
    if _calamine_safe(path):
        try:
            return _read_xlsx_calamine(path)
        except _Damaged:
            pass  # let openpyxl try: it tells damage from unsafe XML, with its own message
    return _read_xlsx_openpyxl(path)


def _read_xlsx_openpyxl(path: Path) -> Book:
    import openpyxl

    book = Book(path, "xlsx")
    with warnings.catch_warnings(), path.open("rb") as handle:  # a handle: openpyxl refuses a name ending .xls
        warnings.simplefilter("ignore")  # openpyxl warns about styles, extensions and bad dates it skips
        try:
            wb = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception as e:  # openpyxl raises KeyError, ValueError, TypeError... on damaged parts
            raise _damaged(path, e) from e
        try:
            _read_grids(book, [(ws.title, _xlsx_rows(ws)) for ws in wb.worksheets])
        except _Damaged as e:
            raise _damaged(path, e) from e
        finally:
            wb.close()
    return book


def _xlsx_rows(ws: Any) -> Any:
    """The rows of a read-only sheet in the order they are written, each with its own row number.

    openpyxl's own read-only iteration pads gaps with empty rows up to the sheet's claimed
    <dimension> (A1:XFD1048576 makes every row 16,384 cells; rows far apart make a million empty
    ones) and silently drops a row numbered below the one before it. Its parser does neither.
    Number formats are looked up only for numbers: they are all a date column needs.
    """
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
    from openpyxl.worksheet._reader import WorkSheetParser

    wb = ws.parent
    formats: dict[int, str] = {}

    def number_format(style_id: int) -> str:
        if style_id not in formats:
            try:
                fmt_id = wb._cell_styles[style_id].numFmtId
                formats[style_id] = (
                    BUILTIN_FORMATS.get(fmt_id, "General")
                    if fmt_id < BUILTIN_FORMATS_MAX_SIZE
                    else wb._number_formats[fmt_id - BUILTIN_FORMATS_MAX_SIZE]
                )
            except (IndexError, AttributeError, TypeError):
                formats[style_id] = "General"
        return formats[style_id]

    def parsed() -> Iterator[tuple[int, list[dict[str, Any]]]]:
        try:
            with ws._get_source() as source:
                parser = WorkSheetParser(
                    source, ws._shared_strings, data_only=True, epoch=wb.epoch,
                    date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats,
                )  # fmt: skip
                yield from parser.parse()
        except Exception as e:  # the parser's failure on damaged XML, nothing of ours
            raise _Damaged() from e

    def rows() -> Grid:
        for number, cells in parsed():
            if not cells:
                continue
            width = min(max(c["column"] for c in cells), MAX_COLUMNS)
            row: list[tuple[Any, str | None]] = [(None, None)] * width
            for c in cells:
                col = c["column"]
                if col <= width and c["value"] is not None:
                    value = c["value"]
                    fmt = number_format(c["style_id"] or 0) if isinstance(value, int | float) else None
                    row[col - 1] = (value, fmt)
            yield number, row

    return rows


# --- the fast path: python-calamine for values -------------------------------------------------------
#
# calamine reads 470,000 cells in a fraction of openpyxl's time but gives no number formats.
# Only two kinds of number need what the XML itself says, and they are few: YYYY.1 in a
# year range (1974.1 is October when the cell shows 0.00) and numbers of 15 digits or more
# (an ID written in full by a program, which calamine hands back as a rounded float). For those
# cells alone, one regex scan of the sheet's XML finds the style and the raw text.

_XML_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
           "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
           "p": "http://schemas.openxmlformats.org/package/2006/relationships"}  # fmt: skip
_ROW_NUMBER = re.compile(rb"<row\b[^>]*?\br=\"(\d+)\"")
_CELL_COLUMN = re.compile(rb"<c\b[^>]*?\br=\"([A-Z]{1,3})\d+\"")


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML member, from workbook.xml and its relationships (defused parsing)."""
    from defusedxml.ElementTree import fromstring

    workbook = fromstring(archive.read("xl/workbook.xml"))
    rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("p:Relationship", _XML_NS)}
    out = {}
    for sheet in workbook.findall("m:sheets/m:sheet", _XML_NS):
        target = targets.get(sheet.get(f"{{{_XML_NS['r']}}}id"), "")
        out[sheet.get("name", "")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return out


_BAD_CELL_REF = re.compile(rb"<c\b[^>]*?\br=\"(?![A-Z]{1,3}[1-9][0-9]{0,6}\")")
_BAD_ROW_REF = re.compile(rb"<row\b[^>]*?\br=\"(?![1-9][0-9]{0,6}\")")
_CELL_ROW = re.compile(rb"<c\b[^>]*?\br=\"[A-Z]{1,3}([0-9]+)\"")


def _calamine_safe(path: Path) -> bool:
    """Whether calamine may read this package. It aborts the whole process (a Rust panic or a
    failed allocation, which no except clause can catch) on a cell reference whose numbers
    overflow (ZZZZ99999999), on a huge row number given to cells without a reference, and it
    allocates the full rectangle from first to last cell. So: every cell and row reference must
    be plain and within Excel's limits, the rectangle modest, and no part may declare a DOCTYPE
    (entity tricks go to the defusedxml path and its message). Otherwise openpyxl reads it."""
    from openpyxl.utils import column_index_from_string

    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.filename.endswith((".xml", ".rels")):
                    with archive.open(info) as part:
                        if b"<!DOCTYPE" in part.read(4096).upper():
                            return False
            for sheet_path in _sheet_paths(archive).values():
                data = archive.read(sheet_path)
                if _BAD_CELL_REF.search(data) or _BAD_ROW_REF.search(data):
                    return False
                # a cell without r takes its row's number: both count
                rows = max((int(m) for m in [*_CELL_ROW.findall(data), *_ROW_NUMBER.findall(data)]), default=0)
                cols = max((column_index_from_string(m.decode()) for m in set(_CELL_COLUMN.findall(data))), default=0)
                if rows > 1_048_576 or cols > 16_384 or rows * max(cols, 1) > MAX_CALAMINE_CELLS:
                    return False
    except Exception:  # anything odd about the package: the careful path decides and explains
        return False
    return True


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
    custom = {int(f.get("numFmtId", -1)): f.get("formatCode", "General") for f in styles.findall("m:numFmts/m:numFmt", _XML_NS)}
    out = []
    for xf in styles.findall("m:cellXfs/m:xf", _XML_NS):
        fmt_id = int(xf.get("numFmtId", 0))
        out.append(custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id, "General")))
    return out


def _cells_in_xml(data: bytes, coordinates: set[str]) -> dict[str, tuple[int, bytes | None]]:
    """Style id and raw value text of the named cells, found by one scan of the sheet's XML."""
    if not coordinates:
        return {}
    wanted = b"|".join(re.escape(c.encode()) for c in sorted(coordinates))
    pattern = re.compile(rb"<c\b([^>]*?\br=\"(" + wanted + rb")\"[^>]*)>(?:<f\b[^>]*(?:/>|>.*?</f>))?<v>([^<]*)</v>")
    out = {}
    for m in pattern.finditer(data):
        style = re.search(rb"\bs=\"(\d+)\"", m.group(1))
        out[m.group(2).decode()] = (int(style.group(1)) if style else 0, m.group(3))
    return out


def _read_xlsx_calamine(path: Path) -> Book:
    from openpyxl.utils import get_column_letter
    from python_calamine import CalamineWorkbook

    book = Book(path, "xlsx")
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        with zipfile.ZipFile(path) as archive:
            paths = _sheet_paths(archive)
            formats = _number_formats(archive)
            sheets = []
            for name in workbook.sheet_names:
                sheet = workbook.get_sheet_by_name(name)
                grid = sheet.to_python()
                top, left = (sheet.start or (0, 0)) if grid else (0, 0)
                wanted = {
                    f"{get_column_letter(left + c + 1)}{top + r + 1}"
                    for r, row in enumerate(grid)
                    for c, value in enumerate(row[:MAX_COLUMNS])
                    if value.__class__ is float and _needs_xml(value)
                }
                found = _cells_in_xml(archive.read(paths[name]), wanted) if wanted and name in paths else {}
                sheets.append((name, _calamine_rows(grid, top, left, found, formats)))
    except Exception as e:  # calamine's and zipfile's errors on a damaged package
        raise _Damaged() from e
    _read_grids(book, sheets)
    return book


def _calamine_rows(
    grid: list[list[Any]], top: int, left: int, found: dict[str, tuple[int, bytes | None]], formats: list[str]
) -> Any:
    from openpyxl.utils import get_column_letter

    def cell(r: int, c: int, value: Any) -> tuple[Any, str | None]:
        if value.__class__ is not float:  # the common case: text, dates, booleans
            return (None, None) if value == "" else (value, None)
        if not _needs_xml(value):
            return value, None
        style, raw = found.get(f"{get_column_letter(left + c + 1)}{top + r + 1}", (None, None))
        if raw is not None and raw.isdigit():
            value = int(raw)  # an ID written in full: calamine rounded it to a float
        fmt = formats[style] if style is not None and 0 <= style < len(formats) else None
        return value, fmt

    def rows() -> Grid:
        for r, row in enumerate(grid):
            cells = [(None, None)] * left + [cell(r, c, v) for c, v in enumerate(row[: MAX_COLUMNS - left])]
            if any(v is not None for v, _ in cells):
                yield top + r + 1, cells

    return rows


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    seen = 0
    current: BaseException | None = error
    while current is not None and seen < 20:
        if isinstance(current, kind):
            return True
        current, seen = current.__cause__ or current.__context__, seen + 1
    return False


def _read_xls(path: Path) -> Book:
    """An old .xls (BIFF) workbook, read with xlrd with its number formats (1974.1 shown as 0.00)."""
    import xlrd

    book = Book(path, "xls")
    try:
        wb = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except xlrd.XLRDError as e:
        raise InputError(path, _PASSWORD if "encrypt" in str(e).lower() else _DAMAGED) from e
    except Exception as e:  # xlrd raises struct.error, IndexError, AssertionError... on damage
        raise InputError(path, _DAMAGED) from e
    try:
        _read_grids(book, [(name, _xls_rows(wb, i)) for i, name in enumerate(wb.sheet_names())])
    except _Damaged as e:
        raise InputError(path, _DAMAGED) from e
    finally:
        wb.release_resources()
    return book


def _xls_rows(wb: Any, index: int) -> Any:
    import xlrd

    formats = {key: f.format_str for key, f in wb.format_map.items()}

    def value(cell: Any) -> Any:
        if cell.ctype == xlrd.XL_CELL_DATE:
            try:
                return xlrd.xldate.xldate_as_datetime(cell.value, wb.datemode)
            except (xlrd.xldate.XLDateError, ValueError, OverflowError):
                return cell.value
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return bool(cell.value)
        if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
            return None
        return cell.value

    def row_cells() -> Iterator[list[Any]]:
        try:
            sheet = wb.sheet_by_index(index)
            for r in range(sheet.nrows):
                yield sheet.row(r)[:MAX_COLUMNS]
        except Exception as e:  # xlrd's failure on a damaged sheet
            raise _Damaged() from e

    def fmt(cell: Any) -> str | None:
        try:
            return formats.get(wb.xf_list[cell.xf_index].format_key)
        except (IndexError, TypeError):
            return None

    def rows() -> Grid:
        for r, cells in enumerate(row_cells(), start=1):
            yield r, [(value(c), fmt(c)) for c in cells]

    return rows


def _find_header(head: list[list[tuple[Any, str | None]]], kind: str | None) -> tuple[str, int, dict[int, str]] | None:
    """The header row (1-based) and its columns: the row naming most fields of the sheet's kind.

    A second header row (two-level headers under merged cells) adds the columns it names.
    """
    kinds = [kind] if kind else ["candidates"]
    best: tuple[int, str, int, dict[int, str]] | None = None
    for k in kinds:
        for i, cells in enumerate(head):
            columns = _header_columns(k, cells)
            if not any(f in columns.values() for f in KEY_FIELDS[k]):
                continue
            if len(columns) >= 2 and (best is None or len(columns) > best[0]):
                best = (len(columns), k, i + 1, columns)
    if best is None:
        return None
    _, k, row, columns = best
    if row < len(head):
        below = {c: f for c, f in _header_columns(k, head[row]).items() if c not in columns}
        if len(below) >= 2:
            columns = {**columns, **below}
            row += 1
    return k, row, columns


def _header_columns(kind: str, cells: list[tuple[Any, str | None]]) -> dict[int, str]:
    columns: dict[int, str] = {}
    for col, (value, _) in enumerate(cells):
        if isinstance(value, str):
            name = header_field(kind, value)
            if name and name not in columns.values():
                columns[col] = name
    return columns


def _report_ignored(cells: list[tuple[Any, str | None]], columns: dict[int, str], sheet: str, book: Book) -> None:
    for col, (value, _) in enumerate(cells):
        if col not in columns and isinstance(value, str) and value.strip() and fold(value) not in IGNORED_HEADERS:
            book.notes.append(f"工作表“{sheet}”的“{value.strip()}”列不是规定的栏目，未读取")


def _keep_row(kind: str, values: dict[str, Cell], place: Place, book: Book, raw: Iterable[Any] = ()) -> Row | None:
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
            book.problems.append(Reason.of(Code.ROW_SKIPPED, place, row=place.row))
        return None
    return Row(kind, place, values)


# --- csv -----------------------------------------------------------------------------------


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """Decode as WPS and Excel save text: BOMs first, then strict UTF-8, then GB18030 (⊃ GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8 (BOM)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    for encoding, label in (("utf-8", "UTF-8"), ("gb18030", "GB18030/GBK")):
        try:
            return data.decode(encoding), label
        except UnicodeDecodeError:
            continue
    raise InputError(path, "无法识别文本编码（不是 UTF-8 也不是 GBK），请在 Excel/WPS 中另存为 .xlsx")


def _read_csv(path: Path) -> Book:
    try:
        text, encoding = decode_text(path, path.read_bytes())
    except UnicodeDecodeError as e:
        raise InputError(path, "文件编码损坏，无法读取，请在 Excel/WPS 中另存为 .xlsx") from e
    book = Book(path, "csv")
    book.notes.append(f"{path.name}：按 {encoding} 编码读取")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows: Grid = (
        (n, [(v, None) for v in r[:MAX_COLUMNS]]) for n, r in enumerate(csv.reader(io.StringIO(text), dialect), start=1)
    )
    _read_table(book, None, "candidates", rows)
    if "candidates" not in book.tables:
        raise InputError(path, "前30行中找不到表头（应有“姓名”“身份证号”等栏目）")
    return book


# --- yaml ----------------------------------------------------------------------------------


def _read_yaml(path: Path) -> Book:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(path, "YAML 文件必须是 UTF-8 编码") from e
    try:
        data, marks = load_yaml(text)
    except YamlSyntaxError as e:
        where = f"第{e.line}行第{e.column}列" if e.line else ""
        raise InputError(path, f"YAML 格式错误{where}：{e.problem}") from e
    if isinstance(data, list):
        data, marks = {"candidates": data}, {(("candidates",) + k): v for k, v in marks.items()}
    if not isinstance(data, dict):
        raise InputError(path, "YAML 文件应包含 candidates: 候选人列表")
    book = Book(path, "yaml")
    sections = [(sheet_kind(str(k)), k) for k in data]
    if "candidates" not in {kind for kind, _ in sections}:
        raise InputError(path, "YAML 文件中没有 candidates（候选人）列表")
    for kind, key in sections:
        if kind is None:
            book.notes.append(f"{path.name}：“{key}”不是规定的部分，未读取")
            continue
        items = data[key]
        if not isinstance(items, list):
            raise InputError(path, f"“{key}”应为列表（每项以“- ”开头）")
        _yaml_rows(path, kind, items, (key,), marks, book)
    return book


def _yaml_rows(
    path: Path,
    kind: str,
    items: list[Any],
    base: tuple[Any, ...],
    marks: dict[Any, Any],
    book: Book,
    owner: Row | None = None,
) -> None:
    """Rows of one YAML list; details nested under a candidate belong to that candidate."""
    for i, item in enumerate(items):
        line = marks.get((*base, i), (None, None))[0]
        place = Place(str(path), None, None, i + 1, line)
        if not isinstance(item, dict):
            book.problems.append(Reason.of(Code.ROW_SKIPPED, place, row=i + 1))
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
                    book.notes.append(f"{path.name}：第{i + 1}项的“{key}”不是规定的字段，未读取")
                continue
            if not is_blank(value):
                vline = marks.get((*base, i, key), (line, None))[0]
                cells[name] = Cell(value, None, Place(str(path), None, None, i + 1, vline))
        if owner is not None:
            cells = {**{k: v for k, v in owner.cells.items() if k in ("id_number", "name")}, **cells}
        row = _keep_row(kind, cells, place, book)
        if row is None:
            continue
        if owner is not None:
            row = Row(kind, place, cells, owner=owner.place)
        book.add(kind, [row])
        for detail, key in nested:
            _yaml_rows(path, detail, item[key], (*base, i, key), marks, book, owner=row)
