"""Rule files checked the way code is checked (`jzleader validate-rules`).

Three layers, every problem located at file:line:column:
1. structure: the pydantic models of rules.py (types, unknown keys, dates, ranges);
2. consistency: totals, unique names and ids, one level per title, quotes found verbatim in the notice;
3. rule test cases: rules/tests/*.yaml, candidate sets with the verdicts the rules must give,
   and every rule and knob covered (each knob under both settings).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from jzleader.codes import Code
from jzleader.errors import InputError, RuleFileError, RuleProblem
from jzleader.normalize import fold
from jzleader.rules import Criteria, Quotas, RuleSet, Titles, field_path, load_model, load_rules
from jzleader.yamlfile import Marks, locate

_CITATION = re.compile(r"^[一二三四五六七八九十]+(、\d+(\(\d+\))?)?$")
_PUNCT = str.maketrans({"，": ",", "。": ".", "；": ";", "：": ":", "（": "(", "）": ")", "“": '"', "”": '"', "、": ","})


def fold_quote(text: str) -> str:
    """Compare quotes after folding line breaks, spaces and full-/half-width punctuation."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(_PUNCT))


def _at(path: Path, marks: Marks, loc: tuple[Any, ...], code: str, message: str) -> RuleProblem:
    line, column = locate(marks, loc)
    return RuleProblem(str(path), line, column, code, field_path(loc), message)


def _notice(path: Path, name: str | None, marks: Marks, loc: tuple[Any, ...]) -> tuple[str | None, list[RuleProblem]]:
    if not name:
        return None, []
    text_path = path.parent / name
    try:
        return fold_quote(text_path.read_text(encoding="utf-8-sig")), []
    except OSError:
        return None, [_at(path, marks, loc, "RULE_MISSING", f"找不到通知原文文件 {text_path}（应与规则文件放在一起）")]


def criteria_problems(c: Criteria, path: Path, marks: Marks) -> Iterator[RuleProblem]:
    notice, missing = _notice(path, c.notice.text, marks, ("notice", "text"))
    yield from missing
    seen: dict[str, int] = {}
    clauses: dict[int, int] = {}
    for i, rule in enumerate(c.rules):
        if rule.id in seen:
            yield _at(
                path, marks, ("rules", i, "id"), "RULE_DUPLICATE_ID", f"规则 id“{rule.id}”与第{seen[rule.id] + 1}条规则重复"
            )
        seen.setdefault(rule.id, i)
        clause = getattr(rule, "clause", None)
        if clause is not None:
            if clause in clauses:
                yield _at(path, marks, ("rules", i, "clause"), "RULE_DUPLICATE_ID", f"二、4 第{clause}项已由另一条规则表示")
            clauses.setdefault(clause, i)
        if not _CITATION.match(fold(rule.citation).replace("(", "(")):
            yield _at(
                path,
                marks,
                ("rules", i, "citation"),
                "RULE_BAD_CITATION",
                f"条款编号“{rule.citation}”的格式应如 一、二、3、二、4(1)",
            )
        if notice is not None and fold_quote(rule.quote) not in notice:
            yield _at(path, marks, ("rules", i, "quote"), "RULE_MISQUOTED", "引用的句子在通知原文中找不到，请逐字复制原文")
    for name in type(c.knobs).model_fields:
        knob = getattr(c.knobs, name)
        if knob.rule is None:
            yield _at(path, marks, ("knobs", name), "RULE_MISSING", "缺少 rule：这个口径解释的是哪条规则")
        elif knob.rule not in seen:
            yield _at(path, marks, ("knobs", name, "rule"), "RULE_VALUE", f"没有 id 为“{knob.rule}”的规则")
    for kind in ("age", "qualification"):
        if sum(r.kind == kind for r in c.rules) != 1:
            yield _at(path, marks, ("rules",), "RULE_MISSING", f"必须有且只有一条 kind: {kind} 的规则")
    ages = [(i, r) for i, r in enumerate(c.rules) if r.kind == "age"]
    for i, rule in ages:
        bound = getattr(rule, "born_on_or_after", None)
        if bound is not None and bound >= rule.cutoff:
            yield _at(path, marks, ("rules", i, "born_on_or_after"), "RULE_RANGE", "出生日期界限应早于年龄计算截止日期")


def titles_problems(t: Titles, path: Path, marks: Marks) -> Iterator[RuleProblem]:
    seen: dict[str, str] = {}
    for i, series in enumerate(t.series):
        for level, names in series.titles.items():
            for j, name in enumerate(names):
                first = seen.setdefault(fold(name), level)
                if first != level:
                    yield _at(path, marks, ("series", i, "titles", level, j), "RULE_TITLE_LEVELS",
                              f"职称“{name}”同时列为{first}和{level}，每个职称只能有一个级别")  # fmt: skip
    for j, name in enumerate(t.not_titles):
        if fold(name) in seen:
            yield _at(path, marks, ("not_titles", j), "RULE_TITLE_LEVELS", f"“{name}”既在职称表中又列为非职称")
    for alias, target in t.aliases.items():
        if fold(target) not in seen:
            yield _at(path, marks, ("aliases", alias), "RULE_VALUE", f"别名指向的“{target}”不在职称表中")


