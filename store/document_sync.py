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


UNREADABLE = "sharepoint:unreadable:"  # + item id: a file kept without text, to read again


def unreadable(session: Session) -> list[tuple[str, str]]:
    """(item id, name) of current files that could not be read last time."""
    keys = select(SyncState.key).where(SyncState.key.like(UNREADABLE + "%"), SyncState.value.is_not(None))
    ids = [k.removeprefix(UNREADABLE) for k in session.scalars(keys)]
    if not ids:
        return []
    stmt = select(Document.drive_item_id, Document.name).where(
        Document.drive_item_id.in_(ids), Document.deleted.is_(False)
    )
    return [(i, n) for i, n in session.execute(stmt)]


def readable_again(session: Session, item_ids: list[str], now: datetime) -> None:
    """These files were read: forget that they could not be."""
    for i in range(0, len(item_ids), 500):
        keys = [UNREADABLE + x for x in item_ids[i : i + 500]]
        for row in session.scalars(select(SyncState).where(SyncState.key.in_(keys))):
            row.value, row.updated_at = None, now


def store_text(session: Session, item_id: str, text: str, max_chars: int) -> None:
    doc = session.scalar(select(Document).where(Document.drive_item_id == item_id))
    if doc is not None and not doc.deleted and doc.access != "restricted":
        doc.content_text = text[:max_chars]
