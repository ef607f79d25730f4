"""The weekly digest's reads (one statement per section, over the rows the `Viewer` may see)
and its record of runs, `digest_runs` (0031). commands/digest decides what they mean."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, String, and_, case, cast, func, literal, null, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager

from store import visibility
from store.models import (
    Action,
    Agency,
    AuditEvent,
    DigestRun,
    Finding,
    KpiFigure,
    KpiNarrative,
    Review,
    S11Cycle,
    S11Return,
)
from store.visibility import Viewer

# ── overdue actions by agency ───────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class OverdueAction:
    id: int
    text: str
    due: date


@dataclass
class AgencyOverdue:
    agency: str  # "(no agency)" for actions logged without one
    count: int
    oldest: list[OverdueAction]


def overdue_statements(
    viewer: Viewer, today: date
) -> tuple[Select[*tuple[Any, ...]], Select[*tuple[Any, ...]]]:
    """The two reads of overdue_by_agency: the counts by (priority, agency), and every overdue
    action in due-date order (read only until the agencies shown have their oldest)."""
    overdue = (Action.status == "open", Action.due_date < today, visibility.actions(viewer))
    grouped = (
        select(Action.agency_id, func.count()).where(*overdue).group_by(Action.priority, Action.agency_id)
    )
    oldest_first = (
        select(Action.id, Action.agency_id, Action.due_date, Action.text)
        .where(*overdue)
        .order_by(Action.due_date, Action.id)
    )
    return grouped, oldest_first


def overdue_by_agency(
    session: Session, viewer: Viewer, today: date, *, oldest: int = 3, agencies_shown: int = 12
) -> list[AgencyOverdue]:
    """Open actions past their due date, per agency, most overdue agency first: how many, and
    for the first `agencies_shown` agencies the `oldest` longest overdue.

    Two reads, neither touching more than it needs: the counts are grouped by (priority,
    agency) as `/qa status` groups them, which the database answers from the covering
    ix_actions_rollup index alone; the oldest are read in due-date order along
    ix_actions_status_due and the reading stops as soon as every agency shown has its few
    (a few hundred rows, not every overdue action)."""
    grouped, oldest_first = overdue_statements(viewer, today)
    counts: dict[int | None, int] = {}
    for agency_id, n in session.execute(grouped):
        counts[agency_id] = counts.get(agency_id, 0) + int(n)
    if not counts:
        return []
    ids = [a for a in counts if a is not None]
    names: dict[int | None, str] = {}
    if ids:
        names.update(
            (i, n) for i, n in session.execute(select(Agency.id, Agency.name).where(Agency.id.in_(ids)))
        )
    ordered = sorted(counts, key=lambda a: (-counts[a], names.get(a, "") if a is not None else "~"))
    groups = {a: AgencyOverdue(names.get(a, "(no agency)"), counts[a], []) for a in ordered}
    need = {a: min(oldest, counts[a]) for a in ordered[:agencies_shown]}
    waiting = len(need)
    rows = session.execute(oldest_first.execution_options(yield_per=200))
    try:
        for action_id, agency_id, due, text in rows:
            found = groups[agency_id].oldest
            if agency_id not in need or len(found) >= need[agency_id]:
                continue
            found.append(OverdueAction(int(action_id), str(text), due))
            if len(found) == need[agency_id]:
                waiting -= 1
                if waiting == 0:
                    break
    finally:
        rows.close()
    return [groups[a] for a in ordered]


# ── Section 11 returns past their deadline ──────────────────────────────────────────────────


def late_returns(session: Session, viewer: Viewer, today: date) -> list[S11Return]:
    """Returns not in, of open cycles and active agencies, whose deadline (or the extension
    granted, when later) has passed; oldest deadline first, then by agency name."""
    granted = S11Return.extension_granted_to
    deadline = case(
        (and_(granted.is_not(None), granted > S11Cycle.deadline), granted), else_=S11Cycle.deadline
    )
    stmt = (
        select(S11Return)
        .join(S11Return.cycle)
        .join(S11Return.agency)
        .options(contains_eager(S11Return.cycle), contains_eager(S11Return.agency))
        .where(
            S11Cycle.status == "open",
            S11Return.status != "submitted",
            Agency.active.is_(True),
            deadline < today,
            visibility.s11_returns(viewer),
        )
        .order_by(deadline, Agency.name)
    )
    return list(session.scalars(stmt).unique())


# ── escalations since the last digest ──────────────────────────────────────────────────────


@dataclass(frozen=True)
class Escalated:
    kind: str  # action | finding | kpi | s11_cycle | review
    id: int
    at: datetime
    text: str  # the action's or finding's text, the measure's id, the review's code, the cycle's year
    agency: str | None  # the action's or finding's agency; the cycle's cohort


def escalations_since(
    session: Session, viewer: Viewer, since: datetime, limit: int = 10
) -> tuple[list[Escalated], int]:
    """What was escalated since `since`, newest first (at most `limit`), and how many in all:
    escalated actions (ix_actions_escalated), findings flagged for the Board
    (ix_findings_created), KPI narratives not given and escalated (a small table), Section 11
    cycles escalated to the chair, and rapid review steps
    escalated (the audit log's "escalated" events of reviews, through ix_audit_entity). The
    cycles and reviews concern every agency: the board's view only."""
    parts: list[Select[*tuple[Any, ...]]] = [
        select(
            literal("action").label("kind"),
            Action.id.label("id"),
            Action.escalated_at.label("at"),
            Action.text.label("text"),
            Agency.name.label("agency"),
        )
        .outerjoin(Agency, Agency.id == Action.agency_id)
        .where(Action.escalated_at >= since, visibility.actions(viewer)),
        select(literal("finding"), Finding.id, Finding.created_at, Finding.text, Agency.name)
        .outerjoin(Agency, Agency.id == Finding.agency_id)
        .where(
            Finding.created_at >= since,
            Finding.escalate_to_board.is_(True),
            Finding.withdrawn_at.is_(None),
            visibility.findings(viewer),
        ),
        select(literal("kpi"), KpiNarrative.id, KpiNarrative.escalated_at, KpiFigure.measure_id, Agency.name)
        .join(KpiFigure, KpiFigure.id == KpiNarrative.figure_id)
        .join(Agency, Agency.id == KpiFigure.agency_id)
        .where(KpiNarrative.escalated_at >= since, visibility.kpi_figures(viewer)),
    ]
    if viewer.board_wide:
        parts += [
            select(
                literal("s11_cycle"),
                S11Cycle.id,
                S11Cycle.escalated_at,
                cast(S11Cycle.year, String(20)),
                S11Cycle.cohort,
            ).where(S11Cycle.escalated_at >= since),
            select(literal("review"), Review.id, AuditEvent.at, Review.code, null())
            .join(Review, Review.id == AuditEvent.entity_id)
            .where(AuditEvent.entity == "review", AuditEvent.verb == "escalated", AuditEvent.at >= since),
        ]
    every = union_all(*parts).subquery("esc")
    total = func.count().over().label("total")
    stmt = select(every, total).order_by(every.c.at.desc(), every.c.kind, every.c.id.desc()).limit(limit)
    rows = session.execute(stmt).all()
    found = [Escalated(str(k), int(i), at, str(t), a) for k, i, at, t, a, _ in rows]
    return found, int(rows[0][-1]) if rows else 0


# ── the runs ────────────────────────────────────────────────────────────────────────────────


def run_of(session: Session, week: str) -> DigestRun | None:
    return session.scalar(select(DigestRun).where(DigestRun.week == week))


def last_run(session: Session) -> DigestRun | None:
    return session.scalar(
        select(DigestRun).order_by(DigestRun.computed_at.desc(), DigestRun.id.desc()).limit(1)
    )


def start_run(
    session: Session, *, week: str, due_at: datetime, now: datetime, since: datetime
) -> DigestRun | None:
    """The week's run, claimed; None when another tick has claimed it (the unique week)."""
    if run_of(session, week) is not None:
        return None
    row = DigestRun(
        week=week, due_at=due_at, computed_at=now, since=since, items=0, outcome="nothing", sent_to=0
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return None
    return row
