"""Group commit for the inbox (bot/inbox_batch.py) and SQLite's write gate
(store/write_gate.py): deliveries that arrive together share one transaction, each is told
its row only once that transaction has committed, a delivery that cannot be stored fails
alone, and an acknowledgement's INSERT goes before waiting workers. On SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from bot.intake import Intake
from commands.clock import FixedClock
from store import write_gate
from store.models import InboxItem


def stored(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions() as s:
        return {str(k): int(i) for k, i in s.execute(select(InboxItem.key, InboxItem.id))}


def test_deliveries_arriving_together_share_a_transaction_and_each_is_stored_before_it_returns(
    engine: Engine, sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    intake = Intake(sessions, clock)
    intake._batch.together = (
        True  # PostgreSQL keeps one transaction each; the batching itself is tested on both
    )
    commits = 0
    first_in = threading.Event()
    let_go = threading.Event()

    def on_commit(_conn: Any) -> None:
        nonlocal commits
        commits += 1

    event.listen(engine, "commit", on_commit)
    original = intake._batch._store

    def slow_first(batch: Any) -> None:
        if not first_in.is_set():  # the first batch is held open while the others arrive
            first_in.set()
            let_go.wait(10)
        original(batch)

    intake._batch._store = slow_first  # type: ignore[method-assign]
    with ThreadPoolExecutor(10) as pool:
        first = pool.submit(intake.accept, "slack", "command", "slack:command:T0", {"n": 0})
        assert first_in.wait(10)
        rest = [
            pool.submit(intake.accept, "slack", "command", f"slack:command:T{n}", {"n": n})
            for n in range(1, 9)
        ]
        again = pool.submit(intake.accept, "slack", "command", "slack:command:T1", {"n": 1})
        # Wait until all nine are queued behind the first batch (a condition, not a sleep).
        deadline = threading.Event()
        for _ in range(1000):
            with intake._batch._lock:
                if len(intake._batch._queue) == 9:
                    break
            deadline.wait(0.01)
        assert not any(f.done() for f in rest), "returned before its row was committed"
        let_go.set()
        ids = [first.result(10)] + [f.result(10) for f in rest]
        retried = again.result(10)

    on_disk = stored(sessions)
    assert sorted(on_disk) == sorted(f"slack:command:T{n}" for n in range(9))
    assert ids == [on_disk[f"slack:command:T{n}"] for n in range(9)]
    assert retried is None  # the same delivery id twice in one batch: stored once
    assert commits == 2  # the first alone, then the other nine together


def test_a_delivery_that_cannot_be_stored_fails_alone(
    sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    intake = Intake(sessions, clock)
    original = intake._batch._store
    batches: list[int] = []

    def store(batch: Any) -> None:
        batches.append(len(batch))
        original(batch)

    intake._batch._store = store  # type: ignore[method-assign]
    from bot.inbox_batch import Delivery

    good = Delivery(
        {
            "key": "slack:command:OK",
            "platform": "slack",
            "kind": "command",
            "payload": {},
            "at": clock.now(),
            "by": "me",
        }
    )
    bad = Delivery(
        {
            "key": "slack:command:BAD",
            "platform": "slack",
            "kind": "command",
            "payload": {"x": object()},
            "at": clock.now(),
            "by": "me",
        }
    )
    original([good, bad])
    assert good.settled and good.row_id is not None and good.error is None
    assert bad.settled and bad.error is not None
    assert list(stored(sessions)) == ["slack:command:OK"]


def test_the_write_gate_lets_an_acknowledgement_go_before_waiting_workers() -> None:
    gate = write_gate.WriteGate()
    order: list[str] = []
    assert gate.acquire(urgent=False)  # a worker's transaction holds the lock

    def wait(name: str, urgent: bool) -> None:
        assert gate.acquire(urgent=urgent)
        order.append(name)
        gate.release()

    workers = [threading.Thread(target=wait, args=(f"worker{n}", False)) for n in range(3)]
    for t in workers:
        t.start()
    for _ in range(1000):
        if gate.waiting() == 3:
            break
        threading.Event().wait(0.01)
    ack = threading.Thread(target=wait, args=("ack", True))
    ack.start()
    for _ in range(1000):
        if gate.waiting() == 4:
            break
        threading.Event().wait(0.01)
    gate.release()
    for t in [*workers, ack]:
        t.join(10)
    assert order == ["ack", "worker0", "worker1", "worker2"]


def test_a_second_connection_of_the_holding_thread_is_not_kept_waiting() -> None:
    gate = write_gate.WriteGate()
    assert gate.acquire(urgent=False)
    assert gate.acquire(urgent=True, timeout=0.01) is False  # goes on; SQLite's own lock decides
    gate.release()
    assert gate.acquire(urgent=False)


@pytest.mark.parametrize("outcome", ["commit", "rollback"])
def test_a_sqlite_transaction_lets_go_of_the_gate_when_it_ends(
    engine: Engine, sessions: sessionmaker[Session], outcome: str
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("the gate is SQLite's")
    with sessions() as s:
        s.begin()
        s.execute(select(func.count()).select_from(InboxItem))
        getattr(s, outcome)()
    got = threading.Event()

    def other_thread() -> None:
        with sessions() as s2:
            s2.execute(select(1))
        got.set()

    threading.Thread(target=other_thread).start()
    assert got.wait(5), "the gate was not let go"


def test_on_postgresql_each_delivery_is_one_round_trip_committed_before_accept_returns(
    engine: Engine, sessions: sessionmaker[Session], clock: FixedClock, tmp_path: Path
) -> None:
    """What goes over the wire, in libpq's own trace of the protocol: for each delivery one
    INSERT and one Sync (one round trip), no ping, no BEGIN, no COMMIT; the server is idle,
    not inside a transaction, after each; and a session that was not part of it reads both
    rows the moment `accept` returns."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite shares a transaction among deliveries arriving together")
    from psycopg import pq

    intake = Intake(sessions, clock)
    intake.accept("slack", "command", "slack:command:PG0", {"n": 0})  # its pool's first connection
    pool = intake._batch.alone
    assert pool is not None
    wire = tmp_path / "wire.log"
    with wire.open("w") as log:
        pooled = pool.raw_connection()  # the one connection in the inbox's pool
        pooled.driver_connection.pgconn.trace(log.fileno())
        pooled.driver_connection.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        pooled.close()
        first = intake.accept("slack", "command", "slack:command:PG1", {"n": 1})
        again = intake.accept("slack", "command", "slack:command:PG1", {"n": 1})
        pooled = pool.raw_connection()
        pooled.driver_connection.pgconn.untrace()  # flushes libpq's buffer
        pooled.close()
    assert first is not None and again is None  # a retried delivery is stored once
    messages = [line.split("\t") for line in wire.read_text().splitlines()]
    sent = [m[2].strip() for m in messages if m[0] == "F"]
    assert sent.count("Sync") == 2  # one round trip each
    assert "Query" not in sent  # no simple-protocol BEGIN, COMMIT or ping
    parsed = [m[3] for m in messages if m[0] == "F" and m[2].strip() == "Parse"]
    assert parsed and all(p.split('" "')[1].startswith("INSERT INTO inbox") for p in parsed)
    assert [m[3].strip() for m in messages if m[0] == "B" and m[2].strip() == "ReadyForQuery"] == ["I", "I"]
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(InboxItem)) == 2


def test_on_postgresql_a_connection_the_server_dropped_costs_no_acknowledgement(
    engine: Engine, sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    """The inbox's pool does not ping before each INSERT: when the server has dropped its
    connections (a restart, an idle timeout), the INSERT notices, the pool is renewed and the
    delivery stored by a second try, once."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server to drop the connection")
    intake = Intake(sessions, clock)
    assert intake.accept("slack", "command", "slack:command:B1", {"n": 1}) is not None
    pool = intake._batch.alone
    assert pool is not None
    held = [pool.raw_connection() for _ in range(3)]  # as after acknowledgements in parallel
    for pooled in held:
        pooled.close()
    with engine.connect() as admin:  # what a server restart does to every other connection
        dropped = admin.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).all()
    assert len(dropped) >= 3  # the inbox's own connections among them
    second = intake.accept("slack", "command", "slack:command:B2", {"n": 2})
    assert second is not None
    assert sorted(stored(sessions)) == ["slack:command:B1", "slack:command:B2"]
