"""Reading the register: a person's rounds, the changes between versions of a round, a stored round checked
again, the register's contents. Records out; the report layer words them."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Row, Select, func, select

from jzleader.errors import JzleaderError
from jzleader.model import CheckResult, QuotaReport
from jzleader.register.db import Register, database_errors, head, revision
from jzleader.register.store import Entry, _round_id, entries_of, entry_of, sha256_of, version_entries, written_id
from jzleader.register.tables import entries, files, outcomes, rounds, versions


@dataclass(frozen=True)
class Appearance:
    """One round a person appears in (its current version)."""

    round: str
    year: int | None
    version: int
    entry: Entry
    selected: bool


def history(register: Register, query: str) -> list[Appearance]:
    """Every round a person appears in: by ID (through the key) or by name."""
    shaped, number = written_id(query)
    if shaped and number is None:
        raise JzleaderError(f"“{query[:6]}…”不是有效的18位身份证号，请核对后再查")
    key = register.key(number) if number else None
    who = entries.c.person_key == key if key else entries.c.name == query.strip()
    query_rows = _current_entries().where(who)
    with database_errors(register.location), register.engine.connect() as connection:
        return _appearances(connection, connection.execute(query_rows).all())


@dataclass
class Changes:
    """What differs between two readings of a round: people added and removed, verdicts changed."""

    added: list[Entry] = field(default_factory=list)
    removed: list[Entry] = field(default_factory=list)
    changed: list[tuple[Entry, Entry]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def compare(before: Sequence[Entry], after: Sequence[Entry]) -> Changes:
    old = {e.who: e for e in before}
    new = {e.who: e for e in after}
    out = Changes([new[k] for k in new if k not in old], [old[k] for k in old if k not in new])
    for k in new.keys() & old.keys():
        a, b = old[k], new[k]
        if (a.verdict, sorted(a.reasons), a.tilt_applied) != (b.verdict, sorted(b.reasons), b.tilt_applied):
            out.changed.append((a, b))
    out.changed.sort(key=lambda pair: (pair[1].file, pair[1].row or 0))
    return out


@dataclass
class VersionDiff:
    round: str
    before: int
    after: int
    added_at: dt.datetime
    files_added: list[str]
    files_removed: list[str]
    changes: Changes


def diff(register: Register, name: str) -> list[VersionDiff]:
    """Each version of a round against the one before it (none when the round was stored once)."""
    with database_errors(register.location), register.engine.connect() as connection:
        round_id = _round_id(connection, name)
        stored = connection.execute(
            select(versions.c.id, versions.c.number, versions.c.added_at)
            .where(versions.c.round_id == round_id)
            .order_by(versions.c.number)
        ).all()
        out = []
        for old, new in zip(stored, stored[1:], strict=False):
            old_files, new_files = _files(connection, old.id), _files(connection, new.id)
            out.append(VersionDiff(
                name, old.number, new.number, new.added_at,
                sorted(f"{n}" for n, s in new_files.items() if old_files.get(n) != s),
                sorted(f"{n}" for n, s in old_files.items() if new_files.get(n) != s),
                compare(version_entries(connection, old.id), version_entries(connection, new.id)),
            ))  # fmt: skip
    return out


def _files(connection: Connection, version_id: int) -> dict[str, str]:
    return {
        r.name: r.sha256 for r in connection.execute(select(files.c.name, files.c.sha256).where(files.c.version_id == version_id))
    }


@dataclass
class Verified:
    round: str
    version: int
    tool_version: str
    rules_changed: list[str]  #: rule files whose content differs from the stored round's
    changes: Changes


def verify(
    register: Register, name: str, rules_now: dict[str, str],
    check: Callable[[list[Path]], tuple[CheckResult, QuotaReport | None]],
) -> Verified:  # fmt: skip
    """The stored round checked again from its files (each must still be the stored one, byte for byte) with
    today's rules and tool; every verdict that would change."""
    with database_errors(register.location), register.engine.connect() as connection:
        round_id = _round_id(connection, name)
        current = connection.execute(select(versions).where(versions.c.round_id == round_id, versions.c.current)).one()
        stored_files = connection.execute(select(files).where(files.c.version_id == current.id).order_by(files.c.id)).all()
        before = version_entries(connection, current.id)
    paths = []
    for f in stored_files:
        path = Path(f.path)
        if not path.is_file():
            raise JzleaderError(f"{f.path}：找不到这一轮登记时的文件，无法重新审核（文件被移动或删除）")
        if sha256_of(path)[0] != f.sha256:
            raise JzleaderError(f"{f.path}：文件内容与登记时不同（已被修改），无法按登记的材料重新审核")
        paths.append(Path(f.name) if Path(f.name).resolve() == path else path)
    result, quotas = check(paths)
    stored_rules = json.loads(current.rules)
    rules_changed = sorted(n for n in stored_rules.keys() | rules_now.keys() if stored_rules.get(n) != rules_now.get(n))
    return Verified(name, current.number, current.tool_version, rules_changed,
                    compare(before, entries_of(register, result, quotas)))  # fmt: skip


@dataclass
class RoundInfo:
    name: str
    year: int | None
    versions: int
    current: int
    candidates: int
    selected: int


@dataclass
class Info:
    database: str
    key_file: str
    revision: str | None
    head: str
    rounds: list[RoundInfo]


def info(register: Register) -> Info:
    with database_errors(register.location), register.engine.connect() as connection:
        out = Info(register.location.shown, str(register.location.key_path), revision(connection), head(), [])
        for r in connection.execute(select(rounds).order_by(rounds.c.year, rounds.c.name)):
            numbers = connection.execute(
                select(versions.c.id, versions.c.number, versions.c.current).where(versions.c.round_id == r.id)
            ).all()
            current = next((v for v in numbers if v.current), None)
            if current is None:  # a round whose first add never finished: nothing of it is stored
                continue
            people = connection.execute(select(func.count()).where(entries.c.version_id == current.id)).scalar() or 0
            chosen = connection.execute(select(func.count()).where(outcomes.c.round_id == r.id)).scalar() or 0
            out.rounds.append(RoundInfo(r.name, r.year, len(numbers), current.number, people, chosen))
    return out


def everyone(register: Register) -> list[Appearance]:
    """Every person of every round's current version, for the archive workbook."""
    with database_errors(register.location), register.engine.connect() as connection:
        return _appearances(connection, connection.execute(_current_entries()).all())


def _current_entries() -> Select[Any]:
    """The people of every round's current version, with their round, in the order rounds were held."""
    return (
        select(rounds.c.id.label("round_id"), rounds.c.name.label("round"), rounds.c.year, versions.c.number, entries)
        .join(versions, entries.c.version_id == versions.c.id)
        .join(rounds, versions.c.round_id == rounds.c.id)
        .where(versions.c.current)
        .order_by(rounds.c.year, rounds.c.name, entries.c.file, entries.c.row)
    )


def _appearances(connection: Connection, rows: Sequence[Row[Any]]) -> list[Appearance]:
    """The rows with whether each person was selected in that round (by key, or without one by name)."""
    chosen = {(r.round_id, r.person_key or r.name) for r in connection.execute(select(outcomes))}
    return [Appearance(r.round, r.year, r.number, entry_of(r), (r.round_id, r.person_key or r.name) in chosen) for r in rows]
