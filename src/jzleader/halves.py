"""Work on a long list split in two halves, the second done by a forked copy of this process meanwhile.

Evaluating a large round and writing its JSON is pure computation on data already in memory, a candidate at
a time: with two cores free, a forked copy of the process (which shares every page it does not write to)
does the second half while this process does the first. The copy's results come back pickled through an
anonymous temporary file, read after this process's own half, so the caller sees the same results in the same
order as from one process. Where fork is not what the platform does, or another thread runs (fork copies
only the calling thread, while another may hold a lock), or one core is all there is, or the list is
short, it is one process, as before.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, TypeVar

X = TypeVar("X")
T = TypeVar("T")

#: fewer items than this are one process: a fork costs milliseconds, and a small round takes less than that
MIN_ITEMS = 2000


class HalfFailed(Exception):
    """The forked copy died without saying why (killed, out of memory)."""


class _Raised:
    """What the forked copy raised: the exception itself where it pickles, else its traceback's text."""

    def __init__(self, error: BaseException) -> None:
        try:
            pickle.dumps(error)
            self.error: BaseException = error
        except Exception:
            self.error = RuntimeError("".join(traceback.format_exception(error)))


def cores() -> int:
    """The cores this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else (os.cpu_count() or 1)


def can_split(n: int) -> bool:
    return n >= MIN_ITEMS and hasattr(os, "fork") and threading.active_count() == 1 and cores() >= 2


def in_two(items: Sequence[X], work: Callable[[Sequence[X]], Iterable[T]]) -> Iterator[T]:
    """The results of work(items), in order, as work(items[:half]) then work(items[half:]); the second half
    done by a forked copy meanwhile where `can_split`. The results must pickle; an exception raised in the
    copy is raised here, after the first half's results."""
    if not can_split(len(items)):
        yield from work(items)
        return
    half = len(items) // 2
    with tempfile.TemporaryFile() as spool:
        for stream in (sys.stdout, sys.stderr):  # the copy must not write what this process has buffered
            stream.flush()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the copy: coverage does not follow it
            _second_half(spool, work, items[half:])
        reaped = False
        try:
            yield from work(items[:half])
            os.waitpid(pid, 0)
            reaped = True
            spool.seek(0)
            while True:
                try:
                    item = pickle.load(spool)
                except Exception as e:  # the end of the file, or a half-written result: it died on the way
                    raise HalfFailed("the forked copy ended before its last result") from e
                if item.__class__ is _End:
                    break
                if item.__class__ is _Raised:
                    raise item.error
                yield item
        finally:
            if not reaped:  # this half failed or was abandoned: the copy's work is not wanted
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)


class _End:
    """Every result of the second half is before this one."""


def _second_half(spool: IO[bytes], work: Callable[[Sequence[X]], Iterable[T]], items: Sequence[X]) -> None:  # pragma: no cover
    code = 1
    try:
        pickler = pickle.Pickler(spool, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            for result in work(items):
                pickler.dump(result)
                pickler.clear_memo()  # each result whole in itself: read back one at a time
            pickler.dump(_End())
            code = 0
        except BaseException as e:  # noqa: BLE001 - whatever it is, the first process raises it
            pickler.dump(_Raised(e))
        spool.flush()
    finally:
        os._exit(code)  # no atexit handlers, no flushing of buffers copied from the first process
