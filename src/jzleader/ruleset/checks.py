"""Consistency checks of a rule set that its models cannot express: unique ids and names, totals,
one level per title, quotes found verbatim in the notice. Run whenever rules are loaded, and by
`validate-rules`. Every problem is located at file:line:column.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from jzleader.codes import Code
from jzleader.errors import RuleProblem
from jzleader.ruleset.core import RuleSet
from jzleader.ruleset.models import Criteria, Quotas, Titles
from jzleader.values import fold
from jzleader.yamlfile import Marks, locate


def field_path(loc: Sequence[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_CITATION = re.compile(r"^[一二三四五六七八九十]+(、\d+(\(\d+\))?)?$")
_PUNCT = str.maketrans({"，": ",", "。": ".", "；": ";", "：": ":", "（": "(", "）": ")", "“": '"', "”": '"', "、": ","})


def fold_quote(text: str) -> str:
    """Compare quotes after folding line breaks, spaces and full-/half-width punctuation."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(_PUNCT))


def at(path: Path, marks: Marks, loc: tuple[Any, ...], code: Code, message: str) -> RuleProblem:
    line, column = locate(marks, loc)
    return RuleProblem(str(path), line, column, code, field_path(loc), message)


def _notice(path: Path, name: str | None, marks: Marks, loc: tuple[Any, ...]) -> tuple[str | None, list[RuleProblem]]:
    if not name:
        return None, []
    text_path = path.parent / name
    try:
        return fold_quote(text_path.read_text(encoding="utf-8-sig")), []
    except OSError:
        return None, [at(path, marks, loc, Code.RULE_MISSING, f"找不到通知原文文件 {text_path}（应与规则文件放在一起）")]


def criteria_problems(c: Criteria, path: Path, marks: Marks) -> Iterator[RuleProblem]:
    notice, missing = _notice(path, c.notice.text, marks, ("notice", "text"))
    yield from missing
    seen: dict[str, int] = {}
    clauses: dict[int, int] = {}
    for i, rule in enumerate(c.rules):
        if rule.id in seen:
            yield at(
                path, marks, ("rules", i, "id"), Code.RULE_DUPLICATE_ID, f"规则 id“{rule.id}”与第{seen[rule.id] + 1}条规则重复"
            )
        seen.setdefault(rule.id, i)
        clause = getattr(rule, "clause", None)
        if clause is not None:
            if clause in clauses:
                yield at(path, marks, ("rules", i, "clause"), Code.RULE_DUPLICATE_ID, f"二、4 第{clause}项已由另一条规则表示")
            clauses.setdefault(clause, i)
        if not _CITATION.match(fold(rule.citation).replace("(", "(")):
            yield at(
                path,
                marks,
                ("rules", i, "citation"),
                Code.RULE_BAD_CITATION,
                f"条款编号“{rule.citation}”的格式应如 一、二、3、二、4(1)",
            )
        if notice is not None and fold_quote(rule.quote) not in notice:
            yield at(path, marks, ("rules", i, "quote"), Code.RULE_MISQUOTED, "引用的句子在通知原文中找不到，请逐字复制原文")
    for name in type(c.knobs).model_fields:
        knob = getattr(c.knobs, name)
        if knob.rule is None:
            yield at(path, marks, ("knobs", name), Code.RULE_MISSING, "缺少 rule：这个口径解释的是哪条规则")
        elif knob.rule not in seen:
            yield at(path, marks, ("knobs", name, "rule"), Code.RULE_VALUE, f"没有 id 为“{knob.rule}”的规则")
        if knob.readings and len(knob.readings) != 1 + len(knob.alternatives):
            yield at(
                path, marks, ("knobs", name, "readings"), Code.RULE_VALUE,
                f"readings 应有 {1 + len(knob.alternatives)} 项：先写 value 的说法，再依次写每个 alternatives 的说法",
            )  # fmt: skip
    for kind in ("age", "qualification"):
        if sum(r.kind == kind for r in c.rules) != 1:
            yield at(path, marks, ("rules",), Code.RULE_MISSING, f"必须有且只有一条 kind: {kind} 的规则")
    ages = [(i, r) for i, r in enumerate(c.rules) if r.kind == "age"]
    for i, rule in ages:
        bound = getattr(rule, "born_on_or_after", None)
        if bound is not None and bound >= rule.cutoff:
            yield at(path, marks, ("rules", i, "born_on_or_after"), Code.RULE_RANGE, "出生日期界限应早于年龄计算截止日期")


