"""The records that flow between stages: cells with their places, reasons, normalised candidates,
verdicts, and the results of the check and the quota tally. Data only: no sentence is made here."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from dataclasses import field as dc_field  # Candidate has a field named `field` (工作领域)
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from jzleader.codes import Code, Detail, Severity
from jzleader.errors import InputError
from jzleader.idnumber import IdCheck
from jzleader.values import DateParse

if TYPE_CHECKING:  # annotations only: the readers, which use this module, start without pydantic's models
    from jzleader.ruleset.core import RuleSet
    from jzleader.ruleset.models import Quotas


class Place(NamedTuple):
    """Where a value was written: a workbook cell, or an item of a YAML file.

    A NamedTuple rather than a frozen dataclass: one is made for every cell read, and a tuple is
    built several times faster while staying immutable and hashable.
    """

    file: str | None = None
    sheet: str | None = None
    cell: str | None = None  #: A1 form, as Excel and WPS show it
    row: int | None = None  #: spreadsheet row (1-based), or item index for YAML
    line: int | None = None  #: YAML line


class Cell(NamedTuple):
    """One value read, with where it was written. A workbook cell keeps its column letter and its row's
    place, and makes its own `Place` only when a message names it: most cells are never named, and a
    Place and an A1 name for each of them was most of the memory of a large round."""

    value: Any
    number_format: str | None
    at: Place | str  #: the place itself, or the column letter of a cell in `row`
    row: Place | None = None

    @property
    def place(self) -> Place:
        at, row = self.at, self.row
        if row is None or at.__class__ is not str:
            return at  # type: ignore[return-value]
        return Place(row.file, row.sheet, f"{at}{row.row}", row.row)


class SheetColumns:
    """The fields of one sheet's table, in the sheet's column order: field -> (bit, column index, column
    letter), the bit being the field's in a row's `filled`. One, shared by every row of the sheet. `marks`: the
    first characters of a text the layout looks at again (同上), noted for each row as it is read."""

    __slots__ = ("index", "slots", "marks")

    def __init__(self, columns: Mapping[int, str], letters: list[str], marks: frozenset[str] = frozenset()):
        self.index = {field: (1 << bit, col, letters[col]) for bit, (col, field) in enumerate(columns.items())}
        self.slots = [(bit, col) for bit, col, _ in self.index.values()]
        self.marks = marks

    def filled(self, raw: list[Any]) -> tuple[int, bool]:
        """The bits of the fields with something in them (not None, not only blanks: values.is_blank), and
        whether the text of one of them begins with one of the `marks`, blanks aside."""
        bits, n, marks, marked = 0, len(raw), self.marks, False
        for bit, col in self.slots:
            if col < n and (value := raw[col]) is not None:
                if value.__class__ is str:
                    if not (text := value.strip()):
                        continue
                    if text[0] in marks:
                        marked = True
                bits |= bit
        return bits, marked


class SheetCells(MutableMapping[str, Cell]):
    """The cells of one data row of a sheet: the row's values as read (the reader's own list, from column A),
    which of the sheet's fields are filled, and a `Cell` made when one is asked for. A blank cell is no entry.
    At 100,000 candidates a Cell for each of three million cells was a quarter of the memory, and then a dict of
    values for each row a fifth. A cell put in (同上 filled from the row above, a section's unit) is kept as
    it is."""

    __slots__ = ("raw", "columns", "filled", "marked", "formats", "row", "put")

    def __init__(self, raw: list[Any], columns: SheetColumns, formats: dict[str, str] | None, row: Place):
        self.raw = raw  #: the row's values from column A (the reader's list, shared, never changed)
        self.columns = columns
        #: the bits (SheetColumns) of the fields with something in them; whether one's text begins with a mark
        self.filled, self.marked = columns.filled(raw)
        self.formats = formats  #: field -> number format, None when no cell of the row needs one
        self.row = row
        self.put: dict[str, Cell] | None = None

    def value(self, field: str) -> Any:
        """The field's value, None when blank or not a column of the sheet (Row.value's fast path)."""
        put = self.put
        if put is not None and field in put:
            return put[field].value
        at = self.columns.index.get(field)
        return self.raw[at[1]] if at is not None and self.filled & at[0] else None

    def get(self, field: str, default: Any = None) -> Any:
        put = self.put
        if put is not None and field in put:
            return put[field]
        at = self.columns.index.get(field)
        if at is None or not self.filled & at[0]:
            return default
        formats = self.formats
        return Cell(self.raw[at[1]], formats.get(field) if formats else None, at[2], self.row)

    def __getitem__(self, field: str) -> Cell:
        cell = self.get(field)
        if cell is None:
            raise KeyError(field)
        return cell  # type: ignore[no-any-return]

    def __setitem__(self, field: str, cell: Cell) -> None:
        if self.put is None:
            self.put = {}
        self.put[field] = cell

    def __delitem__(self, field: str) -> None:
        raise TypeError("a sheet's cells are not removed")  # nothing removes one: a blank is no entry already

    def __contains__(self, field: object) -> bool:
        put = self.put
        if put is not None and field in put:
            return True
        at = self.columns.index.get(field)  # type: ignore[call-overload]
        return at is not None and bool(self.filled & at[0])

    def texts(self) -> Iterator[tuple[str, str]]:
        """(field, text) of the filled cells read as text, without making a Cell (cells put in are left out)."""
        raw, filled = self.raw, self.filled
        for field, (bit, col, _) in self.columns.index.items():
            if filled & bit and raw[col].__class__ is str:
                yield field, raw[col]

    def __iter__(self) -> Iterator[str]:
        filled, put = self.filled, self.put
        for field, (bit, _, _) in self.columns.index.items():
            if filled & bit or (put is not None and field in put):
                yield field
        if put is not None:
            yield from (field for field in put if field not in self.columns.index)

    def __len__(self) -> int:
        if self.put is None:
            return self.filled.bit_count()
        return sum(1 for _ in self)


NO_UNKNOWN: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Row:
    """One data row of one sheet: field name -> cell."""

    kind: str
    place: Place  #: the row itself (cell is None)
    cells: MutableMapping[str, Cell]  #: a SheetCells for a sheet's row, a dict for a YAML item
    owner: Place | None = None  #: for a detail nested under a candidate in YAML: that candidate's place
    #: fields whose cell cannot be trusted: an error value ("#REF!") or a formula without its result ("");
    #: rows without any share one empty mapping (a dict per row costs the garbage collector at 100,000 rows)
    unknown: Mapping[str, tuple[Place, str]] = dc_field(default_factory=lambda: NO_UNKNOWN)

    def value(self, name: str) -> Any:
        cells = self.cells
        if cells.__class__ is SheetCells:
            return cells.value(name)
        c = cells.get(name)
        return None if c is None else c.value

    def at(self, name: str) -> Place:
        c = self.cells.get(name)
        if c is not None:
            return c.place
        return self.unknown[name][0] if name in self.unknown else self.place


class Finding(NamedTuple):
    """What an achievement clause found (the `detail` parameter of a CLAUSE_* reason)."""

    detail: Detail
    params: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Reason:
    """One finding. Reporters make the sentence from `code` and `params`."""

    code: Code
    severity: Severity
    clause: str
    params: dict[str, Any]
    place: Place | None = None
    field: str | None = None

    @classmethod
    def of(
        cls,
        code: Code,
        place: Place | None = None,
        *,
        severity: Severity | None = None,
        clause: str | None = None,
        field: str | None = None,
        **params: Any,
    ) -> Reason:
        return cls(code, severity or code.severity, clause or code.clause, params, place, field)


@dataclass(frozen=True, slots=True)
class Award:
    place: Place
    name: str
    category: str
    level: str | None  #: as declared (授奖级别), normalised
    body: str
    body_level: str | None  #: what the awarding body implies, where unmistakable
    grade: str | None
    rank: int | None
    year: int | None


@dataclass(frozen=True, slots=True)
class Publication:
    place: Place
    kind: str | None  #: 论文 / 专著
    title: str
    venue: str
    venue_level: str | None
    rank: int | None
    own_field: bool | None  #: None: not stated
    year: int | None


@dataclass(frozen=True, slots=True)
class Honour:
    place: Place
    name: str
    level: str | None
    body: str
    year: int | None


@dataclass(frozen=True, slots=True)
class Project:
    place: Place
    name: str
    level: str | None
    role: str | None
    year: int | None


@dataclass(slots=True)
class Candidate:
    place: Place  #: the candidate's row
    cells: Mapping[str, Cell]  #: field -> the cell it was read from (its place is made when asked)
    name: str
    id: IdCheck
    id_written: str  #: the ID cell as written, to join detail rows when the number is damaged
    birth: DateParse
    unit: str
    employer: str
    gender: str | None
    field: str
    title: str
    title_level: str | None  #: 职称级别 as written, normalised
    education: str | None  #: canonical 学历, None when blank or unreadable
    education_written: str
    degree: str | None
    flags: dict[str, bool | None]  #: holds_provincial_title, leadership_post, exceptional, ...
    exceptional_reason: str
    covid_category: str
    statement: str
    assessment_chars: int | None
    materials: dict[str, bool | None]
    awards: list[Award] = dc_field(default_factory=list)
    publications: list[Publication] = dc_field(default_factory=list)
    honours: list[Honour] = dc_field(default_factory=list)
    projects: list[Project] = dc_field(default_factory=list)
    problems: list[Reason] = dc_field(default_factory=list)  #: found while reading its cells

    def at(self, name: str) -> Place:
        c = self.cells.get(name)
        return self.place if c is None else c.place


@dataclass(slots=True)
class UnitSubmission:
    place: Place
    unit: str
    contact: str
    phone: str
    submitted: DateParse
    report: bool | None


@dataclass(slots=True)
class Round:
    """Everything read from the input files of one round."""

    files: list[str] = dc_field(default_factory=list)
    candidates: list[Candidate] = dc_field(default_factory=list)
    units: list[UnitSubmission] = dc_field(default_factory=list)
    problems: list[Reason] = dc_field(default_factory=list)  #: not tied to one candidate
    notes: list[str] = dc_field(default_factory=list)  #: how files were read (for --explain)
    #: (file, sheet) -> (header row, number of columns) of each candidate table, for --annotate
    headers: dict[tuple[str, str | None], tuple[int, int]] = dc_field(default_factory=dict)
    formats: dict[str, str] = dc_field(default_factory=dict)  #: file -> xlsx, xls, csv, yaml


class Verdict(StrEnum):
    """The three verdicts of DOMAIN.md; the values are the JSON contract."""

    ELIGIBLE = "eligible"  #: 符合
    REVIEW = "review"  #: 待核实
    INELIGIBLE = "ineligible"  #: 不符合


@dataclass(slots=True)
class Assessment:
    """One candidate's verdict with every reason behind it."""

    candidate: Candidate
    verdict: Verdict
    reasons: list[Reason]
    clauses_met: list[int]
    age: str  #: "45", "45/46" when readings differ, "" when unknown
    title_level: str  #: the level the title was read as, or ""
    education: str


