"""Tables -> candidates: cells read into values with a problem for each one that cannot be, detail rows
joined to their candidate (DOMAIN.md §3, §4)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jzleader import pipeline
from jzleader.candidates import build_round
from jzleader.codes import Severity
from jzleader.layout.tables import Tables
from jzleader.model import Cell, Place, Row
from jzleader.wording import message

from .conftest import ROW_A, official, write_xlsx


def test_excel_dates_and_damaged_ids(tmp_path, rules):
    rows = [[1, "甲", 4.10882198005061e17, dt.datetime(1980, 5, 6), "沁阳市", "卫生", "副主任医师", "硕士研究生"]]
    result = pipeline.check([write_xlsx(tmp_path / "d.xlsx", official(rows))], rules)
    v = result.verdicts[0]
    assert v.age == "40"
    damaged = [r for r in v.reasons if r.code.name == "ID_PRECISION_LOST"][0]
    assert (damaged.place.sheet, damaged.place.cell) == ("推荐人选", "C5")
    assert "文本" in message(damaged)


def test_unmatched_detail_rows_are_problems(tmp_path, rules):
    sheets = official([ROW_A], {"项目": [["姓名", "项目名称", "项目级别", "本人角色"], ["王五", "工程", "市级", "主持"]]})
    result = pipeline.check([write_xlsx(tmp_path / "u.xlsx", sheets)], rules)
    problem = result.round.problems[0]
    assert problem.code.name == "DETAIL_UNMATCHED" and problem.place.row == 2


# --- the stage on its own: tables in, candidates out ---------------------------------------------


def table_row(file: str, sheet: str, kind: str, number: int, **values: object) -> Row:
    """A data row as the layout stage hands it over: one cell per field, columns A, B, C… in order."""
    cells = {
        name: Cell(value, None, Place(file, sheet, f"{chr(ord('A') + i)}{number}", number))
        for i, (name, value) in enumerate(values.items())
    }
    return Row(kind, Place(file, sheet, None, number), cells)


def tables(file: str, **kinds: list[Row]) -> Tables:
    return Tables(Path(file), "xlsx", tables=dict(kinds))


def test_details_join_by_id_then_by_a_unique_folded_name():
    book = tables(
        "a.xlsx",
        candidates=[
            table_row("a.xlsx", "候选人", "candidates", 4, name="欧阳 娜", id_number=ROW_A[2]),
            table_row("a.xlsx", "候选人", "candidates", 5, name="张伟", id_number="410882197407012158"),
        ],
        awards=[
            table_row("a.xlsx", "获奖", "awards", 2, name="别名", id_number=ROW_A[2], award="甲奖"),  # by ID, whatever the name
            table_row("a.xlsx", "获奖", "awards", 3, name="欧阳娜", award="乙奖"),  # by name: spaces and width folded
        ],
    )
    first, second = build_round([book]).candidates
    assert [a.name for a in first.awards] == ["甲奖", "乙奖"]
    assert second.awards == []


def test_a_name_shared_by_two_candidates_joins_nothing_and_says_so():
    book = tables(
        "a.xlsx",
        candidates=[
            table_row("a.xlsx", "候选人", "candidates", 4, name="张伟", id_number=ROW_A[2]),
            table_row("a.xlsx", "候选人", "candidates", 5, name="张伟", id_number="410882197407012158"),
        ],
        honours=[table_row("a.xlsx", "荣誉称号", "honours", 2, name="张伟", honour="先进")],
    )
    rnd = build_round([book])
    assert all(c.honours == [] for c in rnd.candidates)
    assert [(p.code.name, p.place.sheet, p.place.row) for p in rnd.problems] == [("DETAIL_NAME_AMBIGUOUS", "荣誉称号", 2)]


def test_the_same_id_in_two_files_marks_both_listings_with_the_other_place():
    a = tables("a.xlsx", candidates=[table_row("a.xlsx", "候选人", "candidates", 4, name="张伟", id_number=ROW_A[2])])
    b = tables("b.xlsx", candidates=[table_row("b.xlsx", "候选人", "candidates", 9, name="张伟", id_number=ROW_A[2])])
    first, second = build_round([a, b]).candidates
    dup_a = next(r for r in first.problems if r.code.name == "DUPLICATE_ID")
    dup_b = next(r for r in second.problems if r.code.name == "DUPLICATE_ID")
    assert dup_a.params["others"] == [second.place] and dup_b.params["others"] == [first.place]
    assert dup_a.severity is Severity.REVIEW
    assert message(dup_a) == f"同一身份证号 {ROW_A[2]} 还出现在b.xlsx“候选人”第9行，同一人被重复推荐"


def test_unreadable_cells_are_problems_at_their_cell_with_what_was_expected():
    row = table_row("a.xlsx", "候选人", "candidates", 4, name="张伟", id_number=ROW_A[2], title_level="高工", exceptional="待定")
    (c,) = build_round([tables("a.xlsx", candidates=[row])]).candidates
    by_code = {r.code.name: r for r in c.problems}
    assert by_code["VALUE_UNREADABLE"].place.cell == "C4"
    assert message(by_code["VALUE_UNREADABLE"]) == "“职称级别”的值“高工”无法识别（应为 正高级/副高级/中级/初级）"
    flag = by_code["FLAG_UNREADABLE"]
    assert (flag.place.cell, flag.severity) == ("D4", Severity.REVIEW)  # 特别优秀破格 decides the verdict
    assert c.flags["exceptional"] is None
