"""Grid -> Tables: which sheet plays which role, where its header is, and which rows are data
(DOMAIN.md §3, §6).

- sheets.py: the roles of the sheets: hidden sheets and copies set aside, two candidate sheets refused;
- table.py: one sheet as a table: merged cells spread over their range, the header row(s), the data rows
  with the Place of every cell, error values and formulas without a result marked unknown;
- rows.py: what a row is when it is not data: totals, footers, hints, examples, column numbers, repeated
  headers, section rows that name the unit of the rows below them;
- yamldoc.py: a YAML file, whose keys already name the fields.

Every decision that sets something aside is a notice with its sheet and row.
"""

from __future__ import annotations

from jzleader.errors import InputError
from jzleader.inputs.grid import Grid, YamlDoc
from jzleader.layout.sheets import Early, grid_tables
from jzleader.layout.tables import Tables
from jzleader.layout.yamldoc import yaml_tables
from jzleader.model import Row

__all__ = ["Early", "Tables", "lay_out"]


def lay_out(source: Grid | YamlDoc, *, sheet: str | None = None, early: Early | None = None) -> Tables:
    """The tables of one file. `sheet` names the candidate sheet where a file has several; `early`: its sheets
    laid out as they arrived (`Early`, told of them by the reader), what was not taken let go here.

    Raises InputError when the file holds no candidate table, or no candidate with a known name or ID.
    """
    tables = Tables(source.path, source.format, problems=list(source.problems), notes=list(source.notes))
    if isinstance(source, YamlDoc):
        yaml_tables(source, tables)
    else:
        try:
            grid_tables(source, tables, sheet, early)
        finally:
            if early is not None:  # a copy's rows, laid out for nothing, must not live on through the plan
                early.done.clear()
    rows = tables.tables.get("candidates", [])
    if not any(row.value("name") or row.value("id_number") for row in rows):
        raise InputError(source.path, _why_no_candidate(rows))
    return tables


def _why_no_candidate(rows: list[Row]) -> str:
    if not rows:
        return "没有读到任何候选人：候选人表的表头下没有数据行，请确认发来的是填好的名单"
    kinds = {what for row in rows for field, (_, what) in row.unknown.items() if field in ("name", "id_number")}
    if kinds == {""}:
        return (
            "所有候选人的姓名和身份证号都是没有计算结果的公式（文件由程序生成，未在 Excel/WPS 中打开保存过），"
            "请在 Excel/WPS 中打开后保存，再检查"
        )
    if kinds:
        return "所有候选人的姓名和身份证号都是错误值（如 #REF!、#N/A），请在 Excel/WPS 中改正公式或直接填写后再检查"
    return "没有读到任何有姓名或身份证号的候选人"
