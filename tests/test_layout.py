"""The layout stage: which sheet is which, where the header is, which rows are data (DOMAIN.md §3, §6)."""

from __future__ import annotations

import zipfile

import pytest

from jzleader import pipeline
from jzleader.errors import InputError

from .conftest import ID_A, ROW_A, ROW_B, codes, official, read_tables, write_xlsx


def test_header_found_below_title_rows_and_details_joined_by_id_or_name(tmp_path, rules):
    path = write_xlsx(
        tmp_path / "a.xlsx",
        official(
            [ROW_A, ROW_B],
            {
                "荣誉称号": [["荣誉情况"], ["身份证号", "姓名", "称号", "授予级别"], [ID_A, "张伟", "优秀医师", "市级"]],
                "获奖": [["姓名", "奖项名称", "奖项类别", "授奖级别", "等级", "本人排名"],
                         ["李娜", "小麦", "科技进步奖", "省级", "二等奖", 3]],
            },
        ),
    )  # fmt: skip
    result = pipeline.check([path], rules)
    assert [(v.candidate.name, v.verdict, v.clauses_met) for v in result.verdicts] == [
        ("张伟", "eligible", [6]),
        ("李娜", "eligible", [1]),
    ]
    assert result.verdicts[0].candidate.place.row == 5  # as Excel shows it
    assert result.verdicts[0].candidate.at("birth_date").cell == "D5"


def test_english_field_names_and_the_only_sheet(tmp_path, rules):
    path = write_xlsx(
        tmp_path / "e.xlsx",
        {"Sheet1": [["name", "id_number", "birth_date", "unit", "title", "education", "statement"],
                    ["张伟", ID_A, "1980-05-06", "沁阳市", "高级工程师", "本科", "技术改造"]]},
    )  # fmt: skip
    result = pipeline.check([path], rules)
    assert result.verdicts[0].verdict == "review"  # clauses 5 and 7 rest on the statement
    assert result.verdicts[0].candidate.unit == "沁阳市"


def test_two_row_header_under_merged_cells(tmp_path, rules):
    path = write_xlsx(
        tmp_path / "m.xlsx",
        {"候选人": [["姓名", "身份证号", "基本情况", None, None],
                   [None, None, "出生年月", "专业技术职务", "学历"],
                   ["张伟", ID_A, "1980.05", "副主任医师", "硕士研究生"]]},
    )  # fmt: skip
    c = pipeline.check([path], rules).verdicts[0].candidate
    assert (c.title, c.education) == ("副主任医师", "硕士研究生")


def test_total_empty_and_footer_rows_are_not_candidates(tmp_path, rules):
    rows = [ROW_A, [], [None, None], ROW_B, ["合计", "2人"], [], ["填表人：王丽  审核人：李明"]]
    result = pipeline.check([write_xlsx(tmp_path / "t.xlsx", official(rows))], rules)
    assert [v.candidate.name for v in result.verdicts] == ["张伟", "李娜"]
    assert result.round.problems == []


def test_a_row_with_data_but_no_name_or_id_is_reported_not_dropped_silently(tmp_path, rules):
    result = pipeline.check([write_xlsx(tmp_path / "s.xlsx", official([ROW_A, [3, None, None, "1980.01", "沁阳市"]]))], rules)
    assert [r.code.name for r in result.round.problems] == ["ROW_SKIPPED"]
    assert result.round.problems[0].place.row == 6


def test_no_header_row_is_unusable(tmp_path):
    path = write_xlsx(tmp_path / "n.xlsx", {"推荐人选": [["随便"], [1, 2, 3]]})
    with pytest.raises(InputError) as e:
        read_tables(path)
    assert "候选人" in e.value.message


def test_a_lying_dimension_does_not_widen_rows(tmp_path, rules):
    path = write_xlsx(tmp_path / "dim.xlsx", official([ROW_A]))
    patched = tmp_path / "dim2.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = data.decode()
                start = text.find("<dimension")
                if start >= 0:
                    end = text.find("/>", start) + 2
                    text = text[:start] + '<dimension ref="A1:XFD1048576"/>' + text[end:]
                data = text.encode()
            dst.writestr(item, data)
    result = pipeline.check([patched], rules)
    assert [v.candidate.name for v in result.verdicts] == ["张伟"]
    assert codes(result) == codes(pipeline.check([path], rules)) == {"NO_ACHIEVEMENT"}


def test_yaml_values_of_the_wrong_shape_are_problems_not_crashes(tmp_path, rules):
    path = tmp_path / "shapes.yaml"
    path.write_text(
        "candidates:\n"
        "  - {name: 张伟, id_number: [4108, 8219], birth_date: {year: 1980}, title: [副主任医师], education: 1}\n"
        "  - {name: [李, 娜], id_number: {a: 1}, awards: [3, {grade: [一等奖]}], honours: {x: 1}}\n",
        encoding="utf-8",
    )
    result = pipeline.check([path], rules)
    assert len(result.verdicts) == 2
    assert all(v.verdict in ("review", "ineligible") for v in result.verdicts)
