"""Turn what people type into spreadsheets into values (DOMAIN.md §4).

Every function here is pure: it takes a cell value (and, for numbers, the cell's display
format) and returns a value, or says why it cannot. Nothing here decides a verdict.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from jzleader.vocab import EQUIVALENT, OTHER_CATEGORY, VENUE_RANK

_SPACE = re.compile(r"\s+")


def clean(value: Any) -> str:
    """Text as shown, with full-width characters folded (NFKC) and runs of spaces collapsed."""
    if value.__class__ is str:  # most cells: first, by the exact class
        return _clean_text(value)
    if value is None:
        return ""
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _clean_text(str(value))


@functools.lru_cache(maxsize=65536)
def _clean_text(text: str) -> str:
    """Cached: the same titles, units and levels recur on every row of a workbook."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def fold(value: Any) -> str:
    """A key for matching: `clean` without any spaces, Latin letters lower-cased."""
    return _fold_text(clean(value))


@functools.lru_cache(maxsize=65536)
def _fold_text(text: str) -> str:
    """Cached as _clean_text is: the keys of units, levels and 是/否 recur on every row."""
    return _SPACE.sub("", text).lower()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- booleans --------------------------------------------------------------------------

_TRUE = {"是", "√", "✓", "✔", "y", "yes", "true", "1", "有", "t", "☑"}
_FALSE = {"否", "×", "✗", "✘", "x", "n", "no", "false", "0", "无", "f", "不是", "没有", "☐"}


def parse_bool(value: Any) -> bool | None:
    """是/否, √/×, Y/N, 1/0; a blank cell is 否. None means the cell says something else."""
    if is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    key = fold(value)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return None


def parse_int(value: Any) -> int | None:
    """A whole number from a number cell or text such as "３" or "1,980"; None when it is not one."""
    if isinstance(value, bool) or is_blank(value):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = fold(value).replace(",", "")
    text = re.sub(r"^第|名$|位$|字$", "", text)
    return int(text) if re.fullmatch(r"\d+", text) else None


# --- dates -----------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day (forms often say only 出生年月)."""

    year: int
    month: int | None = None
    day: int | None = None

    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def iso(self) -> str:
        """1975, 1975-07 or 1975-07-05."""
        return "-".join([f"{self.year:04d}", *(f"{x:02d}" for x in (self.month, self.day) if x is not None)])

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year}年"
        if self.day is None:
            return f"{self.year}年{self.month}月"
        return f"{self.year}年{self.month}月{self.day}日"


@dataclass(frozen=True)
class DateParse:
    """The readings of one date cell. Two readings mean the cell is ambiguous."""

    readings: tuple[PartialDate, ...] = ()
    shown: str = ""  #: what the cell shows, for messages
    serial: bool = False  #: read from a bare Excel serial number
    blank: bool = False

    @property
    def ok(self) -> bool:
        return len(self.readings) == 1

    @property
    def ambiguous(self) -> bool:
        return len(self.readings) > 1

    @property
    def unreadable(self) -> bool:
        return not self.blank and not self.readings


_YMD_CN = re.compile(r"^(\d{4})年(\d{1,2})月(?:(\d{1,2})日?)?$")
_YMD_SEP = re.compile(r"^(\d{4})[./\-](\d{1,2})(?:[./\-](\d{1,2}))?$")
_YMD_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")
_YEAR = re.compile(r"^(\d{4})年?$")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)  #: openpyxl's WINDOWS_EPOCH
_MIN_YEAR, _MAX_YEAR = 1900, 2100


def _decimals(number_format: str | None) -> int | None:
    """How many decimals a numeric display format shows ("0.00" -> 2); None for General."""
    if not number_format or number_format.lower() == "general":
        return None
    m = re.search(r"0\.(0+)", number_format)
    return len(m.group(1)) if m else 0


def _partial(year: int, month: int | None, day: int | None) -> PartialDate | None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and (month is None or not 1 <= day <= calendar.monthrange(year, month)[1]):
        return None
    return PartialDate(year, month, day)


