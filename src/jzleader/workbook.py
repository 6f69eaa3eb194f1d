"""Workbooks jzleader writes: the report to forward (--output), the officer's own file annotated
(--annotate), and the blank form (template). Formatting only: every decision comes in as data.

Every file is written atomically (a temporary file beside the target, then a rename), so an
interrupted run leaves no half file, and never over one of the input files.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import unicodedata
import warnings
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from jzleader.codes import Severity
from jzleader.contract import FIELDS, MATERIAL_FLAGS, SHEET_LABEL
from jzleader.errors import InputError
from jzleader.model import Assessment, CheckResult, QuotaReport, Reason, Verdict
from jzleader.report import Redactor, cited
from jzleader.ruleset.core import RuleSet
from jzleader.sensitivity import Sensitivity
from jzleader.wording import VERDICT_ZH

FILL = {
    Verdict.ELIGIBLE: PatternFill("solid", fgColor="C6EFCE"),
    Verdict.REVIEW: PatternFill("solid", fgColor="FFEB9C"),
    Verdict.INELIGIBLE: PatternFill("solid", fgColor="FFC7CE"),
}
SOFT = PatternFill("solid", fgColor="FFF2CC")  #: a cell that a problem names, in the annotated copy
HEADER = PatternFill("solid", fgColor="D9E1F2")
RED = PatternFill("solid", fgColor="FFC7CE")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


# --- writing safely ---------------------------------------------------------------------------------


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


def save_atomically(wb: Workbook, target: Path) -> None:
    """Save beside the target under a temporary name, then rename: no half-written file, ever."""
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


def text_width(value: Any) -> int:
    """Display width: a Chinese character is two columns wide."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def _fit(ws: Worksheet, widths: dict[int, int] | None = None, cap: int = 60) -> None:
    best: dict[int, int] = defaultdict(int)
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                longest = max(text_width(line) for line in str(cell.value).splitlines() or [""])
                best[cell.column] = max(best[cell.column], longest)
    for col, width in best.items():
        ws.column_dimensions[get_column_letter(col)].width = min(cap, (widths or {}).get(col, width + 2))


def _grow_rows(ws: Worksheet, column: int, width: int) -> None:
    """Give each row the height its wrapped text needs: spreadsheet programs do not always do it
    for files they did not write, and printed rows would overlap."""
    for row in ws.iter_rows(min_row=2):
        cell = row[column - 1]
        cell.alignment = WRAP
        if cell.value:
            lines = sum(max(1, -(-text_width(line) // width)) for line in str(cell.value).splitlines())
            ws.row_dimensions[cell.row].height = 15 * lines + 2


def _table(ws: Worksheet, header: Sequence[str], rows: Iterable[Sequence[Any]], rules_file: str) -> None:
    """A sheet meant to be printed on A4: header frozen, filters on, header repeated on every page."""
    ws.append(list(header))
    for cell in ws[1]:
        cell.font, cell.fill = BOLD, HEADER
    for row in rows:
        ws.append(list(row))
    for data_row in ws.iter_rows(min_row=2):
        for cell in data_row:
            cell.alignment = TOP
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.left.text = f"规则文件：{rules_file}"
    ws.oddHeader.center.text = f"&A（{ws.title}）"


# --- the report ---------------------------------------------------------------------------------------


def write_report(
    target: Path,
    result: CheckResult,
    *,
    quotas: QuotaReport | None = None,
    sensitivity: Sensitivity | None = None,
    show_id: bool = False,
) -> None:
    text = Redactor(show_id)
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
            "、".join(str(n) for n in v.clauses_met), VERDICT_ZH[v.verdict],
            text("\n".join(cited(r) for r in deciding)),
        ])  # fmt: skip
    _table(ws, header, rows, rules_file)
    verdict_col = header.index("结论") + 1
    for i, v in enumerate(result.verdicts, start=2):
        ws.cell(i, verdict_col).fill = FILL[v.verdict]
    _fit(ws, {len(header): 70}, cap=70)
    _grow_rows(ws, len(header), 70)
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
                     p.row if p else "", who, r.code.name, r.clause, text(r.message())])  # fmt: skip
    _table(problems, ["文件", "工作表", "单元格", "行号", "姓名", "代码", "条款", "说明"], prow, rules_file)
    _fit(problems, {8: 80}, cap=80)
    _grow_rows(problems, 8, 80)

    if quotas is not None:
        _quota_sheet(wb.create_sheet("指标"), quotas, rules_file)
    if sensitivity is not None:
        _sensitivity_sheet(wb.create_sheet("口径影响"), sensitivity, rules_file)
    save_atomically(wb, target)


