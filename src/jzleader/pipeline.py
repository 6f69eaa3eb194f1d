"""The jobs as library calls: check, quota, sensitivity, template. No click, no printing.

A job takes the files of a round (expanded once, by `expand`) and a rule set, runs the stages in
one direction (inputs -> layout -> candidates -> engine -> quota / sensitivity) and returns data;
the caller chooses a reporter. Workbooks asked for (`output`, `annotate`) are written here,
because the report workbook needs the quota tally and the sensitivity run as well.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Protocol, TypeVar

from jzleader import halves
from jzleader.candidates import Planned, plan_round
from jzleader.codes import Code
from jzleader.engine import evaluate
from jzleader.errors import InputError
from jzleader.inputs import isolate
from jzleader.inputs.files import Files, expand_inputs
from jzleader.inputs.grid import Begun as Reading
from jzleader.inputs.grid import Grid, YamlDoc
from jzleader.inputs.sniff import read_file
from jzleader.layout import Early, lay_out
from jzleader.limits import DEFAULT_MAX_UNPACKED_MB
from jzleader.model import Assessment, Candidate, CheckResult, Place, QuotaReport, Reason, Round
from jzleader.quota import tally
from jzleader.ruleset.core import RuleSet
from jzleader.sensitivity import Sensitivity, sensitivity_of

T = TypeVar("T")

#: progress(stage, done, total): "read" counts files, "check" counts candidates, "write" the steps of the
#: workbooks asked for (the readings of the round, the report, the annotated copy); the CLI draws it
Progress = Callable[[str, int, int], None]


class History(Protocol):
    """What a register of rounds tells a check (jzleader.register.lookup.History): notices on the people of the
    round, and the round in which one was granted the COVID-19 tilt before. Without one nothing changes."""

    def prepare(self, candidates: Sequence[Candidate]) -> None: ...

    def notices(self, v: Assessment) -> list[Reason]: ...

    def tilt_round(self, c: Candidate) -> str | None: ...


@contextlib.contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Reading, laying out, evaluating and reporting a round make millions of small objects that live to
    the end and hold no reference cycles: the cycle collector's passes over them find nothing, and each
    full pass walks all of them (measured: a quarter of the check at 10,000 candidates, and 13 of the 118 s
    of writing the JSON at 100,000). Reference counting still frees everything as usual; the collector is
    on again afterwards (if it was) and runs on its own schedule. `check` and `sensitivity` run inside it (as
    decorated), and the commands run the writing of their output inside it as well."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def expand(paths: Sequence[Path]) -> Files:
    """The files of a round: files as given, folders expanded (see `inputs`)."""
    return expand_inputs(paths)


#: the first file of a round, its reading begun (inputs.sniff.begin_file): the call gives what read_file gives
Begun = Reading[Grid | YamlDoc]


def read_round(
    files: Sequence[Path],
    *,
    max_unpacked_mb: int = DEFAULT_MAX_UNPACKED_MB,
    progress: Progress | None = None,
    sheet: str | None = None,
    first: Begun | None = None,
) -> tuple[Round, list[InputError]]:
    """Read every file of a round; a file that cannot be used is kept as an error, the rest are read. `first`:
    the first file's reading, begun by the caller.

    Raises InputError only when not one file could be used.
    """
    plan, errors = read_plan(files, max_unpacked_mb=max_unpacked_mb, progress=progress, sheet=sheet, first=first)
    return plan.build(), errors


def read_plan(
    files: Sequence[Path], *, max_unpacked_mb: int = DEFAULT_MAX_UNPACKED_MB, progress: Progress | None = None,
    sheet: str | None = None, first: Begun | None = None,
) -> tuple[Planned, list[InputError]]:  # fmt: skip
    """`read_round`, its candidates still to be made from the plan (`candidates.Planned`)."""
    books, errors = [], []
    try:
        for i, path in enumerate(files, start=1):
            try:
                early = Early(path, sheet)  # the sheets laid out as they arrive, while the others are read
                if i == 1 and first is not None:
                    source = first(early.arrived)
                else:
                    source = read_file(path, max_unpacked_mb=max_unpacked_mb, arrived=early.arrived)
                books.append(lay_out(source, sheet=sheet, early=early))
            except InputError as e:
                errors.append(e)
            if progress:
                progress("read", i, len(files))
    finally:
        isolate.shutdown()  # the reader's worker is not needed past reading (and would share pages)
    if not books:
        raise (
            errors[0] if len(errors) == 1 else InputError(", ".join(e.path for e in errors), "；".join(e.message for e in errors))
        )
    plan = plan_round(books)
    for path, why in getattr(files, "skipped", []):  # lock, temporary and hidden files, scans and documents
        plan.round.problems.append(Reason.of(Code.FILE_SKIPPED, Place(str(path)), file=path.name, why=why))
    return plan, errors


@without_cycle_collection()
def check(
    files: Sequence[Path],
    rules: RuleSet,
    *,
    max_unpacked_mb: int = DEFAULT_MAX_UNPACKED_MB,
    progress: Progress | None = None,
    output: Path | None = None,
    annotate: Path | None = None,
    show_id: bool = False,
    lang: str = "zh",
    sheet: str | None = None,
    history: History | None = None,
    first: Begun | None = None,
) -> CheckResult:
    """Every candidate of the round evaluated; the report workbook and the annotated copy if asked. `first`: the
    first file's reading, begun by the caller (`read_round`)."""
    targets = [t for t in (output, annotate) if t is not None]
    _check_targets(targets, files)
    if annotate is not None and (len(files) != 1 or files[0].suffix.lower() not in (".xlsx", ".xlsm")):
        raise InputError(annotate, "--annotate 只能用于单个 .xlsx 文件（.xls/.csv 请先另存为 .xlsx）")
    rnd, errors = read_round(files, max_unpacked_mb=max_unpacked_mb, progress=progress, sheet=sheet, first=first)
    result = CheckResult(rules, rnd, list(assess(rnd, rules, history=history, progress=progress)), errors)
    if annotate is not None and rnd.formats.get(str(files[0])) != "xlsx":
        raise InputError(files[0], "--annotate 只能用于 .xlsx 工作簿：这个文件的内容不是 .xlsx")
    steps = (output is not None) * 2 + (annotate is not None)
    if progress and steps:
        progress("write", 0, steps)
    if output is not None:
        from jzleader.report.workbook import write_report

        quotas = tally(result, rules.quotas, _tilt(history)) if rules.quotas is not None else None
        readings = sensitivity_of(result)  # every reading of the round again: as long as the check itself
        if progress:
            progress("write", 1, steps)
        write_report(output, result, quotas=quotas, sensitivity=readings, show_id=show_id, lang=lang)
        if progress:
            progress("write", 2, steps)
    if annotate is not None:
        from jzleader.report.annotate import write_annotated

        write_annotated(annotate, files[0], result, show_id=show_id, lang=lang)
        if progress:
            progress("write", steps, steps)
    return result


