"""Actions and findings: lookups, filtered lists and the aggregates behind the chair's status."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.orm import Session, joinedload

from store import visibility
from store.models import Action, Agency, Finding, Member
from store.visibility import Viewer


def priority_is(column: Any, priority: str) -> ColumnElement[bool]:
    """A priority filter: the priority itself and its named parts ("Child Protection" covers
    "Child Protection (LAC)")."""
    return or_(column == priority, column.like(priority + " (%"))

@dataclass
class ActionFilter:
    # Who is asking, as commands.policy decided (an agency lead: their agencies' actions and
    # those they own). No default, so no list can forget it.
    viewer: Viewer
    status: str | None = "open"  # open | done | None for all
    overdue_on: date | None = None  # only actions due before this day and still open
    owner_id: int | None = None
    agency_id: int | None = None
    priority: str | None = None
    meeting_id: int | None = None
    ids: list[int] = field(default_factory=list)


def _apply(stmt: Select[Any], f: ActionFilter) -> Select[Any]:
    if f.status:
        stmt = stmt.where(Action.status == f.status)
    if f.overdue_on:
        stmt = stmt.where(Action.status == "open", Action.due_date < f.overdue_on)
    if f.owner_id is not None:
        stmt = stmt.where(Action.owner_id == f.owner_id)
    if f.agency_id is not None:
        stmt = stmt.where(Action.agency_id == f.agency_id)
    if f.priority:
        stmt = stmt.where(priority_is(Action.priority, f.priority))
    if f.meeting_id is not None:
        stmt = stmt.where(Action.meeting_id == f.meeting_id)
    stmt = stmt.where(visibility.actions(f.viewer))
    if f.ids:
        stmt = stmt.where(Action.id.in_(f.ids))
    return stmt


def list_actions(session: Session, f: ActionFilter, limit: int = 50) -> tuple[list[Action], int]:
    """The matching actions, overdue and soonest due first, and how many match in all."""
    base = _apply(select(Action), f)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    stmt = (
        base.options(joinedload(Action.owner), joinedload(Action.agency))
        .order_by(Action.due_date.is_(None), Action.due_date, Action.id)
        .limit(limit)
    )
    return list(session.scalars(stmt).unique()), total


def get_action(session: Session, action_id: int, viewer: Viewer) -> Action | None:
    """Action `action_id` if the viewer may see it (None both when missing and when hidden)."""
    stmt = (
        select(Action)
        .options(joinedload(Action.owner), joinedload(Action.agency))
        .where(Action.id == action_id, visibility.actions(viewer))
    )
    return session.scalar(stmt)


def get_finding(session: Session, finding_id: int, viewer: Viewer) -> Finding | None:
    stmt = (
        select(Finding)
        .options(joinedload(Finding.agency))
        .where(Finding.id == finding_id, visibility.findings(viewer))
    )
    return session.scalar(stmt)


@dataclass
class FindingFilter:
    viewer: Viewer  # as ActionFilter's
    agency_id: int | None = None
    priority: str | None = None
    rag: str | None = None
    meeting_id: int | None = None
    since: datetime | None = None


def list_findings(session: Session, f: FindingFilter, limit: int = 50) -> tuple[list[Finding], int]:
    # A withdrawn finding keeps its history (/finding show) but is left out of every list.
    stmt = select(Finding).where(Finding.withdrawn_at.is_(None))
    if f.agency_id is not None:
        stmt = stmt.where(Finding.agency_id == f.agency_id)
    if f.priority:
        stmt = stmt.where(priority_is(Finding.priority, f.priority))
    if f.rag:
        stmt = stmt.where(Finding.rag == f.rag)
    if f.meeting_id is not None:
        stmt = stmt.where(Finding.meeting_id == f.meeting_id)
    if f.since is not None:
        stmt = stmt.where(Finding.created_at >= f.since)
    stmt = stmt.where(visibility.findings(f.viewer))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.options(joinedload(Finding.agency)).order_by(Finding.id.desc()).limit(limit)
    ).unique()
    return list(rows), total


@dataclass
class Counts:
    open: int = 0
    overdue: int = 0
    done: int = 0  # closed in the period


def status_counts(
    session: Session, *, today: date, period_start: datetime, group_by: str | None = None
) -> dict[str, Counts]:
    """Open / overdue / closed-in-period counts in one SQL aggregate, optionally grouped by
    "priority" or "agency" (keyed by name; items without one under "(none)")."""
    open_ = func.sum(case((Action.status == "open", 1), else_=0))
    overdue = func.sum(case(((Action.status == "open") & (Action.due_date < today), 1), else_=0))
    done = func.sum(case(((Action.status == "done") & (Action.closed_at >= period_start), 1), else_=0))
    if group_by == "priority":
        key = func.coalesce(Action.priority, "(none)")
        stmt = select(key, open_, overdue, done).group_by(key)
    elif group_by == "agency":
        key = func.coalesce(Agency.name, "(none)")
        stmt = (
            select(key, open_, overdue, done)
            .select_from(Action)
            .outerjoin(Agency, Action.agency_id == Agency.id)
            .group_by(key)
        )
    else:
        stmt = select(func.coalesce(None, "all"), open_, overdue, done)
    out: dict[str, Counts] = {}
    for name, o, od, d in session.execute(stmt):
        out[str(name)] = Counts(int(o or 0), int(od or 0), int(d or 0))
    return out


def members_by_ids(session: Session, ids: set[int]) -> dict[int, Member]:
    if not ids:
        return {}
    return {m.id: m for m in session.scalars(select(Member).where(Member.id.in_(ids)))}
