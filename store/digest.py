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
from store.models import Action, Agency, AuditEvent, DigestRun, Finding, Review, S11Cycle, S11Return
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


def overdue_by_agency(session: Session, viewer: Viewer, today: date, oldest: int = 3) -> list[AgencyOverdue]:
    """Open actions past their due date, per agency: how many, and the `oldest` longest
    overdue, most overdue agency first. One statement: the range of ix_actions_status_due
    (status = 'open', due_date < today) is numbered per agency by a window, and only the
    first few of each agency are joined back to their text."""
    ranked = (
        select(
            Action.id.label("id"),
            Action.agency_id.label("ag"),
            Action.due_date.label("due"),
            func.count().over(partition_by=Action.agency_id).label("n"),
            func.row_number()
            .over(partition_by=Action.agency_id, order_by=(Action.due_date, Action.id))
            .label("rn"),
        )
        .where(Action.status == "open", Action.due_date < today, visibility.actions(viewer))
        .subquery("od")
    )
    stmt = (
        select(ranked.c.ag, Agency.name, ranked.c.n, ranked.c.id, ranked.c.due, Action.text)
        .select_from(ranked)
        .join(Action, Action.id == ranked.c.id)
        .outerjoin(Agency, Agency.id == ranked.c.ag)
        .where(ranked.c.rn <= oldest)
        .order_by(ranked.c.n.desc(), Agency.name, ranked.c.rn)
    )
    out: dict[int | None, AgencyOverdue] = {}
    for ag, name, n, action_id, due, text in session.execute(stmt):
        group = out.setdefault(ag, AgencyOverdue(name or "(no agency)", int(n), []))
        group.oldest.append(OverdueAction(int(action_id), str(text), due))
    return list(out.values())


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
    kind: str  # action | finding | s11_cycle | review
    id: int
    at: datetime
    text: str  # the action's or finding's text, the review's code, the cycle's year
    agency: str | None  # the action's or finding's agency; the cycle's cohort


def escalations_since(
    session: Session, viewer: Viewer, since: datetime, limit: int = 10
) -> tuple[list[Escalated], int]:
    """What was escalated since `since`, newest first (at most `limit`), and how many in all:
    escalated actions (ix_actions_escalated), findings flagged for the Board
    (ix_findings_created), Section 11 cycles escalated to the chair, and rapid review steps
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
