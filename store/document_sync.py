"""The document sync's own bookkeeping: its lease (held by one process, renewed per page) and
the generation sweep that follows a full re-enumeration (410 resyncRequired)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store.models import Document, SyncState


def _parse(value: str | None) -> tuple[datetime | None, str]:
    """A lease row's value: "<until ISO>|<holder>" (older rows hold the time alone)."""
    if not value:
        return None, ""
    until, _, holder = value.partition("|")
    return datetime.fromisoformat(until), holder


def take_lease(session: Session, key: str, now: datetime, ttl: timedelta, holder: str = "") -> bool:
    """Claim `key` until now + ttl unless someone else holds an unexpired claim."""
    row = session.get(SyncState, key, with_for_update=True)
    value = f"{(now + ttl).isoformat()}|{holder}"
    if row is None:
        try:
            with session.begin_nested():
                session.add(SyncState(key=key, value=value, updated_at=now))
        except IntegrityError:
            return False
        return True
    until, _ = _parse(row.value)
    if until is not None and until > now:
        return False
    row.value, row.updated_at = value, now
    return True


def renew_lease(session: Session, key: str, now: datetime, ttl: timedelta, holder: str) -> bool:
    """Extend `holder`'s claim to now + ttl. False when the claim is no longer theirs (it
    expired and another process took it): the caller must stop writing."""
    row = session.get(SyncState, key, with_for_update=True)
    if row is None:
        return False
    until, current = _parse(row.value)
    if current != holder and until is not None and until > now:
        return False
    row.value, row.updated_at = f"{(now + ttl).isoformat()}|{holder}", now
    return True


def release_lease(session: Session, key: str, now: datetime, holder: str | None = None) -> None:
    row = session.get(SyncState, key)
    if row is None:
        return
    if holder is not None and _parse(row.value)[1] not in ("", holder):
        return  # another process holds it now: not ours to release
    row.value, row.updated_at = None, now


def mark_seen(session: Session, item_ids: list[str], generation: int) -> None:
    """The items a full enumeration reported carry its generation."""
    for i in range(0, len(item_ids), 500):
        session.execute(
            update(Document)
            .where(Document.drive_item_id.in_(item_ids[i : i + 500]))
            .values(sync_generation=generation)
        )


def delete_unseen(session: Session, generation: int, now: datetime) -> list[str]:
    """After a full re-enumeration reached its deltaLink: whatever it did not report is gone
    from SharePoint. Marks those deleted; returns their paths."""
    stmt = select(Document).where(Document.deleted.is_(False), Document.sync_generation < generation)
    gone = list(session.scalars(stmt))
    for doc in gone:
        doc.deleted, doc.synced_at = True, now
    return [d.path or d.name for d in gone]
