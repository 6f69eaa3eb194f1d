"""The commands on the files of a round: check, quota-report, sensitivity."""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import rich_click as click

from jzleader.cli.base import (
    EXIT_FINDINGS,
    EXIT_HELP,
    EXIT_OK,
    EXIT_UNUSABLE,
    _format_option,
    _lang_option,
    _limit_option,
    _rules_option,
    _sheet_option,
    _show_id_option,
    _unusable_input_exits,
    _warn,
    cli,
)  # fmt: skip
from jzleader.cli.register import history_options, open_history


@cli.command(epilog=EXIT_HELP["check"])
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_rules_option
@_format_option
@click.option("--explain", is_flag=True, help="列出每个条件的判断、取值和通知原文。Show every condition evaluated.")
@click.option("--strict", is_flag=True, help="有待核实的人选时也返回 1。Exit 1 for review verdicts too.")
@_show_id_option
@_lang_option
@_sheet_option
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="另存审核结果工作簿（审核结果、问题清单、指标、口径影响）。Write a report workbook.",
)
@click.option(
    "--annotate",
    type=click.Path(path_type=Path),
    default=None,
    help="另存一份加了批注的原工作簿（只用于单个 .xlsx）。Write an annotated copy of the input.",
)
@click.option(
    "--only", default=None, metavar="ROW|NAME",
    help="--explain 只显示这一人（行号或姓名）。With --explain: only this candidate (row or name).",
)  # fmt: skip
@_limit_option
@history_options
def check(
    paths: tuple[Path, ...], rules_path: Path | None, fmt: str, explain: bool, strict: bool, show_id: bool, lang: str,
    sheet: str | None, output: Path | None, annotate: Path | None, only: str | None, max_unpacked_mb: int,
    register_db: str | None, round_name: str | None, register_key_file: Path | None,
) -> None:  # fmt: skip
    """检查一个或多个推荐工作簿（.xlsx/.xls/.ods/.csv/.yaml，或一个文件夹）。

    Check one or more workbooks of a round (files or a folder) and give every candidate a verdict:
    符合 eligible / 待核实 review / 不符合 ineligible.

    示例 Examples:

    \b
      jzleader check 沁阳市推荐人选.xlsx
      jzleader check 报送材料/ --output 审核结果.xlsx
      jzleader check 沁阳市推荐人选.xlsx --explain --only 李娜
      jzleader check 报送材料/ --format json > 结果.json
    """
    from jzleader.inputs import isolate
    from jzleader.inputs.files import expand_inputs
    from jzleader.inputs.sniff import begin_file

    def exit_code(errors: Sequence[object], s: dict[str, int]) -> int:
        return EXIT_UNUSABLE if errors else EXIT_FINDINGS if s["ineligible"] or (strict and s["review"]) else EXIT_OK

    with contextlib.ExitStack() as stack:
        stack.enter_context(_unusable_input_exits(fmt, "check", show_id))
        # the first file's sheets are read by the readers' workers while the rest of the program is imported and
        # the rule files are loaded; a run that ends early (a bad rule file) abandons them
        stack.enter_context(isolate.abandoned_on_error())
        files = expand_inputs(paths)
        first = begin_file(files[0], max_unpacked_mb=max_unpacked_mb) if files else None
        from jzleader import pipeline
        from jzleader.report.jsondoc import STATUS, candidate_blocks, stream_blocks, write_json
        from jzleader.ruleset.load import load_rules
        from jzleader.wording import Redactor

        # the output is as many objects again as the round: no cycle collection through the writing either
        stack.enter_context(pipeline.without_cycle_collection())
        rules = load_rules(rules_path)
        history_of = open_history(register_db, round_name, register_key_file, rules, files)
        if fmt == "json" and output is None and annotate is None:  # each candidate written as it is evaluated
            with history_of as history:
                text = Redactor(show_id, lang)
                rnd, errors, blocks = pipeline.check_encoded(
                    files, rules, functools.partial(candidate_blocks, text=text), max_unpacked_mb=max_unpacked_mb,
                    sheet=sheet, history=history, first=first,
                )  # fmt: skip
                summary = stream_blocks(sys.stdout, rules, rnd, errors, blocks, lambda s: STATUS[exit_code(errors, s)], text)
            code = exit_code(errors, summary)
        else:
            with history_of as history, _progress(files, fmt) as progress:
                result = pipeline.check(
                    files, rules, max_unpacked_mb=max_unpacked_mb, progress=progress, output=output,
                    annotate=annotate, show_id=show_id, lang=lang, sheet=sheet, history=history, first=first,
                )  # fmt: skip
            errors = result.errors
            code = exit_code(errors, result.summary)
            if fmt == "json":
                write_json(result, sys.stdout, show_id=show_id, lang=lang, status=STATUS[code])
            else:
                from jzleader.report.text import write_text  # rich's console: not imported for JSON

                written = [p for p in (output, annotate) if p is not None]
                write_text(result, sys.stdout, explain=explain or only is not None, show_id=show_id, lang=lang,
                           only=only, exit_code=code, written=written)  # fmt: skip
    if fmt == "json" or not sys.stdout.isatty():  # on a terminal the errors were printed once, above the verdicts
        for e in errors:
            _warn(f"{e.path}：{e.message}")
    sys.exit(code)


