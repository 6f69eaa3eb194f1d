"""The blank form of the workbook contract (`jzleader template`), made from the rule files."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from jzleader.contract import FIELDS, MATERIAL_FLAGS, SHEET_LABEL
from jzleader.report.sheets import BOLD, HEADER, WRAP, put, save_atomically, text_width
from jzleader.ruleset.core import RuleSet
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


TEMPLATE_ROWS = 200


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
