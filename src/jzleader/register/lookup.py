"""What a check learns from the register about the people of its round, from the other rounds only:
earlier recommendations (a notice with the years and verdicts), an earlier selection (a notice), and a
COVID-19 tilt granted before (the exemption refused in the quota tally, naming that round)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, select

from jzleader.codes import Code
from jzleader.model import Assessment, Candidate, Place, Reason
from jzleader.register.db import Register, database_errors
from jzleader.register.tables import entries, outcomes, rounds, versions

CHUNK = 500  #: keys per IN (...) query: well under every database's parameter limit


@dataclass(frozen=True)
class Earlier:
    round: str
    year: int | None
    unit: str
    verdict: str
    tilt_applied: bool


def chunks(keys: Sequence[str]) -> Iterator[list[str]]:
    for i in range(0, len(keys), CHUNK):
        yield list(keys[i : i + CHUNK])


class History:
    """The pipeline's view of a register (pipeline.History): prepared once for a round's candidates."""

    def __init__(self, register: Register, round_name: str) -> None:
        self.register = register
        self.round_name = round_name
        self.keys: dict[Place, str] = {}
        self.earlier: dict[str, list[Earlier]] = defaultdict(list)
        self.selected: dict[str, list[str]] = defaultdict(list)

    def prepare(self, candidates: Sequence[Candidate]) -> None:
        for c in candidates:
            if (key := self.register.key(c.id.number)) is not None:
                self.keys[c.place] = key
        wanted = sorted(set(self.keys.values()))
        stored = (
            select(entries.c.person_key, rounds.c.name, rounds.c.year, entries.c.unit, entries.c.verdict,
                   entries.c.tilt_applied)
            .join(versions, entries.c.version_id == versions.c.id)
            .join(rounds, versions.c.round_id == rounds.c.id)
            .where(and_(versions.c.current, rounds.c.name != self.round_name))
            .order_by(rounds.c.year, rounds.c.name)
        )  # fmt: skip
        chosen = (
            select(outcomes.c.person_key, rounds.c.name)
            .join(rounds, outcomes.c.round_id == rounds.c.id)
            .where(rounds.c.name != self.round_name)
            .order_by(rounds.c.year, rounds.c.name)
        )
        with database_errors(self.register.location), self.register.engine.connect() as connection:
            for part in chunks(wanted):
                for key, name, year, unit, verdict, tilt in connection.execute(stored.where(entries.c.person_key.in_(part))):
                    self.earlier[key].append(Earlier(name, year, unit, verdict, bool(tilt)))
                for key, name in connection.execute(chosen.where(outcomes.c.person_key.in_(part))):
                    self.selected[key].append(name)

    def notices(self, v: Assessment) -> list[Reason]:
        c = v.candidate
        key = self.keys.get(c.place)
        if key is None:
            return []
        out = []
        if earlier := self.earlier.get(key):
            rounds_ = [{"round": e.round, "year": e.year, "unit": e.unit, "verdict": e.verdict} for e in earlier]
            out.append(Reason.of(Code.REGISTER_EARLIER, c.at("name"), name=c.name, rounds=rounds_))
        if chosen := self.selected.get(key):
            out.append(Reason.of(Code.REGISTER_SELECTED, c.at("name"), name=c.name, rounds=chosen))
        return out

    def tilt_round(self, c: Candidate) -> str | None:
        key = self.keys.get(c.place)
        return next((e.round for e in self.earlier.get(key or "", []) if e.tilt_applied), None)
