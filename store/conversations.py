"""Conversation references: where the bot can post on its own (Teams channels, chats, 1:1s)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store.models import ConversationRef


def get(session: Session, platform: str, conversation_id: str) -> ConversationRef | None:
    stmt = select(ConversationRef).where(
        ConversationRef.platform == platform, ConversationRef.conversation_id == conversation_id
    )
    return session.scalar(stmt)


def save(
    session: Session,
    *,
    platform: str,
    conversation_id: str,
    service_url: str | None,
    tenant_id: str | None,
    reference: dict[str, Any],
    now: datetime,
    user_id: str | None = None,
) -> ConversationRef:
    """Insert or refresh the reference for this conversation (the newest service URL wins)."""
    row = get(session, platform, conversation_id)
    if row is None:
        row = ConversationRef(platform=platform, conversation_id=conversation_id, reference={})
        try:
            with session.begin_nested():
                session.add(row)
                _fill(row, service_url, tenant_id, reference, now, user_id)
            return row
        except IntegrityError:  # saved a moment ago by a concurrent delivery
            found = get(session, platform, conversation_id)
            assert found is not None
            row = found
    _fill(row, service_url, tenant_id, reference, now, user_id)
    return row


def _fill(
    row: ConversationRef,
    service_url: str | None,
    tenant_id: str | None,
    reference: dict[str, Any],
    now: datetime,
    user_id: str | None,
) -> None:
    row.service_url = service_url or row.service_url
    row.tenant_id = tenant_id or row.tenant_id
    row.reference = {**(row.reference or {}), **reference}
    row.updated_at = now
    if user_id:
        row.user_id = user_id


def for_user(session: Session, platform: str, user_id: str) -> ConversationRef | None:
    """The newest 1:1 chat with this person."""
    stmt = (
        select(ConversationRef)
        .where(ConversationRef.platform == platform, ConversationRef.user_id == user_id)
        .order_by(ConversationRef.updated_at.desc(), ConversationRef.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)


def newest(session: Session, platform: str, tenant_id: str | None = None) -> ConversationRef | None:
    """The most recently refreshed reference (its service URL serves the whole tenant)."""
    stmt = select(ConversationRef).where(
        ConversationRef.platform == platform, ConversationRef.service_url.is_not(None)
    )
    if tenant_id:
        stmt = stmt.where(ConversationRef.tenant_id == tenant_id)
    stmt = stmt.order_by(ConversationRef.updated_at.desc(), ConversationRef.id.desc()).limit(1)
    return session.scalar(stmt)


def all_refs(session: Session, platform: str) -> list[ConversationRef]:
    stmt = select(ConversationRef).where(ConversationRef.platform == platform).order_by(ConversationRef.id)
    return list(session.scalars(stmt))