def parse_date(value: Any, number_format: str | None = None, *, epoch: dt.datetime | None = None) -> DateParse:
    """Read a (birth or submission) date from a cell.

    - Excel dates and `datetime` values are exact.
    - A number such as 1975.07 is year.month; `1975.1` is read through the cell's display
      format (`0.00` shows 1975.10, October). With no format that shows two decimals it is
      ambiguous: January or October, both readings returned.
    - A bare number in the Excel serial range is read as a date serial, and says so.
    - Text: 1975.07, 1975-7, 1975/07/05, 1975年7月, 1975年7月5日, 19750705, 197507.
    """
    if is_blank(value):
        return DateParse(blank=True)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        p = _partial(value.year, value.month, value.day)
        return DateParse((p,) if p else (), shown=value.isoformat())
    if isinstance(value, bool):
        return DateParse(shown=str(value))
    if isinstance(value, int | float):
        return _parse_number(value, number_format, epoch or _EXCEL_EPOCH)
    return _parse_text(clean(value))


def _parse_number(value: float, number_format: str | None, epoch: dt.datetime) -> DateParse:
    if float(value).is_integer() and _MIN_YEAR <= value <= _MAX_YEAR:
        p = _partial(int(value), None, None)
        return DateParse((p,) if p else (), shown=str(int(value)))
    if _MIN_YEAR < value < _MAX_YEAR + 1:
        decimals = _decimals(number_format)
        shown = f"{value:.{decimals}f}" if decimals else repr(float(value))
        return _parse_text(shown, formatted=bool(decimals and decimals >= 2))
    if 3000 <= value < 80000:  # 1908..2119 as an Excel serial with its date format lost
        from openpyxl.utils.datetime import from_excel

        day = from_excel(int(value), epoch).date()
        p = _partial(day.year, day.month, day.day)
        return DateParse((p,) if p else (), shown=str(int(value)), serial=True)
    return DateParse(shown=clean(value))


def _parse_text(text: str, *, formatted: bool = False) -> DateParse:
    """`formatted`: the text comes from a display format showing two decimals, so `.1` is not typed."""
    text = re.sub(r"\s+0{1,2}:0{2}(:0{2})?$", "", text)  # "1975-07-05 00:00:00"
    text = text.replace(" ", "")
    for pattern in (_YMD_CN, _YMD_SEP, _YMD_DIGITS):
        m = pattern.match(text)
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            day = int(m.group(3)) if m.group(3) else None
            if pattern is _YMD_SEP and day is None and not formatted and m.group(2) == "1" and "." in text:
                readings = tuple(p for p in (_partial(year, 1, None), _partial(year, 10, None)) if p)
                return DateParse(readings, shown=text)
            p = _partial(year, month, day)
            return DateParse((p,) if p else (), shown=text)
    m = _YEAR.match(text)
    if m:
        p = _partial(int(m.group(1)), None, None)
        return DateParse((p,) if p else (), shown=text)
    return DateParse(shown=text)


def zh_date(day: dt.date) -> str:
    """2020年6月30日, as the notice writes dates."""
    return str(PartialDate(day.year, day.month, day.day))


def completed_years(birth: dt.date, on: dt.date) -> int:
    """Age in 周岁: completed years, a year added on the birthday itself.

    A 29 February birthday is reached on 1 March in a common year.
    """
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def age_range(birth: PartialDate, on: dt.date) -> tuple[int, int]:
    """Youngest and oldest possible age on `on` for a date known only to the month or year."""
    return completed_years(birth.latest(), on), completed_years(birth.earliest(), on)


# --- vocabularies of the workbook contract (DOMAIN.md §3) --------------------------------


Table = tuple[tuple[tuple[str, ...], str], ...]


def _lookup(value: Any, table: Table) -> str | None:
    return _lookup_key(fold(value), table)


@functools.lru_cache(maxsize=16384)
def _lookup_key(key: str, table: Table) -> str | None:
    for needles, canonical in table:
        if any(n in key for n in needles):
            return canonical
    return None


_EDUCATION: Table = (
    (("同等学力", "同等学历"), EQUIVALENT),
    (("博士",), "博士研究生"),
    (("硕士",), "硕士研究生"),
    (("研究生",), "研究生"),
    (("本科", "大本", "学士"), "大学本科"),
    (("专科", "大专", "高职"), "大学专科"),
    (("中专", "中技", "技校", "高中", "职高", "初中", "小学"), "中专及以下"),
)


def parse_education(value: Any) -> str | None:
    """Canonical 学历, or None when the text is not one; 同等学力 (a route to a degree, not a 学历) is EQUIVALENT."""
    return _lookup(value, _EDUCATION) or None


_DEGREE: Table = ((("博士",), "博士"), (("硕士",), "硕士"), (("学士",), "学士"))


def parse_degree(value: Any) -> str | None:
    return _lookup(value, _DEGREE)


