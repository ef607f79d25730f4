"""Who may do what. Every refusal says why."""

from __future__ import annotations

from dataclasses import dataclass

from commands.errors import PermissionDenied
from store.models import Action, Member

CHAIR, QA, MEMBER, AGENCY_LEAD = "chair", "qa_officer", "member", "agency_lead"
ROLES = (CHAIR, QA, MEMBER, AGENCY_LEAD)
ROLE_NAMES = {
    CHAIR: "the chair",
    QA: "the QA officer",
    MEMBER: "a board member",
    AGENCY_LEAD: "an agency lead",
}


def is_officer(m: Member) -> bool:
    """The chair and the QA officer run the board's process."""
    return m.role in (CHAIR, QA)


def require_officer(m: Member, doing: str) -> None:
    if not is_officer(m):
        raise PermissionDenied(
            f"Only the chair or the QA officer can {doing}; you are {ROLE_NAMES.get(m.role, m.role)}."
        )


def require_board_member(m: Member, doing: str) -> None:
    """Board-wide views and panel records: chair, QA officer and board members, not agency leads."""
    if m.role == AGENCY_LEAD:
        raise PermissionDenied(
            f"Agency leads cannot {doing}: it covers every agency. "
            "Use /action list to see your agency's actions."
        )


OFFICERS = frozenset({CHAIR, QA})
BOARD_MEMBERS = frozenset({CHAIR, QA, MEMBER})


@dataclass(frozen=True)
class Allowed:
    """Who may run a command, checked centrally before it runs; `doing` finishes the refusal
    ("Only the chair or the QA officer can <doing>; …")."""

    roles: frozenset[str]
    doing: str

    def check(self, m: Member) -> None:
        if m.role in self.roles:
            return
        if self.roles == OFFICERS:
            require_officer(m, self.doing)
        if self.roles == BOARD_MEMBERS:
            require_board_member(m, self.doing)
        names = " or ".join(ROLE_NAMES.get(r, r) for r in ROLES if r in self.roles)
        raise PermissionDenied(
            f"Only {names} can {self.doing}; you are {ROLE_NAMES.get(m.role, m.role)}."
        )


def officers(doing: str) -> Allowed:
    """The chair and the QA officer."""
    return Allowed(OFFICERS, doing)


def board_members(doing: str) -> Allowed:
    """Everyone but agency leads: board-wide views and panel records."""
    return Allowed(BOARD_MEMBERS, doing)


def agency_scope(m: Member) -> int | None:
    """The only agency whose items this member may see, or None for every agency."""
    if m.role == AGENCY_LEAD:
        return m.agency_id if m.agency_id is not None else -1
    return None


def can_see_action(m: Member, a: Action) -> bool:
    scope = agency_scope(m)
    return scope is None or a.agency_id == scope or a.owner_id == m.id


def require_may_change_action(m: Member, a: Action, doing: str) -> None:
    """The owner, the QA officer or the chair; an agency lead for its own agency's actions."""
    if is_officer(m) or a.owner_id == m.id:
        return
    if m.role == AGENCY_LEAD and m.agency_id is not None and a.agency_id == m.agency_id:
        return
    owner = f"@{a.owner.handle}" if a.owner else "its owner"
    raise PermissionDenied(
        f"You cannot {doing} A-{a.id}: only {owner}, the QA officer or the chair can"
        + (" (or the lead of its agency)." if a.agency_id else ".")
    )
