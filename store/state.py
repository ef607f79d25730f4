"""Small durable key/value facts (delta links, 'already told' markers)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import SyncState


def get(session: Session, key: str) -> str | None:
    row = session.get(SyncState, key)
    return row.value if row else None


def get_many(session: Session, *keys: str) -> dict[str, str | None]:
    """Several facts in one round trip (a key never stored maps to None)."""
    rows = session.execute(select(SyncState.key, SyncState.value).where(SyncState.key.in_(keys)))
    found: dict[str, str | None] = dict.fromkeys(keys)
    found.update({key: value for key, value in rows})
    return found


def put(session: Session, key: str, value: str | None, at: datetime) -> None:
    row = session.get(SyncState, key)
    if row is None:
        session.add(SyncState(key=key, value=value, updated_at=at))
    else:
        row.value = value
        row.updated_at = at
