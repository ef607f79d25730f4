"""Documents mirrored from SharePoint: the item tree, search, links, and the sync's lease.

Graph's delta items carry no folder path, only their parent's id, so paths are rebuilt here
from `parent_item_id`; a rename or move of a folder recomputes the paths below it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from store import search as search_index
from store.document_access import SHARED_PLACE, DocumentViewer, lead_of, visible_to
from store.models import Document, DocumentLink, S11Cycle, S11Return

COUNT_CAP = search_index.COUNT_CAP  # a search counts its matches up to here ("more than 1,000")
MAX_TEXT = 400_000  # characters of extracted text kept per document


@dataclass
class ItemRecord:
    """One drive item as the sync saw it (platform-neutral)."""

    item_id: str
    parent_id: str | None
    name: str
    is_folder: bool = False
    deleted: bool = False
    web_url: str | None = None
    size: int | None = None
    mime_type: str | None = None
    modified_at: datetime | None = None
    modified_by: str | None = None
    content_text: str | None = None  # None: not extracted this time (kept as it was)
    text_failed: bool = False  # download or extraction failed: no text, read again next run
    unique_permissions: bool | None = None  # SharePoint: permissions of its own (None: not read)


@dataclass
class Change:
    doc: Document
    created: bool = False
    deleted: bool = False
    old_path: str | None = None
    old_s11_return_id: int | None = None


def by_item_ids(session: Session, ids: Iterable[str]) -> dict[str, Document]:
    wanted = list(set(ids))
    out: dict[str, Document] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        out.update(
            {
                d.drive_item_id: d
                for d in session.scalars(select(Document).where(Document.drive_item_id.in_(chunk)))
            }
        )
    return out


def _children(session: Session, parent_ids: list[str]) -> list[Document]:
    out: list[Document] = []
    for i in range(0, len(parent_ids), 500):
        chunk = parent_ids[i : i + 500]
        out += session.scalars(select(Document).where(Document.parent_item_id.in_(chunk)))
    return out


def apply_items(
    session: Session, records: list[ItemRecord], root_id: str | None, now: datetime
) -> list[Change]:
    """Store one delta page: upserts, deletions, and paths rebuilt from parent ids (including
    everything below a folder that was renamed, moved, deleted, or arrived after its children).
    Returns what changed, in order, for the folder conventions to look at."""
    known = by_item_ids(session, [r.item_id for r in records] + [r.parent_id for r in records if r.parent_id])
    changes: dict[str, Change] = {}
    deleted_folders: list[str] = []
    moved: list[Document] = []

    def note(doc: Document, **kw: object) -> Change:
        ch = changes.get(doc.drive_item_id)
        if ch is None:
            ch = Change(doc, old_path=doc.path, old_s11_return_id=doc.s11_return_id)
            changes[doc.drive_item_id] = ch
        for k, v in kw.items():
            setattr(ch, k, v)
        return ch

    for rec in records:
        if rec.item_id == root_id:
            continue
        doc = known.get(rec.item_id)
        if rec.deleted:
            if doc is not None and not doc.deleted:
                note(doc, deleted=True)
                doc.deleted, doc.synced_at = True, now
                if doc.is_folder:
                    deleted_folders.append(doc.drive_item_id)
            continue
        created = doc is None
        if doc is None:
            doc = Document(drive_item_id=rec.item_id, name=rec.name, path="", is_folder=rec.is_folder)
            session.add(doc)
            known[rec.item_id] = doc
            changes[rec.item_id] = Change(doc, created=True)
        else:
            note(doc)
        doc.parent_item_id = rec.parent_id
        doc.name, doc.is_folder, doc.deleted = rec.name, rec.is_folder, False
        doc.web_url, doc.size, doc.mime_type = rec.web_url, rec.size, rec.mime_type
        doc.modified_at, doc.modified_by, doc.synced_at = rec.modified_at, rec.modified_by, now
        if rec.content_text is not None:
            doc.content_text = rec.content_text[:MAX_TEXT]
        elif rec.text_failed:
            doc.content_text = None
        if rec.unique_permissions is not None:
            doc.unique_permissions = rec.unique_permissions
        new_path = _path(doc, known, root_id, session)
        if new_path != doc.path or created:
            doc.path = new_path
            if doc.is_folder:
                moved.append(doc)
    # Below renamed/moved/new folders: recompute paths, level by level (one query per level).
    level = moved
    while level:
        by_id = {d.drive_item_id: d for d in level}
        nxt = []
        for child in _children(session, list(by_id)):
            parent = by_id.get(child.parent_item_id or "")
            if parent is None:
                continue
            new_path = f"{parent.path}/{child.name}" if parent.path else child.name
            if new_path != child.path:
                note(child)
                child.path = new_path
                if child.is_folder:
                    nxt.append(child)
        level = nxt
    # Below deleted folders: everything is gone too (Graph may not list each child).
    level_ids = deleted_folders
    while level_ids:
        nxt_ids = []
        for child in _children(session, level_ids):
            if not child.deleted:
                note(child, deleted=True)
                child.deleted, child.synced_at = True, now
            if child.is_folder:
                nxt_ids.append(child.drive_item_id)
        level_ids = nxt_ids
    return list(changes.values())


def _path(doc: Document, known: dict[str, Document], root_id: str | None, session: Session) -> str:
    parent_id = doc.parent_item_id
    if not parent_id or parent_id == root_id:
        return doc.name
    parent = known.get(parent_id)
    if parent is None:
        parent = session.scalar(select(Document).where(Document.drive_item_id == parent_id))
        if parent is None:
            return doc.name  # the parent arrives later; its arrival fixes this path
        known[parent_id] = parent
    return f"{parent.path}/{doc.name}" if parent.path else doc.name


def versions(session: Session, ids: Iterable[str]) -> dict[str, tuple[datetime | None, int | None, bool]]:
    """(modified_at, size, has text) of the stored documents with these ids."""
    wanted = list(set(ids))
    out: dict[str, tuple[datetime | None, int | None, bool]] = {}
    for i in range(0, len(wanted), 500):
        stmt = select(
            Document.drive_item_id, Document.modified_at, Document.size, Document.content_text.is_not(None)
        ).where(Document.drive_item_id.in_(wanted[i : i + 500]))
        for item_id, modified, size, has_text in session.execute(stmt):
            out[item_id] = (modified, size, bool(has_text))
    return out


# ---- reading -------------------------------------------------------------------------------


def get(session: Session, doc_id: int) -> Document | None:
    return session.get(Document, doc_id)


_CURRENT_FILE = and_(Document.deleted.is_(False), Document.is_folder.is_(False))  # built once


def _visible[S: Select[Any]](stmt: S, viewer: DocumentViewer | None) -> S:
    return stmt.where(_CURRENT_FILE, visible_to(viewer))


def _viewer(viewer: DocumentViewer | None, scope_agency_id: int | None) -> DocumentViewer | None:
    """`scope_agency_id` is the older way of saying "an agency lead of this agency"."""
    return lead_of(scope_agency_id) if viewer is None and scope_agency_id is not None else viewer


def get_visible(
    session: Session,
    doc_id: int,
    *,
    viewer: DocumentViewer | None = None,
    scope_agency_id: int | None = None,
) -> Document | None:
    """A current file (not a folder, not deleted) this member may see."""
    stmt = _visible(select(Document), _viewer(viewer, scope_agency_id))
    return session.scalar(stmt.where(Document.id == doc_id))


def _like(word: str) -> str:
    escaped = word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(
    session: Session,
    words: list[str],
    *,
    viewer: DocumentViewer | None = None,
    scope_agency_id: int | None = None,
    limit: int = 10,
) -> tuple[list[Document], int]:
    """Documents matching every word by name or text (full-text: stems, any case or accent, whole
    words), best first, then newest; and how many match, up to COUNT_CAP + 1 (more than
    COUNT_CAP). Visibility as for every other read."""
    who = _viewer(viewer, scope_agency_id)
    return search_index.find(
        session, words, restrict=lambda stmt: _visible(stmt, who), restrict_key=("visible", who), limit=limit
    )


def recent(
    session: Session,
    *,
    viewer: DocumentViewer | None = None,
    scope_agency_id: int | None = None,
    limit: int = 10,
) -> list[Document]:
    stmt = _visible(select(Document), _viewer(viewer, scope_agency_id))
    return list(session.scalars(stmt.order_by(Document.modified_at.desc(), Document.id.desc()).limit(limit)))


def named(
    session: Session,
    text: str,
    *,
    viewer: DocumentViewer | None = None,
    scope_agency_id: int | None = None,
    limit: int = 5,
) -> list[Document]:
    """Documents whose name contains the text (exact name first)."""
    stmt = _visible(select(Document), _viewer(viewer, scope_agency_id)).where(
        func.lower(Document.name).like(_like(text), escape="\\")
    )
    rows = list(session.scalars(stmt.order_by(Document.modified_at.desc()).limit(50)))
    rows.sort(key=lambda d: d.name.lower() != text.lower())
    return rows[:limit]


def for_meeting(session: Session, meeting_id: int) -> list[Document]:
    """A meeting's papers: files in its Meetings folder, and files linked to it."""
    linked = select(DocumentLink.document_id).where(
        DocumentLink.target_type == "meeting", DocumentLink.target_id == meeting_id
    )
    stmt = _visible(select(Document), SHARED_PLACE).where(
        or_(Document.meeting_id == meeting_id, Document.id.in_(linked))
    )
    return list(session.scalars(stmt.order_by(Document.path)))


