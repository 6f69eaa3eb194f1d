"""Tables saved as text under a workbook's name (DOMAIN §7): an HTML page as web systems export it, XML
Spreadsheet 2003, a tab-separated export; each read by content, with a notice saying what the file is.
Files that are no table at all are refused with a message that says what they really are."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from jzleader import pipeline
from jzleader.errors import InputError
from jzleader.inputs.sniff import read_file
from jzleader.wording import message

from .conftest import ID_A, ID_B, read_tables

HEAD = ["序号", "推荐单位", "姓名", "身份证号", "出生年月", "工作领域", "专业技术职务", "学历"]


def _page(body: str, charset: str = "gb2312") -> str:
    return (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">\n'
        f'<head><meta http-equiv="Content-Type" content="text/html; charset={charset}"></head>\n'
        f"<body>{body}</body></html>\n"
    )


# a web system's "导出Excel": a title row, a unit merged down its block, a hidden (withdrawn) row, an
# entity, a #N/A, an ID and "1980.05" as the page shows them
WEB_EXPORT = _page(
    "<table border=1>"
    "<tr><td colspan=8>焦作市学术技术带头人推荐人选汇总表</td></tr>"
    "<tr>" + "".join(f"<th>{h}</th>" for h in HEAD) + "</tr>"
    f"<tr><td>1</td><td rowspan=3>沁阳市</td><td>张&nbsp;伟</td><td style=\"mso-number-format:'\\@'\">{ID_A}</td>"
    "<td>1980.05</td><td>卫生</td><td>副主任医师</td><td>大学本科</td></tr>"
    f"<tr style='display:none'><td>2</td><td>王强</td><td>{ID_B}</td><td>1974.07</td><td>农业</td>"
    "<td>高级农艺师</td><td>大学本科</td></tr>"
    f"<tr><td>3</td><td>李娜</td><td>{ID_B}</td><td>#N/A</td><td>农业</td><td>高级<br>农艺师</td><td>大学本科</td></tr>"
    "</table>"
)


def test_a_web_export_named_xls_is_read_as_its_table(tmp_path, rules):
    path = tmp_path / "推荐人选.xls"
    path.write_bytes(WEB_EXPORT.encode("gbk"))  # the page's own charset says gb2312
    grid = read_file(path)
    assert grid.format == "html" and [s.name for s in grid.sheets] == [None]
    sheet = grid.sheets[0]
    assert (3, 1, 5, 1) in sheet.merged and sheet.hidden_rows == {4} and sheet.errors == {(5, 4): "#N/A"}
    rows = dict(sheet.rows)
    assert rows[3][3] == ID_A and rows[3][4] == "1980.05" and rows[5][6] == "高级\n农艺师"

    result = pipeline.check([path], rules)
    people = {v.candidate.name: v.candidate for v in result.verdicts}
    assert set(people) == {"张 伟", "王强", "李娜"}
    assert {c.unit for c in people.values()} == {"沁阳市"}  # the merged unit covers its block
    assert people["张 伟"].place.row == 3
    codes = {r.code.name for r in result.round.problems}
    assert {"FORMAT_TEXT_TABLE", "ROWS_HIDDEN"} <= codes
    notice = next(r for r in result.round.problems if r.code.name == "FORMAT_TEXT_TABLE")
    assert "推荐人选.xls的扩展名是 .xls，但它其实是网页表格" in message(notice)
    hidden = next(r for r in result.round.problems if r.code.name == "ROWS_HIDDEN")
    assert message(hidden).startswith("表格第4行是隐藏的行")
    li = next(v for v in result.verdicts if v.candidate.name == "李娜")
    assert any(r.code.name == "CELL_ERROR_VALUE" and r.place.cell == "E5" for r in li.reasons)


def test_a_page_in_utf8_without_a_charset_and_with_headed_tables(tmp_path):
    page = (
        "<!DOCTYPE html><html><body>"
        "<h1>Sheet 1: <em>推荐人选</em></h1><table><tr><td>姓名</td><td>身份证号</td></tr>"
        f"<tr><td>张伟</td><td>{ID_A}</td></tr></table>"
        "<h1>Sheet 2: <em>获奖</em></h1><table><tr><td>姓名</td><td>奖项名称</td></tr><tr><td>张伟</td><td>甲</td></tr>"
        "</table></body></html>"
    )
    path = tmp_path / "a.xls"
    path.write_text(page, encoding="utf-8")
    grid = read_file(path)
    assert [s.name for s in grid.sheets] == ["推荐人选", "获奖"]
    assert read_tables(path).tables["candidates"][0].value("name") == "张伟"


def test_a_page_without_a_table_says_what_it_is(tmp_path):
    path = tmp_path / "a.xls"
    path.write_text("<html><body><p>登录已过期，请重新登录</p></body></html>", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_file(path)
    assert "网页（HTML）文件" in e.value.message and "没有表格" in e.value.message


# XML Spreadsheet 2003 as Excel writes it: styles with number formats, a hidden sheet, a cell merged down,
# a skipped column (ss:Index), a hidden row, an error value and a formula saved without its result
XML_2003 = f"""<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:o="urn:schemas-microsoft-com:office:office"
 xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Styles><Style ss:ID="Default" ss:Name="Normal"/><Style ss:ID="s62"><NumberFormat ss:Format="0.00"/></Style>
  <Style ss:ID="s63"><NumberFormat ss:Format="@"/></Style></Styles>
 <Worksheet ss:Name="草稿"><Table><Row><Cell><Data ss:Type="String">旧名单</Data></Cell></Row></Table>
  <WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel"><Visible>SheetHidden</Visible></WorksheetOptions>
 </Worksheet>
 <Worksheet ss:Name="推荐人选"><Table>
  <Row>{"".join(f'<Cell><Data ss:Type="String">{h}</Data></Cell>' for h in HEAD)}</Row>
  <Row><Cell><Data ss:Type="Number">1</Data></Cell><Cell ss:MergeDown="1"><Data ss:Type="String">沁阳市</Data></Cell>
   <Cell><Data ss:Type="String">张伟</Data></Cell><Cell ss:StyleID="s63"><Data ss:Type="String">{ID_A}</Data></Cell>
   <Cell ss:StyleID="s62"><Data ss:Type="Number">1980.1</Data></Cell><Cell><Data ss:Type="String">卫生</Data></Cell>
   <Cell><Data ss:Type="String">副主任医师</Data></Cell><Cell><Data ss:Type="String">大学本科</Data></Cell></Row>
  <Row ss:Hidden="1"><Cell><Data ss:Type="Number">2</Data></Cell>
   <Cell ss:Index="3"><Data ss:Type="String">李娜</Data></Cell><Cell><Data ss:Type="String">{ID_B}</Data></Cell>
   <Cell><Data ss:Type="DateTime">1974-07-01T00:00:00.000</Data></Cell><Cell><Data ss:Type="String">农业</Data></Cell>
   <Cell ss:Formula="=Sheet2!A1"/><Cell><Data ss:Type="Error">#REF!</Data></Cell></Row>
 </Table></Worksheet>
