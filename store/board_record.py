"""The board's record over a period, for the Board-ready documents (the inspection-readiness
pack and the annual report draft): actions, findings, escalations and meetings, counted by the
database. Section 11 and rapid reviews are in store/board_record_s11.py.

Every figure is an aggregate (GROUP BY over at most priorities × agencies rows); detail rows
are read only where a reader needs them (the longest-overdue actions, the latest closing
notes), capped. All reads take the `Viewer` (store/visibility.py), so a figure never counts a
row the asker may not see. A period is [since, until) in UTC instants."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from store import visibility
from store.models import (
    Action,
    Agency,
    AuditEvent,
    Finding,
    Meeting,
    Member,
    OutboxMessage,
    S11Cycle,
    ThreadReply,
)
from store.visibility import Viewer

NONE = "(none)"


@dataclass
class ActionTally:
    raised: int = 0  # created in the period
    closed: int = 0  # done in the period
    closed_with_due: int = 0  # of those, with a due date
    closed_on_time: int = 0  # closed on or before the due day
    closed_with_note: int = 0  # with a closing note: the evidence of impact
    open_at_end: int = 0  # open when the period ended (for a period ending now: open now)
    overdue_at_end: int = 0  # of those, past their due day then
    escalated: int = 0  # escalated in the period

    def add(self, other: ActionTally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class ActionFigures:
    total: ActionTally
    by_priority: dict[str, ActionTally]
    by_agency: dict[str, ActionTally]
    first_ref: int | None  # the lowest and highest A-<n> raised in the period (the source range)
    last_ref: int | None


def _n(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows of the group meet the condition."""
    return func.sum(case((condition, 1), else_=0))


def action_figures(
    session: Session, viewer: Viewer, *, since: datetime, until: datetime, end_day: date
) -> ActionFigures:
    """Actions raised, closed (on time, with a note), open and overdue at the end, and escalated,
    in all, by priority and by agency: one GROUP BY over (priority, agency)."""
    closed = and_(Action.status == "done", Action.closed_at >= since, Action.closed_at < until)
    open_at_end = and_(
        Action.created_at < until,
        or_(Action.status == "open", and_(Action.status == "done", Action.closed_at >= until)),
    )
    note = and_(Action.closing_note.is_not(None), Action.closing_note != "")
    raised_id = case((Action.created_at >= since, Action.id), else_=None)
    stmt = (
        select(
            Action.priority,
            func.coalesce(Agency.name, NONE),
            _n(and_(Action.created_at >= since, Action.created_at < until)),
            _n(closed),
            _n(and_(closed, Action.due_date.is_not(None))),
            # date(instant) is the UTC day on both databases; due dates are days.
            _n(and_(closed, Action.due_date.is_not(None), func.date(Action.closed_at) <= Action.due_date)),
            _n(and_(closed, note)),
            _n(open_at_end),
            _n(and_(open_at_end, Action.due_date < end_day)),
            _n(and_(Action.escalated_at >= since, Action.escalated_at < until)),
            func.min(raised_id),
            func.max(raised_id),
        )
        .select_from(Action)
        .outerjoin(Agency, Action.agency_id == Agency.id)
        .where(visibility.actions(viewer), Action.created_at < until)
        .group_by(Action.priority, Agency.name)
    )
    total = ActionTally()
    by_priority: dict[str, ActionTally] = {}
    by_agency: dict[str, ActionTally] = {}
    first: int | None = None
    last: int | None = None
    for priority, agency, *counts, lo, hi in session.execute(stmt):
        tally = ActionTally(*(int(c or 0) for c in counts))
        total.add(tally)
        by_priority.setdefault(priority or NONE, ActionTally()).add(tally)
        by_agency.setdefault(str(agency), ActionTally()).add(tally)
        if tally.raised:
            first = lo if first is None or (lo is not None and lo < first) else first
            last = hi if last is None or (hi is not None and hi > last) else last
    return ActionFigures(total, by_priority, by_agency, first, last)


@dataclass
class ActionLine:
    id: int
    text: str
    agency: str | None
    owner: str | None  # the owner's handle
    due: date | None
    priority: str | None
    at: datetime | None = None  # when it was closed (closing notes) or escalated
    note: str | None = None  # the closing note
    status: str | None = None


