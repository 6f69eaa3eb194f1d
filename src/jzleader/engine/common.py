"""What every condition of the engine shares: the outcome of a condition under the readings of the
data, and the context one candidate is evaluated in."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

from jzleader.codes import Code, Severity
from jzleader.model import Candidate, Place, Reason
from jzleader.ruleset.core import RuleSet
from jzleader.ruleset.titles import TitleBook


class Outcome(Enum):
    __hash__ = object.__hash__  #: as Code's (combine makes a set of them for every condition)

    PASS = "pass"
    FAIL = "fail"
    OPEN = "open"  #: depends on a reading of the data or on a judgment


def combine(outcomes: Iterable[Outcome]) -> Outcome:
    """The outcome over several readings: the same under all of them, else OPEN."""
    seen = set(outcomes)
    return seen.pop() if len(seen) == 1 else Outcome.OPEN


@dataclass
class Ctx:
    c: Candidate
    rules: RuleSet
    titles: TitleBook
    reasons: list[Reason] = field(default_factory=list)

    def add(self, code: Code, place: Place | None = None, **kw: object) -> None:
        """A reason about the candidate as a whole ("no clause met") is placed on the candidate's name cell,
        so that every reason an officer reads has a cell to go to."""
        self.reasons.append(Reason.of(code, place or self.c.at("name"), **kw))  # type: ignore[arg-type]


def as_severity(reason: Reason, severity: Severity) -> Reason:
    return Reason(reason.code, severity, reason.clause, reason.params, reason.place, reason.field)
