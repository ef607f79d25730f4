"""Meetings, agenda items, and the queries behind agendas, outcome summaries and the chair's
status. Every figure here is computed by the database (counts, sums, groupings); Python only
shapes what comes back.

Over 300 lines on purpose, for now: it is the read side of five screens (agenda, summary,
status, S11 progress, calendar) that share their joins; the next cut is the chair's status
into a module of its own when the digest (issue 18) adds to it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, case, func, literal, or_, select, union_all
from sqlalchemy.orm import Session, joinedload, selectinload

from store import addresses
from store.models import (
    Action,
    Address,
    Agency,
    AgendaItem,
    Document,
    Finding,
    Meeting,
    Member,
    OutboxMessage,
    S11Cycle,
    S11Rating,
    S11Return,
)


def _local_day_bounds(d: date, tz: str) -> tuple[datetime, datetime]:
    start = datetime.combine(d, time(0), tzinfo=ZoneInfo(tz))
    return start, start + timedelta(days=1)


# ── meetings ────────────────────────────────────────────────────────────────────────────────


def get(session: Session, meeting_id: int) -> Meeting | None:
    return session.get(Meeting, meeting_id)


def on_date(session: Session, d: date, tz: str) -> Meeting | None:
    start, end = _local_day_bounds(d, tz)
    stmt = (
        select(Meeting)
        .where(Meeting.starts_at >= start, Meeting.starts_at < end)
        .order_by(Meeting.starts_at)
        .limit(1)
    )
    return session.scalar(stmt)


def upcoming(session: Session, after: datetime, limit: int = 5) -> list[Meeting]:
    stmt = select(Meeting).where(Meeting.starts_at >= after).order_by(Meeting.starts_at).limit(limit)
    return list(session.scalars(stmt))


def count_upcoming(session: Session, after: datetime) -> int:
    return session.scalar(select(func.count()).select_from(Meeting).where(Meeting.starts_at >= after)) or 0


def recent_past(session: Session, before: datetime, limit: int = 3) -> list[Meeting]:
    stmt = select(Meeting).where(Meeting.starts_at < before).order_by(Meeting.starts_at.desc()).limit(limit)
    return list(session.scalars(stmt))


def next_after(session: Session, at: datetime) -> Meeting | None:
    """The next meeting that has not started yet."""
    stmt = select(Meeting).where(Meeting.starts_at > at).order_by(Meeting.starts_at).limit(1)
    return session.scalar(stmt)


def latest_started(session: Session, at: datetime) -> Meeting | None:
    """The most recent meeting that has started."""
    stmt = select(Meeting).where(Meeting.starts_at <= at).order_by(Meeting.starts_at.desc()).limit(1)
    return session.scalar(stmt)


def by_kind_and_start(session: Session, kind: str, starts_at: datetime) -> Meeting | None:
    return session.scalar(select(Meeting).where(Meeting.kind == kind, Meeting.starts_at == starts_at))


def previous_of_kind(session: Session, meeting: Meeting) -> Meeting | None:
    """The last meeting of the same kind before this one (for a priority panel: on the same
    priority, since each priority has its own panel)."""
    stmt = select(Meeting).where(Meeting.kind == meeting.kind, Meeting.starts_at < meeting.starts_at)
    if meeting.kind == "priority_panel":
        stmt = stmt.where(Meeting.priority == meeting.priority)
    return session.scalar(stmt.order_by(Meeting.starts_at.desc()).limit(1))


def in_channel_on_day(
    session: Session, d: date, tz: str, platform: str, channel: str, board_channel: str | None
) -> list[Meeting]:
    """Meetings on a local day held in this channel: the meeting's own channel, or the board's
    QA channel for meetings that have none of their own (that is where their posts go)."""
    start, end = _local_day_bounds(d, tz)
    if platform == addresses.BY_NAME:  # the console addresses a meeting as #<title>
        cond: Any = literal("#") + Meeting.title == channel
    else:
        own = select(Address.subject_id).where(
            Address.subject_kind == addresses.MEETING, Address.platform == platform
        )
        cond = Meeting.id.in_(own.where(Address.address == channel))
        if board_channel and board_channel == channel:
            cond = or_(cond, Meeting.id.not_in(own))
    stmt = (
        select(Meeting)
        .where(Meeting.starts_at >= start, Meeting.starts_at < end, cond)
        .order_by(Meeting.starts_at)
    )
    return list(session.scalars(stmt))


def awaiting_agenda(session: Session, now: datetime, horizon: datetime) -> list[Meeting]:
    """Meetings not started yet, starting before `horizon`, whose agenda is not yet queued."""
    queued = select(OutboxMessage.subject_id).where(
        OutboxMessage.kind == "agenda", OutboxMessage.subject_type == "meeting"
    )
    stmt = (
        select(Meeting)
        .where(Meeting.starts_at > now, Meeting.starts_at <= horizon, Meeting.id.not_in(queued))
        .order_by(Meeting.starts_at)
    )
    return list(session.scalars(stmt))


def agenda_post(session: Session, meeting_id: int) -> OutboxMessage | None:
    """The queued or sent agenda post of a meeting (the first platform's)."""
    stmt = (
        select(OutboxMessage)
        .where(
            OutboxMessage.kind == "agenda",
            OutboxMessage.subject_type == "meeting",
            OutboxMessage.subject_id == meeting_id,
        )
        .order_by(OutboxMessage.id)
        .limit(1)
    )
    return session.scalar(stmt)


# ── agenda items and papers ─────────────────────────────────────────────────────────────────


def agenda_items(session: Session, meeting_id: int) -> list[tuple[AgendaItem, str | None]]:
    """Items members added, oldest first, with the adder's handle."""
    stmt = (
        select(AgendaItem, Member.handle)
        .outerjoin(Member, AgendaItem.added_by_id == Member.id)
        .where(AgendaItem.meeting_id == meeting_id)
        .order_by(AgendaItem.id)
    )
    return [(item, handle) for item, handle in session.execute(stmt)]


def papers(session: Session, meeting_id: int) -> list[Document]:
    """The meeting's papers synced from SharePoint (none until SharePoint is connected): open
    documents only, as the agenda is posted where the whole board reads it."""
    from store.document_access import SHARED_PLACE, visible_to

    stmt = (
        select(Document)
        .where(
            Document.meeting_id == meeting_id,
            Document.deleted.is_(False),
            Document.is_folder.is_(False),
            visible_to(SHARED_PLACE),
        )
        .order_by(Document.name)
    )
    return list(session.scalars(stmt))


# ── actions and findings for agendas and summaries ──────────────────────────────────────────


def _overdue_first(today: date) -> list[Any]:
    """Overdue first, then by due date, undated last. Ordering by the due date alone does it
    (every overdue date is earlier than every date still to come), and lets the database walk
    an index instead of sorting."""
    return [Action.due_date.is_(None), Action.due_date, Action.id]


def _page(session: Session, stmt: Select[Any], order: list[Any], limit: int) -> tuple[list[Action], int]:
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.options(selectinload(Action.owner), selectinload(Action.agency)).order_by(*order).limit(limit)
    )
    return list(rows), total