def _problems(result: CheckResult) -> list[tuple[Reason, str]]:
    """Every problem a person must fix in a file: cell-level reasons and the round's own problems."""
    out = [(r, "") for r in result.round.problems]
    for v in result.verdicts:
        out += [
            (r, v.candidate.name) for r in v.reasons if r.place is not None and r.place.cell and r.severity is not Severity.MET
        ]
    return out


def _quota_sheet(ws: Worksheet, report: QuotaReport, rules_file: str) -> None:
    header = ["分组", "单位", "指标", "推荐", "不占指标", "占用指标", "超出", "逾期", "推荐人选"]
    rows = [[u.group, u.unit, u.quota, u.recommended, u.exempt, u.counted, u.over or "", "逾期" if u.late else "",
             "、".join(u.names)] for u in report.units]  # fmt: skip
    columns = ("quota", "recommended", "exempt", "counted", "over")
    totals = [[g.name + "小计", "", *(report.totals(g.name)[k] for k in columns), "", ""]
              for g in report.quotas.groups]  # fmt: skip
    grand = report.totals()
    totals.append(["合计", "", *(grand[k] for k in columns), "", ""])
    _table(ws, header, [*rows, *totals], rules_file)
    for i, u in enumerate(report.units, start=2):
        if u.over or u.late:
            for cell in ws[i]:
                cell.fill = RED
    for i in range(len(rows) + 2, len(rows) + 2 + len(totals)):
        for cell in ws[i]:
            cell.font = BOLD
    _fit(ws)


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
    _table(ws, header, rows, rules_file)
    _fit(ws)


# --- the officer's own file, annotated ---------------------------------------------------------------


def write_annotated(target: Path, source: Path, result: CheckResult, *, show_id: bool = False) -> None:
    """A copy of the officer's workbook: every sheet and value as it was, a 审核结论 column on the
    candidate sheet, and a comment (with a soft fill) on every cell that a problem names."""
    text = Redactor(show_id)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(source)
    file = str(source)
    notes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for v in result.verdicts:
        for r in v.reasons:
            p = r.place
            if p and p.file == file and p.sheet and p.cell and r.severity is not Severity.MET:
                notes[(p.sheet, p.cell)].append(text(cited(r)))
    for r in result.round.problems:
        p = r.place
        if p and p.file == file and p.sheet and p.cell:
            notes[(p.sheet, p.cell)].append(text(r.message()))
    for (sheet, cell), messages in notes.items():
        if sheet in wb.sheetnames:
            target_cell = wb[sheet][cell]
            body = "\n".join(dict.fromkeys(messages))
            comment = Comment(body, "jzleader")
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
        ws.cell(header_row, col, "审核结论").font = BOLD
        ws.cell(header_row, col + 1, "审核说明").font = BOLD
        for v in verdicts:
            row = v.candidate.place.row
            ws.cell(row, col, VERDICT_ZH[v.verdict]).fill = FILL[v.verdict]
            deciding = [r for r in v.reasons if r.severity in (Severity.FAIL, Severity.REVIEW)]
            ws.cell(row, col + 1, text("；".join(cited(r) for r in deciding[:3]))).alignment = WRAP
        ws.column_dimensions[get_column_letter(col)].width = 10
        ws.column_dimensions[get_column_letter(col + 1)].width = 60
    save_atomically(wb, target)


# --- the blank form -----------------------------------------------------------------------------------

