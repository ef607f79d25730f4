"""The outbox: posts the bot must send, each with a unique key so nothing is sent twice."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store.models import OutboxMessage

# An edit of one of the bot's own posts (`/qa redact`): its subject is the post (subject_type
# "outbox", subject_id the post's id), its payload the post's new content.
EDIT_KIND = "edit"


def enqueue(
    session: Session,
    *,
    key: str,
    platform: str,
    channel: str,
    kind: str,
    payload: dict[str, Any],
    now: datetime,
    thread_key: str | None = None,
    subject_type: str | None = None,
    subject_id: int | None = None,
    status: str = "pending",
) -> OutboxMessage | None:
    """Add a post unless one with this key exists (then None: it was already queued).
    status="unreachable" records a post that has nowhere to go: it is never sent."""
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None:
        return None
    row = OutboxMessage(
        key=key,
        platform=platform,
        channel=channel,
        kind=kind,
        payload=payload,
        thread_key=thread_key,
        subject_type=subject_type,
        subject_id=subject_id,
        status=status,
        attempts=0,
        next_attempt_at=now if status == "pending" else None,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # another tick queued it a moment ago
        return None
    return row


def exists(session: Session, key: str) -> bool:
    return session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None


def due_ids(session: Session, now: datetime, limit: int = 500) -> list[int]:
    """Pending posts whose time has come, and posts left 'sending' by a process that died
    (their lease, kept in next_attempt_at, has run out)."""
    stmt = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status.in_(("pending", "sending")),
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def claim(session: Session, row_id: int, now: datetime, lease: timedelta) -> str | None:
    """Take a post for sending. Returns the status it had ('pending', or 'sending' when
    recovering from a crash), or None if another process has it or it is done."""
    row = session.get(OutboxMessage, row_id)
    if row is None or row.status not in ("pending", "sending"):
        return None
    previous = row.status
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == row_id,
            OutboxMessage.status == previous,
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
        )
        .values(status="sending", next_attempt_at=now + lease, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return previous if result.rowcount == 1 else None  # type: ignore[attr-defined]


def thread_parent(session: Session, row: OutboxMessage) -> OutboxMessage | None:
    """The first post of this post's logical thread on the same platform (None if it is first)."""
    if not row.thread_key:
        return None
    stmt = (
        select(OutboxMessage)
        .where(
            OutboxMessage.thread_key == row.thread_key,
            OutboxMessage.platform == row.platform,
            OutboxMessage.id < row.id,
        )
        .order_by(OutboxMessage.id)
        .limit(1)
    )
    return session.scalar(stmt)


def thread_root(
    session: Session, platform: str, channel: str | None, message_id: str
) -> OutboxMessage | None:
    """The bot's post that a thread reply belongs to: the root itself or any post in it, or
    the post whose copy (kept by the platform without telling us) started the thread."""
    cond = and_(
        OutboxMessage.platform == platform,
        or_(
            OutboxMessage.message_id == message_id,
            OutboxMessage.thread_message_id == message_id,
            OutboxMessage.duplicate_message_id == message_id,
        ),
    )
    if channel:
        cond = and_(cond, or_(OutboxMessage.sent_channel == channel, OutboxMessage.channel == channel))
    stmt = select(OutboxMessage).where(cond).order_by(OutboxMessage.id).limit(1)
    return session.scalar(stmt)


def by_key(session: Session, key: str) -> OutboxMessage | None:
    return session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))


def by_id(session: Session, row_id: int) -> OutboxMessage | None:
    return session.get(OutboxMessage, row_id)


def note_unclear(row: OutboxMessage, start: datetime, end: datetime) -> None:
    """Widen the window of the post's attempts whose outcome is unknown to [start, end]."""
    row.unclear_from = start if row.unclear_from is None else min(row.unclear_from, start)
    row.unclear_until = end if row.unclear_until is None else max(row.unclear_until, end)


def unclear_thread_starts(session: Session, platform: str, channel: str) -> list[OutboxMessage]:
    """Posts that start a thread in this conversation, had an attempt whose outcome is unknown,
    and whose possible copy's thread is not known yet (oldest first)."""
    stmt = (
        select(OutboxMessage)
        .where(
            OutboxMessage.platform == platform,
            or_(OutboxMessage.channel == channel, OutboxMessage.sent_channel == channel),
            OutboxMessage.unclear_from.is_not(None),
            OutboxMessage.duplicate_message_id.is_(None),
            OutboxMessage.status.in_(("sending", "sent", "parked")),
        )
        .order_by(OutboxMessage.id)
    )
    return [row for row in session.scalars(stmt) if thread_parent(session, row) is None]
