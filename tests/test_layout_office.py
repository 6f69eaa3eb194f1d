"""Workbooks shaped the way county offices shape them (DOMAIN.md §6), each against the tidy one.

Every workbook is written here by openpyxl and, where LibreOffice is installed (CI installs it), saved
again by LibreOffice as .xlsx, as .xls, as .ods and as a web page named .xls (what web systems send): the
verdicts must be those of the tidy workbook wherever the data can be recovered, and the named problem
wherever it cannot.

The people, worked out from DOMAIN.md: 张伟 (40, 副主任医师, one 省部级 科技进步二等奖: clause 1) and 李娜
(45 on 2020-06-30, 高级农艺师, two 市厅级 科技进步二等奖: clause 1, 二等奖二项) for 沁阳市; 王强 (40, 主任医师,
a 市级 honour in 卫生: clause 6) for 孟州市. All three are eligible.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from jzleader import pipeline
from jzleader.errors import InputError

from .conftest import make_id, read_in_this_process, write_xlsx

A, B, C = make_id(dt.date(1980, 5, 6)), make_id(dt.date(1974, 7, 1), seq="456"), make_id(dt.date(1980, 1, 9), region="410883")
HEAD = ["序号", "姓名", "身份证号", "出生年月", "推荐单位", "工作领域", "专业技术职务", "学历"]
PEOPLE = [
    [1, "张伟", A, "1980.05", "沁阳市", "卫生", "副主任医师", "大学本科"],
    [2, "李娜", B, "1974.07", "沁阳市", "农业", "高级农艺师", "大学本科"],
    [3, "王强", C, "1980.01", "孟州市", "卫生", "主任医师", "大学本科"],
]
AWARDS_HEAD = ["姓名", "身份证号", "奖项名称", "奖项类别", "授奖级别", "等级"]
AWARDS = [
    ["张伟", A, "甲", "科学技术进步奖", "省部级", "二等奖"],
    ["李娜", B, "乙", "科学技术进步奖", "市厅级", "二等奖"],
    ["李娜", B, "丙", "科学技术进步奖", "市厅级", "二等奖"],
]
HONOURS = [["姓名", "身份证号", "称号", "授予级别"], ["王强", C, "焦作市优秀医师", "市级"]]
TIDY = {"张伟": "eligible", "李娜": "eligible", "王强": "eligible"}


def tidy(**over: list[list]) -> dict[str, list[list]]:
    sheets = {"推荐人选": [["2020年推荐人选汇总表"], HEAD, *PEOPLE], "获奖": [AWARDS_HEAD, *AWARDS], "荣誉称号": HONOURS}
    return {**sheets, **over}


# --- each shape, and what reading it must give --------------------------------------------------------------


def merged_details(wb):  # type: ignore[no-untyped-def]
    ws = wb["获奖"]
    ws["A4"], ws["B4"] = None, None
    ws.merge_cells("A3:A4")  # 李娜's name and ID merged down over her two award rows
    ws.merge_cells("B3:B4")


def merged_units(wb):  # type: ignore[no-untyped-def]
    ws = wb["推荐人选"]
    ws["E4"] = None
    ws.merge_cells("E3:E4")  # 推荐单位 merged down 沁阳市's block


def hidden_row(wb):  # type: ignore[no-untyped-def]
    wb["推荐人选"].row_dimensions[4].hidden = True


def two_level_header(wb):  # type: ignore[no-untyped-def]
    ws = wb["推荐人选"]
    ws.insert_rows(2)
    for col, value in enumerate(["序号", "姓名", "身份证号", "出生年月", "推荐单位", "工作领域", "职称", "学历情况"], 1):
        ws.cell(2, col, value)
    for col in (1, 2, 3, 4, 5, 6):  # a single field merged down both header rows
        ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    ws.cell(3, 7, "专业技术职务")  # a group that spans one column, over its field
    ws.cell(3, 8, "学历")


SHAPES = {
    "tidy": (tidy(), None),
    "merged-details": (tidy(), merged_details),
    "merged-units": (tidy(), merged_units),
    "copy-sheet": (tidy(**{"推荐人选 (2)": [HEAD, *PEOPLE]}), None),
    "hidden-draft": (
        tidy(候选人=[HEAD, [9, "撤回者", make_id(dt.date(1981, 1, 1)), "1981.01", "沁阳市", "卫生", "主任医师", "博士研究生"]]),
        lambda wb: setattr(wb["候选人"], "sheet_state", "hidden"),
    ),  # fmt: skip
    "column-numbers": (tidy(推荐人选=[HEAD, list(range(1, 9)), *PEOPLE]), None),
    "hint-and-example": (
        tidy(
            推荐人选=[
                HEAD,
                ["填写说明：身份证号填18位，出生年月按1980.05填写"],
                ["", "填写姓名", "18位身份证号（文本格式）", "如 1980.05", "从下拉列表选择"],
                ["例", "张三", "410882198001011234", "1980.01", "沁阳市", "卫生", "主任医师", "大学本科"],
                *PEOPLE,
                HEAD,
            ]
        ),
        None,
    ),  # fmt: skip
    "sections": (
        tidy(
            推荐人选=[
                [h for h in HEAD if h != "推荐单位"],
                ["一、县市区"],
                ["（一）沁阳市（2人）"],
                *[[v for i, v in enumerate(p) if i != 4] for p in PEOPLE[:2]],
                ["（二）孟州市（1人）"],
                [v for i, v in enumerate(PEOPLE[2]) if i != 4],
            ]
        ),
        None,
    ),  # fmt: skip
    "hidden-row": (tidy(), hidden_row),
    "two-level-header": (tidy(), two_level_header),
    "middle-dots": (
        tidy(
            获奖=[AWARDS_HEAD, ["张•伟", None, "甲", "科学技术进步奖", "省部级", "二等奖"], *AWARDS[1:]],
            推荐人选=[HEAD, ["1", "张·伟", A, *PEOPLE[0][3:]], *PEOPLE[1:]],
        ),
        None,
    ),  # fmt: skip
}
RECOVERED = {name: TIDY for name in SHAPES} | {"middle-dots": {"张·伟": "eligible", "李娜": "eligible", "王强": "eligible"}}


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """Every shape as openpyxl writes it and, where LibreOffice is installed, as it saves it (.xlsx, .xls)."""
    d = tmp_path_factory.mktemp("shapes")
    files = {name: {"openpyxl": write_xlsx(d / f"{name}.xlsx", sheets, setup=setup)} for name, (sheets, setup) in SHAPES.items()}
    if shutil.which("soffice"):
        for fmt in ("xlsx", "xls", "ods"):
            out = d / f"lo-{fmt}"
            sources = [str(f["openpyxl"]) for f in files.values()]
            command = ["soffice", "--headless", "--convert-to", fmt, "--outdir", str(out), *sources]
            subprocess.run(command, check=True, capture_output=True, timeout=300)
            for name in files:
                files[name][f"libreoffice-{fmt}"] = out / f"{name}.{fmt}"
        # saved as a web page and named .xls, as web systems' "导出Excel" send it (DOMAIN §7)
        out = d / "lo-html"
        command = ["soffice", "--headless", "--convert-to", "html", "--outdir", str(out), *sources]
        subprocess.run(command, check=True, capture_output=True, timeout=300)
        for name in files:
            files[name]["libreoffice-html"] = (out / f"{name}.html").rename(out / f"{name}.xls")
    return files


def _verdicts(result) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {v.candidate.name: v.verdict.value for v in result.verdicts}


def _codes(result) -> set[str]:  # type: ignore[no-untyped-def]
    return {r.code.name for r in result.round.problems}


WRITERS = ["openpyxl", "libreoffice-xlsx", "libreoffice-xls", "libreoffice-ods", "libreoffice-html"]


def _file(saved, name: str, writer: str) -> Path:  # type: ignore[no-untyped-def]
    if writer not in saved[name]:
        pytest.skip("LibreOffice (soffice) is not installed: .ci/run installs it")
    return saved[name][writer]


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("name", list(SHAPES))
def test_each_shape_gives_the_tidy_verdicts(saved, rules, name, writer):
    result = pipeline.check([_file(saved, name, writer)], rules)
    expected = RECOVERED[name]
    if writer == "libreoffice-html" and name == "hidden-row":
        # LibreOffice leaves hidden rows out of a web page: 李娜 is not in the file at all (a row the
        # page hides with display:none is read and named: test_inputs_text_tables.py)
        expected = {k: v for k, v in expected.items() if k != "李娜"}
    assert _verdicts(result) == expected


@pytest.mark.parametrize("writer", WRITERS)
def test_units_from_merges_and_sections_count_as_in_the_tidy_file(saved, rules, writer):
    from jzleader.quota import tally

    def counts(name: str) -> dict[str, int]:
        result = pipeline.check([_file(saved, name, writer)], rules)
        assert rules.quotas is not None
        return {u.unit: u.recommended for u in tally(result, rules.quotas).units if u.recommended}

    assert counts("merged-units") == counts("sections") == counts("tidy") == {"沁阳市": 2, "孟州市": 1}


@pytest.mark.parametrize("writer", WRITERS)
def test_what_was_set_aside_is_named(saved, rules, writer):
    def codes(name: str) -> set[str]:
        return _codes(pipeline.check([_file(saved, name, writer)], rules))

    assert "SHEET_COPY" in codes("copy-sheet")
    if writer == "libreoffice-html":  # a web page holds no hidden sheet or row: LibreOffice leaves them out
        return
    assert "SHEET_HIDDEN" in codes("hidden-draft")
    assert "ROW_COLUMN_NUMBERS" in codes("column-numbers")
    assert {"ROW_HINT", "ROW_EXAMPLE", "ROW_HEADER_REPEATED"} <= codes("hint-and-example")
    assert "SECTION_UNIT" in codes("sections") and "SECTION_COUNT_MISMATCH" not in codes("sections")
    hidden = [
        r for r in pipeline.check([_file(saved, "hidden-row", writer)], rules).round.problems if r.code.name == "ROWS_HIDDEN"
    ]
    assert [r.params["rows"] for r in hidden] == ["4"]


# --- sheets laid out as they arrive (layout.Early) -------------------------------------------------------------


def _handed_over(tables):  # type: ignore[no-untyped-def]
    """Everything the layout hands over, in its order."""
    return tables.tables, tables.problems, tables.notes, tables.headers


def _noticed_in_every_sheet(path: Path) -> Path:
    """A notice and a note from each sheet, so that their order shows in which order the sheets were laid out."""
    example = ["例", "张三", make_id(dt.date(1980, 1, 1)), "1980.01", "沁阳市", "卫生", "主任医师", "大学本科"]
    sheets = tidy(
        推荐人选=[[*HEAD, "自定栏甲"], example, *PEOPLE],
        获奖=[[*AWARDS_HEAD, "自定栏乙"], *AWARDS[:2], AWARDS_HEAD, AWARDS[2]],
        荣誉称号=[[*HONOURS[0], "自定栏丙"], *HONOURS[1:]],
    )  # fmt: skip
    return write_xlsx(path, sheets, setup=lambda wb: setattr(wb["荣誉称号"].row_dimensions[2], "hidden", True))


@pytest.mark.parametrize("name", [*SHAPES, "noticed-in-every-sheet"])
def test_sheets_laid_out_as_they_arrive_hand_over_what_the_workbook_laid_out_whole_does(saved, tmp_path, name):
    """Whatever order the sheets arrive in, the rows, notices, notes and headers are those of the workbook laid
    out whole, in the workbook's order; what was laid out early and not wanted (a copy) is not among them."""
    from jzleader.inputs.sniff import read_file
    from jzleader.layout import Early, lay_out

    path = _noticed_in_every_sheet(tmp_path / "n.xlsx") if name not in SHAPES else saved[name]["openpyxl"]
    grid = read_file(path)
    whole = lay_out(grid)
    if name == "noticed-in-every-sheet":
        assert [(r.code.name, r.place.sheet) for r in whole.problems] == [
            ("ROW_EXAMPLE", "推荐人选"), ("ROW_HEADER_REPEATED", "获奖"), ("ROWS_HIDDEN", "荣誉称号")]  # fmt: skip
        assert [n.split("”")[0] for n in whole.notes] == ["工作表“推荐人选", "工作表“获奖", "工作表“荣誉称号"]
    for order in (list(grid.sheets), grid.sheets[::-1]):
        early = Early(grid.path, None)
        for sheet in order:
            early.arrived(sheet)
        laid_early = {s.name for s, _, _ in early.done.values()}
        assert _handed_over(lay_out(grid, early=early)) == _handed_over(whole)
        assert laid_early >= ({"推荐人选 (2)"} if name == "copy-sheet" else set()) and not early.done  # let go


