"""Rapid reviews and their agencies' summaries (commands/reviews/)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from store.models import Action, Review, ReviewAgency, ReviewRecommendation


def by_code(session: Session, code: str) -> Review | None:
    return session.scalar(select(Review).where(Review.code == code).options(selectinload(Review.agencies)))


def open_reviews(session: Session) -> list[Review]:
    """Open reviews, oldest awareness first (the most pressing clocks first)."""
    stmt = (
        select(Review)
        .where(Review.status == "open")
        .order_by(Review.aware_on, Review.id)
        .options(
            selectinload(Review.agencies).selectinload(ReviewAgency.agency), selectinload(Review.milestones)
        )
    )
    return list(session.scalars(stmt))


def summary(session: Session, summary_id: int) -> ReviewAgency | None:
    return session.get(ReviewAgency, summary_id)


def recommendations(session: Session, review_id: int) -> list[Action]:
    """The actions logged as a review's recommendations, oldest first."""
    stmt = (
        select(Action)
        .join(ReviewRecommendation, ReviewRecommendation.action_id == Action.id)
        .where(ReviewRecommendation.review_id == review_id)
        .order_by(Action.id)
    )
    return list(session.scalars(stmt))


def recommended_by(session: Session, action_id: int) -> Review | None:
    """The review whose recommendation an action is, if any."""
    stmt = (
        select(Review)
        .join(ReviewRecommendation, ReviewRecommendation.review_id == Review.id)
        .where(ReviewRecommendation.action_id == action_id)
    )
    return session.scalar(stmt)
