"""Processed-delivery keys: a retried or duplicated delivery changes nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from store.models import ProcessedDelivery


def seen(session: Session, key: str) -> ProcessedDelivery | None:
    return session.get(ProcessedDelivery, key)


def claim(session: Session, key: str, at: datetime) -> ProcessedDelivery:
    """Insert the key now (flushed): a concurrent duplicate fails on the primary key."""
    row = ProcessedDelivery(key=key, received_at=at, reply=None)
    session.add(row)
    session.flush()
    return row


def store_reply(row: ProcessedDelivery, reply: dict[str, Any]) -> None:
    row.reply = reply
