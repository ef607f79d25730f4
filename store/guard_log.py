"""What the audit log says about the safeguarding guard's refusals (they hold no text)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import AuditEvent


def refusals_since(session: Session, since: datetime) -> int:
    stmt = (
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.entity == "guard", AuditEvent.verb == "refused", AuditEvent.at >= since)
    )
    return int(session.scalar(stmt) or 0)