def titles_problems(t: Titles, path: Path, marks: Marks) -> Iterator[RuleProblem]:
    seen: dict[str, str] = {}
    for i, series in enumerate(t.series):
        for level, names in series.titles.items():
            for j, name in enumerate(names):
                first = seen.setdefault(fold(name), level)
                if first != level:
                    yield at(path, marks, ("series", i, "titles", level, j), Code.RULE_TITLE_LEVELS,
                              f"职称“{name}”同时列为{first}和{level}，每个职称只能有一个级别")  # fmt: skip
    for j, name in enumerate(t.not_titles):
        if fold(name) in seen:
            yield at(path, marks, ("not_titles", j), Code.RULE_TITLE_LEVELS, f"“{name}”既在职称表中又列为非职称")
    for alias, target in t.aliases.items():
        if fold(target) not in seen:
            yield at(path, marks, ("aliases", alias), Code.RULE_VALUE, f"别名指向的“{target}”不在职称表中")


def quotas_problems(q: Quotas, path: Path, marks: Marks) -> Iterator[RuleProblem]:
    for i, group in enumerate(q.groups):
        total = sum(u.quota for u in group.units)
        if total != group.total:
            yield at(path, marks, ("groups", i, "total"), Code.RULE_WRONG_TOTAL,
                      f"{group.name}各单位指标之和为{total}，与此处的合计{group.total}不符")  # fmt: skip
    grand = sum(g.total for g in q.groups)
    if grand != q.total:
        yield at(path, marks, ("total",), Code.RULE_WRONG_TOTAL, f"各组合计之和为{grand}，与总数{q.total}不符")
    owners: dict[str, str] = {}
    for i, group in enumerate(q.groups):
        for j, unit in enumerate(group.units):
            names: list[tuple[tuple[Any, ...], str]] = [(("groups", i, "units", j, "name"), unit.name)]
            names += [(("groups", i, "units", j, "aliases", k), a) for k, a in enumerate(unit.aliases)]
            for loc, name in names:
                owner = owners.setdefault(fold(name), unit.name)
                if owner != unit.name:
                    yield at(path, marks, loc, Code.RULE_ALIAS_COLLISION, f"名称“{name}”已属于{owner}，单位名称和别名不能重复")
    if q.pool not in {u.name for u in q.units()}:
        yield at(path, marks, ("pool",), Code.RULE_VALUE, f"指标池“{q.pool}”不在指标表中")
    if q.deadline.date.year < 1990:
        yield at(path, marks, ("deadline", "date"), Code.RULE_BAD_DATE, "截止日期不合理")
    notice, missing = _notice(path, q.notice_text, marks, ("notice_text",))
    yield from missing
    if notice is not None:
        quoted: list[tuple[tuple[Any, ...], str]] = [(("quote",), q.quote), (("selection_quote",), q.selection_quote),
                  (("deadline", "quote"), q.deadline.quote), (("deadline", "consequence_quote"), q.deadline.consequence_quote),
                  (("covid_exemption", "quote"), q.covid_exemption.quote)]  # fmt: skip
        for loc, quote in quoted:
            if fold_quote(quote) not in notice:
                yield at(path, marks, loc, Code.RULE_MISQUOTED, "引用的句子在通知原文中找不到，请逐字复制原文")


def static_problems(rules: RuleSet) -> list[RuleProblem]:
    out = list(criteria_problems(rules.criteria, rules.criteria_path, rules.marks.get("criteria", {})))
    out += titles_problems(rules.titles, rules.titles_path, rules.marks.get("titles", {}))
    if rules.quotas is not None and rules.quotas_path is not None:
        out += quotas_problems(rules.quotas, rules.quotas_path, rules.marks.get("quotas", {}))
    return out
