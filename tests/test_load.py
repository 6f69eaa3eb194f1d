"""The workbook contract (DOMAIN.md §3) and what real files do (§4), with workbooks built in fixtures."""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile

import olefile
import pytest

from jzleader import pipeline
from jzleader.errors import InputError
from jzleader.wording import message

from .conftest import codes, read_tables, write_xlsx

ID_A = "410882198005061234"
ID_B = "410882197407012158"
HEAD = ["序号", "姓名", "身份证号", "出生年月", "推荐单位", "工作领域", "专业技术职务", "学历"]


def official(rows, extra_sheets=None):
    """A candidate sheet as offices send it: title row, unit line, blank row, then the header."""
    sheet = [["2020年焦作市学术技术带头人推荐人选汇总表"], ["填报单位（盖章）：沁阳市人社局"], [], HEAD, *rows]
    return {"推荐人选": sheet, **(extra_sheets or {})}


ROW_A = [1, "张伟", ID_A, "1980.05", "沁阳市", "卫生", "副主任医师", "大学本科"]
ROW_B = [2, "李娜", ID_B, "1974.07", "沁阳市", "农业", "高级农艺师", "大学本科"]


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


def test_number_formats_decide_1975_1(tmp_path, rules):
    rows = [[1, "甲", None, 1974.1, "沁阳市", "卫生", "副主任医师", "硕士研究生"],
            [2, "乙", None, 1974.1, "沁阳市", "卫生", "副主任医师", "硕士研究生"]]  # fmt: skip
    path = write_xlsx(tmp_path / "f.xlsx", official(rows), {("推荐人选", "D6"): "0.00"})
    first, second = pipeline.check([path], rules).verdicts
    assert first.candidate.birth.ambiguous  # General: January or October
    assert "AGE_UNDECIDABLE" in {r.code.name for r in first.reasons}
    assert second.age == "45"  # shown as 1974.10


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


def test_csv_in_gbk_as_wps_saves_it(tmp_path, rules):
    text = "姓名,身份证号,出生年月,推荐单位,专业技术职务,学历\n张伟,410882198005061234,1980.05,沁阳市,副主任医师,硕士研究生\n"
    path = tmp_path / "c.csv"
    path.write_bytes(text.encode("gbk"))
    result = pipeline.check([path], rules)
    assert result.verdicts[0].candidate.name == "张伟"
    assert any("GB18030" in n for n in result.round.notes)


def test_a_yaml_python_tag_never_runs(tmp_path):
    marker = tmp_path / "ran"
    path = tmp_path / "evil.yaml"
    path.write_text(f"candidates:\n  - name: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    with pytest.raises(InputError):
        read_tables(path)
    assert not marker.exists()


def test_yaml_with_tabs_names_the_line(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("candidates:\n\t- name: 张伟\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_tables(path)
    assert "第2行" in e.value.message


def _ole2(path, streams):
    """A minimal OLE2 container with the given stream names (olefile can only read, so write one by hand)."""
    pytest.importorskip("olefile")
    # An OLE2 file with a directory naming the streams is enough for the sniffing under test.
    import struct

    sector = 512
    entries = [("Root Entry", 5)] + [(s, 2) for s in streams]
    directory = b""
    for name, kind in entries:
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entry = encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1)
        entry += struct.pack("<iii", -1, -1, 1 if name == "Root Entry" and len(entries) > 1 else -1)
        entry = entry.ljust(116, b"\x00") + struct.pack("<iI", -2, 0) + b"\x00" * 4
        directory += entry
    # chain the siblings: Root -> first stream; each stream's right sibling is the next one
    parts = []
    for i in range(len(entries)):
        e = bytearray(directory[i * 128 : (i + 1) * 128])
        if i >= 1:
            struct.pack_into("<i", e, 70, -1)
            struct.pack_into("<i", e, 72, i + 1 if i + 1 < len(entries) else -1)
            struct.pack_into("<i", e, 76, -1)
        parts.append(bytes(e))
    directory = b"".join(parts).ljust(sector, b"\x00")
    header = bytearray(sector)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 44, 1)  # one FAT sector
    struct.pack_into("<i", header, 48, 1)  # directory starts at sector 1
    struct.pack_into("<I", header, 56, 4096)
    struct.pack_into("<i", header, 60, -2)
    struct.pack_into("<i", header, 68, -2)
    struct.pack_into("<i", header, 76, 0)  # FAT at sector 0
    for i in range(1, 109):
        struct.pack_into("<i", header, 76 + 4 * i, -1)
    fat = struct.pack("<ii", -3, -2).ljust(sector, b"\xff")
    path.write_bytes(bytes(header) + fat + directory)
    assert olefile.isOleFile(str(path))
    return path


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: p.write_bytes(b""), "空的"),
        (lambda p: p.write_text("姓名,身份证号\n张伟,1\n", encoding="utf-8"), ".csv"),
        (lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 40), "不完整"),
        (lambda p: _ole2(p, ["EncryptionInfo", "EncryptedPackage"]), "密码"),
        (lambda p: _ole2(p, ["Workbook"]), "损坏"),
        (lambda p: _ole2(p, ["WordDocument"]), "不是 Excel"),
    ],
    ids=["empty", "text-named-xlsx", "truncated", "encrypted", "damaged-xls", "word-document"],
)
def test_unusable_files_raise_one_clear_error_naming_the_file(tmp_path, make, words):
    path = tmp_path / "county.xlsx"
    make(path)
    with pytest.raises(InputError) as e:
        read_tables(path)
    assert words in e.value.message
    assert e.value.path == str(path)


def test_truncated_real_workbook(tmp_path):
    good = write_xlsx(tmp_path / "g.xlsx", official([ROW_A]))
    data = good.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError):
        read_tables(cut)


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "z.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(InputError):
        read_tables(path)


def test_no_header_row_is_unusable(tmp_path):
    path = write_xlsx(tmp_path / "n.xlsx", {"推荐人选": [["随便"], [1, 2, 3]]})
    with pytest.raises(InputError) as e:
        read_tables(path)
    assert "候选人" in e.value.message


def test_xlsx_renamed_xls_is_read_with_a_note(tmp_path, rules):
    good = write_xlsx(tmp_path / "g.xlsx", official([ROW_A]))
    renamed = tmp_path / "g.xls"
    renamed.write_bytes(good.read_bytes())
    result = pipeline.check([renamed], rules)
    assert result.verdicts[0].candidate.name == "张伟"
    assert [r.code.name for r in result.round.problems] == ["FORMAT_BY_CONTENT"]
    assert "按 .xlsx 读取" in message(result.round.problems[0])


def test_the_input_file_is_never_modified(tmp_path, rules):
    path = write_xlsx(tmp_path / "keep.xlsx", official([ROW_A, ROW_B]))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    pipeline.check([path], rules)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


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
