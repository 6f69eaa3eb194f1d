"""The register of rounds (issue 16), against SQLite and against a real PostgreSQL server: the same tests.

Expected values are the bundled example's, worked out by hand from DOMAIN.md: 12 candidates of 沁阳市; 郑华
(row 16) is flagged for a COVID-19 contribution, 待核实 (not 不符合) and has no 已享受 column, so the tilt is
applied to her (notice 四); 李娜 (row 6) is 45 on 2020-06-30 and eligible only because "45周岁以下" includes 45."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import create_engine, inspect, text

from jzleader.cli import cli

from .conftest import person
from .registerdb import fresh_database, postgres_cluster

EXAMPLE = Path(__file__).parent.parent / "examples" / "沁阳市推荐人选.xlsx"
RULES = Path(__file__).parent.parent / "rules"
LI_NA_ID = "410882197407012158"


@pytest.fixture(scope="session")
def postgres_server():
    yield from postgres_cluster()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path) -> list[str]:
    """The --db/--key-file options of a new register, initialised."""
    if request.param == "sqlite":
        options = ["--db", str(tmp_path / "register.sqlite3")]
    else:
        name = re.sub(r"\W", "_", request.node.name)[-50:].lower()
        url = fresh_database(request.getfixturevalue("postgres_server"), name)
        options = ["--db", url, "--key-file", str(tmp_path / "register.key")]
    assert run("register", "init", *options).exit_code == 0
    return options


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def doc(*args: str) -> dict:
    result = run(*args, "--format", "json")
    return json.loads(result.output)


def check_options(db: list[str]) -> list[str]:
    """--db/--key-file as check, quota-report and sensitivity spell them."""
    out = ["--register", db[1]]
    return out + (["--register-key-file", db[3]] if len(db) > 2 else [])


def later_round(tmp_path: Path) -> Path:
    """The example sent again in a later round, with an 已享受市级重点人才政策倾斜 column left blank."""
    path = tmp_path / "2022" / "沁阳市推荐人选.xlsx"
    path.parent.mkdir()
    wb = load_workbook(EXAMPLE)
    wb["推荐人选"].cell(row=4, column=19, value="已享受市级重点人才政策倾斜")
    wb.save(path)
    return path


def test_add_stores_the_round_once_and_no_full_id(db, tmp_path):
    added = doc("register", "add", str(EXAMPLE), "--round", "2020年", *db)
    assert added["result"] == "added" and added["version"] == 1 and added["candidates"] == 12
    assert added["tilt_applied"] == 1  # 郑华
    assert added["summary"] == {"eligible": 2, "review": 5, "ineligible": 5}
    again = doc("register", "add", str(EXAMPLE), "--round", "2020年", *db)
    assert again["result"] == "unchanged" and again["version"] == 1
    info = doc("register", "info", *db)
    assert [(r["name"], r["versions"], r["candidates"]) for r in info["rounds"]] == [("2020年", 1, 12)]
    assert info["revision"] == info["head"]
    # nothing in the database is an ID number: not the example's twelve, nor any run of 15 digits outside the keys
    # (a key is 64 hex characters of an HMAC: it may hold a run of digits by chance, and is no ID)
    ids = {c["id_number"] for c in doc("check", str(EXAMPLE), "--show-id")["candidates"]}
    assert len(ids) == 12 and all(len(i) == 18 for i in ids)
    url = db[1] if "://" in db[1] else f"sqlite:///{db[1]}"
    engine = create_engine(url)
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            for row in connection.execute(text(f"SELECT * FROM {table}")).mappings():
                for column, value in row.items():
                    assert not any(i in str(value) for i in ids), (table, column)
                    assert column == "person_key" or not re.search(r"\d{15,}", str(value)), (table, column, value)
    engine.dispose()


def test_key_file_is_owner_only_and_never_overwritten(db, tmp_path):
    key = Path(db[3]) if len(db) > 2 else Path(db[1] + ".key")
    assert key.stat().st_mode & 0o777 == 0o600
    before = key.read_text()
    assert run("register", "init", *db).exit_code == 0  # an existing register: migrated, its secret kept
    assert key.read_text() == before


def test_different_files_need_replace_and_diff_tells_what_changed(db, tmp_path):
    assert run("register", "add", str(EXAMPLE), "--round", "2020年", *db).exit_code == 0
    corrected = tmp_path / "更正" / "沁阳市推荐人选.xlsx"
    corrected.parent.mkdir()
    wb = load_workbook(EXAMPLE)
    ws = wb["推荐人选"]
    ws["E6"] = "1985.07"  # 李娜 born 1985: 34, still eligible; the verdict does not change
    ws.delete_rows(7)  # 王强 withdrawn
    wb.save(corrected)
    refused = subprocess.run([sys.executable, "-m", "jzleader", "register", "add", str(corrected), "--round", "2020年", *db],
                             capture_output=True, text=True, encoding="utf-8", check=False)  # fmt: skip
    assert refused.returncode == 2 and "--replace" in refused.stderr and "Traceback" not in refused.stderr
    replaced = doc("register", "add", str(corrected), "--round", "2020年", "--replace", *db)
    assert replaced["result"] == "replaced" and replaced["version"] == 2
    diff = doc("register", "diff", "--round", "2020年", *db)
    [step] = diff["versions"]
    assert (step["before"], step["after"]) == (1, 2)
    assert [e["name"] for e in step["removed"]] == ["王强"] and step["added"] == []
    # the old version stays in history
    assert [r["versions"] for r in doc("register", "info", *db)["rounds"]] == [2]


def test_the_tilt_is_once_only_across_rounds(db, tmp_path):
    assert run("register", "add", str(EXAMPLE), "--round", "2020年", *db).exit_code == 0
    later = later_round(tmp_path)
    quota = doc("quota-report", str(later), *check_options(db), "--round", "2022年")
    qinyang = next(u for u in quota["units"] if u["unit"] == "沁阳市")
    assert qinyang["exempt_names"] == [] and qinyang["counted"] == 12
    refused = [p for p in quota["problems"] if p["code"] == "COVID_EXEMPTION_REFUSED"]
    assert len(refused) == 1 and "郑华" in refused[0]["message"] and "2020年" in refused[0]["message"]
    assert refused[0]["clause"] == "四" and "一次" in refused[0]["message"]
    # the same round checked again: its own tilt still applies
    same = doc("quota-report", str(EXAMPLE), *check_options(db), "--round", "2020年")
    assert next(u for u in same["units"] if u["unit"] == "沁阳市")["exempt_names"] == ["郑华"]
    # without --round: the stored round whose files these are (so its own tilt stays), else a round of its own
    same = doc("quota-report", str(EXAMPLE), *check_options(db))
    assert next(u for u in same["units"] if u["unit"] == "沁阳市")["exempt_names"] == ["郑华"]
    unnamed = doc("quota-report", str(later), *check_options(db))
    assert next(u for u in unnamed["units"] if u["unit"] == "沁阳市")["exempt_names"] == []
    # without --register nothing changes: the 已享受 column is blank, so the tilt applies
    plain = doc("quota-report", str(later))
    assert next(u for u in plain["units"] if u["unit"] == "沁阳市")["exempt_names"] == ["郑华"]


def test_a_check_names_earlier_rounds_and_selection(db, tmp_path):
    assert run("register", "add", str(EXAMPLE), "--round", "2020年", *db).exit_code == 0
    names = tmp_path / "入选名单.txt"
    names.write_text(f"{LI_NA_ID}\n", encoding="utf-8")
    recorded = doc("register", "outcome", "--round", "2020年", str(names), *db)
    assert [e["name"] for e in recorded["selected"]] == ["李娜"]
    later = later_round(tmp_path)
    result = doc("check", str(later), *check_options(db), "--round", "2022年")
    li_na = next(c for c in result["candidates"] if c["name"] == "李娜")
    codes = {r["code"]: r for r in li_na["reasons"]}
    assert "2020年" in codes["REGISTER_EARLIER"]["message"] and "符合" in codes["REGISTER_EARLIER"]["message"]
    assert "2020年" in codes["REGISTER_SELECTED"]["message"] and codes["REGISTER_SELECTED"]["cell"] == "B6"
    assert li_na["verdict"] == "eligible"  # a notice, never a verdict
    # the register adds notices and nothing else: the rest of the document is the plain check's
    plain = doc("check", str(later))
    for c, p in zip(result["candidates"], plain["candidates"], strict=True):
        assert [r for r in c["reasons"] if not r["code"].startswith("REGISTER_")] == p["reasons"]


def test_history_outcome_and_export(db, tmp_path):
    assert run("register", "add", str(EXAMPLE), "--round", "2020年", *db).exit_code == 0
    assert run("register", "add", str(later_round(tmp_path)), "--round", "2022年", *db).exit_code == 0
    by_id = doc("register", "history", LI_NA_ID, *db)
    assert [(a["round"], a["verdict"], a["masked_id"]) for a in by_id["appearances"]] == [
        ("2020年", "eligible", "410882********2158"), ("2022年", "eligible", "410882********2158")]  # fmt: skip
    assert LI_NA_ID not in json.dumps(by_id)
    zheng = doc("register", "history", "郑华", *db)["appearances"]
    assert [a["tilt_applied"] for a in zheng] == [True, False]  # 2022: refused, the register names 2020年
    assert run("register", "history", "无此人", *db).exit_code == 1
    wrong = tmp_path / "名单.txt"
    wrong.write_text("李娜\n王五\n", encoding="utf-8")
    result = run("register", "outcome", "--round", "2020年", str(wrong), *db)
    assert result.exit_code == 1 and "王五" in result.output
    wrong.write_text("410882199901011234\n", encoding="utf-8")  # an ID of nobody in the round: shown masked
    unmatched = doc("register", "outcome", "--round", "2020年", str(wrong), *db)
    assert unmatched["unmatched"] == ["410882********1234"] and "19990101" not in json.dumps(unmatched)
    target = tmp_path / "登记库.xlsx"
    assert run("register", "export", str(target), *db).exit_code == 0
    book = load_workbook(target)
    assert book.sheetnames == ["轮次", "人选"]
    people = list(book["人选"].iter_rows(values_only=True))
    assert len([r for r in people if r[0] in ("2020年", "2022年")]) == 24
    assert not any(re.search(r"\d{15,}", str(v)) for row in people for v in row)


def test_verify_lists_the_verdicts_todays_rules_would_change(db, tmp_path):
    copy = tmp_path / "round" / EXAMPLE.name
    copy.parent.mkdir()
    shutil.copy(EXAMPLE, copy)
    assert run("register", "add", str(copy), "--round", "2020年", *db).exit_code == 0
    same = run("register", "verify", "--round", "2020年", *db)
    assert same.exit_code == 0 and "所有结论不变" in same.output
    # today's rules read "45周岁以下" as excluding 45: 李娜 (45) becomes ineligible
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    criteria = rules / "criteria.yaml"
    criteria.write_text(criteria.read_text(encoding="utf-8").replace(
        "  age_limit_inclusive:\n    value: true\n    alternatives: [false]",
        "  age_limit_inclusive:\n    value: false\n    alternatives: [true]", 1), encoding="utf-8")  # fmt: skip
    changed = doc("register", "verify", "--round", "2020年", "--rules", str(rules), *db)
    assert changed["status"] == "findings" and changed["rules_changed"] == ["criteria.yaml"]
    assert [(c["name"], c["from"], c["to"]) for c in changed["changed"]] == [("李娜", "eligible", "ineligible")]
    # a stored file changed since: refused, naming it
    copy.write_bytes(copy.read_bytes() + b"\0")
    moved = subprocess.run([sys.executable, "-m", "jzleader", "register", "verify", "--round", "2020年", *db,
                            "--format", "json"], capture_output=True, text=True, encoding="utf-8", check=False)  # fmt: skip
    assert moved.returncode == 2 and str(copy) in moved.stderr and json.loads(moved.stdout)["status"] == "unusable"


def test_two_adds_at_once_neither_corrupts_nor_half_writes(db, tmp_path):
    later = later_round(tmp_path)
    command = [sys.executable, "-m", "jzleader", "register", "add"]
    runs = [[*command, str(EXAMPLE), "--round", "2020年", *db], [*command, str(later), "--round", "2022年", *db],
            [*command, str(EXAMPLE), "--round", "2020年", *db]]  # fmt: skip
    children = [subprocess.Popen(r, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
                for r in runs]  # fmt: skip
    outputs = [c.communicate(timeout=120) for c in children]
    assert [c.returncode for c in children] == [0, 0, 0], outputs
    info = doc("register", "info", *db)
    assert sorted((r["name"], r["versions"], r["candidates"]) for r in info["rounds"]) == [("2020年", 1, 12), ("2022年", 1, 12)]


def test_a_register_made_by_the_first_migration_upgrades_cleanly(tmp_path):
    from jzleader.register import db as registry
    from jzleader.register.keys import make_secret

    file = tmp_path / "old.sqlite3"
    location = registry.locate(str(file), None)
    make_secret(location.key_path)
    engine = registry.engine_for(location)
    registry.upgrade(engine, "0001")
    with engine.begin() as connection:  # a round stored by a tool that knew only the first migration
        connection.execute(text("INSERT INTO rounds (id, name, year, created_at) VALUES (1, '2018年', 2018, '2018-07-01')"))
        connection.execute(text("INSERT INTO versions (id, round_id, number, \"current\", added_at, tool_version, "
                                "files_digest, rules) VALUES (1, 1, 1, 1, '2018-07-01', '0.0.1', 'x', '{}')"))  # fmt: skip
        connection.execute(text("INSERT INTO entries (version_id, name, unit, masked_id, verdict, reasons, tilt_applied, "
                                "file, \"row\") VALUES (1, '李娜', '沁阳市', '410882********2158', 'review', '[]', 0, "
                                "'a.xlsx', 6)"))  # fmt: skip
    assert "outcomes" not in inspect(engine).get_table_names()
    engine.dispose()
    info = doc("register", "info", "--db", str(file))
    assert info["revision"] == info["head"] == "0002"
    assert [(r["name"], r["candidates"]) for r in info["rounds"]] == [("2018年", 1)]
    assert [a["verdict"] for a in doc("register", "history", "李娜", "--db", str(file))["appearances"]] == ["review"]
    engine = create_engine(f"sqlite:///{file}")
    assert "outcomes" in inspect(engine).get_table_names()
    engine.dispose()


def test_unusable_registers_are_one_message_exit_2(tmp_path):
    missing = subprocess.run([sys.executable, "-m", "jzleader", "register", "history", "李娜", "--db",
                              str(tmp_path / "none.sqlite3"), "--format", "json"], capture_output=True, text=True,
                             encoding="utf-8", check=False)  # fmt: skip
    assert missing.returncode == 2 and "register init" in missing.stderr
    assert json.loads(missing.stdout)["status"] == "unusable" and "Traceback" not in missing.stderr
    server = subprocess.run([sys.executable, "-m", "jzleader", "check", str(EXAMPLE), "--register",
                             "postgresql+psycopg://nobody@127.0.0.1:1/none", "--format", "json"], capture_output=True,
                            text=True, encoding="utf-8", check=False)  # fmt: skip
    assert server.returncode == 2 and "--key-file" in server.stderr and json.loads(server.stdout)["status"] == "unusable"
    assert os.path.exists(tmp_path / "none.sqlite3") is False  # a missing register is never made by a lookup


HOSTILE = st.one_of(st.text(min_size=1, max_size=30), st.sampled_from(
    ["[bold red]x[/bold red]", "=1+1", "+1", "@SUM(A1)", "\x1b[2J", "\u202e反向", "a\r\nb", "x" * 3000, "%s{0}"]))  # fmt: skip


@settings(max_examples=int(os.environ.get("JZLEADER_FUZZ_EXAMPLES", "15")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])  # fmt: skip
@given(name=HOSTILE, unit=HOSTILE)
@example(name="张\x1b[31m伟\u202e", unit="=1+1")
def test_any_cell_text_through_the_register_and_its_workbook(tmp_path_factory, name, unit):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "r.yaml"
    try:
        path.write_text(yaml.safe_dump({"candidates": [person(name=name, unit=unit)]}, allow_unicode=True), encoding="utf-8")
    except UnicodeEncodeError:  # a lone surrogate cannot be saved as UTF-8: no office can send it
        return
    db = ["--db", str(folder / "r.sqlite3")]
    assert run("register", "init", *db).exit_code == 0
    added = run("register", "add", str(path), "--round", "轮次", *db)
    assert added.exit_code in (0, 2), added.output
    for command in (["register", "history", name.strip() or "x", *db], ["register", "info", *db],
                    ["register", "diff", "--round", "轮次", *db]):  # fmt: skip
        result = run(*command)
        assert result.exit_code in (0, 1, 2)
        assert not re.search("[\x00-\x08\x0b\x1b\u202a-\u202e]", result.output)
    target = folder / "out.xlsx"
    assert run("register", "export", str(target), *db).exit_code == 0
    wb = load_workbook(target)
    assert not [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