</Workbook>
"""


def test_xml_spreadsheet_2003_named_xls(tmp_path, rules):
    path = tmp_path / "孟州市.xls"
    path.write_text(XML_2003, encoding="utf-8")
    grid = read_file(path)
    assert grid.format == "xml2003"
    draft, sheet = grid.sheets
    assert (draft.name, draft.state, sheet.name, sheet.state) == ("草稿", "hidden", "推荐人选", "visible")
    assert sheet.merged == [(2, 1, 3, 1)] and sheet.hidden_rows == {3}
    assert sheet.formats == {(2, 4): "0.00"}
    assert sheet.formulas == {(3, 6)} and sheet.errors == {(3, 7): "#REF!"}
    rows = dict(sheet.rows)
    assert rows[3][2] == "李娜" and rows[3][1] is None  # ss:Index="3" skipped column B

    result = pipeline.check([path], rules)
    people = {v.candidate.name: v for v in result.verdicts}
    assert {v.candidate.unit for v in people.values()} == {"沁阳市"}
    # 1980.1 shown through 0.00 is 1980.10: October, as the officer sees it
    assert [r.month for r in people["张伟"].candidate.birth.readings] == [10]
    li = people["李娜"]
    # her title and education cannot be read, but she lists no achievement at all (二、4): ineligible whatever they are
    assert li.verdict.value == "ineligible"
    cells = {(r.code.name, r.place.cell) for r in li.reasons if r.place}
    assert {("FORMULA_NO_VALUE", "G3"), ("CELL_ERROR_VALUE", "H3")} <= cells
    codes = {r.code.name for r in result.round.problems}
    assert {"FORMAT_TEXT_TABLE", "SHEET_HIDDEN", "ROWS_HIDDEN"} <= codes


def test_xml_2003_with_an_entity_trick_is_refused(tmp_path):
    path = tmp_path / "bomb.xls"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet><Table><Row><Cell>'
        '<Data ss:Type="String" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">&b;</Data>'
        "</Cell></Row></Table></Worksheet></Workbook>",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as e:
        read_file(path)
    assert "不安全" in e.value.message


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed: .ci/run installs it")
def test_xml_2003_saved_by_libreoffice(tmp_path, rules):
    source = tmp_path / "名单.csv"
    source.write_text(f"姓名,身份证号,出生年月\n张伟,{ID_A},1980.05\n李娜,{ID_B},1974.07\n", encoding="utf-8")
    command = [
        "soffice", "--headless", "--infilter=CSV:44,34,76,1,1/2/2/2/3/2", "--convert-to", "xml:MS Excel 2003 XML",
        "--outdir", str(tmp_path), str(source),
    ]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    saved = (tmp_path / "名单.xml").rename(tmp_path / "名单.xls")
    result = pipeline.check([saved], rules)
    assert [(v.candidate.name, v.candidate.id.number) for v in result.verdicts] == [("张伟", ID_A), ("李娜", ID_B)]
    assert [r.code.name for r in result.round.problems] == ["FORMAT_TEXT_TABLE"]


def test_a_tab_separated_export_named_xls(tmp_path, rules):
    path = tmp_path / "导出.xls"
    path.write_bytes(f"姓名\t身份证号\t出生年月\r\n张伟\t{ID_A}\t1980.05\r\n".encode("gbk"))
    result = pipeline.check([path], rules)
    assert [v.candidate.name for v in result.verdicts] == ["张伟"]
    (notice,) = [r for r in result.round.problems if r.code.name == "FORMAT_TEXT_TABLE"]
    assert "以逗号或制表符分隔的文本表格" in message(notice)


def _zip(members: dict[str, str]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, text in members.items():
            z.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (_zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}), "Word 文档"),
        (_zip({"沁阳市/推荐人选.xlsx": "..."}), "压缩包（zip），不是工作簿：其中有表格文件（如 推荐人选.xlsx）"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG 图片"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG 图片"),
        (b"{\\rtf1\\ansi ...}", "RTF 文档"),
        (b"Rar!\x1a\x07\x00", "RAR 压缩包"),
    ],
)
def test_a_file_that_is_no_table_says_what_it_really_is(tmp_path, data, words):
    path = tmp_path / "沁阳市.xls"
    path.write_bytes(data)
    with pytest.raises(InputError) as e:
        read_file(path)
    assert words in e.value.message and "csv" not in e.value.message.lower()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed: .ci/run installs it")
def test_a_whole_round_folder_in_every_format_is_one_round(tmp_path, rules):
    """Issue 13, done when: sub-folders, a lock file, .xlsx, .xls, .et, .ods, HTML-as-.xls, CSV with CR ends
    and YAML, checked as one round with every candidate read and every skipped file named."""
    import datetime as dt

    from jzleader.inputs.files import expand_inputs

    from .conftest import make_id, official, write_xlsx, xlsx_to_xls

    units = ["沁阳市", "孟州市", "温县", "武陟县", "博爱县", "修武县", "市直", "解放区"]
    people = {unit: (f"候选{n}", make_id(dt.date(1980, 1, n + 1), seq=f"{n:03d}")) for n, unit in enumerate(units, 1)}

    def row(unit: str) -> list[object]:
        name, number = people[unit]
        return [1, name, number, "1980.01", unit, "卫生", "副主任医师", "大学本科"]

    folder = tmp_path / "2020年报送材料"
    for county in ("县区", "市直", "网上系统"):
        (folder / county).mkdir(parents=True)
    write_xlsx(folder / "县区" / "沁阳市.xlsx", official([row("沁阳市")]))
    xlsx_to_xls(write_xlsx(tmp_path / "m.xlsx", official([row("孟州市")])), folder / "县区" / "孟州市.xls")
    xlsx_to_xls(write_xlsx(tmp_path / "w.xlsx", official([row("温县")])), folder / "县区" / "温县.et")
    ods_source = write_xlsx(tmp_path / "武陟县.xlsx", official([row("武陟县")]))
    command = ["soffice", "--headless", "--convert-to", "ods", "--outdir", str(folder / "县区"), str(ods_source)]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    name, number = people["博爱县"]
    (folder / "网上系统" / "博爱县.xls").write_bytes(
        _page(
            "<table><tr>" + "".join(f"<td>{h}</td>" for h in HEAD) + "</tr>"
            f"<tr><td>1</td><td>博爱县</td><td>{name}</td><td>{number}</td><td>1980.01</td><td>卫生</td>"
            "<td>副主任医师</td><td>大学本科</td></tr></table>"
        ).encode("gbk")
    )
    name, number = people["修武县"]
    (folder / "县区" / "修武县.csv").write_bytes(
        f"姓名,身份证号,出生年月,推荐单位\r{name},{number},1980.01,修武县\r".encode("gbk")  # old Mac Excel
    )
    name, number = people["市直"]
    (folder / "市直" / "市直.yaml").write_text(
        f'candidates:\n  - name: {name}\n    id_number: "{number}"\n    unit: 市直\n', encoding="utf-8"
    )
    (folder / "网上系统" / "解放区.xls").write_text(XML_2003.replace("张伟", people["解放区"][0]), encoding="utf-8")
    (folder / "县区" / "~$沁阳市.xlsx").write_bytes(b"\x00lock")
    (folder / "县区" / "推荐报告.docx").write_bytes(b"PK\x03\x04")
    (folder / "市直" / ".~lock.市直.yaml#").write_text("lock", encoding="utf-8")

    result = pipeline.check(expand_inputs([folder]), rules)
    assert result.errors == []
    read = {v.candidate.name for v in result.verdicts}
    assert {name for name, _ in people.values()} <= read  # every file's candidate (解放区's file also has 李娜)
    assert len(result.round.files) == 8
    skipped = {r.params["file"] for r in result.round.problems if r.code.name == "FILE_SKIPPED"}
    assert skipped == {"~$沁阳市.xlsx", "推荐报告.docx", ".~lock.市直.yaml#"}


def test_a_text_table_larger_than_the_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "大.xls"
    path.write_bytes(b"<html><table>" + b"<tr><td>x</td></tr>" * 70_000 + b"</table></html>")  # about 1.3 MB
    with pytest.raises(InputError) as e:
        read_file(path, max_unpacked_mb=1)
    assert "超过安全上限 1 MB" in e.value.message and "--max-unpacked-mb" in e.value.message
    assert read_file(path, max_unpacked_mb=2).format == "html"


def test_an_xhtml_export_is_a_web_page_too(tmp_path, rules):
    path = tmp_path / "导出.xls"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!-- 系统导出 -->\n<html xmlns="http://www.w3.org/1999/xhtml"><body>'
        f"<table><tr><td>姓名</td><td>身份证号</td></tr><tr><td>张伟</td><td>{ID_A}</td></tr></table></body></html>",
        encoding="utf-8",
    )
    assert read_file(path).format == "html"
    assert [v.candidate.name for v in pipeline.check([path], rules).verdicts] == ["张伟"]
