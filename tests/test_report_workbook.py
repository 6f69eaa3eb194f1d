"""Workbooks jzleader writes: the report, the annotated copy, the blank form. Read back with openpyxl."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from jzleader import pipeline
from jzleader.cli import cli
from jzleader.idnumber import mask, redact

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "沁阳市推荐人选.xlsx"
ID_RUN = re.compile(r"(?<!\d)\d{15}(\d{2}[\dXx])?(?!\d)")


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def example(tmp_path):
    copy = tmp_path / "沁阳市推荐人选.xlsx"
    shutil.copy(EXAMPLE, copy)
    return copy


def all_text(wb) -> str:
    parts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    parts.append(str(cell.value))
                if cell.comment is not None:
                    parts.append(cell.comment.text)
    return "\n".join(parts)


def test_the_report_workbook(example, tmp_path):
    out = tmp_path / "审核结果.xlsx"
    assert invoke("check", example, "--output", out).exit_code == 1
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["审核结果", "问题清单", "指标", "口径影响"]
    ws = wb["审核结果"]
    header = [c.value for c in ws[5]]  # under the title block
    assert header[:3] == ["行号", "姓名", "推荐单位"] and "结论" in header and "不符合、待核实的原因（依据条款）" in header
    verdict_col = header.index("结论") + 1
    colours = {ws.cell(r, verdict_col).value: ws.cell(r, verdict_col).fill.fgColor.rgb for r in range(6, 18)}
    assert colours == {"符合": "00C6EFCE", "待核实": "00FFEB9C", "不符合": "00FFC7CE"}
    assert ws.freeze_panes == "A6" and ws.auto_filter.ref.startswith("A5:")
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"  # A4
    assert ws.print_title_rows == "$5:$5"
    assert "&P" in ws.oddFooter.center.text and "criteria.yaml" in ws.oddFooter.left.text
    assert ws.column_dimensions["B"].width >= 6  # fitted to Chinese text
    problems = wb["问题清单"]
    assert problems["A1"].value.startswith("问题清单") and problems["A3"].value == "文件"  # a title, then the header
    rows = [[c.value for c in r] for r in problems.iter_rows(min_row=4)]
    assert any(r[2] == "D12" and r[5] == "ID_PRECISION_LOST" for r in rows)
    quota = wb["指标"]
    qinyang = next(r for r in quota.iter_rows(min_row=2) if r[1].value == "沁阳市")
    assert (qinyang[2].value, qinyang[3].value, qinyang[6].value) == (5, 12, 6)
    assert qinyang[0].fill.fgColor.rgb == "00FFC7CE"  # over quota: red
    assert not ID_RUN.search(all_text(wb))


def test_show_id_reveals_numbers_in_the_report(example, tmp_path):
    out = tmp_path / "r.xlsx"
    invoke("check", example, "--output", out, "--show-id")
    assert "410882198005061234" in all_text(openpyxl.load_workbook(out))


def test_quota_report_output(example, tmp_path):
    out = tmp_path / "q.xlsx"
    assert invoke("quota-report", example, "--output", out).exit_code == 1
    assert "指标" in openpyxl.load_workbook(out).sheetnames


@pytest.mark.parametrize("target", ["same", "relative", "not-xlsx"])
def test_never_written_over_the_input_or_to_a_wrong_name(example, tmp_path, monkeypatch, target):
    before = hashlib.sha256(example.read_bytes()).hexdigest()
    monkeypatch.chdir(tmp_path)
    out = {"same": example, "relative": Path(example.name), "not-xlsx": tmp_path / "r.csv"}[target]
    result = invoke("check", example, "--output", out)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert hashlib.sha256(example.read_bytes()).hexdigest() == before
    assert invoke("check", example, "--annotate", out).exit_code == 2


def test_an_interrupted_write_leaves_no_file(example, tmp_path, monkeypatch):
    from openpyxl import Workbook

    def broken_save(self, filename):
        Path(filename).write_bytes(b"PK\x03\x04half")
        raise KeyboardInterrupt

    monkeypatch.setattr(Workbook, "save", broken_save)
    out = tmp_path / "r.xlsx"
    result = CliRunner().invoke(cli, ["check", str(example), "--output", str(out)])
    assert result.exit_code != 0  # click reports the interruption as an abort
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == [example.name]


def test_the_annotated_copy(example, tmp_path):
    out, shown = tmp_path / "批注.xlsx", tmp_path / "批注（含身份证号）.xlsx"
    invoke("check", example, "--annotate", out)
    invoke("check", example, "--annotate", shown, "--show-id")
    original = openpyxl.load_workbook(example)
    annotated, with_ids = openpyxl.load_workbook(out), openpyxl.load_workbook(shown)
    assert annotated.sheetnames == original.sheetnames == with_ids.sheetnames
    masked = set()
    for ws in original.worksheets:  # every sheet and value as it was; the ID numbers masked unless --show-id
        for row in ws.iter_rows():
            for cell in row:
                assert with_ids[ws.title][cell.coordinate].value == cell.value, (ws.title, cell.coordinate)
                copy = annotated[ws.title][cell.coordinate].value
                if copy != cell.value:
                    masked.add((ws.title, cell.column_letter))
                    assert copy == mask(str(cell.value)) or copy == redact(f"{cell.value:.14E}"), (copy, cell.value)
    # 身份证号 is column D of the candidate sheet and B of every detail sheet
    assert masked == {("推荐人选", "D")} | {(name, "B") for name in ("获奖", "论文论著", "荣誉称号", "项目")}
    assert not ID_RUN.search("\n".join(str(c.value) for ws in annotated.worksheets for r in ws.iter_rows() for c in r))
    sheet = annotated["推荐人选"]
    header = [c.value for c in sheet[4]]
    col = header.index("审核结论") + 1
    assert col == len(CANDIDATE_HEADERS) + 1
    assert sheet.cell(12, col).value == "待核实"  # 杨帆, the damaged ID
    assert sheet.cell(12, col).fill.fgColor.rgb == "00FFEB9C"
    damaged = sheet["D12"]
    assert damaged.comment is not None and "文本" in damaged.comment.text
    assert damaged.fill.fgColor.rgb == "00FFF2CC"
    # a detail record's reason is commented on its own sheet (马超's 省部级 award given by a 省厅: 获奖 sheet)
    awards = annotated["获奖"]
    assert any(c.comment and "AWARD" not in c.comment.text and "省" in c.comment.text for r in awards.iter_rows() for c in r)
    # the officer's own cells hold their IDs; what jzleader adds (comments, the two columns) never does
    added = [c.comment.text for ws in annotated.worksheets for r in ws.iter_rows() for c in r if c.comment]
    added += [str(sheet.cell(r, k).value) for r in range(5, 18) for k in (col, col + 1)]
    assert added and not ID_RUN.search("\n".join(added))


CANDIDATE_HEADERS = ["序号", "姓名", "性别", "身份证号", "出生年月", "推荐单位", "工作单位", "工作领域", "专业技术职务",
                     "职称级别", "学历", "学位", "特别优秀破格", "破格理由", "疫情防控突出贡献", "疫情防控贡献类别",
                     "业绩说明", "考核材料字数"]  # fmt: skip


def test_annotate_needs_one_xlsx(tmp_path):
    result = invoke("check", ROOT / "examples" / "沁阳市推荐人选.yaml", "--annotate", tmp_path / "a.xlsx")
    assert result.exit_code == 2 and ".xlsx" in result.output


def test_the_blank_form(tmp_path, rules):
    form = tmp_path / "填报表.xlsx"
    assert invoke("template", form).exit_code == 0
    assert invoke("template", form).exit_code == 2  # never over an existing file
    wb = openpyxl.load_workbook(form)
    assert wb.sheetnames[:6] == ["推荐人选", "获奖", "论文论著", "荣誉称号", "项目", "推荐单位"]
    assert wb["下拉列表"].sheet_state == "hidden"
    ws = wb["推荐人选"]
    headers = [c.value for c in ws[3]]
    assert headers[:3] == ["序号", "姓名", "身份证号"]
    id_col = headers.index("身份证号") + 1
    birth_col = headers.index("出生年月") + 1
    assert ws.cell(4, id_col).number_format == "@" and ws.cell(4, birth_col).number_format == "@"
    formulas = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert any("下拉列表" in f for f in formulas)
    columns = list(wb["下拉列表"].iter_cols(values_only=True))
    lists = {col[0]: [v for v in col[1:] if v] for col in columns}
    assert "沁阳市" in lists["unit"] and "副主任医师" in lists["title"]
    unit_dv = next(
        dv
        for dv in ws.data_validations.dataValidation
        if dv.formula1 and str(dv.sqref).startswith(get_letter(headers, "推荐单位"))
    )
    assert unit_dv.prompt  # an input message on the column
    prompted = {str(dv.sqref) for dv in ws.data_validations.dataValidation if dv.prompt}
    assert all(f"{get_letter(headers, h)}3" in prompted for h in headers)  # and on every header cell

    # filled in as an officer would, then read back: no format problem at all
    import datetime as dt

    from .conftest import make_id

    values = {"姓名": "张伟", "身份证号": make_id(dt.date(1980, 10, 6)), "出生年月": "1980.10", "推荐单位": "沁阳市",
              "工作领域": "卫生", "专业技术职务": "副主任医师", "学历": "硕士研究生"}  # fmt: skip
    for name, value in values.items():
        ws.cell(4, headers.index(name) + 1, value)
    wb.save(form)
    result = pipeline.check([form], rules)
    assert [v.candidate.name for v in result.verdicts] == ["张伟"]
    assert result.verdicts[0].age == "39"  # 1980.10 stayed 1980.10
    assert {r.code.name for r in result.verdicts[0].reasons} & {"ID_NUMERIC_CELL", "BIRTH_DATE_AMBIGUOUS"} == set()
    # nothing but the notice that the form's hidden list sheet (its dropdowns) is not input (DOMAIN §6)
    assert [(r.code.name, r.params) for r in result.round.problems] == [("SHEET_HIDDEN", {"sheet": "下拉列表"})]


def get_letter(headers, name):
    from openpyxl.utils import get_column_letter

    return get_column_letter(headers.index(name) + 1)


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui")
def test_libreoffice_opens_what_jzleader_writes(example, tmp_path):
    outputs = {"report": tmp_path / "r.xlsx", "annotated": tmp_path / "a.xlsx", "form": tmp_path / "t.xlsx"}
    invoke("check", example, "--output", outputs["report"], "--annotate", outputs["annotated"])
    invoke("template", outputs["form"])
    for name, path in outputs.items():
        converted = tmp_path / "ods" / name
        subprocess.run([SOFFICE, "--headless", "--convert-to", "csv", "--outdir", str(converted), str(path)],
                       check=True, capture_output=True, timeout=120)  # fmt: skip
        text = next(converted.glob("*.csv")).read_text(encoding="utf-8", errors="replace")
        assert text.strip(), name


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui")
def test_a_form_saved_again_by_libreoffice_reads_back_the_same(tmp_path, rules):
    import datetime as dt

    from .conftest import make_id

    form = tmp_path / "form.xlsx"
    invoke("template", form)
    wb = openpyxl.load_workbook(form)
    ws = wb["推荐人选"]
    headers = [c.value for c in ws[3]]
    values = {"姓名": "张伟", "身份证号": make_id(dt.date(1980, 10, 6)), "出生年月": "1980.10", "推荐单位": "沁阳市",
              "工作领域": "卫生", "专业技术职务": "副主任医师", "学历": "硕士研究生", "业绩说明": "开展新技术3项"}  # fmt: skip
    for name, value in values.items():
        ws.cell(4, headers.index(name) + 1, value)
    wb.save(form)
    resaved = tmp_path / "lo"
    subprocess.run([SOFFICE, "--headless", "--convert-to", "xlsx", "--outdir", str(resaved), str(form)],
                   check=True, capture_output=True, timeout=120)  # fmt: skip
    before = pipeline.check([form], rules).verdicts[0]
    after = pipeline.check([resaved / "form.xlsx"], rules).verdicts[0]
    assert (after.verdict, after.age, after.candidate.id.number) == (before.verdict, "39", values["身份证号"])
    assert {r.code.name for r in after.reasons} == {r.code.name for r in before.reasons}


def test_a_report_still_open_in_excel_gets_a_clear_message(example, tmp_path, monkeypatch):
    """On Windows the rename fails while the previous report is open in Excel or WPS."""
    import os

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    out = tmp_path / "r.xlsx"
    result = invoke("check", example, "--output", out)
    assert result.exit_code == 2 and "请先关闭" in result.output and "Traceback" not in result.output
    assert [p.name for p in tmp_path.iterdir()] == [example.name]  # no temporary file left behind


def test_every_deciding_reason_has_its_sheet_and_cell(example, tmp_path):
    """Issue 18: for workbook input every reason that is not a pass names a sheet and a cell, a detail record's
    in its own sheet, "no clause met" the candidate's name cell; every one is in 问题清单, the gravest first."""
    from .conftest import ROW_A, official, write_xlsx

    other = write_xlsx(tmp_path / "孟州市.xlsx", official([ROW_A], {"获奖": [["姓名", "身份证号", "奖项名称", "授奖级别"],
                                                                             ["张伟", ROW_A[2], "甲", "省级"]]}))  # fmt: skip
    for inputs in ([example], [example, other]):
        out = json.loads(invoke("check", *inputs, "--format", "json").stdout)
        reasons = [(c, r) for c in out["candidates"] for r in c["reasons"] if r["severity"] != "met"]
        assert reasons and all(r["sheet"] and r["cell"] for _, r in reasons), [r for _, r in reasons if not r["cell"]]
    by_name = {c["name"]: c for c in json.loads(invoke("check", example, "--format", "json").stdout)["candidates"]}
    (none,) = [r for r in by_name["孙丽"]["reasons"] if r["code"] == "NO_ACHIEVEMENT"]
    assert (none["sheet"], none["cell"]) == ("推荐人选", f"B{by_name['孙丽']['row']}")  # the name cell of her row
    conflict = [r for c in by_name.values() for r in c["reasons"] if r["code"] == "AWARD_LEVEL_CONFLICT"]
    assert conflict and all(r["sheet"] == "获奖" for r in conflict)

    report = tmp_path / "审核结果.xlsx"
    invoke("check", example, "--output", report)
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(report)["问题清单"].iter_rows(min_row=3)]
    assert rows[0][-1] == "严重程度"
    severities = [r[-1] for r in rows[1:]]
    order = {"不符合": 0, "待核实": 1, "提示": 2}
    assert set(severities) == set(order) and severities == sorted(severities, key=order.__getitem__)
    deciding = sum(1 for c in by_name.values() for r in c["reasons"] if r["severity"] in ("fail", "review"))
    assert sum(1 for s in severities if s in ("不符合", "待核实")) >= deciding > 0