def _action_lines(*extra: Any) -> Select[Any]:
    """Actions as `ActionLine` columns (id, text, agency, owner, due, priority, then `extra`)."""
    return (
        select(Action.id, Action.text, Agency.name, Member.handle, Action.due_date, Action.priority, *extra)
        .outerjoin(Agency, Action.agency_id == Agency.id)
        .outerjoin(Member, Action.owner_id == Member.id)
    )


def overdue_actions(session: Session, viewer: Viewer, *, today: date, limit: int) -> list[ActionLine]:
    """The open actions longest past their due day, as plain columns (no ORM rows)."""
    stmt = (
        _action_lines()
        .where(Action.status == "open", Action.due_date < today, visibility.actions(viewer))
        .order_by(Action.due_date, Action.id)
        .limit(limit)
    )
    return [ActionLine(*row) for row in session.execute(stmt)]


def closing_notes(
    session: Session, viewer: Viewer, *, since: datetime, until: datetime, limit: int
) -> list[ActionLine]:
    """The latest actions closed in the period with a closing note (what changed), newest first."""
    stmt = (
        _action_lines(Action.closed_at, Action.closing_note)
        .where(
            Action.status == "done",
            Action.closed_at >= since,
            Action.closed_at < until,
            Action.closing_note.is_not(None),
            Action.closing_note != "",
            visibility.actions(viewer),
        )
        .order_by(Action.closed_at.desc(), Action.id.desc())
        .limit(limit)
    )
    return [ActionLine(*row) for row in session.execute(stmt)]


def escalated_actions(
    session: Session, viewer: Viewer, *, since: datetime, until: datetime, limit: int
) -> list[ActionLine]:
    """Actions escalated in the period, newest first."""
    stmt = (
        _action_lines(Action.escalated_at, Action.closing_note, Action.status)
        .where(Action.escalated_at >= since, Action.escalated_at < until, visibility.actions(viewer))
        .order_by(Action.escalated_at.desc(), Action.id.desc())
        .limit(limit)
    )
    return [ActionLine(*row) for row in session.execute(stmt)]


# ── findings ────────────────────────────────────────────────────────────────────────────────


@dataclass
class FindingFigures:
    total: int = 0
    escalated: int = 0
    # priority -> [red, amber, green, unrated]
    by_priority: dict[str, list[int]] = field(default_factory=dict)
    # where they were found: the meeting's kind ("none": logged outside a meeting)
    by_source: dict[str, int] = field(default_factory=dict)
    first_ref: int | None = None
    last_ref: int | None = None


RAGS = ("red", "amber", "green")


def finding_figures(session: Session, viewer: Viewer, *, since: datetime, until: datetime) -> FindingFigures:
    """Findings recorded in the period (withdrawn ones left out), by priority and RAG and by the
    kind of meeting that found them: one GROUP BY."""
    # Grouped by the raw columns (PostgreSQL will not match two COALESCEs with their own
    # parameters); the case and the missing values are read here.
    stmt = (
        select(
            Finding.priority,
            Finding.rag,
            Meeting.kind,
            func.count(),
            _n(Finding.escalate_to_board.is_(True)),
            func.min(Finding.id),
            func.max(Finding.id),
        )
        .select_from(Finding)
        .outerjoin(Meeting, Finding.meeting_id == Meeting.id)
        .where(
            Finding.created_at >= since,
            Finding.created_at < until,
            Finding.withdrawn_at.is_(None),
            visibility.findings(viewer),
        )
        .group_by(Finding.priority, Finding.rag, Meeting.kind)
    )
    out = FindingFigures()
    for priority, rag, where, n, esc, lo, hi in session.execute(stmt):
        n, r, kind = int(n), (rag or "").lower(), where or "none"
        out.total += n
        out.escalated += int(esc or 0)
        row = out.by_priority.setdefault(priority or NONE, [0, 0, 0, 0])
        row[RAGS.index(r) if r in RAGS else 3] += n
        out.by_source[str(kind)] = out.by_source.get(str(kind), 0) + n
        out.first_ref = lo if out.first_ref is None else min(out.first_ref, lo)
        out.last_ref = hi if out.last_ref is None else max(out.last_ref, hi)
    return out


