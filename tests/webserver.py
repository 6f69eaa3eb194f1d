"""`jzleader serve` started as a user starts it, in a child process, for the server and browser tests."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).parent.parent / "examples" / "沁阳市推荐人选.xlsx"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    def __init__(self, *arguments: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "jzleader", "serve", "--no-browser", *arguments],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")  # fmt: skip
        line = self.proc.stdout.readline()
        assert "审核网页已启动" in line, line + self.proc.stderr.read()
        self.first_line = line
        self.url = line.split("：", 1)[1].split()[0]

    def stop(self) -> tuple[int, str, str]:
        self.proc.send_signal(signal.SIGINT)
        out, err = self.proc.communicate(timeout=20)
        return self.proc.returncode, out, err