def test_a_sheet_laid_out_as_it_arrived_is_not_laid_out_again(saved, monkeypatch):
    from jzleader.inputs.sniff import read_file
    from jzleader.layout import Early, lay_out, sheets

    laid: list[str | None] = []
    real = sheets.read_table
    monkeypatch.setattr(sheets, "read_table", lambda out, sheet, kind: (laid.append(sheet.name), real(out, sheet, kind))[1])
    grid = read_file(saved["tidy"]["openpyxl"])
    early = Early(grid.path, None)
    for sheet in grid.sheets:
        early.arrived(sheet)
    assert laid == ["推荐人选", "获奖", "荣誉称号"]
    lay_out(grid, early=early)
    assert laid == ["推荐人选", "获奖", "荣誉称号"]
    elsewhere = Early(grid.path.with_name("another.xlsx"), None)  # another file's sheets are never taken
    chosen = Early(grid.path, "推荐人选")  # --sheet: the roles are not by name alone, nothing is laid out early
    for sheet in grid.sheets:
        elsewhere.arrived(sheet)
        chosen.arrived(sheet)
    assert not chosen.done
    del laid[:]
    lay_out(grid, early=elsewhere)
    lay_out(grid, sheet="推荐人选", early=chosen)
    assert laid == ["推荐人选", "获奖", "荣誉称号"] * 2