# ── escalations the clock made (Section 11 cycles, rapid reviews) ───────────────────────────


@dataclass
class ClockEscalation:
    entity: str  # s11_cycle | review
    entity_id: int | None
    at: datetime
    event_id: int


def clock_escalations(
    session: Session, viewer: Viewer, *, since: datetime, until: datetime
) -> list[ClockEscalation]:
    """Section 11 cycles and rapid reviews escalated in the period (the audit log's "escalated"
    events). Both are about every agency: the board's view only."""
    if not viewer.board_wide:
        return []
    stmt = (
        select(AuditEvent.entity, AuditEvent.entity_id, AuditEvent.at, AuditEvent.id)
        .where(
            AuditEvent.verb == "escalated",
            AuditEvent.entity.in_(("s11_cycle", "review")),
            AuditEvent.at >= since,
            AuditEvent.at < until,
        )
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return [ClockEscalation(*row) for row in session.execute(stmt)]


def cycle_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(S11Cycle.id, S11Cycle.year, S11Cycle.cohort).where(S11Cycle.id.in_(ids)))
    return {i: f"Section 11 {y} ({c})" for i, y, c in rows}


# ── meetings and apologies ──────────────────────────────────────────────────────────────────


@dataclass
class MeetingHeld:
    id: int
    kind: str
    title: str
    starts_at: datetime
    apologies: int  # people who sent apologies in its threads


def meetings_held(session: Session, *, since: datetime, until: datetime) -> list[MeetingHeld]:
    """Meetings that took place in the period (cancelled ones left out), oldest first, each
    with how many people sent apologies (once each). The meetings are the board's, the same
    for every reader."""
    apologies = (
        select(
            OutboxMessage.subject_id.label("mid"), func.count(func.distinct(ThreadReply.member_id)).label("n")
        )
        .join(ThreadReply, ThreadReply.outbox_id == OutboxMessage.id)
        .where(OutboxMessage.subject_type == "meeting", ThreadReply.interpretation == "apology")
        .group_by(OutboxMessage.subject_id)
        .subquery()
    )
    stmt = (
        select(Meeting.id, Meeting.kind, Meeting.title, Meeting.starts_at, func.coalesce(apologies.c.n, 0))
        .outerjoin(apologies, apologies.c.mid == Meeting.id)
        .where(Meeting.starts_at >= since, Meeting.starts_at < until, Meeting.cancelled_at.is_(None))
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return [MeetingHeld(i, k, t, at, int(n)) for i, k, t, at, n in session.execute(stmt)]


def cancelled_meetings(session: Session, *, since: datetime, until: datetime) -> int:
    stmt = select(func.count()).where(
        Meeting.starts_at >= since, Meeting.starts_at < until, Meeting.cancelled_at.is_not(None)
    )
    return int(session.scalar(stmt) or 0)


def apologies_by_member(session: Session, *, since: datetime, until: datetime) -> list[tuple[str, str, int]]:
    """(name, handle, meetings they sent apologies for) over the period's meetings, most first."""
    per_meeting = (
        select(ThreadReply.member_id.label("member"), OutboxMessage.subject_id.label("mid"))
        .join(OutboxMessage, ThreadReply.outbox_id == OutboxMessage.id)
        .join(Meeting, Meeting.id == OutboxMessage.subject_id)
        .where(
            OutboxMessage.subject_type == "meeting",
            ThreadReply.interpretation == "apology",
            Meeting.starts_at >= since,
            Meeting.starts_at < until,
            Meeting.cancelled_at.is_(None),
        )
        .distinct()
        .subquery()
    )
    stmt = (
        select(Member.name, Member.handle, func.count())
        .join(per_meeting, per_meeting.c.member == Member.id)
        .group_by(Member.id, Member.name, Member.handle)
        .order_by(func.count().desc(), Member.name)
    )
    return [(n, h, int(c)) for n, h, c in session.execute(stmt)]


def active_members(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Member).where(Member.active.is_(True))) or 0)
