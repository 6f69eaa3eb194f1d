"""`jzleader register …`: the register of rounds (the work is in jzleader.register), and the --register
option that check, quota-report and sensitivity take."""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import rich_click as click

from jzleader.cli.base import EXIT_FINDINGS, EXIT_OK, _limit_option, _rules_option, _sheet_option, _unusable_input_exits, cli
from jzleader.errors import JzleaderError

F = TypeVar("F", bound=Callable[..., Any])
_REGISTER_EXIT = (
    "退出状态 Exit status: 0 完成 done; 1 有发现（verify 有结论变化、outcome 有对不上的名字、history 查无此人）findings; "
)
_REGISTER_EXIT += "2 登记库或文件无法使用 unusable database or input; 3 程序内部错误 internal error."


def _db_options(f: F) -> F:
    f = click.option("--key-file", type=click.Path(path_type=Path), default=None,
                     help="登记库密钥文件（SQLite 默认在登记库旁；服务器数据库必须指定）。The register's secret.")(f)  # fmt: skip
    f = click.option("--db", default=None, metavar="PATH|URL",
                     help="登记库：文件路径或数据库地址（默认在用户数据目录，见 register info）。"
                          "SQLite file or SQLAlchemy URL.")(f)  # fmt: skip
    return click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                        help="输出格式。Output format.")(f)  # fmt: skip


def history_options(f: F) -> F:
    """--register/--round/--register-key-file for check, quota-report and sensitivity."""
    f = click.option("--register-key-file", "register_key_file", type=click.Path(path_type=Path), default=None,
                     help="登记库密钥文件（服务器数据库时必须）。The register's secret, for a server database.")(f)  # fmt: skip
    f = click.option("--round", "round_name", default=None, metavar="NAME",
                     help="本轮名称（默认：登记库中文件相同的那一轮，否则为规则文件的通知文号）。"
                          "This round's name in the register.")(f)  # fmt: skip
    return click.option("--register", "register_db", default=None, metavar="PATH|URL",
                        help="用登记库核对以往轮次（政策倾斜只可享受一次、以往推荐与入选）。"
                             "Check against a register of rounds.")(f)  # fmt: skip


@contextlib.contextmanager
def open_history(
    register_db: str | None, round_name: str | None, key_file: Path | None, rules: Any, files: Sequence[Path]
) -> Iterator[Any]:
    """The register's view for a check, or None without --register; closed when the check is done. Without
    --round, the round is the stored one whose files these are (a round checked again keeps its own tilt),
    else the rule set's notice number."""
    if register_db is None:
        yield None
        return
    from jzleader.register.lookup import History
    from jzleader.register.store import round_of

    with _opened(register_db, key_file) as reg:
        name = round_name or round_of(reg, [p for p in files if p.is_file()]) or rules.criteria.notice.number
        yield History(reg, name)


def _opened(db: str | None, key_file: Path | None) -> contextlib.closing[Any]:
    from jzleader.register.db import open_register

    return contextlib.closing(open_register(db, key_file))


def _refusals(f: F) -> F:
    """A register or file that cannot be used: one message and exit 2, and with --format json its document
    (status "unusable"), as for every other command."""

    @functools.wraps(f)
    def run(*args: Any, **kwargs: Any) -> Any:
        with _unusable_input_exits(kwargs.get("fmt", "text"), f"register {f.__name__}"):
            return f(*args, **kwargs)

    return run  # type: ignore[return-value]


def _checked(reg: Any, round_name: str, files: Sequence[Path], rules: Any, max_unpacked_mb: int,
             sheet: str | None = None) -> tuple[Any, Any]:  # fmt: skip
    """The round checked against the other rounds of the register, and its quota tally (which says whose
    COVID-19 tilt is applied): what `add` stores and `verify` compares."""
    from jzleader import pipeline
    from jzleader.quota import tally
    from jzleader.register.lookup import History

    history = History(reg, round_name)
    result = pipeline.check(files, rules, max_unpacked_mb=max_unpacked_mb, sheet=sheet, history=history)
    return result, tally(result, rules.quotas, history.tilt_round) if rules.quotas is not None else None


def _emit(fmt: str, doc: dict[str, Any], text: list[str], code: int) -> None:
    from jzleader.report.jsondoc import FORMAT_VERSION, STATUS, dump

    if fmt == "json":
        dump({"format_version": FORMAT_VERSION, "status": STATUS[code], **doc, "errors": []}, sys.stdout)
    else:
        from jzleader.wording import Redactor

        clean = Redactor(show_id=False)  # names come from cells: no terminal control, no ID, reaches the terminal
        click.echo("\n".join(clean(line) for line in text))
    sys.exit(code)


@cli.group(epilog=_REGISTER_EXIT)
def register() -> None:
    """轮次登记库：谁在哪一轮被推荐、结论如何、是否享受了政策倾斜、最终是否入选。

    The register of rounds (SQLite by default, or any SQLAlchemy URL such as a PostgreSQL server). No full ID
    number is stored: a person is a keyed hash of the ID, with the masked ID for display.

    示例 Examples:

    \b
      jzleader register init
      jzleader register add 报送材料/ --round 2020年
      jzleader register history 李娜
      jzleader check 报送材料/ --register ~/.local/share/jzleader/register.sqlite3
    """


@register.command(epilog=_REGISTER_EXIT)
@_db_options
@_refusals
def init(fmt: str, db: str | None, key_file: Path | None) -> None:
    """新建登记库（数据表和密钥）。Create the register and its secret."""
    from jzleader.register.db import init as make
    from jzleader.report import registerdoc

    reg, made = make(db, key_file)
    reg.close()
    _emit(fmt, *registerdoc.init(reg.location.shown, str(reg.location.key_path), made), EXIT_OK)


