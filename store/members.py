"""Members, agencies and the board row."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store import addresses
from store.models import Action, Agency, Board, Member, S11Cycle, S11Return


def board(session: Session) -> Board | None:
    return session.get(Board, 1)


def by_handle(session: Session, handle: str) -> Member | None:
    return session.scalar(select(Member).where(func.lower(Member.handle) == handle.lower().lstrip("@")))


def by_platform_id(session: Session, platform: str, user_id: str) -> Member | None:
    """The member a platform's user id belongs to (on the console, the id is the handle)."""
    if platform == addresses.BY_NAME:
        return by_handle(session, user_id)
    return addresses.member_at(session, platform, user_id)


def all_members(session: Session) -> list[Member]:
    return list(session.scalars(select(Member).order_by(Member.handle)))


def by_role(session: Session, *roles: str) -> list[Member]:
    stmt = select(Member).where(Member.role.in_(roles), Member.active.is_(True)).order_by(Member.id)
    return list(session.scalars(stmt))


def all_agencies(session: Session, *, active_only: bool = True) -> list[Agency]:
    stmt = select(Agency).order_by(Agency.name)
    if active_only:
        stmt = stmt.where(Agency.active.is_(True))
    return list(session.scalars(stmt))


def agency_by_name(session: Session, name: str) -> Agency | None:
    return session.scalar(select(Agency).where(func.lower(Agency.name) == name.strip().lower()))


def open_actions_owned_by(session: Session, member_id: int) -> list[Action]:
    """A member's open actions, oldest first (a leaver's must be handed on)."""
    stmt = select(Action).where(Action.owner_id == member_id, Action.status == "open").order_by(Action.id)
    return list(session.scalars(stmt))



def open_s11_years(session: Session, agency_id: int) -> list[int]:
    """The years of open Section 11 cycles in which the agency's return is not yet submitted."""
    stmt = (
        select(S11Cycle.year)
        .join(S11Return, S11Return.cycle_id == S11Cycle.id)
        .where(S11Return.agency_id == agency_id, S11Cycle.status == "open", S11Return.status != "submitted")
        .order_by(S11Cycle.year)
    )
    return list(session.scalars(stmt))
