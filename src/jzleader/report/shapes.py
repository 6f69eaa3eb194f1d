"""The JSON documents of `check`, `quota-report` and `sensitivity` as typed models: what scripts may rely on.

jsondoc.py writes the documents (as plain dicts, which is fast); these models describe them, and
`jzleader schema check-output|quota-output|sensitivity-output` prints their JSON Schemas. The tests validate the
real outputs against those schemas, so a field written but not described here, or described but not written,
fails them. Fields may be added (raise FORMAT_VERSION's minor number), never renamed or dropped.

A run that produced nothing (every file unusable, a bad rule file, an internal error) writes the same
document with empty lists and its `errors`: the fields such a document lacks are optional here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field

from jzleader.codes import Code, Severity
from jzleader.model import Verdict
from jzleader.report.jsondoc import FORMAT_VERSION

Status = Literal["ok", "findings", "unusable", "error"]
if TYPE_CHECKING:
    CodeName: TypeAlias = str
    SeverityName: TypeAlias = str
    VerdictName: TypeAlias = str
else:  # the enums' own values, so that the schemas list them (made here, never written twice)
    CodeName = Literal[tuple(c.name for c in Code)]
    SeverityName = Literal[tuple(s.value for s in Severity)]
    VerdictName = Literal[tuple(v.value for v in Verdict)]


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Reason(_Doc):
    """One finding, with the cell (workbook) or line (YAML) it is about."""

    code: CodeName = Field(description="原因代码（jzleader codes 列出全部）")
    clause: str = Field(description="依据的通知条款，如“二、3”；空串表示不对应某一条款")
    message: str = Field(description="给人读的说明（--lang 的语言）")
    severity: SeverityName
    field: str | None = Field(description="所涉字段（契约中的英文名）")
    file: str | None = Field(description="文件（身份证号打码）")
    sheet: str | None
    cell: str | None = Field(description="A1 形式的单元格")
    row: int | None
    line: int | None = Field(description="YAML 文件的行号")


class Error(_Doc):
    """A file that could not be used (the run goes on with the others; exit 2)."""

    file: str | None
    message: str


class Candidate(_Doc):
    row: int | None = Field(description="候选人所在行（工作表行号或 YAML 中的序号）")
    name: str
    unit: str = Field(description="推荐单位")
    verdict: VerdictName
    verdict_zh: str = Field(description="符合 / 待核实 / 不符合")
    clauses_met: list[int] = Field(description="符合的第二条第4款各项（1–7）")
    reasons: list[Reason]
    file: str | None
    sheet: str | None
    id_number: str = Field(description="身份证号（默认打码；--show-id 时完整）")
    age: str | None = Field(description="截止日周岁；出生年月有两种读法时为两个年龄，如“40或41”")
    title: str | None
    title_level: str | None
    education: str | None


class Summary(_Doc):
    eligible: int
    review: int
    ineligible: int


class Rules(_Doc):
    criteria: str
    titles: str
    notice: str = Field(description="通知文号")
    cutoff: str = Field(description="年龄计算截止日期（ISO 8601）")


class _Envelope(_Doc):
    """What every document has: its version, the run's status, the files that could not be used."""

    format_version: str = Field(
        description=f"文档格式版本（现为 {FORMAT_VERSION}）：增加字段时升次版本号，字段从不改名或删除", examples=[FORMAT_VERSION]
    )
    status: Status = Field(description="与退出状态对应：ok 0, findings 1, unusable 2, error 3")
    errors: list[Error]


class CheckDocument(_Envelope):
    """`jzleader check --format json`."""

    model_config = ConfigDict(title="jzleader check --format json")
    candidates: list[Candidate]
    summary: Summary
    problems: list[Reason] = Field(description="不属于某个候选人的问题（表格、文件层面）")
    files: list[str]
    rules: Rules | None = None


class Totals(_Doc):
    quota: int
    recommended: int
    exempt: int
    counted: int
    over: int


class Unit(_Doc):
    unit: str
    group: str
    quota: int
    recommended: int
    exempt: int = Field(description="疫情防控突出贡献、不占指标的人数")
    counted: int = Field(description="占用指标的人数")
    over: int = Field(description="超出指标的人数")
    late: bool = Field(description="逾期报送")
    forfeited: list[str] = Field(description="逾期报送视为放弃的人选")
    submitted: str | None = Field(description="报送日期（ISO 8601）")
    names: list[str]
    exempt_names: list[str]
    pooled_units: list[str] = Field(description="合并计算指标的单位")
    ineligible_names: list[str] = Field(description="占用指标、结论为不符合的人选")
    over_after_ineligible: int = Field(description="去掉不符合的人选后仍超出指标的人数（须再减少的人数）")


class QuotaDocument(_Envelope):
    """`jzleader quota-report --format json`."""

    model_config = ConfigDict(title="jzleader quota-report --format json")
    units: list[Unit]
    totals: Totals = Field(description="全部单位的合计")
    groups: dict[str, Totals] | None = None
    problems: list[Reason]
    selection_target: int | None = None
    deadline: str | None = None
    over_quota_policy: Literal["error", "notice"] | None = None


class Flip(_Doc):
    row: int | None
    name: str
    unit: str
    from_: VerdictName = Field(alias="from")
    to: VerdictName
    file: str | None
    clauses_from: list[int]
    clauses_to: list[int]
    reasons_added: list[CodeName]
    reasons_removed: list[CodeName]


class KnobRun(_Doc):
    knob: str
    label: str = Field(description="口径所回答的问题，用规则文件 label 的说法（未写时为 knob）")
    default_words: str | None = Field(description="现行口径的说法（规则文件的 readings）")
    alternative_words: str | None = Field(description="另一口径的说法")
    clause: str
    default: Any = Field(description="规则文件采用的口径")
    alternative: Any = Field(description="另一口径")
    note: str
    quote: str | None = Field(description="该口径所在规则引用的通知原文")
    flips: list[Flip] = Field(description="结论或符合条款随口径改变的人选")


class SensitivitySummary(_Doc):
    candidates: int
    hanging_on_a_reading: int = Field(description="结论取决于口径的人数")


class SensitivityDocument(_Envelope):
    """`jzleader sensitivity --format json`."""

    model_config = ConfigDict(title="jzleader sensitivity --format json")
    knobs: list[KnobRun]
    summary: SensitivitySummary


OUTPUTS: dict[str, type[BaseModel]] = {
    "check-output": CheckDocument,
    "quota-output": QuotaDocument,
    "sensitivity-output": SensitivityDocument,
}
