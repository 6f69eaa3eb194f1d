"""Codes -> sentences: the one place where decisions become Chinese (or English) text.

The engine, the quota tally and sensitivity hand over codes, values and places; this module
turns them into what an officer reads. Masking of ID numbers is done where text leaves the
program (report/), not here.
"""

from __future__ import annotations

from jzleader.model import Verdict

VERDICT_ZH = {Verdict.ELIGIBLE: "符合", Verdict.REVIEW: "待核实", Verdict.INELIGIBLE: "不符合"}
