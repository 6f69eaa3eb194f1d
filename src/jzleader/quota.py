"""Tally the verdicts of a round per recommending unit against the quota table (notice part 4, 5).

Unit names are matched through the quota file's names and aliases after folding; a name one
character away from a listed unit is a typo (suggested, counted nowhere); an unlisted municipal
unit goes to the pool (the quota file's `pool`). The COVID-19 exemption takes a candidate out of the count only
when flagged with a category, not ineligible, and the tilt was not used before: by the tilt_used column, or, with a
register of rounds, in another stored round (`tilt_elsewhere`), whatever the column says.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from jzleader.codes import Code
from jzleader.model import Assessment, Candidate, CheckResult, Place, QuotaReport, Reason, UnitSubmission, UnitTally, Verdict
from jzleader.ruleset.models import Quotas
from jzleader.ruleset.units import UnitBook, UnitMatch


def _late(submitted: UnitSubmission, deadline: dt.date) -> bool | None:
    readings = submitted.submitted.readings
    if not readings:
        return None
    if all(r.earliest() > deadline for r in readings):
        return True
    if all(r.latest() <= deadline for r in readings):
        return False
    return None


#: the round in which a candidate was granted the tilt before (from a register of rounds), or None
TiltElsewhere = Callable[[Candidate], str | None]


def _exemption(v: Assessment, tilt_elsewhere: TiltElsewhere | None) -> tuple[bool, str, str | None]:
    """Whether a candidate flagged for a COVID-19 contribution is outside the quota, and if not, why
    (a word of wording.py: why_ineligible, why_tilt_used, ...) and the earlier round. The notice sets two conditions, meeting the
    requirements and once only; its list of contributions is introduced by "especially": examples, so a
    blank category is never a refusal (DOMAIN.md §1, part 4)."""
    c = v.candidate
    if v.verdict is Verdict.INELIGIBLE:
        return False, "ineligible", None
    if tilt_elsewhere is not None and (earlier := tilt_elsewhere(c)) is not None:
        return False, "tilt_in_round", earlier  # the register is data; the column is the county's word
    if c.flags.get("tilt_used") is None:
        return False, "tilt_unreadable", None
    if c.flags.get("tilt_used"):
        return False, "tilt_used", None
    return True, "", None


def _unmatched(m: UnitMatch, place: Place, who: str | None) -> Reason:
    """The problem for a unit name that is counted nowhere: a typo, an unknown unit, or none at all.
    `who` is the candidate, or None for the unit sheet itself."""
    if m.how == "typo":
        return Reason.of(Code.UNIT_TYPO, place, name=who, unit=m.written, suggestion=m.suggestion)
    if m.how == "unknown":
        return Reason.of(Code.UNIT_UNKNOWN, place, name=who, unit=m.written)
    return Reason.of(Code.UNIT_BLANK, place, name=who)


def tally(result: CheckResult, quotas: Quotas, tilt_elsewhere: TiltElsewhere | None = None) -> QuotaReport:
    book = UnitBook(quotas)
    units = {u.name: UnitTally(u.name, quotas.group_of(u.name), u.quota) for u in quotas.units()}
    problems: list[Reason] = []
    unknown = 0
    pooled: dict[str, list[str]] = defaultdict(list)
    exempt: set[Place] = set()

    # the unit each file speaks for, when its 推荐单位 sheet names exactly one
    file_units: dict[str | None, list[UnitSubmission]] = defaultdict(list)
    for s in result.round.units:
        file_units[s.place.file].append(s)

    for v in result.verdicts:
        c = v.candidate
        written = c.unit
        if not written and len(file_units.get(c.place.file, [])) == 1:
            written = file_units[c.place.file][0].unit
        m = book.match(written)
        place = c.at("unit")
        if m.unit is None:
            unknown += 1
            problems.append(_unmatched(m, place, c.name))
            continue
        tallied = units[m.unit]
        tallied.names.append(c.name)
        if m.how == "pooled" and written not in pooled[m.unit]:
            pooled[m.unit].append(written)
            problems.append(Reason.of(Code.UNIT_POOLED, place, unit=written, pool=m.unit, quota=tallied.quota))
        if c.flags.get("covid_contribution"):
            if not c.covid_category:  # a notice asking the unit to fill it in, never a refusal
                problems.append(Reason.of(Code.COVID_CATEGORY_MISSING, c.at("covid_category"), name=c.name))
            granted, why, earlier = _exemption(v, tilt_elsewhere)
            if granted:
                tallied.exempt_names.append(c.name)
                exempt.add(c.place)
                problems.append(Reason.of(Code.COVID_EXEMPT, place, name=c.name, category=c.covid_category, unit=m.unit))
            else:
                params: dict[str, Any] = {"round": earlier} if earlier else {}
                problems.append(Reason.of(Code.COVID_EXEMPTION_REFUSED, place, name=c.name, why=why, **params))
        if v.verdict is Verdict.INELIGIBLE:  # counted against the quota: an ineligible candidate is never exempt
            tallied.ineligible_names.append(c.name)
    for name, members in pooled.items():
        units[name].pooled_units = members

    deadline = quotas.deadline.date
    for s in result.round.units:
        m = book.match(s.unit)
        if m.unit is None:
            problems.append(_unmatched(m, s.place, None))
            continue
        tallied = units[m.unit]
        late = _late(s, deadline)
        if s.submitted.readings:
            tallied.submitted = str(s.submitted.readings[0])
        if late:
            tallied.late = True
            problems.append(Reason.of(Code.UNIT_LATE, s.place, unit=m.unit, date=tallied.submitted,
                                      deadline=deadline, names=list(tallied.names)))  # fmt: skip
        elif late is None and tallied.names:
            problems.append(Reason.of(Code.UNIT_DATE_UNKNOWN, s.place, unit=m.unit))
    for tallied in units.values():
        if tallied.over:
            problems.append(Reason.of(Code.UNIT_OVER_QUOTA, None, unit=tallied.unit, quota=tallied.quota,
                                      counted=tallied.counted, over=tallied.over,
                                      names=tallied.counted_names))  # fmt: skip
    return QuotaReport(quotas, list(units.values()), problems, unknown, exempt)
