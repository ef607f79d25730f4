"""The command groups, in the order help lists them, with their aliases (`/actions` → /action).

Each group's commands register themselves in their own module; a group left without any
(its module missing from commands/catalog.py) stops start-up.
"""

from __future__ import annotations

from commands.registry import group

ACTION = group(
    "action", summary="actions: things someone must do, followed up until closed", aliases=("actions",)
)
FINDING = group(
    "finding", summary="findings: what a panel, audit or case review found", aliases=("findings",)
)
QA = group("qa", summary="the board's picture: status, meetings, agendas, summaries, the Board report")
S11 = group(
    "s11",
    summary="Section 11 audits: launch a cycle, chase returns, extensions, scores and ratings, the panel",
    aliases=("section11",),
)
DOCS = group(
    "docs", summary="documents: the board's SharePoint library, searched and linked", aliases=("doc",)
)
