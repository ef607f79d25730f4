"""Who may see a document, decided from where it is and from SharePoint's own permissions.

- Section 11 evidence (`<section11 folder>/<year>/<agency folder>/…`) is seen by the chair, the
  QA officer and that agency's leads only; a folder that names no agency (and that the QA
  officer has not mapped with /docs map) by the chair and the QA officer only, and the QA
  officer is told once.
- An item with unique (broken-inheritance) permissions in SharePoint, anything below it, and
  anything in a folder the board file restricts, is seen by the roles the board file names
  (by default the chair and the QA officer), by name only: its text is not kept.

The decision is stored on each document (store/document_access.py reads it as a query clause)
and re-made for every stored document whenever an agency, a mapping, a folder or a cycle
changes (`settle_library`), so nothing depends on what existed when a file arrived.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from commands.context import Scope
from commands.posting import to_channel
from commands.registry import no_thread_reply
from commands.types import Reply
from store import document_access as access_store
from store import members, state
from store.document_access import AGENCY, OPEN, RESTRICTED, UNMAPPED, roles_column
from store.models import Agency, Board, Document

DEFAULT_RESTRICTED_ROLES = ("chair", "qa_officer")
MAPPING = "sharepoint:s11map:"  # + the folder name, lower case -> agency id

no_thread_reply(
    "s11_unmapped_folder",
    "a notice to the QA officer that Section 11 evidence sits in a folder naming no agency: "
    "they answer with /docs map",
)


@dataclass(frozen=True)
class AccessRules:
    section11_folder: str
    restricted_folders: tuple[tuple[str, tuple[str, ...]], ...]  # (folder path, lower case; roles)
    unique_roles: tuple[str, ...]


def access_rules(board: Board) -> AccessRules:
    cfg: dict[str, Any] = (board.config or {}).get("sharepoint") or {}
    folders = tuple(
        (str(f.get("path") or "").strip("/").lower(), tuple(f.get("roles") or DEFAULT_RESTRICTED_ROLES))
        for f in cfg.get("restricted_folders") or []
        if isinstance(f, dict) and str(f.get("path") or "").strip("/")
    )
    unique = tuple(cfg.get("unique_permission_roles") or DEFAULT_RESTRICTED_ROLES)
    return AccessRules(str(cfg.get("section11_folder") or "Section 11").strip("/"), folders, unique)


@dataclass(frozen=True)
class Decision:
    access: str
    agency_id: int | None = None
    roles: str | None = None
    unmapped_folder: str | None = None  # "Section 11/2027/Surrey Police - evidence"


@dataclass
class FolderAgencies:
    """Which agency an evidence folder's name means: the QA officer's mapping, the agency's
    exact name, or the one agency whose name holds every word of the folder's."""

    scope: Scope
    found: dict[str, Agency | None] = field(default_factory=dict)

    def __call__(self, folder: str) -> Agency | None:
        key = folder.strip().lower()
        if key not in self.found:
            self.found[key] = self._look_up(key)
        return self.found[key]

    def _look_up(self, key: str) -> Agency | None:
        mapped = state.get(self.scope.session, MAPPING + key)
        if mapped:
            return self.scope.session.get(Agency, int(mapped))
        exact = members.agency_by_name(self.scope.session, key)
        if exact is not None:
            return exact
        words = [w for w in key.replace("’", "'").split() if w]
        found = [
            a
            for a in members.all_agencies(self.scope.session)
            if words and all(w in a.name.lower().replace("’", "'") for w in words)
        ]
        return found[0] if len(found) == 1 else None


def decide(
    path: str,
    is_folder: bool,
    unique: bool,
    unique_folders: list[str],
    rules: AccessRules,
    agencies: FolderAgencies,
) -> Decision:
    low = path.lower()
    under = [f for f in unique_folders if low.startswith(f + "/")]
    if unique or under:
        return Decision(RESTRICTED, roles=roles_column(rules.unique_roles))
    for folder, roles in rules.restricted_folders:
        if low == folder or low.startswith(folder + "/"):
            return Decision(RESTRICTED, roles=roles_column(roles))
    parts = path.split("/")
    if parts[0].lower() != rules.section11_folder.lower() or len(parts) < 2:
        return Decision(OPEN)
    if len(parts) < 3 or not parts[1].isdigit():
        return Decision(UNMAPPED)  # beside the year folders, not in an agency's: officers only
    agency = agencies(parts[2])
    if agency is None:
        named_folder = len(parts) > 3 or is_folder
        return Decision(UNMAPPED, unmapped_folder="/".join(parts[:3]) if named_folder else None)
    return Decision(AGENCY, agency_id=agency.id)


def apply_decision(doc: Document, d: Decision) -> bool:
    """Store the decision on the document; True when it changed. A restricted document keeps
    its name only: its text is dropped (read again at the next sync if it is ever opened up)."""
    changed = (doc.access, doc.access_agency_id, doc.access_roles) != (d.access, d.agency_id, d.roles)
    if d.access == RESTRICTED and doc.content_text:
        doc.content_text = ""
    elif changed and doc.access == RESTRICTED and not doc.is_folder:
        doc.content_text = None  # opened up: the settler marks it owed a read
    doc.access, doc.access_agency_id, doc.access_roles = d.access, d.agency_id, d.roles
    return changed


def tell_unmapped(scope: Scope, folder: str) -> int:
    """Tell the QA officer, once per folder, that its evidence is hidden until mapped."""
    name = folder.rsplit("/", 1)[-1]
    reply = Reply(
        title="Section 11 evidence in a folder that names no agency",
        lines=[
            f'Files in {folder} are under the Section 11 evidence folder, but "{name}" names no '
            "agency on the board. Only the chair and the QA officer can see them until you map it:",
            f'/docs map "{name}" <agency>',
        ],
        visibility="channel",
    )
    key = f"s11-unmapped:{folder.lower()}"
    return len(to_channel(scope, "qa", key=key, kind="s11_unmapped_folder", reply=reply))


def unique_folders(scope: Scope) -> list[str]:
    return [p.lower() for p in access_store.unique_folder_paths(scope.session)]
