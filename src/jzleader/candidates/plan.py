"""The round planned: which candidates each detail row belongs to (by the YAML nesting, by ID number, or by a
name that names one person in its file), and who is listed twice (the same ID in two rows or two files of a
round). Then the candidates are made from the plan, all at once or a part at a time.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, NamedTuple

from jzleader.candidates.records import DETAIL_KINDS, read_candidate, read_detail, read_unit
from jzleader.codes import Code
from jzleader.contract import SHEET_LABEL
from jzleader.idnumber import IdCheck, read_id
from jzleader.layout.tables import Tables
from jzleader.model import Candidate, Place, Reason, Round, Row
from jzleader.values import clean, fold, is_blank


def _id_key(value: Any) -> str:
    return fold(value).upper().replace(" ", "")


#: every middle dot people type in a name (欧阳·娜, 欧阳•娜, 欧阳・娜 …), after NFKC folding
_DOTS = re.compile("[·•・‧∙.･]")


def name_key(value: Any) -> str:
    """A name as joins compare it: width, spaces and every middle-dot variant folded (DOMAIN.md §6)."""
    return _DOTS.sub("·", fold(value))


_PLAIN = (str, int, float)  #: cell values that can be a dict key (a YAML value may be a list)


def _join_details(book: Tables, plan: Planned, first: int, problems: list[Reason]) -> None:
    """Each detail row of the book goes to its candidates (plan's first.. onwards): by the YAML nesting, by ID
    number, or by a name that names one person. The same person listed twice gets the row on every listing."""
    by_id: dict[str, list[int]] = defaultdict(list)
    by_name: dict[str, list[int]] = defaultdict(list)
    by_place: dict[Place, int] = {}
    person: dict[int, str] = {}  # a candidate -> their ID's key ("" without one)
    # an ID as written -> its key: a person's ID is written on each of their rows of every sheet, and read_id's
    # own cache is bounded (at 100,000 candidates it would forget each ID before its next sheet); the
    # candidates' own IDs are read already
    keys: dict[Any, str] = {}
    for i in range(first, len(plan.rows)):
        row, ident = plan.rows[i], plan.ids[i]
        assert row is not None  # nothing is made before the plan is
        written = row.value("id_number")
        key = person[i] = ident.number or _id_key(clean(written))
        if key:
            by_id[key].append(i)
        by_name[name_key(clean(row.value("name")))].append(i)
        by_place[row.place] = i
        if written.__class__ in _PLAIN:
            keys[written] = key
    for kind in DETAIL_KINDS:
        rows = book.tables.pop(kind, [])
        for row in rows:
            owners = [by_place[row.owner]] if row.owner in by_place else []
            idv = row.value("id_number")
            if not owners and not is_blank(idv):
                join = keys.get(idv) if idv.__class__ in _PLAIN else None
                if join is None:
                    join = read_id(idv).number or _id_key(idv)
                    if idv.__class__ in _PLAIN:
                        keys[idv] = join
                owners = by_id.get(join, [])
            if not owners and (name := name_key(row.value("name"))):
                matches = by_name.get(name, [])
                if len({person[i] or i for i in matches}) > 1:
                    problems.append(Reason.of(Code.DETAIL_NAME_AMBIGUOUS, row.place, sheet=SHEET_LABEL[kind],
                                              row=row.place.row, name=clean(row.value("name"))))  # fmt: skip
                    continue
                owners = matches
            if not owners:
                who = clean(row.value("name")) or clean(row.value("id_number"))
                sheet = row.place.sheet or SHEET_LABEL[kind]
                problems.append(Reason.of(Code.DETAIL_UNMATCHED, row.place, sheet=sheet, row=row.place.row, who=who))
                continue
            plan.details.append((row, owners))


def _content(detail: Any) -> tuple[Any, ...]:
    """A detail as what it says, wherever it was written (two files listing the same award)."""
    return tuple(getattr(detail, f.name) for f in dataclasses.fields(detail) if f.name != "place")


def _share_details(groups: Iterable[list[Candidate]]) -> None:
    """A person listed in two files gets the detail rows of both listings (each once): no listing may
    fail for lack of achievements because the other file held them (DOMAIN.md §6)."""
    for group in groups:
        for kind in DETAIL_KINDS:
            listed = [list(getattr(c, kind)) for c in group]
            for c, own in zip(group, listed, strict=True):
                have = {_content(d) for d in own}  # two equal rows in one file are two awards: never merged
                extra = [d for other in listed if other is not own for d in other if _content(d) not in have]
                setattr(c, kind, own + list({_content(d): d for d in extra}.values()))


class Part(NamedTuple):
    """Some candidates of a plan (their indices, in order) and the detail rows that are theirs (indices into its
    details, in order)."""

    candidates: range
    details: list[int]


class Planned:
    """A round read and joined, whose candidates are made a part at a time as asked for (`make`).

    What crosses candidates is decided here, once, in one process: which candidates each detail row belongs to,
    the round's problems of the join, and the people listed twice, who are made whole here (they share their
    detail rows and name each other). What is left to `make` is each candidate's own: its cells read and its
    detail rows made records, the same in whichever process. A large round is so made in two processes, each
    making the parts (`parts`) it takes (pipeline.assess_encoded)."""

    def __init__(self) -> None:
        self.round = Round()  #: the round without its candidates (`build` puts them in)
        self.rows: list[Row | None] = []  #: each candidate's row, until made
        self.ids: list[IdCheck] = []  #: each candidate's ID cell read
        #: each detail row with the candidates it belongs to, kind by kind in the sheet's order (the order of a
        #: candidate's details and their problems, and the order a sheet's rows lie in memory); None once made
        self.details: list[tuple[Row, list[int]] | None] = []
        self.twice: set[int] = set()  #: the candidates of people listed twice, made whole by the plan
        self.whole: dict[int, Candidate] = {}  #: those of them not yet asked for

    def __len__(self) -> int:
        return len(self.rows)

    def make(self, part: Part) -> list[Candidate]:
        """The candidates of `part` (`parts`) with their details. Their rows are let go: a candidate is made once."""
        twice = self.twice
        made = {i: self._whole(i) if i in twice else self._own(i) for i in part.candidates}
        details = self.details
        for at in part.details:
            entry = details[at]
            if entry is None:
                continue
            row, owners = entry
            mine = [made[i] for i in owners if i in made and i not in twice]
            if len(mine) == len(owners):
                details[at] = None  # nobody else's: let go once made
            if mine:
                self._attach(row, mine)
        return list(made.values())

    def parts(self, size: int) -> list[Part]:
        """The candidates in parts of `size` in order, each with the detail rows that are theirs (those of people
        listed twice are theirs already), so that making a part need not look at every detail row of the round."""
        n = len(self)
        starts = range(0, n, size)
        details: list[list[int]] = [[] for _ in starts]
        twice = self.twice
        for at, entry in enumerate(self.details):
            if entry is None:
                continue
            owners = entry[1]
            if len(owners) == 1:  # nearly every row
                if owners[0] not in twice:
                    details[owners[0] // size].append(at)
            else:
                for k in sorted({i // size for i in owners if i not in twice}):
                    details[k].append(at)
        return [Part(range(start, min(start + size, n)), mine) for start, mine in zip(starts, details, strict=True)]

    def build(self) -> Round:
        """The round with every candidate made: each detail row is let go as soon as it is a record, so that a large
        round never holds all its rows and all their records at once (at 100,000 candidates, three detail rows
        each)."""
        self.round.candidates = [c for part in self.parts(max(1, len(self))) for c in self.make(part)]
        return self.round

    def _own(self, i: int) -> Candidate:
        """Candidate i from its own row alone."""
        row = self.rows[i]
        if row is None:
            raise ValueError(f"candidate {i} was made already")
        self.rows[i] = None
        return read_candidate(row, self.ids[i])

    def _whole(self, i: int) -> Candidate:
        """Candidate i, made whole by the plan (listed twice)."""
        if i not in self.whole:
            raise ValueError(f"candidate {i} was made already")
        return self.whole.pop(i)

    @staticmethod
    def _attach(row: Row, owners: list[Candidate]) -> None:
        detail, problems = read_detail(row)
        for owner in owners:
            getattr(owner, row.kind).append(detail)
            owner.problems.extend(problems)

    def mark_duplicates(self) -> None:
        """The people listed twice made whole now: each listing with the details of all, naming the others."""
        seen: dict[str, list[int]] = defaultdict(list)
        for i, ident in enumerate(self.ids):
            if ident.number:
                seen[ident.number].append(i)
        groups = [listings for listings in seen.values() if len(listings) > 1]
        if not groups:
            return
        for listings in groups:
            self.twice.update(listings)
            self.whole.update((i, self._own(i)) for i in listings)
        for row, owners in filter(None, self.details):
            listed = [self.whole[i] for i in owners if i in self.twice]
            if listed:
                self._attach(row, listed)
        share = [[self.whole[i] for i in listings] for listings in groups]
        _share_details(share)
        for group in share:
            for c in group:
                others = [o.place for o in group if o is not c]
                c.problems.append(
                    Reason.of(Code.DUPLICATE_ID, c.at("id_number"), field="id_number", shown=c.id.number, others=others)
                )


def plan_round(books: Iterable[Tables]) -> Planned:
    """The files of a round as one Round, its candidates to be made from the plan (`Planned.make`).

    The books' detail tables are used up: the plan holds each detail row until the candidates it belongs to are
    made."""
    plan = Planned()
    rnd = plan.round
    for book in books:
        rnd.files.append(str(book.path))
        rnd.formats[str(book.path)] = book.format
        rnd.headers.update({(str(book.path), sheet): where for sheet, where in book.headers.items()})
        rnd.problems.extend(book.problems)
        rnd.notes.extend(book.notes)
        first = len(plan.rows)
        for row in book.tables.get("candidates", []):
            plan.rows.append(row)
            plan.ids.append(read_id(row.value("id_number")))
        _join_details(book, plan, first, rnd.problems)
        rnd.units.extend(read_unit(row) for row in book.tables.get("units", []))
    plan.mark_duplicates()
    return plan


def build_round(books: Iterable[Tables]) -> Round:
    """Normalise the rows of every file of a round into one Round, every candidate made (`Planned.build`)."""
    return plan_round(books).build()
