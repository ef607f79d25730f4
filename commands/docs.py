"""/docs: search the board's SharePoint documents, link them to actions, findings, meetings."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict

from commands import policy, resolve
from commands.context import Context
from commands.dates import format_datetime, local_date
from commands.document_health import STALENESS_FACTS, staleness
from commands.document_search import guard_words, search_reads, snippet
from commands.errors import FieldError, NotFound, UsageError, about_field
from commands.fields import ActionRef, FindingRef
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

MAX_WORDS, MAX_WORD = 10, 100

_MODEL = ConfigDict(frozen=True, extra="forbid")


def _as_of(ctx: Context, lines: list[str], facts: Mapping[str, str | None] | None = None) -> list[str]:
    """Stale documents say so: "as of <last good sync>" (`facts`: the sync facts already read)."""
    note = staleness(ctx, facts)
    return [*lines, note] if note else lines


def _line(ctx: Context, d: Document) -> str:
    parts = [f"D-{d.id}", d.path or d.name]
    if d.modified_at:
        when = format_datetime(d.modified_at, ctx.tz)
        parts.append(f"modified {when}" + (f" by {d.modified_by}" if d.modified_by else ""))
    line = " · ".join(parts)
    return line + (f"\n    {d.web_url}" if d.web_url else "")


def _words(value: object) -> object:
    """A form may send the search as one line: split as the command line is."""
    return [w for w in tokenize(value) if w.strip()] if isinstance(value, str) else value


class DocsSearchRequest(BaseModel):
    """What to look for: words all found in a document's name or text."""

    model_config = _MODEL

    words: Annotated[list[str], BeforeValidator(_words)]


def parse_search(ctx: Context, args: str) -> DocsSearchRequest:
    return DocsSearchRequest(words=[w for w in tokenize(args) if w.strip()])


@command(
    DOCS,
    "search",
    request=DocsSearchRequest,
    parse=parse_search,
    usage=SEARCH,
    example="/docs search neglect audit",
    summary="find documents by name or by words inside them",
    aliases=("find",),
)
def search(ctx: Context, req: DocsSearchRequest) -> Reply:
    words = [w for w in req.words if w.strip()]
    if not words:
        raise FieldError("Say what to look for, e.g. /docs search neglect audit.", SEARCH, field="words")
    if any(len(w) > MAX_WORD for w in words) or len(words) > MAX_WORDS:
        raise FieldError(
            f"Search with up to {MAX_WORDS} words of up to {MAX_WORD} characters each.", SEARCH, field="words"
        )
    shown = " ".join(words)
    # Read once a reply, for the words and every snippet, with the sync facts the reply shows.
    vocabulary, facts = search_reads(ctx.session, STALENESS_FACTS)
    with about_field("words"):  # the words come back in the reply, which the delivery record keeps
        guard_words(ctx, shown, SEARCH, vocabulary)
    rows, total = doc_store.search(ctx.session, words, viewer=policy.document_viewer(ctx))
    if not rows:
        return Reply(
            title=f'No documents match "{shown}"',
            lines=_as_of(
                ctx, ["Names and the text of Word, PDF and Excel files are searched. Try fewer words."], facts
            ),
        )
    lines: list[str] = []
    for d in rows:
        lines.append(_line(ctx, d))
        if all(w.lower() in d.name.lower() for w in words):
            continue  # the name says it all
        snip = snippet(d, words, vocabulary)
        if snip:
            lines.append(f"    “{snip}”")
    many = total > doc_store.COUNT_CAP  # counting stops there
    counted = f"more than {doc_store.COUNT_CAP:,}" if many else str(total)
    if many:
        lines.append("…and many more; add a word to narrow the search.")
    elif total > len(rows):
        lines.append(f"…and {total - len(rows)} more; add a word to narrow the search.")
    return Reply(
        title=f'Documents matching "{shown}" ({counted})',
        lines=_as_of(ctx, lines, facts),
        data={"ids": [d.id for d in rows]},
    )


_DOC_REF = re.compile(r"^D-?(\d{1,9})$", re.I)
_TARGET = re.compile(r"^(?:[AF]-?\d{1,9}|meeting)$", re.I)


def _document(ctx: Context, words: list[str]) -> Document:
    text = " ".join(words)
    m = _DOC_REF.match(text)
    viewer = policy.document_viewer(ctx)
    if m:
        doc = doc_store.get_visible(ctx.session, int(m.group(1)), viewer=viewer)
        if doc is None:
            raise NotFound(f"There is no document D-{m.group(1)}. Find one with /docs search.", LINK)
        return doc
    found = doc_store.named(ctx.session, text, viewer=viewer)
    if not found:
        raise NotFound(
            f'No document is called "{text}". Find it with /docs search and use its D- number.', LINK
        )
    if len(found) > 1 and found[0].name.lower() != text.lower():
        names = "; ".join(f"D-{d.id} {d.name}" for d in found)
        raise UsageError(f'"{text}" matches several documents: {names}. Use the D- number.', LINK)
    return found[0]


