"""Who may see a document, as a query clause (the store's half of commands/document_access.py).

A document's `access` was decided when it was stored (and is re-decided whenever an agency, a
folder mapping, a folder's name or a cycle changes): "open" for the board, "agency" for one
agency's Section 11 evidence, "unmapped" for evidence in a folder that names no agency, and
"restricted" for SharePoint's unique permissions or a folder the board file restricts, seen by
the roles in `access_roles` only. `visible_to(viewer)` is a composable clause: any read adds it
to its query (the visibility policy hands in the viewer).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import ColumnElement, and_, or_, select, true, update
from sqlalchemy.orm import Session

from store.models import Agency, Document, Member, S11Return

OPEN, AGENCY, UNMAPPED, RESTRICTED = "open", "agency", "unmapped", "restricted"
OFFICER_ROLES = frozenset({"chair", "qa_officer"})
LEAD_ROLE = "agency_lead"


@dataclass(frozen=True)
class DocumentViewer:
    """Whoever is reading: their role and the agencies they lead or deputise for."""

    role: str
    agency_ids: frozenset[int] = frozenset()

    @property
    def officer(self) -> bool:
        return self.role in OFFICER_ROLES


# Everything (the sync itself, `qabot` on the server): no filter at all.
EVERYTHING: DocumentViewer | None = None
# A place the whole board reads (an agenda posted to a channel): open documents only.
SHARED_PLACE = DocumentViewer(role="")


def roles_column(roles: tuple[str, ...]) -> str:
    """Roles stored so one LIKE finds one of them: ",chair,qa_officer,"."""
    return "," + ",".join(sorted(set(roles))) + ","


def visible_to(viewer: DocumentViewer | None) -> ColumnElement[bool]:
    """The documents this viewer may see (by access only; deleted files and folders are
    filtered by the reads themselves)."""
    if viewer is None:
        return true()
    return _clause(viewer)


@lru_cache(maxsize=256)
def _clause(viewer: DocumentViewer) -> ColumnElement[bool]:
    """visible_to's clause, built once per viewer: a clause is an immutable value (its
    parameters are the viewer's role and agencies), and building it again for each of a
    search's statements was a measurable part of `/docs search`."""
    own = list(viewer.agency_ids)
    allowed: list[ColumnElement[bool]] = [Document.access == OPEN]
    if viewer.role:
        allowed.append(and_(Document.access == RESTRICTED, Document.access_roles.like(f"%,{viewer.role},%")))
    if viewer.officer:
        allowed.append(Document.access.in_((AGENCY, UNMAPPED)))
    elif viewer.role == LEAD_ROLE and own:
        allowed.append(and_(Document.access == AGENCY, Document.access_agency_id.in_(own)))
    clause = or_(*allowed)
    if viewer.officer:
        return clause
    # Defence in depth: a document tied to another agency's return is never shown, whatever
    # its access says (members who are not leads see no return's evidence at all).
    if viewer.role == LEAD_ROLE and own:
        theirs = select(S11Return.id).where(S11Return.agency_id.in_(own))
        tied: ColumnElement[bool] = or_(Document.s11_return_id.is_(None), Document.s11_return_id.in_(theirs))
    else:
        tied = Document.s11_return_id.is_(None)
    return and_(clause, tied)


def lead_of(agency_id: int) -> DocumentViewer:
    return DocumentViewer(role=LEAD_ROLE, agency_ids=frozenset({agency_id}))


def viewer_of(session: Session, member: Member) -> DocumentViewer:
    """A member as a document viewer: an agency lead follows every agency they lead or
    deputise for (the board file allows several), as well as their own."""
    ids: set[int] = set()
    if member.role == LEAD_ROLE:
        if member.agency_id is not None:
            ids.add(member.agency_id)
        stmt = select(Agency.id).where(or_(Agency.lead_id == member.id, Agency.substitute_id == member.id))
        ids.update(session.scalars(stmt))
    return DocumentViewer(role=member.role, agency_ids=frozenset(ids))


def unique_folder_paths(session: Session) -> list[str]:
    """The paths of current folders with their own (unique) permissions in SharePoint."""
    stmt = select(Document.path).where(
        Document.is_folder.is_(True), Document.unique_permissions.is_(True), Document.deleted.is_(False)
    )
    return list(session.scalars(stmt))


def access_rows(
    session: Session,
) -> list[tuple[int, str, bool, bool, str, int | None, str | None, int | None]]:
    """(id, path, is folder, unique, access, agency id, roles, return id) of every current
    document: what
    re-deciding access reads, without loading any text."""
    stmt = select(
        Document.id,
        Document.path,
        Document.is_folder,
        Document.unique_permissions,
        Document.access,
        Document.access_agency_id,
        Document.access_roles,
        Document.s11_return_id,
    ).where(Document.deleted.is_(False))
    return [tuple(r) for r in session.execute(stmt)]  # type: ignore[misc]


def restriction_by_id(session: Session) -> dict[int, bool]:
    """Whether each current file is restricted (SharePoint's permissions or a restricted folder)."""
    stmt = select(Document.id, Document.access).where(
        Document.deleted.is_(False), Document.is_folder.is_(False)
    )
    return {doc_id: level == RESTRICTED for doc_id, level in session.execute(stmt)}


def names_of(session: Session, ids: list[int]) -> list[str]:
    out: list[str] = []
    for i in range(0, len(ids), 500):
        stmt = select(Document.name).where(Document.id.in_(ids[i : i + 500])).order_by(Document.name)
        out += session.scalars(stmt)
    return out


def unique_flags(session: Session, item_ids: list[str]) -> dict[str, bool]:
    """item id -> whether it is stored as having its own permissions in SharePoint."""
    out: dict[str, bool] = {}
    for i in range(0, len(item_ids), 500):
        stmt = select(Document.drive_item_id, Document.unique_permissions).where(
            Document.drive_item_id.in_(item_ids[i : i + 500])
        )
        out.update({item_id: bool(unique) for item_id, unique in session.execute(stmt)})
    return out


def set_unique_flags(session: Session, found: dict[str, bool]) -> int:
    """Store what SharePoint says now of each item's own permissions; how many changed."""
    stored = unique_flags(session, list(found))
    changed = [i for i, unique in found.items() if i in stored and stored[i] != unique]
    for item_id in changed:
        stmt = update(Document).where(Document.drive_item_id == item_id)
        session.execute(stmt.values(unique_permissions=found[item_id]))
    return len(changed)
