"""Threads people started in the channels the bot posts into, kept by id only (never text),
so a reply under one is known to be their conversation (commands/unclear_threads.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store.models import PersonThread


def note(session: Session, platform: str, channel: str, message_id: str, at: datetime) -> None:
    """Keep that a person's post started a thread here (once; a redelivery changes nothing)."""
    if started_by_person(session, platform, channel, message_id):
        return
    try:
        with session.begin_nested():
            session.add(PersonThread(platform=platform, channel=channel, message_id=message_id, seen_at=at))
    except IntegrityError:  # the same post delivered twice at once
        return


def started_by_person(session: Session, platform: str, channel: str, message_id: str) -> bool:
    stmt = select(PersonThread.id).where(
        PersonThread.platform == platform,
        PersonThread.channel == channel,
        PersonThread.message_id == message_id,
    )
    return session.scalar(stmt) is not None