def _pdf(path: Path, tmp_path: Path) -> Path:
    """The workbook as LibreOffice prints it (with the metric-compatible Calibri and a CJK font .ci/run installs)."""
    out = tmp_path / "pdf"
    subprocess.run([SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=180)  # fmt: skip
    return out / f"{path.stem}.pdf"


def _fonts_as_offices_have_them() -> bool:
    """Carlito (Calibri's metrics: the page is measured as Excel measures it) and a CJK font."""
    try:
        calibri = subprocess.run(["fc-match", "Calibri"], capture_output=True, text=True, timeout=30).stdout
        chinese = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return False
    return "carlito" in calibri.lower() and bool(chinese.strip())


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui")
@pytest.mark.skipif(
    not _fonts_as_offices_have_them(),
    reason="fonts missing: apt-get install fonts-crosextra-carlito fonts-wqy-zenhei (.ci/run installs them)",
)
@pytest.mark.parametrize("multi", [False, True], ids=["one file", "a round of two files"])
def test_the_report_prints_on_a4_at_9_pt_or_more_with_nothing_cut_off(example, tmp_path, multi):
    """Issue 18: A4 landscape, one page wide, no text under 9 pt; every reason printed whole (a row too short
    for its wrapped text loses its last lines); the ID column on screen only; the disclaimer on every page."""
    import pdfplumber

    from .conftest import ROW_A, ROW_B, official, write_xlsx

    inputs = [example, write_xlsx(tmp_path / "孟州市.xlsx", official([ROW_A, ROW_B]))] if multi else [example]
    report = tmp_path / "审核结果.xlsx"
    invoke("check", *inputs, "--output", report)
    ws = openpyxl.load_workbook(report)["审核结果"]
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "行号")
    headers = [c.value for c in ws[header_row]]
    reasons_col = headers.index("不符合、待核实的原因（依据条款）") + 1
    cells = [ws.cell(r, reasons_col).value for r in range(header_row + 1, ws.max_row + 1)]
    cells = [c for c in cells if c]
    assert cells and any("✗ [二、3]" in c for c in cells) and any(c.startswith("？ ") for c in cells)
    assert any("另有" in c and "条符合" in c for c in cells)
    assert headers[-1] == "身份证号" and f"${get_letter(headers, '身份证号')}$" not in ws.print_area

    with pdfplumber.open(_pdf(report, tmp_path)) as pdf:
        sizes = [c["size"] for page in pdf.pages for c in page.chars]
        assert min(sizes) >= 9, min(sizes)
        pages = [p for p in pdf.pages if "审核结果" in (p.extract_text() or "")[:60]]
        assert pages and all(p.width > p.height for p in pages)  # landscape
        assert all("不代替专家评审" in p.extract_text() for p in pages)
        printed = ""
        for page in pages:
            (head,) = [w for w in page.extract_words() if w["text"].startswith("不符合、待核实")]
            printed += page.crop((head["x0"] - 2, 0, page.width, page.height)).extract_text() or ""
        assert not [w for p in pages for w in p.extract_words() if w["text"] == "身份证号"]  # the header: not printed
    printed = "".join(printed.split())
    for cell in cells:
        assert "".join(cell.split()) in printed, cell


