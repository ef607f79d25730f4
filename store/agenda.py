"""What an agenda and an outcome summary list: agenda items, apologies and papers, the
actions and findings of a meeting and of its priority, and the themes. Every figure is
computed by the database; Python only shapes what comes back.

Actions and findings are read through the `Viewer` (store/visibility.py): the agenda the clock
posts and the officers' summary are the board's (`visibility.BOARD`); an agency lead's preview
and summary hold, and count, only what they may see. Apologies, agenda items and papers are
the meeting's, the same for everyone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from store import visibility
from store.document_access import SHARED_PLACE, visible_to
from store.items import priority_is
from store.models import (
    Action,
    Agency,
    AgendaItem,
    Document,
    Finding,
    Meeting,
    Member,
    OutboxMessage,
    ThreadReply,
)
from store.visibility import Viewer

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


def apologies(session: Session, meeting_id: int) -> list[tuple[str, str]]:
    """Who sent apologies in the meeting's threads (name, handle), first word first, once each."""
    stmt = (
        select(Member.id, Member.name, Member.handle)
        .select_from(ThreadReply)
        .join(OutboxMessage, ThreadReply.outbox_id == OutboxMessage.id)
        .join(Member, ThreadReply.member_id == Member.id)
        .where(
            OutboxMessage.subject_type == "meeting",
            OutboxMessage.subject_id == meeting_id,
            ThreadReply.interpretation == "apology",
        )
        .order_by(ThreadReply.id)
    )
    seen: dict[int, tuple[str, str]] = {}
    for member_id, name, handle in session.execute(stmt):
        seen.setdefault(member_id, (name, handle))
    return list(seen.values())


def last_thread_reply_of(
    session: Session, meeting_id: int, member_id: int, interpretations: tuple[str, ...]
) -> ThreadReply | None:
    """A member's newest reply in the meeting's threads that was read as one of these."""
    stmt = (
        select(ThreadReply)
        .join(OutboxMessage, ThreadReply.outbox_id == OutboxMessage.id)
        .where(
            OutboxMessage.subject_type == "meeting",
            OutboxMessage.subject_id == meeting_id,
            ThreadReply.member_id == member_id,
            ThreadReply.interpretation.in_(interpretations),
        )
        .order_by(ThreadReply.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)


def agenda_item_added_in_thread(
    session: Session, meeting_id: int, member_id: int, text: str
) -> AgendaItem | None:
    """The item a member's thread reply added (the newest with that text)."""
    stmt = (
        select(AgendaItem)
        .where(
            AgendaItem.meeting_id == meeting_id,
            AgendaItem.added_by_id == member_id,
            AgendaItem.text == text,
            AgendaItem.source.like("thread:%"),
        )
        .order_by(AgendaItem.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)


def papers(session: Session, meeting_id: int) -> list[Document]:
    """The meeting's papers synced from SharePoint (none until SharePoint is connected): open
    documents only, as the agenda is posted where the whole board reads it."""
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
    session: Session, meeting: Meeting, viewer: Viewer, today: date, limit: int = 10
) -> tuple[list[Action], int]:
    """Open actions agreed at earlier meetings, overdue first, then by due date."""
    stmt = select(Action).where(
        Action.status == "open",
        Action.meeting_id.in_(_earlier_meetings(meeting)),
        visibility.actions(viewer),
    )
    return _page(session, stmt, _overdue_first(today), limit)


def actions_due_by(
    session: Session, meeting: Meeting, viewer: Viewer, by: date, today: date, limit: int = 10
) -> tuple[list[Action], int]:
    """Other open actions due on or before `by` (the meeting's day), overdue first."""
    stmt = select(Action).where(
        Action.status == "open",
        Action.due_date <= by,
        or_(Action.meeting_id.is_(None), Action.meeting_id.not_in(_earlier_meetings(meeting))),
        visibility.actions(viewer),
    )
    return _page(session, stmt, [Action.due_date, Action.id], limit)  # all dated: overdue come first


def open_actions_for_priority(
    session: Session, priority: str, viewer: Viewer, today: date, limit: int = 10
) -> tuple[list[Action], int]:
    stmt = select(Action).where(
        Action.status == "open",
        priority_is(Action.priority, priority),
        visibility.actions(viewer),
    )
    return _page(session, stmt, _overdue_first(today), limit)


def findings_between(
    session: Session,
    viewer: Viewer,
    since: datetime | None,
    until: datetime,
    *,
    priority: str | None = None,
    limit: int = 10,
) -> tuple[list[Finding], int]:
    """Findings recorded in [since, until), newest first."""
    stmt = select(Finding).where(
        Finding.created_at < until, Finding.withdrawn_at.is_(None), visibility.findings(viewer)
    )
    if since is not None:
        stmt = stmt.where(Finding.created_at >= since)
    if priority:
        stmt = stmt.where(priority_is(Finding.priority, priority))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.options(joinedload(Finding.agency))
        .order_by(Finding.created_at.desc(), Finding.id.desc())
        .limit(limit)
    ).unique()
    return list(rows), total


def meeting_findings(session: Session, meeting_id: int, viewer: Viewer) -> list[Finding]:
    """The findings a meeting recorded, by agency then priority."""
    stmt = (
        select(Finding)
        .outerjoin(Agency, Finding.agency_id == Agency.id)
        .options(joinedload(Finding.agency))
        .where(Finding.meeting_id == meeting_id, Finding.withdrawn_at.is_(None), visibility.findings(viewer))
        .order_by(
            Agency.name.is_(None), Agency.name, Finding.priority.is_(None), Finding.priority, Finding.id
        )
    )
    return list(session.scalars(stmt).unique())


def meeting_actions(session: Session, meeting_id: int, viewer: Viewer) -> list[Action]:
    """The actions a meeting agreed, in the order they were logged."""
    stmt = (
        select(Action)
        .options(joinedload(Action.owner), joinedload(Action.agency))
        .where(Action.meeting_id == meeting_id, visibility.actions(viewer))
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


def themes(session: Session, meeting_id: int | None, viewer: Viewer) -> list[Theme]:
    """Findings the viewer may see grouped by priority area with their RAG counts (one SQL
    aggregate), for one meeting or (None) for all findings."""
    seen = visibility.findings(viewer)
    key = func.coalesce(Finding.priority, "")
    stmt = (
        select(
            key,
            func.sum(case((Finding.rag == "red", 1), else_=0)),
            func.sum(case((Finding.rag == "amber", 1), else_=0)),
            func.sum(case((Finding.rag == "green", 1), else_=0)),
            func.sum(case((Finding.rag.is_(None), 1), else_=0)),
        )
        .where(Finding.withdrawn_at.is_(None), seen)
        .group_by(key)
    )
    if meeting_id is not None:
        stmt = stmt.where(Finding.meeting_id == meeting_id)
    out = [
        Theme(str(p) or None, int(r or 0), int(a or 0), int(g or 0), int(u or 0))
        for p, r, a, g, u in session.execute(stmt.order_by(key))
    ]
    if meeting_id is not None and out:
        refs = session.execute(
            select(Finding.priority, Finding.id)
            .where(Finding.meeting_id == meeting_id, Finding.withdrawn_at.is_(None), seen)
            .order_by(Finding.id)
        )
        by = {t.priority: t for t in out}
        for p, fid in refs:
            by[p or None].refs.append(fid)
    return out
