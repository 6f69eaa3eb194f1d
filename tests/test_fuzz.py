"""Fuzzing (issue 7): mutated workbooks never crash jzleader. Exit 0, 1 or 2, never an exception.

The CLI is invoked with catch_exceptions=False, so a crash surfaces here instead of being turned
into the "internal error" message of main(). The normal run tries a bounded number of examples;
JZLEADER_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py runs a long campaign.
Every crash found becomes a regular test at the bottom of this file.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jzleader.cli import cli

from .conftest import write_xlsx

EXAMPLES = int(os.environ.get("JZLEADER_FUZZ_EXAMPLES", "30"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SHEET = "xl/worksheets/sheet1.xml"


def _base() -> bytes:
    with tempfile.TemporaryDirectory() as d:
        rows = [["姓名", "身份证号", "出生年月", "专业技术职务", "学历", "业绩说明"],
                ["张伟", "410882198005061234", "1980.05", "副主任医师", "硕士研究生", "技术改造"],
                ["李娜", 4.10882197407012e17, 1974.1, "高级农艺师", "大学本科", None]]  # fmt: skip
        path = write_xlsx(Path(d) / "b.xlsx", {"候选人": rows, "获奖": [["姓名", "等级"], ["张伟", "一等奖"]]})
        return path.read_bytes()


BASE = _base()


def run(data: bytes) -> int:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "fuzz.xlsx"
        path.write_bytes(data)
        result = CliRunner().invoke(cli, ["check", str(path), "--format", "json"], catch_exceptions=False)
        assert result.exit_code in (0, 1, 2), result.output
        return result.exit_code


def with_sheet(edit) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(BASE)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item.filename, edit(data.decode()).encode() if item.filename == SHEET else data)
    return out.getvalue()


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(BASE) - 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_random_bytes_in_the_zip(flips):
    data = bytearray(BASE)
    for offset, value in flips:
        data[offset] = value
    run(bytes(data))


CELL_TYPES = st.sampled_from(["b", "s", "n", "e", "str", "inlineStr", "d", "zzz", ""])
CELL_TEXT = st.one_of(
    st.text(max_size=30), st.sampled_from(["-1", "1e400", "99999999", "NaN", "", "1974.1", "2020-13-45"]),
    st.just("x" * 200_000),
)  # fmt: skip
XML_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30).map(
    lambda t: t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
)

EDITS = st.one_of(
    st.tuples(st.just("type"), CELL_TYPES),
    st.tuples(st.just("value"), CELL_TEXT.map(lambda t: t.replace("&", "").replace("<", ""))),
    st.tuples(st.just("drop-r"), st.none()),
    st.tuples(st.just("style"), st.sampled_from(["999", "-1", "x", "0"])),
    st.tuples(st.just("coordinate"), st.sampled_from(["ZZZZ99999999", "A0", "A1048577", "XFD1", "", "!!"])),
    st.tuples(st.just("inline"), XML_TEXT),
    st.tuples(st.just("row-number"), st.sampled_from(["0", "-3", "x", "1048577", "99999999999"])),
)


def apply(xml: str, edit: tuple[str, object], index: int) -> str:
    kind, arg = edit
    cells = list(re.finditer(r"<c [^>]*?(/>|>.*?</c>)", xml))
    if not cells:
        return xml
    m = cells[index % len(cells)]
    cell = m.group(0)
    if kind == "type":
        new = re.sub(r' t="[^"]*"', "", cell).replace("<c ", f'<c t="{arg}" ', 1) if arg else re.sub(r' t="[^"]*"', "", cell)
    elif kind == "value":
        new = re.sub(r"<v>.*?</v>", f"<v>{arg}</v>", cell) if "<v>" in cell else cell
    elif kind == "drop-r":
        new = re.sub(r' r="[^"]*"', "", cell, count=1)
    elif kind == "style":
        new = re.sub(r' s="[^"]*"', "", cell).replace("<c ", f'<c s="{arg}" ', 1)
    elif kind == "coordinate":
        new = re.sub(r' r="[^"]*"', f' r="{arg}"', cell, count=1)
    elif kind == "inline":
        new = re.sub(r"<c ([^>]*?)(?: t=\"[^\"]*\")?([^>]*)>.*?</c>|<c ([^>]*)/>",
                     lambda c: f'<c {c.group(1) or c.group(3) or ""} t="inlineStr"><is><t>{arg}</t></is></c>',
                     cell, count=1)  # fmt: skip
    else:  # the row's own number
        rows = list(re.finditer(r'<row r="[^"]*"', xml))
        if not rows:
            return xml
        r = rows[index % len(rows)]
        return xml[: r.start()] + f'<row r="{arg}"' + xml[r.end() :]
    return xml[: m.start()] + new + xml[m.end() :]


@FUZZ
@given(st.lists(st.tuples(EDITS, st.integers(0, 40)), min_size=1, max_size=6))
def test_wrong_xml_inside_a_valid_zip(edits):
    def edit(xml: str) -> str:
        for e, index in edits:
            xml = apply(xml, e, index)
        return xml

    run(with_sheet(edit))


# --- crashes found by fuzzing, kept as regular tests -------------------------------------------------


@pytest.mark.parametrize(
    "edit",
    [
        lambda xml: xml.replace('r="A2"', 'r="A0"', 1),  # row 0 does not exist
        lambda xml: re.sub(r'<c r="B2"[^>]*>', '<c r="B2" t="b">', xml, count=1),  # a boolean ID cell
        lambda xml: re.sub(r'<row r="2"', '<row r="x"', xml, count=1),  # a row number that is not one
    ],
    ids=["row-zero", "boolean-id", "row-not-a-number"],
)
def test_known_mutations(edit):
    run(with_sheet(edit))


def test_unsupported_zip_version_found_by_fuzzing():
    """zipfile raised NotImplementedError ("zip file version 6.4") past the archive check."""
    data = bytearray(BASE)
    central = data.index(b"PK\x01\x02")
    data[central + 6] = 64  # "version needed to extract": 6.4
    assert run(bytes(data)) == 2


@pytest.mark.parametrize(
    "edit",
    [
        lambda xml: xml.replace('r="B2"', 'r="ZZZZ99999999"', 1),
        lambda xml: xml.replace('r="B2"', 'r="A99999999999"', 1),
        lambda xml: re.sub(r'<row r="2"(.*?)<c r="A2"', r'<row r="99999999999"\1<c', xml, count=1),
    ],
    ids=["column-overflow", "row-overflow", "huge-row-for-cells-without-r"],
)
def test_inputs_that_abort_python_calamine_go_to_openpyxl(edit):
    """Found by fuzzing: python-calamine aborted the whole process (Rust panic, a 116 GB
    allocation) on these; load.py must never hand such a sheet to it."""
    from jzleader.inputs.safety import calamine_safe

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "x.xlsx"
        path.write_bytes(with_sheet(edit))
        assert not calamine_safe(path)
    run(with_sheet(edit))


@pytest.mark.parametrize("size", [1, 7, 64, 1 << 20])
def test_the_safety_scan_reads_a_sheet_in_pieces_as_it_reads_it_whole(monkeypatch, size):
    """calamine_safe scans a sheet's XML a piece at a time (memory: at 100,000 candidates the references of a
    whole sheet were 200 MB of objects). Whatever the pieces, it finds the same extent and the same refusals,
    on a plain sheet and on each sheet that aborted python-calamine."""
    from jzleader.inputs import safety

    edits = [
        lambda xml: xml,
        lambda xml: xml.replace('r="B2"', 'r="ZZZZ99999999"', 1),
        lambda xml: xml.replace('r="B2"', 'r="A99999999999"', 1),
        lambda xml: xml.replace('r="B2"', 'r="B02"', 1),
        lambda xml: xml.replace('r="B2"', 'r="B2\n"', 1),
        lambda xml: re.sub(r'<row r="2"(.*?)<c r="A2"', r'<row r="99999999999"\1<c', xml, count=1),
        lambda xml: xml.replace('r="B2"', 'r="XFD1048577"', 1),
    ]
    with zipfile.ZipFile(io.BytesIO(BASE)) as z:
        plain = z.read(SHEET).decode()
    sheets = [edit(plain).encode() for edit in edits]
    whole = [safety._extent(xml) for xml in sheets]
    assert whole[0] is not None and whole[0][0] >= 2 and whole[1:5] == [None] * 4 and whole[5] is None
    assert whole[6] is not None and whole[6] == (1048577, 16384)  # plain, and refused for its size by the caller
    monkeypatch.setattr(safety, "SCAN_BYTES", size)
    assert [safety._extent(xml) for xml in sheets] == whole


# --- YAML input of any shape -------------------------------------------------------------------------

from jzleader.contract import FIELDS  # noqa: E402

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
                    st.sampled_from(["410882198005061234", "1974.1", "是", "省部级", "副主任医师"]))  # fmt: skip
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8
)
KEYS = st.sampled_from(sorted({*FIELDS["candidates"], "awards", "publications", "honours", "projects", "其它"}))


@FUZZ
@given(
    st.lists(st.dictionaries(KEYS, VALUES, max_size=8), max_size=4),
    st.dictionaries(st.sampled_from(["units", "awards", "x"]), VALUES, max_size=2),
)
def test_yaml_of_any_shape(candidates, extra):
    import yaml

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "any.yaml"
        path.write_text(yaml.safe_dump({"candidates": candidates, **extra}, allow_unicode=True), encoding="utf-8")
        result = CliRunner().invoke(cli, ["check", str(path), "--format", "json"], catch_exceptions=False)
        assert result.exit_code in (0, 1, 2), result.output


# --- sheet XML with namespace prefixes -------------------------------------------------------------


@FUZZ
@given(
    prefix=st.from_regex(r"[A-Za-z_][A-Za-z0-9_.\-]{0,6}", fullmatch=True).filter(lambda p: not p.lower().startswith("xml")),
    far=st.sampled_from(["", "XFD1048576", "ZZ999999", "A1048576"]),
    quote=st.sampled_from(['"', "'"]),
)
def test_prefixed_sheet_xml_of_any_prefix(prefix, far, quote):
    """Any namespace prefix, with or without a far cell, in either quoting: read, never an abort."""

    def edit(xml: str) -> str:
        xml = re.sub(r"<(/?)([A-Za-z]\w*)([\s>/])", rf"<\1{prefix}:\2\3", xml).replace('xmlns="', f'xmlns:{prefix}="', 1)
        if far:
            row = far.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            p, q = prefix, quote
            cell = f"<{p}:row r={q}{row}{q}><{p}:c r={q}{far}{q}><{p}:v>1</{p}:v></{p}:c></{p}:row>"
            xml = xml.replace(f"</{p}:sheetData>", cell + f"</{p}:sheetData>")
        return xml

    assert run(with_sheet(edit)) in (0, 1)


# --- tables saved as text under an .xls name ---------------------------------------------------------

_HTML_PIECES = st.sampled_from([
    "<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th>", "<td rowspan=999999>", "<td colspan=70000>",
    "<td rowspan=0 colspan=-3>", "<td rowspan='x'>", "<tr style='display:none'>", "<br>", "&nbsp;", "&#0;", "&#xD800;",
    "<h1>", "</h1>", "<em>", "</em>", "<caption>", "姓名", "身份证号", "张伟", "410882198005061234", "#N/A", "<!--", "-->",
    "<script>", "</script>", "<meta charset=gbk>", "<meta charset=nonsense>", "\x00", "\ufffd",
])  # fmt: skip
_XML_PIECES = st.sampled_from([
    "<Worksheet ss:Name='候选人'>", "</Worksheet>", "<Table>", "</Table>", "<Row>", "</Row>", "<Row ss:Index='0'>",
    "<Row ss:Index='x'>", "<Row ss:Hidden='1'>", "<Cell>", "</Cell>", "<Cell ss:Index='-5'>", "<Cell ss:MergeDown='9999999'>",
    "<Cell ss:MergeAcross='x'>", "<Cell ss:Formula='=A1'/>", "<Data ss:Type='Number'>", "<Data ss:Type='DateTime'>",
    "<Data ss:Type='String'>", "<Data ss:Type='Error'>", "</Data>", "姓名", "1e400", "2020-13-45T00:00:00", "nan", "1",
])  # fmt: skip
_XML_HEAD = (
    '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
    'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
)


def _run_named(data: bytes, name: str) -> int:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / name
        path.write_bytes(data)
        result = CliRunner().invoke(cli, ["check", str(path), "--format", "json"], catch_exceptions=False)
        assert result.exit_code in (0, 1, 2), result.output
        return result.exit_code


@FUZZ
@given(st.lists(_HTML_PIECES, max_size=40), st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_a_web_page_of_any_shape_named_xls(pieces, encoding):
    _run_named(("<html><body>" + "".join(pieces)).encode(encoding, errors="replace"), "网页.xls")


@FUZZ
@given(st.lists(_XML_PIECES, max_size=40), st.booleans(), st.booleans())
def test_xml_2003_of_any_shape_named_xls(pieces, inside, closed):
    start = "<Worksheet ss:Name='候选人'><Table><Row>" if inside else ""
    _run_named((_XML_HEAD + start + "".join(pieces) + ("</Workbook>" if closed else "")).encode(), "表格.xls")


@pytest.mark.parametrize(
    "cells",
    ['<Row ss:Index="0"><Cell><Data ss:Type="String">姓名</Data></Cell></Row>',
     '<Row><Cell ss:Index="-5"><Data ss:Type="String">姓名</Data></Cell></Row>',
     '<Row><Cell ss:MergeDown="99999999"><Data ss:Type="String">姓名</Data></Cell></Row>',
     '<Row><Cell ss:MergeAcross="-2"><Data ss:Type="String">姓名</Data></Cell></Row>'],
)  # fmt: skip
def test_xml_2003_indexes_outside_the_sheet_found_by_fuzzing(cells):
    data = _XML_HEAD + f"<Worksheet ss:Name='候选人'><Table>{cells}</Table></Worksheet></Workbook>"
    assert _run_named(data.encode(), "表格.xls") == 2
