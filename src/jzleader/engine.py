"""The rule engine: one Candidate and one RuleSet in, one Assessment out (DOMAIN.md "Verdicts").

Each condition is evaluated under every reading of unclear data (1974.1 as January or October,
the birth-date column against the ID, a declared award level against the awarding body) and
gives PASS, FAIL or OPEN. Precedence: a FAIL that holds under every reading -> ineligible; anything
open or unsettled -> review; otherwise eligible when an achievement clause is met on records.
Reasons are codes with their values and places; wording.py makes the sentences.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from jzleader.codes import Code, Detail, Severity
from jzleader.model import Assessment, Award, Candidate, Finding, Place, Publication, Reason, Verdict
from jzleader.ruleset.core import RuleSet
from jzleader.ruleset.models import (
    AgeRule,
    AssessmentRule,
    AwardClause,
    AwardOption,
    ExclusionRule,
    ExemptionRule,
    HonourClause,
    MaterialsRule,
    ProjectClause,
    PublicationClause,
    StatementClause,
)
from jzleader.ruleset.titles import TitleBook
from jzleader.values import PartialDate, age_range
from jzleader.vocab import (
    DEGREE_RANK,
    DEPUTY_SENIOR,
    EDUCATION_RANK,
    FULL_SENIOR,
    GRADE_RANK,
    LEVEL_RANK,
    MASTER,
    MONOGRAPH,
    PAPER,
    TITLE_LEVEL_RANK,
    VENUE_RANK,
)

_ORDER = {Severity.FAIL: 0, Severity.REVIEW: 1, Severity.MET: 2, Severity.NOTICE: 3}


class Outcome(Enum):
    PASS = "pass"
    FAIL = "fail"
    OPEN = "open"  #: depends on a reading of the data or on a judgment


def combine(outcomes: Iterable[Outcome]) -> Outcome:
    """The outcome over several readings: the same under all of them, else OPEN."""
    seen = set(outcomes)
    return seen.pop() if len(seen) == 1 else Outcome.OPEN


@dataclass
class _Ctx:
    c: Candidate
    rules: RuleSet
    titles: TitleBook
    reasons: list[Reason] = field(default_factory=list)

    def add(self, code: Code, place: Place | None = None, **kw: object) -> None:
        self.reasons.append(Reason.of(code, place, **kw))  # type: ignore[arg-type]


def evaluate(c: Candidate, rules: RuleSet, titles: TitleBook | None = None) -> Assessment:
    ctx = _Ctx(c, rules, titles or rules.title_book)
    ctx.reasons.extend(c.problems)
    _exclusions(ctx)
    age = _age(ctx)
    level, education = _qualification(ctx)
    met = _achievements(ctx)
    _materials(ctx)
    reasons = sorted(ctx.reasons, key=lambda r: _ORDER[r.severity])
    severities = {r.severity for r in reasons}
    if Severity.FAIL in severities:
        verdict = Verdict.INELIGIBLE
    elif Severity.REVIEW in severities or not met:
        verdict = Verdict.REVIEW
    else:
        verdict = Verdict.ELIGIBLE
    return Assessment(c, verdict, reasons, met, age, level, education)


# --- 一: scope ------------------------------------------------------------------------------

_EXCLUSION_CODES = {
    "holds_provincial_title": Code.EXCLUDED_PROVINCIAL_TITLE,
    "leadership_post": Code.EXCLUDED_LEADERSHIP,
}


def _exclusions(ctx: _Ctx) -> None:
    for rule in ctx.rules.of(ExclusionRule):
        if ctx.c.flags.get(rule.field):
            ctx.add(_EXCLUSION_CODES[rule.field], ctx.c.at(rule.field), clause=rule.citation, field=rule.field)


# --- 二、3: age ------------------------------------------------------------------------------


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


def _age(ctx: _Ctx) -> str:
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


# --- 二、3: title or education, and the exemption ---------------------------------------------


def _qualification(ctx: _Ctx) -> tuple[str, str]:
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
            ctx.reasons.append(_as(r, Severity.NOTICE))
        if exempt:
            ctx.add(Code.EXEMPTION_NOT_NEEDED, c.at("exceptional"), clause=cite, field="exceptional")
        return level, c.education_written
    if exempt and exemption is not None:
        ctx.add(
            Code.EXEMPTION_CLAIMED, c.at("exceptional"), clause=exemption.citation, field="exceptional",
            reason=c.exceptional_reason,
        )  # fmt: skip
        for r in [*open_reasons, *([degree_reason] if degree_reason else [])]:
            ctx.reasons.append(_as(r, Severity.NOTICE))
        return level, c.education_written
    if result is Outcome.FAIL:
        ctx.add(
            Code.QUALIFICATION_NOT_MET, c.at("title"), clause=cite, field="title",
            title=c.title, education=c.education_written,
        )  # fmt: skip
        ctx.reasons.extend(_as(r, Severity.NOTICE) for r in open_reasons)
        return level, c.education_written
    # OPEN: say what is missing or unclear
    for r in open_reasons:
        ctx.reasons.append(_as(r, Severity.REVIEW))
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


def _as(reason: Reason, severity: Severity) -> Reason:
    return Reason(reason.code, severity, reason.clause, reason.params, reason.place, reason.field)


# --- 二、4: achievements ------------------------------------------------------------------------


@dataclass
class _Clause:
    clause: int
    citation: str
    outcome: Outcome  #: PASS met on records; OPEN judgement or unclear data; FAIL not met
    detail: Finding
    judgement: bool = False  #: OPEN because the notice leaves it to the panel
    relevant: bool = False  #: the candidate has records of this clause's kind (worth saying why short)
    notes: list[Reason] = field(default_factory=list)  #: reasons whose weight depends on the whole


def _award_levels(a: Award) -> list[str | None]:
    """The levels an award may be read at: as declared, and as its awarding body implies."""
    if a.level and a.body_level and a.level != a.body_level:
        return [a.level, a.body_level]
    return [a.level or a.body_level]


def _award_counts(a: Award, opt: AwardOption, max_rank: dict[str, int], notes: list[Reason], clause: str) -> Outcome:
    """Whether one award counts toward one option: PASS, FAIL, or OPEN (unclear data)."""
    if a.category not in opt.categories:
        return Outcome.FAIL
    if a.grade is None:
        return Outcome.OPEN
    if GRADE_RANK[a.grade] < GRADE_RANK[opt.min_grade]:
        return Outcome.FAIL
    per_level = []
    for level in _award_levels(a):
        if level is None:
            per_level.append(Outcome.OPEN)
            continue
        ok = LEVEL_RANK[level] >= LEVEL_RANK[opt.min_level]
        limit = max_rank.get(f"{level}/{a.grade}", max_rank.get(level))
        if ok and limit is not None:
            if a.rank is None:
                per_level.append(Outcome.OPEN)
                notes.append(Reason.of(Code.AWARD_RANK_UNKNOWN, a.place, clause=clause, award=a.name))
                continue
            if a.rank > limit:
                notes.append(Reason.of(Code.AWARD_RANK_BEYOND, a.place, clause=clause, award=a.name, rank=a.rank, max_rank=limit))
                ok = False
        per_level.append(Outcome.PASS if ok else Outcome.FAIL)
    if len(_award_levels(a)) > 1:
        notes.append(
            Reason.of(
                Code.AWARD_LEVEL_CONFLICT,
                a.place,
                clause=clause,
                award=a.name,
                declared=a.level,
                body=a.body,
                inferred=a.body_level,
            )  # fmt: skip
        )
    return combine(per_level)


def _option(opt: AwardOption) -> dict[str, Any]:
    return {"level": opt.min_level, "categories": list(opt.categories), "grade": opt.min_grade, "count": opt.count}


def _awards(ctx: _Ctx, rule: AwardClause) -> _Clause:
    max_rank = ctx.rules.criteria.knobs.main_contributor_max_rank.value
    notes: list[Reason] = []
    best = Outcome.FAIL
    for opt in rule.options:
        sure = maybe = 0
        for a in ctx.c.awards:
            counts = _award_counts(a, opt, max_rank, notes, rule.citation)
            sure += counts is Outcome.PASS
            maybe += counts is Outcome.OPEN
        if sure >= opt.count:
            best = Outcome.PASS
            detail = Finding(Detail.AWARDS_MET, {"option": _option(opt), "count": sure})
            break
        if sure + maybe >= opt.count:
            best = Outcome.OPEN
    notes = list({(r.code, r.place, str(r.params)): r for r in notes}.values())
    if best is Outcome.PASS:
        return _Clause(rule.clause, rule.citation, best, detail, notes=notes)
    relevant = [a for a in ctx.c.awards if any(a.category in o.categories for o in rule.options)]
    found = Finding(
        Detail.AWARDS_SHORT,
        {"options": [_option(o) for o in rule.options], "listed": [(a.level, a.category, a.grade) for a in relevant]},
    )
    return _Clause(rule.clause, rule.citation, best, found, notes=notes, relevant=bool(relevant))


def _counts_paper(p: Publication, rule: PublicationClause, max_rank: int | None) -> Outcome:
    checks = []
    checks.append(Outcome.OPEN if p.venue_level is None else
                  Outcome.PASS if VENUE_RANK[p.venue_level] >= VENUE_RANK[rule.min_venue_level] else Outcome.FAIL)  # fmt: skip
    if rule.own_field:
        checks.append({True: Outcome.PASS, False: Outcome.FAIL, None: Outcome.OPEN}[p.own_field])
    if max_rank is not None:
        checks.append(Outcome.OPEN if p.rank is None else Outcome.PASS if p.rank <= max_rank else Outcome.FAIL)
    if Outcome.FAIL in checks:
        return Outcome.FAIL
    return Outcome.OPEN if Outcome.OPEN in checks else Outcome.PASS


def _publications(ctx: _Ctx, rule: PublicationClause) -> _Clause:
    max_rank = ctx.rules.criteria.knobs.max_author_rank.value
    papers = [p for p in ctx.c.publications if p.kind == PAPER]
    books = [p for p in ctx.c.publications if p.kind == MONOGRAPH]
    counts = [_counts_paper(p, rule, max_rank) for p in papers]
    sure, maybe = counts.count(Outcome.PASS), counts.count(Outcome.OPEN)
    notes = [
        Reason.of(Code.PUBLICATION_FIELD_UNKNOWN, p.place, clause=rule.citation, title=p.title)
        for p, o in zip(papers, counts, strict=True)
        if o is Outcome.OPEN and p.own_field is None and rule.own_field
    ]
    if len(books) >= rule.min_monographs:
        found = Finding(Detail.MONOGRAPHS, {"count": len(books), "judgement": rule.judgement})
        return _Clause(rule.clause, rule.citation, Outcome.PASS, found, notes=notes)
    level = rule.min_venue_level
    if sure >= rule.min_papers:
        found = Finding(Detail.PAPERS_MET, {"level": level, "count": sure, "judgement": rule.judgement})
        return _Clause(rule.clause, rule.citation, Outcome.PASS, found, notes=notes)
    short = {"level": level, "count": sure, "required": rule.min_papers}
    if sure + maybe >= rule.min_papers:
        found = Finding(Detail.PAPERS_OPEN, {**short, "unclear": maybe})
        return _Clause(rule.clause, rule.citation, Outcome.OPEN, found, notes=notes)
    found = Finding(Detail.PAPERS_SHORT, short)
    return _Clause(rule.clause, rule.citation, Outcome.FAIL, found, notes=notes, relevant=bool(papers))


def _projects(ctx: _Ctx, rule: ProjectClause) -> _Clause:
    hits = [
        p
        for p in ctx.c.projects
        if (p.level is None or LEVEL_RANK[p.level] >= LEVEL_RANK[rule.min_level]) and (p.role is None or p.role in rule.roles)
    ]
    if hits:
        found = Finding(Detail.PROJECTS_OPEN, {"names": [p.name for p in hits], "judgement": rule.judgement})
        return _Clause(rule.clause, rule.citation, Outcome.OPEN, found, judgement=True)
    found = Finding(Detail.PROJECTS_NONE, {"level": rule.min_level, "roles": list(rule.roles)})
    return _Clause(rule.clause, rule.citation, Outcome.FAIL, found)


def _statement(ctx: _Ctx, rule: StatementClause) -> _Clause:
    if ctx.c.statement:
        found = Finding(Detail.STATEMENT_OPEN, {"judgement": rule.judgement})
        return _Clause(rule.clause, rule.citation, Outcome.OPEN, found, judgement=True)
    return _Clause(rule.clause, rule.citation, Outcome.FAIL, Finding(Detail.STATEMENT_NONE, {}))


def _field_listed(field_text: str, fields: list[str]) -> bool:
    return any(f in field_text for f in fields)


def _honours(ctx: _Ctx, rule: HonourClause) -> _Clause:
    c = ctx.c
    listed = _field_listed(c.field, rule.fields)
    hits = [h for h in c.honours if h.level is not None and LEVEL_RANK[h.level] >= LEVEL_RANK[rule.min_level]]
    unknown = [h for h in c.honours if h.level is None]
    if hits:
        honour = {"field": c.field, "level": hits[0].level, "honour": hits[0].name}
        if listed:
            return _Clause(rule.clause, rule.citation, Outcome.PASS, Finding(Detail.HONOUR_MET, honour))
        found = Finding(Detail.HONOUR_FIELD_OPEN, {**honour, "fields": list(rule.fields)})
        return _Clause(rule.clause, rule.citation, Outcome.OPEN, found, judgement=True)
    if unknown:
        found = Finding(Detail.HONOUR_LEVEL_UNKNOWN, {"honour": unknown[0].name})
        return _Clause(rule.clause, rule.citation, Outcome.OPEN, found)
    if listed and c.statement:
        found = Finding(Detail.HONOUR_STATEMENT_OPEN, {"field": c.field, "judgement": rule.judgement})
        return _Clause(rule.clause, rule.citation, Outcome.OPEN, found, judgement=True)
    return _Clause(rule.clause, rule.citation, Outcome.FAIL, Finding(Detail.HONOUR_NONE, {"level": rule.min_level}))


_CLAUSE_EVAL = {
    AwardClause: _awards,
    PublicationClause: _publications,
    ProjectClause: _projects,
    StatementClause: _statement,
    HonourClause: _honours,
}


def _achievements(ctx: _Ctx) -> list[int]:
    results = [_CLAUSE_EVAL[type(rule)](ctx, rule) for rule in ctx.rules.clauses]  # type: ignore[operator]
    met = sorted({r.clause for r in results if r.outcome is Outcome.PASS})
    decided = bool(met)
    open_severity = Severity.NOTICE if decided else Severity.REVIEW
    for r in results:
        if r.outcome is Outcome.PASS:
            ctx.add(Code.CLAUSE_MET, clause=r.citation, n=r.clause, detail=r.detail)
        elif r.outcome is Outcome.OPEN:
            code = Code.CLAUSE_NEEDS_JUDGEMENT if r.judgement else Code.CLAUSE_UNCERTAIN
            ctx.add(code, clause=r.citation, severity=open_severity, n=r.clause, detail=r.detail)
        notes_severity = Severity.REVIEW if (r.outcome is Outcome.OPEN and not decided and not r.judgement) else Severity.NOTICE
        ctx.reasons.extend(_as(n, notes_severity) for n in r.notes)
    if not met and all(r.outcome is Outcome.FAIL for r in results):
        ctx.add(Code.NO_ACHIEVEMENT)
        for r in results:
            if r.relevant:
                ctx.add(Code.CLAUSE_SHORT, clause=r.citation, n=r.clause, detail=r.detail)
    return met


# --- 五: materials, and the unit ----------------------------------------------------------------


def _materials(ctx: _Ctx) -> None:
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
