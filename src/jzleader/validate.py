"""Rule files checked the way code is checked (`jzleader validate-rules`).

Three layers, every problem located at file:line:column:
1. structure: the pydantic models of rules.py (types, unknown keys, dates, ranges);
2. consistency: totals, unique names and ids, one level per title, quotes found verbatim in the notice;
3. rule test cases: rules/tests/*.yaml, candidate sets with the verdicts the rules must give,
   and every rule and knob covered (each knob under both settings).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from jzleader import pipeline
from jzleader.codes import Code
from jzleader.errors import InputError, RuleFileError, RuleProblem
from jzleader.ruleset.checks import at, quotas_problems, static_problems, titles_problems
from jzleader.ruleset.core import RuleSet
from jzleader.ruleset.load import load_model, load_rules
from jzleader.ruleset.models import Quotas, Titles
from jzleader.wording import message

# --- rule test cases -------------------------------------------------------------------------------


class Expectation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    verdict: str
    codes: list[str] = []  #: codes that must be among the candidate's reasons
    not_codes: list[str] = []  #: codes that must not be
    clauses_met: list[int] | None = None


class CaseFile(BaseModel):
    """A rule test case: the same YAML as `check` takes, plus what the rules must decide."""

    model_config = ConfigDict(extra="allow")  # candidates, units, ... are read by the check loader
    description: str
    covers: list[str]  #: rule ids and knob names this case exercises
    knobs: dict[str, Any] = {}  #: knob settings for this case (the other readings)
    expected: list[Expectation]


@dataclass
class CaseRun:
    path: Path
    passed: int = 0
    problems: list[RuleProblem] = field(default_factory=list)


def run_case(rules: RuleSet, path: Path) -> tuple[CaseFile | None, CaseRun]:
    run = CaseRun(path)
    try:
        case, marks = load_model(path, CaseFile)
    except RuleFileError as e:
        run.problems.extend(e.records)
        return None, run
    knobs = set(type(rules.criteria.knobs).model_fields)
    readings = rules
    for name, value in case.knobs.items():
        if name not in knobs:
            run.problems.append(at(path, marks, ("knobs", name), Code.RULE_VALUE, f"没有名为“{name}”的口径"))
            continue
        readings = readings.with_knob(name, value)
    try:
        result = pipeline.check([path], readings)
    except InputError as e:
        run.problems.append(RuleProblem(str(path), None, None, Code.RULE_CASE_FAILED, "", e.message))
        return case, run
    by_name = {v.candidate.name: v for v in result.verdicts}
    for i, exp in enumerate(case.expected):
        loc = ("expected", i)
        unknown = [c for c in [*exp.codes, *exp.not_codes] if c not in Code.__members__]
        if unknown:
            run.problems.append(at(path, marks, loc, Code.RULE_VALUE, f"没有这些原因代码：{'、'.join(unknown)}"))
            continue
        v = by_name.get(exp.name)
        if v is None:
            run.problems.append(at(path, marks, loc, Code.RULE_CASE_FAILED, f"用例中没有名为“{exp.name}”的人选"))
            continue
        got = {r.code.name for r in v.reasons}
        wrong = []
        if v.verdict != exp.verdict:
            wrong.append(f"结论应为 {exp.verdict}，实际为 {v.verdict}")
        if missing := [c for c in exp.codes if c not in got]:
            wrong.append(f"缺少原因 {'、'.join(missing)}")
        if extra := [c for c in exp.not_codes if c in got]:
            wrong.append(f"不应有原因 {'、'.join(extra)}")
        if exp.clauses_met is not None and exp.clauses_met != v.clauses_met:
            wrong.append(f"符合条款应为 {exp.clauses_met}，实际为 {v.clauses_met}")
        if wrong:
            decided = "；".join(message(r) for r in v.reasons[:2])
            failure = f"{exp.name}：{'，'.join(wrong)}（实际原因：{decided}）"
            run.problems.append(at(path, marks, loc, Code.RULE_CASE_FAILED, failure))
        else:
            run.passed += 1
    return case, run


def coverage_problems(rules: RuleSet, cases: Iterable[tuple[Path, CaseFile]]) -> Iterator[RuleProblem]:
    """Every rule id and every knob is exercised; every knob under its default and another reading."""
    cases = list(cases)
    ids = {r.id for r in rules.criteria.rules}
    knob_names = set(type(rules.criteria.knobs).model_fields)
    covered: set[str] = set()
    changed: set[str] = set()
    default: set[str] = set()
    for path, case in cases:
        for name in case.covers:
            if name not in ids | knob_names:
                yield RuleProblem(str(path), None, None, Code.RULE_VALUE, "covers", f"没有 id 为“{name}”的规则或口径")
            covered.add(name)
            (changed if name in case.knobs else default).add(name)
    marks = rules.marks.get("criteria", {})
    path = rules.criteria_path
    for i, rule in enumerate(rules.criteria.rules):
        if rule.id not in covered:
            yield at(
                path, marks, ("rules", i, "id"), Code.RULE_NOT_COVERED, f"规则“{rule.id}”没有测试用例（tests/*.yaml 的 covers）"
            )
    for name in sorted(knob_names):
        for settings, label in ((default, "默认口径"), (changed, "另一种口径")):
            if name not in settings:
                yield at(path, marks, ("knobs", name), Code.RULE_NOT_COVERED, f"口径“{name}”在{label}下没有测试用例")


@dataclass
class Validation:
    problems: list[RuleProblem] = field(default_factory=list)
    cases: list[CaseRun] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  #: what was validated, for the summary

    @property
    def passed(self) -> int:
        return sum(run.passed for run in self.cases)

    @property
    def failed(self) -> int:
        return sum(1 for p in self.problems if p.code is Code.RULE_CASE_FAILED)


def _kind_of(path: Path) -> str | None:
    try:
        head = path.read_text(encoding="utf-8-sig")[:4000]
    except (OSError, UnicodeDecodeError):
        return None
    m = re.search(r"^kind:\s*(\w+)", head, re.MULTILINE)
    return m.group(1) if m else None


def validate(paths: list[Path]) -> Validation:
    """Validate rule sets (directories) or single rule files. Unreadable files raise RuleFileError."""
    out = Validation()
    for path in paths:
        if not path.exists():
            raise RuleFileError(path, [RuleProblem(str(path), None, None, Code.RULE_UNREADABLE, "", "找不到规则文件或目录")])
        if path.is_dir() or _kind_of(path) == "criteria":
            _validate_set(path, out)
            continue
        kind = _kind_of(path)
        if kind not in ("titles", "quotas"):
            out.problems.append(
                RuleProblem(str(path), 1, 1, Code.RULE_VALUE, "kind", "规则文件应以 kind: criteria / titles / quotas 开头")
            )
            continue
        out.checked.append(str(path))
        try:
            if kind == "titles":
                titles, marks = load_model(path, Titles)
                out.problems.extend(titles_problems(titles, path, marks))
            else:
                quotas, marks = load_model(path, Quotas)
                out.problems.extend(quotas_problems(quotas, path, marks))
        except RuleFileError as e:
            _unreadable(e)
            out.problems.extend(e.records)
    return out


def _unreadable(e: RuleFileError) -> None:
    """A file that is not YAML at all (or missing) stops the run: exit 2, with the line."""
    if any(p.code in (Code.RULE_SYNTAX, Code.RULE_UNREADABLE) for p in e.records):
        raise e


def _validate_set(path: Path, out: Validation) -> None:
    out.checked.append(str(path))
    try:
        rules = load_rules(path, check=False)
    except RuleFileError as e:
        _unreadable(e)
        out.problems.extend(e.records)
        return
    out.problems.extend(static_problems(rules))
    tests = sorted((rules.criteria_path.parent / "tests").glob("*.yaml"))
    cases = []
    for test in tests:
        case, run = run_case(rules, test)
        out.cases.append(run)
        out.problems.extend(run.problems)
        if case is not None:
            cases.append((test, case))
    out.problems.extend(coverage_problems(rules, cases))
