"""One row of cells to one normalised record (a candidate, an award, a unit's submission), with a problem for
every cell that needs one. Which detail rows are whose is plan.py's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from typing import Any

from jzleader.codes import Code, Severity
from jzleader.contract import MATERIAL_FLAGS, column_name
from jzleader.idnumber import IdCheck
from jzleader.model import (
    Award,
    Candidate,
    Honour,
    Place,
    Project,
    Publication,
    Reason,
    Row,
    SheetCells,
    UnitSubmission,
)
from jzleader.values import (
    clean,
    infer_body_level,
    is_blank,
    parse_award_category,
    parse_bool,
    parse_date,
    parse_degree,
    parse_education,
    parse_grade,
    parse_int,
    parse_level,
    parse_publication_kind,
    parse_role,
    parse_title_level,
    parse_venue_level,
)
from jzleader.vocab import (
    EQUIVALENT,
    GRADES,
    LEVELS,
    LEVELS_AS_WRITTEN,
    MASTER,
    PAPER,
    PUBLICATION_KINDS,
    ROLES,
    TITLE_LEVELS,
    VENUES,
)

#: flags whose unreadable value leaves the verdict open (scope exclusions, the exemption)
VERDICT_FLAGS = ("holds_provincial_title", "leadership_post", "exceptional")
OTHER_FLAGS = ("covid_contribution", "tilt_used")


#: per sheet kind, the fields whose unknown value (an error value, a formula without its result) decides
#: nothing: a notice (any other field unknown is review)
_NOTICE_ONLY = {
    "candidates": {"gender", "employer", "exceptional_reason", "covid_category", "assessment_chars", *MATERIAL_FLAGS},
    "awards": {"award", "year"},
    "publications": {"title", "venue", "year"},
    "honours": {"honour", "year"},
    "projects": {"project", "year"},
    "units": {"contact", "phone", "report"},
}


class _Reader:
    """Reads the cells of one row, collecting a problem for each value it cannot read."""

    def __init__(self, row: Row, settled: Collection[str] = ()) -> None:
        self.row = row
        cells = row.cells  # a sheet's row answers a value itself (one call fewer for each of millions)
        self.value: Callable[[str], Any] = cells.value if cells.__class__ is SheetCells else row.value
        self.problems: list[Reason] = []
        for name, (place, error) in row.unknown.items():  # an error value or a formula without its result
            notice = name in _NOTICE_ONLY.get(row.kind, ()) or name in settled
            code = Code.CELL_ERROR_VALUE if error else Code.FORMULA_NO_VALUE
            severity = Severity.NOTICE if notice else Severity.REVIEW
            column = column_name(row.kind, name)
            self.problems.append(Reason.of(code, place, severity=severity, field=name, column=column, error=error))

    def text(self, name: str) -> str:
        return clean(self.value(name))

    def _unreadable(self, code: Code, name: str, value: Any, **params: Any) -> None:
        """A problem at the cell: which column, what it holds."""
        column = column_name(self.row.kind, name)
        self.problems.append(Reason.of(code, self.row.at(name), field=name, column=column, value=clean(value), **params))

    def enum(self, name: str, parse: Any, expected: tuple[str, ...]) -> Any:
        value = self.value(name)
        if is_blank(value):
            return None
        out = parse(value)
        if out is None:
            self._unreadable(Code.VALUE_UNREADABLE, name, value, expected=list(expected))
        return out

    def number(self, name: str) -> int | None:
        value = self.value(name)
        if is_blank(value):
            return None
        out = parse_int(value)
        if out is None:
            self._unreadable(Code.BAD_NUMBER, name, value)
        return out

    def year(self, name: str) -> int | None:
        value = self.value(name)
        if isinstance(value, dt.date):
            return value.year
        parsed = parse_date(value)
        return parsed.readings[0].year if parsed.readings else None

    def flag(self, name: str, severity: Severity = Severity.NOTICE) -> bool | None:
        if name in self.row.unknown:
            return None  # unknown, never 否: the problem is already there
        value = self.value(name)
        out = parse_bool(value)
        if out is None:
            self._unreadable(Code.FLAG_UNREADABLE, name, value, severity=severity)
        return out


def read_candidate(row: Row, id_check: IdCheck) -> Candidate:
    """A candidate's own cells read (`id_check` is its ID cell read)."""
    # an unknown birth date is settled by a valid ID number: then it decides nothing
    r = _Reader(row, {"birth_date"} if id_check.birth is not None else set())
    name = r.text("name")
    if not name and "name" not in row.unknown:
        r.problems.append(Reason.of(Code.NAME_MISSING, row.at("name"), field="name"))
    written, at = row.value("id_number"), row.at("id_number")
    in_yaml = at.line is not None
    if id_check.problem == "ID_MISSING" and "id_number" in row.unknown:
        pass  # the unknown cell's own problem says it
    elif in_yaml and written.__class__ is float:
        # YAML read an unquoted number it cannot hold exactly (4.1088e+17): the digits are gone
        r.problems.append(Reason.of(Code.ID_YAML_INEXACT, at, field="id_number", shown=clean(written)))
    elif id_check.problem:
        params: dict[str, Any] = {"shown": id_check.number or clean(written), **(id_check.params or {})}
        r.problems.append(Reason.of(Code[id_check.problem], at, field="id_number", **params))
    if in_yaml and written.__class__ is int:
        # read exactly (YAML integers keep every digit), but only by luck: a final X would not be
        r.problems.append(Reason.of(Code.ID_YAML_UNQUOTED, at, field="id_number"))
    elif id_check.numeric_cell and not id_check.problem and not in_yaml:
        r.problems.append(Reason.of(Code.ID_NUMERIC_CELL, at, field="id_number"))
    cell = row.cells.get("birth_date")
    birth = parse_date(cell.value, cell.number_format) if cell else parse_date(None)
    if birth.unreadable:
        r.problems.append(Reason.of(Code.BIRTH_DATE_UNREADABLE, row.at("birth_date"), field="birth_date", value=birth.shown))
    elif birth.serial:
        r.problems.append(
            Reason.of(Code.BIRTH_DATE_SERIAL, row.at("birth_date"), field="birth_date", value=birth.shown, date=birth.readings[0])
        )
    title_level = r.enum("title_level", parse_title_level, TITLE_LEVELS)
    education_written = r.text("education")
    education = parse_education(education_written) if education_written else None
    if education_written and education is None:
        r.problems.append(Reason.of(Code.EDUCATION_UNKNOWN, row.at("education"), field="education", value=education_written))
    flags = {f: r.flag(f, Severity.REVIEW) for f in VERDICT_FLAGS}
    flags.update({f: r.flag(f) for f in OTHER_FLAGS})
    materials = {m: r.flag(m) for m in MATERIAL_FLAGS if m in row.cells}
    return Candidate(
        place=row.place,
        cells=row.cells,
        name=name,
        id=id_check,
        id_written=clean(row.value("id_number")),
        birth=birth,
        unit=r.text("unit"),
        employer=r.text("employer"),
        gender=r.text("gender") or None,
        field=r.text("field"),
        title=r.text("title"),
        title_level=title_level,
        education=education,
        education_written=education_written,
        degree=_degree(row.value("degree"), education, education_written),
        flags=flags,
        exceptional_reason=r.text("exceptional_reason"),
        covid_category=r.text("covid_category"),
        statement=r.text("statement"),
        assessment_chars=r.number("assessment_chars"),
        materials=materials,
        problems=r.problems,
    )


