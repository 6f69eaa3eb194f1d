"""The command line as scripts and people use it: JSON contract, exit codes, masking, errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from jzleader.cli import cli
from jzleader.codes import Code

from .conftest import BORN, ROW_A, ROW_B, make_id, official, person, split_in_two, write_xlsx

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "沁阳市推荐人选.yaml"
FULL_ID = re.compile(r"(?<!\d)\d{15}(\d{2}[\dX])?(?!\d)")


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def write(path: Path, *people) -> Path:
    path.write_text(yaml.safe_dump({"candidates": list(people)}, allow_unicode=True), encoding="utf-8")
    return path


def test_json_contract():
    result = invoke("check", str(EXAMPLE), "--format", "json")
    payload = json.loads(result.output)
    assert set(payload) >= {"candidates", "summary"}
    assert set(payload["summary"]) == {"eligible", "review", "ineligible"}
    for c in payload["candidates"]:
        assert set(c) >= {"row", "name", "unit", "verdict", "clauses_met", "reasons"}
        assert c["verdict"] in ("eligible", "review", "ineligible")
        assert isinstance(c["row"], int)
        assert all(isinstance(n, int) and 1 <= n <= 7 for n in c["clauses_met"])
        for r in c["reasons"]:
            assert set(r) >= {"code", "clause", "message", "sheet", "cell"}
            assert r["code"] in Code.__members__


@pytest.mark.parametrize("extra", [[], ["--strict"], ["--show-id"]])
def test_the_streamed_json_is_the_document_of_the_kept_verdicts(tmp_path, extra):
    """`check --format json` writes each candidate as it is evaluated; with --output the verdicts are kept for the
    workbook. Both print the same document, status included."""
    example = ROOT / "examples" / "沁阳市推荐人选.xlsx"
    streamed = invoke("check", str(example), "--format", "json", *extra)
    kept = invoke("check", str(example), "--format", "json", *extra, "--output", str(tmp_path / "r.xlsx"))
    assert (tmp_path / "r.xlsx").exists() and streamed.exit_code == kept.exit_code == 1
    assert streamed.stdout == kept.stdout and json.loads(streamed.stdout)["status"] == "findings"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the evaluation is split by fork")
@pytest.mark.parametrize("extra", [[], ["--show-id"]])
def test_the_json_of_a_round_evaluated_in_two_processes_is_the_same_text(monkeypatch, extra):
    """A large round's second half is evaluated and written by a forked copy: the document must not show it."""
    example = ROOT / "examples" / "沁阳市推荐人选.xlsx"
    one = invoke("check", str(example), "--format", "json", *extra)
    split = split_in_two(monkeypatch)
    two = invoke("check", str(example), "--format", "json", *extra)
    assert split == [12] and two.exit_code == one.exit_code == 1
    assert two.stdout == one.stdout and len(json.loads(two.stdout)["candidates"]) == 12


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the round is split by fork")
def test_people_across_the_halves_of_a_round_are_made_the_same_in_two_processes(tmp_path, monkeypatch):
    """Each process makes its half of the candidates from one plan: a person listed in both files (one in each
    half), two listings under one unreadable ID, and rows joined by name must come out as from one process."""
    awards = ["姓名", "身份证号", "奖项名称", "奖项级别", "奖项等级", "本人排名"]
    a = official(
        [ROW_A, [2, "王五", "123", "1976.03", "沁阳市", "卫生", "主任医师", "大学本科"], ROW_B,
         [4, "王 五", "123", "1976.03", "沁阳市", "卫生", "主任医师", "大学本科"]],
        {"获奖": [awards, ["张伟", ROW_A[2], "甲奖", "省级", "一等奖", "第一"], ["王五", "123", "乙奖", "市级", "二等奖", 1],
                 ["李娜", None, "丙奖", "省级", "二等奖", 2], ["孙七", None, "丁奖", "市级", "一等奖", 1]]},
    )  # fmt: skip
    b = official(
        [[1, "张伟", ROW_A[2], "1980.05", "孟州市", "卫生", "副主任医师", "大学本科"],
         [2, "赵六", make_id(BORN, seq="456"), "1980.05", "孟州市", "教育", "高级教师", "硕士研究生"]],
        {"获奖": [awards, ["张伟", ROW_A[2], "戊奖", "省级", "一等奖", 1]]},
    )  # fmt: skip
    paths = [str(write_xlsx(tmp_path / "a.xlsx", a)), str(write_xlsx(tmp_path / "b.xlsx", b))]
    one = invoke("check", *paths, "--format", "json")
    split = split_in_two(monkeypatch)
    two = invoke("check", *paths, "--format", "json")
    assert split == [6] and two.exit_code == one.exit_code and two.stdout == one.stdout
    people = json.loads(two.stdout)["candidates"]
    assert [c["name"] for c in people] == ["张伟", "王五", "李娜", "王 五", "张伟", "赵六"]
    assert "DUPLICATE_ID" in {r["code"] for r in people[4]["reasons"]}  # the second 张伟, in the second half


