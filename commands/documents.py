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
from datetime import date, datetime
from typing import Any

from commands import document_access as access
from commands import document_guard
from commands.common import board_vocabulary
from commands.context import Scope
from commands.posting import to_agency
from commands.registry import no_thread_reply
from commands.section11.letter_data import is_letter_name
from commands.types import Reply
from store import document_access as access_store
from store import document_sync as doc_sync
from store import documents as doc_store
from store import meetings as meeting_store
from store import members, s11_workbooks, state
from store.document_access import AGENCY
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


def generation_key(drive_id: str) -> str:
    return f"sharepoint:generation:{drive_id}"


def resync_key(drive_id: str) -> str:
    """Set while a full re-enumeration after a 410 is under way (it may span several runs)."""
    return f"sharepoint:resync:{drive_id}"


def root_key(drive_id: str) -> str:
    return f"sharepoint:root:{drive_id}"


def apply_page(
    scope: Scope,
    records: list[doc_store.ItemRecord],
    *,
    drive_id: str,
    root_id: str | None,
    next_link: str,
    generation: int | None = None,
) -> PageResult:
    """Store one delta page, decide who may see each changed document, apply the conventions,
    and only then advance the stored link (all in the caller's transaction: a crash loses the
    page and its link together). During a full re-enumeration `generation` marks what was seen."""
    if root_id:
        state.put(scope.session, root_key(drive_id), root_id, scope.now)
    # The guard first: a name, link or text that could identify a child is never stored.
    records, withheld = document_guard.screen(records, board_vocabulary(scope.session))
    changes = doc_store.apply_items(scope.session, records, root_id, scope.now)
    if generation is not None:
        scope.session.flush()
        doc_sync.mark_seen(scope.session, [r.item_id for r in records if not r.deleted], generation)
    result = PageResult()
    settle = Settler(scope)
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
        result.posts += settle.document(ch.doc, ch.old_s11_return_id, result, conventions=True)
        if ch.doc.drive_item_id in withheld and (ch.created or ch.old_path != ch.doc.path):
            result.posts += document_guard.tell_qa(scope, ch.doc, withheld[ch.doc.drive_item_id])
    state.put(scope.session, delta_key(drive_id), next_link, scope.now)
    return result


def is_withheld(doc: Document) -> bool:
    """Stored by the guard without its link, because its name, path or text could identify a
    child (commands/document_guard.py): never Section 11 evidence, never posted; the QA
    officer was told instead."""
    return doc.web_url is None and not doc.is_folder


class Settler:
    """Decides access and the folder conventions for documents, with what it looked up kept
    for the page (agencies by folder, returns by year, folders with unique permissions)."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.conv = conventions(scope.board)
        self.rules = access.access_rules(scope.board)
        self.agencies = access.FolderAgencies(scope)
        scope.session.flush()
        self.unique = access.unique_folders(scope)
        self.returns: dict[tuple[int, int], S11Return | None] = {}

    def decision(self, doc: Document) -> access.Decision:
        return access.decide(
            doc.path, doc.is_folder, doc.unique_permissions, self.unique, self.rules, self.agencies
        )

    def document(
        self, doc: Document, old_return_id: int | None, result: PageResult, *, conventions: bool
    ) -> int:
        d = self.decision(doc)
        was_restricted = doc.access == access_store.RESTRICTED
        access.apply_decision(doc, d)
        if was_restricted and d.access != access_store.RESTRICTED and not doc.is_folder:
            # Opened up: its text was never kept, so it is owed a read at the next sync.
            state.put(self.scope.session, doc_sync.UNREADABLE + doc.drive_item_id, "opened", self.scope.now)
        posts = access.tell_unmapped(self.scope, d.unmapped_folder) if d.unmapped_folder else 0
        if is_withheld(doc):  # its access is decided as any other's, but it is never evidence
            return posts
        if conventions:
            doc.meeting_id = self._meeting(doc)
        return posts + self._evidence(doc, d, old_return_id, result)

    def _meeting(self, doc: Document) -> int | None:
        parts = doc.path.split("/")
        if len(parts) < 2 or parts[0].lower() != self.conv.meetings_folder.lower():
            return None
        m = _DATED.match(parts[1])
        if not m:
            return None
        try:
            day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
        meeting = meeting_store.on_date(self.scope.session, day, self.scope.tz)
        return meeting.id if meeting else None

    def _evidence(
        self, doc: Document, d: access.Decision, old_return_id: int | None, result: PageResult
    ) -> int:
        """Evidence in an agency's folder belongs to its return for that year, whenever the
        return exists (a cycle launched after the file arrived is found by `settle_library`)."""
        ret = None
        if d.access == AGENCY and d.agency_id is not None:
            year = int(doc.path.split("/")[1])
            key = (year, d.agency_id)
            if key not in self.returns:
                self.returns[key] = doc_store.s11_return_for(self.scope.session, year, d.agency_id)
            ret = self.returns[key]
        doc.s11_return_id = ret.id if ret else None
        if ret is None or doc.is_folder or old_return_id == ret.id or is_letter_name(doc.name):
            return 0  # the bot's own feedback letter is filed there, but is not the agency's evidence
        if s11_workbooks.is_template(self.scope.session, doc.drive_item_id):
            return 0  # the bot's own blank workbook (/s11 template), not the agency's document
        return _document_received(self.scope, doc, ret.id, ret.agency, result)


def settle_library(scope: Scope, *, tell: bool = True) -> PageResult:
    """Re-decide access and Section 11 evidence for every stored document: after an agency, a
    folder mapping or a cycle changed (and at the end of each sync). Reads no text; loads only
    the documents whose decision or return changes."""
    result = PageResult()
    settle = Settler(scope)
    for doc_id, path, is_folder, unique, level, agency_id, roles, return_id in access_store.access_rows(
        scope.session
    ):
        d = access.decide(path, is_folder, unique, settle.unique, settle.rules, settle.agencies)
        if d.unmapped_folder and tell:
            result.posts += access.tell_unmapped(scope, d.unmapped_folder)
        same = (level, agency_id, roles) == (d.access, d.agency_id, d.roles)
        if same and d.access != AGENCY and return_id is None:
            continue
        doc = doc_store.get(scope.session, doc_id)
        assert doc is not None
        if same and d.access == AGENCY and d.agency_id is not None and not is_folder:
            year = int(path.split("/")[1])
            key = (year, d.agency_id)
            if key not in settle.returns:
                settle.returns[key] = doc_store.s11_return_for(scope.session, year, d.agency_id)
            ret = settle.returns[key]
            if (ret.id if ret else None) == return_id:
                continue
        result.posts += settle.document(doc, return_id, result, conventions=False)
        result.updated += 1
    return result


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
