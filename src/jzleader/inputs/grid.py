"""The Grid: what a spreadsheet file holds, in one format-neutral shape, before anything knows its layout.

Every reader (xlsx, xls, csv) produces a Grid; the layout stage (layout.py) decides which sheet plays
which role, where the header is and which rows are data. Nothing is dropped here that a later stage
could need: hidden sheets and rows, merged ranges, error values and formulas without a value are
all kept, each with its position.

Positions are (row, column) with the row as the spreadsheet shows it (1-based) and the column
0-based (A = 0). A YAML file is not a grid: it is read into a `YamlDoc` (its keys already name the
fields), which the layout stage turns into the same tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:  # annotations only: a workbook's read begins before the records' modules are imported
    from jzleader.model import Reason

MAX_COLUMNS = 256  #: the contract has about 30 columns; a row claiming 16,384 is cut here

#: (first row, first column, last row, last column), inclusive
Range = tuple[int, int, int, int]


@dataclass(slots=True)
class Sheet:
    """One sheet (a CSV file is one sheet without a name)."""

    name: str | None
    #: (row number, values from column A); blank cells are None or "". Rows may be missing or
    #: out of order where the file says so; readers keep the file's own numbering.
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    state: str = "visible"  #: visible, hidden or veryHidden
    #: number formats of the cells that may need one (numbers: 1974.1 shown as 0.00, IDs in number cells)
    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  #: error values (#REF!, #N/A, ...)
    formulas: set[tuple[int, int]] = field(default_factory=set)  #: formulas saved without a computed value
    merged: list[Range] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)

    @property
    def visible(self) -> bool:
        return self.state == "visible"

    def number_format(self, row: int, column: int) -> str | None:
        return self.formats.get((row, column))


#: told of each sheet of a workbook as soon as it is read, in the order the sheets arrive, while the others are
#: still being read (the layout begins with it: layout.Early); the same Sheet is then in the Grid
Arrived = Callable[[Sheet], None]


@dataclass(slots=True)
class Grid:
    """Every sheet of one spreadsheet file, and what reading it taught us."""

    path: Path
    format: str  #: xlsx, xls, ods, csv
    sheets: list[Sheet] = field(default_factory=list)
    problems: list[Reason] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class YamlDoc:
    """A YAML candidate file: the parsed data and the line of every key and list item."""

    path: Path
    data: Any
    marks: dict[Any, Any]
    format: str = "yaml"
    problems: list[Reason] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


_Read = TypeVar("_Read", covariant=True)


class Begun(Protocol[_Read]):
    """A file's read, begun (inputs.sniff.begin_file): the call gives the file read, and tells `arrived` of each
    sheet as it arrives where the sheets are read apart (an .xlsx workbook's, in the readers' workers)."""

    def __call__(self, arrived: Arrived | None = None) -> _Read: ...
