"""Performance measures' figures and the narratives asked for them (commands/kpi/, docs/kpi.md).

The measures themselves live in the board file; a figure carries its measure's id and owning
agency, and every read takes a Viewer: an agency lead's reads return their agencies' figures
only (store/visibility.py)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from store import visibility
from store.models import KpiFigure, KpiNarrative
from store.visibility import Viewer


def figures(session: Session, viewer: Viewer, measure_ids: Collection[str] | None = None) -> list[KpiFigure]:
    """Figures the viewer may see (of these measures, when given), by measure then period."""
    stmt = (
        select(KpiFigure)
        .where(visibility.kpi_figures(viewer))
        .order_by(KpiFigure.measure_id, KpiFigure.period)
        .options(selectinload(KpiFigure.narrative))
    )
    if measure_ids is not None:
        stmt = stmt.where(KpiFigure.measure_id.in_(list(measure_ids)))
    return list(session.scalars(stmt))


def history(session: Session, measure_id: str, viewer: Viewer) -> list[KpiFigure]:
    """One measure's figures, oldest period first."""
    return figures(session, viewer, [measure_id])


def figure(session: Session, measure_id: str, period: str, viewer: Viewer) -> KpiFigure | None:
    stmt = (
        select(KpiFigure)
        .where(KpiFigure.measure_id == measure_id, KpiFigure.period == period, visibility.kpi_figures(viewer))
        .options(selectinload(KpiFigure.narrative))
    )
    return session.scalar(stmt)


def figure_by_id(session: Session, figure_id: int) -> KpiFigure | None:
    return session.get(KpiFigure, figure_id)


def periods_present(session: Session, measure_id: str, periods: Collection[str]) -> set[str]:
    """Which of these periods have a figure (the clock's own read: every agency)."""
    stmt = select(KpiFigure.period).where(
        KpiFigure.measure_id == measure_id, KpiFigure.period.in_(list(periods))
    )
    return set(session.scalars(stmt))


def narrative(session: Session, narrative_id: int) -> KpiNarrative | None:
    return session.get(KpiNarrative, narrative_id)


def unanswered(session: Session, asked_before: datetime | None = None) -> list[KpiNarrative]:
    """Narratives asked for and not given, oldest ask first (the clock's chase and escalation)."""
    stmt = (
        select(KpiNarrative)
        .where(KpiNarrative.answered_at.is_(None))
        .order_by(KpiNarrative.asked_at, KpiNarrative.id)
        .options(selectinload(KpiNarrative.figure))
    )
    if asked_before is not None:
        stmt = stmt.where(KpiNarrative.asked_at < asked_before)
    return list(session.scalars(stmt))


def reassign(session: Session, measure_id: str, agency_id: int) -> int:
    """A measure the board file now gives another agency: its figures follow it (so its new
    owners see them and its old ones no longer do). Returns how many moved."""
    stmt = (
        update(KpiFigure)
        .where(KpiFigure.measure_id == measure_id, KpiFigure.agency_id != agency_id)
        .values(agency_id=agency_id)
    )
    return int(session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]