def test_the_reader_tells_of_each_sheet_it_read_and_one_read_again_is_laid_out_again(saved, monkeypatch):
    """An .xlsx workbook's sheets are told of as the workers read them, the very sheets of the workbook read. When
    one sheet sends the workbook to openpyxl, what was told of before is not what is laid out."""
    from jzleader.inputs import xlsx
    from jzleader.inputs.sniff import read_file
    from jzleader.layout import Early, lay_out

    path = saved["merged-details"]["openpyxl"]
    told: list = []
    grid = read_file(path, arrived=told.append)  # by the workers
    assert len(told) == 3 and {id(s) for s in told} == {id(s) for s in grid.sheets}
    whole = lay_out(grid)
    read_in_this_process(monkeypatch)  # each sheet read as it is handed out: the two before 获奖 are told of
    monkeypatch.setattr(xlsx, "sheet_safe", lambda xml: b"<mergeCell " not in xml)  # 获奖's merged cells
    early = Early(path, None)
    told = []
    grid = read_file(path, arrived=lambda sheet: (told.append(sheet), early.arrived(sheet)))
    assert told and not {id(s) for s in told} & {id(s) for s in grid.sheets}  # openpyxl's sheets, not calamine's
    assert len(early.done) == len(told)  # laid out for nothing
    assert _handed_over(lay_out(grid, early=early)) == _handed_over(whole)
    assert not early.done  # and let go


