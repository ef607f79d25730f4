"""The inbox worker: every platform delivery is stored before it is acknowledged, worked from
the store, and marked done with its reply. Whatever a process left unfinished (a deploy's
SIGTERM, a crash, a SIGKILL) is finished by the next one: at start-up and every
`recover_every` after.

A delivery is worked by its platform's registered function (the integration's; see
commands/intake.py). The core's delivery keys make a second run of a command change nothing,
so a delivery worked again after a crash is stored once and answered.
"""

from __future__ import annotations

import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.ack_first import AckFirst
from bot.inbox_batch import GroupCommit
from commands.clock import Clock
from commands.intake import Received, ReceivedWork
from store import inbox

log = logging.getLogger("qabot.intake")

LEASE = timedelta(seconds=60)
# A delivery another process stored is left to it this long (with several web processes, each
# works what it acknowledged); after that, that process was stopped before it could.
HANDOFF = timedelta(seconds=5)
# A delivery this process stored and has not started after this long is taken by the
# recovery pass too (its after-the-ack work was lost, e.g. the pool was shut down).
GRACE = timedelta(seconds=30)
RECOVER_EVERY = 15.0  # seconds
MAX_ATTEMPTS = 5
KEEP_DONE = timedelta(days=7)
RECOVERY_THREADS = 4


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(600, 10 * 2 ** max(0, attempts - 1)))


@dataclass
class Intake:
    sessions: sessionmaker[Session]
    clock: Clock
    lease: timedelta = LEASE
    grace: timedelta = GRACE
    handoff: timedelta = HANDOFF
    recover_every: float = RECOVER_EVERY
    # Who stored a row: the process that did works it at once, others leave it `grace` first.
    me: str = field(default_factory=lambda: uuid.uuid4().hex)
    workers: dict[str, ReceivedWork] = field(default_factory=dict)
    # When the after-the-ack work starts: after the acknowledgements in flight (at most 1 s).
    ack_first: AckFirst = field(default_factory=AckFirst)
    # Rows this process is working now: its own recovery pass leaves them alone even when a
    # slow command outlives the lease (another process may still take them then).
    _working: set[int] = field(default_factory=set, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _stop: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    _thread: threading.Thread | None = field(default=None, init=False, repr=False)
    _batch: GroupCommit = field(init=False, repr=False)

    def __post_init__(self) -> None:
        bind = self.sessions.kw.get("bind")
        postgres = bind is not None and bind.dialect.name == "postgresql"
        # SQLite has one writer: deliveries queue for it anyway, so they share a transaction.
        self._batch = GroupCommit(self.sessions, together=not postgres)

    def accept(self, platform: str, kind: str, key: str, payload: dict[str, Any]) -> int | None:
        """One INSERT, committed before the platform is acknowledged: in one transaction with
        the deliveries that arrived with it (bot/inbox_batch.py), which on SQLite goes before
        the workers' transactions waiting for the write lock (store/write_gate.py)."""
        with self.ack_first.storing():
            row_id = self._batch.accept(
                key=key, platform=platform, kind=kind, payload=payload, at=self.clock.now(), by=self.me
            )
        if row_id is not None:
            self.ack_first.acked(row_id)
        return row_id

    def on_received(self, platform: str, work: ReceivedWork) -> None:
        self.workers[platform] = work

    def work(self, inbox_id: int) -> bool:
        """Claim and work one delivery; False when someone else has it or it is done. One this
        process has just acknowledged waits for the acknowledgements (bot/ack_first.py)."""
        self.ack_first.wait_turn(inbox_id)
        with self._lock:
            if inbox_id in self._working:
                return False
            self._working.add(inbox_id)
        try:
            return self._work(inbox_id)
        finally:
            with self._lock:
                self._working.discard(inbox_id)

    def _work(self, inbox_id: int) -> bool:
        now = self.clock.now()
        with self.sessions() as s, s.begin():
            claimed = inbox.claim(s, inbox_id, now, self.lease, platforms=set(self.workers))
        if claimed is None:
            return False
        received = Received(
            platform=claimed.platform,
            kind=claimed.kind,
            key=claimed.key,
            payload=claimed.payload,
            received_at=claimed.received_at,
            attempts=claimed.attempts,
        )
        try:
            reply = self.workers[claimed.platform](received)
        except Exception as e:
            give_up = claimed.attempts >= MAX_ATTEMPTS
            log.exception(
                "inbox %s (%s %s) failed, attempt %s%s",
                inbox_id,
                claimed.platform,
                claimed.kind,
                claimed.attempts,
                "; giving up (qabot doctor lists it)" if give_up else "; it will be tried again",
            )
            with self.sessions() as s, s.begin():
                later = self.clock.now() + _backoff(claimed.attempts)
                inbox.retry_later(s, inbox_id, type(e).__name__, later, give_up=give_up)
            return True
        with self.sessions() as s, s.begin():
            inbox.finish(s, inbox_id, reply.model_dump(mode="json") if reply else None, self.clock.now())
        return True

    def recover(self, limit: int = 500) -> int:
        """Finish what is left: pending deliveries a previous process stored, and deliveries
        whose worker's lease ran out. Returns how many were worked."""
        if not self.workers:
            return 0
        with self.sessions() as s:
            ids = inbox.due_ids(
                s,
                self.clock.now(),
                me=self.me,
                handoff=self.handoff,
                grace=self.grace,
                platforms=set(self.workers),
                limit=limit,
            )
        with self._lock:
            ids = [i for i in ids if i not in self._working]
        if not ids:
            return 0
        log.info("finishing %s delivery(ies) left unanswered", len(ids))
        with ThreadPoolExecutor(RECOVERY_THREADS, thread_name_prefix="qabot-recover") as pool:
            return sum(1 for worked in pool.map(self.work, ids) if worked)

    def prune(self) -> int:
        with self.sessions() as s, s.begin():
            return inbox.prune(s, self.clock.now() - KEEP_DONE)

    def pass_once(self) -> None:
        try:
            self.recover()
            self.prune()
        except Exception:
            log.exception("inbox recovery failed; the next pass will try again")

    def start(self) -> None:
        """Recover now, then every `recover_every` seconds, on a daemon thread."""
        if self._thread is not None:
            return

        def loop() -> None:
            while True:
                self.pass_once()
                if self._stop.wait(self.recover_every):
                    return

        self._thread = threading.Thread(target=loop, name="qabot-intake", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
