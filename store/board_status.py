"""The chair's status and the Section 11 progress shown beside it (read-only: the Section 11
work owns those tables). Every figure is computed by the database (counts, sums, groupings),
over the rows the `Viewer` may see (store/visibility.py): an agency lead's figures count their
agencies' items only, so another agency's are neither listed nor counted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, func, literal, select, union_all
from sqlalchemy.orm import Session, joinedload, selectinload

from store import visibility
from store.models import (
    Action,
    Agency,
    Finding,
    Review,
    ReviewAgency,
    S11Cycle,
    S11Rating,
    S11Return,
)
from store.visibility import Viewer

# ── Section 11 (read-only: the Section 11 work owns these tables) ───────────────────────────


@dataclass
class S11Progress:
    cycle: S11Cycle
    agencies: int
    submitted: int
    outstanding: int
    extensions_requested: int
    extensions_granted: int
    outstanding_names: list[str]


def open_s11_cycle(session: Session) -> S11Cycle | None:
    stmt = select(S11Cycle).where(S11Cycle.status == "open").order_by(S11Cycle.launched_at.desc()).limit(1)
    return session.scalar(stmt)


def s11_progress(session: Session, viewer: Viewer, names_limit: int = 10) -> S11Progress | None:
    """Returns in / outstanding / extensions for the open cycle, in one aggregate, over the
    returns the viewer may see (an agency lead: their agencies' only)."""
    cycle = open_s11_cycle(session)
    if cycle is None:
        return None
    submitted = S11Return.status == "submitted"
    seen = visibility.s11_returns(viewer)
    row = session.execute(
        select(
            func.count(),
            func.sum(case((submitted, 1), else_=0)),
            func.sum(case((S11Return.status == "extension_requested", 1), else_=0)),
            func.sum(case((S11Return.extension_granted_to.is_not(None), 1), else_=0)),
        ).where(S11Return.cycle_id == cycle.id, seen)
    ).one()
    total, done, requested, granted = (int(v or 0) for v in row)
    names = list(
        session.scalars(
            select(Agency.name)
            .join(S11Return, S11Return.agency_id == Agency.id)
            .where(S11Return.cycle_id == cycle.id, ~submitted, seen)
            .order_by(Agency.name)
            .limit(names_limit)
        )
    )
    return S11Progress(cycle, total, done, total - done, requested, granted, names)


def s11_cycle_for_panel(session: Session, panel_day: date) -> S11Cycle | None:
    """The cycle a Section 11 panel on this day scrutinises: the one with that panel date,
    else the open one, else the latest."""
    found = session.scalar(select(S11Cycle).where(S11Cycle.panel_date == panel_day).limit(1))
    if found is not None:
        return found
    return open_s11_cycle(session) or session.scalar(
        select(S11Cycle).order_by(S11Cycle.launched_at.desc()).limit(1)
    )


def s11_agencies(session: Session, cycle_id: int, viewer: Viewer) -> list[str]:
    """The names of the cycle's agencies the viewer may see, with a return or not yet rated."""
    stmt = (
        select(Agency.name)
        .join(S11Return, S11Return.agency_id == Agency.id)
        .where(S11Return.cycle_id == cycle_id, visibility.s11_returns(viewer))
        .order_by(Agency.name)
    )
    return list(session.scalars(stmt))


def s11_ratings(
    session: Session, cycle_id: int, viewer: Viewer
) -> list[tuple[str, str, str | None, str | None]]:
    """(agency, standard, self RAG, moderated RAG) for every rating in a cycle the viewer may see."""
    stmt = (
        select(Agency.name, S11Rating.standard, S11Rating.self_rag, S11Rating.moderated_rag)
        .join(S11Return, S11Rating.return_id == S11Return.id)
        .join(Agency, S11Return.agency_id == Agency.id)
        .where(S11Return.cycle_id == cycle_id, visibility.s11_returns(viewer))
        .order_by(Agency.name, S11Rating.standard)
    )
    return [(a, s, sr, mr) for a, s, sr, mr in session.execute(stmt)]


# ── the chair's status ──────────────────────────────────────────────────────────────────────


@dataclass
class Counts:
    open: int = 0
    overdue: int = 0
    done: int = 0  # closed in the period


@dataclass
class StatusFigures:
    total: Counts
    by_priority: dict[str, Counts]
    by_agency: dict[str, Counts]


def status_figures(session: Session, viewer: Viewer, *, today: date, period_start: datetime) -> StatusFigures:
    """Open / overdue / closed-in-period actions in all, by priority and by agency, of the
    actions the viewer may see (for the board: every action).

    One statement and one pass over the actions: the per-(priority, agency) sums are taken
    once in a materialised CTE, and the three roll-ups are summed from it in SQL."""
    open_ = func.sum(case((Action.status == "open", 1), else_=0)).label("o")
    overdue = func.sum(case((and_(Action.status == "open", Action.due_date < today), 1), else_=0)).label("od")
    done = func.sum(
        case((and_(Action.status == "done", Action.closed_at >= period_start), 1), else_=0)
    ).label("d")
    grouped = (
        select(Action.priority.label("p"), Action.agency_id.label("ag"), open_, overdue, done)
        .where(visibility.actions(viewer))
        .group_by(Action.priority, Action.agency_id)
        .cte("g")
        .prefix_with("MATERIALIZED")
    )
    sums = (func.sum(grouped.c.o), func.sum(grouped.c.od), func.sum(grouped.c.d))
    none = literal("(none)")
    stmt = union_all(
        select(literal("all").label("dim"), literal("all").label("k"), *sums),
        select(literal("priority"), func.coalesce(grouped.c.p, none), *sums).group_by(grouped.c.p),
        select(literal("agency"), func.coalesce(Agency.name, none), *sums)
        .select_from(grouped)
        .outerjoin(Agency, grouped.c.ag == Agency.id)
        .group_by(Agency.name),
    )
    total = Counts()
    by: dict[str, dict[str, Counts]] = {"priority": {}, "agency": {}}
    for dim, k, o, od, d in session.execute(stmt):
        c = Counts(int(o or 0), int(od or 0), int(d or 0))
        if dim == "all":
            total = c
        else:
            by[dim][str(k)] = c
    return StatusFigures(total, by["priority"], by["agency"])


@dataclass
class Escalations:
    findings: list[Finding]
    actions: list[Action]
    cycles: list[S11Cycle]


def oldest_overdue(session: Session, viewer: Viewer, today: date, limit: int = 5) -> list[Action]:
    """The open actions longest past their due date that the viewer may see."""
    stmt = (
        select(Action)
        .options(joinedload(Action.owner), joinedload(Action.agency))
        .where(Action.status == "open", Action.due_date < today, visibility.actions(viewer))
        .order_by(Action.due_date, Action.id)
        .limit(limit)
    )
    return list(session.scalars(stmt).unique())


def recent_escalations(session: Session, viewer: Viewer, since: datetime, limit: int = 5) -> Escalations:
    """What was escalated to the Board since `since`, newest first: flagged findings and
    escalated actions the viewer may see, and (for the board's view only) Section 11 cycles,
    whose escalation is about every agency's return."""
    findings = session.scalars(
        select(Finding)
        .options(joinedload(Finding.agency))
        .where(
            Finding.escalate_to_board.is_(True),
            Finding.created_at >= since,
            Finding.withdrawn_at.is_(None),
            visibility.findings(viewer),
        )
        .order_by(Finding.created_at.desc(), Finding.id.desc())
        .limit(limit)
    ).unique()
    actions = session.scalars(
        select(Action)
        .options(joinedload(Action.owner), joinedload(Action.agency))
        .where(Action.escalated_at >= since, visibility.actions(viewer))
        .order_by(Action.escalated_at.desc(), Action.id.desc())
        .limit(limit)
    ).unique()
    cycles: list[S11Cycle] = []
    if viewer.board_wide:
        cycles = list(
            session.scalars(
                select(S11Cycle)
                .where(S11Cycle.escalated_at >= since)
                .order_by(S11Cycle.escalated_at.desc())
                .limit(limit)
            )
        )
    return Escalations(list(findings), list(actions), cycles)


# ── Rapid reviews (read-only: commands/reviews owns them) ───────────────────────────────────


def reviews_for_report(session: Session, closed_since: datetime) -> list[Review]:
    """Open reviews and those closed since `closed_since`, oldest awareness first: the Board
    report's timelines. Officers' business only; the callers check who is reading."""
    stmt = (
        select(Review)
        .where((Review.status == "open") | (Review.closed_at >= closed_since))
        .order_by(Review.aware_on, Review.id)
        .options(selectinload(Review.agencies).selectinload(ReviewAgency.agency))
    )
    return list(session.scalars(stmt))
