"""One candidate set saved as .xlsx, .xls, .csv and YAML gives the same verdicts, except where a format
cannot carry a fact (a CSV has no number formats: 1974.10 shown through 0.00 arrives as 1974.1)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from jzleader import pipeline
from jzleader.cli import cli
from jzleader.errors import InputError
from jzleader.wording import message

from .conftest import read_in_this_process, read_tables, write_xlsx, xlsx_to_csv, xlsx_to_xls

ROOT = Path(__file__).parents[1]
HEAD = ["姓名", "身份证号", "出生年月", "推荐单位", "工作领域", "专业技术职务", "学历", "业绩说明"]
ROWS = [
    ["张伟", "410882198005061234", "1980.05", "沁阳市", "卫生", "副主任医师", "硕士研究生", None],
    ["甲", None, 1974.1, "沁阳市", "科研", "副研究员", "博士研究生", "技术改造"],  # shown 1974.10 through 0.00
    ["乙", "410882197407012158", dt.datetime(1974, 7, 1), "孟州市", "农业", "高级农艺师", "大学本科", "推广"],
    ["丙", "410882197406300318", "1974.06", "温县", "教育", "一级教师", "大学本科", None],
]


def verdicts(path: Path, rules) -> list[tuple[str, str, list[int], frozenset[str]]]:
    result = pipeline.check([path], rules)
    return [
        (v.candidate.name, v.verdict, v.clauses_met,
         frozenset(r.code.name for r in v.reasons if r.severity.value in ("fail", "review")))
        for v in result.verdicts
    ]  # fmt: skip


@pytest.fixture
def saved(tmp_path):
    xlsx = write_xlsx(tmp_path / "set.xlsx", {"候选人": [HEAD, *ROWS]}, {("候选人", "C3"): "0.00"})
    people = [
        dict(zip(["name", "id_number", "birth_date", "unit", "field", "title", "education", "statement"], r, strict=True))
        for r in ROWS
    ]
    people[1]["birth_date"] = "1974.10"
    people[2]["birth_date"] = "1974-07-01"
    for person in people:
        for key in [k for k, v in person.items() if v is None]:
            del person[key]
    yaml_path = tmp_path / "set.yaml"
    yaml_path.write_text(yaml.safe_dump({"candidates": people}, allow_unicode=True), encoding="utf-8")
    return {
        "xlsx": xlsx,
        "xls": xlsx_to_xls(xlsx, tmp_path / "set.xls"),
        "csv": xlsx_to_csv(xlsx, tmp_path / "set.csv"),
        "yaml": yaml_path,
    }


def test_the_same_verdicts_in_every_format(saved, rules):
    expected = verdicts(saved["xlsx"], rules)
    # worked out by hand: 张伟 has no award, paper, honour, project or statement -> ineligible (二、4);
    # 甲 博士研究生 with a statement but no ID -> review; 乙 exactly 45 with a statement -> review; 丙 46 -> ineligible
    assert [(n, v) for n, v, _, _ in expected] == [
        ("张伟", "ineligible"),
        ("甲", "review"),
        ("乙", "review"),
        ("丙", "ineligible"),
    ]
    assert verdicts(saved["xls"], rules) == expected
    assert verdicts(saved["yaml"], rules) == expected


def test_a_csv_export_carries_what_the_cells_show(saved, rules):
    """Excel and WPS export the shown text (1974.10), so the exported CSV agrees with the workbook."""
    assert verdicts(saved["csv"], rules) == verdicts(saved["xlsx"], rules)


def test_csv_cannot_carry_a_number_format_and_says_so(saved, rules, tmp_path):
    """The same value typed as a number without the 0.00 format arrives as 1974.1: January or October."""
    raw = tmp_path / "raw.csv"
    raw.write_text(saved["csv"].read_text(encoding="gbk").replace("1974.10", "1974.1"), encoding="gbk")
    xlsx_jia = verdicts(saved["xlsx"], rules)[1]
    csv_jia = verdicts(raw, rules)[1]
    assert "AGE_UNDECIDABLE" not in xlsx_jia[3]  # 0.00 shows 1974.10: October, 45
    assert {"AGE_UNDECIDABLE", "BIRTH_DATE_AMBIGUOUS"} <= csv_jia[3]
    assert (
        verdicts(raw, rules)[:1] + verdicts(raw, rules)[2:]
        == verdicts(saved["xlsx"], rules)[:1] + verdicts(saved["xlsx"], rules)[2:]
    )


def test_the_example_county_workbook_as_xls(tmp_path):
    xls = xlsx_to_xls(ROOT / "examples" / "沁阳市推荐人选.xlsx", tmp_path / "沁阳市推荐人选.xls")
    expected = json.loads((ROOT / "tests" / "cases" / "qinyang-xlsx.expected.json").read_text(encoding="utf-8"))
    out = json.loads(CliRunner().invoke(cli, ["check", str(xls), "--format", "json"], catch_exceptions=False).output)
    got = [(c["row"], c["name"], c["verdict"], c["clauses_met"]) for c in out["candidates"]]
    assert got == [(c["row"], c["name"], c["verdict"], c["clauses_met"]) for c in expected["candidates"]]
    damaged = next(c for c in out["candidates"] if c["name"] == "杨帆")["reasons"]
    assert any(r["code"] == "ID_PRECISION_LOST" and r["cell"] == "D12" for r in damaged)


def test_xls_renamed_xlsx_is_read_as_xls_with_a_note(saved, rules, tmp_path):
    renamed = tmp_path / "renamed.xlsx"
    renamed.write_bytes(saved["xls"].read_bytes())
    book = read_tables(renamed)
    assert book.format == "xls"
    assert [message(r) for r in book.problems] == ["renamed.xlsx的扩展名是 .xlsx，但内容是 .xls 工作簿，已按 .xls 读取"]


def test_encrypted_xls_asks_for_the_password_to_be_removed(saved, monkeypatch):
    import xlrd

    def encrypted(*args, **kwargs):
        raise xlrd.XLRDError("Workbook is encrypted")

    monkeypatch.setattr(xlrd, "open_workbook", encrypted)
    with pytest.raises(InputError) as e:
        read_tables(saved["xls"])
    assert "密码" in e.value.message


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("\ufeff姓名,身份证号\n张伟,410882198005061234\n".encode(), "UTF-8 (BOM)"),
        ("姓名,身份证号\n张伟,410882198005061234\n".encode(), "UTF-8"),
        ("姓名,身份证号\n张伟,410882198005061234\n".encode("utf-16"), "UTF-16"),
        ("姓名,身份证号\n张伟,410882198005061234\n".encode("gbk"), "GB18030/GBK"),
    ],
)
def test_csv_encodings_in_order(tmp_path, data, encoding):
    path = tmp_path / "c.csv"
    path.write_bytes(data)
    book = read_tables(path)
    assert book.tables["candidates"][0].value("name") == "张伟"
    assert any(encoding in n for n in book.notes)


def test_csv_in_no_known_encoding(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(b"\x81\x30\xff\xfe\x00\x80" * 10)
    with pytest.raises(InputError) as e:
        read_tables(path)
    assert "编码" in e.value.message


def _both_readers(path: Path, monkeypatch) -> tuple[dict, dict]:
    import jzleader.inputs.xlsx as xlsx

    calls = read_in_this_process(monkeypatch)
    outputs = []
    for safe in (True, False):  # python-calamine, then openpyxl's parser
        monkeypatch.setattr(xlsx, "sheet_safe", lambda data, safe=safe: safe)
        result = CliRunner().invoke(cli, ["check", str(path), "--format", "json"], catch_exceptions=False)
        outputs.append(json.loads(result.output))
    sheets = len(openpyxl.load_workbook(path, read_only=True).sheetnames)
    # each run listed the sheets and gave each to a worker: the first read them through calamine, and in the
    # second no sheet passed the worker's scan, so that openpyxl read them
    assert calls == (["_sheet_list"] + ["_read_sheet"] * sheets) * 2
    return outputs[0], outputs[1]


@pytest.mark.parametrize("case", sorted((ROOT / "tests" / "cases").glob("*xlsx.expected.json")), ids=lambda p: p.stem)
def test_golden_cases_give_the_same_verdicts_through_both_readers(case, monkeypatch):
    inputs = json.loads(case.read_text(encoding="utf-8"))["inputs"]
    fast, careful = _both_readers(ROOT / inputs[0], monkeypatch)
    assert fast["candidates"] == careful["candidates"]
    assert fast["problems"] == careful["problems"]


def test_a_messy_generated_workbook_through_both_readers(tmp_path, monkeypatch):
    """The benchmark generator's mess (1974.1, 0.00 formats, IDs in number cells, Excel dates)."""
    import runpy

    path = tmp_path / "messy.xlsx"
    runpy.run_path(str(ROOT / "benchmarks" / "make_workbook.py"), run_name="builder")["build"](300, path)
    fast, careful = _both_readers(path, monkeypatch)
    assert len(fast["candidates"]) == 300
    assert fast["candidates"] == careful["candidates"]


def test_an_xls_that_wps_names_et_is_read_without_a_note(saved, rules, tmp_path):
    et = tmp_path / "county.et"
    et.write_bytes(saved["xls"].read_bytes())
    book = read_tables(et)
    assert book.format == "xls" and book.problems == []
    assert pipeline.check([et], rules).verdicts


def test_strict_open_xml_as_excel_saves_it(tmp_path, rules):
    """Excel's "Strict Open XML Spreadsheet" is the same package with the ISO namespaces (DOMAIN §7)."""
    import zipfile

    iso = {
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
            b"http://purl.oclc.org/ooxml/officeDocument/relationships"
        ),
    }
    source = ROOT / "examples" / "沁阳市推荐人选.xlsx"
    strict = tmp_path / "strict.xlsx"
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(strict, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            data = z.read(info.filename)
            for old, new in iso.items():
                data = data.replace(old, new)
            out.writestr(info, data)
    assert b"purl.oclc.org" in zipfile.ZipFile(strict).read("xl/workbook.xml")
    assert verdicts(strict, rules) == verdicts(source, rules)
    assert read_tables(strict).problems == []