class DocsLinkRequest(BaseModel):
    """A document (D-n, or its name) and the one item to link it to: an action, a finding, or
    the meeting on a day."""

    model_config = _MODEL

    document: str
    action: ActionRef | None = None
    finding: FindingRef | None = None
    meeting: date | None = None


def parse_link(ctx: Context, args: str) -> DocsLinkRequest:
    toks = tokenize(args)
    at = next((i for i, t in enumerate(toks) if i > 0 and _TARGET.match(t)), None)
    if not toks or at is None:
        raise UsageError("Say which document and what to link it to.", LINK)
    with about_field("document"):
        doc = _document(ctx, toks[:at])
    target = toks[at]
    rest = toks[at + 1 :]
    to: dict[str, object] = {}
    if target.lower() == "meeting":
        with about_field("meeting"):
            meeting, used = resolve.meeting_on(ctx, rest, LINK)
        rest = rest[used:]
        to["meeting"] = local_date(meeting.starts_at, ctx.tz)
    elif target.upper().startswith("A"):
        with about_field("action"):
            to["action"] = ref_number(target, "A", LINK)
    else:
        with about_field("finding"):
            to["finding"] = ref_number(target, "F", LINK)
    if rest:
        raise UsageError(f'"{" ".join(rest)}" is not part of a link.', LINK)
    return DocsLinkRequest.model_validate({"document": f"D-{doc.id}", **to})


@command(
    DOCS,
    "link",
    request=DocsLinkRequest,
    parse=parse_link,
    usage=LINK,
    example="/docs link D-12 A-34",
    summary="link a document to an action, finding or meeting",
    allowed=policy.board_members("link documents"),
)
def link(ctx: Context, req: DocsLinkRequest) -> Reply:
    with about_field("document"):
        doc = _document(ctx, req.document.split())
    targets = [name for name in ("action", "finding", "meeting") if getattr(req, name) is not None]
    if len(targets) != 1:
        problem = "Say what to link it to" if not targets else "Link it to one thing at a time"
        where = targets[-1] if targets else "action"
        raise FieldError(f"{problem}: an action, a finding or a meeting.", LINK, field=where)
    if req.meeting is not None:
        with about_field("meeting"):
            meeting = resolve.meeting_of_day(ctx, req.meeting, LINK)
        about: list[int] = []  # a meeting's papers are the board's
        kind, target_id, label = (
            "meeting",
            meeting.id,
            f"the {meeting.title} of {format_datetime(meeting.starts_at, ctx.tz)}",
        )
    elif req.action is not None:
        action = items.get_action(ctx.session, req.action, policy.viewer(ctx))
        if action is None:
            with about_field("action"):
                raise NotFound(f"There is no action A-{req.action}.", LINK)
        kind, target_id, label = "action", action.id, f"A-{action.id}"
        about = policy.about(action.agency_id)
    else:
        assert req.finding is not None  # exactly one target, checked above
        finding = items.get_finding(ctx.session, req.finding, policy.viewer(ctx))
        if finding is None:
            with about_field("finding"):
                raise NotFound(f"There is no finding F-{req.finding}.", LINK)
        kind, target_id, label = "finding", finding.id, f"F-{finding.id}"
        about = policy.about(finding.agency_id)
    if not doc_store.add_link(ctx.session, doc.id, kind, target_id):
        return Reply(title=f"D-{doc.id} was already linked to {label}", lines=[_line(ctx, doc)])
    ctx.audit("document", doc.id, "linked", None, {"target": kind, "target_id": target_id, "name": doc.name})
    return Reply(
        title=f"Linked D-{doc.id} to {label}",
        lines=[_line(ctx, doc)],
        visibility="channel",
        about_agencies=about,
        data={"ref": f"D-{doc.id}", "target": f"{kind}:{target_id}"},
    )


class DocsRecentRequest(BaseModel):
    """The documents changed most recently: nothing to choose."""

    model_config = _MODEL


def parse_recent(ctx: Context, args: str) -> DocsRecentRequest:
    if args.strip():
        raise UsageError(f'"/docs recent" takes nothing after it (got "{args.strip()}").', RECENT)
    return DocsRecentRequest()


@command(
    DOCS,
    "recent",
    request=DocsRecentRequest,
    parse=parse_recent,
    usage=RECENT,
    example="/docs recent",
    summary="the documents changed most recently",
    aliases=("latest",),
)
def recent(ctx: Context, req: DocsRecentRequest) -> Reply:
    rows = doc_store.recent(ctx.session, viewer=policy.document_viewer(ctx))
    if not rows:
        return Reply(
            title="No documents yet",
            lines=_as_of(
                ctx,
                ["Nothing has been synced from SharePoint yet (the QA officer can run `qabot docs sync`)."],
            ),
        )
    return Reply(
        title="Recently changed documents",
        lines=_as_of(ctx, [_line(ctx, d) for d in rows]),
        data={"ids": [d.id for d in rows]},
    )


@command(DOCS, "help", usage=HELP, example="/docs help", summary="these commands", hidden=True)
def help_(ctx: Context, args: str) -> Reply:
    return group_help("docs")
