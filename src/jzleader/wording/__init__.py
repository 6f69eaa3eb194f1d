"""Codes -> sentences: the one place where decisions become Chinese (or English) text.

The engine, the quota tally and sensitivity hand over codes with their values and places (dates,
numbers, lists, what a clause found); this module turns them into what an officer reads, in the
language asked for (zh.py, en.py). Masking of ID numbers (`Redactor`) is applied by the reporters
to whatever text leaves the program.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from jzleader.codes import Code, Detail, Severity
from jzleader.idnumber import mask, redact
from jzleader.model import Finding, Place, Reason, Verdict
from jzleader.ruleset.core import RuleSet
from jzleader.values import PartialDate, zh_date
from jzleader.wording import en, zh

LANGS = ("zh", "en")


class _Book(Protocol):
    TEMPLATES: dict[Code, str]
    DETAILS: dict[Detail, str]
    WORDS: dict[str, str]


_BOOKS: dict[str, _Book] = {"zh": zh, "en": en}

VERDICT_ZH = {v: zh.WORDS[v.value] for v in Verdict}


def verdict_label(verdict: Verdict, lang: str = "zh") -> str:
    return _BOOKS[lang].WORDS[verdict.value]


def severity_label(severity: Severity, lang: str = "zh") -> str:
    return _BOOKS[lang].WORDS[severity.value]


def template(code: Code, lang: str = "zh") -> str:
    return _BOOKS[lang].TEMPLATES[code]


def message(r: Reason, lang: str = "zh") -> str:
    """The sentence for a reason; a parameter missing or of the wrong shape never raises."""
    text = template(r.code, lang)
    try:
        return text.format(**_prepare(r.code, r.params, lang))
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        return text


def cited(r: Reason, lang: str = "zh") -> str:
    """A reason as a sentence with its clause in front: [二、3] 截至……"""
    return f"[{r.clause}] {message(r, lang)}" if r.clause else message(r, lang)


def where(place: Place | None, *, with_file: bool = False, lang: str = "zh") -> str:
    """“候选人” C5, or 第3行 (the line) for YAML; with the file name when the round has several files."""
    if place is None:
        return ""
    words = _BOOKS[lang].WORDS
    parts = []
    if with_file and place.file:
        parts.append(Path(place.file).name)
    if place.sheet:
        parts.append(f"“{place.sheet}”")
    if place.cell:
        parts.append(place.cell)
    elif place.line:
        parts.append(words["row_in_file"].format(row=place.line))
    elif place.row:
        parts.append(words["row_in_file"].format(row=place.row))
    return " ".join(parts)


def row_where(place: Place, lang: str = "zh") -> str:
    """A row in a round: 沁阳市.xlsx“推荐人选”第5行."""
    words = _BOOKS[lang].WORDS
    parts = [Path(place.file).name] if place.file else []
    if place.sheet:
        parts.append(words["sheet_quoted"].format(sheet=place.sheet))
    parts.append(words["row_in_file"].format(row=place.row))
    return "".join(parts)


def rule_quote(rules: RuleSet, rule_id: str | None) -> str:
    return next((r.quote for r in rules.criteria.rules if r.id == rule_id), "")


#: what must never reach a terminal from a cell: control characters (an ESC starts a terminal command)
#: and the bidirectional overrides that make a text display as another
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


REMEMBERED_TEXTS = 4096  #: a Redactor keeps this many texts it made safe (file names, recurring messages)


class Redactor:
    """How text leaves the program: in the language asked for, with ID numbers masked unless the
    user asked for --show-id. Reporters write every sentence through one of these."""

    def __init__(self, show_id: bool, lang: str = "zh") -> None:
        self.show_id = show_id
        self.lang = lang
        self._done: dict[str, str] = {}  #: texts already made safe: a file's name is on every reason from it

    def __call__(self, text: str) -> str:
        done = self._done.get(text)
        if done is None:
            done = _UNPRINTABLE.sub("", text)
            done = done if self.show_id else redact(done)
            if len(self._done) < REMEMBERED_TEXTS:
                self._done[text] = done
        return done

    def id(self, number: str) -> str:
        return number if self.show_id else mask(number)

    def message(self, r: Reason) -> str:
        return self(message(r, self.lang))

    def cited(self, r: Reason) -> str:
        return self(cited(r, self.lang))

    def where(self, place: Place | None, *, with_file: bool = False) -> str:
        return self(where(place, with_file=with_file, lang=self.lang))

    def verdict(self, verdict: Verdict) -> str:
        return verdict_label(verdict, self.lang)

    def severity(self, severity: Severity) -> str:
        return severity_label(severity, self.lang)

    def word(self, key: str, **params: Any) -> str:
        """One of the reporters' own words and labels (zh.WORDS / en.WORDS), filled in."""
        return _BOOKS[self.lang].WORDS[key].format(**{k: render(v, self.lang) for k, v in params.items()})


