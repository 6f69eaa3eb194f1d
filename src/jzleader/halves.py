"""Work on a long list of parts shared between this process and a forked copy of it, which meet in the middle.

Evaluating a large round and writing its JSON is pure computation on data already in memory, a candidate at
a time: with two cores free, a forked copy of the process (which shares every page it does not write to)
works on the parts from the back while this process works from the front, each taking the next part as it
finishes one, until they meet. So both finish together, however much faster one of them runs (on a shared
machine one often does, by a tenth or more). The copy's results come back pickled through an anonymous
temporary file, read after this process's own parts, so the caller sees the same results in the same order as
from one process. Where fork is not what the platform does, or another thread runs (fork copies only the
calling thread, while another may hold a lock), or one core is all there is, or the list is short, it is one
process, as before.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any, TypeVar, cast

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


#: the work is shared out in about this many parts: the two processes end within one part's time of each other
PARTS = 64


def part_size(items: int) -> int:
    """How many items a part holds, for `items` in about PARTS parts."""
    return max(1, -(-items // PARTS))


def in_two(parts: Sequence[X], work: Callable[[X], Iterable[T]], *, items: int) -> Iterator[T]:
    """The results of work(part) for each part, in order. Where `can_split(items)` (the parts hold that many
    items between them), this process works on the parts from the front and a forked copy from the back, each
    taking the next as it finishes one, until they meet. The results must pickle; an exception raised in the copy
    is raised here, after the results of every part before its own and those of its part made before it."""
    if len(parts) >= 2 and can_split(items):
        with tempfile.TemporaryFile() as spool:
            claims = _Claims(spool, len(parts))
            if claims.lockable():  # else no record locks where the temporary files are: one process, as before
                yield from _shared(spool, claims, parts, work)
                return
    for part in parts:
        yield from work(part)


def _shared(spool: IO[bytes], claims: _Claims, parts: Sequence[X], work: Callable[[X], Iterable[T]]) -> Iterator[T]:
    """in_two's two processes: this one's parts from the front, then the copy's read back from the spool."""
    for stream in (sys.stdout, sys.stderr):  # the copy must not write what this process has buffered
        stream.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the copy: coverage does not follow it
        _from_the_back(spool, work, parts, claims)
    reaped = False
    try:
        while (i := claims.take(front=True)) is not None:
            yield from work(parts[i])
        _, status = os.waitpid(pid, 0)
        reaped = True
        yield from _read_back(spool, status, claims.met(), len(parts))
    finally:
        if not reaped:  # this process's work failed or was abandoned: the copy's is not wanted
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


class _Claims:
    """Which parts are taken: the next from the front and the one after the next from the back, two numbers in
    memory shared with the forked copy, changed under a lock on the spool (a POSIX record lock: each process
    holds its own, and the kernel lets go of a dead process's)."""

    def __init__(self, spool: IO[bytes], parts: int) -> None:
        import mmap

        self._fd = spool.fileno()
        self._shared = mmap.mmap(-1, _CLAIMS.size)  # anonymous, so shared with a forked copy
        _CLAIMS.pack_into(self._shared, 0, 0, parts)

    def lockable(self) -> bool:
        """Whether the spool takes a record lock (a file system without them, mounted as the temporary folder)."""
        import fcntl

        try:
            fcntl.lockf(self._fd, fcntl.LOCK_EX)
            fcntl.lockf(self._fd, fcntl.LOCK_UN)
        except OSError:
            return False
        return True

    def take(self, *, front: bool) -> int | None:
        """The part to work on next (from the front or the back), None when every part is taken."""
        import fcntl

        fcntl.lockf(self._fd, fcntl.LOCK_EX)
        try:
            low, high = cast(tuple[int, int], _CLAIMS.unpack_from(self._shared))
            if low >= high:
                return None
            low, high, taken = (low + 1, high, low) if front else (low, high - 1, high - 1)
            _CLAIMS.pack_into(self._shared, 0, low, high)
            return taken
        finally:
            fcntl.lockf(self._fd, fcntl.LOCK_UN)

    def met(self) -> int:
        """Where the two met: the first part from the back (once every part is taken)."""
        return int(_CLAIMS.unpack_from(self._shared)[0])


