"""Writing rounds into the register and reading them back: data in, records out, no sentences.

Every write is one transaction. Two `register add` at once: on SQLite the second waits for the first
(BEGIN IMMEDIATE) and then sees what it stored; on a server database a clash on the round's name or version
number rolls the loser back, and it runs once more on what the winner stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from jzleader import __version__
from jzleader.codes import Severity
from jzleader.errors import JzleaderError
from jzleader.idnumber import mask, read_id, redact
from jzleader.model import CheckResult, QuotaReport
from jzleader.register.db import Register, database_errors
from jzleader.register.tables import entries, files, outcomes, rounds, versions
from jzleader.ruleset.core import RuleSet

T = TypeVar("T")
ATTEMPTS = 3  #: a transaction that lost a race is run again on what the winner stored


def sha256_of(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def rules_digests(rules: RuleSet) -> dict[str, str]:
    """Each rule file of the set (and the notice's text) by name, with its sha256."""
    paths = [rules.criteria_path, rules.titles_path, rules.quotas_path,
             rules.criteria_path.parent / rules.criteria.notice.text]  # fmt: skip
    return {p.name: sha256_of(p)[0] for p in paths if p is not None and p.exists()}


@dataclass(frozen=True)
class Entry:
    person_key: str | None
    name: str
    unit: str
    masked_id: str
    verdict: str
    reasons: list[str]
    tilt_applied: bool
    file: str
    row: int | None

    @property
    def who(self) -> tuple[str, ...]:
        """How one person is matched between versions: the key, or without an ID the name and unit."""
        return ("key", self.person_key) if self.person_key else ("name", self.name, self.unit)


def entries_of(register: Register, result: CheckResult, quotas: QuotaReport | None) -> list[Entry]:
    exempt = quotas.exempt if quotas is not None else set()
    out = []
    for v in result.verdicts:
        c = v.candidate
        deciding = [r.code.name for r in v.reasons if r.severity in (Severity.FAIL, Severity.REVIEW)]
        out.append(Entry(register.key(c.id.number), c.name, c.unit, mask(c.id.number or c.id_written), v.verdict.value,
                         deciding, c.place in exempt, c.place.file or "", c.place.row))  # fmt: skip
    return out


def _retrying(register: Register, work: Callable[[Connection], T]) -> T:
    with database_errors(register.location):
        for attempt in range(ATTEMPTS):
            try:
                with register.engine.begin() as connection:
                    return work(connection)
            except IntegrityError:
                if attempt == ATTEMPTS - 1:
                    raise
    raise AssertionError("unreachable")


@dataclass
class Added:
    round: str
    status: str  #: "added", "unchanged" or "replaced"
    version: int
    candidates: int
    tilt_applied: int


def files_digest(sha256s: Sequence[str]) -> str:
    """One digest for a set of files, whatever their order or names: how a round sent again is recognised."""
    return hashlib.sha256("\n".join(sorted(sha256s)).encode()).hexdigest()


def round_of(register: Register, paths: Sequence[Path]) -> str | None:
    """The stored round whose current version is exactly these files, if any."""
    digest = files_digest([sha256_of(p)[0] for p in paths])
    query = select(rounds.c.name).join(versions, versions.c.round_id == rounds.c.id)
    with database_errors(register.location), register.engine.connect() as connection:
        return connection.execute(query.where(versions.c.current, versions.c.files_digest == digest)).scalar()


def add(register: Register, name: str, year: int | None, paths: Sequence[Path], result: CheckResult,
        quotas: QuotaReport | None, rules: RuleSet, *, replace: bool) -> Added:  # fmt: skip
    stored_files = [(str(p), str(p.resolve()), *sha256_of(p)) for p in paths]
    digest = files_digest([f[2] for f in stored_files])
    rows = entries_of(register, result, quotas)
    rules_json = json.dumps(rules_digests(rules), ensure_ascii=False, sort_keys=True)
    tilts = sum(e.tilt_applied for e in rows)

    def work(connection: Connection) -> Added:
        now = dt.datetime.now(dt.UTC)
        round_id = connection.execute(select(rounds.c.id).where(rounds.c.name == name)).scalar()
        if round_id is None:
            new_round = insert(rounds).values(name=name, year=year, created_at=now).returning(rounds.c.id)
            round_id = connection.execute(new_round).scalar_one()
        current = connection.execute(
            select(versions.c.id, versions.c.number, versions.c.files_digest).where(
                versions.c.round_id == round_id, versions.c.current
            )
        ).first()
        if current is not None and current.files_digest == digest:
            return Added(name, "unchanged", current.number, len(rows), tilts)
        if current is not None and not replace:
            raise JzleaderError(f"“{name}”已登记过另一批文件（第{current.number}版）。若这是更正后的材料，请加 --replace"
                                "（旧版本保留在历史中，可用 register diff 查看变化）")  # fmt: skip
        number = (
            connection.execute(select(func.max(versions.c.number)).where(versions.c.round_id == round_id)).scalar() or 0
        ) + 1
        connection.execute(update(versions).where(versions.c.round_id == round_id).values(current=False))
        version_id = connection.execute(insert(versions).values(
            round_id=round_id, number=number, current=True, added_at=now, tool_version=__version__,
            files_digest=digest, rules=rules_json,
        ).returning(versions.c.id)).scalar_one()  # fmt: skip
        connection.execute(insert(files), [{"version_id": version_id, "name": n, "path": p, "sha256": s, "size": z}
                                           for n, p, s, z in stored_files])  # fmt: skip
        if rows:
            connection.execute(insert(entries), [_entry_row(version_id, e) for e in rows])
        return Added(name, "replaced" if current is not None else "added", number, len(rows), tilts)

    return _retrying(register, work)


def _entry_row(version_id: int, e: Entry) -> dict[str, Any]:
    return {"version_id": version_id, "person_key": e.person_key, "name": e.name, "unit": e.unit,
            "masked_id": e.masked_id, "verdict": e.verdict, "reasons": json.dumps(e.reasons), "tilt_applied": e.tilt_applied,
            "file": e.file, "row": e.row}  # fmt: skip


def _round_id(connection: Connection, name: str) -> int:
    round_id = connection.execute(select(rounds.c.id).where(rounds.c.name == name)).scalar()
    if round_id is None:
        known = connection.execute(select(rounds.c.name).order_by(rounds.c.name)).scalars().all()
        hint = f"已登记的轮次：{'、'.join(known)}" if known else "登记库里还没有任何轮次"
        raise JzleaderError(f"登记库里没有“{name}”这一轮。{hint}")
    return int(round_id)


def entry_of(r: Any) -> Entry:
    """An entry as stored (a row of `entries`, or of a query that selects all its columns)."""
    return Entry(r.person_key, r.name, r.unit, r.masked_id, r.verdict, json.loads(r.reasons), bool(r.tilt_applied),
                 r.file, r.row)  # fmt: skip


def version_entries(connection: Connection, version_id: int) -> list[Entry]:
    query = select(entries).where(entries.c.version_id == version_id).order_by(entries.c.file, entries.c.row)
    return [entry_of(r) for r in connection.execute(query)]


def written_id(text: str) -> tuple[bool, str | None]:
    """Whether a line a person typed is an ID (15 digits or more) and, if so, the ID read from it (None when
    it is not a valid one): how `history` and `outcome` tell an ID from a name."""
    if sum(ch.isdigit() for ch in text) < 15:
        return False, None
    return True, read_id(text).number


@dataclass
class Outcome:
    round: str
    selected: list[Entry] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  #: lines that name nobody of the round
    ambiguous: list[str] = field(default_factory=list)  #: names shared by several candidates: give the ID


def outcome(register: Register, name: str, lines: Sequence[str]) -> Outcome:
    """Record who was selected in a round (a name or an ID a line), replacing what was recorded before."""

    def work(connection: Connection) -> Outcome:
        round_id = _round_id(connection, name)
        version_id = connection.execute(
            select(versions.c.id).where(versions.c.round_id == round_id, versions.c.current)
        ).scalar_one()
        people = version_entries(connection, version_id)
        done = Outcome(name)
        for line in lines:
            key = register.key(written_id(line)[1])
            found = [e for e in people if (key is not None and e.person_key == key) or (key is None and e.name == line)]
            if not found:
                done.unmatched.append(redact(line))  # an ID-shaped line that matched nobody is shown masked
            elif len(found) > 1:
                done.ambiguous.append(redact(line))
            elif found[0] not in done.selected:
                done.selected.append(found[0])
        if done.unmatched or done.ambiguous:
            return done  # nothing recorded from a list with a line that is wrong: the officer corrects it first
        now = dt.datetime.now(dt.UTC)
        connection.execute(outcomes.delete().where(outcomes.c.round_id == round_id))
        if done.selected:
            connection.execute(insert(outcomes), [{"round_id": round_id, "person_key": e.person_key, "name": e.name,
                                                   "recorded_at": now} for e in done.selected])  # fmt: skip
        return done

    return _retrying(register, work)
