"""Moved to commands.policy (who may see and change what, and where a reply is shown).
Kept so code written against the old name still imports; new code imports commands.policy."""

from commands.policy.roles import (
    AGENCY_LEAD,
    BOARD_MEMBERS,
    CHAIR,
    MEMBER,
    OFFICERS,
    QA,
    ROLE_NAMES,
    ROLES,
    Allowed,
    board_members,
    is_officer,
    officers,
    require_board_member,
    require_officer,
)

__all__ = [
    "AGENCY_LEAD",
    "BOARD_MEMBERS",
    "CHAIR",
    "MEMBER",
    "OFFICERS",
    "QA",
    "ROLES",
    "ROLE_NAMES",
    "Allowed",
    "board_members",
    "is_officer",
    "officers",
    "require_board_member",
    "require_officer",
]
