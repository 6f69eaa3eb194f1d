"""`jzleader serve`: the local web page (the work is in jzleader.web)."""

from __future__ import annotations

from pathlib import Path

import rich_click as click

from jzleader.cli.base import EXIT_HELP, _rules_option, _unusable_input_exits, cli


@cli.command(epilog=EXIT_HELP["serve"])
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8765,
    show_default=True,
    help="端口；被占用时依次改用下一个。Port; the next free one if taken.",
)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="监听地址；本机以外的地址须加 --allow-remote。Address to listen on."
)
@click.option(
    "--allow-remote", is_flag=True, help="允许从其他电脑访问（页面会处理身份证号，请谨慎）。Allow a non-loopback --host."
)
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器。Do not open the browser.")
@click.option(
    "--max-upload-mb",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="一次上传的文件合计上限（MB）。Limit on the files of one upload.",
)
@_rules_option
def serve(port: int, host: str, allow_remote: bool, no_browser: bool, max_upload_mb: int, rules_path: Path | None) -> None:
    """在本机打开审核网页：拖入工作簿或文件夹即可审核，不用命令行。

    Start a local web page (and its API, see the README) for officers who never open a terminal.
    Nothing leaves this machine; uploads are deleted after each request. Ctrl-C stops it.

    示例 Examples:

    \b
      jzleader serve
      jzleader serve --port 9000 --no-browser
    """
    from jzleader.ruleset.load import load_rules
    from jzleader.web import server

    with _unusable_input_exits():
        rules = load_rules(rules_path)
    server.serve(rules, rules_path, host=host, port=port, allow_remote=allow_remote, open_browser=not no_browser,
                 max_upload_mb=max_upload_mb, say=click.echo)  # fmt: skip
