"""Group commit for the inbox: acknowledgements that arrive together share one transaction.

Each request's thread adds its delivery to a queue and waits. One of them (the first, then
whoever is first in the queue when a batch is done) takes everything queued, inserts it in
one transaction and commits; only then is every delivery in that batch handed its row id, so
"acknowledged means stored" holds for each one exactly as with one transaction each. A burst
of sixteen requests takes SQLite's write lock (or a PostgreSQL commit) once or twice instead
of sixteen times in a row, each waiting for the one before it to be scheduled again. A
request that comes alone is not delayed: there is no waiting for company. On PostgreSQL,
which takes concurrent commits in parallel, each delivery is one autocommit INSERT of its
own (see GroupCommit).

If a batch's transaction fails, its deliveries are stored one by one, so one delivery that
cannot be stored fails alone (its request is not acknowledged; Slack shows the person an
error) and takes no other down with it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from store import inbox, write_gate
from store.db import inbox_engine

MAX_BATCH = 64


@dataclass
class Delivery:
    values: dict[str, Any]
    lead: bool = False  # this thread stores the next batch
    row_id: int | None = None
    error: BaseException | None = None
    settled: bool = False  # stored (row_id; None for a key stored before) or failed (error)
    wake: threading.Event = field(default_factory=threading.Event)


class GroupCommit:
    """`together=False` (PostgreSQL): every delivery its own INSERT in autocommit, at once
    (`inbox.accept_alone`: one round trip). The server commits concurrent statements in
    parallel (and groups their WAL flushes itself); queueing them behind one leader measured
    slower there (benchmarks/RESULTS.md)."""

    def __init__(self, sessions: sessionmaker[Session], *, together: bool = True) -> None:
        self.sessions = sessions
        self.together = together
        # PostgreSQL's statements go through an autocommit pool of their own, without pings.
        self.alone = None if together else inbox_engine(sessions.kw["bind"])
        self._lock = threading.Lock()
        self._queue: list[Delivery] = []
        self._leading = False  # while False the queue is empty

    def accept(
        self, *, key: str, platform: str, kind: str, payload: dict[str, Any], at: datetime, by: str
    ) -> int | None:
        """Store one delivery (in whichever batch it joins); its row id, or None when the key
        was stored before. Returns only after that batch has committed."""
        values: dict[str, Any] = {
            "key": key,
            "platform": platform,
            "kind": kind,
            "payload": payload,
            "at": at,
            "by": by,
        }
        if self.alone is not None and not self.together:
            return inbox.accept_alone(self.alone, **values)
        mine = Delivery(values)
        with self._lock:
            self._queue.append(mine)
            if not self._leading:
                self._leading = mine.lead = True
        if not mine.lead:
            mine.wake.wait()  # set when its batch has committed, or when it is to store the next
        if mine.lead:
            self._store_next_batch()
        if mine.error is not None:
            raise mine.error
        return mine.row_id

    def _store_next_batch(self) -> None:
        with self._lock:
            batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
        try:
            self._store(batch)
        finally:
            for d in batch:
                if not d.settled:  # something escaped _store: never acknowledged as stored
                    d.error, d.settled = RuntimeError("the inbox batch was not stored"), True
            with self._lock:
                following = self._queue[0] if self._queue else None
                if following is None:
                    self._leading = False
                else:
                    following.lead = True
            for d in batch:
                d.lead = False
                d.wake.set()
            if following is not None:
                following.wake.set()

    def _store(self, batch: list[Delivery]) -> None:
        try:
            with write_gate.first(), self.sessions() as s, s.begin():
                ids = [inbox.accept(s, **d.values) for d in batch]
        except Exception:
            if len(batch) == 1:
                batch[0].error, batch[0].settled = _current_error(), True
                return
            for d in batch:  # one that cannot be stored must not fail the others
                self._store([d])
            return
        for d, row_id in zip(batch, ids, strict=True):
            d.row_id, d.settled = row_id, True


def _current_error() -> BaseException:
    import sys

    error = sys.exc_info()[1]
    assert error is not None
    return error