def test_ids_are_masked_everywhere_unless_asked(tmp_path):
    for fmt in ("json", "text"):
        out = invoke("check", str(EXAMPLE), "--format", fmt, "--explain").output
        assert not FULL_ID.search(out), fmt
        assert "410882********1234" in out or fmt == "text"
    shown = invoke("check", str(EXAMPLE), "--format", "json", "--show-id").output
    assert "410882198005061234" in shown


def test_exit_codes(tmp_path):
    eligible = write(tmp_path / "ok.yaml", person())
    review = write(tmp_path / "review.yaml", person(title="主治医师", exceptional="是"))
    assert invoke("check", str(eligible)).exit_code == 0
    assert invoke("check", str(review)).exit_code == 0
    assert invoke("check", str(review), "--strict").exit_code == 1
    assert invoke("check", str(EXAMPLE)).exit_code == 1


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: p, "找不到文件"),
        (lambda p: (p.write_text("candidates: [", encoding="utf-8"), p)[1], "YAML"),
        (lambda p: (p.write_bytes(b""), p)[1], "空的"),
    ],
)
def test_unusable_input_is_one_message_and_exit_2(tmp_path, make, words):
    path = make(tmp_path / "in.yaml")
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 2
    assert words in result.output and str(path) in result.output
    assert "Traceback" not in result.output


def test_a_broken_rule_file_is_exit_2_with_line(tmp_path):
    bad = tmp_path / "criteria.yaml"
    text = (ROOT / "rules" / "criteria.yaml").read_text(encoding="utf-8").replace("max_age: 45", "max_age: 四十五")
    bad.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(EXAMPLE), "--rules", str(bad)])
    assert result.exit_code == 2
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "四十五" in t)
    assert f"criteria.yaml:{line}:" in result.output


def test_several_files_and_a_folder_are_one_round(tmp_path):
    folder = tmp_path / "round"
    folder.mkdir()
    write(folder / "a.yaml", person())
    write(folder / "b.yaml", person(unit="孟州市"), person(name="乙", id_number=make_id(__import__("datetime").date(1981, 1, 1))))
    (folder / "~$a.xlsx").write_bytes(b"lock")  # an Office lock file is skipped
    payload = json.loads(invoke("check", str(folder), "--format", "json").output)
    assert [Path(c["file"]).name for c in payload["candidates"]] == ["a.yaml", "b.yaml", "b.yaml"]
    assert [c["verdict"] for c in payload["candidates"]] == ["review", "review", "eligible"]
    assert "DUPLICATE_ID" in {r["code"] for r in payload["candidates"][0]["reasons"]}


def test_one_bad_file_in_a_round_still_reports_the_others(tmp_path):
    good = write(tmp_path / "good.yaml", person())
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"")
    result = CliRunner().invoke(cli, ["check", str(good), str(bad), "--format", "json"])
    assert result.exit_code == 2
    payload = json.loads(result.stdout)
    assert len(payload["candidates"]) == 1
    assert payload["errors"][0]["file"] == str(bad)


def test_text_report_and_explain():
    out = invoke("check", str(EXAMPLE), "--explain").output
    assert "2020年6月30日" in out and "criteria.yaml" in out
    assert "共 12 人" in out and "符合 2" in out
    assert "通知原文" in out and "年龄在45周岁以下" in out


def test_codes_lists_every_code():
    out = invoke("codes").output
    for code in Code:
        assert code.name in out


def test_every_command_has_help():
    for name, command in cli.commands.items():
        assert command.help, name
        assert invoke(name, "--help").exit_code == 0