def _earlier_meetings(meeting: Meeting) -> Select[Any]:
    return select(Meeting.id).where(Meeting.starts_at < meeting.starts_at)


def actions_from_earlier_meetings(
    session: Session, meeting: Meeting, today: date, limit: int = 10
) -> tuple[list[Action], int]:
    """Open actions agreed at earlier meetings, overdue first, then by due date."""
    stmt = select(Action).where(Action.status == "open", Action.meeting_id.in_(_earlier_meetings(meeting)))
    return _page(session, stmt, _overdue_first(today), limit)


def actions_due_by(
    session: Session, meeting: Meeting, by: date, today: date, limit: int = 10
) -> tuple[list[Action], int]:
    """Other open actions due on or before `by` (the meeting's day), overdue first."""
    stmt = select(Action).where(
        Action.status == "open",
        Action.due_date <= by,
        or_(Action.meeting_id.is_(None), Action.meeting_id.not_in(_earlier_meetings(meeting))),
    )
    return _page(session, stmt, [Action.due_date, Action.id], limit)  # all dated: overdue come first


def open_actions_for_priority(
    session: Session, priority: str, today: date, limit: int = 10
) -> tuple[list[Action], int]:
    stmt = select(Action).where(Action.status == "open", Action.priority == priority)
    return _page(session, stmt, _overdue_first(today), limit)


