"""The JSON documents of `check`, `quota-report` and `sensitivity` (`--format json`): a public
contract that scripts rely on. Fields may be added, never renamed or dropped."""

from __future__ import annotations

import codecs
import contextlib
import functools
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any, TextIO

import orjson

from jzleader.errors import InputError
from jzleader.model import Assessment, CheckResult, QuotaReport, Reason, Round, Verdict
from jzleader.ruleset.core import RuleSet
from jzleader.sensitivity import Sensitivity
from jzleader.wording import VERDICT_ZH, Redactor, rule_quote


def reason_json(r: Reason, text: Redactor) -> dict[str, Any]:
    p = r.place
    return {
        "code": r.code._name_,  # the enum's own attributes: .name and .value are Python calls
        "clause": r.clause,
        "message": text.message(r),
        "sheet": p.sheet if p else None,
        "cell": p.cell if p else None,
        "severity": r.severity._value_,
        "field": r.field,
        "file": text(p.file) if p and p.file else None,
        "line": p.line if p else None,
        "row": p.row if p else None,
    }


def candidate_json(v: Assessment, text: Redactor) -> dict[str, Any]:
    c = v.candidate
    number = c.id.number or c.id_written
    return {
        "row": c.place.row,
        "name": c.name,
        "unit": c.unit,
        "verdict": v.verdict,
        "clauses_met": v.clauses_met,
        "reasons": [reason_json(r, text) for r in v.reasons],
        "verdict_zh": VERDICT_ZH[v.verdict],
        "file": text(c.place.file) if c.place.file else None,
        "sheet": c.place.sheet,
        "id_number": text.id(number),
        "age": v.age or None,
        "title": c.title,
        "title_level": v.title_level or None,
        "education": v.education or None,
    }


#: the version of these documents' shape (report/shapes.py describes it; it only ever grows)
FORMAT_VERSION = "1.1"  #: 1.0 had no format_version field; 1.1 added it, errors in quota and sensitivity

#: exit status -> the document's `status`: a script reads one field instead of the exit status
STATUS = {0: "ok", 1: "findings", 2: "unusable", 3: "error"}


_PRETTY = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS


def _bytes(doc: Any) -> bytes:
    """orjson (C): the same text as json.dumps(doc, ensure_ascii=False, indent=2), many times faster."""
    return orjson.dumps(doc, option=_PRETTY)


def _binary(out: TextIO) -> IO[bytes] | None:
    """The byte stream under `out` when it writes UTF-8 (a file, stdout), flushed: bytes can go straight to it."""
    buffer = getattr(out, "buffer", None)
    if buffer is not None and (getattr(out, "encoding", "") or "").lower().replace("-", "") == "utf8":
        out.flush()
        return buffer  # type: ignore[no-any-return]
    return None


def _write(out: TextIO, data: bytes) -> None:
    binary = _binary(out)
    if binary is not None:
        binary.write(data)  # straight to the file: no decoding and encoding again
    else:
        out.write(data.decode())


def dump(doc: dict[str, Any], out: TextIO) -> None:
    _write(out, _bytes(doc) + b"\n")


def _errors(errors: Sequence[InputError], text: Redactor) -> list[dict[str, Any]]:
    """The files of the round that could not be used, each with its message (ID numbers masked)."""
    return [{"file": text(e.path), "message": text(e.message)} for e in errors]


def failure_json(
    command: str, errors: list[tuple[str, str]], *, status: str = "unusable", show_id: bool = False
) -> dict[str, Any]:
    """The document of a run that produced nothing (every file unusable, a bad rule file, an internal
    error): the same fields as a normal run's, empty, with the errors."""
    text = Redactor(show_id)
    doc: dict[str, Any] = {"format_version": FORMAT_VERSION, "status": status}
    if command == "quota-report":
        doc.update(units=[], totals=dict.fromkeys(("quota", "recommended", "exempt", "counted", "over"), 0), problems=[])
    elif command == "sensitivity":
        doc.update(knobs=[], summary={"candidates": 0, "hanging_on_a_reading": 0})
    elif command.startswith("register"):  # "register add", ...: their documents share no list to leave empty
        doc["command"] = command
    else:
        doc.update(candidates=[], summary={"eligible": 0, "review": 0, "ineligible": 0}, problems=[], files=[])
    doc["errors"] = [{"file": text(path) if path else None, "message": text(message)} for path, message in errors]
    return doc


