"""The rule files as pydantic models: criteria.yaml, titles.yaml and the quota table.

Every parameter the engine uses comes from here; no date, age or count of the notice is
written in the code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

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
    #: what the question is, in the officers' words ("45周岁以下是否包括45周岁"); the setting's name otherwise
    label: str | None = None
    #: each reading in words, the shipped one first, then the alternatives in their order ("包括45周岁", ...)
    readings: list[str] = []


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
