"""Which verdicts hang on which reading of the notice (`jzleader sensitivity`).

The round is read once; every candidate is evaluated once under the shipped rules and once per
alternative reading of each knob (the `alternatives` the rule file lists). A candidate whose
verdict or clauses change is a flip; a knob that flips nobody is reported as tried.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jzleader.codes import Severity
from jzleader.engine import evaluate
from jzleader.model import Assessment, CheckResult, Reason
from jzleader.ruleset.models import Knob


@dataclass
class Flip:
    before: Assessment  #: under the shipped reading
    after: Assessment  #: under the alternative

    def deciding(self, v: Assessment) -> set[str]:
        return {r.code.name for r in v.reasons if r.severity in (Severity.FAIL, Severity.REVIEW, Severity.MET)}

    @property
    def added(self) -> list[str]:
        return sorted(self.deciding(self.after) - self.deciding(self.before))

    @property
    def removed(self) -> list[str]:
        return sorted(self.deciding(self.before) - self.deciding(self.after))

    def changes(self) -> list[tuple[str, Reason]]:
        """The reasons behind `added` ("added", as the alternative reading gives them) and `removed`
        ("removed", as the shipped reading gave them), for reporters to write out."""
        ways = (("added", self.added, self.after), ("removed", self.removed, self.before))
        return [
            (way, r) for way, codes, v in ways for r in v.reasons if r.code.name in codes and r.severity is not Severity.NOTICE
        ]


@dataclass
class KnobRun:
    knob: str
    setting: Knob[Any]
    alternative: Any
    flips: list[Flip] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The question, as the rule file words it for officers; the setting's name where it does not."""
        return self.setting.label or self.knob

    def reading(self, value: Any) -> str | None:
        """A reading as the rule file words it (None where it gives no words)."""
        readings = [self.setting.value, *self.setting.alternatives]
        if not self.setting.readings or value not in readings:
            return None
        return self.setting.readings[readings.index(value)]


@dataclass
class Sensitivity:
    base: CheckResult
    runs: list[KnobRun]

    @property
    def hanging(self) -> int:
        """How many candidates' verdicts or clauses rest on some reading."""
        return len({id(f.before.candidate) for run in self.runs for f in run.flips})


def sensitivity_of(base: CheckResult) -> Sensitivity:
    """Evaluate an already-checked round under every alternative reading (the round is not read again)."""
    rules = base.rules
    titles = rules.title_book
    runs = []
    knobs = rules.criteria.knobs
    for name in type(knobs).model_fields:
        setting: Knob[Any] = getattr(knobs, name)
        for alternative in setting.alternatives:
            reading = rules.with_knob(name, alternative)
            run = KnobRun(name, setting, alternative)
            for before in base.verdicts:
                after = evaluate(before.candidate, reading, titles)
                if (after.verdict, after.clauses_met) != (before.verdict, before.clauses_met):
                    run.flips.append(Flip(before, after))
            runs.append(run)
    return Sensitivity(base, runs)
