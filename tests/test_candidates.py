"""Tables -> candidates: cells read into values with a problem for each one that cannot be, detail rows
joined to their candidate (DOMAIN.md §3, §4)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jzleader import pipeline
from jzleader.candidates import build_round, plan_round
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


# --- a round made in parts (each half in its own process): the same candidates as made whole -------------


ID_B = "410882197407012158"


def crossing_books() -> list[Tables]:
    """Two files whose people cross the halves of the round (six candidates: 0-2 and 3-5): 张伟 listed in both
    files (0 and 4), and two listings of 王五 in one file under the same unreadable ID (1 and 3)."""
    a = tables(
        "a.xlsx",
        candidates=[
            table_row("a.xlsx", "候选人", "candidates", 4, name="张伟", id_number=ROW_A[2]),
            table_row("a.xlsx", "候选人", "candidates", 5, name="王五", id_number="123"),
            table_row("a.xlsx", "候选人", "candidates", 6, name="李娜", id_number=ID_B),
            table_row("a.xlsx", "候选人", "candidates", 7, name="王 五", id_number="123"),
        ],
        awards=[
            table_row("a.xlsx", "获奖", "awards", 2, name="张伟", id_number=ROW_A[2], award="甲奖", rank="第一"),
            table_row("a.xlsx", "获奖", "awards", 3, name="王五", id_number="123", award="乙奖"),
            table_row("a.xlsx", "获奖", "awards", 4, name="李娜", award="丙奖"),
            table_row("a.xlsx", "获奖", "awards", 5, name="孙七", award="丁奖"),
        ],
        honours=[table_row("a.xlsx", "荣誉称号", "honours", 2, name="王五", honour="先进")],
    )
    b = tables(
        "b.xlsx",
        candidates=[
            table_row("b.xlsx", "候选人", "candidates", 4, name="张伟", id_number=ROW_A[2]),
            table_row("b.xlsx", "候选人", "candidates", 5, name="赵六", id_number="410882197407012174"),
        ],
        awards=[table_row("b.xlsx", "获奖", "awards", 2, name="张伟", id_number=ROW_A[2], award="戊奖")],
        projects=[table_row("b.xlsx", "项目", "projects", 2, name="赵六", project="工程", level="县级")],
    )
    return [a, b]


def test_people_listed_twice_and_rows_of_two_listings_are_joined_as_the_notice_reads():
    zhang, wang, li, wang2, zhang_b, zhao = build_round(crossing_books()).candidates
    # 张伟 in both files: each listing has the awards of both, and names the other
    assert [a.name for a in zhang.awards] == ["甲奖", "戊奖"] and [a.name for a in zhang_b.awards] == ["戊奖", "甲奖"]
    assert [p.params["others"] for p in zhang.problems if p.code.name == "DUPLICATE_ID"] == [[zhang_b.place]]
    assert [p.params["others"] for p in zhang_b.problems if p.code.name == "DUPLICATE_ID"] == [[zhang.place]]
    # a detail row's unreadable cell is a problem of the listing whose file holds it, at its cell
    assert [(p.code.name, p.place.file, p.place.cell) for p in zhang.problems][0] == ("BAD_NUMBER", "a.xlsx", "D2")
    assert "BAD_NUMBER" not in {p.code.name for p in zhang_b.problems}
    # the same unreadable ID, twice in one file: the row with that ID, and the row with that name, go to both
    for c in (wang, wang2):
        assert ([a.name for a in c.awards], [h.name for h in c.honours]) == (["乙奖"], ["先进"])
    assert [a.name for a in li.awards] == ["丙奖"] and [p.name for p in zhao.projects] == ["工程"]
    assert [p.code.name for p in build_round(crossing_books()).problems] == ["DETAIL_UNMATCHED"]


def test_a_round_made_a_half_at_a_time_is_the_round_made_whole():
    whole = build_round(crossing_books()).candidates
    # as two processes do it: each its own copy of the plan
    first, second = plan_round(crossing_books()), plan_round(crossing_books())
    assert first.make(first.parts(3)[0]) + second.make(second.parts(3)[1]) == whole
    # and one plan, one half after the other (a row the first half shares is kept for the second)
    plan = plan_round(crossing_books())
    halves = plan.parts(3)
    assert plan.make(halves[0]) + plan.make(halves[1]) == whole
    with pytest.raises(ValueError, match="made already"):
        plan.make(plan.parts(1)[0])


@pytest.mark.parametrize("size", range(1, 7))
def test_a_round_made_a_part_at_a_time_from_both_ends_is_the_round_made_whole(size):
    """As the two processes share a round (halves.in_two): one takes parts from the front, the other from the back,
    each in its own copy of the plan, and each part looks only at its own detail rows."""
    whole = build_round(crossing_books()).candidates
    front, back = plan_round(crossing_books()), plan_round(crossing_books())
    parts = front.parts(size)
    assert [list(p.candidates) for p in parts] == [list(range(6))[k : k + size] for k in range(0, 6, size)]
    assert back.parts(size) == parts
    meet = len(parts) // 2
    made = {k: front.make(parts[k]) for k in range(meet)}
    made.update({k: back.make(parts[k]) for k in reversed(range(meet, len(parts)))})
    assert [c for k in range(len(parts)) for c in made[k]] == whole
    if size == 1:
        assert parts[0].details == []  # 张伟, listed twice, was made whole by the plan
        assert [front.details[at][0].kind for at in parts[5].details] == ["projects"]  # 赵六's one row
