"""Tables -> candidates: each row's cells read into values, with a problem for each one that cannot be
(records.py), and the detail rows joined to their candidates, people listed twice marked (plan.py)."""

from jzleader.candidates.plan import Planned, build_round, plan_round

__all__ = ["Planned", "build_round", "plan_round"]
