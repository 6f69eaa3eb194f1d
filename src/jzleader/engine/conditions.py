"""The conditions on the person: scope (part 1 of the notice), age and qualification (2.3), materials and unit (5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jzleader.codes import Code, Severity
from jzleader.engine.common import Ctx, Outcome, as_severity, combine
from jzleader.model import Reason
from jzleader.ruleset.models import (
    AgeRule,
    AssessmentRule,
    ExclusionRule,
    ExemptionRule,
    MaterialsRule,
)
from jzleader.values import PartialDate, age_range
from jzleader.vocab import (
    DEGREE_RANK,
    DEPUTY_SENIOR,
    EDUCATION_RANK,
    FULL_SENIOR,
    MASTER,
    TITLE_LEVEL_RANK,
)

_EXCLUSION_CODES = {
    "holds_provincial_title": Code.EXCLUDED_PROVINCIAL_TITLE,
    "leadership_post": Code.EXCLUDED_LEADERSHIP,
}


def exclusions(ctx: Ctx) -> None:
    for rule in ctx.rules.of(ExclusionRule):
        if ctx.c.flags.get(rule.field):
            ctx.add(_EXCLUSION_CODES[rule.field], ctx.c.at(rule.field), clause=rule.citation, field=rule.field)


def _compatible(column: PartialDate, from_id: PartialDate) -> bool:
    return column.year == from_id.year and column.month in (None, from_id.month) and column.day in (None, from_id.day)


def age_outcome(birth: PartialDate, rule: AgeRule, inclusive: bool) -> Outcome:
    """Whether a birth date known to the day, month or year meets the age rule."""
    if rule.born_on_or_after is not None:
        if birth.earliest() >= rule.born_on_or_after:
            return Outcome.PASS
        return Outcome.FAIL if birth.latest() < rule.born_on_or_after else Outcome.OPEN

    def ok(age: int) -> bool:
        return age <= rule.max_age if inclusive else age < rule.max_age

    youngest, oldest = age_range(birth, rule.cutoff)
    if ok(oldest):
        return Outcome.PASS
    return Outcome.FAIL if not ok(youngest) else Outcome.OPEN


def _age_text(birth: PartialDate, cutoff: dt.date) -> str:
    youngest, oldest = age_range(birth, cutoff)
    return str(youngest) if youngest == oldest else f"{youngest}-{oldest}"


def age(ctx: Ctx) -> str:
    c, rule = ctx.c, ctx.rules.age
    inclusive = ctx.rules.criteria.knobs.age_limit_inclusive.value
    column = list(c.birth.readings)
    from_id = c.id.birth
    prefer_id = ctx.rules.criteria.knobs.birth_date_source.value == "id"
    primary = ([from_id] if from_id else column) if prefer_id else (column or ([from_id] if from_id else []))
    if not primary:
        ctx.add(Code.BIRTH_DATE_MISSING, c.at("birth_date"), clause=rule.citation, field="birth_date")
        return ""
    if c.birth.ambiguous and from_id and not prefer_id:
        confirmed = [r for r in column if _compatible(r, from_id)]
        if len(confirmed) == 1:  # the ID number settles 1974.1: corroboration, not a guess
            ctx.add(Code.BIRTH_DATE_RESOLVED_BY_ID, c.at("birth_date"), field="birth_date",
                    value=c.birth.shown, readings=column, date=confirmed[0])  # fmt: skip
            column = primary = confirmed
    readings = list(primary)
    mismatch = bool(from_id and column and not any(_compatible(r, from_id) for r in column))
    if mismatch and from_id and not prefer_id:  # the file's date governs, but a verdict that hangs on it is reviewed
        readings = list(dict.fromkeys([*column, from_id]))
    outcomes = {r: age_outcome(r, rule, inclusive) for r in readings}
    result = combine(outcomes.values())
    ages = sorted({_age_text(r, rule.cutoff) for r in readings})
    hinge = Severity.REVIEW if result is Outcome.OPEN and len(readings) > 1 else Severity.NOTICE
    if len(column) > 1:
        ctx.add(
            Code.BIRTH_DATE_AMBIGUOUS,
            c.at("birth_date"),
            severity=hinge,
            field="birth_date",
            value=c.birth.shown,
            readings=list(c.birth.readings),
        )
    if mismatch and from_id:
        ctx.add(
            Code.BIRTH_DATE_MISMATCH,
            c.at("birth_date"),
            severity=hinge,
            field="birth_date",
            column_date=column,
            id_date=from_id,
        )
    age = "/".join(ages)
    if result is Outcome.OPEN:
        pairs = [(r, _age_text(r, rule.cutoff)) for r in readings]
        ctx.add(Code.AGE_UNDECIDABLE, c.at("birth_date"), clause=rule.citation, field="birth_date", readings=pairs)
    elif rule.born_on_or_after is not None:
        code = Code.BORN_AFTER_BOUND_OK if result is Outcome.PASS else Code.BORN_BEFORE_BOUND
        ctx.add(
            code,
            c.at("birth_date"),
            clause=rule.citation,
            field="birth_date",
            birth=primary[0],
            bound=rule.born_on_or_after,
        )
    else:
        code = Code.AGE_OK if result is Outcome.PASS else Code.AGE_OVER_LIMIT
        ctx.add(
            code, c.at("birth_date"), clause=rule.citation, field="birth_date", cutoff=rule.cutoff, age=age, limit=rule.max_age
        )
    return age


def qualification(ctx: Ctx) -> tuple[str, str]:
    c = ctx.c
    rule = ctx.rules.qualification
    cite = rule.citation
    need_title = TITLE_LEVEL_RANK[rule.min_title_level]
    open_reasons: list[Reason] = []  # what makes the outcome OPEN; review only if it decides

    # the title
    level = ""
    if c.title:
        match = ctx.titles.lookup(c.title)
        if match.not_a_title:
            ctx.add(Code.NOT_A_TITLE, c.at("title"), clause=cite, field="title", title=c.title)
            title = Outcome.FAIL
        elif match.level is None:
            open_reasons.append(
                Reason.of(
                    Code.TITLE_UNKNOWN,
                    c.at("title"),
                    clause=cite,
                    field="title",
                    title=c.title,
                    suggestions=list(match.suggestions),
                )  # fmt: skip
            )
            declared_fails = c.title_level is not None and TITLE_LEVEL_RANK[c.title_level] < need_title
            title = Outcome.FAIL if declared_fails else Outcome.OPEN
        else:
            level = match.level
            readings = [match.level]
            if (
                c.title_level
                and c.title_level != match.level
                and not (c.title_level == DEPUTY_SENIOR and match.level == FULL_SENIOR)
            ):
                readings.append(c.title_level)
                conflict = Reason.of(
                    Code.TITLE_LEVEL_CONFLICT, c.at("title_level"), clause=cite, field="title_level",
                    title=c.title, title_level=match.level, declared=c.title_level,
                )  # fmt: skip
                open_reasons.append(conflict)
            title = combine(Outcome.PASS if TITLE_LEVEL_RANK[r] >= need_title else Outcome.FAIL for r in readings)
            if title is not Outcome.OPEN and len(readings) > 1:
                ctx.reasons.append(open_reasons.pop())  # the conflict decides nothing: a notice
    elif c.title_level:
        level = c.title_level
        title = Outcome.PASS if TITLE_LEVEL_RANK[c.title_level] >= need_title else Outcome.FAIL
    else:
        title = Outcome.OPEN

    # the education (学历, not 学位)
    need_edu = EDUCATION_RANK[rule.min_education]
    degree_counts = ctx.rules.criteria.knobs.degree_counts_as_education.value
    if c.education is not None:
        education = Outcome.PASS if EDUCATION_RANK[c.education] >= need_edu else Outcome.FAIL
    else:
        education = Outcome.OPEN
    degree_reason = None
    if education is not Outcome.PASS and c.degree and DEGREE_RANK[c.degree] >= DEGREE_RANK[MASTER] and c.education:
        params: dict[str, Any] = {"degree": c.degree, "education": c.education_written}
        if degree_counts:
            degree_reason = Reason.of(Code.DEGREE_COUNTED, c.at("degree"), clause=cite, field="degree", **params)
            education = Outcome.PASS
        else:
            degree_reason = Reason.of(Code.DEGREE_WITHOUT_EDUCATION, c.at("degree"), clause=cite, field="degree", **params)
            education = Outcome.OPEN
    result = Outcome.PASS if Outcome.PASS in (title, education) else combine([title, education])

    exemption = next(iter(ctx.rules.of(ExemptionRule)), None)
    exempt = bool(exemption and "qualification" in exemption.lifts and c.flags.get(exemption.field))
    if result is Outcome.PASS:
        if title is Outcome.PASS:
            ctx.add(Code.TITLE_OK, c.at("title"), clause=cite, field="title", title=c.title or c.title_level, level=level)
        if education is Outcome.PASS:
            if degree_reason is not None:
                ctx.reasons.append(degree_reason)
            else:
                ctx.add(Code.EDUCATION_OK, c.at("education"), clause=cite, field="education", education=c.education_written)
        for r in open_reasons:  # an unknown title does not matter when the education passes
            ctx.reasons.append(as_severity(r, Severity.NOTICE))
        if exempt:
            ctx.add(Code.EXEMPTION_NOT_NEEDED, c.at("exceptional"), clause=cite, field="exceptional")
        return level, c.education_written
    if exempt and exemption is not None:
        ctx.add(
            Code.EXEMPTION_CLAIMED, c.at("exceptional"), clause=exemption.citation, field="exceptional",
            reason=c.exceptional_reason,
        )  # fmt: skip
        for r in [*open_reasons, *([degree_reason] if degree_reason else [])]:
            ctx.reasons.append(as_severity(r, Severity.NOTICE))
        return level, c.education_written
    if result is Outcome.FAIL:
        ctx.add(
            Code.QUALIFICATION_NOT_MET, c.at("title"), clause=cite, field="title",
            title=c.title, education=c.education_written,
        )  # fmt: skip
        ctx.reasons.extend(as_severity(r, Severity.NOTICE) for r in open_reasons)
        return level, c.education_written
    # OPEN: say what is missing or unclear
    for r in open_reasons:
        ctx.reasons.append(as_severity(r, Severity.REVIEW))
    if degree_reason is not None:
        ctx.reasons.append(degree_reason)
    if not open_reasons and degree_reason is None:
        missing: list[tuple[str, str | None]] = []  # what is missing, for the wording: (word, value)
        if title is Outcome.OPEN:
            missing.append(("missing_title", None))
        if education is Outcome.OPEN:
            written = c.education_written
            missing.append(("unreadable_education", written) if written else ("missing_education", None))
        ctx.add(Code.QUALIFICATION_MISSING, c.at("education"), clause=cite, field="education", missing=missing)
    return level, c.education_written


def materials(ctx: Ctx) -> None:
    c = ctx.c
    for rule in ctx.rules.of(AssessmentRule):
        if c.assessment_chars is not None and c.assessment_chars > rule.max_chars:
            ctx.add(Code.ASSESSMENT_TOO_LONG, c.at("assessment_chars"), clause=rule.citation, field="assessment_chars",
                    chars=c.assessment_chars, limit=rule.max_chars)  # fmt: skip
    for materials in ctx.rules.of(MaterialsRule):
        for flag in materials.flags:
            if c.materials.get(flag) is False:
                ctx.add(Code.MATERIAL_MISSING, c.at(flag), clause=materials.citation, field=flag, material=flag)
    if not c.unit:
        ctx.add(Code.UNIT_MISSING, c.at("unit"), field="unit")
