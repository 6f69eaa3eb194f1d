"""What every workbook jzleader writes shares: safe writing (atomic, never over an input), widths
fitted to Chinese text, tables laid out for A4."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jzleader.errors import InputError
from jzleader.idnumber import redact
from jzleader.model import Verdict
from jzleader.report.wrap import width as text_width

FILL = {
    Verdict.ELIGIBLE: PatternFill("solid", fgColor="C6EFCE"),
    Verdict.REVIEW: PatternFill("solid", fgColor="FFEB9C"),
    Verdict.INELIGIBLE: PatternFill("solid", fgColor="FFC7CE"),
}


SOFT = PatternFill("solid", fgColor="FFF2CC")  #: a cell that a problem names, in the annotated copy


HEADER = PatternFill("solid", fgColor="D9E1F2")


RED = PatternFill("solid", fgColor="FFC7CE")


BOLD = Font(bold=True)


TITLE = Font(bold=True, size=14)


WRAP = Alignment(wrap_text=True, vertical="top")


TOP = Alignment(vertical="top")


def literal(value: Any) -> Any:
    """A value as a cell may hold it: text without the control characters a workbook cannot store."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write one value as a literal: text from an input file stays text, even when it starts with
    =, +, - or @ (a name written =HYPERLINK(...) must never become a live formula in a report)."""
    cell = ws.cell(row, column)
    cell.value = literal(value)
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def check_target(target: Path, inputs: Iterable[Path]) -> None:
    """Refuse to write over an input file, or to a name that is not .xlsx (exit 2)."""
    if target.suffix.lower() != ".xlsx":
        raise InputError(target, "输出文件的扩展名应为 .xlsx")
    resolved = target.resolve()
    for path in inputs:
        same = path.resolve() == resolved
        with contextlib.suppress(OSError):
            same = same or (target.exists() and os.path.samefile(path, target))
        if same:
            raise InputError(target, "输出文件不能覆盖被检查的文件，请换一个文件名")
    if not resolved.parent.is_dir():
        raise InputError(target, f"文件夹 {resolved.parent} 不存在")


def mask_ids(wb: Workbook) -> None:
    """Every ID-shaped value in a workbook masked, as in every other output (DOMAIN §5): in an ID column
    and anywhere else (a file name, a note, a number cell of the officer's own workbook being annotated)."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if value.__class__ is str:
                    masked = redact(value)
                elif value.__class__ is int and abs(value) >= 10**14:
                    masked = redact(str(value))
                elif value.__class__ is float and abs(value) >= 1e14:  # an ID in a number cell
                    masked = redact(f"{value:.14E}")
                else:
                    continue
                if masked != value:
                    cell.value = masked


def save_atomically(wb: Workbook, target: Path, *, show_id: bool = False) -> None:
    """Save beside the target under a temporary name, then rename: no half-written file, ever.

    This is where a workbook leaves the program: unless the officer asked for --show-id, every
    ID-shaped value in it is masked here, whichever writer put it there.
    """
    if not show_id:
        mask_ids(wb)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=target.resolve().parent)
    except OSError as e:
        raise InputError(target, f"无法在这个文件夹中写入（{e.strerror}），请换一个文件夹") from e
    os.close(fd)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a report is meant to be shared
        wb.save(tmp)
        os.replace(tmp, target)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        # most often the previous report is still open in Excel or WPS (Windows locks open files)
        raise InputError(target, f"无法写入（{e.strerror}）：如果这个文件正在 Excel/WPS 中打开，请先关闭再运行") from e
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def fit(ws: Worksheet, widths: dict[int, int] | None = None, cap: int = 60) -> None:
    best: dict[int, int] = defaultdict(int)
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                longest = max(text_width(line) for line in str(cell.value).splitlines() or [""])
                best[cell.column] = max(best[cell.column], longest)
    for col, width in best.items():
        ws.column_dimensions[get_column_letter(col)].width = min(cap, (widths or {}).get(col, width + 2))


LINE_HEIGHT = 14  #: points per line of 10 pt text, as Excel, WPS and LibreOffice print it
SMALL = Font(size=10)


def print_columns(ws: Worksheet, widths: Sequence[int], first_row: int) -> None:
    """Columns of the given widths (character cells; the widths of a printed sheet add up to no more than
    A4 landscape holds at 10 pt), every data cell 10 pt and wrapped, every row as tall as its tallest cell,
    so that nothing printed is cut off or shrunk below 9 pt."""
    for n, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width
    for row in ws.iter_rows(min_row=first_row, max_col=len(widths)):
        lines = 1
        for cell, width in zip(row, widths, strict=False):
            cell.font, cell.alignment = SMALL, WRAP
            if cell.value is not None:
                usable = max(width - 1, 1)
                parts = str(cell.value).split("\n")
                lines = max(lines, sum(max(1, -(-text_width(part) // usable)) for part in parts))
        ws.row_dimensions[row[0].row].height = LINE_HEIGHT * lines + 4


def one_page_wide(ws: Worksheet, paper: int = Worksheet.PAPERSIZE_A4) -> None:
    """Printed landscape, scaled to one page wide (as many pages down as it takes), with narrow side margins."""
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = paper
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4


DISCLAIMER = "预审结果供资格审查参考，不代替专家评审"


def table(
    ws: Worksheet,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    rules_file: str,
    *,
    top: Sequence[str] = (),
    heading: str = "",
) -> int:
    """A sheet meant to be printed on A4: lines of a title block (`top`) above the header, the header frozen,
    filtered and repeated on every page, a footer with the rules file, the pages and the disclaimer.
    Returns the header's row."""
    for r, line in enumerate(top, start=1):
        put(ws, r, 1, line).font = TITLE if r == 1 else SMALL
    first = len(top) + 1 if top else 1
    for c, value in enumerate(header, start=1):
        cell = put(ws, first, c, value)
        cell.font, cell.fill = BOLD, HEADER
    for r, row in enumerate(rows, start=first + 1):
        for c, value in enumerate(row, start=1):
            put(ws, r, c, value)
    for data_row in ws.iter_rows(min_row=first + 1):
        for cell in data_row:
            cell.alignment = TOP
    ws.freeze_panes = f"A{first + 1}"
    ws.auto_filter.ref = f"A{first}:{get_column_letter(len(header))}{max(ws.max_row, first)}"
    one_page_wide(ws)
    ws.print_title_rows = f"{first}:{first}"
    ws.oddFooter.left.text = f"规则文件：{rules_file}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.right.text = DISCLAIMER
    ws.oddHeader.center.text = f"{heading}（{ws.title}）" if heading else ws.title
    return first