def test_a_stated_count_that_differs_is_reported(tmp_path, rules):
    rows = [
        [h for h in HEAD if h != "推荐单位"],
        ["沁阳市（共3人）"],
        *[[v for i, v in enumerate(p) if i != 4] for p in PEOPLE[:2]],
    ]
    result = pipeline.check([write_xlsx(tmp_path / "s.xlsx", tidy(推荐人选=rows))], rules)
    (mismatch,) = [r for r in result.round.problems if r.code.name == "SECTION_COUNT_MISMATCH"]
    assert (mismatch.params["stated"], mismatch.params["counted"], mismatch.place.cell) == (3, 2, "A2")


def test_a_cell_that_says_same_as_above_takes_the_value_above_with_a_notice(tmp_path, rules):
    """DOMAIN.md §6: 同上 or 〃 (blanks around it too) takes the value of the cell above; a text that only begins
    the way they do is that text."""
    rows = [
        HEAD,
        PEOPLE[0],
        [2, "李娜", B, "1974.07", "同上", "同上级", "高级农艺师", "大学本科"],
        [3, "王强", C, "1980.01", " 〃 ", "卫生", "主任医师", "大学本科"],
    ]
    result = pipeline.check([write_xlsx(tmp_path / "s.xlsx", tidy(推荐人选=rows))], rules)
    assert [c.unit for c in result.round.candidates] == ["沁阳市", "沁阳市", "沁阳市"]
    assert result.round.candidates[1].field == "同上级"
    same = [(r.place.cell, r.params["value"], r.params["above"]) for r in result.round.problems if r.code.name == "SAME_AS_ABOVE"]
    assert same == [("E3", "同上", "沁阳市"), ("E4", "〃", "沁阳市")]


def test_two_candidate_sheets_are_refused_naming_both_and_sheet_chooses(tmp_path, rules):
    path = write_xlsx(tmp_path / "two.xlsx", tidy(汇总表=[HEAD, PEOPLE[0]]))
    with pytest.raises(InputError) as e:
        pipeline.check([path], rules)
    assert "“推荐人选”" in e.value.message and "“汇总表”" in e.value.message and "--sheet" in e.value.message
    assert list(_verdicts(pipeline.check([path], rules, sheet="汇总表"))) == ["张伟"]
    assert list(_verdicts(pipeline.check([path], rules, sheet="推荐人选"))) == ["张伟", "李娜", "王强"]


