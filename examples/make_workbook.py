"""Build examples/沁阳市推荐人选.xlsx from the YAML beside it, as a county office would fill it in.

The workbook carries the mess of DOMAIN.md §4 on purpose: a merged title row and a
"填报单位" line above the header, a 序号 column, an empty row, a 合计 row and a signature
footer; one ID typed into a number cell (Excel keeps 15 digits); birth dates as text, as
Excel dates, as a bare number 1974.1 and as a number shown through the format 0.00; full-width
digits. Run: python examples/make_workbook.py [OUT.xlsx]
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).parent
SOURCE = HERE / "沁阳市推荐人选.yaml"

CANDIDATE_COLUMNS = [
    ("序号", None),
    ("姓名", "name"),
    ("性别", "gender"),
    ("身份证号", "id_number"),
    ("出生年月", "birth_date"),
    ("推荐单位", "unit"),
    ("工作单位", "employer"),
    ("工作领域", "field"),
    ("专业技术职务", "title"),
    ("职称级别", "title_level"),
    ("学历", "education"),
    ("学位", "degree"),
    ("特别优秀破格", "exceptional"),
    ("破格理由", "exceptional_reason"),
    ("疫情防控突出贡献", "covid_contribution"),
    ("疫情防控贡献类别", "covid_category"),
    ("业绩说明", "statement"),
    ("考核材料字数", "assessment_chars"),
]
DETAILS = {
    "awards": ("获奖", [("奖项名称", "award"), ("奖项类别", "category"), ("授奖级别", "level"),
                        ("授奖单位", "body"), ("等级", "grade"), ("本人排名", "rank"), ("年份", "year")]),
    "publications": ("论文论著", [("类型", "kind"), ("题目", "title"), ("刊物或出版社", "venue"),
                                 ("刊物级别", "venue_level"), ("本人排序", "rank"), ("是否本专业", "own_field"),
                                 ("年份", "year")]),
    "honours": ("荣誉称号", [("称号", "honour"), ("授予级别", "level"), ("授予单位", "body"), ("年份", "year")]),
    "projects": ("项目", [("项目名称", "project"), ("项目级别", "level"), ("本人角色", "role"), ("年份", "year")]),
}  # fmt: skip
FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def _birth_cell(ws, row: int, col: int, value: object, name: str) -> None:  # type: ignore[no-untyped-def]
    cell = ws.cell(row, col)
    if isinstance(value, dt.date):
        cell.value = value  # an Excel date
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, float):
        cell.value = value  # 1974.1 typed into a General cell: January or October?
    elif name == "吴磊":
        cell.value = float(str(value))  # typed 1976.05 into a number cell formatted 0.00
        cell.number_format = "0.00"
    elif name == "孙丽":
        cell.value = str(value).translate(FULL_WIDTH)  # typed with a Chinese input method
    else:
        cell.value = str(value)


def build(out: Path) -> None:
    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    people = data["candidates"]
    wb = Workbook()
    ws = wb.active
    ws.title = "推荐人选"
    width = len(CANDIDATE_COLUMNS)
    ws.cell(1, 1, "2020年焦作市学术技术带头人推荐人选汇总表").font = Font(bold=True, size=16)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.cell(2, 1, "填报单位（盖章）：沁阳市人力资源和社会保障局")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=6)
    ws.cell(2, 12, "填报日期：2020年7月8日")
    for col, (header, _) in enumerate(CANDIDATE_COLUMNS, start=1):
        ws.cell(4, col, header).font = Font(bold=True)
    row = 5
    for i, person in enumerate(people, start=1):
        if i == 7:
            row += 1  # an empty row left in the middle of the list
        for col, (_, key) in enumerate(CANDIDATE_COLUMNS, start=1):
            value = i if key is None else person.get(key)
            if value is None:
                continue
            if key == "birth_date":
                _birth_cell(ws, row, col, value, person["name"])
            elif key == "id_number" and isinstance(value, str):
                ws.cell(row, col, value).number_format = "@"
            else:
                ws.cell(row, col, value)
        row += 1
    ws.cell(row, 1, "合计")
    ws.cell(row, 2, f"{len(people)}人")
    ws.cell(row + 2, 1, "填表人：王丽            审核人：李明            联系电话：0391-5600000")

    for kind, (title, columns) in DETAILS.items():
        sheet = wb.create_sheet(title)
        sheet.cell(1, 1, f"推荐人选{title}情况")
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns) + 2)
        headers = [("姓名", "name"), ("身份证号", "id_number"), *columns]
        for col, (header, _) in enumerate(headers, start=1):
            sheet.cell(2, col, header)
        r = 3
        for person in people:
            for item in person.get(kind, []):
                values = {"name": person["name"], **item}
                if isinstance(person["id_number"], str):
                    values["id_number"] = person["id_number"]  # joined by name where the ID is damaged
                for col, (_, key) in enumerate(headers, start=1):
                    if values.get(key) is not None:
                        sheet.cell(r, col, values[key])
                r += 1

    units = wb.create_sheet("推荐单位")
    unit_columns = [("推荐单位", "unit"), ("联系人", "contact"), ("联系电话", "phone"), ("报送日期", "submitted"),
                    ("推荐报告", "report")]  # fmt: skip
    for col, (header, _) in enumerate(unit_columns, start=1):
        units.cell(1, col, header)
    for r, unit in enumerate(data.get("units", []), start=2):
        for col, (_, key) in enumerate(unit_columns, start=1):
            cell = units.cell(r, col, unit.get(key))
            if key == "submitted":
                cell.number_format = "yyyy-mm-dd"
    wb.save(out)


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "沁阳市推荐人选.xlsx")