def test_runs_as_a_module_from_any_directory(tmp_path):
    """The rule files ship with the package: no rules/ in the working directory is needed."""
    result = subprocess.run(
        [sys.executable, "-m", "jzleader", "check", str(EXAMPLE), "--format", "json"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["summary"]["eligible"] == 2
    version = subprocess.run([sys.executable, "-m", "jzleader", "--version"], capture_output=True, text=True, check=True)
    assert "jzleader" in version.stdout


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"
    assert command in readme.splitlines() and command in ci.splitlines()
    assert "jzleader check examples/沁阳市推荐人选.xlsx" in readme
    assert (ROOT / "examples" / "沁阳市推荐人选.xlsx").is_file()


def test_the_fast_version_answer_is_what_click_prints():
    from jzleader.entry import VERSION_TEXT

    assert invoke("--version").output.strip() == VERSION_TEXT
    fast = subprocess.run([sys.executable, "-m", "jzleader", "--version"], capture_output=True, text=True, check=True)
    assert fast.stdout.strip() == VERSION_TEXT


def test_progress_is_reported_through_a_callback_and_never_printed_when_piped(tmp_path):
    from jzleader import pipeline
    from jzleader.ruleset.load import load_rules

    seen = []
    pipeline.check([EXAMPLE], load_rules(), progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert seen == [("read", 1, 1), ("check", 12, 12)]
    seen.clear()
    report, copy = tmp_path / "r.xlsx", tmp_path / "a.xlsx"
    workbook = EXAMPLE.with_suffix(".xlsx")
    pipeline.check([workbook], load_rules(), progress=lambda *step: seen.append(step), output=report, annotate=copy)
    # the bar covers the whole run: the workbooks asked for are steps too, to the last
    assert seen[-4:] == [("write", 0, 3), ("write", 1, 3), ("write", 2, 3), ("write", 3, 3)]
    out = invoke("check", str(EXAMPLE)).output  # CliRunner's stderr is no terminal: no bar
    assert "读取文件" not in out and "逐人审核" not in out


@pytest.mark.parametrize("command", ["check", "quota-report", "sensitivity", "validate-rules", "template"])
def test_every_command_help_ends_with_its_exit_statuses(command):
    from jzleader.cli import EXIT_HELP

    result = CliRunner().invoke(cli, [command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert result.output.rstrip().endswith(EXIT_HELP[command].split()[-1])
    assert "退出状态 Exit status: 0" in result.output and "2 " in result.output


def test_shell_completion_as_the_readme_documents_it():
    env = {"_JZLEADER_COMPLETE": "bash_complete", "COMP_WORDS": "jzleader validate-r", "COMP_CWORD": "1"}
    result = CliRunner().invoke(cli, [], env=env, prog_name="jzleader")
    assert result.exit_code == 0 and "validate-rules" in result.output
    assert "_JZLEADER_COMPLETE=bash_source jzleader" in (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(("code", "status", "err"), [("None", 0, ""), ("0", 0, ""), ("3", 3, ""), ("'停止'", 1, "停止\n")])
def test_the_entry_point_leaves_as_sys_exit_would(code, status, err):
    """entry.leave ends the process without the interpreter's teardown: the exit functions still run, in the
    order Python runs them (last registered first), and everything written is flushed, unbuffered or not."""
    script = (
        "import atexit, sys\n"
        "from jzleader.entry import leave\n"
        "atexit.register(lambda: print('，第一个', end=''))\n"
        "atexit.register(lambda: print('，第二个', end=''))\n"
        "sys.stdout.write('结果' * 5000)\n"
        f"leave({code})\n"
        "print('不应执行')\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8", check=False)
    assert (proc.returncode, proc.stderr) == (status, err)
    assert proc.stdout == "结果" * 5000 + "，第二个，第一个"


def test_the_entry_point_waits_for_a_thread_still_running():
    script = (
        "import threading, time\n"
        "from jzleader.entry import leave\n"
        "threading.Thread(target=lambda: (time.sleep(0.3), print('线程结束', flush=True))).start()\n"
        "leave(4)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8", check=False)
    assert (proc.returncode, proc.stdout) == (4, "线程结束\n")


def test_the_console_keeps_numpy_out_of_openpyxl_and_leaves_it_importable(tmp_path):
    """openpyxl imports numpy wherever it is installed (0.1 s of every run): the console's check must not, and
    numpy must still be importable afterwards for what looks for it (psycopg). A stand-in numpy that notes its
    import stands for the real one, installed or not."""
    fake = tmp_path / "numpy"
    fake.mkdir()
    noted = tmp_path / "imported"
    (fake / "__init__.py").write_text(
        f"open({str(noted)!r}, 'a').write('imported\\n')\ndef __getattr__(name):\n    return int\n", encoding="utf-8"
    )
    script = (
        "import atexit, sys\n"
        "sys.argv = ['jzleader', 'check', sys.argv[1], '--format', 'json']\n"
        "def after():\n"
        "    import openpyxl.compat.numbers\n"
        "    assert 'numpy' not in sys.modules and not openpyxl.compat.numbers.NUMPY\n"
        "    import numpy\n"  # the stand-in, importable again
        f"    open({str(noted)!r}, 'a').write('after\\n')\n"
        "atexit.register(after)\n"
        "from jzleader.entry import main\n"
        "main()\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    proc = subprocess.run([sys.executable, "-c", script, str(EXAMPLE)], capture_output=True, env=env, check=False)
    assert proc.returncode == 1 and json.loads(proc.stdout)["status"] == "findings", proc.stderr.decode()
    assert noted.read_text() == "imported\nafter\n"  # imported once: by `after`, never by openpyxl


def test_a_json_check_does_not_import_the_terminal_report():
    """`check --format json` writes no text report: rich's console (0.06 s of imports) is never imported, since its
    import competes with the readers' workers for the cores."""
    script = (
        "import atexit, os, sys\n"
        "sys.argv = ['jzleader', 'check', sys.argv[1], '--format', 'json']\n"
        "atexit.register(lambda: os.write(2, repr(sorted(m for m in sys.modules if m in ('rich.console', "
        "'jzleader.report.text'))).encode()))\n"
        "from jzleader.entry import main\n"
        "main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", script, str(EXAMPLE)], capture_output=True, text=True, check=False)
    assert proc.returncode == 1 and proc.stderr.endswith("[]"), proc.stderr
