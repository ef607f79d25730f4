"""What the board's documents mean: folder conventions, Section 11 evidence, sync health.

The SharePoint integration hands each synced page here (platform-neutral ItemRecords);
this module stores it, applies the folder conventions and queues the posts they cause, and
advances the delta link in the same transaction.

Conventions (Board.config["sharepoint"], names configurable):
- `Meetings/<YYYY-MM-DD> <title>/…`  the papers of the meeting on that date;
- `Section 11/<year>/<agency>/…`      that agency's return in that year's cycle: a file
  arriving there marks the return "document received" (unless already submitted) and tells
  the QA officer in the agency's Section 11 thread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from commands import document_guard
from commands.common import board_vocabulary
from commands.context import Scope
from commands.dates import format_datetime
from commands.posting import to_agency, to_channel
from commands.registry import no_thread_reply
from commands.types import Reply
from store import documents as doc_store
from store import meetings as meeting_store
from store import members, state
from store.documents import ItemRecord
from store.models import Agency, Board, Document, S11Return

__all__ = ["ItemRecord"]  # the neutral record the sync hands in, re-exported for integrations

DEFAULT_SYNC_MINUTES = 15
LAST_SYNC = "sharepoint:last_sync"
LAST_OK = "sharepoint:last_ok"
TOLD = "sharepoint:told"  # set while the QA officer has been told the sync is failing
_DATED = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\b")

no_thread_reply(
    "sharepoint_problem",
    "a notice to the QA channel that the document sync is failing: replies there are ordinary messages",
)


@dataclass(frozen=True)
class Conventions:
    meetings_folder: str = "Meetings"
    section11_folder: str = "Section 11"
    sync_minutes: int = DEFAULT_SYNC_MINUTES


def conventions(board: Board) -> Conventions:
    cfg: dict[str, Any] = (board.config or {}).get("sharepoint") or {}
    minutes = cfg.get("sync_minutes", DEFAULT_SYNC_MINUTES)
    return Conventions(
        meetings_folder=str(cfg.get("meetings_folder") or "Meetings").strip("/"),
        section11_folder=str(cfg.get("section11_folder") or "Section 11").strip("/"),
        sync_minutes=int(minutes) if isinstance(minutes, int) and minutes > 0 else DEFAULT_SYNC_MINUTES,
    )


@dataclass(kw_only=True)
class SyncScope(Scope):
    """The clock or `qabot docs sync` applying what SharePoint reported."""

    @property
    def source(self) -> str:
        return "sharepoint"


@dataclass
class PageResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    relocated: int = 0  # not reported by Graph, but under a folder that was renamed or moved
    posts: int = 0
    received: list[str] = field(default_factory=list)  # names of Section 11 documents received


def delta_key(drive_id: str) -> str:
    return f"sharepoint:delta:{drive_id}"


def root_key(drive_id: str) -> str:
    return f"sharepoint:root:{drive_id}"


def apply_page(
    scope: Scope,
    records: list[doc_store.ItemRecord],
    *,
    drive_id: str,
    root_id: str | None,
    next_link: str,
) -> PageResult:
    """Store one delta page, apply the conventions, and only then advance the stored link
    (all in the caller's transaction: a crash loses the page and its link together)."""
    if root_id:
        state.put(scope.session, root_key(drive_id), root_id, scope.now)
    # The guard first: a name, link or text that could identify a child is never stored.
    records, withheld = document_guard.screen(records, board_vocabulary(scope.session))
    changes = doc_store.apply_items(scope.session, records, root_id, scope.now)
    result = PageResult()
    conv = conventions(scope.board)
    agencies: dict[str, Agency | None] = {}
    reported = {r.item_id for r in records}
    for ch in changes:
        if ch.deleted:
            result.deleted += 1
            continue
        if ch.created:
            result.created += 1
        elif ch.doc.drive_item_id in reported:
            result.updated += 1
        else:
            result.relocated += 1
        if ch.doc.drive_item_id in withheld:
            if ch.created or ch.old_path != ch.doc.path:
                result.posts += document_guard.tell_qa(scope, ch.doc, withheld[ch.doc.drive_item_id])
        elif ch.created or ch.old_path != ch.doc.path:
            result.posts += _apply_conventions(scope, ch.doc, ch.old_s11_return_id, conv, agencies, result)
    state.put(scope.session, delta_key(drive_id), next_link, scope.now)
    return result


def _apply_conventions(
    scope: Scope,
    doc: Document,
    old_return_id: int | None,
    conv: Conventions,
    agencies: dict[str, Agency | None],
    result: PageResult,
) -> int:
    parts = doc.path.split("/")
    doc.meeting_id = None
    doc.s11_return_id = None
    if len(parts) >= 2 and parts[0].lower() == conv.meetings_folder.lower():
        m = _DATED.match(parts[1])
        if m:
            try:
                day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                day = None
            meeting = meeting_store.on_date(scope.session, day, scope.tz) if day else None
            doc.meeting_id = meeting.id if meeting else None
        return 0
    if len(parts) >= 3 and parts[0].lower() == conv.section11_folder.lower() and parts[1].isdigit():
        name = parts[2]
        if name not in agencies:
            agencies[name] = members.agency_by_name(scope.session, name) or _agency_fuzzy(scope, name)
        agency = agencies[name]
        if agency is None:
            return 0
        ret = doc_store.s11_return_for(scope.session, int(parts[1]), agency.id)
        if ret is None:
            return 0
        doc.s11_return_id = ret.id
        if doc.is_folder or old_return_id == ret.id:
            return 0
        return _document_received(scope, doc, ret.id, agency, result)
    return 0


def _agency_fuzzy(scope: Scope, name: str) -> Agency | None:
    """The one agency whose name contains every word of the folder name."""
    words = [w for w in name.lower().replace("’", "'").split() if w]
    found = [
        a
        for a in members.all_agencies(scope.session)
        if words and all(w in a.name.lower().replace("’", "'") for w in words)
    ]
    return found[0] if len(found) == 1 else None


def _document_received(
    scope: Scope, doc: Document, return_id: int, agency: Agency, result: PageResult
) -> int:
    ret = scope.session.get(S11Return, return_id)
    assert ret is not None
    before = {"status": ret.status, "document_received_at": _iso(ret.document_received_at)}
    if ret.status != "submitted":
        ret.status = "document_received"
    if ret.document_received_at is None:
        ret.document_received_at = scope.now
    if ret.evidence_url is None and doc.web_url:
        ret.evidence_url = doc.web_url
    after = {
        "status": ret.status,
        "document_received_at": _iso(ret.document_received_at),
        "document": doc.path,
    }
    scope.audit("s11_return", ret.id, "document_received", before, after)
    result.received.append(doc.name)
    qa = members.by_role(scope.session, "qa_officer")
    who = " ".join(f"@{m.handle}" for m in qa) or "QA officer"
    lines = [
        f"{doc.name} arrived in SharePoint for {agency.name}'s Section 11 return ({doc.path}).",
        f"Return status: {ret.status.replace('_', ' ')}.",
        f"{who}: please review it.",
    ]
    if doc.web_url:
        lines.append(f"Open it: {doc.web_url}")
    reply = Reply(title=f"Section 11 document received — {agency.name}", lines=lines, visibility="channel")
    rows = to_agency(
        scope,
        agency,
        key=f"s11doc:{doc.drive_item_id}",
        kind="s11_document",
        reply=reply,
        thread_key=f"s11:{ret.cycle_id}:{agency.id}",
        subject=("s11_return", ret.id),
    )
    return len(rows)


def _iso(d: datetime | None) -> str | None:
    return d.isoformat() if d else None


# ---- sync health ---------------------------------------------------------------------------


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
    """Tell the QA officer the sync is failing — once, until a sync succeeds again."""
    if state.get(scope.session, TOLD):
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
    return was