def quotas_problems(q: Quotas, path: Path, marks: Marks) -> Iterator[RuleProblem]:
    for i, group in enumerate(q.groups):
        total = sum(u.quota for u in group.units)
        if total != group.total:
            yield _at(path, marks, ("groups", i, "total"), "RULE_WRONG_TOTAL",
                      f"{group.name}各单位指标之和为{total}，与此处的合计{group.total}不符")  # fmt: skip
    grand = sum(g.total for g in q.groups)
    if grand != q.total:
        yield _at(path, marks, ("total",), "RULE_WRONG_TOTAL", f"各组合计之和为{grand}，与总数{q.total}不符")
    owners: dict[str, str] = {}
    for i, group in enumerate(q.groups):
        for j, unit in enumerate(group.units):
            names: list[tuple[tuple[Any, ...], str]] = [(("groups", i, "units", j, "name"), unit.name)]
            names += [(("groups", i, "units", j, "aliases", k), a) for k, a in enumerate(unit.aliases)]
            for loc, name in names:
                owner = owners.setdefault(fold(name), unit.name)
                if owner != unit.name:
                    yield _at(path, marks, loc, "RULE_ALIAS_COLLISION", f"名称“{name}”已属于{owner}，单位名称和别名不能重复")
    if q.pool not in {u.name for u in q.units()}:
        yield _at(path, marks, ("pool",), "RULE_VALUE", f"指标池“{q.pool}”不在指标表中")
    if q.deadline.date.year < 1990:
        yield _at(path, marks, ("deadline", "date"), "RULE_BAD_DATE", "截止日期不合理")
    notice, missing = _notice(path, q.notice_text, marks, ("notice_text",))
    yield from missing
    if notice is not None:
        quoted: list[tuple[tuple[Any, ...], str]] = [(("quote",), q.quote), (("selection_quote",), q.selection_quote),
                  (("deadline", "quote"), q.deadline.quote), (("deadline", "consequence_quote"), q.deadline.consequence_quote),
                  (("covid_exemption", "quote"), q.covid_exemption.quote)]  # fmt: skip
        for loc, quote in quoted:
            if fold_quote(quote) not in notice:
                yield _at(path, marks, loc, "RULE_MISQUOTED", "引用的句子在通知原文中找不到，请逐字复制原文")


def static_problems(rules: RuleSet) -> list[RuleProblem]:
    out = list(criteria_problems(rules.criteria, rules.criteria_path, rules.marks.get("criteria", {})))
    out += titles_problems(rules.titles, rules.titles_path, rules.marks.get("titles", {}))
    if rules.quotas is not None and rules.quotas_path is not None:
        out += quotas_problems(rules.quotas, rules.quotas_path, rules.marks.get("quotas", {}))
    return out


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
    from jzleader.check import run_check

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
            run.problems.append(_at(path, marks, ("knobs", name), "RULE_VALUE", f"没有名为“{name}”的口径"))
            continue
        readings = readings.with_knob(name, value)
    try:
        result = run_check([path], readings)
    except InputError as e:
        run.problems.append(RuleProblem(str(path), None, None, "RULE_CASE_FAILED", "", e.message))
        return case, run
    by_name = {v.candidate.name: v for v in result.verdicts}
    for i, exp in enumerate(case.expected):
        loc = ("expected", i)
        unknown = [c for c in [*exp.codes, *exp.not_codes] if c not in Code.__members__]
        if unknown:
            run.problems.append(_at(path, marks, loc, "RULE_VALUE", f"没有这些原因代码：{'、'.join(unknown)}"))
            continue
        v = by_name.get(exp.name)
        if v is None:
            run.problems.append(_at(path, marks, loc, "RULE_CASE_FAILED", f"用例中没有名为“{exp.name}”的人选"))
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
            decided = "；".join(r.message() for r in v.reasons[:2])
            message = f"{exp.name}：{'，'.join(wrong)}（实际原因：{decided}）"
            run.problems.append(_at(path, marks, loc, "RULE_CASE_FAILED", message))
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
                yield RuleProblem(str(path), None, None, "RULE_VALUE", "covers", f"没有 id 为“{name}”的规则或口径")
            covered.add(name)
            (changed if name in case.knobs else default).add(name)
    marks = rules.marks.get("criteria", {})
    path = rules.criteria_path
    for i, rule in enumerate(rules.criteria.rules):
        if rule.id not in covered:
            yield _at(
                path, marks, ("rules", i, "id"), "RULE_NOT_COVERED", f"规则“{rule.id}”没有测试用例（tests/*.yaml 的 covers）"
            )
    for name in sorted(knob_names):
        for settings, label in ((default, "默认口径"), (changed, "另一种口径")):
            if name not in settings:
                yield _at(path, marks, ("knobs", name), "RULE_NOT_COVERED", f"口径“{name}”在{label}下没有测试用例")


@dataclass
class Validation:
    problems: list[RuleProblem] = field(default_factory=list)
    cases: list[CaseRun] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  #: what was validated, for the summary


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
            raise RuleFileError(path, [RuleProblem(str(path), None, None, "RULE_UNREADABLE", "", "找不到规则文件或目录")])
        if path.is_dir() or _kind_of(path) == "criteria":
            _validate_set(path, out)
            continue
        kind = _kind_of(path)
        if kind not in ("titles", "quotas"):
            out.problems.append(
                RuleProblem(str(path), 1, 1, "RULE_VALUE", "kind", "规则文件应以 kind: criteria / titles / quotas 开头")
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
    if any(p.code in ("RULE_SYNTAX", "RULE_UNREADABLE") for p in e.records):
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
