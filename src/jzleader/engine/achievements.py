"""The achievement conditions (part 2, item 4 of the notice): one function per kind of clause, each returning what it found."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jzleader.codes import Code, Detail, Severity
from jzleader.engine.common import Ctx, Outcome, as_severity, combine
from jzleader.model import Award, Finding, Place, Publication, Reason
from jzleader.ruleset.models import (
    AwardClause,
    AwardOption,
    HonourClause,
    ProjectClause,
    PublicationClause,
    StatementClause,
)
from jzleader.vocab import (
    GRADE_RANK,
    LEVEL_RANK,
    MONOGRAPH,
    PAPER,
    VENUE_RANK,
)


@dataclass
class _Clause:
    clause: int
    citation: str
    outcome: Outcome  #: PASS met on records; OPEN judgement or unclear data; FAIL not met
    detail: Finding
    judgement: bool = False  #: OPEN because the notice leaves it to the panel
    relevant: bool = False  #: the candidate has records of this clause's kind (worth saying why short)
    notes: list[Reason] = field(default_factory=list)  #: reasons whose weight depends on the whole
    place: Place | None = None  #: where the evidence is: the first record counted or weighed (None: the candidate)


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


def _awards(ctx: Ctx, rule: AwardClause) -> _Clause:
    max_rank = ctx.rules.criteria.knobs.main_contributor_max_rank.value
    notes: list[Reason] = []
    best = Outcome.FAIL
    evidence: Place | None = None
    for opt in rule.options:
        sure = maybe = 0
        for a in ctx.c.awards:
            counts = _award_counts(a, opt, max_rank, notes, rule.citation)
            sure += counts is Outcome.PASS
            maybe += counts is Outcome.OPEN
            if counts is not Outcome.FAIL and evidence is None:
                evidence = a.place
        if sure >= opt.count:
            best = Outcome.PASS
            detail = Finding(Detail.AWARDS_MET, {"option": _option(opt), "count": sure})
            break
        if sure + maybe >= opt.count:
            best = Outcome.OPEN
    notes = list({(r.code, r.place, str(r.params)): r for r in notes}.values())
    if best is Outcome.PASS:
        return _Clause(rule.clause, rule.citation, best, detail, notes=notes, place=evidence)
    relevant = [a for a in ctx.c.awards if any(a.category in o.categories for o in rule.options)]
    found = Finding(
        Detail.AWARDS_SHORT,
        {"options": [_option(o) for o in rule.options], "listed": [(a.level, a.category, a.grade) for a in relevant]},
    )
    place = evidence or (relevant[0].place if relevant else None)
    return _Clause(rule.clause, rule.citation, best, found, notes=notes, relevant=bool(relevant), place=place)


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


def _publications(ctx: Ctx, rule: PublicationClause) -> _Clause:
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
        return _Clause(rule.clause, rule.citation, Outcome.PASS, found, notes=notes, place=books[0].place)
    level = rule.min_venue_level
    weighed = [p.place for p, o in zip(papers, counts, strict=True) if o is not Outcome.FAIL] or [p.place for p in papers]
    place = weighed[0] if weighed else None
    if sure >= rule.min_papers:
        found = Finding(Detail.PAPERS_MET, {"level": level, "count": sure, "judgement": rule.judgement})
        return _Clause(rule.clause, rule.citation, Outcome.PASS, found, notes=notes, place=place)
    short = {"level": level, "count": sure, "required": rule.min_papers}
    if sure + maybe >= rule.min_papers:
        found = Finding(Detail.PAPERS_OPEN, {**short, "unclear": maybe})
        return _Clause(rule.clause, rule.citation, Outcome.OPEN, found, notes=notes, place=place)
    found = Finding(Detail.PAPERS_SHORT, short)
    return _Clause(rule.clause, rule.citation, Outcome.FAIL, found, notes=notes, relevant=bool(papers), place=place)


def _projects(ctx: Ctx, rule: ProjectClause) -> _Clause:
    hits = [
        p
        for p in ctx.c.projects
        if (p.level is None or LEVEL_RANK[p.level] >= LEVEL_RANK[rule.min_level]) and (p.role is None or p.role in rule.roles)
    ]
    if hits:
        found = Finding(Detail.PROJECTS_OPEN, {"names": [p.name for p in hits], "judgement": rule.judgement})
        return _Clause(rule.clause, rule.citation, Outcome.OPEN, found, judgement=True, place=hits[0].place)
    found = Finding(Detail.PROJECTS_NONE, {"level": rule.min_level, "roles": list(rule.roles)})
    return _Clause(rule.clause, rule.citation, Outcome.FAIL, found)


def _statement(ctx: Ctx, rule: StatementClause) -> _Clause:
    if ctx.c.statement:
        found = Finding(Detail.STATEMENT_OPEN, {"judgement": rule.judgement})
        return _Clause(rule.clause, rule.citation, Outcome.OPEN, found, judgement=True, place=ctx.c.at("statement"))
    return _Clause(rule.clause, rule.citation, Outcome.FAIL, Finding(Detail.STATEMENT_NONE, {}))


def _field_listed(field_text: str, fields: list[str]) -> bool:
    return any(f in field_text for f in fields)


def _honours(ctx: Ctx, rule: HonourClause) -> _Clause:
    c = ctx.c
    listed = _field_listed(c.field, rule.fields)
    hits = [h for h in c.honours if h.level is not None and LEVEL_RANK[h.level] >= LEVEL_RANK[rule.min_level]]
    unknown = [h for h in c.honours if h.level is None]
    if hits:
        honour = {"field": c.field, "level": hits[0].level, "honour": hits[0].name}
        if listed:
            return _Clause(rule.clause, rule.citation, Outcome.PASS, Finding(Detail.HONOUR_MET, honour), place=hits[0].place)
        found = Finding(Detail.HONOUR_FIELD_OPEN, {**honour, "fields": list(rule.fields)})
        return _Clause(rule.clause, rule.citation, Outcome.OPEN, found, judgement=True, place=c.at("field"))
    if unknown:
        found = Finding(Detail.HONOUR_LEVEL_UNKNOWN, {"honour": unknown[0].name})
        return _Clause(rule.clause, rule.citation, Outcome.OPEN, found, place=unknown[0].place)
    if listed and c.statement:
        found = Finding(Detail.HONOUR_STATEMENT_OPEN, {"field": c.field, "judgement": rule.judgement})
        return _Clause(rule.clause, rule.citation, Outcome.OPEN, found, judgement=True, place=c.at("statement"))
    return _Clause(rule.clause, rule.citation, Outcome.FAIL, Finding(Detail.HONOUR_NONE, {"level": rule.min_level}))


_CLAUSE_EVAL = {
    AwardClause: _awards,
    PublicationClause: _publications,
    ProjectClause: _projects,
    StatementClause: _statement,
    HonourClause: _honours,
}


def achievements(ctx: Ctx) -> list[int]:
    results = [_CLAUSE_EVAL[type(rule)](ctx, rule) for rule in ctx.rules.clauses]  # type: ignore[operator]
    met = sorted({r.clause for r in results if r.outcome is Outcome.PASS})
    decided = bool(met)
    open_severity = Severity.NOTICE if decided else Severity.REVIEW
    for r in results:
        if r.outcome is Outcome.PASS:
            ctx.add(Code.CLAUSE_MET, r.place, clause=r.citation, n=r.clause, detail=r.detail)
        elif r.outcome is Outcome.OPEN:
            code = Code.CLAUSE_NEEDS_JUDGEMENT if r.judgement else Code.CLAUSE_UNCERTAIN
            ctx.add(code, r.place, clause=r.citation, severity=open_severity, n=r.clause, detail=r.detail)
        notes_severity = Severity.REVIEW if (r.outcome is Outcome.OPEN and not decided and not r.judgement) else Severity.NOTICE
        ctx.reasons.extend(as_severity(n, notes_severity) for n in r.notes)
    if not met and all(r.outcome is Outcome.FAIL for r in results):
        ctx.add(Code.NO_ACHIEVEMENT)
        for r in results:
            if r.relevant:
                ctx.add(Code.CLAUSE_SHORT, r.place, clause=r.citation, n=r.clause, detail=r.detail)
    return met
