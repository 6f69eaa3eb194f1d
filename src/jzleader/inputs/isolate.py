"""Native readers run in a worker process: if one dies (a Rust panic or a failed allocation aborts the
whole process, which no except clause can catch), one file is lost, not the round.

The safety scan (safety.py) keeps every file it knows to be dangerous away from python-calamine; this is
the guard for what no scan can foresee. The workers serve the whole run (forked where the platform
allows, so they start in milliseconds), each under an address-space limit so that a runaway allocation
fails inside a worker instead of exhausting the machine. There are two where two cores are free, so that
the sheets of a workbook are read two at a time (`submit`).
"""

from __future__ import annotations

import atexit
import concurrent.futures as futures
import contextlib
import gc
import multiprocessing
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from typing import Generic, TypeVar

T = TypeVar("T")

#: the worker's address-space limit; a 100,000-candidate workbook needs well under 2 GB
WORKER_MEMORY_MB = 8192

#: the workers, where that many cores are free
WORKERS = 2

_pool: futures.ProcessPoolExecutor | None = None


class ReaderDied(Exception):
    """The worker running a native reader died while reading a file."""


def _start_worker(megabytes: int) -> None:
    """A worker's own settings: its memory limit, and no cycle collection. A sheet read is millions of small
    objects that hold no reference cycles: the collector's passes over them find nothing (a worker forked before
    the program turned it off, as a read begun early is, would otherwise run them)."""
    gc.disable()
    _limit_memory(megabytes)


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


def _workers() -> futures.ProcessPoolExecutor:
    global _pool
    if _pool is None:
        from jzleader.halves import cores

        _pool = futures.ProcessPoolExecutor(
            max_workers=min(WORKERS, cores()), mp_context=_context(), initializer=_start_worker,
            initargs=(WORKER_MEMORY_MB,),
        )  # fmt: skip
    return _pool


class Pending(Generic[T]):
    """A call submitted to a worker."""

    def __init__(self, future: futures.Future[T]) -> None:
        self.future = future

    def result(self) -> T:
        """What the call returned; its exception as it is; the worker's death is ReaderDied."""
        try:
            return self.future.result()
        except BrokenProcessPool as e:
            shutdown()
            raise ReaderDied() from e

    def cancel(self) -> None:
        """A call not yet started will not start (nothing to one started or done)."""
        self.future.cancel()


def as_arrived(pending: Iterable[Pending[T]]) -> Iterator[Pending[T]]:
    """The calls as each one ends (returned, raised, or lost with its worker): each that has ended when it is come
    to, in the order given, then the others, the first to end first."""
    waiting = {}
    for p in pending:
        if p.future.done():
            yield p
        else:
            waiting[p.future] = p
    for future in futures.as_completed(waiting):
        yield waiting[future]


def submit(func: Callable[..., T], *args: object) -> Pending[T]:
    """func(*args) in the next free worker, started now or as soon as one is free."""
    try:
        return Pending(_workers().submit(func, *args))
    except BrokenProcessPool as e:  # a worker died since the last call
        shutdown()
        raise ReaderDied() from e


def run(func: Callable[..., T], *args: object) -> T:
    """func(*args) in a worker; its exceptions come back as they are; its death is ReaderDied."""
    return submit(func, *args).result()


@contextlib.contextmanager
def abandoned_on_error() -> Iterator[None]:
    """Reads begun inside (inputs.sniff.begin_file) are abandoned if an exception leaves it (`abandon`)."""
    try:
        yield
    except BaseException:
        abandon()
        raise


def abandon() -> None:
    """Stop the workers at once, ending any read still running: what was begun is not wanted (the run ends
    early, on a bad rule file say, and must not wait for a large workbook's sheets)."""
    global _pool
    if _pool is not None:
        kill = getattr(_pool, "kill_workers", None)  # Python 3.14; before it, the pool's own processes
        if kill is not None:
            kill()
        else:
            for process in list((getattr(_pool, "_processes", None) or {}).values()):
                process.kill()
    shutdown()


def shutdown() -> None:
    """Stop the workers (the next `submit` starts new ones)."""
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None


atexit.register(shutdown)
