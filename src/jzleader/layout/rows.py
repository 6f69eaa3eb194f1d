"""What a row under the header is when it is not a candidate (DOMAIN.md §3, §6 "Rows", "Section rows").

Totals (合计) and footers (注、填表人) are left out silently, as before; the rows a form carries under its
header — column numbers, filling-in hints, the example row, a header repeated for printing — are left out
with a notice; a section row ("一、沁阳市（2人）") is left out and names the unit of the rows below it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, MutableMapping
from typing import Any

from jzleader.codes import Code
from jzleader.contract import KEY_FIELDS, column_name, header_field
from jzleader.idnumber import id_shaped
from jzleader.layout.tables import Tables
from jzleader.model import NO_UNKNOWN, Cell, Place, Reason, Row, SheetCells
from jzleader.values import clean, fold

_TOTAL_WORDS = ("合计", "总计", "小计", "共计")
_FOOTER_STARTS = tuple(
    fold(s) for s in ("注", "说明", "填表", "备注", "制表", "审核人", "联系人", "单位(盖章)", "单位盖章", "负责人")
)
_HINT_STARTS = tuple(fold(s) for s in ("填写说明", "填表说明", "说明:", "注:", "例:", "备注:", "填写要求", "请按"))
_HINT_WORDS = ("填写", "请填", "请选择", "下拉", "如:", "例:", "格式", "必填")
_EXAMPLE = re.compile(r"^(例|示例|样例|范例|举例)\d*[:)）]?$")
_COLUMN_NUMBER = re.compile(r"^[(（]?(\d{1,2})[)）]?$")
_SAME_AS_ABOVE = {"同上", "〃", "''", '"', "”", "同上。"}
SAME_START = frozenset(s[0] for s in _SAME_AS_ABOVE)  #: what a 同上 cell begins with
_EXAMPLE_START = set("例示样范举")

# "一、沁阳市（2人）", "（一）沁阳市", "1.教育局", "第一组 沁阳市", "市直单位：教育局", "沁阳市（共3人）"
_NUMERAL = "一二三四五六七八九十"
_ENUMERATOR = re.compile(rf"^(?:[{_NUMERAL}]+[、.．]|[(（][{_NUMERAL}\d]+[)）]|\d+[、.．]|第[{_NUMERAL}\d]+[组部分类]?)\s*")
_COUNT = re.compile(r"[(（]\s*(?:共|计)?\s*(\d+)\s*(?:人|名)\s*[)）]\s*$")
_GROUP = re.compile(r"^(?:县市区|县\(市、区\)|县（市、区）|市直单位|市直|省直单位)\s*[:：]\s*")


def _texts(raw: Iterable[Any]) -> list[str]:
    return [fold(v) for v in raw if isinstance(v, str) and v.strip()]


def _notice(out: Tables, code: Code, place: Place) -> None:
    out.problems.append(Reason.of(code, place, row=place.row))


def classify(
    kind: str,
    values: MutableMapping[str, Cell],
    unknown: dict[str, tuple[Place, str]],
    place: Place,
    out: Tables,
    raw: list[Any],
    header_text: dict[int, str],
    sections: Sections | None,
) -> Row | None:
    """A data row, or None for a row that is not one (with a notice where an officer should know)."""
    if not values and not unknown:  # nothing under a field: a section row, or nothing at all
        if sections is not None:
            sections.starts(raw, place)
        return None
    first = raw[0] if raw else None  # 例 in 序号 (the first column): the form's example, whatever its ID
    if first.__class__ is str and first.strip()[:1] in _EXAMPLE_START and _EXAMPLE.match(fold(first)):
        _notice(out, Code.ROW_EXAMPLE, place)
        return None
    if not _id_like(values):
        texts = _texts(raw) or _texts(c.value for c in values.values())
        if any(t.startswith(_TOTAL_WORDS) for t in texts):
            return None
        if _repeats_header(raw, header_text):
            _notice(out, Code.ROW_HEADER_REPEATED, place)
            return None
        if _column_numbers(raw):
            _notice(out, Code.ROW_COLUMN_NUMBERS, place)
            return None
        if any(_EXAMPLE.match(t) for t in texts) or _EXAMPLE.match(fold(values["name"].value) if "name" in values else ""):
            _notice(out, Code.ROW_EXAMPLE, place)
            return None
        if _hint(texts, values):
            _notice(out, Code.ROW_HINT, place)
            return None
        if sections is not None and sections.starts(raw, place):
            return None
        if not any(k in values or k in unknown for k in KEY_FIELDS[kind]):
            first = texts[0] if texts else ""
            if not first.startswith(_FOOTER_STARTS) and kind == "candidates":
                out.problems.append(Reason.of(Code.ROW_SKIPPED, place, row=place.row))
            return None
    return Row(kind, place, values, unknown=unknown or NO_UNKNOWN)


def _id_like(values: MutableMapping[str, Cell]) -> bool:
    """An ID cell that looks like a real number: such a row is data (the common case, decided cheaply)."""
    cell = values.get("id_number")
    if cell is None:
        return False
    value = cell.value
    if value.__class__ is int:
        return bool(value >= 10**16)
    return id_shaped(value)


def _repeats_header(raw: list[Any], header_text: dict[int, str]) -> bool:
    same = sum(1 for col, text in header_text.items() if col < len(raw) and text and fold(raw[col]) == text)
    return same >= 2


def _column_numbers(raw: list[Any]) -> bool:
    numbers = []
    for v in raw:
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        if isinstance(v, bool):
            return False
        if isinstance(v, int | float) and float(v).is_integer():
            numbers.append(int(v))
            continue
        m = _COLUMN_NUMBER.match(fold(v)) if isinstance(v, str) else None
        if m is None:
            return False
        numbers.append(int(m.group(1)))
    return len(numbers) >= 3 and all(b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False))


def _hint(texts: list[str], values: MutableMapping[str, Cell]) -> bool:
    if texts and texts[0].startswith(_HINT_STARTS):
        return True
    name = fold(values["name"].value) if "name" in values else ""
    return bool(name) and (any(w in name for w in (*_HINT_WORDS, "姓名")) or header_field("candidates", name) is not None)


def same_as_above(row: Row, above: Row, out: Tables) -> None:
    """A cell that says 同上 or 〃 takes the value of the same column in the row above, with a notice."""
    cells = row.cells
    if cells.__class__ is SheetCells:
        if not cells.marked:
            return  # no text of the row begins as 同上 does (noted as the row was read)
        texts = cells.texts()
    else:
        texts = ((f, c.value) for f, c in cells.items())
    for field, value in list(texts):
        if value.__class__ is not str or value.lstrip()[:1] not in SAME_START:
            continue
        cell = cells[field]
        if value.strip() in _SAME_AS_ABOVE and field in above.cells:
            value = above.cells[field].value
            row.cells[field] = Cell(value, above.cells[field].number_format, cell.place)
            out.problems.append(
                Reason.of(
                    Code.SAME_AS_ABOVE,
                    cell.place,
                    field=field,
                    column=column_name(row.kind, field),
                    value=cell.value.strip(),
                    above=clean(value),
                )  # fmt: skip
            )


class Sections:
    """Section rows of a candidate sheet: each names the unit of the rows below it, until the next."""

    def __init__(self, out: Tables, file: str, sheet: str | None) -> None:
        self.out, self.file, self.sheet = out, file, sheet
        self.unit: Cell | None = None  #: the unit the innermost section names (None: a group, or none yet)
        self.text = ""
        self.place: Place | None = None
        self.stated: int | None = None
        self.counted = 0

    def starts(self, raw: list[Any], place: Place) -> bool:
        """Whether this row is a section row; if so it becomes the current section."""
        texts = {clean(v) for v in raw if isinstance(v, str) and v.strip()}
        if len(texts) != 1 or any(isinstance(v, int | float) and not isinstance(v, bool) for v in raw):
            return False
        text = texts.pop()
        merged_across = sum(1 for v in raw if isinstance(v, str) and clean(v) == text) >= 2
        if not (_ENUMERATOR.match(text) or _COUNT.search(text) or _GROUP.match(text) or merged_across):
            return False
        self.close(another_follows=True)
        col = next(i for i, v in enumerate(raw) if isinstance(v, str) and clean(v) == text)
        from openpyxl.utils import get_column_letter

        cell_place = Place(self.file, self.sheet, f"{get_column_letter(col + 1)}{place.row}", place.row)
        unit = _GROUP.sub("", _COUNT.sub("", _ENUMERATOR.sub("", text))).strip(" :：")
        count = _COUNT.search(text)
        self.text, self.place, self.counted = text, cell_place, 0
        self.stated = int(count.group(1)) if count else None
        self.unit = Cell(unit, None, cell_place) if unit else None
        return True

    def apply(self, row: Row) -> Row:
        """The section's unit for a row without its own."""
        if self.place is None:
            return row
        self.counted += 1
        if self.counted == 1 and self.unit is not None:  # a group row directly over sub-sections names none
            self.out.problems.append(
                Reason.of(Code.SECTION_UNIT, self.place, row=self.place.row, text=self.text, unit=self.unit.value)
            )
        if self.unit is not None and "unit" not in row.cells and "unit" not in row.unknown:
            row.cells["unit"] = self.unit
        return row

    def close(self, *, another_follows: bool = False) -> None:
        """The section ends: a count it stated that differs from the rows beneath is reported (a group
        row, directly followed by its sub-sections, counts nothing itself)."""
        group = another_follows and self.counted == 0
        if self.place is not None and self.stated is not None and self.stated != self.counted and not group:
            self.out.problems.append(
                Reason.of(Code.SECTION_COUNT_MISMATCH, self.place, text=self.text, stated=self.stated, counted=self.counted)
            )
        self.place, self.stated, self.counted = None, None, 0
