"""Small durable key/value facts (delta links, 'already told' markers)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from store.models import SyncState


def get(session: Session, key: str) -> str | None:
    row = session.get(SyncState, key)
    return row.value if row else None


def put(session: Session, key: str, value: str | None, at: datetime) -> None:
    row = session.get(SyncState, key)
    if row is None:
        session.add(SyncState(key=key, value=value, updated_at=at))
    else:
        row.value = value
        row.updated_at = at
