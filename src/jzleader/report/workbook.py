"""The report workbook to forward and print (`--output`): 审核结果, 问题清单, 指标, 口径影响.
Formatting only: every decision comes in as data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from jzleader.codes import Severity
from jzleader.model import CheckResult, QuotaReport, Reason, Verdict
from jzleader.report.sheets import BOLD, FILL, RED, fit, grow_rows, save_atomically, table
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
    multi = len(result.round.files) > 1
    wb = Workbook()
    ws = wb.active
    ws.title = "审核结果"
    header = ["行号", *(["文件"] if multi else []), "姓名", "推荐单位", "身份证号", "截止日年龄", "专业技术职务",
              "职称级别", "学历", "符合条款", "结论", "原因（依据条款）"]  # fmt: skip
    rows = []
    for v in result.verdicts:
        c = v.candidate
        number = c.id.number or c.id_written
        deciding = [r for r in v.reasons if r.severity is not Severity.NOTICE] or v.reasons
        rows.append([
            c.place.row, *([Path(c.place.file).name] if multi and c.place.file else []), c.name, c.unit,
            text.id(number), v.age, c.title, v.title_level, v.education,
            "、".join(str(n) for n in v.clauses_met), text.verdict(v.verdict),
            "\n".join(text.cited(r) for r in deciding),
        ])  # fmt: skip
    table(ws, header, rows, rules_file)
    verdict_col = header.index("结论") + 1
    for i, v in enumerate(result.verdicts, start=2):
        ws.cell(i, verdict_col).fill = FILL[v.verdict]
    fit(ws, {len(header): 70}, cap=70)
    grow_rows(ws, len(header), 70)
    summary = result.summary
    ws.cell(
        len(rows) + 3,
        1,
        f"共{len(rows)}人：符合{summary[Verdict.ELIGIBLE]}，待核实{summary[Verdict.REVIEW]}，不符合{summary[Verdict.INELIGIBLE]}",
    )

    problems = wb.create_sheet("问题清单")
    prow = []
    for r, who in _problems(result):
        p = r.place
        prow.append([Path(p.file).name if p and p.file else "", p.sheet if p else "", p.cell if p else "",
                     p.row if p else "", who, r.code.name, r.clause, text.message(r), text.severity(r.severity)])  # fmt: skip
    # 严重程度 is the last column: the earlier ones keep the positions that scripts reading this sheet know
    header = ["文件", "工作表", "单元格", "行号", "姓名", "代码", "条款", "说明", "严重程度"]
    table(problems, header, prow, rules_file)
    fit(problems, {8: 80}, cap=80)
    grow_rows(problems, 8, 80)

    if quotas is not None:
        _quota_sheet(wb.create_sheet("指标"), quotas, rules_file)
    if sensitivity is not None:
        _sensitivity_sheet(wb.create_sheet("口径影响"), sensitivity, rules_file)
    save_atomically(wb, target, show_id=show_id)


_ORDER = {Severity.FAIL: 0, Severity.REVIEW: 1, Severity.NOTICE: 2}


def _problems(result: CheckResult) -> list[tuple[Reason, str]]:
    """Every problem a person must fix or check: the round's own and every candidate's reason that is not a
    pass, the gravest first (不符合, 待核实, 提示), in the order of the files within each."""
    out = [(r, "") for r in result.round.problems]
    for v in result.verdicts:
        out += [(r, v.candidate.name) for r in v.reasons if r.severity is not Severity.MET]
    return sorted(out, key=lambda pair: _ORDER.get(pair[0].severity, 3))


def _quota_sheet(ws: Worksheet, report: QuotaReport, rules_file: str) -> None:
    header = ["分组", "单位", "指标", "推荐", "不占指标", "占用指标", "超出", "逾期", "推荐人选"]
    rows = [[u.group, u.unit, u.quota, u.recommended, u.exempt, u.counted, u.over or "", "逾期" if u.late else "",
             "、".join(u.names)] for u in report.units]  # fmt: skip
    columns = ("quota", "recommended", "exempt", "counted", "over")
    totals = [[g.name + "小计", "", *(report.totals(g.name)[k] for k in columns), "", ""]
              for g in report.quotas.groups]  # fmt: skip
    grand = report.totals()
    totals.append(["合计", "", *(grand[k] for k in columns), "", ""])
    table(ws, header, [*rows, *totals], rules_file)
    for i, u in enumerate(report.units, start=2):
        if u.over or u.late:
            for cell in ws[i]:
                cell.fill = RED
    for i in range(len(rows) + 2, len(rows) + 2 + len(totals)):
        for cell in ws[i]:
            cell.font = BOLD
    fit(ws)


def _sensitivity_sheet(ws: Worksheet, s: Sensitivity, rules_file: str) -> None:
    header = ["口径", "条款", "现行口径", "另一口径", "行号", "姓名", "推荐单位", "结论变化", "原因变化"]
    rows: list[list[Any]] = []
    for run in s.runs:
        if not run.flips:
            rows.append(
                [run.knob, run.setting.citation, str(run.setting.value), str(run.alternative), "", "", "", "无人变化", ""]
            )
        for f in run.flips:
            c = f.before.candidate
            rows.append([run.knob, run.setting.citation, str(run.setting.value), str(run.alternative), c.place.row, c.name,
                         c.unit, f"{VERDICT_ZH[f.before.verdict]} → {VERDICT_ZH[f.after.verdict]}",
                         "；".join(x for x in ("新增 " + "、".join(f.added) if f.added else "",
                                              "不再 " + "、".join(f.removed) if f.removed else "") if x)])  # fmt: skip
    table(ws, header, rows, rules_file)
    fit(ws)
