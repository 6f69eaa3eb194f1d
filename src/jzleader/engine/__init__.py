"""The rule engine: one Candidate and one RuleSet in, one Assessment out (DOMAIN.md "Verdicts").

Each condition is evaluated under every reading of unclear data (1974.1 as January or October,
the birth-date column against the ID, a declared award level against the awarding body) and
gives PASS, FAIL or OPEN. Precedence: a FAIL that holds under every reading -> ineligible; anything
open or unsettled -> review; otherwise eligible when an achievement clause is met on records.
Reasons are codes with their values and places; wording.py makes the sentences.
"""

from __future__ import annotations

from jzleader.codes import SEVERITY_ORDER, Severity
from jzleader.engine import achievements, conditions
from jzleader.engine.common import Ctx
from jzleader.model import Assessment, Candidate, Verdict
from jzleader.ruleset.core import RuleSet
from jzleader.ruleset.titles import TitleBook


def evaluate(c: Candidate, rules: RuleSet, titles: TitleBook | None = None) -> Assessment:
    """One candidate under one rule set: every condition, its reasons, and the verdict they make."""
    ctx = Ctx(c, rules, titles or rules.title_book)
    ctx.reasons.extend(c.problems)
    conditions.exclusions(ctx)
    age = conditions.age(ctx)
    level, education = conditions.qualification(ctx)
    met = achievements.achievements(ctx)
    conditions.materials(ctx)
    reasons = sorted(ctx.reasons, key=lambda r: SEVERITY_ORDER[r.severity])
    severities = {r.severity for r in reasons}
    if Severity.FAIL in severities:
        verdict = Verdict.INELIGIBLE
    elif Severity.REVIEW in severities or not met:
        verdict = Verdict.REVIEW
    else:
        verdict = Verdict.ELIGIBLE
    return Assessment(c, verdict, reasons, met, age, level, education)
