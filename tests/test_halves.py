"""halves.in_two: the second half in a forked copy, its results back in order, its failures raised here."""

from __future__ import annotations

import os
import sys

import pytest

from jzleader import halves

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is what splits the work; elsewhere it is one process")


@pytest.fixture
def split(monkeypatch):
    """Split from two items on, whatever the machine's cores (a fork works on one core too, only slower)."""
    monkeypatch.setattr(halves, "MIN_ITEMS", 2)
    monkeypatch.setattr(halves, "cores", lambda: 2)


def _work(part):
    for x in part:
        yield x, x * x, os.getpid()


def test_the_results_are_in_order_and_the_second_half_is_another_process(split):
    results = list(halves.in_two(range(11), _work))
    assert [(x, sq) for x, sq, _ in results] == [(x, x * x) for x in range(11)]
    pids = [pid for _, _, pid in results]
    assert set(pids[:5]) == {os.getpid()}  # 11 // 2: the first five here
    assert len(set(pids[5:])) == 1 and pids[5] != os.getpid()


def test_a_short_list_is_one_process(monkeypatch):
    monkeypatch.setattr(halves, "cores", lambda: 2)
    results = list(halves.in_two(range(halves.MIN_ITEMS - 1), _work))
    assert {pid for _, _, pid in results} == {os.getpid()}
    assert len(results) == halves.MIN_ITEMS - 1


def test_one_core_is_one_process(split, monkeypatch):
    monkeypatch.setattr(halves, "cores", lambda: 1)
    assert {pid for _, _, pid in halves.in_two(range(10), _work)} == {os.getpid()}


class Odd(Exception):
    pass


def _fails_at_seven(part):
    for x in part:
        if x == 7:
            raise Odd(f"第 {x} 项")
        yield x


def test_what_the_copy_raises_is_raised_here_after_the_first_half(split):
    got = []
    with pytest.raises(Odd, match="第 7 项"):
        for x in halves.in_two(range(10), _fails_at_seven):
            got.append(x)
    assert got == [0, 1, 2, 3, 4, 5, 6]  # everything before the failure came through, in order


class Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("not this one")


def _raises_unpicklable(part):
    yield from part
    if part[0] >= 5:
        raise Unpicklable("内部")


def test_an_exception_that_does_not_pickle_comes_back_as_its_traceback(split):
    with pytest.raises(RuntimeError, match="Unpicklable: 内部"):
        list(halves.in_two(list(range(10)), _raises_unpicklable))


def _dies(part):
    yield from part
    if part[0] >= 5:
        os._exit(9)  # killed, out of memory: nothing said


def test_a_copy_that_dies_is_an_error_not_a_short_list(split):
    with pytest.raises(halves.HalfFailed):
        list(halves.in_two(list(range(10)), _dies))


def _pid_then_wait(part):
    for _ in part:
        yield os.getpid()


def test_a_copy_whose_work_is_abandoned_is_killed_and_reaped(split):
    before = set(_children())  # another test's worker may be about
    results = halves.in_two(list(range(10)), _pid_then_wait)
    assert next(results) == os.getpid()
    assert len(set(_children()) - before) == 1
    results.close()  # the caller stops reading: the copy must not live on
    assert set(_children()) - before == set()


def _children() -> list[int]:
    """This process's children, zombies included (Linux's /proc)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the children are listed from /proc")
    me = str(os.getpid())
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == me:
                out.append(int(entry))
    return out
