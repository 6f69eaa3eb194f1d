"""Command line, shared part: the group, the options several commands take, how errors become exit codes.

Exit status: 0 no candidate ineligible; 1 some candidate ineligible (with --strict, or to review);
2 unusable input, bad rule file or usage error.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
from collections.abc import Callable, Iterator
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
    "serve": "退出状态 Exit status: 0 已停止 stopped (Ctrl-C); 2 端口、地址或规则文件不可用 cannot listen, bad rule file; "
    "3 程序内部错误 internal error.",
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
    except JzleaderError as e:  # a register that cannot be used
        _json_failure(fmt, command, [("", str(e))], show_id)
        _fail(str(e))


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
        command = _command_of(args)
        _json_failure("json" if json_asked else "text", command, [("", message)], False, status="error")
        click.echo(f"错误：{redact(message)}", err=True)
        sys.exit(EXIT_INTERNAL)


def _command_of(args: list[str]) -> str:
    """The command a command line runs, as its JSON document names it: "check", "quota-report", "register add"
    (as `_unusable_input_exits` is told it); "check" where no command is named."""
    for i, arg in enumerate(args):
        command = cli.commands.get(arg)
        if isinstance(command, click.Group):
            sub = next((a for a in args[i + 1 :] if a in command.commands), None)
            return f"{arg} {sub}" if sub else arg
        if command is not None:
            return arg
    return "check"