def findings_between(
    session: Session,
    since: datetime | None,
    until: datetime,
    *,
    priority: str | None = None,
    limit: int = 10,
) -> tuple[list[Finding], int]:
    """Findings recorded in [since, until), newest first."""
    stmt = select(Finding).where(Finding.created_at < until)
    if since is not None:
        stmt = stmt.where(Finding.created_at >= since)
    if priority:
        stmt = stmt.where(Finding.priority == priority)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.options(joinedload(Finding.agency))
        .order_by(Finding.created_at.desc(), Finding.id.desc())
        .limit(limit)
    ).unique()
    return list(rows), total


def meeting_findings(session: Session, meeting_id: int) -> list[Finding]:
    """The findings a meeting recorded, by agency then priority."""
    stmt = (
        select(Finding)
        .outerjoin(Agency, Finding.agency_id == Agency.id)
        .options(joinedload(Finding.agency))
        .where(Finding.meeting_id == meeting_id)
        .order_by(
            Agency.name.is_(None), Agency.name, Finding.priority.is_(None), Finding.priority, Finding.id
        )
    )
    return list(session.scalars(stmt).unique())


def meeting_actions(session: Session, meeting_id: int) -> list[Action]:
    """The actions a meeting agreed, in the order they were logged."""
    stmt = (
        select(Action)
        .options(joinedload(Action.owner), joinedload(Action.agency))
        .where(Action.meeting_id == meeting_id)
        .order_by(Action.id)
    )
    return list(session.scalars(stmt).unique())


@dataclass
class Theme:
    priority: str | None
    red: int = 0
    amber: int = 0
    green: int = 0
    unrated: int = 0
    refs: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.red + self.amber + self.green + self.unrated


def themes(session: Session, meeting_id: int | None) -> list[Theme]:
    """Findings grouped by priority area with their RAG counts (one SQL aggregate), for one
    meeting or (None) for all findings."""
    key = func.coalesce(Finding.priority, "")
    stmt = select(
        key,
        func.sum(case((Finding.rag == "red", 1), else_=0)),
        func.sum(case((Finding.rag == "amber", 1), else_=0)),
        func.sum(case((Finding.rag == "green", 1), else_=0)),
        func.sum(case((Finding.rag.is_(None), 1), else_=0)),
    ).group_by(key)
    if meeting_id is not None:
        stmt = stmt.where(Finding.meeting_id == meeting_id)
    out = [
        Theme(str(p) or None, int(r or 0), int(a or 0), int(g or 0), int(u or 0))
        for p, r, a, g, u in session.execute(stmt.order_by(key))
    ]
    if meeting_id is not None and out:
        refs = session.execute(
            select(Finding.priority, Finding.id).where(Finding.meeting_id == meeting_id).order_by(Finding.id)
        )
        by = {t.priority: t for t in out}
        for p, fid in refs:
            by[p or None].refs.append(fid)
    return out


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