_HINTS = {
    "id_number": "18位身份证号，本列已设为文本格式，末位X大写",
    "birth_date": "按 1975.07 填写（本列为文本格式，1975.10 不会变成 1975.1）",
    "unit": "从下拉列表选择（指标分配表中的单位；未列出的市直单位选“其它”并在工作单位中注明）",
    "title": "填写职称证书上的名称，可从下拉列表选择；技师、高级技师不是职称",
    "title_level": "正高级/副高级/中级/初级",
    "education": "学历（毕业证书），不是学位",
    "degree": "学位（学位证书）",
    "field": "如 卫生、教育、科研、农业",
    "statement": "第二条第4款第4、5、7项及“骨干权威”须有业绩说明",
    "assessment_chars": "考核材料字数（2000字以内）",
}
_CHOICES = {
    "education": ["博士研究生", "硕士研究生", "大学本科", "大学专科", "中专及以下"],
    "degree": ["博士", "硕士", "学士", "无"],
    "title_level": ["正高级", "副高级", "中级", "初级"],
    "gender": ["男", "女"],
    "level": ["国家级", "省部级", "市厅级", "县级"],
    "grade": ["特等奖", "一等奖", "二等奖", "三等奖"],
    "category": ["自然科学奖", "技术发明奖", "科学技术进步奖", "社会科学优秀成果奖", "其他"],
    "venue_level": ["国际", "国家级", "省部级", "市级", "其他"],
    "kind": ["论文", "专著"],
    "role": ["主持", "主要技术负责人", "参与"],
}
_YES_NO = ("holds_provincial_title", "leadership_post", "exceptional", "covid_contribution", "tilt_used",
           "own_field", "report", *MATERIAL_FLAGS)  # fmt: skip
_TEXT_COLUMNS = ("id_number", "birth_date", "submitted")
TEMPLATE_ROWS = 200


def write_template(target: Path, rules: RuleSet) -> None:
    """The workbook contract as a blank form: headers, hints, text columns, dropdowns from the rule files."""
    wb = Workbook()
    lists = wb.active
    lists.title = "下拉列表"
    lists.sheet_state = "hidden"
    columns: dict[str, list[str]] = dict(_CHOICES)
    columns["yes_no"] = ["是", "否"]
    if rules.quotas is not None:
        columns["unit"] = [u.name for u in rules.quotas.units()]
    columns["title"] = sorted({name for s in rules.titles.series for names in s.titles.values() for name in names})
    ranges: dict[str, str] = {}
    for i, (name, values) in enumerate(columns.items(), start=1):
        letter = get_column_letter(i)
        lists.cell(1, i, name)
        for j, value in enumerate(values, start=2):
            lists.cell(j, i, value)
        ranges[name] = f"'下拉列表'!${letter}$2:${letter}${len(values) + 1}"
    for kind in ("candidates", "awards", "publications", "honours", "projects", "units"):
        ws = wb.create_sheet(SHEET_LABEL[kind])
        fields = list(FIELDS[kind])
        if kind != "candidates" and kind != "units":
            fields = ["name", "id_number", *[f for f in fields if f not in ("name", "id_number")]]
        ws.cell(
            1, 1, f"{rules.criteria.notice.number} 推荐人选{SHEET_LABEL[kind]}表（请勿改动表头；第2行为填写说明）"
        ).font = BOLD
        for col, name in enumerate(fields, start=1):
            letter = get_column_letter(col)
            header = FIELDS[kind][name][0] if name in FIELDS[kind] else name
            hint = _HINTS.get(name, "是/否" if name in _YES_NO else "")
            ws.cell(2, col, hint).alignment = WRAP
            head = ws.cell(3, col, header)
            head.font, head.fill = BOLD, HEADER
            note = DataValidation(allow_blank=True, showInputMessage=True)  # an input message, no constraint
            note.promptTitle, note.prompt = header[:32], (hint or f"填写{header}")[:255]
            note.add(head.coordinate)
            ws.add_data_validation(note)
            ws.column_dimensions[letter].width = max(10, min(40, text_width(header) + 4))
            body = f"{letter}4:{letter}{TEMPLATE_ROWS + 3}"
            if name in _TEXT_COLUMNS:
                for row in range(4, TEMPLATE_ROWS + 4):
                    ws.cell(row, col).number_format = "@"
            source = "yes_no" if name in _YES_NO else name if name in ranges else None
            if source is not None:
                dv = DataValidation(type="list", formula1=ranges[source], allow_blank=True,
                                    showErrorMessage=name not in ("title", "unit"))  # fmt: skip
                dv.promptTitle, dv.prompt = header[:32], (hint or f"请选择{header}")[:255]
                dv.add(body)
                ws.add_data_validation(dv)
        ws.freeze_panes = "A4"
        ws.print_title_rows = "3:3"
        ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
    wb.move_sheet("下拉列表", offset=len(wb.sheetnames))
    wb.active = 1
    save_atomically(wb, target)
