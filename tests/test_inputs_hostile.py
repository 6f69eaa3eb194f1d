"""Hostile and odd files (issue 7): each refused with exit 2 and a message naming the file, or read
normally when the content is fine under a false claim; never a traceback, within 10 s and 500 MB.
Every file is built here, in the test."""

from __future__ import annotations

import datetime as dt
import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from jzleader.inputs import isolate, xlsx

from .conftest import make_id, write_xlsx
from .hostile import SHEET, base_workbook, billion_laughs, inline_a2, rewrite, with_doctype, zip_bomb


def run_cli(path: Path, *extra: str) -> tuple[subprocess.CompletedProcess, float, int]:
    """Run jzleader in a child process, measuring wall time and the child's peak memory (MB)."""
    script = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2_000_000_000, 2_000_000_000))\n"
        "from jzleader.cli import main\n"
        f"sys.argv = ['jzleader', 'check', {str(path)!r}, '--format', 'json', *{list(extra)!r}]\n"
        "main()\n"
    )
    start = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) // 1024
    return proc, time.monotonic() - start, peak


def refused(path: Path, words: str, *extra: str) -> None:
    proc, seconds, peak = run_cli(path, *extra)
    assert proc.returncode == 2, proc.stderr
    assert str(path) in proc.stderr and words in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert seconds < 10 and peak < 500


def test_zip_bomb_refused_before_parsing(tmp_path):
    refused(zip_bomb(tmp_path), "安全上限")


def test_the_limit_can_be_raised(tmp_path):
    base = base_workbook(tmp_path / "base.xlsx")
    big = tmp_path / "big.xlsx"
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, zin.read(item.filename))
        zout.writestr("docProps/padding.xml", b"<a>" + b"x" * 3_000_000 + b"</a>")
    refused(big, "--max-unpacked-mb", "--max-unpacked-mb", "2")
    proc, _, _ = run_cli(big, "--max-unpacked-mb", "10")
    assert proc.returncode in (0, 1), proc.stderr


def test_billion_laughs_in_a_sheet(tmp_path):
    refused(billion_laughs(tmp_path), "不安全")


