"""The visibility policy: who may see and change what, and where a reply may be shown.

One place, three parts:
- `roles`: who may run a command at all (`Allowed`, checked centrally by the registry).
- `seeing`: whose rows a member may read or change. It builds the neutral
  `store.visibility.Viewer` every store read takes and turns into WHERE clauses, so no
  command filters rows by hand. An agency lead acts for every agency they lead or
  deputise for (store.visibility.agencies_of), not only their own `agency_id`.
- `places`: where a public reply may be posted. Board-wide content goes publicly only to
  the QA channel or a meeting's channel; one agency's content also to that agency's own
  channel; anywhere else the reply is shown only to the person, saying why.
"""

from __future__ import annotations

from commands.policy.places import about, place
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
from commands.policy.seeing import (
    BOARD,
    acts_for,
    agencies,
    document_viewer,
    require_may_change_action,
    require_may_file_for,
    viewer,
)

__all__ = [
    "AGENCY_LEAD",
    "BOARD",
    "BOARD_MEMBERS",
    "CHAIR",
    "MEMBER",
    "OFFICERS",
    "QA",
    "ROLES",
    "ROLE_NAMES",
    "Allowed",
    "about",
    "acts_for",
    "agencies",
    "board_members",
    "document_viewer",
    "is_officer",
    "officers",
    "place",
    "require_board_member",
    "require_may_change_action",
    "require_may_file_for",
    "require_officer",
    "viewer",
]
