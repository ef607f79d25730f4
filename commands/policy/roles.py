"""Who may run a command at all, by role. Every refusal says why. (Which rows they may
see or change is commands.policy.seeing; where a reply is shown, commands.policy.places.)"""

from __future__ import annotations

from dataclasses import dataclass

from commands.errors import PermissionDenied
from store.models import Member

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
            "Use /action list to see your agencies' actions."
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
        raise PermissionDenied(f"Only {names} can {self.doing}; you are {ROLE_NAMES.get(m.role, m.role)}.")


def officers(doing: str) -> Allowed:
    """The chair and the QA officer."""
    return Allowed(OFFICERS, doing)


def board_members(doing: str) -> Allowed:
    """Everyone but agency leads: board-wide views and panel records."""
    return Allowed(BOARD_MEMBERS, doing)