def test_external_entity_in_a_sheet(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-VALUE", encoding="utf-8")
    doctype = f'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    path = tmp_path / "xxe.xlsx"
    base = base_workbook(tmp_path / "b.xlsx")
    rewrite(base, path, SHEET, lambda xml: inline_a2(with_doctype(xml, doctype), "&xxe;"))
    proc, _, _ = run_cli(path)
    assert proc.returncode == 2 and "不安全" in proc.stderr
    assert "SECRET-VALUE" not in proc.stdout + proc.stderr


def test_yaml_alias_bomb(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    lines += ["candidates:", "  - name: *a9"]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused(path, "别名")


def test_yaml_python_tag_never_runs(tmp_path):
    marker = tmp_path / "ran"
    path = tmp_path / "tag.yaml"
    path.write_text(f"candidates:\n  - name: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    refused(path, "YAML")
    assert not marker.exists()


def test_a_self_referencing_yaml_alias(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text("candidates:\n  - &a {name: 张伟, awards: [*a]}\n", encoding="utf-8")
    proc, seconds, _ = run_cli(path)
    # a list of candidates is never written that way: refused (exit 2) with the line, never read or looped on
    assert proc.returncode == 2 and "引用了包含它自己的内容（第2行" in proc.stderr and "Traceback" not in proc.stderr
    assert seconds < 10


@pytest.mark.parametrize("claim", ["A1:XFD1048576", "A1:B2"])
def test_a_false_dimension_is_read_normally(tmp_path, rules, claim):
    from jzleader import pipeline

    path = rewrite(base_workbook(tmp_path / "b.xlsx"), tmp_path / "dim.xlsx", SHEET,
                   lambda xml: xml.replace("</sheetPr>", f'</sheetPr><dimension ref="{claim}"/>', 1))  # fmt: skip
    assert claim in zipfile.ZipFile(path).read(SHEET).decode()
    result = pipeline.check([path], rules)
    assert [v.candidate.name for v in result.verdicts] == ["张伟"]


def test_rows_out_of_order_and_far_apart_are_all_read(tmp_path, rules):
    from jzleader import pipeline

    rows = [["姓名", "身份证号", "专业技术职务", "学历"], ["甲", None, "高级工程师", "大学本科"],
            ["乙", None, "高级工程师", "大学本科"], ["丙", None, "高级工程师", "大学本科"]]  # fmt: skip
    base = write_xlsx(tmp_path / "b.xlsx", {"候选人": rows})

    def shuffle(xml: str) -> str:
        head, rest = xml.split("<sheetData>")
        data, tail = rest.split("</sheetData>")
        parts = data.replace("</row>", "</row>\n").split("\n")[:-1]
        parts[3] = parts[3].replace('r="4"', 'r="900000"').replace('4"', '900000"')  # far away
        parts[1], parts[2] = parts[2], parts[1]  # 3 written before 2
        return head + "<sheetData>" + "".join(parts) + "</sheetData>" + tail

    path = rewrite(base, tmp_path / "odd.xlsx", SHEET, shuffle)
    start = time.monotonic()
    result = pipeline.check([path], rules)
    assert time.monotonic() - start < 10
    assert sorted((v.candidate.name, v.candidate.place.row) for v in result.verdicts) == [("丙", 900000), ("乙", 3), ("甲", 2)]


# --- sheet XML with a namespace prefix (as the .NET Open XML SDK writes it) -------------------------


OCTOBER_ID = make_id(dt.date(1974, 10, 15))


def prefixed_workbook(tmp_path: Path, *, prefix: bool, far_cell: bool = False, single_quotes: bool = False) -> Path:
    """张伟 with a full 18-digit ID (born 1974-10-15) in a number cell and 1974.1 shown as 1974.10: October,
    45 on 2020-06-30 (January would make 46); the sheet XML plain, or with every element prefixed x:, or
    prefixed with one more cell at XFD1048576."""
    import re

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "候选人"
    ws.append(["姓名", "身份证号", "出生年月", "专业技术职务", "学历"])
    ws.append(["张伟", 1, 1974.1, "副主任医师", "硕士研究生"])
    ws["C2"].number_format = "0.00"
    base = tmp_path / "base.xlsx"
    wb.save(base)

    def edit(xml: str) -> str:
        xml = re.sub(r'(<c r="B2"[^>]*><v>)[^<]*', rf"\g<1>{OCTOBER_ID}", xml)  # all 18 digits, as a program writes them
        if single_quotes:  # r='B2' s='1': as valid as double quotes
            xml = re.sub(r'(\s\w+)="([^"]*)"', r"\1='\2'", xml)
        if prefix:
            xml = re.sub(r"<(/?)([A-Za-z]\w*)([\s>/])", r"<\1x:\2\3", xml).replace('xmlns="', 'xmlns:x="', 1)
            if far_cell:
                xml = xml.replace(
                    "</x:sheetData>", '<x:row r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row></x:sheetData>'
                )
        return xml

    name = f"{prefix}-{far_cell}-{single_quotes}.xlsx"
    return rewrite(base, tmp_path / name, SHEET, edit)


@pytest.mark.parametrize(
    ("prefix", "far_cell", "single_quotes"),
    [(False, False, False), (True, False, False), (True, True, False), (False, False, True)],
    ids=["plain", "prefixed", "far", "single-quoted"],
)
def test_a_prefixed_sheet_reads_exactly_like_a_plain_one(tmp_path, prefix, far_cell, single_quotes):
    path = prefixed_workbook(tmp_path, prefix=prefix, far_cell=far_cell, single_quotes=single_quotes)
    if prefix:
        assert b"<x:c " in zipfile.ZipFile(path).read(SHEET)
    proc, seconds, peak = run_cli(path)
    assert proc.returncode == 1, proc.stderr  # ineligible (no achievement), not a process killed by the reader
    import json

    (candidate,) = json.loads(proc.stdout)["candidates"]
    codes = {r["code"] for r in candidate["reasons"]}
    assert candidate["age"] == "45" and "AGE_OK" in codes
    assert "ID_PRECISION_LOST" not in codes and "BIRTH_DATE_AMBIGUOUS" not in codes
    assert seconds < 10 and peak < 500


# --- a native reader that dies costs one file, never the round -------------------------------------

_REAL_READER = xlsx._read_sheet


def _reader_that_dies_on_crash_files(path: Path, *args):  # module level: the worker process imports it by name
    if path.name.startswith("crash"):
        os.abort()  # as python-calamine does on a failed allocation: no exception, the process is gone
    return _REAL_READER(path, *args)


def test_a_reader_that_dies_costs_one_file_never_the_round(tmp_path, rules, monkeypatch):
    from jzleader import pipeline

    crash = base_workbook(tmp_path / "crash.xlsx")
    good = write_xlsx(tmp_path / "good.xlsx", {"候选人": [["姓名", "身份证号"], ["李娜", OCTOBER_ID]]})
    isolate.shutdown()
    monkeypatch.setattr(xlsx, "_read_sheet", _reader_that_dies_on_crash_files)
    try:
        result = pipeline.check([crash, good], rules)
    finally:
        isolate.shutdown()
    assert [v.candidate.name for v in result.verdicts] == ["张伟", "李娜"]  # the dead reader's file read the careful way
    assert result.errors == []
    assert any("crash.xlsx" in n and "openpyxl" in n for n in result.round.notes)


def _calamine_alone(path: Path, name: str) -> object:  # module level: a worker finds it by name
    from python_calamine import CalamineWorkbook

    return xlsx.calamine_sheet(CalamineWorkbook.from_path(str(path)), name)


def test_a_sheet_that_would_abort_calamine_keeps_the_whole_workbook_from_it(tmp_path):
    """The sheets go to two workers, the largest first, and each worker scans its sheet before calamine reads it: a
    smaller sheet that fails its scan, while a larger one is being read, must still never reach calamine."""
    ok = tmp_path / "ok.xlsx"
    people = [["张伟", make_id(dt.date(1980, 5, 6))]] * 300
    write_xlsx(ok, {"候选人": [["姓名", "身份证号"], *people], "获奖": [["姓名", "奖项名称"], ["张伟", "科技进步奖"]]})
    bad = rewrite(ok, tmp_path / "bad.xlsx", "xl/worksheets/sheet2.xml", lambda xml: xml.replace('r="B2"', 'r="XFD1048576"', 1))
    isolate.shutdown()
    try:
        with pytest.raises(isolate.ReaderDied):  # what calamine does with that sheet: the worker is gone
            isolate.run(_calamine_alone, bad, "获奖")
        grid = xlsx.read_xlsx(bad)
    finally:
        isolate.shutdown()
    assert grid.notes == []  # no worker died: the bad sheet went to no worker
    assert [s.name for s in grid.sheets] == ["候选人", "获奖"] and len(grid.sheets[0].rows) == 301


_MEET = None  # set before the workers are forked, so that both inherit it


def _meet_and_say_who() -> int:  # module level: a worker finds it by name
    _MEET.wait()  # type: ignore[union-attr]  # returns only when both workers are in it at once
    return os.getpid()


def test_the_sheets_are_read_by_two_workers_at_once(monkeypatch):
    import multiprocessing

    from jzleader import halves

    monkeypatch.setattr(halves, "cores", lambda: 2)
    monkeypatch.setattr(sys.modules[__name__], "_MEET", multiprocessing.get_context("fork").Barrier(2, timeout=20))
    isolate.shutdown()
    try:
        first, second = isolate.submit(_meet_and_say_who), isolate.submit(_meet_and_say_who)
        pids = {first.result(), second.result()}
    finally:
        isolate.shutdown()
    assert len(pids) == 2 and os.getpid() not in pids


def _say_and_sleep(started: Path, seconds: float) -> None:  # module level: a worker finds it by name
    started.touch()
    time.sleep(seconds)


def test_abandoned_reads_are_ended_not_waited_for(tmp_path):
    """A run that ends early (a bad rule file while a large workbook's sheets are being read) kills the workers:
    a worker that had been waited for would have ended its call and exited on its own (exit code 0)."""
    import gc

    isolate.shutdown()
    assert isolate.run(gc.isenabled) is False  # a worker collects no cycles, whenever it was forked
    started = tmp_path / "started"
    isolate.submit(_say_and_sleep, started, 5)
    workers = list(isolate._pool._processes.values())  # type: ignore[union-attr]
    while not started.exists():  # the call is running in its worker
        time.sleep(0.01)
    with pytest.raises(RuntimeError, match="a bad rule file"), isolate.abandoned_on_error():
        raise RuntimeError("a bad rule file")
    assert isolate._pool is None and workers
    assert all(w.exitcode is not None and w.exitcode < 0 for w in workers), [w.exitcode for w in workers]


def test_a_file_begun_is_read_when_asked_and_its_error_raised_then(tmp_path, rules):
    """begin_file starts an .xlsx file's sheets in the workers; what the call gives, or raises, is read_file's."""
    from jzleader.errors import InputError
    from jzleader.inputs.sniff import begin_file, read_file

    path = base_workbook(tmp_path / "a.xlsx")
    isolate.shutdown()
    try:
        begun = begin_file(path)
        assert isolate._pool is not None  # the sheets were handed to the workers before the call
        grid = begun()
    finally:
        isolate.shutdown()
    assert [(s.name, s.rows) for s in grid.sheets] == [(s.name, s.rows) for s in read_file(path).sheets]
    missing = begin_file(tmp_path / "gone.xlsx")  # nothing raised yet: the caller goes on starting up
    with pytest.raises(InputError, match="找不到文件"):
        missing()


def test_a_bad_rule_file_while_the_first_file_is_read_ends_the_run_and_its_workers(tmp_path):
    from click.testing import CliRunner

    from jzleader.cli import cli

    rules = tmp_path / "criteria.yaml"
    rules.write_text("kind: criteria\nnotice: [\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(base_workbook(tmp_path / "a.xlsx")), "--rules", str(rules)])
    assert result.exit_code == 2 and "规则文件有误" in result.output
    assert isolate._pool is None  # the read begun before the rule file was loaded is abandoned
