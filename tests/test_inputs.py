"""The readers: what real files are and do (DOMAIN.md §4), each unusable file one clear error naming it."""

from __future__ import annotations

import hashlib
import zipfile

import pytest

from jzleader import pipeline
from jzleader.errors import InputError
from jzleader.wording import message

from .conftest import ID_A, ID_B, ROW_A, ROW_B, official, read_tables, write_xlsx
from .hostile import ole2


def test_number_formats_decide_1975_1(tmp_path, rules):
    rows = [[1, "甲", None, 1974.1, "沁阳市", "卫生", "副主任医师", "硕士研究生"],
            [2, "乙", None, 1974.1, "沁阳市", "卫生", "副主任医师", "硕士研究生"]]  # fmt: skip
    path = write_xlsx(tmp_path / "f.xlsx", official(rows), {("推荐人选", "D6"): "0.00"})
    first, second = pipeline.check([path], rules).verdicts
    assert first.candidate.birth.ambiguous  # General: January or October
    assert "AGE_UNDECIDABLE" in {r.code.name for r in first.reasons}
    assert second.age == "45"  # shown as 1974.10


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


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: p.write_bytes(b""), "空的"),
        (lambda p: p.write_text("请查收附件中的推荐名单。\n谢谢\n", encoding="utf-8"), "不是表格"),
        (lambda p: p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), "PDF 文件"),
        (lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 40), "不完整"),
        (lambda p: ole2(p, ["EncryptionInfo", "EncryptedPackage"]), "密码"),
        (lambda p: ole2(p, ["Workbook"]), "损坏"),
        (lambda p: ole2(p, ["WordDocument"]), "不是 Excel"),
    ],
    ids=["empty", "prose-named-xlsx", "pdf-named-xlsx", "truncated", "encrypted", "damaged-xls", "word-document"],
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


@pytest.mark.parametrize("end", ["\r\n", "\n", "\r"], ids=["CRLF", "LF", "CR"])
def test_csv_with_any_line_ending(tmp_path, rules, end):
    """Old Mac Excel ends CSV lines with a CR alone: every candidate is read all the same (DOMAIN §7)."""
    path = tmp_path / "c.csv"
    path.write_bytes(end.join(["姓名,身份证号,出生年月", f"张伟,{ID_A},1980.05", f"李娜,{ID_B},1974.07", ""]).encode("gbk"))
    result = pipeline.check([path], rules)
    assert [v.candidate.name for v in result.verdicts] == ["张伟", "李娜"]


def test_a_round_folder_as_it_arrives(tmp_path, rules):
    """DOMAIN §7: sub-folders are read; lock, temporary and hidden files, scans and documents are named and
    skipped; a lock file that a shell glob hands over is skipped too, never an error."""
    from jzleader.inputs.files import expand_inputs

    round_ = tmp_path / "报送材料"
    (round_ / "沁阳市").mkdir(parents=True)
    (round_ / "孟州市").mkdir()
    write_xlsx(round_ / "沁阳市" / "沁阳市推荐人选.xlsx", official([ROW_A]))
    write_xlsx(round_ / "孟州市" / "孟州市推荐人选.xlsx", official([ROW_B]))
    (round_ / "沁阳市" / "~$沁阳市推荐人选.xlsx").write_bytes(b"\x00lock")
    (round_ / "孟州市" / ".~lock.孟州市推荐人选.xlsx#").write_text("lock", encoding="utf-8")
    (round_ / "沁阳市" / "推荐报告扫描件.pdf").write_bytes(b"%PDF-1.4")
    (round_ / "Thumbs.db").write_bytes(b"\x00")
    (round_ / "~WRL0001.tmp").write_bytes(b"\x00")
    result = pipeline.check(expand_inputs([round_]), rules)
    assert sorted(v.candidate.name for v in result.verdicts) == ["张伟", "李娜"]
    assert result.errors == []
    skipped = {r.params["file"]: r.params["why"] for r in result.round.problems if r.code.name == "FILE_SKIPPED"}
    assert skipped == {"~$沁阳市推荐人选.xlsx": "lock", ".~lock.孟州市推荐人选.xlsx#": "lock",
                       "推荐报告扫描件.pdf": "not_input", "Thumbs.db": "not_input", "~WRL0001.tmp": "temporary"}  # fmt: skip
    glob = expand_inputs([round_ / "沁阳市" / "沁阳市推荐人选.xlsx", round_ / "沁阳市" / "~$沁阳市推荐人选.xlsx"])
    assert list(glob) == [round_ / "沁阳市" / "沁阳市推荐人选.xlsx"]
    assert [why for _, why in glob.skipped] == ["lock"]