LARGE_INPUT_BYTES = 2_000_000  #: about 1,000 candidates: below this a run ends before a bar is worth drawing


@contextlib.contextmanager
def _progress(paths: Sequence[Path], fmt: str) -> Iterator[Any]:
    """A rich progress bar on stderr while reading and checking a large input, when stderr is a
    terminal and the output is text. Piped output and --format json get nothing extra."""
    size = 0
    for p in paths:
        with contextlib.suppress(OSError):
            size += sum(f.stat().st_size for f in p.iterdir()) if p.is_dir() else p.stat().st_size
    if fmt != "text" or not sys.stderr.isatty() or size < LARGE_INPUT_BYTES:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    labels = {"read": "读取文件", "check": "逐人审核", "write": "生成工作簿"}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=Console(stderr=True), transient=True) as bar:  # fmt: skip
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(labels.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


@cli.command("quota-report", epilog=EXIT_HELP["quota-report"])
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_rules_option
@_format_option
@_show_id_option
@_lang_option
@_sheet_option
@click.option(
    "--output", type=click.Path(path_type=Path), default=None, help="另存审核结果工作簿（含“指标”表）。Write a report workbook."
)
@click.option(
    "--all", "every_unit", is_flag=True,
    help="列出全部单位（默认只列本次报送的单位）。List every unit, not only those in the files.",
)  # fmt: skip
@_limit_option
@history_options
def quota_report(
    paths: tuple[Path, ...], rules_path: Path | None, fmt: str, show_id: bool, lang: str, sheet: str | None,
    output: Path | None, every_unit: bool, max_unpacked_mb: int, register_db: str | None, round_name: str | None,
    register_key_file: Path | None,
) -> None:  # fmt: skip
    """各推荐单位的指标使用情况；不给文件时打印指标分配表。

    Every unit against its quota (COVID-19 exemption, deadline). Without files: the allocation table.

    示例 Examples:

    \b
      jzleader quota-report
      jzleader quota-report 报送材料/ --output 审核结果.xlsx
    """
    from jzleader import pipeline
    from jzleader.report.jsondoc import STATUS, dump, quota_json
    from jzleader.report.text import write_quota_text
    from jzleader.ruleset.load import load_rules

    with _unusable_input_exits(fmt, "quota-report", show_id):
        rules = load_rules(rules_path)
        files = pipeline.expand(paths)
        with open_history(register_db, round_name, register_key_file, rules, files) as history:
            result, report = pipeline.quota(files, rules, max_unpacked_mb=max_unpacked_mb, output=output,
                                            show_id=show_id, lang=lang, sheet=sheet, history=history)  # fmt: skip
    code = EXIT_UNUSABLE if result.errors else EXIT_FINDINGS if report.has_findings else EXIT_OK
    if fmt == "json":
        dump(quota_json(report, show_id=show_id, lang=lang, status=STATUS[code], errors=result.errors), sys.stdout)
    else:
        write_quota_text(report, sys.stdout, with_counts=bool(paths), show_id=show_id, lang=lang, every_unit=every_unit)
    for e in result.errors:
        _warn(f"{e.path}：{e.message}")
    sys.exit(code)


@cli.command(epilog=EXIT_HELP["sensitivity"])
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_rules_option
@_format_option
@_show_id_option
@_lang_option
@_sheet_option
@_limit_option
@history_options
def sensitivity(
    paths: tuple[Path, ...], rules_path: Path | None, fmt: str, show_id: bool, lang: str, sheet: str | None,
    max_unpacked_mb: int, register_db: str | None, round_name: str | None, register_key_file: Path | None,
) -> None:  # fmt: skip
    """哪些人选的结论取决于对通知的理解（口径）。

    For every interpretation knob, evaluate the round under each alternative reading and list the
    candidates whose verdict or clauses change.

    示例 Examples:

    \b
      jzleader sensitivity 报送材料/
    """
    from jzleader import pipeline
    from jzleader.report.jsondoc import STATUS, dump, sensitivity_json
    from jzleader.report.text import write_sensitivity_text
    from jzleader.ruleset.load import load_rules

    with _unusable_input_exits(fmt, "sensitivity", show_id):
        rules = load_rules(rules_path)
        files = pipeline.expand(paths)
        with open_history(register_db, round_name, register_key_file, rules, files) as history:
            result = pipeline.sensitivity(files, rules, max_unpacked_mb=max_unpacked_mb, sheet=sheet, history=history)
    code = EXIT_UNUSABLE if result.base.errors else EXIT_OK
    if fmt == "json":
        dump(sensitivity_json(result, show_id=show_id, status=STATUS[code]), sys.stdout)
    else:
        write_sensitivity_text(result, sys.stdout, show_id=show_id, lang=lang)
    for e in result.base.errors:
        _warn(f"{e.path}：{e.message}")
    sys.exit(code)
