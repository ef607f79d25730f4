"""Section 11 and rapid reviews over a period, for the Board-ready documents (read-only: the
Section 11 and review work own these tables). Per agency, one aggregate row per return."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from store import visibility
from store.models import Agency, Review, ReviewAgency, S11Cycle, S11Rating, S11Return
from store.visibility import Viewer


def cycles_in(session: Session, *, since: datetime, until: datetime, since_day: date) -> list[S11Cycle]:
    """Cycles launched in the period, still open, or whose deadline fell in it, oldest first."""
    stmt = (
        select(S11Cycle)
        .where(
            S11Cycle.launched_at < until,
            or_(S11Cycle.launched_at >= since, S11Cycle.status == "open", S11Cycle.deadline >= since_day),
        )
        .order_by(S11Cycle.year, S11Cycle.cohort)
    )
    return list(session.scalars(stmt))


@dataclass
class ReturnRow:
    agency: str
    status: str
    submitted_at: datetime | None
    extension_to: date | None
    self_rag: tuple[int, int, int]  # red, amber, green standards
    moderated: tuple[int, int, int]
    standards: int  # standards rated


def _rag(column: InstrumentedAttribute[str | None], value: str) -> ColumnElement[int]:
    return func.sum(case((func.lower(column) == value, 1), else_=0))


def returns_with_scores(session: Session, cycle_id: int, viewer: Viewer) -> list[ReturnRow]:
    """Each return the viewer may see in a cycle, with its standards' self-assessed and
    moderated RAG counted: one GROUP BY over the cycle's ratings."""
    stmt = (
        select(
            Agency.name,
            S11Return.status,
            S11Return.submitted_at,
            S11Return.extension_granted_to,
            _rag(S11Rating.self_rag, "red"),
            _rag(S11Rating.self_rag, "amber"),
            _rag(S11Rating.self_rag, "green"),
            _rag(S11Rating.moderated_rag, "red"),
            _rag(S11Rating.moderated_rag, "amber"),
            _rag(S11Rating.moderated_rag, "green"),
            func.count(S11Rating.id),
        )
        .select_from(S11Return)
        .join(Agency, S11Return.agency_id == Agency.id)
        .outerjoin(S11Rating, S11Rating.return_id == S11Return.id)
        .where(S11Return.cycle_id == cycle_id, visibility.s11_returns(viewer))
        .group_by(
            S11Return.id,
            Agency.name,
            S11Return.status,
            S11Return.submitted_at,
            S11Return.extension_granted_to,
        )
        .order_by(Agency.name)
    )
    out = []
    for name, status, at, ext, sr, sa, sg, mr, ma, mg, n in session.execute(stmt):
        out.append(
            ReturnRow(
                name,
                status,
                at,
                ext,
                (int(sr or 0), int(sa or 0), int(sg or 0)),
                (int(mr or 0), int(ma or 0), int(mg or 0)),
                int(n or 0),
            )
        )
    return out


def reviews_in(session: Session, viewer: Viewer, *, since: datetime, until: datetime) -> list[Review]:
    """Rapid reviews open during the period (opened before its end, not closed before its
    start), oldest awareness first. Reviews are the officers' business: the board's view only."""
    if not viewer.board_wide:
        return []
    stmt = (
        select(Review)
        .where(Review.opened_at < until, or_(Review.closed_at.is_(None), Review.closed_at >= since))
        .order_by(Review.aware_on, Review.id)
        .options(selectinload(Review.agencies).selectinload(ReviewAgency.agency))
    )
    return list(session.scalars(stmt))
