"""How a rule set is found and loaded: every problem of a rule file at once, located at line and column."""

from __future__ import annotations

import datetime as dt
import importlib.resources
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from jzleader.codes import Code
from jzleader.errors import RuleFileError, RuleProblem
from jzleader.ruleset.checks import field_path, static_problems
from jzleader.ruleset.core import RuleSet
from jzleader.ruleset.models import Criteria, Quotas, Titles
from jzleader.yamlfile import Marks, YamlSyntaxError, load_yaml, locate, read_text

_ZH = {
    "missing": (Code.RULE_MISSING, "缺少必填项"),
    "extra_forbidden": (Code.RULE_UNKNOWN_KEY, "不认识的字段（可能拼写有误），请删除或改正"),
    "int_parsing": (Code.RULE_TYPE, "应为整数"),
    "int_type": (Code.RULE_TYPE, "应为整数"),
    "int_from_float": (Code.RULE_TYPE, "应为整数，不能有小数"),
    "bool_parsing": (Code.RULE_TYPE, "应为 true 或 false"),
    "bool_type": (Code.RULE_TYPE, "应为 true 或 false"),
    "string_type": (Code.RULE_TYPE, "应为文字"),
    "list_type": (Code.RULE_TYPE, "应为列表（每项以“- ”开头）"),
    "dict_type": (Code.RULE_TYPE, "应为“键: 值”形式的映射"),
    "model_type": (Code.RULE_TYPE, "应为“键: 值”形式的映射"),
    "model_attributes_type": (Code.RULE_TYPE, "应为“键: 值”形式的映射"),
    "date_parsing": (Code.RULE_BAD_DATE, "应为日期，如 2020-06-30"),
    "date_type": (Code.RULE_BAD_DATE, "应为日期，如 2020-06-30"),
    "date_from_datetime_parsing": (Code.RULE_BAD_DATE, "应为日期，如 2020-06-30"),
    "date_from_datetime_inexact": (Code.RULE_BAD_DATE, "应为日期，不带时间，如 2020-06-30"),
    "greater_than": (Code.RULE_RANGE, "应大于 {gt}"),
    "greater_than_equal": (Code.RULE_RANGE, "应不小于 {ge}"),
    "less_than": (Code.RULE_RANGE, "应小于 {lt}"),
    "less_than_equal": (Code.RULE_RANGE, "应不大于 {le}"),
    "too_short": (Code.RULE_RANGE, "至少需要 {min_length} 项"),
    "literal_error": (Code.RULE_VALUE, "应为以下之一：{expected}"),
    "union_tag_invalid": (Code.RULE_VALUE, "kind 应为以下之一：{expected_tags}"),
    "union_tag_not_found": (Code.RULE_MISSING, "缺少 kind"),
}


def _problem_from(path: Path, marks: Marks, err: Any) -> RuleProblem:
    code, template = _ZH.get(err["type"], (Code.RULE_VALUE, ""))
    ctx = err.get("ctx") or {}
    try:
        message = template.format(**ctx) if template else str(err["msg"]).removeprefix("Value error, ")
    except (KeyError, IndexError):
        message = template
    value = err.get("input")
    if err["type"] not in ("missing", "union_tag_not_found") and isinstance(value, str | int | float | dt.date):
        message += f"，现为“{value}”"
    where = tuple(err["loc"])
    if err["type"].startswith("union_tag"):
        where = (*where, "kind")  # point at the kind: line, not at the start of the rule
    loc = [p for p in where if not isinstance(p, str) or p in _known_parts(marks, where)]
    line, column = locate(marks, where)
    return RuleProblem(str(path), line, column, code, field_path(loc), message)


def _known_parts(marks: Marks, loc: Sequence[Any]) -> set[str]:
    """Parts of a pydantic location that are keys of the file (not a discriminated union's tag)."""
    known: set[str] = set()
    path: tuple[Any, ...] = ()
    for part in loc:
        if (*path, part) in marks:
            path = (*path, part)
            if isinstance(part, str):
                known.add(part)
    if loc and isinstance(loc[-1], str):
        known.add(loc[-1])  # a missing or unknown key is named even though it is not (rightly) there
    return known


ModelT = TypeVar("ModelT", bound=BaseModel)


def load_model(path: Path, model: type[ModelT]) -> tuple[ModelT, Marks]:
    """Parse and validate one rule file; every problem at once, located, or RuleFileError."""
    try:
        text = read_text(path)
    except FileNotFoundError as e:
        raise RuleFileError(path, [RuleProblem(str(path), None, None, Code.RULE_UNREADABLE, "", "找不到规则文件")]) from e
    except OSError as e:
        problem = RuleProblem(str(path), None, None, Code.RULE_UNREADABLE, "", f"无法读取（{e.strerror}）")
        raise RuleFileError(path, [problem]) from e
    except UnicodeDecodeError as e:
        raise RuleFileError(path, [RuleProblem(str(path), None, None, Code.RULE_UNREADABLE, "", "不是 UTF-8 编码")]) from e
    try:
        data, marks = load_yaml(text)
    except YamlSyntaxError as e:
        raise RuleFileError(
            path, [RuleProblem(str(path), e.line, e.column, Code.RULE_SYNTAX, "", f"YAML 语法错误：{e.problem}")]
        ) from e
    try:
        return model.model_validate(data), marks
    except ValidationError as e:
        raise RuleFileError(path, [_problem_from(path, marks, err) for err in e.errors()]) from e


def shipped_rules_dir() -> Path:
    """The rule files installed with the package; in an editable install, the checkout's rules/."""
    packaged = Path(str(importlib.resources.files("jzleader"))) / "rules"
    if (packaged / "criteria.yaml").is_file():
        return packaged
    return Path(__file__).resolve().parents[3] / "rules"


def load_rules(path: Path | None = None, *, check: bool = True) -> RuleSet:
    """Load a rule set: a directory holding criteria.yaml (and titles.yaml), or a criteria file.

    A titles.yaml missing beside a given criteria file is taken from the shipped rules. The quota
    file is the one the criteria file names. With `check`, the consistency checks of validate.py
    run too, so a rule set that contradicts itself or misquotes the notice is never used.
    """
    base = shipped_rules_dir()
    if path is None:
        criteria_path = base / "criteria.yaml"
    elif path.is_dir():
        criteria_path = path / "criteria.yaml"
    else:
        criteria_path = path
    titles_path = criteria_path.parent / "titles.yaml"
    if not titles_path.is_file():
        titles_path = base / "titles.yaml"
    problems: list[RuleProblem] = []
    loaded: dict[str, Any] = {}
    for kind, file, model in (("criteria", criteria_path, Criteria), ("titles", titles_path, Titles)):
        try:
            loaded[kind] = load_model(file, model)
        except RuleFileError as e:
            problems.extend(e.records)
    criteria = loaded.get("criteria", (None,))[0]
    quotas_path = criteria_path.parent / criteria.quotas if criteria and criteria.quotas else None
    if quotas_path is not None:
        try:
            loaded["quotas"] = load_model(quotas_path, Quotas)
        except RuleFileError as e:
            problems.extend(e.records)
    if problems:
        raise RuleFileError(criteria_path, problems)
    rules = RuleSet(
        loaded["criteria"][0],
        loaded["titles"][0],
        criteria_path,
        titles_path,
        loaded["quotas"][0] if "quotas" in loaded else None,
        quotas_path,
        {kind: marks for kind, (_, marks) in loaded.items()},
    )
    if check:
        found = static_problems(rules)
        if found:
            raise RuleFileError(criteria_path, found)
    return rules