# --- what cannot be recovered is named, never read as blank -------------------------------------------------


def test_error_values_make_the_field_unknown_never_blank(tmp_path, rules):
    def errors(wb):  # type: ignore[no-untyped-def]
        ws = wb["推荐人选"]
        ws["G3"] = "#REF!"  # 张伟's title
        ws["G3"].data_type = "e"
        ws["B4"] = "#N/A"  # 李娜's name: her ID still tells who she is
        ws["B4"].data_type = "e"

    result = pipeline.check([write_xlsx(tmp_path / "e.xlsx", tidy(), setup=errors)], rules)
    by_id = {v.candidate.id.number: v for v in result.verdicts}
    zhang, li = by_id[A], by_id[B]
    # 本科 and an unknown title: not ineligible as a blank title and 本科 would make him, but review
    assert zhang.verdict.value == "review"
    (problem,) = [r for r in zhang.reasons if r.code.name == "CELL_ERROR_VALUE"]
    assert (problem.place.cell, problem.params["error"], problem.severity.value) == ("G3", "#REF!", "review")
    assert li.verdict.value == "review" and li.candidate.awards  # still listed, still joined by ID
    assert any(r.code.name == "CELL_ERROR_VALUE" and r.place.cell == "B4" for r in li.reasons)


def test_formulas_without_a_result(tmp_path, rules):
    def one(wb):  # type: ignore[no-untyped-def]
        wb["推荐人选"]["B3"] = '=CONCATENATE("张","伟")'

    result = pipeline.check([write_xlsx(tmp_path / "f.xlsx", tidy(), setup=one)], rules)
    zhang = next(v for v in result.verdicts if v.candidate.id.number == A)
    assert zhang.verdict.value == "review"
    assert any(r.code.name == "FORMULA_NO_VALUE" and r.place.cell == "B3" for r in zhang.reasons)

    def every(wb):  # type: ignore[no-untyped-def]
        for row in (3, 4, 5):
            wb["推荐人选"][f"B{row}"] = f"=A{row}"
            wb["推荐人选"][f"C{row}"] = f"=A{row}"

    with pytest.raises(InputError) as e:
        pipeline.check([write_xlsx(tmp_path / "all.xlsx", tidy(), setup=every)], rules)
    assert "没有计算结果的公式" in e.value.message and "打开后保存" in e.value.message


def test_an_unknown_birth_date_is_settled_by_a_valid_id(tmp_path, rules):
    def birth(wb):  # type: ignore[no-untyped-def]
        wb["推荐人选"]["D3"] = "#VALUE!"
        wb["推荐人选"]["D3"].data_type = "e"

    result = pipeline.check([write_xlsx(tmp_path / "b.xlsx", tidy(), setup=birth)], rules)
    zhang = next(v for v in result.verdicts if v.candidate.id.number == A)
    assert zhang.verdict.value == "eligible" and zhang.age == "40"
    (problem,) = [r for r in zhang.reasons if r.code.name == "CELL_ERROR_VALUE"]
    assert problem.severity.value == "notice"


def test_the_same_id_in_two_files_gets_the_details_on_both_listings(tmp_path, rules):
    first = write_xlsx(tmp_path / "a.xlsx", tidy())
    second = write_xlsx(tmp_path / "b.xlsx", {"推荐人选": [HEAD, PEOPLE[1]]})  # 李娜 again, without her award rows
    result = pipeline.check([first, second], rules)
    listings = [v for v in result.verdicts if v.candidate.id.number == B]
    assert len(listings) == 2
    assert [v.verdict.value for v in listings] == ["review", "review"]  # identity unsettled, never ineligible
    assert all(len(v.candidate.awards) == 2 and v.clauses_met == [1] for v in listings)


def test_what_was_set_aside_is_a_comment_in_the_annotated_copy(saved, tmp_path):
    import openpyxl
    from click.testing import CliRunner

    from jzleader.cli import cli

    copy = tmp_path / "annotated.xlsx"
    source = saved["hint-and-example"]["openpyxl"]
    result = CliRunner().invoke(cli, ["check", str(source), "--annotate", str(copy)], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    ws = openpyxl.load_workbook(copy)["推荐人选"]
    comments = {c.coordinate: c.comment.text for row in ws.iter_rows() for c in row if c.comment}
    assert "填写说明" in comments["A3"] and "填写示例" in comments["A4"] and "重复的表头" in comments["A8"]
