"""What the Section 11 feedback letters read besides the scores: the tracked actions a letter
already raised for a return (so writing the letters again creates none twice)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from store.models import Action

LETTER_SOURCE = "s11:"  # an action from a letter: "s11:<year>:<cohort>:<sub>"


def letter_actions(session: Session, return_id: int) -> dict[str, Action]:
    """The actions raised by this return's feedback letters, by their source."""
    stmt = (
        select(Action)
        .options(joinedload(Action.owner), joinedload(Action.agency))
        .where(Action.s11_return_id == return_id, Action.source.startswith(LETTER_SOURCE))
        .order_by(Action.id)
    )
    return {a.source: a for a in session.scalars(stmt).unique()}
