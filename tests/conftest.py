"""Shared helpers: build workbooks and YAML rounds in fixtures, evaluate them with the shipped rules."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from stdnum.cn.ric import calc_check_digit

from jzleader import pipeline
from jzleader.inputs.sniff import read_file
from jzleader.layout import Tables, lay_out
from jzleader.model import CheckResult
from jzleader.ruleset.core import RuleSet
from jzleader.ruleset.load import load_rules


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_rules()


# --- candidates as the YAML input writes them (DOMAIN.md §3) -----------------------------------------


def make_id(born: dt.date, region: str = "410882", seq: str = "123") -> str:
    body = f"{region}{born:%Y%m%d}{seq}"
    return body + calc_check_digit(body + "0")


BORN = dt.date(1980, 5, 6)


HONOUR = {"honour": "焦作市优秀医师", "level": "市级", "body": "焦作市人民政府"}


def person(**over: Any) -> dict[str, Any]:
    """An eligible candidate (40, 副高级, 本科, 卫生, a 市级 honour: clause 6); `over` changes fields."""
    base = {
        "name": "甲",
        "id_number": make_id(BORN),
        "birth_date": "1980.05",
        "unit": "沁阳市",
        "field": "卫生",
        "title": "副主任医师",
        "education": "大学本科",
        "honours": [HONOUR],
    }
    base.update(over)
    return {k: v for k, v in base.items() if v is not None}


def award(level: str, grade: str, category: str = "科学技术进步奖", **kw: Any) -> dict[str, Any]:
    return {"award": f"{level}{grade}", "category": category, "level": level, "grade": grade, **kw}


def paper(level: str = "省部级", own: Any = "是", kind: str = "论文", **kw: Any) -> dict[str, Any]:
    return {"kind": kind, "title": "题目", "venue": "刊物", "venue_level": level, "own_field": own, **kw}


# --- workbooks -------------------------------------------------------------------------------------


def write_xlsx(
    path: Path,
    sheets: dict[str, list[list[Any]]],
    formats: dict[tuple[str, str], str] | None = None,
    setup: Callable[[Workbook], None] | None = None,
) -> Path:
    """A workbook with one sheet per entry; `formats` sets number formats by (sheet, cell); `setup`
    shapes the workbook further before it is saved (merges, hidden sheets and rows, error values)."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    for (sheet, cell), fmt in (formats or {}).items():
        wb[sheet][cell].number_format = fmt
    if setup is not None:
        setup(wb)
    wb.save(path)
    return path


def read_tables(path: Path) -> Tables:
    """One file through the readers and the layout stage, as the pipeline reads it."""
    return lay_out(read_file(path))


def write_yaml(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def check_yaml(tmp_path: Path, text: str, rules: RuleSet, name: str = "round.yaml") -> CheckResult:
    return pipeline.check([write_yaml(tmp_path / name, text)], rules)


def codes(result: CheckResult, index: int = 0, severities: tuple[str, ...] = ("fail", "review")) -> set[str]:
    """The codes of one candidate's reasons that weigh on the verdict."""
    return {r.code.name for r in result.verdicts[index].reasons if r.severity.value in severities}


def xlsx_to_xls(src: Path, dst: Path) -> Path:
    """Save a workbook as .xls the way WPS would: values with their number formats (xlwt, tests only)."""
    import datetime as dt

    import openpyxl
    import xlwt

    wb = openpyxl.load_workbook(src)
    out = xlwt.Workbook(encoding="utf-8")
    styles: dict[str, Any] = {}
    for ws in wb.worksheets:
        sheet = out.add_sheet(ws.title)
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                fmt = cell.number_format or "General"
                style = styles.setdefault(fmt, xlwt.easyxf(num_format_str=fmt))
                value = cell.value
                if isinstance(value, dt.datetime) and value.time() == dt.time():
                    value = value.date()
                sheet.write(cell.row - 1, cell.column - 1, value, style)
    out.save(str(dst))
    return dst


def xlsx_to_csv(src: Path, dst: Path, encoding: str = "gbk") -> Path:
    """The first sheet as WPS exports it to CSV: what the cells show, as text."""
    import csv
    import datetime as dt
    import io

    import openpyxl

    from jzleader.values import _decimals

    ws = openpyxl.load_workbook(src).worksheets[0]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in ws.iter_rows():
        shown = []
        for cell in row:
            v = cell.value
            if isinstance(v, dt.datetime):
                v = f"{v:%Y-%m-%d}"
            elif isinstance(v, float):
                decimals = _decimals(cell.number_format)
                v = f"{v:.{decimals}f}" if decimals else (f"{v:.14E}" if v > 1e15 else repr(v))
            shown.append("" if v is None else str(v))
        writer.writerow(shown)
    dst.write_bytes(buffer.getvalue().encode(encoding))
    return dst


# --- an official candidate sheet, as offices send it ----------------------------------------------

ID_A = "410882198005061234"


ID_B = "410882197407012158"


HEAD = ["序号", "姓名", "身份证号", "出生年月", "推荐单位", "工作领域", "专业技术职务", "学历"]


def official(rows, extra_sheets=None):
    """A candidate sheet as offices send it: title row, unit line, blank row, then the header."""
    sheet = [["2020年焦作市学术技术带头人推荐人选汇总表"], ["填报单位（盖章）：沁阳市人社局"], [], HEAD, *rows]
    return {"推荐人选": sheet, **(extra_sheets or {})}


ROW_A = [1, "张伟", ID_A, "1980.05", "沁阳市", "卫生", "副主任医师", "大学本科"]


ROW_B = [2, "李娜", ID_B, "1974.07", "沁阳市", "农业", "高级农艺师", "大学本科"]


def split_in_two(monkeypatch) -> list[int]:
    """From now on a round of two candidates or more is evaluated in two processes; the lengths split are listed."""
    from jzleader import halves

    split: list[int] = []
    can_split = halves.can_split

    def spy(n: int) -> bool:
        if can_split(n):
            split.append(n)
            return True
        return False

    monkeypatch.setattr(halves, "MIN_ITEMS", 2)
    monkeypatch.setattr(halves, "cores", lambda: 2)  # a fork works on one core too, only slower
    monkeypatch.setattr(halves, "can_split", spy)
    return split


def read_in_this_process(monkeypatch) -> list[str]:
    """From now on the readers' worker calls are made in this process, each when submitted (so that the test's own
    stand-ins apply, and the calls can be counted: the real workers are tested in test_inputs_hostile.py); the
    names of the functions called are listed."""
    import concurrent.futures as futures

    from jzleader.inputs import isolate

    calls: list[str] = []

    def made_here(func: Callable[..., Any], *args: object) -> isolate.Pending[Any]:
        calls.append(func.__name__)
        future: futures.Future[Any] = futures.Future()
        try:
            future.set_result(func(*args))
        except Exception as e:  # noqa: BLE001 - raised by result(), as a worker's would be
            future.set_exception(e)
        return isolate.Pending(future)

    monkeypatch.setattr(isolate, "submit", made_here)
    return calls
