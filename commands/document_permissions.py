"""The permission sweep's rules: when it is due, what a fresh reading of SharePoint's permissions
changes, and telling the QA officer once when documents the board could see became restricted.

Graph's delta reports a change of sharing alone (no edit to the item) only to apps holding
Sites.FullControl.All, which QA Bot does not ask for (docs/sharepoint.md): without the sweep,
"Stop inheriting permissions" on a file would be seen only at its next edit or after a 410. So
every `permission_sweep_hours` (default 24: nightly) the library is enumerated again and each
item's own-permissions flag replaced by what SharePoint says now; access is then re-decided for
every document (commands/documents.settle_library), which drops a newly restricted file's text
and hides it from everyone the board file does not name, and reads a reopened one again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from commands.common import board_vocabulary
from commands.context import Scope
from commands.document_guard import anonymised_name
from commands.documents import settle_library
from commands.posting import to_channel
from commands.registry import no_thread_reply
from commands.types import Reply
from store import document_access as access_store
from store import state
from store.models import Board

LAST_SWEEP = "sharepoint:last_permission_sweep"
DEFAULT_SWEEP_HOURS = 24
SHOWN = 20  # names listed in the QA officer's notice; the rest are counted

no_thread_reply(
    "sharepoint_restricted",
    "a notice to the QA officer that documents became restricted in SharePoint: nothing to answer",
)


@dataclass
class SweepOutcome:
    changed: int = 0  # items whose own-permissions flag changed
    restricted: list[str] | None = None  # names of documents the board could see, now restricted
    reopened: int = 0  # documents restricted before, visible to the board again
    posts: int = 0


def sweep_hours(board: Board) -> int:
    cfg: dict[str, Any] = (board.config or {}).get("sharepoint") or {}
    hours = cfg.get("permission_sweep_hours", DEFAULT_SWEEP_HOURS)
    return hours if isinstance(hours, int) and hours > 0 else DEFAULT_SWEEP_HOURS


def sweep_due(scope: Scope) -> bool:
    """Every `permission_sweep_hours` since the last sweep began (the first: at once)."""
    last = state.get(scope.session, LAST_SWEEP)
    if not last:
        return True
    return scope.now >= datetime.fromisoformat(last) + timedelta(hours=sweep_hours(scope.board))


def record_sweep(scope: Scope) -> None:
    state.put(scope.session, LAST_SWEEP, scope.now.isoformat(), scope.now)


def settle_after_sweep(scope: Scope, changed: int) -> SweepOutcome:
    """Access re-decided for every document; the QA officer told once (in the `qa` channel) which
    documents the board could see that SharePoint now restricts. Told once: the next sweep finds
    them restricted already."""
    before = access_store.restriction_by_id(scope.session)
    result = settle_library(scope)
    after = access_store.restriction_by_id(scope.session)
    newly = [i for i, restricted in after.items() if restricted and before.get(i) is False]
    reopened = sum(1 for i, restricted in after.items() if not restricted and before.get(i) is True)
    names = access_store.names_of(scope.session, newly)
    out = SweepOutcome(changed=changed, restricted=names, reopened=reopened, posts=result.posts)
    if names:
        out.posts += _tell_restricted(scope, names)
    return out


def _tell_restricted(scope: Scope, names: list[str]) -> int:
    vocabulary = board_vocabulary(scope.session)  # a file's name can identify a child: never posted as is
    lines = [f"• {anonymised_name(n, vocabulary)}" for n in names[:SHOWN]]
    if len(names) > SHOWN:
        lines.append(f"…and {len(names) - SHOWN} more.")
    lines.append(
        "Their permissions changed in SharePoint (their own, or their folder's). They are no longer "
        "searchable by the board: only the roles the board file names for such documents see "
        "them, by name only."
    )
    reply = Reply(title="SharePoint documents now restricted", lines=lines, visibility="channel")
    key = f"sharepoint-restricted:{scope.now.isoformat()}"
    return len(to_channel(scope, "qa", key=key, kind="sharepoint_restricted", reply=reply))