def parse_gender(value: Any) -> str | None:
    key = fold(value)
    return {"男": "男", "1": "男", "m": "男", "女": "女", "2": "女", "f": "女"}.get(key)


#: "高级" alone is at least 副高级.
_TITLE_LEVEL: Table = (
    (("正高",), "正高级"),
    (("副高",), "副高级"),
    (("高级",), "副高级"),
    (("中级",), "中级"),
    (("初级", "员级", "助理级"), "初级"),
)


def parse_title_level(value: Any) -> str | None:
    return _lookup(value, _TITLE_LEVEL)


_LEVEL: Table = (
    (("国际", "国家"), "国家级"),
    (("省", "部级"), "省部级"),
    (("市", "厅", "地区"), "市厅级"),
    (("县", "区级", "乡", "镇"), "县级"),
)


def parse_level(value: Any) -> str | None:
    return _lookup(value, _LEVEL)


_GRADE: Table = (
    (("特等",), "特等奖"),
    (("一等", "1等"), "一等奖"),
    (("二等", "2等"), "二等奖"),
    (("三等", "3等"), "三等奖"),
    (("优秀", "鼓励"), "优秀奖"),
)


def parse_grade(value: Any) -> str | None:
    return _lookup(value, _GRADE)


_CATEGORY: Table = (
    (("自然科学",), "自然科学奖"),
    (("技术发明",), "技术发明奖"),
    (("科学技术进步", "科技进步"), "科学技术进步奖"),
    (("社会科学", "社科"), "社会科学优秀成果奖"),
)


def parse_award_category(value: Any) -> str:
    """奖项类别; anything not one of the four named kinds is 其他."""
    return _lookup(value, _CATEGORY) or OTHER_CATEGORY


#: SCI/SSCI/EI/A&HCI count as 国际; 北大核心/CSSCI/CSCD as 国家级 (DOMAIN.md §1).
#: index names are matched as whole tokens: CSSCI contains SCI but is a Chinese index
_VENUE_INDEX = {"sci": "国际", "ssci": "国际", "ei": "国际", "a&hci": "国际", "ahci": "国际",
                "cssci": "国家级", "cscd": "国家级"}  # fmt: skip
_VENUE: Table = (
    (("国际",), "国际"),
    (("北大核心", "中文核心", "核心", "国家"), "国家级"),
    (("省", "部级"), "省部级"),
    (("市",), "市级"),
    (("其他", "其它", "一般", "普通", "县"), "其他"),
)


def parse_venue_level(value: Any) -> str | None:
    levels = [_VENUE_INDEX[t] for t in re.findall(r"[a-z&]+", fold(value)) if t in _VENUE_INDEX]
    if levels:
        return max(levels, key=VENUE_RANK.__getitem__)
    return _lookup(value, _VENUE)


_PUB_KIND: Table = ((("专著", "著作", "编著", "论著", "书"), "专著"), (("论文", "文章"), "论文"))


def parse_publication_kind(value: Any) -> str | None:
    return _lookup(value, _PUB_KIND)


_ROLE: Table = (
    (("主要技术负责", "技术负责"), "主要技术负责人"),
    (("主持", "负责人", "牵头"), "主持"),
    (("参与", "参加", "成员"), "参与"),
)


def parse_role(value: Any) -> str | None:
    return _lookup(value, _ROLE)


_BODY_LEVEL = [
    # (pattern on the folded awarding body, level it implies)
    (re.compile(r"国务院|^国家(自然科学|科学技术|科技)"), "国家级"),
    (
        re.compile(
            r"省人民政府|省政府|^(中华人民共和国)?(教育|科学技术|科技|农业农村|农业|工业和信息化|水利|交通运输|住房和城乡建设)部$"
        ),
        "省部级",
    ),
    (re.compile(r"省.*(厅|委员会|局)$|省.*(厅|委)$"), "市厅级"),
    (re.compile(r"市人民政府|市政府"), "市厅级"),
]


def infer_body_level(body: Any) -> str | None:
    """The award level an awarding body implies, only where it is unmistakable.

    省人民政府 or a ministry -> 省部级; a 省厅 (e.g. 河南省教育厅) -> 厅级 = 市厅级;
    a 市人民政府 -> 市厅级. Anything else (a society, an association) implies nothing.
    """
    key = fold(body)
    if not key:
        return None
    for pattern, level in _BODY_LEVEL:
        if pattern.search(key):
            return level
    return None
