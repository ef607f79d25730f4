"""/docs: search the board's SharePoint documents, link them to actions, findings, meetings."""

from __future__ import annotations

import re

from commands import permissions, resolve
from commands.context import Context
from commands.dates import format_datetime
from commands.errors import NotFound, UsageError
from commands.grammar import ref_number, tokenize
from commands.groups import DOCS
from commands.help import group_help
from commands.registry import command
from commands.types import Reply
from store import documents as doc_store
from store import items
from store.models import Document

SEARCH = "/docs search <words>"
LINK = "/docs link <D-n|document name> A-<n>|F-<n>|meeting <date>"
RECENT = "/docs recent"
HELP = "/docs help"

SNIPPET = 90


def _scope(ctx: Context) -> int | None:
    return permissions.agency_scope(ctx.actor)


def _line(ctx: Context, d: Document) -> str:
    parts = [f"D-{d.id}", d.path or d.name]
    if d.modified_at:
        when = format_datetime(d.modified_at, ctx.tz)
        parts.append(f"modified {when}" + (f" by {d.modified_by}" if d.modified_by else ""))
    line = " · ".join(parts)
    return line + (f"\n    {d.web_url}" if d.web_url else "")


def _snippet(text: str | None, words: list[str]) -> str | None:
    if not text:
        return None
    low = text.lower()
    for w in words:
        i = low.find(w.lower())
        if i >= 0:
            start = max(0, i - SNIPPET // 2)
            piece = " ".join(text[start : start + SNIPPET].split())
            return ("…" if start else "") + piece + "…"
    return None


@command(
    DOCS,
    "search",
    usage=SEARCH,
    example="/docs search neglect audit",
    summary="find documents by name or by words inside them",
    aliases=("find",),
)
def search(ctx: Context, args: str) -> Reply:
    words = [w for w in tokenize(args) if w.strip()]
    if not words:
        raise UsageError("Say what to look for, e.g. /docs search neglect audit.", SEARCH)
    if any(len(w) > 100 for w in words) or len(words) > 10:
        raise UsageError("Search with up to 10 words of up to 100 characters each.", SEARCH)
    rows, total = doc_store.search(ctx.session, words, scope_agency_id=_scope(ctx))
    shown = " ".join(words)
    if not rows:
        return Reply(
            title=f'No documents match "{shown}"',
            lines=["Names and the text of Word, PDF and Excel files are searched. Try fewer words."],
        )
    lines: list[str] = []
    for d in rows:
        lines.append(_line(ctx, d))
        snip = _snippet(d.content_text, words)
        if snip and not all(w.lower() in d.name.lower() for w in words):
            lines.append(f"    “{snip}”")
    if total > len(rows):
        lines.append(f"…and {total - len(rows)} more; add a word to narrow the search.")
    return Reply(
        title=f'Documents matching "{shown}" ({total})', lines=lines, data={"ids": [d.id for d in rows]}
    )


_DOC_REF = re.compile(r"^D-?(\d{1,9})$", re.I)
_TARGET = re.compile(r"^(?:[AF]-?\d{1,9}|meeting)$", re.I)


def _document(ctx: Context, words: list[str]) -> Document:
    text = " ".join(words)
    m = _DOC_REF.match(text)
    scope = _scope(ctx)
    if m:
        doc = doc_store.get_visible(ctx.session, int(m.group(1)), scope_agency_id=scope)
        if doc is None:
            raise NotFound(f"There is no document D-{m.group(1)}. Find one with /docs search.", LINK)
        return doc
    found = doc_store.named(ctx.session, text, scope_agency_id=scope)
    if not found:
        raise NotFound(
            f'No document is called "{text}". Find it with /docs search and use its D- number.', LINK
        )
    if len(found) > 1 and found[0].name.lower() != text.lower():
        names = "; ".join(f"D-{d.id} {d.name}" for d in found)
        raise UsageError(f'"{text}" matches several documents: {names}. Use the D- number.', LINK)
    return found[0]


@command(
    DOCS,
    "link",
    usage=LINK,
    example="/docs link D-12 A-34",
    summary="link a document to an action, finding or meeting",
    allowed=permissions.board_members("link documents"),
)
def link(ctx: Context, args: str) -> Reply:
    toks = tokenize(args)
    at = next((i for i, t in enumerate(toks) if i > 0 and _TARGET.match(t)), None)
    if not toks or at is None:
        raise UsageError("Say which document and what to link it to.", LINK)
    doc = _document(ctx, toks[:at])
    target = toks[at]
    rest = toks[at + 1 :]
    if target.lower() == "meeting":
        meeting, used = resolve.meeting_on(ctx, rest, LINK)
        rest = rest[used:]
        kind, target_id, label = (
            "meeting",
            meeting.id,
            f"the {meeting.title} of {format_datetime(meeting.starts_at, ctx.tz)}",
        )
    elif target.upper().startswith("A"):
        n = ref_number(target, "A", LINK)
        action = items.get_action(ctx.session, n)
        if action is None or not permissions.can_see_action(ctx.actor, action):
            raise NotFound(f"There is no action A-{n}.", LINK)
        kind, target_id, label = "action", action.id, f"A-{action.id}"
    else:
        n = ref_number(target, "F", LINK)
        finding = items.get_finding(ctx.session, n)
        if finding is None:
            raise NotFound(f"There is no finding F-{n}.", LINK)
        kind, target_id, label = "finding", finding.id, f"F-{finding.id}"
    if rest:
        raise UsageError(f'"{" ".join(rest)}" is not part of a link.', LINK)
    if not doc_store.add_link(ctx.session, doc.id, kind, target_id):
        return Reply(title=f"D-{doc.id} was already linked to {label}", lines=[_line(ctx, doc)])
    ctx.audit("document", doc.id, "linked", None, {"target": kind, "target_id": target_id, "name": doc.name})
    return Reply(
        title=f"Linked D-{doc.id} to {label}",
        lines=[_line(ctx, doc)],
        visibility="channel",
        data={"ref": f"D-{doc.id}", "target": f"{kind}:{target_id}"},
    )


@command(
    DOCS,
    "recent",
    usage=RECENT,
    example="/docs recent",
    summary="the documents changed most recently",
    aliases=("latest",),
)
def recent(ctx: Context, args: str) -> Reply:
    if args.strip():
        raise UsageError(f'"/docs recent" takes nothing after it (got "{args.strip()}").', RECENT)
    rows = doc_store.recent(ctx.session, scope_agency_id=_scope(ctx))
    if not rows:
        return Reply(
            title="No documents yet",
            lines=["Nothing has been synced from SharePoint yet (the QA officer can run `qabot docs sync`)."],
        )
    return Reply(
        title="Recently changed documents",
        lines=[_line(ctx, d) for d in rows],
        data={"ids": [d.id for d in rows]},
    )


@command(DOCS, "help", usage=HELP, example="/docs help", summary="these commands", hidden=True)
def help_(ctx: Context, args: str) -> Reply:
    return group_help("docs")
