"""The officer's own workbook, annotated (`--annotate`): every sheet and value as it was, a 审核结论
column on the candidate sheet, and a comment on every cell that a problem names."""

from __future__ import annotations

import warnings
from collections import defaultdict
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter

from jzleader.codes import Severity
from jzleader.model import Assessment, CheckResult
from jzleader.report.sheets import BOLD, FILL, SOFT, WRAP, literal, put, save_atomically
from jzleader.wording import Redactor


def write_annotated(target: Path, source: Path, result: CheckResult, *, show_id: bool = False, lang: str = "zh") -> None:
    """A copy of the officer's workbook: every sheet and value as it was, a 审核结论 column on the
    candidate sheet, and a comment (with a soft fill) on every cell that a problem names."""
    text = Redactor(show_id, lang)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(source)
    file = str(source)
    notes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for v in result.verdicts:
        for r in v.reasons:
            p = r.place
            if p and p.file == file and p.sheet and p.cell and r.severity is not Severity.MET:
                notes[(p.sheet, p.cell)].append(text.cited(r))
    for r in result.round.problems:
        p = r.place
        if p and p.file == file and p.sheet:
            # a row that is not a candidate is noted on its first cell; a sheet set aside, on A1
            notes[(p.sheet, p.cell or f"A{p.row or 1}")].append(text.message(r))
    for (sheet, cell), messages in notes.items():
        if sheet in wb.sheetnames:
            target_cell = wb[sheet][cell]
            body = "\n".join(dict.fromkeys(messages))
            comment = Comment(literal(body), "jzleader")
            comment.width, comment.height = 320, 40 + 18 * body.count("\n") + 18 * (len(body) // 24)
            target_cell.comment = comment
            target_cell.fill = SOFT
    by_sheet: dict[str | None, list[Assessment]] = defaultdict(list)
    for v in result.verdicts:
        if v.candidate.place.file == file:
            by_sheet[v.candidate.place.sheet].append(v)
    for sheet_name, verdicts in by_sheet.items():
        if sheet_name is None or sheet_name not in wb.sheetnames:
            continue
        ws = wb[sheet_name]
        header_row, _ = result.round.headers.get((file, sheet_name), (1, ws.max_column))
        used = [c.column for c in ws[header_row] if c.value not in (None, "")]
        col = (max(used) if used else 0) + 1
        put(ws, header_row, col, "审核结论").font = BOLD
        put(ws, header_row, col + 1, "审核说明").font = BOLD
        for v in verdicts:
            row = v.candidate.place.row
            if row is None:  # every candidate read from a sheet has its row
                continue
            put(ws, row, col, text.verdict(v.verdict)).fill = FILL[v.verdict]
            deciding = [r for r in v.reasons if r.severity in (Severity.FAIL, Severity.REVIEW)]
            put(ws, row, col + 1, "；".join(text.cited(r) for r in deciding[:3])).alignment = WRAP
        ws.column_dimensions[get_column_letter(col)].width = 10
        ws.column_dimensions[get_column_letter(col + 1)].width = 60
    save_atomically(wb, target, show_id=show_id)