@dataclass
class CheckResult:
    rules: RuleSet
    round: Round
    verdicts: list[Assessment]
    errors: list[InputError] = dc_field(default_factory=list)  #: files of the round that could not be used

    @property
    def summary(self) -> dict[str, int]:
        counts = Counter(v.verdict for v in self.verdicts)
        return {k.value: counts.get(k, 0) for k in Verdict}


@dataclass
class UnitTally:
    unit: str
    group: str
    quota: int
    names: list[str] = dc_field(default_factory=list)  #: everyone recommended by the unit
    exempt_names: list[str] = dc_field(default_factory=list)
    submitted: str | None = None
    late: bool = False
    pooled_units: list[str] = dc_field(default_factory=list)  #: for the pool: the unlisted units in it
    ineligible_names: list[str] = dc_field(default_factory=list)  #: counted candidates found 不符合

    @property
    def over_after_ineligible(self) -> int:
        """How many must still be cut once the 不符合 candidates are dropped from the unit's list."""
        return max(0, self.counted - len(self.ineligible_names) - self.quota)

    @property
    def recommended(self) -> int:
        return len(self.names)

    @property
    def exempt(self) -> int:
        return len(self.exempt_names)

    @property
    def counted(self) -> int:
        return self.recommended - self.exempt

    @property
    def over(self) -> int:
        return max(0, self.counted - self.quota)

    @property
    def counted_names(self) -> list[str]:
        exempt = list(self.exempt_names)
        out = []
        for n in self.names:
            if n in exempt:
                exempt.remove(n)
            else:
                out.append(n)
        return out


@dataclass
class QuotaReport:
    quotas: Quotas
    units: list[UnitTally]
    problems: list[Reason]
    unknown_units: int  #: candidates counted nowhere (typo, unknown or blank unit)
    exempt: set[Place] = dc_field(default_factory=set)  #: the rows of the candidates granted the COVID-19 tilt

    @property
    def policy(self) -> str:
        return self.quotas.over_quota.value

    def totals(self, group: str | None = None) -> dict[str, int]:
        units = [u for u in self.units if group is None or u.group == group]
        return {
            "quota": sum(u.quota for u in units),
            "recommended": sum(u.recommended for u in units),
            "exempt": sum(u.exempt for u in units),
            "counted": sum(u.counted for u in units),
            "over": sum(u.over for u in units),
        }

    @property
    def has_findings(self) -> bool:
        over = any(u.over for u in self.units) and self.policy == "error"
        return over or self.unknown_units > 0
