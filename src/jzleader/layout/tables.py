"""What the layout stage hands over: the data rows of one input file, by sheet kind."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from jzleader.model import Reason, Row


@dataclass
class Tables:
    """The data rows of one input file, by sheet kind (candidates, awards, ..., units)."""

    path: Path
    format: str  #: xlsx, xls, csv, yaml
    tables: dict[str, list[Row]] = field(default_factory=dict)
    problems: list[Reason] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    headers: dict[str | None, tuple[int, int]] = field(default_factory=dict)  #: candidate sheets: header row, width

    def add(self, kind: str, rows: Iterable[Row]) -> None:
        self.tables.setdefault(kind, []).extend(rows)

    def extend(self, other: Tables) -> None:
        """What another file's tables hold, added after this one's (its path and format are not looked at)."""
        for kind, rows in other.tables.items():
            self.add(kind, rows)
        self.problems.extend(other.problems)
        self.notes.extend(other.notes)
        self.headers.update(other.headers)
