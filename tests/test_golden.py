"""Golden cases: tests/cases/<name>.expected.json names its inputs and the verdicts worked out by hand.

Only the codes that weigh on a verdict (fail, review) are compared, so wording can change freely.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from jzleader.cli import cli

ROOT = Path(__file__).parents[1]
CASES = sorted((ROOT / "tests" / "cases").glob("*.expected.json"))


def summarise(payload: dict) -> list[dict]:
    return [
        {
            "row": c["row"],
            "name": c["name"],
            "verdict": c["verdict"],
            "clauses_met": c["clauses_met"],
            "codes": sorted({r["code"] for r in c["reasons"] if r["severity"] in ("fail", "review")}),
        }
        for c in payload["candidates"]
    ]


@pytest.mark.parametrize("case", CASES, ids=[c.name.split(".")[0] for c in CASES])
def test_golden(case):
    expected = json.loads(case.read_text(encoding="utf-8"))
    inputs = [str(ROOT / p) for p in expected["inputs"]]
    result = CliRunner().invoke(cli, ["check", *inputs, "--format", "json"], catch_exceptions=False)
    payload = json.loads(result.output)
    assert summarise(payload) == expected["candidates"]
    assert payload["summary"] == expected["summary"]
    assert result.exit_code == expected["exit"]


def test_the_example_workbook_is_what_its_script_builds(tmp_path):
    """examples/make_workbook.py rebuilds the committed workbook with the same verdicts."""
    import runpy

    out = tmp_path / "rebuilt.xlsx"
    runpy.run_path(str(ROOT / "examples" / "make_workbook.py"), run_name="builder")["build"](out)
    expected = json.loads((ROOT / "tests" / "cases" / "qinyang-xlsx.expected.json").read_text(encoding="utf-8"))
    result = CliRunner().invoke(cli, ["check", str(out), "--format", "json"], catch_exceptions=False)
    assert summarise(json.loads(result.output)) == expected["candidates"]
