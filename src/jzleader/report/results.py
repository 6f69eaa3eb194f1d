"""The 审核结果 sheet of the report workbook, laid out to be printed, signed and forwarded: a title block with
the round, the units in the files, the date, the rules file and the counts; per candidate the deciding reasons
first, each marked ✗ (不符合) or ？ (待核实), the rest folded into "另有 N 条符合"; A4 landscape, one page wide at
no less than 9 pt; the ID column outside the print area; a 审核人/日期 line under the table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jzleader.codes import Severity
from jzleader.model import Assessment, CheckResult, Verdict
from jzleader.report.sheets import FILL, print_columns, table
from jzleader.values import zh_date
from jzleader.wording import Redactor

#: (header, width in character cells); the widths add up to A4 landscape at 10 pt with room to spare
_COLUMNS = [("行号", 5), ("姓名", 9), ("推荐单位", 11), ("年龄", 6), ("专业技术职务（级别）", 20), ("学历", 11),
            ("符合第4款", 9), ("结论", 7), ("不符合、待核实的原因（依据条款）", 64)]  # fmt: skip
_FILE = ("文件", 14)
_ID = ("身份证号", 22)  #: after the print area: on screen for the officer, never on paper
_MARK = {Severity.FAIL: "✗", Severity.REVIEW: "？", Severity.MET: "✓"}


def reasons_cell(v: Assessment, text: Redactor) -> str:
    """The deciding reasons first, marked; for an eligible candidate the clauses met; the rest counted."""
    deciding = [r for r in v.reasons if r.severity in (Severity.FAIL, Severity.REVIEW)]
    shown = deciding or [r for r in v.reasons if r.code.name == "CLAUSE_MET"]
    lines = [f"{_MARK[r.severity]} {text.cited(r)}" for r in shown]
    passes = sum(1 for r in v.reasons if r.severity is Severity.MET and r not in shown)
    notices = sum(1 for r in v.reasons if r.severity is Severity.NOTICE)
    rest = [f"另有 {passes} 条符合" if passes else "", f"{notices} 条提示见“问题清单”" if notices else ""]
    if any(rest):
        lines.append("，".join(x for x in rest if x))
    return "\n".join(lines)


def results_sheet(ws: Worksheet, result: CheckResult, text: Redactor, rules_file: str, *, today: dt.date) -> None:
    multi = len(result.round.files) > 1
    columns = [*_COLUMNS[:1], *([_FILE] if multi else []), *_COLUMNS[1:], _ID]
    rows = []
    for v in result.verdicts:
        c = v.candidate
        title = f"{c.title}（{v.title_level}）" if c.title and v.title_level else c.title or v.title_level or ""
        rows.append([
            c.place.row, *([Path(c.place.file).name] if multi and c.place.file else []), c.name, c.unit, v.age,
            title, v.education, "、".join(str(n) for n in v.clauses_met), text.verdict(v.verdict),
            reasons_cell(v, text), text.id(c.id.number or c.id_written),
        ])  # fmt: skip
    notice = result.rules.criteria.notice
    units = sorted({v.candidate.unit for v in result.verdicts if v.candidate.unit})
    s = result.summary
    top = [
        "推荐人选资格预审结果",
        f"依据：{notice.number}《{notice.title}》    推荐单位：{'、'.join(units) or '—'}"
        f"    审核日期：{zh_date(today)}    规则文件：{rules_file}",
        f"共 {len(rows)} 人：符合 {s[Verdict.ELIGIBLE]}，待核实 {s[Verdict.REVIEW]}，不符合 {s[Verdict.INELIGIBLE]}",
        "",
    ]
    header_row = table(ws, [h for h, _ in columns], rows, rules_file, top=top, heading=notice.number)
    print_columns(ws, [width for _, width in columns], header_row + 1)
    verdict_col = [h for h, _ in columns].index("结论") + 1
    for i, v in enumerate(result.verdicts, start=header_row + 1):
        ws.cell(i, verdict_col).fill = FILL[v.verdict]
    last = header_row + len(rows)
    put_line = last + 2
    ws.cell(put_line, 1, "审核人：＿＿＿＿＿＿＿＿　　复核人：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日")
    printed = len(columns) - 1  # every column but the ID number
    ws.print_area = f"A1:{get_column_letter(printed)}{put_line}"