def _degree(written: Any, education: str | None, education_written: str) -> str | None:
    """The 学位; a 学历 cell that names the 同等学力 route names the degree too (同等学力硕士 -> 硕士)."""
    degree = parse_degree(written)
    if degree is None and education == EQUIVALENT:
        degree = parse_degree(education_written) or MASTER
    return degree


def _item_place(row: Row, name_field: str) -> Place:
    """Where a detail record is: the cell of its name (an award's 奖项名称), else its first filled cell, so that a
    reason about it points at a cell of its row in its sheet."""
    cell = row.cells.get(name_field) or next(iter(row.cells.values()), None)
    return cell.place if cell is not None else row.place


def _award(r: _Reader) -> Award:
    return Award(
        place=_item_place(r.row, "award"),
        name=r.text("award"),
        category=parse_award_category(r.value("category")),
        level=r.enum("level", parse_level, LEVELS),
        body=r.text("body"),
        body_level=infer_body_level(r.value("body")),
        grade=r.enum("grade", parse_grade, GRADES),
        rank=r.number("rank"),
        year=r.year("year"),
    )


def _publication(r: _Reader) -> Publication:
    own = r.value("own_field")
    return Publication(
        place=_item_place(r.row, "title"),
        kind=r.enum("kind", parse_publication_kind, PUBLICATION_KINDS) or PAPER,
        title=r.text("title"),
        venue=r.text("venue"),
        venue_level=r.enum("venue_level", parse_venue_level, VENUES),
        rank=r.number("rank"),
        own_field=None if is_blank(own) else r.flag("own_field"),
        year=r.year("year"),
    )


def _honour(r: _Reader) -> Honour:
    level = r.enum("level", parse_level, LEVELS_AS_WRITTEN)
    return Honour(
        place=_item_place(r.row, "honour"),
        name=r.text("honour"),
        level=level or infer_body_level(r.value("body")),
        body=r.text("body"),
        year=r.year("year"),
    )


def _project(r: _Reader) -> Project:
    return Project(
        place=_item_place(r.row, "project"),
        name=r.text("project"),
        level=r.enum("level", parse_level, LEVELS_AS_WRITTEN),
        role=r.enum("role", parse_role, ROLES),
        year=r.year("year"),
    )


#: the detail kinds, in the order a candidate's details are joined and listed
_DETAIL: dict[str, Callable[[_Reader], Award | Publication | Honour | Project]] = {
    "awards": _award, "publications": _publication, "honours": _honour, "projects": _project,
}  # fmt: skip
DETAIL_KINDS = tuple(_DETAIL)


def read_unit(row: Row) -> UnitSubmission:
    r = _Reader(row)
    cell = row.cells.get("submitted")
    return UnitSubmission(
        place=row.place,
        unit=r.text("unit"),
        contact=r.text("contact"),
        phone=r.text("phone"),
        submitted=parse_date(cell.value, cell.number_format) if cell else parse_date(None),
        report=parse_bool(row.value("report")),
    )


def read_detail(row: Row) -> tuple[Award | Publication | Honour | Project, list[Reason]]:
    """A detail row (its kind, awards to projects) as its record, with the problems of its cells."""
    reader = _Reader(row)
    return _DETAIL[row.kind](reader), reader.problems
