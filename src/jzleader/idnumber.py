"""Citizen ID numbers (公民身份号码, GB 11643-1999).

Only the check digit (ISO 7064 MOD 11-2, from python-stdnum) and the birth date inside
the number are checked. python-stdnum's `validate()` is not used: it rejects real Jiaozuo
numbers (410802, 410882, 410823) and raises KeyError for 示范区 410871 (DOMAIN.md §4).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from stdnum.cn.ric import calc_check_digit

from jzleader.values import PartialDate, clean

#: Province codes of GB/T 2260 (first two digits).
_PROVINCES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82", "83", "91",
}  # fmt: skip

_SCIENTIFIC = re.compile(r"^\d(\.\d+)?e\+?\d+$", re.IGNORECASE)


@dataclass(frozen=True)
class IdCheck:
    """The outcome of reading one ID cell. `number` is set whenever 18 characters were read."""

    number: str | None  #: 18 characters, upper-case X; None when the cell gives no usable number
    problem: str | None = None  #: a codes.Code name, or None when the number is sound
    params: dict[str, Any] | None = None
    birth: PartialDate | None = None  #: the birth date inside a sound number
    numeric_cell: bool = False  #: stored in a number cell (a risk even when intact)


def mask(number: str | None) -> str:
    """410802********1234: the region and the last four, never the birth date."""
    if not number:
        return ""
    if len(number) <= 10:
        return number[:2] + "*" * max(len(number) - 2, 0)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


_ID_IN_TEXT = re.compile(r"(?<![\dX])(\d{6})\d{5,}(\d{3}[\dX])(?![\dX])", re.IGNORECASE)  #: 15 characters or more (DOMAIN §5)
_SCI_IN_TEXT = re.compile(r"(\d\.\d{5})\d+(E\+?\d+)", re.IGNORECASE)


def redact(text: str) -> str:
    """Mask every ID-shaped run (15 characters or more: a 17- or 19-digit typo too, or Excel's
    4.10802198005061E+17) in a text.

    Reporters pass every message through this unless the user asked for --show-id, so no
    code path can leak a number by forgetting to mask it.
    """
    text = _ID_IN_TEXT.sub(lambda m: m.group(1) + "*" * (len(m.group(0)) - 10) + m.group(2), text)
    return _SCI_IN_TEXT.sub(lambda m: m.group(1) + "*" * 9 + m.group(2), text)


def check_digit_ok(number: str) -> bool:
    """True when the 18th character is the ISO 7064 MOD 11-2 check character of the first 17."""
    return len(number) == 18 and number[:17].isdigit() and calc_check_digit(number) == number[17]


def _birth(number: str) -> PartialDate | None:
    try:
        day = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    if not 1900 <= day.year <= dt.date.today().year:
        return None
    return PartialDate(day.year, day.month, day.day)


_SEPARATORS = re.compile(r"[\s\-]")
_SHAPE = re.compile(r"\d{17}[\dX]")


def _compact(value: Any) -> str:
    """An ID cell's text as read_id reads it: folded (full-width digits), without spaces or hyphens, x as X."""
    return _SEPARATORS.sub("", clean(value)).upper()


def id_shaped(value: Any) -> bool:
    """Whether read_id finds a number in this text cell (17 digits and a digit or X, once spaces and hyphens
    are gone), without reading it: its check digit, birth date and region are not looked at. Cheap: for
    deciding what a row is, where read_id's bounded cache would not keep 100,000 IDs between sheets."""
    if value.__class__ is not str:
        return False
    if len(value) == 18 and value.isascii() and value[:17].isdigit() and value[17] in _LAST:
        return True  # as most are written: nothing to fold or take out
    return _SHAPE.fullmatch(_compact(value)) is not None


_LAST = frozenset("0123456789Xx")


def read_id(value: Any) -> IdCheck:
    """Read an ID cell: text, a number cell, full-width digits, spaces, lower-case x.

    The same number is read for the candidate and again for each of their detail rows, so plain
    values go through a cache (the result is immutable); a YAML list or mapping does not.
    """
    if isinstance(value, str | int | float) or value is None:
        return _read_id_cached(value)
    return _read_id(value)


@functools.lru_cache(maxsize=65536)
def _read_id_cached(value: Any) -> IdCheck:
    return _read_id(value)


def _read_id(value: Any) -> IdCheck:
    if value is None or (isinstance(value, str) and not value.strip()):
        return IdCheck(None, "ID_MISSING")
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(value, float):
        # Excel keeps 15 significant digits: an 18-digit number comes back as 4.10802198005061E+17.
        return IdCheck(None, "ID_PRECISION_LOST", {"shown": f"{value:.14E}"}, numeric_cell=True)
    text = _compact(value)
    if _SCIENTIFIC.match(text):
        return IdCheck(None, "ID_PRECISION_LOST", {"shown": text}, numeric_cell=numeric)
    if not _SHAPE.fullmatch(text):
        shape = {"shown": text, "length": len(text), "digits": text.isdigit()}  # wording says what is wrong
        return IdCheck(None, "ID_BAD_FORMAT", shape, numeric_cell=numeric)
    if not check_digit_ok(text):
        if numeric and text.endswith("000"):
            # An 18-digit number that came back from a number cell with its last digits zeroed.
            return IdCheck(text, "ID_PRECISION_LOST", {"shown": text[:15] + "000"}, numeric_cell=True)
        expected = calc_check_digit(text)
        return IdCheck(text, "ID_BAD_CHECKSUM", {"expected": expected, "given": text[17]}, numeric_cell=numeric)
    birth = _birth(text)
    if birth is None:
        return IdCheck(text, "ID_BAD_BIRTH_DATE", {"digits": text[6:14]}, numeric_cell=numeric)
    if text[:2] not in _PROVINCES:
        return IdCheck(text, "ID_REGION_UNKNOWN", {}, birth=birth, numeric_cell=numeric)
    return IdCheck(text, None, None, birth=birth, numeric_cell=numeric)