def check_encoded(
    files: Sequence[Path], rules: RuleSet, encode: Callable[[Iterator[Assessment]], Iterable[T]], *,
    max_unpacked_mb: int = DEFAULT_MAX_UNPACKED_MB, sheet: str | None = None, history: History | None = None,
    first: Begun | None = None,
) -> tuple[Round, list[InputError], Iterator[T]]:  # fmt: skip
    """`check` without keeping the verdicts (no workbook written): the round read, and each assessment made into
    what the caller writes (`encode`, which must give the same for the same assessments in the same order, and
    results that pickle) as the iterator is consumed, inside the caller's `without_cycle_collection` (and
    history). A large round without a register is made, evaluated and encoded in two processes (`halves`), the
    same results in the same order. The round returned holds its files and problems; its candidates only with a
    register (which asks about all of them first)."""
    plan, errors = read_plan(files, max_unpacked_mb=max_unpacked_mb, sheet=sheet, first=first)
    return plan.round, errors, assess_encoded(plan, rules, encode, history=history)


def assess_encoded(
    plan: Planned, rules: RuleSet, encode: Callable[[Iterator[Assessment]], Iterable[T]], *,
    history: History | None = None,
) -> Iterator[T]:  # fmt: skip
    """encode(assess(plan.build(), rules, history=history)): without a register, the round made from the plan and
    evaluated a part at a time, the parts shared between two processes where `halves` can (never with a register:
    its connection stays in this process)."""
    if history is not None:
        return iter(encode(assess(plan.build(), rules, history=history)))
    book = rules.title_book
    parts = plan.parts(halves.part_size(len(plan)))  # each process makes the parts it works on
    return halves.in_two(parts, lambda part: encode(evaluate(c, rules, book) for c in plan.make(part)), items=len(plan))


def assess(
    rnd: Round, rules: RuleSet, *, history: History | None = None, progress: Progress | None = None
) -> Iterator[Assessment]:
    """Each candidate of the round evaluated, with the register's notices, one at a time as asked for: a
    reporter that writes each as it comes (check --format json) never holds them all."""
    if history is not None:
        history.prepare(rnd.candidates)
    book = rules.title_book
    total = len(rnd.candidates)
    for i, c in enumerate(rnd.candidates, start=1):
        v = evaluate(c, rules, book)
        if history is not None:
            v.reasons.extend(history.notices(v))
        if progress and (i % 500 == 0 or i == total):
            progress("check", i, total)
        yield v


def quota(
    files: Sequence[Path],
    rules: RuleSet,
    *,
    max_unpacked_mb: int = DEFAULT_MAX_UNPACKED_MB,
    output: Path | None = None,
    show_id: bool = False,
    lang: str = "zh",
    sheet: str | None = None,
    history: History | None = None,
) -> tuple[CheckResult, QuotaReport]:
    """Every unit against its quota; with no files, the quota table alone (nobody recommended)."""
    if rules.quotas is None:
        raise InputError(rules.criteria_path, "规则文件没有指定指标文件（quotas:）")
    _check_targets([output] if output is not None else [], files)
    result = (
        check(files, rules, max_unpacked_mb=max_unpacked_mb, sheet=sheet, history=history)
        if files
        else CheckResult(rules, Round(), [])
    )
    report = tally(result, rules.quotas, _tilt(history))
    if output is not None:
        from jzleader.report.workbook import write_report

        write_report(output, result, quotas=report, show_id=show_id, lang=lang)
    return result, report


@without_cycle_collection()
def sensitivity(
    files: Sequence[Path], rules: RuleSet, *, max_unpacked_mb: int = DEFAULT_MAX_UNPACKED_MB, sheet: str | None = None,
    history: History | None = None,
) -> Sensitivity:  # fmt: skip
    """The round read once, evaluated under the shipped rules and under every alternative reading."""
    return sensitivity_of(check(files, rules, max_unpacked_mb=max_unpacked_mb, sheet=sheet, history=history))


def _tilt(history: History | None) -> Callable[[Candidate], str | None] | None:
    return history.tilt_round if history is not None else None


def template(target: Path, rules: RuleSet) -> None:
    """The blank form, never over an existing file."""
    from jzleader.report.template import write_template

    _check_targets([target], [])
    if target.exists():
        raise InputError(target, "文件已存在，为免覆盖别人的表格，请换一个文件名或先删除它")
    write_template(target, rules)


def _check_targets(targets: Sequence[Path], files: Sequence[Path]) -> None:
    from jzleader.report.sheets import check_target

    for target in targets:
        check_target(target, files)
