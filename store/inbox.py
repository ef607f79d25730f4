"""The inbox: platform deliveries stored before they are acknowledged, then worked once.

One INSERT per delivery, keyed by the platform's delivery id (ON CONFLICT DO NOTHING on both
databases), so a retried delivery is acknowledged again but never stored twice. A worker
claims a row with a lease (as the outbox does for posts); a row whose lease ran out belongs
to a process that died, and the next one finishes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Engine, and_, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from store.models import InboxItem

PENDING, WORKING, DONE, FAILED = "pending", "working", "done", "failed"


@dataclass(frozen=True)
class Claimed:
    """A row taken for working (a copy: the session that read it is closed by then)."""

    id: int
    key: str
    platform: str
    kind: str
    payload: dict[str, Any]
    received_at: datetime
    attempts: int


def accept(
    session: Session, *, key: str, platform: str, kind: str, payload: dict[str, Any], at: datetime, by: str
) -> int | None:
    """Store a delivery; its row id, or None when that key was stored before (a retry)."""
    values = _row(key=key, platform=platform, kind=kind, payload=payload, at=at, by=by)
    stmt = _ACCEPT[session.get_bind().dialect.name == "postgresql"]
    row_id = session.execute(stmt, values).scalar()
    return int(row_id) if row_id is not None else None


def accept_alone(
    engine: Engine, *, key: str, platform: str, kind: str, payload: dict[str, Any], at: datetime, by: str
) -> int | None:
    """`accept` as a transaction of its own, on PostgreSQL, through `store.db.inbox_engine`:
    one statement in autocommit, so one round trip to the server where the pool's ping, BEGIN,
    INSERT and COMMIT took four (each a wait for the reply, then for Python's one running
    thread). Committed when it returns.

    It runs before every acknowledgement, so it goes to psycopg directly on a pooled
    connection: SQLAlchemy's execution around one fixed statement cost about as much CPU as
    psycopg itself (0.24–0.28 ms an INSERT through it, 0.17 without; benchmarks/RESULTS.md).
    The statement is the one `accept` runs, compiled once; the two values SQLAlchemy's column
    types would convert (the payload to JSON, the instant to UTC) are converted here.

    A pooled connection the server dropped (a restart) is noticed by the INSERT instead of a
    ping: the pool is renewed and the INSERT sent once more (had the first reached the server
    after all, the key keeps the delivery once, this returns None as for a retry, and the
    recovery pass works the row: bot/intake.py). psycopg's own errors are raised: their
    text never quotes the values (the payload is a person's message)."""
    import psycopg
    from psycopg.types.json import Json

    if at.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    values = _row(key=key, platform=platform, kind=kind, payload=payload, at=at.astimezone(UTC), by=by)
    values["payload"] = Json(payload)
    for last_try in (False, True):
        pooled = engine.raw_connection()
        driver = cast("psycopg.Connection[tuple[Any, ...]]", pooled.driver_connection)
        try:
            row = driver.execute(_PG_ACCEPT_SQL, values).fetchone()
        except psycopg.OperationalError:
            dropped = driver.broken
            if dropped:
                pooled.invalidate()
            if last_try or not dropped:
                raise
            engine.dispose()  # the server dropped this one: the others it pooled went with it
            continue
        finally:
            pooled.close()
        return int(row[0]) if row is not None else None
    raise AssertionError("unreachable")


def _row(
    *, key: str, platform: str, kind: str, payload: dict[str, Any], at: datetime, by: str
) -> dict[str, Any]:
    return {
        "key": key,
        "platform": platform,
        "kind": kind,
        "payload": payload,
        "status": PENDING,
        "received_at": at,
        "accepted_by": by,
        "attempts": 0,
    }


def _accept_statement(insert: Any) -> Any:
    """Built once: it runs before every acknowledgement, and building an INSERT (its values
    coerced, its cache key computed) cost more CPU there than running it."""
    table = InboxItem.__table__
    return insert(table).on_conflict_do_nothing(index_elements=["key"]).returning(table.c.id)


_ACCEPT = {False: _accept_statement(sqlite.insert), True: _accept_statement(postgresql.insert)}


def _pg_accept_sql() -> str:
    """`accept_alone`'s SQL: `accept`'s INSERT with the columns `_row` fills, compiled for
    psycopg's named placeholders."""
    columns = _row(key="", platform="", kind="", payload={}, at=datetime.now(UTC), by="")
    psycopg_dialect = postgresql.psycopg.dialect()  # type: ignore[no-untyped-call]  # SQLAlchemy leaves it unannotated
    return str(_ACCEPT[True].compile(dialect=psycopg_dialect, column_keys=list(columns)))


_PG_ACCEPT_SQL = _pg_accept_sql()


def due_ids(
    session: Session,
    now: datetime,
    *,
    me: str,
    handoff: timedelta,
    grace: timedelta,
    platforms: set[str],
    limit: int = 200,
) -> list[int]:
    """Rows to finish: pending ones another process stored `handoff` ago (it was stopped, or
    is about to work them itself), or this one `grace` ago and still not taken, and rows whose
    worker's lease ran out (it died)."""
    waiting = and_(
        InboxItem.status == PENDING,
        or_(InboxItem.lease_until.is_(None), InboxItem.lease_until <= now),
        or_(
            and_(InboxItem.accepted_by != me, InboxItem.received_at <= now - handoff),
            InboxItem.received_at <= now - grace,
        ),
    )
    abandoned = and_(InboxItem.status == WORKING, InboxItem.lease_until <= now)
    stmt = (
        select(InboxItem.id)
        .where(or_(waiting, abandoned), InboxItem.platform.in_(platforms))
        .order_by(InboxItem.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def claim(
    session: Session, row_id: int, now: datetime, lease: timedelta, *, platforms: set[str]
) -> Claimed | None:
    """Take a row for working until `now + lease`; None when it is done, someone has it, or
    it is for a platform this process does not serve."""
    row = session.get(InboxItem, row_id)
    if row is None or row.status not in (PENDING, WORKING) or row.platform not in platforms:
        return None
    if row.lease_until is not None and row.lease_until > now:
        return None
    taken = session.execute(
        update(InboxItem)
        .where(
            InboxItem.id == row_id,
            InboxItem.status == row.status,
            InboxItem.attempts == row.attempts,
        )
        .values(status=WORKING, lease_until=now + lease, attempts=InboxItem.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return Claimed(
        id=row.id,
        key=row.key,
        platform=row.platform,
        kind=row.kind,
        payload=dict(row.payload),
        received_at=row.received_at,
        attempts=row.attempts + 1,
    )


def finish(session: Session, row_id: int, reply: dict[str, Any] | None, now: datetime) -> None:
    session.execute(
        update(InboxItem)
        .where(InboxItem.id == row_id)
        # The payload (what was typed, the response_url) is not kept once it is answered.
        .values(status=DONE, payload={}, reply=reply, done_at=now, lease_until=None, last_error=None)
    )


def prune(session: Session, before: datetime) -> int:
    """Forget rows answered before `before` (their keys have done their work by then)."""
    result = session.execute(delete(InboxItem).where(InboxItem.status == DONE, InboxItem.done_at < before))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def retry_later(session: Session, row_id: int, error: str, at: datetime, *, give_up: bool) -> None:
    """The work failed: try again at `at`, or stop trying (status 'failed', for the doctor)."""
    session.execute(
        update(InboxItem)
        .where(InboxItem.id == row_id)
        .values(
            status=FAILED if give_up else PENDING, lease_until=None if give_up else at, last_error=error[:500]
        )
    )


def counts(session: Session) -> dict[str, int]:
    """Rows by status (the doctor's view of the inbox)."""
    stmt = select(InboxItem.status, func.count()).group_by(InboxItem.status)
    return {str(status): int(n) for status, n in session.execute(stmt)}


def by_key(session: Session, key: str) -> InboxItem | None:
    return session.scalar(select(InboxItem).where(InboxItem.key == key))