def s11_progress(session: Session, names_limit: int = 10) -> S11Progress | None:
    """Returns in / outstanding / extensions for the open cycle, in one aggregate."""
    cycle = open_s11_cycle(session)
    if cycle is None:
        return None
    submitted = S11Return.status == "submitted"
    row = session.execute(
        select(
            func.count(),
            func.sum(case((submitted, 1), else_=0)),
            func.sum(case((S11Return.status == "extension_requested", 1), else_=0)),
            func.sum(case((S11Return.extension_granted_to.is_not(None), 1), else_=0)),
        ).where(S11Return.cycle_id == cycle.id)
    ).one()
    total, done, requested, granted = (int(v or 0) for v in row)
    names = list(
        session.scalars(
            select(Agency.name)
            .join(S11Return, S11Return.agency_id == Agency.id)
            .where(S11Return.cycle_id == cycle.id, ~submitted)
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


def s11_ratings(session: Session, cycle_id: int) -> list[tuple[str, str, str | None, str | None]]:
    """(agency, standard, self RAG, moderated RAG) for every rating in a cycle."""
    stmt = (
        select(Agency.name, S11Rating.standard, S11Rating.self_rag, S11Rating.moderated_rag)
        .join(S11Return, S11Rating.return_id == S11Return.id)
        .join(Agency, S11Return.agency_id == Agency.id)
        .where(S11Return.cycle_id == cycle_id)
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


def status_figures(session: Session, *, today: date, period_start: datetime) -> StatusFigures:
    """Open / overdue / closed-in-period actions in all, by priority and by agency.

    One statement and one pass over the actions: the per-(priority, agency) sums are taken
    once in a materialised CTE, and the three roll-ups are summed from it in SQL."""
    open_ = func.sum(case((Action.status == "open", 1), else_=0)).label("o")
    overdue = func.sum(case((and_(Action.status == "open", Action.due_date < today), 1), else_=0)).label("od")
    done = func.sum(
        case((and_(Action.status == "done", Action.closed_at >= period_start), 1), else_=0)
    ).label("d")
    grouped = (
        select(Action.priority.label("p"), Action.agency_id.label("ag"), open_, overdue, done)
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


def recent_escalations(session: Session, since: datetime, limit: int = 5) -> Escalations:
    """What was escalated to the Board since `since`: flagged findings, escalated actions and
    Section 11 cycles, newest first."""
    findings = session.scalars(
        select(Finding)
        .options(joinedload(Finding.agency))
        .where(Finding.escalate_to_board.is_(True), Finding.created_at >= since)
        .order_by(Finding.created_at.desc(), Finding.id.desc())
        .limit(limit)
    ).unique()
    actions = session.scalars(
        select(Action)
        .options(joinedload(Action.owner), joinedload(Action.agency))
        .where(Action.escalated_at >= since)
        .order_by(Action.escalated_at.desc(), Action.id.desc())
        .limit(limit)
    ).unique()
    cycles = session.scalars(
        select(S11Cycle)
        .where(S11Cycle.escalated_at >= since)
        .order_by(S11Cycle.escalated_at.desc())
        .limit(limit)
    )
    return Escalations(list(findings), list(actions), list(cycles))


# ── meetings read from a calendar (SharePoint/Graph calendarView) ───────────────────────────


def by_external_id(session: Session, external_id: str) -> Meeting | None:
    return session.scalar(select(Meeting).where(Meeting.external_id == external_id))


def from_calendar_between(session: Session, start: datetime, end: datetime) -> list[Meeting]:
    """Meetings that came from the calendar and start in [start, end)."""
    stmt = select(Meeting).where(
        Meeting.source == "calendar", Meeting.starts_at >= start, Meeting.starts_at < end
    )
    return list(session.scalars(stmt.order_by(Meeting.starts_at)))


def references(session: Session, meeting_id: int) -> int:
    """How many actions, findings, agenda items, documents, document links and bot posts refer
    to the meeting (one query; 0 means it can be deleted without losing anything)."""
    from store.models import DocumentLink

    parts = [
        select(func.count()).select_from(Action).where(Action.meeting_id == meeting_id),
        select(func.count()).select_from(Finding).where(Finding.meeting_id == meeting_id),
        select(func.count()).select_from(AgendaItem).where(AgendaItem.meeting_id == meeting_id),
        select(func.count()).select_from(Document).where(Document.meeting_id == meeting_id),
        select(func.count())
        .select_from(DocumentLink)
        .where(DocumentLink.target_type == "meeting", DocumentLink.target_id == meeting_id),
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.subject_type == "meeting", OutboxMessage.subject_id == meeting_id),
    ]
    total = sum((p.scalar_subquery() for p in parts), literal(0))
    return int(session.scalar(select(total)) or 0)
