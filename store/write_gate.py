"""SQLite's one writer, handed over in order inside a process, an acknowledgement's inbox
INSERT first.

Every SQLite transaction here begins with BEGIN IMMEDIATE (store/db.py), which takes the
database's write lock at once; a second writer waits in SQLite's busy handler, which sleeps
and tries again (1, 2, 5, 10 … 100 ms apart). Whoever happens to try just after the lock is
let go wins it, so under load a writer can lose that lottery for a second or more. The inbox
INSERT an acknowledgement waits on (one row, well under a millisecond) lost it to the
after-the-ack workers' command transactions: acknowledgements took 1.35 s at p99.

Within a process this gate decides the order instead: a transaction that finds the database
taken waits in a queue and is handed the gate the moment the holder commits or rolls back,
and a waiting inbox INSERT (`first()`) goes before every waiting worker. Between processes
SQLite's lock and busy handler still decide, and nothing depends on the gate for
correctness: a transaction that waits longer than GATE_TIMEOUT for it goes on without it
(logged) and SQLite's own lock keeps the writes apart, as it always did.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

log = logging.getLogger(__name__)

# As long as SQLite's own busy timeout (store/db.py): past it, the gate stops being waited for.
GATE_TIMEOUT = 10.0

_first: ContextVar[bool] = ContextVar("qabot_write_gate_first", default=False)


@contextmanager
def first() -> Iterator[None]:
    """Transactions begun in this block go before any waiting ordinary one (the inbox INSERT
    an acknowledgement waits on)."""
    token = _first.set(True)
    try:
        yield
    finally:
        _first.reset(token)


class WriteGate:
    """A lock with two queues (first, then the rest, each in arrival order) that is passed
    directly from the holder to the next waiter, so no waiter polls."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held = False
        self._holder: int | None = None
        self._urgent: deque[threading.Event] = deque()
        self._normal: deque[threading.Event] = deque()

    def acquire(self, *, urgent: bool, timeout: float = GATE_TIMEOUT) -> bool:
        """True when this thread now holds the gate; False when it goes on without it (it
        already holds it through another connection, or waited `timeout` in vain)."""
        me = threading.get_ident()
        with self._lock:
            if not self._held:
                self._held, self._holder = True, me
                return True
            if self._holder == me:
                return False  # a second connection of the same thread: SQLite decides
            ticket = threading.Event()
            queue = self._urgent if urgent else self._normal
            queue.append(ticket)
        if not ticket.wait(timeout):
            with self._lock:
                if ticket in queue:
                    queue.remove(ticket)
                    log.warning("waited %.0f s for the database's write gate; going on without it", timeout)
                    return False
            # Handed over just as the wait ran out: it is ours.
        with self._lock:
            self._holder = me
        return True

    def release(self) -> None:
        with self._lock:
            queue = self._urgent or self._normal
            if not queue:
                self._held, self._holder = False, None
                return
            nxt = queue.popleft()
            self._holder = None  # until the next holder's thread says who it is
        nxt.set()

    def waiting(self) -> int:
        with self._lock:
            return len(self._urgent) + len(self._normal)


class GatedConnection(sqlite3.Connection):
    """pysqlite's connection that lets go of its engine's gate once its transaction has
    ended: after COMMIT or ROLLBACK has run, so the next holder never meets a busy database
    left by this one. (SQLAlchemy's own events fire before them.) Closing lets go too."""

    gate: WriteGate | None = None
    holds_gate: bool = False

    def enter_gate(self, gate: WriteGate) -> None:
        self.gate = gate
        self.holds_gate = gate.acquire(urgent=_first.get())

    def leave_gate(self) -> None:
        if self.holds_gate and self.gate is not None:
            self.holds_gate = False
            self.gate.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.leave_gate()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.leave_gate()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.leave_gate()


def begin_immediate(gate: WriteGate) -> Any:
    """The engine's "begin" listener: wait at the gate, then take SQLite's write lock."""

    def begin(conn: Any) -> None:
        dbapi = conn.connection.dbapi_connection
        gated = isinstance(dbapi, GatedConnection)
        if gated:
            dbapi.enter_gate(gate)
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            if gated:
                dbapi.leave_gate()
            raise

    return begin