def to_json(result: CheckResult, *, show_id: bool = False, lang: str = "zh", status: str = "ok") -> dict[str, Any]:
    text = Redactor(show_id, lang)
    candidates = [candidate_json(v, text) for v in result.verdicts]
    return _document(result.rules, result.round, result.errors, result.summary, text, status, candidates)


def _document(
    rules: RuleSet, rnd: Round, errors: Sequence[InputError], summary: dict[str, int], text: Redactor, status: str,
    candidates: list[dict[str, Any]],
) -> dict[str, Any]:  # fmt: skip
    age = rules.criteria.age
    return {
        "format_version": FORMAT_VERSION,
        "status": status,
        "candidates": candidates,
        "summary": summary,
        "problems": [reason_json(r, text) for r in rnd.problems],
        "errors": _errors(errors, text),
        "files": [text(f) for f in rnd.files],
        "rules": {
            "criteria": str(rules.criteria_path),
            "titles": str(rules.titles_path),
            "notice": rules.criteria.notice.number,
            "cutoff": age.cutoff.isoformat(),
        },
    }


def write_json(result: CheckResult, out: TextIO, *, show_id: bool = False, lang: str = "zh", status: str = "ok") -> None:
    """The document of to_json, written a candidate at a time: the same text, without ever holding the whole
    document (at 100,000 candidates it is about 200 MB of text and several times that as Python objects)."""
    stream_json(out, result.rules, result.round, result.errors, result.verdicts, status, show_id=show_id, lang=lang)


#: candidates' text held in memory before a streamed document's goes to a temporary file (about 1,000 candidates)
SPOOL_BYTES = 2 * 1024 * 1024
COPY_BYTES = 1024 * 1024  #: a streamed document's candidates are copied out of the temporary file this much at a time


#: the candidates' text of a streamed document comes in blocks: their verdicts counted, their objects joined
Block = tuple[dict[str, int], bytes]
BLOCK = 500  #: candidates in a block

_BETWEEN = b",\n    "  #: between two candidates' objects in the document


def _none_counted() -> dict[str, int]:
    """Each verdict's count before any candidate (the summary's keys, in its order)."""
    return dict.fromkeys((k.value for k in Verdict), 0)


def candidate_blocks(verdicts: Iterable[Assessment], text: Redactor) -> Iterator[Block]:
    """The candidates' objects as the document has them, BLOCK at a time, each block with its verdicts counted.
    A block stands alone (no separator before its first object): `stream_blocks` joins them."""
    counts = _none_counted()
    chunk: list[bytes] = []
    for v in verdicts:
        counts[v.verdict._value_] += 1
        chunk.append(_bytes(candidate_json(v, text)).replace(b"\n", b"\n    "))
        if len(chunk) == BLOCK:
            yield counts, _BETWEEN.join(chunk)
            counts, chunk = _none_counted(), []
    if chunk:
        yield counts, _BETWEEN.join(chunk)


def stream_json(
    out: TextIO, rules: RuleSet, rnd: Round, errors: Sequence[InputError], verdicts: Iterable[Assessment],
    status: str | Callable[[dict[str, int]], str], *, show_id: bool = False, lang: str = "zh",
) -> dict[str, int]:  # fmt: skip
    """The check's document (to_json's text) from assessments as they come, none kept; returns the summary."""
    text = Redactor(show_id, lang)
    return stream_blocks(out, rules, rnd, errors, candidate_blocks(verdicts, text), status, text)