# --- parameters -> text ------------------------------------------------------------------------------


def render(value: Any, lang: str = "zh") -> str:
    """One parameter as text: dates as the language writes them, lists joined, what a clause found."""
    kind = value.__class__
    if kind is str:  # most parameters: names, titles, values as written
        return value  # type: ignore[no-any-return]
    if kind is int:
        return str(value)
    if isinstance(value, Finding):
        return _finding(value, lang)
    if isinstance(value, PartialDate):
        return str(value) if lang == "zh" else value.iso()
    if isinstance(value, dt.date):
        return zh_date(value) if lang == "zh" else value.isoformat()
    if isinstance(value, list | tuple):
        return _BOOKS[lang].WORDS["list"].join(render(v, lang) for v in value)
    return "" if value is None else str(value)


Prepare = Callable[[dict[str, Any], dict[str, str], str], dict[str, Any]]


def _or(values: Any, w: dict[str, str], lang: str) -> str:
    return w["or"].join(render(v, lang) for v in values)


def _earlier(rounds: list[dict[str, Any]], w: dict[str, str], lang: str) -> str:
    """The rounds a person was recommended in before: year, round, unit and verdict each."""
    return render([w["earlier_round"].format(year=r["year"] or "", round=r["round"], unit=r["unit"] or w["blank"],
                                             verdict=w[r["verdict"]]) for r in rounds], lang)  # fmt: skip


def _blank(value: Any, w: dict[str, str]) -> Any:
    return value if value not in (None, "") else w["blank"]


def _id_detail(p: dict[str, Any], w: dict[str, str], lang: str) -> dict[str, Any]:
    if p.get("digits") and p.get("length") == 15:
        detail = w["id_old_15"]
    elif p.get("digits"):
        detail = w["id_length"].format(length=p.get("length"))
    else:
        detail = w["id_characters"]
    return {**p, "detail": detail}


def _missing(p: dict[str, Any], w: dict[str, str], lang: str) -> dict[str, Any]:
    parts = []
    for token, value in p["missing"]:
        parts.append(w[token].format(value=value))
    return {**p, "missing": w["missing"].join(parts)}


