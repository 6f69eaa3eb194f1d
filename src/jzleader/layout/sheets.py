"""The roles of a workbook's sheets (DOMAIN.md §6 "Sheets").

Hidden and very hidden sheets are not input; a copy of a sheet made the way Excel and WPS name copies
("汇总表 (2)", "候选人 副本", "Sheet1 (2)") is not a second list while its original is there; two visible
sheets that both qualify as the candidate sheet are refused, unless `--sheet` names one.
"""

from __future__ import annotations

import re
from pathlib import Path

from jzleader.codes import Code
from jzleader.contract import sheet_kind
from jzleader.errors import InputError
from jzleader.inputs.grid import Grid, Sheet
from jzleader.layout.table import find_header, read_table
from jzleader.layout.tables import Tables
from jzleader.model import Place, Reason
from jzleader.values import fold

#: "汇总表 (2)", "汇总表（2）", "候选人 副本", "候选人 - 副本", "候选人副本(2)", "Copy of 候选人", "候选人 - Copy"
_NUMBERED = r"[(（]\s*\d+\s*[)）]"
_COPY = re.compile(rf"^(?:copy\s*of\s*)?(.+?)(?:\s*[-_]?\s*(?:副本|copy)\s*(?:{_NUMBERED})?|\s*{_NUMBERED})?$", re.I)


def _original(name: str, names: set[str]) -> str | None:
    """The sheet this one is a copy of, when its name says so and that sheet is there."""
    m = _COPY.match(name.strip())
    if m is None:
        return None
    base = m.group(1).strip()
    if fold(base) == fold(name) or base.lower().startswith("copy of"):
        return None
    return next((n for n in names if fold(n) == fold(base)), None)


class Early:
    """The sheets of one workbook laid out as they arrive, while the others are still being read (inputs.grid.Arrived):
    each visible sheet whose name alone gives its role, as `grid_tables` lays it out. `grid_tables` takes what
    was laid out here where it lays out that very sheet in that role, and lays out anything else itself; a sheet
    not wanted after all (a copy, the read gone to openpyxl) was laid out for nothing. None is laid out early
    where `--sheet` names the candidate sheet."""

    def __init__(self, path: Path, chosen: str | None) -> None:
        self.path, self.chosen = path, chosen
        self.done: dict[int, tuple[Sheet, str, Tables]] = {}  #: id(sheet) -> the sheet, its role, its table

    def arrived(self, sheet: Sheet) -> None:
        kind = sheet_kind(sheet.name or "")
        if self.chosen is None and kind is not None and sheet.visible:
            table = Tables(self.path, "")
            read_table(table, sheet, kind)
            self.done[id(sheet)] = (sheet, kind, table)

    def take(self, sheet: Sheet, kind: str | None, path: Path) -> Tables | None:
        """The sheet laid out in this role for this file, if it was."""
        done = self.done.pop(id(sheet), None)
        if done is None or done[0] is not sheet or done[1] != kind or self.path != path:
            return None
        return done[2]


def _read_table(out: Tables, sheet: Sheet, kind: str | None, early: Early | None) -> None:
    """read_table(out, sheet, kind), or what `early` laid out of it: read_table only adds to its tables, so
    adding what it added to another is the same."""
    table = early.take(sheet, kind, out.path) if early is not None else None
    if table is None:
        read_table(out, sheet, kind)
    else:
        out.extend(table)


def grid_tables(grid: Grid, out: Tables, chosen: str | None, early: Early | None = None) -> None:
    if grid.format == "csv" or (len(grid.sheets) == 1 and grid.sheets[0].name is None):  # CSV, one web table
        read_table(out, grid.sheets[0], "candidates")
        if "candidates" not in out.tables:
            raise InputError(grid.path, "前30行中找不到表头（应有“姓名”“身份证号”等栏目）")
        return
    file = str(grid.path)
    visible = []
    for sheet in grid.sheets:
        if sheet.visible:
            visible.append(sheet)
        else:
            out.problems.append(Reason.of(Code.SHEET_HIDDEN, Place(file, sheet.name), sheet=sheet.name))
    names = {s.name or "" for s in visible}
    sheets = []
    for sheet in visible:
        original = _original(sheet.name or "", names - {sheet.name or ""})
        if original is not None and (chosen is None or fold(chosen) != fold(sheet.name)):
            out.problems.append(Reason.of(Code.SHEET_COPY, Place(file, sheet.name), sheet=sheet.name, original=original))
        else:
            sheets.append(sheet)
    kinds = _kinds(sheets, chosen)
    candidates = [s for s, k in zip(sheets, kinds, strict=True) if k == "candidates"]
    if len(candidates) > 1:
        both = "、".join(f"“{s.name}”" for s in candidates)
        raise InputError(
            grid.path,
            f"有{len(candidates)}个工作表都像候选人名单（{both}），无法判断该读哪一个："
            f"请删除多余的表，或用 --sheet 指定，如 --sheet {candidates[0].name}",
        )
    has_candidates = bool(candidates)
    for sheet, kind in zip(sheets, kinds, strict=True):
        if kind is None and has_candidates:
            out.notes.append(f"工作表“{sheet.name}”不是规定的表，未读取")
            continue
        if kind == "skip":
            out.notes.append(f"工作表“{sheet.name}”未读取（已用 --sheet 指定“{chosen}”为候选人表）")
            continue
        _read_table(out, sheet, kind, early)
    if "candidates" not in out.tables:
        listed = "、".join(s.name or "" for s in grid.sheets)
        hidden = [s.name for s in grid.sheets if not s.visible]
        why = f"；隐藏的工作表（{'、'.join(n or '' for n in hidden)}）不读取，如名单在其中请取消隐藏" if hidden else ""
        raise InputError(
            grid.path,
            f"找不到候选人表（工作表：{listed}）：候选人表应命名为“候选人”，并在前30行中有“姓名”“身份证号”等表头{why}",
        )


def _kinds(sheets: list[Sheet], chosen: str | None) -> list[str | None]:
    """Each sheet's kind by its name; the candidate sheet by content where no name says it."""
    kinds = [sheet_kind(s.name or "") for s in sheets]
    if chosen is not None and any(fold(s.name) == fold(chosen) for s in sheets):
        return ["candidates" if fold(s.name) == fold(chosen) else "skip" if k in (None, "candidates") else k
                for s, k in zip(sheets, kinds, strict=True)]  # fmt: skip
    if "candidates" not in kinds:
        unnamed = [i for i, k in enumerate(kinds) if k is None]
        if len(sheets) == 1 and unnamed:
            kinds[0] = "candidates"  # the only sheet is the candidate sheet
        else:
            for i in unnamed:  # a sheet whose header names the candidate fields
                if find_header(sheets[i], "candidates") is not None:
                    kinds[i] = "candidates"
    return kinds