def for_target(session: Session, target_type: str, target_id: int) -> list[Document]:
    linked = select(DocumentLink.document_id).where(
        DocumentLink.target_type == target_type, DocumentLink.target_id == target_id
    )
    stmt = _visible(select(Document), SHARED_PLACE).where(Document.id.in_(linked))
    return list(session.scalars(stmt.order_by(Document.name)))


def links_of(session: Session, doc_id: int) -> list[DocumentLink]:
    stmt = select(DocumentLink).where(DocumentLink.document_id == doc_id).order_by(DocumentLink.id)
    return list(session.scalars(stmt))


def add_link(session: Session, doc_id: int, target_type: str, target_id: int) -> bool:
    """Link a document to an action, finding or meeting; False when already linked."""
    exists = session.scalar(
        select(DocumentLink.id).where(
            DocumentLink.document_id == doc_id,
            DocumentLink.target_type == target_type,
            DocumentLink.target_id == target_id,
        )
    )
    if exists is not None:
        return False
    session.add(DocumentLink(document_id=doc_id, target_type=target_type, target_id=target_id))
    session.flush()
    return True


def counts(session: Session) -> tuple[int, int]:
    """(files, folders) currently in the library."""
    stmt = (
        select(Document.is_folder, func.count())
        .where(Document.deleted.is_(False))
        .group_by(Document.is_folder)
    )
    found = {bool(k): int(v) for k, v in session.execute(stmt)}
    return found.get(False, 0), found.get(True, 0)


def s11_return_for(session: Session, year: int, agency_id: int) -> S11Return | None:
    stmt = (
        select(S11Return)
        .join(S11Cycle, S11Return.cycle_id == S11Cycle.id)
        .where(S11Cycle.year == year, S11Return.agency_id == agency_id)
        .order_by(S11Cycle.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)


# The sync's lease and the resync's generation sweep live in store/document_sync.py.
from store.document_sync import release_lease, renew_lease, take_lease  # noqa: E402

__all__ = ["ItemRecord", "release_lease", "renew_lease", "take_lease"]
