"""The append-only audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import AuditEvent, Member


def record(
    session: Session,
    *,
    at: datetime,
    actor: Member | None,
    entity: str,
    entity_id: int | None,
    verb: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    source: str,
    actor_label: str | None = None,
) -> AuditEvent:
    event = AuditEvent(
        at=at,
        actor_id=actor.id if actor else None,
        actor_label=actor_label or (f"@{actor.handle}" if actor else "system"),
        entity=entity,
        entity_id=entity_id,
        verb=verb,
        before=before,
        after=after,
        source=source,
    )
    session.add(event)
    return event


def history(session: Session, entity: str, entity_id: int) -> list[AuditEvent]:
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return list(session.scalars(stmt))


def created_from(session: Session, entity: str, source: str) -> int | None:
    """The id of the `entity` created from the message `source` ("platform:channel:message"),
    if one was (the audit log is the one place that records which message made what)."""
    stmt = (
        select(AuditEvent.entity_id)
        .where(AuditEvent.entity == entity, AuditEvent.verb == "created", AuditEvent.source == source)
        .order_by(AuditEvent.id)
        .limit(1)
    )
    return session.scalar(stmt)
