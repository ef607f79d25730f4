"""The document sync's health: when it is due, what the QA officer is told when it fails, and
how stale the documents are ("as of <last good sync>" once it is older than twice the interval).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from commands.common import board_vocabulary
from commands.context import Scope
from commands.dates import format_datetime
from commands.document_guard import anonymised_name
from commands.documents import LAST_OK, LAST_SYNC, TOLD, conventions
from commands.posting import to_channel
from commands.types import Reply
from store import state
from store.document_sync import UNREADABLE

FAILING_SINCE = "sharepoint:failing_since"
PASSING = ("throttled", "unavailable", "network")  # Graph's own weather: told only if it lasts


def sync_due(scope: Scope) -> bool:
    """Whether the clock should sync now: every `sync_minutes` since the last attempt."""
    last = state.get(scope.session, LAST_SYNC)
    if not last:
        return True
    minutes = conventions(scope.board).sync_minutes
    return scope.now >= datetime.fromisoformat(last) + timedelta(minutes=minutes)


def record_attempt(scope: Scope) -> None:
    state.put(scope.session, LAST_SYNC, scope.now.isoformat(), scope.now)


def report_problem(scope: Scope, kind: str, message: str) -> int:
    """Tell the QA officer the sync is failing — once, until a sync succeeds again. Throttling,
    an outage or the network (one long Retry-After) is told only once the documents are stale:
    no good sync for twice the interval."""
    if state.get(scope.session, TOLD):
        return 0
    if not state.get(scope.session, FAILING_SINCE):
        state.put(scope.session, FAILING_SINCE, scope.now.isoformat(), scope.now)
    if kind in PASSING and not _lasting(scope):
        return 0
    state.put(scope.session, TOLD, f"{kind}:{scope.now.isoformat()}", scope.now)
    last_ok = state.get(scope.session, LAST_OK)
    since = (
        f"The last good sync was {format_datetime(datetime.fromisoformat(last_ok), scope.tz)}."
        if last_ok
        else "No sync has succeeded yet."
    )
    reply = Reply(
        title="SharePoint sync stopped",
        lines=[
            message,
            since,
            "Documents already synced are kept, and the next sync resumes where this one stopped. "
            "I'll say nothing more until it works again.",
        ],
        visibility="channel",
    )
    rows = to_channel(
        scope, "qa", key=f"sharepoint-problem:{scope.now.isoformat()}", kind="sharepoint_problem", reply=reply
    )
    return len(rows)


def report_ok(scope: Scope) -> bool:
    """A sync succeeded: remember it, and clear the 'told' marker. True if it was set."""
    state.put(scope.session, LAST_OK, scope.now.isoformat(), scope.now)
    was = bool(state.get(scope.session, TOLD))
    if was:
        state.put(scope.session, TOLD, None, scope.now)
    if state.get(scope.session, FAILING_SINCE):
        state.put(scope.session, FAILING_SINCE, None, scope.now)
    return was


def _stale_after(scope: Scope) -> timedelta:
    return timedelta(minutes=2 * conventions(scope.board).sync_minutes)


def _lasting(scope: Scope) -> bool:
    """The trouble has lasted: the last good sync (or, before any, the first failure) is older
    than twice the interval."""
    since = state.get(scope.session, LAST_OK) or state.get(scope.session, FAILING_SINCE)
    return since is None or scope.now - datetime.fromisoformat(since) >= _stale_after(scope)


STALENESS_FACTS = (LAST_OK, LAST_SYNC)  # what staleness reads (a reply may read them with others)


def staleness(scope: Scope, facts: Mapping[str, str | None] | None = None) -> str | None:
    """ "Documents as of <last good sync>" when that is older than twice the interval (None when
    fresh, or when no sync has ever been attempted: SharePoint may not be in use). `facts`: the
    STALENESS_FACTS already read in this transaction."""
    if facts is None:
        facts = state.get_many(scope.session, *STALENESS_FACTS)  # one round trip
    last_ok = facts[LAST_OK]
    if last_ok is None:
        if facts[LAST_SYNC] is None:
            return None
        return "Documents: no SharePoint sync has succeeded yet."
    when = datetime.fromisoformat(last_ok)
    if scope.now - when < _stale_after(scope):
        return None
    return f"Documents as of {format_datetime(when, scope.tz)} (the last good SharePoint sync)."


def report_unreadable(scope: Scope, files: list[tuple[str, str]]) -> int:
    """Files stored without text because they could not be downloaded or read: the QA officer
    is told once per file (they are tried again at every sync until they read)."""
    fresh = [(i, n) for i, n in files if not state.get(scope.session, UNREADABLE + i)]
    for item_id, _ in fresh:
        state.put(scope.session, UNREADABLE + item_id, scope.now.isoformat(), scope.now)
    if not fresh:
        return 0
    vocabulary = board_vocabulary(scope.session)  # a file's name can identify a child: never posted as is
    reply = Reply(
        title="SharePoint files that could not be read",
        lines=[
            *(f"• {anonymised_name(name, vocabulary)}" for _, name in fresh[:20]),
            *([f"…and {len(fresh) - 20} more (see the log)."] if len(fresh) > 20 else []),
            "They are listed by name without their text; the sync tries them again each time "
            "and the rest of the library is kept up to date.",
        ],
        visibility="channel",
    )
    key = f"sharepoint-unreadable:{fresh[0][0]}:{scope.now.isoformat()}"
    return len(to_channel(scope, "qa", key=key, kind="sharepoint_problem", reply=reply))
