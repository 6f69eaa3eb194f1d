"""The blank form of the workbook contract (`jzleader template`), made from the rule files."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from jzleader.contract import FIELDS, MATERIAL_FLAGS, SHEET_LABEL
from jzleader.report.sheets import BOLD, HEADER, one_page_wide, print_columns, put, save_atomically
from jzleader.ruleset.core import RuleSet
from jzleader.ruleset.models import AssessmentRule
from jzleader.vocab import (
    AWARD_CATEGORIES,
    DEGREES,
    EDUCATIONS,
    GENDERS,
    GRADES,
    LEVELS,
    PUBLICATION_KINDS,
    ROLES,
    TITLE_LEVELS,
    VENUES,
    YES_NO,
)

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
    "education": list(EDUCATIONS),
    "degree": [*DEGREES, "无"],
    "title_level": list(TITLE_LEVELS),
    "gender": list(GENDERS),
    "level": list(LEVELS),
    "grade": list(GRADES),
    "category": list(AWARD_CATEGORIES),
    "venue_level": list(VENUES),
    "kind": list(PUBLICATION_KINDS),
    "role": list(ROLES),
}


_YES_NO = ("holds_provincial_title", "leadership_post", "exceptional", "covid_contribution", "tilt_used",
           "own_field", "report", *MATERIAL_FLAGS)  # fmt: skip


_TEXT_COLUMNS = ("id_number", "birth_date", "submitted")
BOLD_SMALL = Font(bold=True, size=10)


TEMPLATE_ROWS = 200
PRINTED_ROWS = 30  #: the blank rows a printed form shows under its header
TEMPLATE_SHEET = {"candidates": "推荐人选"}  #: the name offices give the list (the contract accepts 候选人 too)
SERIAL = "序号"

#: print widths (character cells), chosen so that a sheet prints one page wide at 9 pt or more: the candidate
#: sheet on A3 landscape (27 columns), the others on A4 landscape; a column not listed is 8 wide
_WIDTHS = {
    SERIAL: 5, "name": 8, "id_number": 20, "gender": 5, "birth_date": 9, "unit": 12, "employer": 12, "field": 8,
    "title": 13, "title_level": 7, "education": 10, "degree": 6, "exceptional_reason": 12, "covid_category": 10,
    "statement": 16, "assessment_chars": 7, "award": 18, "body": 14, "venue": 14, "honour": 18, "project": 20,
    "contact": 10, "phone": 14, "submitted": 12, "kind": 7, "category": 14, "level": 8, "grade": 8, "rank": 6,
    "year": 6, "role": 10,
}  # fmt: skip
_FLAG_WIDTH = 5  #: 是/否 columns

#: checks on every data row, each with a Chinese error alert that says what to write
_CHECKS: dict[str, dict[str, str]] = {
    "id_number": {"type": "textLength", "operator": "equal", "formula1": "18",
                  "errorTitle": "身份证号位数不对", "error": "身份证号应为18位（末位X大写），请核对"},
    "birth_date": {"type": "custom", "formula1": 'OR(ISNUMBER({c}),AND(LEN({c})=7,MID({c},5,1)="."))',
                   "errorTitle": "出生年月格式不对",
                   "error": "请按 1980.01 的格式填写（四位年份、小数点、两位月份），或填写日期"},
    "assessment_chars": {"type": "whole", "operator": "between", "formula1": "0", "formula2": "{max_chars}",
                         "errorTitle": "考核材料字数超出", "error": "考核材料字数应为{max_chars}字以内的整数"},
    "rank": {"type": "whole", "operator": "between", "formula1": "1", "formula2": "99",
             "errorTitle": "排名不对", "error": "排名请填写数字，如 1 表示第一名"},
    "year": {"type": "whole", "operator": "between", "formula1": "1949", "formula2": "2099",
             "errorTitle": "年份不对", "error": "年份请填写四位数字，如 2018"},
}  # fmt: skip


def write_template(target: Path, rules: RuleSet) -> None:
    """The workbook contract as a blank form: headers, hints, text columns, dropdowns from the rule files."""
    wb = Workbook()
    lists = wb.active
    lists.title = "下拉列表"
    lists.sheet_state = "hidden"
    columns: dict[str, list[str]] = dict(_CHOICES)
    columns["yes_no"] = list(YES_NO)
    if rules.quotas is not None:
        columns["unit"] = [u.name for u in rules.quotas.units()]
    columns["title"] = sorted({name for s in rules.titles.series for names in s.titles.values() for name in names})
    ranges: dict[str, str] = {}
    for i, (name, values) in enumerate(columns.items(), start=1):
        letter = get_column_letter(i)
        lists.cell(1, i, name)
        for j, value in enumerate(values, start=2):
            put(lists, j, i, value)  # titles and units come from the rule files: text, always
        ranges[name] = f"'下拉列表'!${letter}$2:${letter}${len(values) + 1}"
    for kind in ("candidates", "awards", "publications", "honours", "projects", "units"):
        _sheet(wb.create_sheet(TEMPLATE_SHEET.get(kind, SHEET_LABEL[kind])), kind, rules, ranges)
    wb.move_sheet("下拉列表", offset=len(wb.sheetnames))
    wb.active = 1
    save_atomically(wb, target)


def _sheet(ws: Worksheet, kind: str, rules: RuleSet, ranges: dict[str, str]) -> None:
    """One sheet of the form: title, hint row, header, checks on every data row, printed one page wide."""
    fields = list(FIELDS[kind])
    if kind == "candidates":
        fields = [SERIAL, "name", "id_number", *[f for f in fields if f not in ("name", "id_number")]]
    elif kind != "units":
        fields = ["name", "id_number", *[f for f in fields if f not in ("name", "id_number")]]
    label = "" if kind == "candidates" else SHEET_LABEL[kind]
    ws.cell(1, 1, f"{rules.criteria.notice.number} 推荐人选{label}表（请勿改动表头；第2行为填写说明）")
    last = TEMPLATE_ROWS + 3
    widths = []
    for col, name in enumerate(fields, start=1):
        letter = get_column_letter(col)
        header = SERIAL if name == SERIAL else FIELDS[kind][name][0] if name in FIELDS[kind] else name
        hint = _HINTS.get(name, "是/否" if name in _YES_NO else "")
        ws.cell(2, col, hint)
        ws.cell(3, col, header)
        widths.append(_FLAG_WIDTH if name in _YES_NO else _WIDTHS.get(name, 8))
        note = DataValidation(allow_blank=True, showInputMessage=True)  # an input message, no constraint
        note.promptTitle, note.prompt = header[:32], (hint or f"填写{header}")[:255]
        note.add(f"{letter}3")
        ws.add_data_validation(note)
        body = f"{letter}4:{letter}{last}"
        if name in _TEXT_COLUMNS:
            for row in range(4, last + 1):
                ws.cell(row, col).number_format = "@"
        source = "yes_no" if name in _YES_NO else name if name in ranges else None
        if source is not None:
            strict = name not in ("title", "unit")  # a title or unit not in the list is allowed, with a warning
            dv = DataValidation(type="list", formula1=ranges[source], allow_blank=True, showErrorMessage=True,
                                errorStyle="stop" if strict else "warning")  # fmt: skip
            dv.errorTitle = f"{header}不在列表中"
            dv.error = f"请从下拉列表中选择{header}" + ("" if strict else "；确实不在列表中的，可以点“是”保留")
            dv.promptTitle, dv.prompt = header[:32], (hint or f"请选择{header}")[:255]
            dv.add(body)
            ws.add_data_validation(dv)
        elif name in _CHECKS:
            fill = {"{c}": f"{letter}4", "{max_chars}": str(_max_chars(rules))}
            check = {key: _fill(value, fill) for key, value in _CHECKS[name].items()}
            error_title, error = check.pop("errorTitle"), check.pop("error")
            dv = DataValidation(allow_blank=True, showErrorMessage=True, **check)
            dv.errorTitle, dv.error = error_title, error
            dv.promptTitle, dv.prompt = header[:32], (hint or error)[:255]
            dv.add(body)
            ws.add_data_validation(dv)
    print_columns(ws, widths, 2)
    for col in range(1, len(fields) + 1):
        ws.cell(3, col).font, ws.cell(3, col).fill = BOLD_SMALL, HEADER
    ws.cell(1, 1).font = BOLD
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.print_area = f"A1:{get_column_letter(len(fields))}{3 + PRINTED_ROWS}"
    one_page_wide(ws, ws.PAPERSIZE_A3 if kind == "candidates" else ws.PAPERSIZE_A4)


def _max_chars(rules: RuleSet) -> int:
    """The rule files' limit on the 考核材料 (五、3), so that the form checks what the rules check."""
    return next((r.max_chars for r in rules.criteria.rules if isinstance(r, AssessmentRule)), 2000)


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(key, value)
    return text
