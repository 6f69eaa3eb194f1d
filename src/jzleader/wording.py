"""Codes -> sentences: the one place where decisions become Chinese (or English) text.

The engine, the quota tally and sensitivity hand over codes, values and places; this module
turns them into what an officer reads. Masking of ID numbers is done where text leaves the
program (report/), not here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jzleader.codes import Severity
from jzleader.idnumber import mask, redact
from jzleader.model import Place, Reason, Verdict

VERDICT_ZH = {Verdict.ELIGIBLE: "符合", Verdict.REVIEW: "待核实", Verdict.INELIGIBLE: "不符合"}

SEVERITY_ZH = {Severity.FAIL: "不符合", Severity.REVIEW: "待核实", Severity.MET: "符合", Severity.NOTICE: "提示"}


class Redactor:
    """Masks ID numbers in whatever leaves the program, unless the user asked for --show-id."""

    def __init__(self, show_id: bool) -> None:
        self.show_id = show_id

    def __call__(self, text: str) -> str:
        return text if self.show_id else redact(text)

    def id(self, number: str) -> str:
        return number if self.show_id else mask(number)


def cited(r: Reason) -> str:
    """A reason as a sentence with its clause in front: [二、3] 截至……"""
    return f"[{r.clause}] {r.message()}" if r.clause else r.message()


def where(place: Place | None, *, with_file: bool = False) -> str:
    """“候选人”C5, or 第3项 for YAML; with the file name when the round has several files."""
    if place is None:
        return ""
    parts = []
    if with_file and place.file:
        parts.append(Path(place.file).name)
    if place.sheet:
        parts.append(f"“{place.sheet}”")
    if place.cell:
        parts.append(place.cell)
    elif place.line:
        parts.append(f"第{place.line}行")
    elif place.row:
        parts.append(f"第{place.row}行")
    return " ".join(parts)


def rule_quote(rules: Any, rule_id: str | None) -> str:
    return next((r.quote for r in rules.criteria.rules if r.id == rule_id), "")
