"""/docs map: tell the bot which agency a Section 11 evidence folder belongs to.

Evidence under `Section 11/<year>/<folder>/` is seen by that agency's leads only when the folder
names an agency; a folder that does not ("Surrey Police - evidence") is seen by the chair and
the QA officer only, and the QA officer is told once. Mapping it opens it to the agency, and
every stored document is re-decided at once (commands.documents.settle_library).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from commands import policy, resolve
from commands.common import safeguard
from commands.context import Context
from commands.document_access import MAPPING
from commands.documents import settle_library
from commands.errors import FieldError, UsageError, about_field
from commands.grammar import tokenize
from commands.groups import DOCS
from commands.registry import command
from commands.types import Reply
from store import state

MAP = '/docs map "<folder>" <agency>'


class DocsMapRequest(BaseModel):
    """An evidence folder's name (as in SharePoint) and the agency it holds evidence for."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    folder: str
    agency: str


def parse_map(ctx: Context, args: str) -> DocsMapRequest:
    toks = tokenize(args)
    if len(toks) < 2:
        raise UsageError(
            "Say the folder (in quotes if it has spaces) and the agency, "
            'e.g. /docs map "Police - evidence" Surrey Police.',
            MAP,
        )
    folder, agency_words = toks[0].strip(), toks[1:]
    if not folder or "/" in folder:
        raise FieldError(
            "Give the folder's own name, as it appears in SharePoint (no slashes).", MAP, field="folder"
        )
    with about_field("agency"):
        agency, used = resolve.agency(ctx, agency_words, MAP)
    if used != len(agency_words):
        raise FieldError(
            f'"{" ".join(agency_words[used:])}" is not part of an agency name.', MAP, field="agency"
        )
    return DocsMapRequest(folder=folder, agency=agency.name)


@command(
    DOCS,
    "map",
    request=DocsMapRequest,
    parse=parse_map,
    usage=MAP,
    example='/docs map "Police - evidence" Surrey Police',
    summary="say which agency a Section 11 evidence folder belongs to",
    allowed=policy.officers("map Section 11 evidence folders"),
)
def map_folder(ctx: Context, req: DocsMapRequest) -> Reply:
    folder = req.folder.strip()
    if not folder or "/" in folder:
        raise FieldError(
            "Give the folder's own name, as it appears in SharePoint (no slashes).", MAP, field="folder"
        )
    with about_field("folder"):  # kept (the mapping, its audit): a folder's name can identify a child
        safeguard(ctx, folder, MAP)
    with about_field("agency"):
        agency = resolve.agency_called(ctx, req.agency, MAP)
    key = MAPPING + folder.lower()
    before = state.get(ctx.session, key)
    state.put(ctx.session, key, str(agency.id), ctx.now)
    ctx.audit(
        "s11_folder", agency.id, "mapped", {"agency_id": before}, {"folder": folder, "agency": agency.name}
    )
    settled = settle_library(ctx)
    lines = [
        f'Evidence in Section 11 folders called "{folder}" is now {agency.name}\'s: its leads, the '
        "chair and the QA officer see it.",
        f"{settled.updated} stored document{'s' if settled.updated != 1 else ''} re-checked.",
    ]
    if settled.received:
        lines.append("Returns now marked document received: " + ", ".join(settled.received) + ".")
    return Reply(title=f'Mapped "{folder}" to {agency.name}', lines=lines, data={"agency": agency.name})
