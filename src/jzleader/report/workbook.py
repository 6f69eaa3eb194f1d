"""The report workbook to forward and print (`--output`): 审核结果, 问题清单, 指标, 口径影响.
Formatting only: every decision comes in as data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from jzleader.codes import SEVERITY_ORDER, Severity
from jzleader.model import CheckResult, QuotaReport, Reason
from jzleader.report.results import results_sheet
from jzleader.report.sheets import BOLD, RED, fit, print_columns, save_atomically, table
from jzleader.sensitivity import Sensitivity
from jzleader.wording import VERDICT_ZH, Redactor


def write_report(
    target: Path,
    result: CheckResult,
    *,
    quotas: QuotaReport | None = None,
    sensitivity: Sensitivity | None = None,
    show_id: bool = False,
    lang: str = "zh",
) -> None:
    text = Redactor(show_id, lang)
    rules_file = Path(result.rules.criteria_path).name
    wb = Workbook()
    ws = wb.active
    ws.title = "审核结果"
    results_sheet(ws, result, text, rules_file, today=dt.date.today())

    problems = wb.create_sheet("问题清单")
    prow = []
    for r, who in _problems(result):
        p = r.place
        prow.append([Path(p.file).name if p and p.file else "", p.sheet if p else "", p.cell if p else "",
                     p.row if p else "", who, r.code.name, r.clause, text.message(r), text.severity(r.severity)])  # fmt: skip
    # 严重程度 is the last column: the earlier ones keep the positions that scripts reading this sheet know
    header = ["文件", "工作表", "单元格", "行号", "姓名", "代码", "条款", "说明", "严重程度"]
    title = "问题清单：须改正或核实的单元格（不符合、待核实在前）"
    first = table(problems, header, prow, rules_file, top=[title, ""], heading=result.rules.criteria.notice.number)
    print_columns(problems, [16, 9, 7, 5, 8, 25, 7, 58, 8], first + 1)

    if quotas is not None:
        _quota_sheet(wb.create_sheet("指标"), quotas, rules_file)
    if sensitivity is not None:
        _sensitivity_sheet(wb.create_sheet("口径影响"), sensitivity, rules_file, text)
    save_atomically(wb, target, show_id=show_id)


def _problems(result: CheckResult) -> list[tuple[Reason, str]]:
    """Every problem a person must fix or check: the round's own and every candidate's reason that is not a
    pass, the gravest first (不符合, 待核实, 提示), in the order of the files within each."""
    out = [(r, "") for r in result.round.problems]
    for v in result.verdicts:
        out += [(r, v.candidate.name) for r in v.reasons if r.severity is not Severity.MET]
    return sorted(out, key=lambda pair: SEVERITY_ORDER[pair[0].severity])


def _quota_sheet(ws: Worksheet, report: QuotaReport, rules_file: str) -> None:
    # 去掉不符合后仍超 is the last column: the earlier ones keep the positions that scripts reading this sheet know
    header = ["分组", "单位", "指标", "推荐", "不占指标", "占用指标", "超出", "逾期", "推荐人选", "去掉不符合后仍超"]
    rows = [[u.group, u.unit, u.quota, u.recommended, u.exempt, u.counted, u.over or "", "逾期" if u.late else "",
             "、".join(u.names), u.over_after_ineligible if u.over else ""] for u in report.units]  # fmt: skip
    columns = ("quota", "recommended", "exempt", "counted", "over")
    totals = [[g.name + "小计", "", *(report.totals(g.name)[k] for k in columns), "", "", ""]
              for g in report.quotas.groups]  # fmt: skip
    grand = report.totals()
    totals.append(["合计", "", *(grand[k] for k in columns), "", "", ""])
    table(ws, header, [*rows, *totals], rules_file)
    for i, u in enumerate(report.units, start=2):
        if u.over or u.late:
            for cell in ws[i]:
                cell.fill = RED
    for i in range(len(rows) + 2, len(rows) + 2 + len(totals)):
        for cell in ws[i]:
            cell.font = BOLD
    fit(ws)


def _sensitivity_sheet(ws: Worksheet, s: Sensitivity, rules_file: str, text: Redactor) -> None:
    header = ["口径", "条款", "现行口径", "另一口径", "行号", "姓名", "推荐单位", "结论变化", "原因变化"]
    rows: list[list[Any]] = []
    for run in s.runs:
        now = run.reading(run.setting.value) or str(run.setting.value)
        other = run.reading(run.alternative) or str(run.alternative)
        if not run.flips:
            rows.append([run.label, run.setting.citation, now, other, "", "", "", "无人变化", ""])
        for f in run.flips:
            c = f.before.candidate
            changes = [f"{text.word('change_' + way)}：{text.cited(r)}" for way, r in f.changes()]
            rows.append([run.label, run.setting.citation, now, other, c.place.row, c.name, c.unit,
                         f"{VERDICT_ZH[f.before.verdict]} → {VERDICT_ZH[f.after.verdict]}", "\n".join(changes)])  # fmt: skip
    first = table(ws, header, rows, rules_file)
    print_columns(ws, [22, 7, 18, 18, 5, 8, 10, 12, 42], first + 1)
