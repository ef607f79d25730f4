"""Acknowledgements first (bot/ack_first.py): the work after an acknowledgement waits while
other deliveries are being stored for theirs, never past its cap, and only for deliveries this
process acknowledged. Time is a hand-moved clock; threads meet on events, nothing sleeps."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from bot.ack_first import AckFirst


class Ticks:
    """The scheduler's clock, moved by the test."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@contextmanager
def an_acknowledgement_being_stored(first: AckFirst) -> Iterator[None]:
    """Another request's delivery is being stored (inside `first.storing()`) until the block
    ends; then that storing ends."""
    inside, let_go = threading.Event(), threading.Event()

    def another_ack() -> None:
        with first.storing():
            inside.set()
            let_go.wait(10)

    ack = threading.Thread(target=another_ack)
    ack.start()
    assert inside.wait(10)
    try:
        yield
    finally:
        let_go.set()
        ack.join(10)


def working(
    first: AckFirst, row_id: int, name: str | None = None
) -> tuple[threading.Thread, threading.Event]:
    """A worker thread waiting for `row_id`'s turn; the event is set once it has it."""
    started = threading.Event()

    def work() -> None:
        first.wait_turn(row_id)
        started.set()

    worker = threading.Thread(target=work, name=name)
    worker.start()
    return worker, started


def test_work_waits_while_an_acknowledgement_is_being_stored_and_starts_once_it_is() -> None:
    ticks = Ticks()
    first = AckFirst(quiet=0.0, cap=60.0, now=ticks)
    with first.storing():
        pass
    first.acked(7)
    with an_acknowledgement_being_stored(first):
        worker, started = working(first, 7)
        assert not started.is_set()  # still storing: its turn has not come
    assert started.wait(10)  # the last one stored: its turn (quiet=0)
    worker.join(10)


def test_work_past_its_cap_goes_ahead_even_while_acknowledgements_are_being_stored() -> None:
    ticks = Ticks()
    first = AckFirst(quiet=0.5, cap=1.0, now=ticks)
    first.acked(3)
    ticks.t += 1.0  # its acknowledgement was a whole cap ago
    with first.storing():
        first.wait_turn(3)  # returns: the test would hang here otherwise


def test_work_goes_ahead_after_a_quiet_moment() -> None:
    ticks = Ticks()
    first = AckFirst(quiet=0.02, cap=60.0, now=ticks)
    with first.storing():
        first.acked(4)
    ticks.t += 0.5  # nothing stored since
    first.wait_turn(4)


def test_deliveries_not_acknowledged_here_never_wait() -> None:
    """The recovery pass's (stored by a process that died) and ones worked a second time."""
    ticks = Ticks()
    first = AckFirst(quiet=60.0, cap=60.0, now=ticks)
    first.acked(5)
    with first.storing():
        first.wait_turn(99)  # never acknowledged by this process
        ticks.t += 60.0
        first.wait_turn(5)  # its one turn (at its cap)...
        ticks.t -= 60.0
        first.wait_turn(5)  # ...taken: worked again, it does not wait


def test_a_delivery_that_failed_to_store_still_ends_its_storing() -> None:
    ticks = Ticks()
    first = AckFirst(quiet=0.0, cap=60.0, now=ticks)
    first.acked(6)
    try:
        with first.storing():
            raise RuntimeError("the database refused it")
    except RuntimeError:
        pass
    first.wait_turn(6)  # nothing is being stored any more: no wait


def test_no_cap_means_no_waiting() -> None:
    first = AckFirst(quiet=60.0, cap=0.0, now=Ticks())
    first.acked(8)
    with first.storing():
        first.wait_turn(8)


def test_every_waiting_delivery_gets_its_turn_once_the_acknowledgements_are_stored() -> None:
    first = AckFirst(quiet=0.0, cap=60.0, now=Ticks())
    for row_id in (1, 2, 3):
        first.acked(row_id)
    with an_acknowledgement_being_stored(first):
        workers = [working(first, row_id) for row_id in (1, 2, 3)]
    assert all(started.wait(10) for _, started in workers)  # woken one by one, none left waiting
    for worker, _ in workers:
        worker.join(10)


def test_a_delivery_past_its_cap_does_not_wait_behind_the_one_watching() -> None:
    """One waiting delivery watches the acknowledgements for all of them; one whose own cap
    has passed goes at once instead of waiting behind it, and the watcher still gets its turn
    when the storing ends."""
    looked = threading.Event()

    class Watched(Ticks):
        def __call__(self) -> float:
            if threading.current_thread().name == "watcher":
                looked.set()  # the watcher is looking at the clock, holding the lock to wait
            return self.t

    ticks = Watched()
    first = AckFirst(quiet=0.0, cap=60.0, now=ticks)
    first.acked(2)  # at 1000: its cap ends at 1060
    ticks.t = 1030.0
    first.acked(1)  # its cap ends at 1090
    with an_acknowledgement_being_stored(first):
        watcher, started = working(first, 1, name="watcher")
        assert looked.wait(10)
        ticks.t = 1061.0
        first.wait_turn(2)  # past its cap: returns at once (the test would hang here otherwise)
        assert not started.is_set()  # the watcher's cap has not passed: it waits for the storing
    assert started.wait(10)
    watcher.join(10)
