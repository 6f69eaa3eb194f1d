"""halves.in_two: parts shared with a forked copy working from the back, its results back in order, its failures
raised here."""

from __future__ import annotations

import functools
import os
import sys
import time

import pytest

from jzleader import halves

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is what splits the work; elsewhere it is one process")


@pytest.fixture
def split(monkeypatch):
    """Split from two items on, whatever the machine's cores (a fork works on one core too, only slower)."""
    monkeypatch.setattr(halves, "MIN_ITEMS", 2)
    monkeypatch.setattr(halves, "cores", lambda: 2)


ME = os.getpid()


def _singles(n: int) -> list[list[int]]:
    return [[x] for x in range(n)]


def _work(part, here=0.0, there=0.0):
    """Each item with its square and the process; `here` and `there`: seconds an item takes in this process and
    in the copy."""
    for x in part:
        time.sleep(here if os.getpid() == ME else there)
        yield x, x * x, os.getpid()


def test_the_results_are_in_order_the_copy_working_from_the_back(split):
    results = list(halves.in_two(_singles(11), functools.partial(_work, here=0.02, there=0.02), items=11))
    assert [(x, sq) for x, sq, _ in results] == [(x, x * x) for x in range(11)]
    pids = [pid for _, _, pid in results]
    met = pids.index(next(p for p in pids if p != ME))
    assert 0 < met < 11 and set(pids[:met]) == {ME} and len(set(pids[met:])) == 1  # a front here, a back there


def test_the_faster_process_takes_more_parts(split):
    """On a shared machine one process often runs slower: the other takes parts from it instead of waiting."""
    pids = [pid for _, _, pid in halves.in_two(_singles(20), functools.partial(_work, here=0.2, there=0.01), items=20)]
    assert pids.count(ME) <= 3 and len(pids) == 20
    pids = [pid for _, _, pid in halves.in_two(_singles(20), functools.partial(_work, here=0.01, there=0.2), items=20)]
    assert pids.count(ME) >= 17


def test_parts_of_several_items_keep_their_order(split):
    parts = [range(k, min(k + 3, 14)) for k in range(0, 14, 3)]
    results = list(halves.in_two(parts, functools.partial(_work, here=0.01, there=0.01), items=14))
    assert [x for x, _, _ in results] == list(range(14))


def test_a_short_list_is_one_process(monkeypatch):
    monkeypatch.setattr(halves, "cores", lambda: 2)
    results = list(halves.in_two(_singles(halves.MIN_ITEMS - 1), _work, items=halves.MIN_ITEMS - 1))
    assert {pid for _, _, pid in results} == {ME}
    assert len(results) == halves.MIN_ITEMS - 1


def test_without_record_locks_it_is_one_process(split, monkeypatch):
    import fcntl

    def refuse(*args):
        raise OSError(37, "No locks available")

    monkeypatch.setattr(fcntl, "lockf", refuse)
    results = list(halves.in_two(_singles(10), _work, items=10))
    assert [x for x, _, _ in results] == list(range(10)) and {pid for _, _, pid in results} == {ME}


def test_one_core_is_one_process(split, monkeypatch):
    monkeypatch.setattr(halves, "cores", lambda: 1)
    assert {pid for _, _, pid in halves.in_two(_singles(10), _work, items=10)} == {ME}


class Odd(Exception):
    pass


def _fails_at_seven_in_the_copy(part):
    """Slow here, so that the copy, working from the back, is the one that comes to 7."""
    for x in part:
        if os.getpid() == ME:
            time.sleep(0.05)
        elif x == 7:
            raise Odd(f"第 {x} 项")
        yield x


def test_what_the_copy_raises_is_raised_here_where_its_results_stop(split):
    got = []
    parts = [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]
    with pytest.raises(Odd, match="第 7 项"):
        for x in halves.in_two(parts, _fails_at_seven_in_the_copy, items=10):
            got.append(x)
    assert got == [0, 1, 2, 3, 4, 5, 6]  # everything before the failure came through, in order; 8 and 9 did not


class Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("not this one")


def _raises_unpicklable_in_the_copy(part):
    if os.getpid() == ME:
        time.sleep(0.05)
    yield from part
    if os.getpid() != ME:
        raise Unpicklable("内部")


def test_an_exception_that_does_not_pickle_comes_back_as_its_traceback(split):
    with pytest.raises(RuntimeError, match="Unpicklable: 内部"):
        list(halves.in_two(_singles(10), _raises_unpicklable_in_the_copy, items=10))


class NotPickled:
    def __reduce__(self):
        raise TypeError("不能 pickle")


def _gives_a_result_that_does_not_pickle_in_the_copy(part):
    if os.getpid() == ME:
        time.sleep(0.05)
    for x in part:
        yield ["长" * 100_000, NotPickled()] if os.getpid() != ME and x == 8 else x  # the text is written before


def test_a_result_that_does_not_pickle_in_the_copy_is_raised_where_it_comes(split):
    """The copy's part ends where the result it could not write begins: what it wrote of that result is taken
    back, and what it raised comes after the part's results before it."""
    got = []
    with pytest.raises(TypeError, match="不能 pickle"):
        for x in halves.in_two(_singles(3) + [[6, 7, 8, 9]], _gives_a_result_that_does_not_pickle_in_the_copy, items=7):
            got.append(x)
    assert got == [0, 1, 2, 6, 7]  # the copy's part up to the result it could not write, then what it raised


def _dies_in_the_copy(part):
    if os.getpid() == ME:
        time.sleep(0.05)
    yield from part
    if os.getpid() != ME:
        os._exit(9)  # killed, out of memory: nothing said


def test_a_copy_that_dies_is_an_error_not_a_short_list(split):
    with pytest.raises(halves.HalfFailed):
        list(halves.in_two(_singles(10), _dies_in_the_copy, items=10))


def _exits_quietly_in_the_copy(part):
    if os.getpid() == ME:
        time.sleep(0.05)
    yield from part
    if os.getpid() != ME:
        os._exit(0)  # as if it had finished: its last word is missing all the same


def test_a_copy_that_ends_before_its_last_word_is_an_error(split):
    with pytest.raises(halves.HalfFailed):
        list(halves.in_two(_singles(10), _exits_quietly_in_the_copy, items=10))


def _pid_then_wait(part):
    """The copy is slow, so it is still at work when it is abandoned and cannot take every part before this
    process takes its first (with instant work, a copy forked first once took them all)."""
    for _ in part:
        if os.getpid() != ME:
            time.sleep(1)
        yield os.getpid()


def test_a_copy_whose_work_is_abandoned_is_killed_and_reaped(split):
    before = set(_children())  # another test's worker may be about
    results = halves.in_two(_singles(10), _pid_then_wait, items=10)
    assert next(results) == ME
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
