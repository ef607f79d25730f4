"""The visibility policy as query filters. `commands/policy.py` decides who sees what and
hands the store a neutral `Viewer`; every read of actions, findings, Section 11 returns and
documents adds the WHERE clause built here, so no command filters rows by hand."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, func, or_, select, true
from sqlalchemy.orm import Session

from store.models import Action, Agency, Finding, KpiFigure, Meeting, Member, S11Return


@dataclass(frozen=True)
class Viewer:
    """Whose rows a query may return. `agencies` None: every agency (the board's view);
    otherwise only these agencies' rows (an empty set: none), plus actions `member_id` owns."""

    member_id: int | None = None
    agencies: frozenset[int] | None = None

    @property
    def board_wide(self) -> bool:
        return self.agencies is None


BOARD = Viewer()  # the clock, exports and officers: everything


def actions(viewer: Viewer) -> ColumnElement[bool]:
    if viewer.agencies is None:
        return true()
    own = Action.agency_id.in_(viewer.agencies) if viewer.agencies else false()
    return or_(own, Action.owner_id == viewer.member_id) if viewer.member_id is not None else own


def findings(viewer: Viewer) -> ColumnElement[bool]:
    if viewer.agencies is None:
        return true()
    return Finding.agency_id.in_(viewer.agencies) if viewer.agencies else false()


def s11_returns(viewer: Viewer) -> ColumnElement[bool]:
    if viewer.agencies is None:
        return true()
    return S11Return.agency_id.in_(viewer.agencies) if viewer.agencies else false()


def kpi_figures(viewer: Viewer) -> ColumnElement[bool]:
    """A performance measure's figures: its owning agency's (docs/kpi.md)."""
    if viewer.agencies is None:
        return true()
    return KpiFigure.agency_id.in_(viewer.agencies) if viewer.agencies else false()


def agencies_of(session: Session, member: Member) -> frozenset[int]:
    """Every agency a member belongs to, leads or deputises for (the board file names a lead
    and a substitute per agency; one person may be both for different agencies)."""
    stmt = select(Agency.id).where(or_(Agency.lead_id == member.id, Agency.substitute_id == member.id))
    ids = set(session.scalars(stmt))
    if member.agency_id is not None:
        ids.add(member.agency_id)
    return frozenset(ids)


def agency_names(session: Session, ids: frozenset[int]) -> list[str]:
    """The names of these agencies, alphabetically (to tell a lead whose figures they see)."""
    if not ids:
        return []
    return list(session.scalars(select(Agency.name).where(Agency.id.in_(ids)).order_by(Agency.name)))


def is_meeting_title(session: Session, name: str) -> bool:
    """Whether a meeting is called this (the console names a meeting's channel #<title>)."""
    stmt = select(Meeting.id).where(func.lower(Meeting.title) == name.strip().lower()).limit(1)
    return session.scalar(stmt) is not None
