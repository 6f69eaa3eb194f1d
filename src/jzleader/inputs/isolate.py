"""Native readers run in a worker process: if one dies (a Rust panic or a failed allocation aborts the
whole process, which no except clause can catch), one file is lost, not the round.

The safety scan (safety.py) keeps every file it knows to be dangerous away from python-calamine; this is
the guard for what no scan can foresee. One worker serves the whole run (forked where the platform
allows, so it starts in milliseconds), under an address-space limit so that a runaway allocation fails
inside the worker instead of exhausting the machine.
"""

from __future__ import annotations

import atexit
import concurrent.futures as futures
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")

#: the worker's address-space limit; a 100,000-candidate workbook needs well under 2 GB
WORKER_MEMORY_MB = 8192

_pool: futures.ProcessPoolExecutor | None = None


class ReaderDied(Exception):
    """The worker running a native reader died while reading a file."""


def _limit_memory(megabytes: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: the worker still isolates, without a limit
        return
    limit = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _context() -> multiprocessing.context.BaseContext:
    # fork copies a process whose other threads (a progress bar) may hold locks: only when alone
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def run(func: Callable[..., T], *args: object) -> T:
    """func(*args) in the worker; its exceptions come back as they are; its death is ReaderDied."""
    global _pool
    if _pool is None:
        _pool = futures.ProcessPoolExecutor(
            max_workers=1, mp_context=_context(), initializer=_limit_memory, initargs=(WORKER_MEMORY_MB,)
        )
    try:
        return _pool.submit(func, *args).result()
    except BrokenProcessPool as e:
        shutdown()
        raise ReaderDied() from e


def shutdown() -> None:
    """Stop the worker (the next `run` starts a new one)."""
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None


atexit.register(shutdown)