_PREPARE: dict[Code, Prepare] = {
    Code.BORN_AFTER_BOUND_OK: lambda p, w, lang: {**p, "bound": p["bound"].isoformat()},
    Code.BORN_BEFORE_BOUND: lambda p, w, lang: {**p, "bound": p["bound"].isoformat()},
    Code.AGE_UNDECIDABLE: lambda p, w, lang: {
        **p,
        "readings": w["age_readings"].join(w["age_reading"].format(date=render(d, lang), age=a) for d, a in p["readings"]),
    },
    Code.BIRTH_DATE_AMBIGUOUS: lambda p, w, lang: {**p, "readings": _or(p["readings"], w, lang)},
    Code.BIRTH_DATE_RESOLVED_BY_ID: lambda p, w, lang: {**p, "readings": _or(p["readings"], w, lang)},
    Code.BIRTH_DATE_MISMATCH: lambda p, w, lang: {**p, "column_date": _or(p["column_date"], w, lang)},
    Code.ID_BAD_FORMAT: _id_detail,
    Code.DUPLICATE_ID: lambda p, w, lang: {**p, "others": w["list"].join(row_where(o, lang) for o in p["others"])},
    Code.QUALIFICATION_NOT_MET: lambda p, w, lang: {
        **p,
        "title": _blank(p.get("title"), w),
        "education": _blank(p.get("education"), w),
    },
    Code.QUALIFICATION_MISSING: _missing,
    Code.EXEMPTION_CLAIMED: lambda p, w, lang: {
        **p,
        "reason": w["exemption_reason"].format(reason=p["reason"]) if p.get("reason") else w["exemption_no_reason"],
    },
    Code.DEGREE_WITHOUT_EDUCATION: lambda p, w, lang: {**p, "education": _blank(p.get("education"), w)},
    Code.DEGREE_COUNTED: lambda p, w, lang: {**p, "education": _blank(p.get("education"), w)},
    Code.TITLE_UNKNOWN: lambda p, w, lang: {
        **p,
        "suggestions": w["suggestions"].format(titles=render(p["suggestions"], lang)) if p.get("suggestions") else "",
    },
    Code.VALUE_UNREADABLE: lambda p, w, lang: {**p, "expected": w["expected"].format(values="/".join(p["expected"]))},
    Code.COVID_EXEMPTION_REFUSED: lambda p, w, lang: {**p, "why": w["why_" + p["why"]].format(round=p.get("round"))},
    Code.FILE_SKIPPED: lambda p, w, lang: {**p, "why": w["skip_" + p["why"]]},
    Code.REGISTER_EARLIER: lambda p, w, lang: {**p, "rounds": _earlier(p["rounds"], w, lang)},
    Code.REGISTER_SELECTED: lambda p, w, lang: {**p, "rounds": render(p["rounds"], lang)},
    Code.COVID_EXEMPT: lambda p, w, lang: {**p, "category": p.get("category") or w["category_blank"]},
    Code.UNIT_TYPO: lambda p, w, lang: {**p, "name": p["name"] if p.get("name") is not None else w["units_sheet"]},
    Code.UNIT_UNKNOWN: lambda p, w, lang: {**p, "name": p["name"] if p.get("name") is not None else w["units_sheet"]},
    Code.UNIT_BLANK: lambda p, w, lang: {**p, "name": p["name"] if p.get("name") is not None else w["units_sheet"]},
    Code.UNIT_LATE: lambda p, w, lang: {**p, "names": render(p["names"], lang) or w["none"]},
    Code.DETAIL_UNMATCHED: lambda p, w, lang: {**p, "who": p.get("who") or w["no_name"]},
    Code.FORMAT_BY_CONTENT: lambda p, w, lang: {**p, "suffix": p.get("suffix") or w["no_suffix"]},
    Code.ROWS_HIDDEN: lambda p, w, lang: {
        **p,
        "sheet": w["sheet_named"].format(sheet=p["sheet"]) if p.get("sheet") else w["the_table"],
    },
    Code.FORMAT_TEXT_TABLE: lambda p, w, lang: {
        **p,
        "suffix": p.get("suffix") or w["no_suffix"],
        "what": w.get("what_" + str(p.get("what")), p.get("what")),
    },
}


def _prepare(code: Code, params: dict[str, Any], lang: str) -> dict[str, str]:
    w = _BOOKS[lang].WORDS
    prepare = _PREPARE.get(code)
    ready = prepare(params, w, lang) if prepare else params
    return {k: v if v.__class__ is str else render(v, lang) for k, v in ready.items()}


def _option(o: dict[str, Any], w: dict[str, str]) -> str:
    return w["award_option"].format(
        level=o["level"], categories=w["slash"].join(o["categories"]), grade=o["grade"], count=o["count"]
    )


def _finding(f: Finding, lang: str) -> str:
    """What an achievement clause found, as a sentence."""
    w = _BOOKS[lang].WORDS
    p = dict(f.params)
    if f.detail is Detail.AWARDS_MET:
        p["option"] = _option(p["option"], w)
    elif f.detail is Detail.AWARDS_SHORT:
        p["options"] = w["alternatives"].join(_option(o, w) for o in p["options"])
        listed = [
            w["award_listed"].format(level=level or w["level_blank"], category=category, grade=grade or w["grade_blank"])
            for level, category, grade in p["listed"]
        ]
        p["listed"] = w["list"].join(listed) or w["none"]
    elif f.detail is Detail.PROJECTS_OPEN:
        p["count"] = len(p["names"])
        p["names"] = [n or w["unnamed_project"] for n in p["names"]]
    elif f.detail is Detail.PROJECTS_NONE:
        p["roles"] = w["slash"].join(p["roles"])
    elif f.detail is Detail.HONOUR_FIELD_OPEN:
        p["field_text"] = w["field_is"].format(field=p["field"]) if p.get("field") else w["field_blank"]
    return _BOOKS[lang].DETAILS[f.detail].format(**{k: render(v, lang) for k, v in p.items()})
