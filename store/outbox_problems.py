"""Outbox posts that did not reach anyone: failed for good, parked with an unknown outcome,
or unreachable (no address on any configured platform). Read by the delivery notices (the QA
officer is told once per row), /s11 status, /qa status and `qabot doctor`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import OutboxMessage

FAILED = "failed"
PARKED = "parked"
UNREACHABLE = "unreachable"
PROBLEMS = (FAILED, PARKED, UNREACHABLE)


def untold(session: Session, *, except_kind: str, limit: int = 200) -> list[OutboxMessage]:
    """Problem posts the QA officer has not been told of (the notices themselves excepted,
    so a notice that fails is shown by `qabot doctor`, not announced in a loop)."""
    stmt = (
        select(OutboxMessage)
        .where(
            OutboxMessage.status.in_(PROBLEMS),
            OutboxMessage.told_at.is_(None),
            OutboxMessage.kind != except_kind,
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def of_subjects(session: Session, subject_type: str, ids: Iterable[int]) -> list[OutboxMessage]:
    """Every post about these subjects (e.g. a cycle's returns), oldest first."""
    wanted = list(ids)
    if not wanted:
        return []
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.subject_type == subject_type, OutboxMessage.subject_id.in_(wanted))
        .order_by(OutboxMessage.id)
    )
    return list(session.scalars(stmt))


def recent(
    session: Session, since: datetime, statuses: tuple[str, ...] = (FAILED, PARKED)
) -> list[OutboxMessage]:
    """Problem posts created since a moment, newest first."""
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.status.in_(statuses), OutboxMessage.created_at >= since)
        .order_by(OutboxMessage.id.desc())
    )
    return list(session.scalars(stmt))


def counts(session: Session) -> dict[str, int]:
    """status -> number of posts, for the problem statuses that have any."""
    stmt = (
        select(OutboxMessage.status, func.count())
        .where(OutboxMessage.status.in_(PROBLEMS))
        .group_by(OutboxMessage.status)
    )
    return {status: int(n) for status, n in session.execute(stmt)}


def latest(session: Session, status: str, limit: int = 10) -> list[OutboxMessage]:
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.status == status)
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def of_kind_since(session: Session, kind: str, since: datetime) -> list[OutboxMessage]:
    """Posts of one kind created since a moment, oldest first (e.g. answers sent again)."""
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.kind == kind, OutboxMessage.created_at >= since)
        .order_by(OutboxMessage.id)
    )
    return list(session.scalars(stmt))
