"""Meetings and agenda items."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Meeting


def _local_day_bounds(d: date, tz: str) -> tuple[datetime, datetime]:
    start = datetime.combine(d, time(0), tzinfo=ZoneInfo(tz))
    return start, start + timedelta(days=1)


def on_date(session: Session, d: date, tz: str) -> Meeting | None:
    start, end = _local_day_bounds(d, tz)
    stmt = (
        select(Meeting)
        .where(Meeting.starts_at >= start, Meeting.starts_at < end)
        .order_by(Meeting.starts_at)
        .limit(1)
    )
    return session.scalar(stmt)


def upcoming(session: Session, after: datetime, limit: int = 5) -> list[Meeting]:
    stmt = select(Meeting).where(Meeting.starts_at >= after).order_by(Meeting.starts_at).limit(limit)
    return list(session.scalars(stmt))


def by_kind_and_start(session: Session, kind: str, starts_at: datetime) -> Meeting | None:
    return session.scalar(select(Meeting).where(Meeting.kind == kind, Meeting.starts_at == starts_at))
