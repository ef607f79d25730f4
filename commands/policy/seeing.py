"""Whose rows a member may read or change.

`viewer(ctx)` is the one answer to "what may this person see": the store takes it and adds
the WHERE clauses (store/visibility.py). The chair, the QA officer and board members see the
board's picture; an agency lead sees the items of every agency they act for (the one they
belong to, and every one the board file names them lead or substitute of) and the actions
they own. Another agency's item is not found, not refused: its existence is not confirmed.
"""

from __future__ import annotations

from commands.context import Context
from commands.errors import PermissionDenied
from commands.policy.roles import AGENCY_LEAD, is_officer
from store import visibility
from store.document_access import DocumentViewer
from store.models import Action, Agency, Member
from store.visibility import Viewer

BOARD = visibility.BOARD  # the clock's own work and the QA channel's message threads

# ctx.extras keys: worked out once per command
_VIEWER, _AGENCIES = "policy.viewer", "policy.agencies"


def agencies(ctx: Context) -> frozenset[int]:
    """Every agency the person who typed acts for (their own, and those they lead or deputise)."""
    found = ctx.extras.get(_AGENCIES)
    if not isinstance(found, frozenset):
        found = visibility.agencies_of(ctx.session, ctx.actor) if ctx.actor.id is not None else frozenset()
        ctx.extras[_AGENCIES] = found
    return found


def _is_lead(m: Member) -> bool:
    return m.role == AGENCY_LEAD


def viewer(ctx: Context) -> Viewer:
    """What the person who typed may see, for every store read of the command."""
    found = ctx.extras.get(_VIEWER)
    if not isinstance(found, Viewer):
        m = ctx.actor
        found = Viewer(member_id=m.id, agencies=agencies(ctx) if _is_lead(m) else None)
        ctx.extras[_VIEWER] = found
    return found


def acts_for(ctx: Context, agency_id: int | None) -> bool:
    """Whether the person belongs to, leads or deputises for this agency."""
    return agency_id is not None and agency_id in agencies(ctx)


def require_may_change_action(ctx: Context, a: Action, doing: str) -> None:
    """The owner, the QA officer or the chair; an agency lead for the actions of any agency
    they act for."""
    m = ctx.actor
    if is_officer(m) or a.owner_id == m.id:
        return
    if _is_lead(m) and acts_for(ctx, a.agency_id):
        return
    owner = f"@{a.owner.handle}" if a.owner else "its owner"
    raise PermissionDenied(
        f"You cannot {doing} A-{a.id}: only {owner}, the QA officer or the chair can"
        + (" (or the lead of its agency)." if a.agency_id else ".")
    )


def require_may_file_for(ctx: Context, agency: Agency | None, doing: str) -> Agency | None:
    """The agency an agency lead's action is filed under: one they act for. Without one named,
    their own agency (or the only one they lead); naming another agency is refused, so a lead
    can neither log nor move an action out of sight of their agencies."""
    m = ctx.actor
    if not _is_lead(m):
        return agency
    mine = agencies(ctx)
    if agency is not None:
        if agency.id in mine:
            return agency
        raise PermissionDenied(
            f"Agency leads can only {doing} their own agency or one they lead or deputise "
            f"for, not {agency.name}; ask the QA officer."
        )
    if m.agency is not None:
        return m.agency
    if len(mine) == 1:
        return ctx.session.get(Agency, next(iter(mine)))
    return None


def document_viewer(ctx: Context) -> DocumentViewer:
    """The same person as a reader of the board's documents: the store adds where a document
    sits (Section 11 evidence, restricted folders, SharePoint's unique permissions) to it."""
    led = agencies(ctx) if _is_lead(ctx.actor) else frozenset()
    return DocumentViewer(role=ctx.actor.role, agency_ids=led)
