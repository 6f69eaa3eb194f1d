"""Start the page on this machine: a free port, loopback unless asked otherwise, the browser opened at it.
Refusals (a remote address without --allow-remote, no free port, no [web] extra) are JzleaderError: exit 2."""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import socket
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jzleader.errors import JzleaderError
from jzleader.ruleset.core import RuleSet

PORTS_TRIED = 20  #: from --port upwards, when it is taken


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on the first free port from `port`; OSError when none of PORTS_TRIED is free."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    last: OSError | None = None
    for candidate in range(port, port + PORTS_TRIED):
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.bind((host, candidate))
        except OSError as e:
            sock.close()
            if e.errno != errno.EADDRINUSE:
                raise
            last = e
            continue
        sock.listen(128)
        return sock
    raise last or OSError(errno.EADDRINUSE, "no free port")


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def run(app: Any, sock: socket.socket, *, open_browser: bool, started: Callable[[], None]) -> None:
    """Serve until Ctrl-C (uvicorn stops cleanly on SIGINT and SIGTERM: requests in flight finish)."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))

    def when_started() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            started()
            if open_browser:
                with contextlib.suppress(Exception):  # no browser on this machine: the address is printed
                    webbrowser.open(url_of(sock))

    threading.Thread(target=when_started, daemon=True).start()
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn raises Ctrl-C again once it has stopped
        server.run(sockets=[sock])


def serve(
    rules: RuleSet, rules_path: Path | None, *, host: str, port: int, allow_remote: bool, open_browser: bool,
    max_upload_mb: int, say: Callable[..., None],
) -> None:  # fmt: skip
    """`jzleader serve`: `say(text, err=False)` prints (click.echo)."""
    try:
        from jzleader.web.app import Settings, create_app
    except ImportError as e:
        raise JzleaderError(f"网页功能需要另外安装（缺少 {e.name}）：pip install 'jzleader[web]'") from e
    if not is_loopback(host) and not allow_remote:
        raise JzleaderError(f"--host {host} 会让其他电脑也能打开这个页面，而页面会处理身份证号。确需如此请加 --allow-remote")
    try:
        sock = bind(host, port)
    except OSError as e:
        last = port + PORTS_TRIED - 1
        raise JzleaderError(f"无法在 {host} 的端口 {port}–{last} 上启动（{e.strerror or e}）。请用 --port 换一个端口") from e
    if not is_loopback(host):
        say(f"警告：{host} 上的其他电脑也能打开此页面并上传名单；页面会显示推荐人选的信息。用完请按 Ctrl-C 停止。", err=True)
    chosen = sock.getsockname()[1]
    moved = f"（端口 {port} 已被占用，改用 {chosen}）" if chosen != port else ""
    app = create_app(Settings(rules, rules_path.resolve() if rules_path else None, max_upload_mb))
    run(app, sock, open_browser=open_browser, started=lambda: say(f"审核网页已启动：{url_of(sock)} {moved}\n按 Ctrl-C 停止。"))
    say("审核网页已停止。")
