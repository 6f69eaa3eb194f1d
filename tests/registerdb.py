"""Databases for the register's tests: an SQLite file, and a throw-away PostgreSQL cluster started from
Debian's postgresql package (initdb and pg_ctl, on a free loopback port, removed afterwards)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _bin(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    assert found, f"PostgreSQL is missing ({name}): apt-get install -y postgresql (.ci/run does)"
    return found


def _as_postgres(command: list[str]) -> list[str]:
    # initdb refuses to run as root: the package's own postgres user runs the cluster
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def postgres_cluster() -> Iterator[str]:
    """Start a cluster; yield its URL (trust authentication, loopback only); stop and remove it."""
    folder = Path(tempfile.mkdtemp(prefix="jzleader-pg-"))
    data, sockets = folder / "data", folder / "run"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(sockets, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = {"check": True, "capture_output": True, "text": True}
    subprocess.run(_as_postgres([_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"]), **run)
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    start = [_bin("pg_ctl"), "-D", str(data), "-o", options, "-w", "-l", str(folder / "log"), "start"]
    subprocess.run(_as_postgres(start), **run)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]), check=False,
                       capture_output=True)  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


def fresh_database(server: str, name: str) -> str:
    """A new, empty database on the cluster for one test."""
    import psycopg

    plain = server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return server.rsplit("/", 1)[0] + "/" + name
