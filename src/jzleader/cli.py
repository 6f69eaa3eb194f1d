"""Command line: parse options, call one library function per command, map errors to exit codes.

Exit status: 0 no candidate ineligible; 1 some candidate ineligible (with --strict, or to review);
2 unusable input, bad rule file or usage error.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import rich_click as click  # click, with help laid out by rich: Chinese measured at its display width

from jzleader import __version__
from jzleader.errors import InputError, JzleaderError, RuleFileError

click.rich_click.OPTIONS_PANEL_TITLE = "选项 Options"
click.rich_click.ARGUMENTS_PANEL_TITLE = "参数 Arguments"
click.rich_click.COMMANDS_PANEL_TITLE = "命令 Commands"
click.rich_click.USE_CLICK_SHORT_HELP = True

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE, EXIT_INTERNAL = 0, 1, 2, 3
_UNUSABLE_HELP = "2 文件无法使用 unusable input, rule file or usage; 3 程序内部错误 internal error."
#: the exit status of each command, as its --help ends (scripts rely on these: they never change meaning)
EXIT_HELP = {
    "check": "退出状态 Exit status: 0 无人不符合 none ineligible; 1 有人不符合（--strict 时含待核实）findings; " + _UNUSABLE_HELP,
    "quota-report": "退出状态 Exit status: 0 无问题 no findings; 1 有单位超指标（规则定为错误时）或推荐单位无法识别 findings; "
    + _UNUSABLE_HELP,
    "sensitivity": "退出状态 Exit status: 0 分析完成 done; " + _UNUSABLE_HELP,
    "validate-rules": "退出状态 Exit status: 0 全部通过 valid; 1 有问题或用例未通过 problems; 2 文件无法读取 unreadable file.",
    "template": "退出状态 Exit status: 0 已生成 written; 2 无法写入或规则文件有误 cannot write, bad rule file.",
}


def _warn(message: str) -> None:
    """An error about one file of several: printed, with ID numbers masked, and the run goes on."""
    from jzleader.idnumber import redact

    click.echo(f"错误：{redact(message)}", err=True)


def _fail(message: str) -> NoReturn:
    from jzleader.idnumber import redact

    click.echo(f"错误：{redact(message)}", err=True)
    sys.exit(EXIT_UNUSABLE)


_format_option = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="输出格式。Output format.",
)  # fmt: skip
_show_id_option = click.option("--show-id", is_flag=True, help="显示完整身份证号（默认打码）。Show full ID numbers.")
_sheet_option = click.option(
    "--sheet", default=None, metavar="NAME",
    help="候选人表的工作表名（一个文件有多个名单时指定）。The candidate sheet, where a workbook has several.",
)  # fmt: skip
_lang_option = click.option(
    "--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
    help="原因说明的语言。Language of the reasons (the same codes either way).",
)  # fmt: skip


@contextlib.contextmanager
def _unusable_input_exits(fmt: str = "text", command: str = "check", show_id: bool = False) -> Iterator[None]:
    """An input or rule file that cannot be used: one message naming it, exit 2. With --format json,
    the document is printed too (status "unusable"), so that a script always gets one."""
    try:
        yield
    except RuleFileError as e:
        _json_failure(fmt, command, [(e.path, "规则文件有误：\n" + "\n".join(e.problems))], show_id)
        _fail("规则文件有误：\n" + "\n".join(e.problems))
    except InputError as e:
        _json_failure(fmt, command, [(e.path, e.message)], show_id)
        _fail(f"{e.path}：{e.message}")


def _json_failure(fmt: str, command: str, errors: list[tuple[str, str]], show_id: bool, status: str = "unusable") -> None:
    if fmt == "json":
        from jzleader.report.jsondoc import dump, failure_json

        dump(failure_json(command, errors, status=status, show_id=show_id), sys.stdout)


F = TypeVar("F", bound=Callable[..., Any])


def _limit_option(f: F) -> F:
    from jzleader.limits import DEFAULT_MAX_UNPACKED_MB

    return click.option(
        "--max-unpacked-mb",
        type=click.IntRange(min=1),
        default=DEFAULT_MAX_UNPACKED_MB,
        show_default=True,
        help="工作簿解压后的安全上限（MB），防止恶意文件。Refuse workbooks that unpack to more than this.",
    )(f)


def _rules_option(f: F) -> F:
    return click.option(
        "--rules",
        "rules_path",
        type=click.Path(path_type=Path),
        default=None,
        help="规则文件或规则目录（默认使用随程序安装的规则）。Rule file or directory; default: the shipped rules.",
    )(f)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="jzleader")
def cli() -> None:
    """焦作市学术技术带头人推荐人选资格预审（焦人社文〔2020〕28号）。

    Pre-screen recommendations for the Jiaozuo academic and technical leader programme.
    """


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
def check(
    paths: tuple[Path, ...], rules_path: Path | None, fmt: str, explain: bool, strict: bool, show_id: bool, lang: str,
    sheet: str | None, output: Path | None, annotate: Path | None, only: str | None, max_unpacked_mb: int,
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
    from jzleader import pipeline
    from jzleader.report.jsondoc import STATUS, write_json
    from jzleader.report.text import write_text
    from jzleader.ruleset.load import load_rules

    with _unusable_input_exits(fmt, "check", show_id):
        rules = load_rules(rules_path)
        files = pipeline.expand(paths)
        with _progress(files, fmt) as progress:
            result = pipeline.check(
                files, rules, max_unpacked_mb=max_unpacked_mb, progress=progress, output=output, annotate=annotate,
                show_id=show_id, lang=lang, sheet=sheet,
            )  # fmt: skip
    s = result.summary
    code = EXIT_UNUSABLE if result.errors else EXIT_FINDINGS if s["ineligible"] or (strict and s["review"]) else EXIT_OK
    if fmt == "json":
        write_json(result, sys.stdout, show_id=show_id, lang=lang, status=STATUS[code])
    else:
        written = [p for p in (output, annotate) if p is not None]
        write_text(result, sys.stdout, explain=explain or only is not None, show_id=show_id, lang=lang, only=only,
                   exit_code=code, written=written)  # fmt: skip
    if fmt == "json" or not sys.stdout.isatty():  # on a terminal the errors were printed once, above the verdicts
        for e in result.errors:
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
def quota_report(
    paths: tuple[Path, ...], rules_path: Path | None, fmt: str, show_id: bool, lang: str, sheet: str | None,
    output: Path | None, every_unit: bool, max_unpacked_mb: int,
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
        result, report = pipeline.quota(pipeline.expand(paths), rules, max_unpacked_mb=max_unpacked_mb, output=output,
                                        show_id=show_id, lang=lang, sheet=sheet)  # fmt: skip
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
def sensitivity(
    paths: tuple[Path, ...], rules_path: Path | None, fmt: str, show_id: bool, lang: str, sheet: str | None,
    max_unpacked_mb: int,
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
        result = pipeline.sensitivity(
            pipeline.expand(paths), load_rules(rules_path), max_unpacked_mb=max_unpacked_mb, sheet=sheet
        )
    code = EXIT_UNUSABLE if result.base.errors else EXIT_OK
    if fmt == "json":
        dump(sensitivity_json(result, show_id=show_id, status=STATUS[code]), sys.stdout)
    else:
        write_sensitivity_text(result, sys.stdout, show_id=show_id, lang=lang)
    for e in result.base.errors:
        _warn(f"{e.path}：{e.message}")
    sys.exit(code)


@cli.command("validate-rules", epilog=EXIT_HELP["validate-rules"])
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
    help="输出格式；github 输出 GitHub Actions 注释（::error file=…）。Output format; github: workflow annotations.",
)  # fmt: skip
def validate_rules(paths: tuple[Path, ...], fmt: str) -> None:
    """检查规则文件：结构、条款原文引用、合计与别名、规则测试用例。

    Validate rule sets (folders) or rule files; default: the shipped rules. Every problem is
    printed as file:line:column (text), as a JSON document (json), or as a GitHub annotation (github).
    """
    from jzleader.report.jsondoc import dump
    from jzleader.report.rulecheck import github_annotation, rules_json
    from jzleader.ruleset.load import shipped_rules_dir
    from jzleader.validate import validate

    try:
        result = validate(list(paths) or [shipped_rules_dir()])
    except RuleFileError as e:  # a file that is not YAML at all: the problems already say where
        if fmt == "json":
            dump(rules_json(e.records, status="unusable"), sys.stdout)
        elif fmt == "github":
            click.echo("\n".join(github_annotation(p) for p in e.records))
        _fail("\n".join(e.problems))
    code = EXIT_FINDINGS if result.problems else EXIT_OK
    if fmt == "json":
        document = rules_json(
            result.problems, status="findings" if result.problems else "ok", checked=result.checked,
            cases=len(result.cases), passed=result.passed, failed=result.failed,
        )  # fmt: skip
        dump(document, sys.stdout)
        sys.exit(code)
    for problem in result.problems:
        click.echo(github_annotation(problem) if fmt == "github" else str(problem))
    status = "有问题" if result.problems else "全部通过"
    click.echo(
        f"{status}：检查了 {'、'.join(result.checked)}；{len(result.problems)} 个问题；"
        f"规则测试用例 {len(result.cases)} 个文件，{result.passed} 项通过，{result.failed} 项未通过"
    )
    sys.exit(code)


@cli.command()
@click.argument(
    "kind",
    type=click.Choice(["criteria", "quotas", "titles", "candidates", "check-output", "quota-output", "sensitivity-output"]),
)
def schema(kind: str) -> None:
    """打印某类文件或 JSON 输出的 JSON Schema（供编辑器补全和检查）。Print the JSON Schema of a file kind.

    criteria/quotas/titles/candidates: the rule files and the YAML input; a city's own rule repository keeps
    them beside its rules (jzleader schema criteria > schemas/criteria.schema.json). check-output,
    quota-output, sensitivity-output: what --format json writes.
    """
    import json

    from jzleader.schema import schema as make

    click.echo(json.dumps(make(kind), ensure_ascii=False, indent=2))


@cli.command(epilog=EXIT_HELP["template"])
@click.argument("target", type=click.Path(path_type=Path))
@_rules_option
def template(target: Path, rules_path: Path | None) -> None:
    """生成空白的推荐人选填报表（下拉列表、文本格式的身份证号列）。

    Write the blank form of the workbook contract, made from the rule files: every sheet with its
    headers and a hint row, ID and birth-date columns as text, dropdowns for units, titles and levels.
    """
    from jzleader import pipeline
    from jzleader.ruleset.load import load_rules

    with _unusable_input_exits():
        pipeline.template(target, load_rules(rules_path))
    click.echo(f"已生成填报表：{target}")


@cli.command()
def codes() -> None:
    """列出所有原因代码及其依据条款。List every reason code with its clause."""
    from jzleader.codes import Code
    from jzleader.wording import template

    for code in Code:
        clause = f"[{code.clause}] " if code.clause else ""
        click.echo(f"{code.name:28} {code.severity.value:7} {clause}{template(code)}")


def main() -> None:
    """Console entry point: never show a traceback to an HR officer (JZLEADER_DEBUG=1 shows it).

    An internal error is exit 3, so that a script tells a crash from a refused file (exit 2).
    """
    try:
        cli(standalone_mode=True)
    except JzleaderError as e:
        _fail(str(e))
    except Exception as e:  # noqa: BLE001 - the last line of defence for people who are not programmers
        if os.environ.get("JZLEADER_DEBUG"):
            raise
        from jzleader.idnumber import redact

        message = f"程序内部错误（{type(e).__name__}: {e}）。请将输入文件和此信息发给维护人员。"
        args = sys.argv[1:]
        json_asked = "--format=json" in args or any(pair == ("--format", "json") for pair in itertools.pairwise(args))
        command = next((a for a in args if a in ("check", "quota-report", "sensitivity")), "check")
        _json_failure("json" if json_asked else "text", command, [("", message)], False, status="error")
        click.echo(f"错误：{redact(message)}", err=True)
        sys.exit(EXIT_INTERNAL)
