"""Section 11 cycles, returns, ratings and the replies in their threads: every S11 query."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, literal, or_, select
from sqlalchemy.orm import Session, joinedload

from store import visibility
from store.models import (
    Action,
    Agency,
    Finding,
    OutboxMessage,
    S11Cycle,
    S11Rating,
    S11Return,
    S11Score,
    ThreadReply,
)
from store.visibility import Viewer


def cycle_for(session: Session, year: int, cohort: str) -> S11Cycle | None:
    return session.scalar(select(S11Cycle).where(S11Cycle.year == year, S11Cycle.cohort == cohort))


def cycles_in_year(session: Session, year: int) -> list[S11Cycle]:
    return list(session.scalars(select(S11Cycle).where(S11Cycle.year == year).order_by(S11Cycle.id)))


def latest_cycle(session: Session) -> S11Cycle | None:
    """The newest open cycle, else the newest one of all."""
    stmt = select(S11Cycle).order_by(
        (S11Cycle.status == "open").desc(), S11Cycle.year.desc(), S11Cycle.id.desc()
    )
    return session.scalar(stmt.limit(1))


def open_cycles(session: Session) -> list[S11Cycle]:
    return list(session.scalars(select(S11Cycle).where(S11Cycle.status == "open").order_by(S11Cycle.id)))


def _with_agency() -> list[Any]:
    return [
        joinedload(S11Return.agency).joinedload(Agency.lead),
        joinedload(S11Return.agency).joinedload(Agency.substitute),
        joinedload(S11Return.cycle),
    ]


def returns_of(session: Session, cycle_id: int, viewer: Viewer) -> list[S11Return]:
    """A cycle's returns the viewer may see, with their agencies and contacts, by agency name."""
    stmt = (
        select(S11Return)
        .join(Agency, S11Return.agency_id == Agency.id)
        .options(*_with_agency())
        .where(S11Return.cycle_id == cycle_id, visibility.s11_returns(viewer))
        .order_by(Agency.name)
    )
    return list(session.scalars(stmt).unique())


def open_returns(session: Session, cycle_id: int) -> list[S11Return]:
    """Returns not yet submitted (for the clock: every agency's)."""
    return [r for r in returns_of(session, cycle_id, visibility.BOARD) if r.status != "submitted"]


def get_return(session: Session, return_id: int) -> S11Return | None:
    stmt = select(S11Return).options(*_with_agency()).where(S11Return.id == return_id)
    return session.scalar(stmt)


def latest_return_for_agency(session: Session, agency_id: int) -> S11Return | None:
    """The agency's return in its newest cycle (open cycles first)."""
    stmt = (
        select(S11Return)
        .join(S11Cycle, S11Return.cycle_id == S11Cycle.id)
        .options(*_with_agency())
        .where(S11Return.agency_id == agency_id)
        .order_by((S11Cycle.status == "open").desc(), S11Cycle.year.desc(), S11Cycle.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)


def ratings_for(session: Session, return_ids: list[int]) -> list[S11Rating]:
    if not return_ids:
        return []
    stmt = select(S11Rating).where(S11Rating.return_id.in_(return_ids)).order_by(S11Rating.id)
    return list(session.scalars(stmt))


def rating(session: Session, return_id: int, standard: str) -> S11Rating | None:
    stmt = select(S11Rating).where(S11Rating.return_id == return_id, S11Rating.standard == standard)
    return session.scalar(stmt)


def actions_for_cycle(
    session: Session, return_ids: list[int], agency_ids: list[int], since: datetime, limit: int = 50
) -> list[Action]:
    """Actions raised on the cycle's returns, or for its agencies since it was launched."""
    conds: list[ColumnElement[bool]] = []
    if return_ids:
        conds.append(Action.s11_return_id.in_(return_ids))
    if agency_ids:
        conds.append(Action.agency_id.in_(agency_ids) & (Action.created_at >= since))
    if not conds:
        return []
    stmt = (
        select(Action)
        .options(joinedload(Action.owner), joinedload(Action.agency))
        .where(or_(*conds))
        .order_by(Action.id)
        .limit(limit)
    )
    return list(session.scalars(stmt).unique())


def replies_for_return(session: Session, return_id: int) -> list[ThreadReply]:
    """Everything people said in the threads of a return's posts, oldest first."""
    stmt = (
        select(ThreadReply)
        .join(OutboxMessage, ThreadReply.outbox_id == OutboxMessage.id)
        .where(OutboxMessage.subject_type == "s11_return", OutboxMessage.subject_id == return_id)
        .order_by(ThreadReply.id)
    )
    return list(session.scalars(stmt))


def return_references(session: Session, return_id: int) -> int:
    """Ratings, scores (not merely carried from last cycle), actions and findings recorded
    against a return (0: it can be removed)."""
    parts = [
        select(func.count()).select_from(S11Rating).where(S11Rating.return_id == return_id),
        select(func.count())
        .select_from(S11Score)
        .where(S11Score.return_id == return_id, S11Score.source != "carried"),
        select(func.count()).select_from(Action).where(Action.s11_return_id == return_id),
        select(func.count()).select_from(Finding).where(Finding.s11_return_id == return_id),
    ]
    total = sum((p.scalar_subquery() for p in parts), literal(0))
    return int(session.scalar(select(total)) or 0)


def open_return_for(session: Session, cycle_id: int, agency_id: int) -> S11Return | None:
    stmt = (
        select(S11Return)
        .options(*_with_agency())
        .where(S11Return.cycle_id == cycle_id, S11Return.agency_id == agency_id)
    )
    return session.scalar(stmt)


def remove_return(session: Session, ret: S11Return) -> None:
    for carried in session.scalars(select(S11Score).where(S11Score.return_id == ret.id)):
        session.delete(carried)  # return_references() let only carried answers through
    session.flush()
    session.delete(ret)
    session.flush()

CORRECTABLE = ("submitted", "extension", "comment", "not_yet", "question", "undone")


def thread_reply(session: Session, reply_id: int) -> tuple[ThreadReply, OutboxMessage] | None:
    """A recorded reply and the post whose thread it is in."""
    stmt = (
        select(ThreadReply, OutboxMessage)
        .join(OutboxMessage, ThreadReply.outbox_id == OutboxMessage.id)
        .where(ThreadReply.id == reply_id)
    )
    row = session.execute(stmt).first()
    return (row[0], row[1]) if row else None


def last_correctable_reply(session: Session, return_id: int, before_id: int) -> ThreadReply | None:
    """The newest reply on a return, before `before_id`, whose reading can be corrected."""
    stmt = (
        select(ThreadReply)
        .join(OutboxMessage, ThreadReply.outbox_id == OutboxMessage.id)
        .where(
            OutboxMessage.subject_type == "s11_return",
            OutboxMessage.subject_id == return_id,
            ThreadReply.id < before_id,
            ThreadReply.interpretation.in_(CORRECTABLE),
        )
        .order_by(ThreadReply.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)
