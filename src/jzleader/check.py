"""The `check` job as a library call: files of a round in, verdicts out. No click, no printing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from jzleader.candidates import build_round
from jzleader.engine import evaluate
from jzleader.errors import InputError
from jzleader.limits import DEFAULT_MAX_UNPACKED_MB
from jzleader.load import expand_inputs, read_file
from jzleader.model import CheckResult, Round
from jzleader.ruleset.core import RuleSet

#: progress(stage, done, total): "read" counts files, "check" counts candidates; the CLI draws it
Progress = Callable[[str, int, int], None]


def read_round(
    paths: Sequence[Path], *, max_unpacked_mb: int = DEFAULT_MAX_UNPACKED_MB, progress: Progress | None = None
) -> tuple[Round, list[InputError]]:
    """Read every file of a round; a file that cannot be used is kept as an error, the rest are read.

    Raises InputError only when not one file could be used.
    """
    files = expand_inputs(paths)
    books, errors = [], []
    for i, path in enumerate(files, start=1):
        try:
            books.append(read_file(path, max_unpacked_mb=max_unpacked_mb))
        except InputError as e:
            errors.append(e)
        if progress:
            progress("read", i, len(files))
    if not books:
        raise (
            errors[0] if len(errors) == 1 else InputError(", ".join(e.path for e in errors), "；".join(e.message for e in errors))
        )
    return build_round(books), errors


def run_check(
    paths: Sequence[Path],
    rules: RuleSet,
    *,
    max_unpacked_mb: int = DEFAULT_MAX_UNPACKED_MB,
    progress: Progress | None = None,
) -> CheckResult:
    rnd, errors = read_round(paths, max_unpacked_mb=max_unpacked_mb, progress=progress)
    book = rules.title_book
    verdicts = []
    total = len(rnd.candidates)
    for i, c in enumerate(rnd.candidates, start=1):
        verdicts.append(evaluate(c, rules, book))
        if progress and (i % 500 == 0 or i == total):
            progress("check", i, total)
    return CheckResult(rules, rnd, verdicts, errors)