@register.command(epilog=_REGISTER_EXIT)
@_db_options
@_refusals
def info(fmt: str, db: str | None, key_file: Path | None) -> None:
    """登记库的位置、版本和已登记的轮次。Where the register is and what it holds."""
    from jzleader.register import queries
    from jzleader.report import registerdoc

    with _opened(db, key_file) as reg:
        found = queries.info(reg)
    _emit(fmt, *registerdoc.info(found), EXIT_OK)


@register.command(epilog=_REGISTER_EXIT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--round",
    "round_name",
    default=None,
    metavar="NAME",
    help="轮次名称，如 2020年（默认为规则文件的通知文号）。The round's name; default: the notice's number.",
)
@click.option("--replace", is_flag=True, help="以更正后的材料替换已登记的版本（旧版本保留）。Store corrected files.")
@_rules_option
@_sheet_option
@_limit_option
@_db_options
@_refusals
def add(paths: tuple[Path, ...], round_name: str, replace: bool, rules_path: Path | None, sheet: str | None,
        max_unpacked_mb: int, fmt: str, db: str | None, key_file: Path | None) -> None:  # fmt: skip
    """审核一轮材料并登记（同样的文件再登记不会改变任何内容）。Check a round and store it."""
    from jzleader import pipeline
    from jzleader.register import store
    from jzleader.report import registerdoc
    from jzleader.ruleset.load import load_rules

    rules = load_rules(rules_path)
    files = pipeline.expand(paths)
    round_name = round_name or rules.criteria.notice.number
    with _opened(db, key_file) as reg:
        result, quotas = _checked(reg, round_name, files, rules, max_unpacked_mb, sheet)
        if result.errors:  # a round is stored whole or not at all
            raise JzleaderError("；".join(f"{e.path}：{e.message}" for e in result.errors) + "。请更正后再登记")
        year = rules.criteria.notice.issued.year
        done = store.add(reg, round_name, year, list(files), result, quotas, rules, replace=replace)
    _emit(fmt, *registerdoc.added(done, result.summary), EXIT_OK)


@register.command(epilog=_REGISTER_EXIT)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--round", "round_name", required=True, metavar="NAME", help="轮次名称。The round's name.")
@_db_options
@_refusals
def outcome(file: Path, round_name: str, fmt: str, db: str | None, key_file: Path | None) -> None:
    """登记一轮最终入选的人（文件每行一个姓名或身份证号）。Record who was selected (a name or ID a line)."""
    from jzleader.register import store
    from jzleader.report import registerdoc

    names = registerdoc.read_list(file)
    with _opened(db, key_file) as reg:
        done = store.outcome(reg, round_name, names)
    _emit(fmt, *registerdoc.outcome(done), EXIT_FINDINGS if done.unmatched or done.ambiguous else EXIT_OK)


@register.command(epilog=_REGISTER_EXIT)
@click.argument("who", metavar="NAME_OR_ID")
@_db_options
@_refusals
def history(who: str, fmt: str, db: str | None, key_file: Path | None) -> None:
    """一个人在各轮的推荐单位、结论、政策倾斜和入选情况。Every round a person appears in."""
    from jzleader.register import queries
    from jzleader.report import registerdoc

    with _opened(db, key_file) as reg:
        found = queries.history(reg, who)
    _emit(fmt, *registerdoc.history(who, found), EXIT_OK if found else EXIT_FINDINGS)


@register.command(epilog=_REGISTER_EXIT)
@click.option("--round", "round_name", required=True, metavar="NAME", help="轮次名称。The round's name.")
@_db_options
@_refusals
def diff(round_name: str, fmt: str, db: str | None, key_file: Path | None) -> None:
    """一轮材料各次登记之间的变化（新增、删除、结论改变及原因）。What changed between versions of a round."""
    from jzleader.register import queries
    from jzleader.report import registerdoc

    with _opened(db, key_file) as reg:
        versions = queries.diff(reg, round_name)
    _emit(fmt, *registerdoc.diff(round_name, versions), EXIT_OK)


@register.command(epilog=_REGISTER_EXIT)
@click.option("--round", "round_name", required=True, metavar="NAME", help="轮次名称。The round's name.")
@_rules_option
@_limit_option
@_db_options
@_refusals
def verify(round_name: str, rules_path: Path | None, max_unpacked_mb: int, fmt: str, db: str | None,
           key_file: Path | None) -> None:  # fmt: skip
    """用现在的规则和程序重新审核已登记的一轮，列出会改变的结论。Re-check a stored round with today's rules."""
    from jzleader.register import queries, store
    from jzleader.report import registerdoc
    from jzleader.ruleset.load import load_rules

    rules = load_rules(rules_path)
    with _opened(db, key_file) as reg:
        run = functools.partial(_checked, reg, round_name, rules=rules, max_unpacked_mb=max_unpacked_mb)
        done = queries.verify(reg, round_name, store.rules_digests(rules), run)
    _emit(fmt, *registerdoc.verified(done), EXIT_FINDINGS if not done.changes.empty else EXIT_OK)


@register.command(epilog=_REGISTER_EXIT)
@click.argument("target", type=click.Path(path_type=Path))
@_db_options
@_refusals
def export(target: Path, fmt: str, db: str | None, key_file: Path | None) -> None:
    """把登记库导出为工作簿（存档用，身份证号打码）。The register as a workbook for the archive."""
    from jzleader.register import queries
    from jzleader.report import registerdoc

    with _opened(db, key_file) as reg:
        summary = queries.info(reg)
        people = queries.everyone(reg)
    registerdoc.write_export(target, summary, people)
    _emit(fmt, *registerdoc.exported(target, summary, people), EXIT_OK)
