"""The queries behind a rapid review's retention purge (commands/reviews/retention.py): which
closed reviews may lose their private details, and removing those details while the review's
dated steps and counts stay."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, selectinload

from store.models import AuditEvent, OutboxMessage, Review, ReviewAgency, ReviewRecommendation, ThreadReply

SUBJECT = "review_agency"  # the outbox subject of each agency's thread of a review


def closed_before(session: Session, cutoff: datetime) -> list[Review]:
    """Reviews closed before the cutoff, not yet purged and not under legal hold."""
    stmt = (
        select(Review)
        .where(
            Review.status == "closed",
            Review.closed_at.is_not(None),
            Review.closed_at < cutoff,
            Review.purged_on.is_(None),
            Review.legal_hold.is_(False),
        )
        .options(
            selectinload(Review.agencies).selectinload(ReviewAgency.agency), selectinload(Review.milestones)
        )
        .order_by(Review.id)
    )
    return list(session.scalars(stmt))


def held_before(session: Session, cutoff: datetime) -> int:
    """Closed reviews old enough to purge that legal hold keeps."""
    stmt = (
        select(func.count())
        .select_from(Review)
        .where(
            Review.status == "closed",
            Review.closed_at < cutoff,
            Review.purged_on.is_(None),
            Review.legal_hold.is_(True),
        )
    )
    return int(session.scalar(stmt) or 0)


def replies(session: Session, summary_ids: Sequence[int]) -> list[ThreadReply]:
    """Every reply people wrote in the review's agency threads."""
    if not summary_ids:
        return []
    stmt = (
        select(ThreadReply)
        .join(OutboxMessage, OutboxMessage.id == ThreadReply.outbox_id)
        .where(OutboxMessage.subject_type == SUBJECT, OutboxMessage.subject_id.in_(list(summary_ids)))
        .order_by(ThreadReply.id)
    )
    return list(session.scalars(stmt))


def notices(session: Session, review_id: int) -> list[OutboxMessage]:
    """The QA officer's notices about the review's threads (they quote the agencies' words)."""
    stmt = select(OutboxMessage).where(
        OutboxMessage.key.like(f"review:{review_id}:%"), OutboxMessage.kind == "review_comment"
    )
    return list(session.scalars(stmt))


def recommendation_count(session: Session, review_id: int) -> int:
    stmt = (
        select(func.count())
        .select_from(ReviewRecommendation)
        .where(ReviewRecommendation.review_id == review_id)
    )
    return int(session.scalar(stmt) or 0)


def kept_recommendations(session: Session, action_ids: Sequence[int], purging: Sequence[int]) -> set[int]:
    """Of these actions, those that are recommendations of a review whose details stay (not
    purged, now or before): the review's record still refers to them."""
    if not action_ids:
        return set()
    stmt = (
        select(ReviewRecommendation.action_id)
        .join(Review, Review.id == ReviewRecommendation.review_id)
        .where(
            ReviewRecommendation.action_id.in_(list(action_ids)),
            Review.purged_on.is_(None),
            Review.id.not_in(list(purging) or [-1]),
        )
    )
    return set(session.scalars(stmt))


def forget_recommendations(session: Session, action_ids: Sequence[int]) -> None:
    """The links from purged reviews to recommendation actions the purge removes (the review
    keeps their number in its purged counts)."""
    if action_ids:
        gone = delete(ReviewRecommendation).where(ReviewRecommendation.action_id.in_(list(action_ids)))
        session.execute(gone)


def purge_details(
    session: Session, review: Review, on: date, counts: dict[str, Any], note: dict[str, Any], placeholder: str
) -> int:
    """Remove the review's private details: its agencies' reply texts and summary links, the
    QA officer's notices quoting them, and its agencies' audit snapshots (who, when and the
    verb stay: the timeline's steps). The review's dates, agencies and statuses stay. Returns
    how many rows changed."""
    ids = [s.id for s in review.agencies]
    changed = 0
    for row in replies(session, ids):
        row.text = placeholder
        changed += 1
    for post in notices(session, review.id):
        post.payload = {**post.payload, "lines": [placeholder]}
        changed += 1
    for s in review.agencies:
        if s.evidence_url:
            s.evidence_url = None
            changed += 1
    if ids:
        stmt = (
            update(AuditEvent)
            .where(AuditEvent.entity == SUBJECT, AuditEvent.entity_id.in_(ids))
            .values(before=None, after=note)
        )
        changed += int(getattr(session.execute(stmt), "rowcount", 0) or 0)
    review.purged_on, review.purged_counts = on, counts
    session.flush()
    return changed
