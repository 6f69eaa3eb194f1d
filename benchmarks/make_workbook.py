"""Make a realistic workbook of N candidates: python benchmarks/make_workbook.py N OUT.xlsx

A title row above the header, about three detail rows per candidate (awards, papers, honours,
projects), and the messy cells of DOMAIN.md §4 mixed in: month-only dates, 1974.1 as a bare number,
Excel dates, IDs in number cells, full-width digits, lower-case x, specialty suffixes on titles.
Deterministic for a given N. Written with openpyxl's write-only mode (bounded memory).
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from stdnum.cn.ric import calc_check_digit

REGIONS = ["410802", "410803", "410804", "410811", "410821", "410822", "410823", "410825", "410871", "410882", "410883"]
UNITS = ["解放区", "山阳区", "马村区", "中站区", "修武县", "博爱县", "武陟县", "温县", "示范区", "沁阳市", "孟州市",
         "教育局", "卫健委", "焦作大学", "市统计局"]  # fmt: skip
TITLES = ["副主任医师（内科）", "高级工程师", "主治医师", "一级教师", "高级教师", "副教授", "讲师", "高级农艺师",
          "小学高级教师", "高级技师", "副研究员", "主任记者", "工程师"]  # fmt: skip
EDUCATION = ["硕士研究生", "大学本科", "博士研究生", "大学专科", "本科"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
FULL = str.maketrans("0123456789.", "０１２３４５６７８９．")


def person_id(rng: random.Random, born: dt.date) -> str:
    body = f"{rng.choice(REGIONS)}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return body + calc_check_digit(body + "0")


def birth_cell(ws, rng: random.Random, born: dt.date):  # type: ignore[no-untyped-def]
    kind = rng.random()
    if kind < 0.55:
        return f"{born.year}.{born.month:02d}"
    if kind < 0.75:
        cell = WriteOnlyCell(ws, value=dt.datetime(born.year, born.month, born.day))
        cell.number_format = "yyyy-mm-dd"
        return cell
    if kind < 0.85:
        cell = WriteOnlyCell(ws, value=float(f"{born.year}.{born.month:02d}"))
        cell.number_format = "0.00"  # 1975.10 shown through the format
        return cell
    if kind < 0.92:
        return float(f"{born.year}.{born.month}")  # 1975.1: January or October?
    return f"{born.year}.{born.month:02d}".translate(FULL)


def build(n: int, out: Path) -> None:
    rng = random.Random(n)
    wb = Workbook(write_only=True)
    people = wb.create_sheet("候选人")
    awards = wb.create_sheet("获奖")
    papers = wb.create_sheet("论文论著")
    honours = wb.create_sheet("荣誉称号")
    projects = wb.create_sheet("项目")
    people.append([f"{n}名推荐人选汇总表"])
    people.append(["序号", "姓名", "性别", "身份证号", "出生年月", "推荐单位", "工作单位", "工作领域", "专业技术职务",
                   "学历", "学位", "特别优秀破格", "业绩说明", "考核材料字数"])  # fmt: skip
    awards.append(["身份证号", "姓名", "奖项名称", "奖项类别", "授奖级别", "授奖单位", "等级", "本人排名", "年份"])
    papers.append(["身份证号", "姓名", "类型", "题目", "刊物或出版社", "刊物级别", "本人排序", "是否本专业", "年份"])
    honours.append(["身份证号", "姓名", "称号", "授予级别", "授予单位", "年份"])
    projects.append(["身份证号", "姓名", "项目名称", "项目级别", "本人角色", "年份"])
    for i in range(1, n + 1):
        born = dt.date(rng.randint(1968, 1992), rng.randint(1, 12), rng.randint(1, 28))
        number = person_id(rng, born)
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
        numeric = number[-1] != "X" and rng.random() < 0.03  # typed into a number cell: 15 digits survive
        id_cell = float(number) if numeric else (number.lower() if rng.random() < 0.05 else number)
        people.append([
            i, name, rng.choice("男女"), id_cell, birth_cell(people, rng, born), rng.choice(UNITS),
            f"单位{i % 97}", rng.choice(["卫生", "教育", "科研", "农业", "生产", "新闻"]), rng.choice(TITLES),
            rng.choice(EDUCATION), rng.choice(["硕士", "学士", None]), "是" if rng.random() < 0.02 else None,
            "技术改造与推广" if rng.random() < 0.3 else None, rng.randint(1200, 2300),
        ])  # fmt: skip
        for _ in range(rng.choice([0, 1, 1, 2])):
            category = rng.choice(["科学技术进步奖", "科技进步奖", "自然科学奖", "社会科学优秀成果奖"])
            body = rng.choice(["河南省人民政府", "河南省教育厅", "焦作市人民政府"])
            level = rng.choice(["省部级", "市厅级", "省级", "县级"])
            grade = rng.choice(["一等奖", "二等奖", "三等奖"])
            awards.append([number, name, "科技成果", category, level, body, grade, rng.randint(1, 9), rng.randint(2010, 2020)])
        for _ in range(rng.choice([0, 1, 2, 3])):
            papers.append([number, name, rng.choice(["论文", "论文", "专著"]), "研究", "某学报",
                           rng.choice(["省部级", "北大核心", "SCI", "市级", None]), rng.randint(1, 4),
                           rng.choice(["是", "否", None]), rng.randint(2010, 2020)])  # fmt: skip
        if rng.random() < 0.3:
            honours.append([number, name, "优秀工作者", rng.choice(["市级", "省部级", "县级"]), "焦作市人民政府", 2019])
        if rng.random() < 0.2:
            projects.append(
                [number, name, "重点项目", rng.choice(["市级", "省部级", "县级"]), rng.choice(["主持", "参与"]), 2018]
            )
    people.append(["合计", f"{n}人"])
    wb.save(out)


if __name__ == "__main__":
    build(int(sys.argv[1]), Path(sys.argv[2]))
