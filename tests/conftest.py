"""Shared helpers: build workbooks and YAML rounds in fixtures, evaluate them with the shipped rules."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from jzleader.check import CheckResult, run_check
from jzleader.rules import RuleSet, load_rules


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_rules()


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]], formats: dict[tuple[str, str], str] | None = None) -> Path:
    """A workbook with one sheet per entry; `formats` sets number formats by (sheet, cell)."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    for (sheet, cell), fmt in (formats or {}).items():
        wb[sheet][cell].number_format = fmt
    wb.save(path)
    return path


def write_yaml(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def check_yaml(tmp_path: Path, text: str, rules: RuleSet, name: str = "round.yaml") -> CheckResult:
    return run_check([write_yaml(tmp_path / name, text)], rules)


def codes(result: CheckResult, index: int = 0, severities: tuple[str, ...] = ("fail", "review")) -> set[str]:
    """The codes of one candidate's reasons that weigh on the verdict."""
    return {r.code.name for r in result.verdicts[index].reasons if r.severity.value in severities}
