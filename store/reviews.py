"""Rapid reviews and their agencies' summaries (commands/reviews/)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from store.models import Review, ReviewAgency


def by_code(session: Session, code: str) -> Review | None:
    return session.scalar(select(Review).where(Review.code == code).options(selectinload(Review.agencies)))


def open_reviews(session: Session) -> list[Review]:
    """Open reviews, oldest awareness first (the most pressing clocks first)."""
    stmt = (
        select(Review)
        .where(Review.status == "open")
        .order_by(Review.aware_on, Review.id)
        .options(selectinload(Review.agencies).selectinload(ReviewAgency.agency))
    )
    return list(session.scalars(stmt))


def summary(session: Session, summary_id: int) -> ReviewAgency | None:
    return session.get(ReviewAgency, summary_id)