class _PartEnd:
    """Every result of a part is before this one."""


class _Index:
    """The parts the copy worked on, each with where its results begin in the spool; what it raised, and in
    which part (None: outside any)."""

    def __init__(self, parts: list[tuple[int, int]], raised: _Raised | None, raised_in: int | None) -> None:
        self.parts = parts
        self.raised = raised
        self.raised_in = raised_in


def _from_the_back(  # pragma: no cover
    spool: IO[bytes], work: Callable[[X], Iterable[T]], parts: Sequence[X], claims: _Claims
) -> None:
    """The copy's share: parts from the back, each part's results pickled one by one and then a _PartEnd (where
    they stop, if it fails). Last, where each part begins and what was raised (_Index), and the footer that says
    where that is."""
    code = 1
    try:
        pickler = pickle.Pickler(spool, protocol=pickle.HIGHEST_PROTOCOL)
        whole = 0  #: where the last item written whole ends

        def dump(item: object) -> None:
            nonlocal whole
            pickler.dump(item)
            pickler.clear_memo()  # each item whole in itself: read back from where it begins
            whole = spool.tell()

        done: list[tuple[int, int]] = []
        raised, raised_in = None, None
        i = None
        try:
            while (i := claims.take(front=False)) is not None:
                done.append((i, spool.tell()))
                for result in work(parts[i]):
                    dump(result)
                dump(_PartEnd())
            code = 0
        except BaseException as e:  # noqa: BLE001 - whatever it is, the first process raises it
            raised = _Raised(e)
            spool.seek(whole)  # a result that failed as it was pickled (it does not pickle) is not left half-written
            spool.truncate()
            if done and done[-1][0] == i:
                raised_in = i
                dump(_PartEnd())
        at = spool.tell()
        dump(_Index(done, raised, raised_in))
        spool.write(_FOOTER.pack(_MAGIC, at))
        spool.flush()
    finally:
        os._exit(code)  # no atexit handlers, no flushing of buffers copied from the first process


def _read_back(spool: IO[bytes], status: int, first: int, parts: int) -> Iterator[Any]:
    """The copy's results, part by part in order (it worked on parts `first`.. `parts` - 1); what it raised,
    raised where its results stop."""
    try:
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) not in (0, 1):
            raise ValueError(f"status {status}")
        spool.seek(-_FOOTER.size, os.SEEK_END)
        magic, at = _FOOTER.unpack(spool.read(_FOOTER.size))
        if magic != _MAGIC:
            raise ValueError("no footer")
        spool.seek(at)
        index = pickle.load(spool)
    except Exception as e:  # killed, out of memory: it died before its last word
        raise HalfFailed("the forked copy ended before its last result") from e
    done = sorted(index.parts)
    if index.raised is None and [i for i, _ in done] != list(range(first, parts)):
        raise HalfFailed(f"the forked copy worked on parts {[i for i, _ in done]}, not {first}..{parts - 1}")
    for i, start in done:
        spool.seek(start)
        while True:
            try:
                item = pickle.load(spool)
            except Exception as e:  # noqa: BLE001 - a spool that is not as its index says
                raise HalfFailed("the forked copy's results are not whole") from e
            if item.__class__ is _PartEnd:
                break
            yield item
        if i == index.raised_in:
            raise index.raised.error
    if index.raised is not None:
        raise index.raised.error


_CLAIMS = struct.Struct("qq")  #: the next part from the front; one past the next from the back
_FOOTER = struct.Struct("<8sq")  #: the spool's last bytes: _MAGIC, and where the _Index begins
_MAGIC = b"halves\x00\x01"
