"""The rule files: pydantic models of criteria.yaml and titles.yaml, and how a rule set is found.

Every parameter the engine uses comes from here; no date, age or count of the notice is
written in the code.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import importlib.resources
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jzleader.errors import RuleFileError, RuleProblem
from jzleader.normalize import fold
from jzleader.yamlfile import Marks, YamlSyntaxError, load_yaml, locate, read_text

TitleLevel = Literal["正高级", "副高级", "中级", "初级"]
Education = Literal["博士研究生", "硕士研究生", "大学本科", "大学专科"]
Level = Literal["国家级", "省部级", "市厅级", "县级"]
Grade = Literal["特等奖", "一等奖", "二等奖", "三等奖"]
Category = Literal["自然科学奖", "技术发明奖", "科学技术进步奖", "社会科学优秀成果奖", "其他"]
Venue = Literal["国际", "国家级", "省部级", "市级", "其他"]
Role = Literal["主持", "主要技术负责人", "参与"]

T = TypeVar("T")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Knob(_Strict, Generic[T]):
    """One interpretation decision (DOMAIN.md): the shipped reading and the others it allows."""

    value: T  #: the reading this rule file applies
    alternatives: list[T] = []  #: the other readings (tried by `jzleader sensitivity`)
    rule: str | None = None  #: id of the criteria rule whose reading this is (required there)
    citation: str  #: the clause whose words leave room
    note: str  #: why the shipped reading was chosen


class Knobs(_Strict):
    #: 45周岁以下 includes 45 (以上、以下、以内 include the number: 民法典 第一千二百五十九条).
    age_limit_inclusive: Knob[bool]
    #: which birth date governs when the 出生日期 column and the ID number differ.
    birth_date_source: Knob[Literal["column", "id"]]
    #: a 硕士/博士 degree without graduate education (同等学力) counts as 硕士研究生以上学历.
    degree_counts_as_education: Knob[bool]
    #: 主要完成者: highest rank on the award that counts, by award level ("省部级") or
    #: level and grade ("省部级/二等奖"); an empty mapping means every person named counts.
    main_contributor_max_rank: Knob[dict[str, int]]
    #: highest author position that counts for a paper; null means no limit.
    max_author_rank: Knob[int | None]


class _Rule(_Strict):
    id: str  #: stable identifier, used in reasons and rule test cases
    citation: str  #: where in the notice: 一, 二、3, 二、4(1), 四, 五、3
    quote: str  #: the sentence of the notice, verbatim
    note: str | None = None


class ExclusionRule(_Rule):
    kind: Literal["exclusion"]
    field: Literal["holds_provincial_title", "leadership_post"]


class AgeRule(_Rule):
    kind: Literal["age"]
    cutoff: dt.date  #: age is computed on this day
    max_age: int = Field(gt=0, lt=100)
    #: a stated birth-date bound ("1973年1月1日以后出生"); when set it governs instead of max_age.
    born_on_or_after: dt.date | None = None


class QualificationRule(_Rule):
    kind: Literal["qualification"]
    min_title_level: TitleLevel
    min_education: Education


class ExemptionRule(_Rule):
    kind: Literal["exemption"]
    field: Literal["exceptional"]
    lifts: list[Literal["qualification"]]


class AwardOption(_Strict):
    categories: list[Category]
    min_level: Level
    min_grade: Grade
    count: int = Field(ge=1)


class AwardClause(_Rule):
    kind: Literal["award"]
    clause: int = Field(ge=1, le=7)
    options: list[AwardOption] = Field(min_length=1)  #: alternatives: any one suffices


class PublicationClause(_Rule):
    kind: Literal["publication"]
    clause: int = Field(ge=1, le=7)
    min_venue_level: Venue
    min_papers: int = Field(ge=1)
    own_field: bool  #: papers must be 本专业
    min_monographs: int = Field(ge=1)
    judgement: str  #: what stays with the panel (noted, not blocking)


class ProjectClause(_Rule):
    kind: Literal["project"]
    clause: int = Field(ge=1, le=7)
    min_level: Level
    roles: list[Role] = Field(min_length=1)
    judgement: str


class StatementClause(_Rule):
    kind: Literal["statement"]
    clause: int = Field(ge=1, le=7)
    judgement: str


class HonourClause(_Rule):
    kind: Literal["honour"]
    clause: int = Field(ge=1, le=7)
    fields: list[str] = Field(min_length=1)  #: 教育、卫生、文化、体育、新闻 (等: the list is open)
    min_level: Level
    judgement: str  #: the 公认骨干权威 half


class AssessmentRule(_Rule):
    kind: Literal["assessment_length"]
    max_chars: int = Field(gt=0)


class MaterialsRule(_Rule):
    kind: Literal["materials"]
    flags: list[str]


AnyRule = Annotated[
    ExclusionRule
    | AgeRule
    | QualificationRule
    | ExemptionRule
    | AwardClause
    | PublicationClause
    | ProjectClause
    | StatementClause
    | HonourClause
    | AssessmentRule
    | MaterialsRule,
    Field(discriminator="kind"),
]
ClauseRule = AwardClause | PublicationClause | ProjectClause | StatementClause | HonourClause


class Notice(_Strict):
    number: str  #: 焦人社文〔2020〕28号
    title: str
    issued: dt.date
    text: str  #: file name of the notice text, beside the rule file


class Criteria(_Strict):
    kind: Literal["criteria"]
    notice: Notice
    quotas: str | None = None  #: file name of the quota table, beside this file
    knobs: Knobs
    rules: list[AnyRule]

    def of(self, cls: type[T]) -> list[T]:
        return [r for r in self.rules if isinstance(r, cls)]

    @property
    def age(self) -> AgeRule:
        return self.of(AgeRule)[0]

    @property
    def qualification(self) -> QualificationRule:
        return self.of(QualificationRule)[0]

    def clauses(self) -> list[ClauseRule]:
        return [
            r
            for r in self.rules
            if isinstance(r, AwardClause | PublicationClause | ProjectClause | StatementClause | HonourClause)
        ]


class TitleSeries(_Strict):
    name: str
    titles: dict[TitleLevel, list[str]]


class Titles(_Strict):
    kind: Literal["titles"]
    levels: list[TitleLevel]
    series: list[TitleSeries]
    aliases: dict[str, str] = {}
    not_titles: list[str] = []


class QuotaUnit(_Strict):
    name: str  #: the canonical name, as in the attachment of the notice
    quota: int = Field(gt=0)
    aliases: list[str] = []


class QuotaGroup(_Strict):
    name: Literal["县市区", "市直单位"]
    total: int = Field(gt=0)  #: the group total the attachment declares
    units: list[QuotaUnit] = Field(min_length=1)


class Deadline(_Strict):
    date: dt.date
    citation: str
    quote: str
    consequence_quote: str


class CovidExemption(_Strict):
    citation: str
    quote: str
    note: str


class Quotas(_Strict):
    kind: Literal["quotas"]
    notice: str
    notice_text: str | None = None  #: file name of the notice text, beside this file (for the quote check)
    citation: str
    quote: str
    heading_note: str | None = None
    selection_target: int = Field(gt=0)
    selection_quote: str
    over_quota: Knob[Literal["error", "warning"]]
    deadline: Deadline
    covid_exemption: CovidExemption
    pool: str  #: the unit that takes municipal units not listed (其它)
    groups: list[QuotaGroup] = Field(min_length=1)
    total: int = Field(gt=0)

    def units(self) -> Iterator[QuotaUnit]:
        for g in self.groups:
            yield from g.units

    def group_of(self, unit: str) -> str:
        return next(g.name for g in self.groups if any(u.name == unit for u in g.units))


@dataclass(frozen=True)
class TitleMatch:
    written: str  #: as in the cell
    canonical: str | None  #: the title it was read as
    level: str | None  #: 正高级/副高级/中级/初级, None when unknown or not a title
    not_a_title: bool = False
    suggestions: tuple[str, ...] = ()


# A specialty may stand before the title (内科副主任医师); a prefix ending in one of these
# changes the title itself, so it is never stripped.
_LEVEL_PREFIX = re.compile(r"(正|副|高级|中级|初级|小学|中学|[一二三四]级|助理|见习|级|主任|主管|主治|国家)$")


class TitleBook:
    """Title -> level lookup built from a Titles file. Exact after folding; never by substring."""

    def __init__(self, titles: Titles) -> None:
        self.levels: dict[str, tuple[str, str]] = {}
        for s in titles.series:
            for level, names in s.titles.items():
                for name in names:
                    self.levels[fold(name)] = (name, level)
        for alias, target in titles.aliases.items():
            self.levels[fold(alias)] = self.levels[fold(target)]
        self.not_titles = {fold(n): n for n in titles.not_titles}
        self._by_length = sorted(self.levels, key=len, reverse=True)

    def _exact(self, key: str) -> tuple[str, str] | None:
        return self.levels.get(key)

    def lookup(self, written: str) -> TitleMatch:
        key = fold(written)
        bare = re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", key).strip("-/ ")
        for k in (key, bare):
            if k in self.not_titles:
                return TitleMatch(written, self.not_titles[k], None, not_a_title=True)
            hit = self._exact(k)
            if hit:
                return TitleMatch(written, hit[0], hit[1])
        for known in self._by_length:  # longest known title that ends the text: 内科副主任医师
            if bare.endswith(known) and len(bare) > len(known):
                prefix = bare[: -len(known)]
                if not _LEVEL_PREFIX.search(prefix):
                    name, level = self.levels[known]
                    return TitleMatch(written, name, level)
                break
        names = sorted({name for name, _ in self.levels.values()})
        close = difflib.get_close_matches(bare, names, n=3, cutoff=0.5)
        return TitleMatch(written, None, None, suggestions=tuple(close))


# --- loading -------------------------------------------------------------------------------

_ZH = {
    "missing": ("RULE_MISSING", "缺少必填项"),
    "extra_forbidden": ("RULE_UNKNOWN_KEY", "不认识的字段（可能拼写有误），请删除或改正"),
    "int_parsing": ("RULE_TYPE", "应为整数"),
    "int_type": ("RULE_TYPE", "应为整数"),
    "int_from_float": ("RULE_TYPE", "应为整数，不能有小数"),
    "bool_parsing": ("RULE_TYPE", "应为 true 或 false"),
    "bool_type": ("RULE_TYPE", "应为 true 或 false"),
    "string_type": ("RULE_TYPE", "应为文字"),
    "list_type": ("RULE_TYPE", "应为列表（每项以“- ”开头）"),
    "dict_type": ("RULE_TYPE", "应为“键: 值”形式的映射"),
    "model_type": ("RULE_TYPE", "应为“键: 值”形式的映射"),
    "model_attributes_type": ("RULE_TYPE", "应为“键: 值”形式的映射"),
    "date_parsing": ("RULE_BAD_DATE", "应为日期，如 2020-06-30"),
    "date_type": ("RULE_BAD_DATE", "应为日期，如 2020-06-30"),
    "date_from_datetime_parsing": ("RULE_BAD_DATE", "应为日期，如 2020-06-30"),
    "date_from_datetime_inexact": ("RULE_BAD_DATE", "应为日期，不带时间，如 2020-06-30"),
    "greater_than": ("RULE_RANGE", "应大于 {gt}"),
    "greater_than_equal": ("RULE_RANGE", "应不小于 {ge}"),
    "less_than": ("RULE_RANGE", "应小于 {lt}"),
    "less_than_equal": ("RULE_RANGE", "应不大于 {le}"),
    "too_short": ("RULE_RANGE", "至少需要 {min_length} 项"),
    "literal_error": ("RULE_VALUE", "应为以下之一：{expected}"),
    "union_tag_invalid": ("RULE_VALUE", "kind 应为以下之一：{expected_tags}"),
    "union_tag_not_found": ("RULE_MISSING", "缺少 kind"),
}


def field_path(loc: Sequence[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _problem_from(path: Path, marks: Marks, err: Any) -> RuleProblem:
    code, template = _ZH.get(err["type"], ("RULE_VALUE", ""))
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
        raise RuleFileError(path, [RuleProblem(str(path), None, None, "RULE_UNREADABLE", "", "找不到规则文件")]) from e
    except OSError as e:
        raise RuleFileError(path, [RuleProblem(str(path), None, None, "RULE_UNREADABLE", "", f"无法读取（{e.strerror}）")]) from e
    except UnicodeDecodeError as e:
        raise RuleFileError(path, [RuleProblem(str(path), None, None, "RULE_UNREADABLE", "", "不是 UTF-8 编码")]) from e
    try:
        data, marks = load_yaml(text)
    except YamlSyntaxError as e:
        raise RuleFileError(
            path, [RuleProblem(str(path), e.line, e.column, "RULE_SYNTAX", "", f"YAML 语法错误：{e.problem}")]
        ) from e
    try:
        return model.model_validate(data), marks
    except ValidationError as e:
        raise RuleFileError(path, [_problem_from(path, marks, err) for err in e.errors()]) from e


@dataclass(frozen=True)
class RuleSet:
    criteria: Criteria
    titles: Titles
    criteria_path: Path
    titles_path: Path
    quotas: Quotas | None = None
    quotas_path: Path | None = None
    marks: dict[str, Marks] = field(default_factory=dict)  #: per file kind, for located problems

    @functools.cached_property
    def title_book(self) -> TitleBook:
        """The title index, built once per rule set (every caller used to build its own)."""
        return TitleBook(self.titles)

    # The engine asks for the same rule lists for every candidate. They are cached here, on the
    # rule set, and not on the pydantic model: with_knob/with_rule build a new RuleSet (with an
    # empty cache) through dataclasses.replace, while pydantic's model_copy would carry a stale one.
    @functools.cached_property
    def _index(self) -> dict[type, list[Any]]:
        return {}

    def of(self, cls: type[T]) -> list[T]:
        if cls not in self._index:
            self._index[cls] = self.criteria.of(cls)
        return self._index[cls]

    @functools.cached_property
    def clauses(self) -> list[ClauseRule]:
        return self.criteria.clauses()

    @functools.cached_property
    def age(self) -> AgeRule:
        return self.criteria.age

    @functools.cached_property
    def qualification(self) -> QualificationRule:
        return self.criteria.qualification

    def with_knob(self, name: str, value: Any) -> RuleSet:
        """The same rules read another way: knob `name` set to `value`."""
        knobs = self.criteria.knobs
        knob = getattr(knobs, name).model_copy(update={"value": value})
        criteria = self.criteria.model_copy(update={"knobs": knobs.model_copy(update={name: knob})})
        return replace(self, criteria=criteria)

    def with_rule(self, rule_id: str, **update: Any) -> RuleSet:
        """The same rules with parameters of one rule changed (tests, and next-round drafts)."""
        rules = [r.model_copy(update=update) if r.id == rule_id else r for r in self.criteria.rules]
        return replace(self, criteria=self.criteria.model_copy(update={"rules": rules}))


def shipped_rules_dir() -> Path:
    """The rule files installed with the package; in an editable install, the checkout's rules/."""
    packaged = Path(str(importlib.resources.files("jzleader"))) / "rules"
    if (packaged / "criteria.yaml").is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"


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
        from jzleader.validate import static_problems

        found = static_problems(rules)
        if found:
            raise RuleFileError(criteria_path, found)
    return rules