def test_the_report_has_a_title_block_and_a_signature_line(example, tmp_path):
    report = tmp_path / "审核结果.xlsx"
    invoke("check", example, "--output", report)
    ws = openpyxl.load_workbook(report)["审核结果"]
    top = [ws.cell(r, 1).value for r in range(1, 4)]
    assert top[0] == "推荐人选资格预审结果"
    assert "焦人社文〔2020〕28号" in top[1] and "推荐单位：沁阳市" in top[1] and "规则文件：criteria.yaml" in top[1]
    assert top[2] == "共 12 人：符合 2，待核实 5，不符合 5"  # the bundled example, as README and the golden file say
    assert any(str(ws.cell(r, 1).value or "").startswith("审核人：") for r in range(ws.max_row - 2, ws.max_row + 1))
    assert ws.oddFooter.right.text == "预审结果供资格审查参考，不代替专家评审"
    assert ws.oddHeader.center.text == "焦人社文〔2020〕28号（审核结果）"


def test_the_form_checks_every_data_row_with_chinese_alerts(tmp_path):
    """Issue 18: dropdowns, an 18-character ID, 出生年月 as 1980.01 or a date, 考核材料字数 within the rules' limit;
    each with a Chinese error alert, on every data row of the form."""
    from jzleader.report.template import TEMPLATE_ROWS

    form = tmp_path / "填报表.xlsx"
    invoke("template", form)
    ws = openpyxl.load_workbook(form)["推荐人选"]
    headers = [c.value for c in ws[3]]
    rows = f"4:{get_letter(headers, '姓名')}{TEMPLATE_ROWS + 3}"
    checks = {get_letter(headers, h): h for h in ("身份证号", "出生年月", "考核材料字数", "学历", "推荐单位")}
    found = {}
    for dv in ws.data_validations.dataValidation:
        for letter, header in checks.items():
            if str(dv.sqref) == f"{letter}4:{letter}{TEMPLATE_ROWS + 3}":
                found[header] = dv
    assert set(found) == set(checks.values()), rows
    assert (found["身份证号"].type, found["身份证号"].operator, found["身份证号"].formula1) == ("textLength", "equal", "18")
    assert found["出生年月"].type == "custom" and "MID(" in found["出生年月"].formula1
    assert (found["考核材料字数"].type, found["考核材料字数"].formula2) == ("whole", "2000")  # 五、3 of the rules
    assert found["学历"].type == "list" and found["学历"].errorStyle in (None, "stop")
    assert found["推荐单位"].errorStyle == "warning"  # an unlisted unit may be kept, with a warning
    for dv in found.values():
        assert dv.showErrorMessage and dv.error and any("\u4e00" <= ch <= "\u9fff" for ch in dv.error)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui")
@pytest.mark.skipif(
    not _fonts_as_offices_have_them(),
    reason="fonts missing: apt-get install fonts-crosextra-carlito fonts-wqy-zenhei (.ci/run installs them)",
)
def test_the_form_prints_one_page_wide_at_9_pt_or_more(tmp_path):
    import pdfplumber

    form = tmp_path / "填报表.xlsx"
    invoke("template", form)
    with pdfplumber.open(_pdf(form, tmp_path)) as pdf:
        assert min(c["size"] for page in pdf.pages for c in page.chars) >= 9
        texts = ["".join((p.extract_text() or "").split()) for p in pdf.pages]
    wb = openpyxl.load_workbook(form)
    sheets = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert len(texts) == len(sheets) == 6  # each sheet one page: one page wide, the printed rows on it
    for page, ws in zip(texts, sheets, strict=True):
        headers = [c.value for c in ws[3] if c.value]
        # a narrow column wraps its header, and the PDF's text runs across the columns line by line: the first
        # two characters of the last header are on the page with the first header
        assert headers[0][:2] in page and headers[-1][:2] in page, (ws.title, headers[-1])