def stream_blocks(
    out: TextIO, rules: RuleSet, rnd: Round, errors: Sequence[InputError], blocks: Iterable[Block],
    status: str | Callable[[dict[str, int]], str], text: Redactor,
) -> dict[str, int]:  # fmt: skip
    """The check's document from its candidates' blocks (`candidate_blocks`, made with `text`) as they come;
    returns the summary.

    A `status` that depends on the summary (a function of it) is known only after the last candidate, and
    comes before them in the document: their text waits in a temporary file meanwhile (in memory up to
    SPOOL_BYTES; an anonymous file, gone when closed), so that a large round's verdicts are never all held."""
    counts = _none_counted()
    with contextlib.ExitStack() as stack:
        spool: IO[bytes] | None = None
        if callable(status):
            spool = stack.enter_context(tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES))
            write: Callable[[bytes], Any] = spool.write
        else:
            _write(out, _head(status))
            write = functools.partial(_write, out)
        some = False
        for block_counts, block in blocks:
            write((_BETWEEN if some else b"\n    ") + block)
            some = True
            for verdict, n in block_counts.items():
                counts[verdict] += n
        write(b"\n  ],\n" if some else b"],\n")
        if spool is not None and callable(status):
            _write(out, _head(status(counts)))
            spool.seek(0)
            _copy(spool, out)
    doc = _document(rules, rnd, errors, counts, text, "", [])
    for key in ("format_version", "status", "candidates"):
        del doc[key]
    _write(out, _bytes(doc)[2:] + b"\n")
    return counts


def _head(status: str) -> bytes:
    """The document's text up to its first candidate."""
    return _bytes({"format_version": FORMAT_VERSION, "status": status})[:-2] + b',\n  "candidates": ['


def _copy(spool: IO[bytes], out: TextIO) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")()  # where `out` takes text: a chunk may end inside a character
    binary = _binary(out)
    while data := spool.read(COPY_BYTES):
        if binary is not None:
            binary.write(data)
        else:
            out.write(decoder.decode(data))
    if binary is None:
        out.write(decoder.decode(b"", final=True))


def quota_json(
    report: QuotaReport,
    *,
    show_id: bool = False,
    lang: str = "zh",
    status: str = "ok",
    errors: Sequence[InputError] = (),
) -> dict[str, Any]:
    text = Redactor(show_id, lang)
    q = report.quotas
    return {
        "format_version": FORMAT_VERSION,
        "status": status,
        "units": [
            {
                "unit": u.unit,
                "group": u.group,
                "quota": u.quota,
                "recommended": u.recommended,
                "exempt": u.exempt,
                "counted": u.counted,
                "over": u.over,
                "late": u.late,
                "forfeited": u.names if u.late else [],
                "submitted": u.submitted,
                "names": u.names,
                "exempt_names": u.exempt_names,
                "pooled_units": u.pooled_units,
                "ineligible_names": u.ineligible_names,
                "over_after_ineligible": u.over_after_ineligible,
            }
            for u in report.units
        ],
        "totals": report.totals(),
        "groups": {g.name: report.totals(g.name) for g in q.groups},
        "problems": [
            {**{k: v for k, v in reason_json(r, text).items() if k != "row"}, "row": r.place.row if r.place else None}
            for r in report.problems
        ],
        "selection_target": q.selection_target,
        "deadline": q.deadline.date.isoformat(),
        "over_quota_policy": report.policy,
        "errors": _errors(errors, text),
    }


def sensitivity_json(s: Sensitivity, *, show_id: bool = False, status: str = "ok") -> dict[str, Any]:
    text = Redactor(show_id)
    return {
        "format_version": FORMAT_VERSION,
        "status": status,
        "knobs": [
            {
                "knob": run.knob,
                "label": run.label,
                "default_words": run.reading(run.setting.value),
                "alternative_words": run.reading(run.alternative),
                "clause": run.setting.citation,
                "default": run.setting.value,
                "alternative": run.alternative,
                "note": run.setting.note,
                "quote": rule_quote(s.base.rules, run.setting.rule),
                "flips": [
                    {
                        "row": f.before.candidate.place.row,
                        "name": f.before.candidate.name,
                        "unit": f.before.candidate.unit,
                        "from": f.before.verdict,
                        "to": f.after.verdict,
                        "file": text(f.before.candidate.place.file) if f.before.candidate.place.file else None,
                        "clauses_from": f.before.clauses_met,
                        "clauses_to": f.after.clauses_met,
                        "reasons_added": f.added,
                        "reasons_removed": f.removed,
                    }
                    for f in run.flips
                ],
            }
            for run in s.runs
        ],
        "summary": {"candidates": len(s.base.verdicts), "hanging_on_a_reading": s.hanging},
        "errors": _errors(s.base.errors, text),
    }
