"""`/qa redact A-<n>|F-<n>|post-<n> [reason]`: erasure that really erases (QA officer or chair).

The item's text (and an action's closing note) is replaced — by its anonymised version when
the guard finds what identifies, otherwise by "[redacted]" (the officer has seen what the guard
missed) — and so is every copy the bot made of it (store/redaction.py: audit snapshots, thread
replies, outbox payloads, the delivery log, agenda items). The audit keeps who, when, why and
that a redaction happened; never the text. A post the bot already sent cannot be recalled from
here: each of its posts that carried the text is edited to the redacted version through the
outbox (commands/redaction_edits.py); the reply says which, and which people's own messages
(a bot cannot edit those) the officer must ask to be deleted.

Spelled `/qa redact` so no platform needs a new slash command registered.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from commands import guard, policy, redaction_edits
from commands.common import board_vocabulary, safeguard
from commands.context import Context
from commands.errors import FieldError, NotFound
from commands.groups import QA
from commands.registry import command
from commands.types import Reply
from store import audit, redaction
from store.models import Action, Finding, OutboxMessage

USAGE = "/qa redact A-<n>|F-<n>|post-<n> [reason]"
REDACTED = "[redacted]"
_REF = re.compile(r"^(?P<kind>A|F|post)-?(?P<n>\d{1,9})$", re.I)


class RedactRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    ref: str  # A-12, F-3 or post-40 (an outbox post's number, shown by `qabot outbox`)
    reason: str | None = None


def parse_redact(ctx: Context, args: str) -> RedactRequest:
    toks = args.split(maxsplit=1)
    if not toks:
        raise FieldError("Say what to redact: A-12, F-3 or post-40.", USAGE, field="ref")
    return RedactRequest(ref=toks[0], reason=toks[1] if len(toks) > 1 else None)


def replacement(ctx: Context, text: str) -> str:
    vocabulary = board_vocabulary(ctx.session)
    if guard.check(text, vocabulary):
        safe = guard.anonymise(text, vocabulary)
        if not guard.check(safe, vocabulary):
            return safe
    return REDACTED


@command(
    QA,
    "redact",
    request=RedactRequest,
    parse=parse_redact,
    usage=USAGE,
    example="/qa redact A-1 a child's name in the text",
    summary="erase identifying text from an item and every copy of it",
    allowed=policy.officers("redact"),
)
def redact(ctx: Context, req: RedactRequest) -> Reply:
    m = _REF.match(req.ref.strip())
    if not m:
        raise FieldError(f'"{req.ref}" is not A-12, F-3 or post-40.', USAGE, field="ref")
    if req.reason:
        safeguard(ctx, req.reason, USAGE)  # the reason is kept in the audit log
    kind, n = m.group("kind").lower(), int(m.group("n"))
    olds: list[str] = []
    if kind == "a":
        action = ctx.session.get(Action, n)
        if action is None:
            raise NotFound(f"There is no action A-{n}.", USAGE)
        entity, label = "action", f"A-{n}"
        olds = [action.text, *([action.closing_note] if action.closing_note else [])]
        action.text = replacement(ctx, action.text)
        if action.closing_note:
            action.closing_note = replacement(ctx, action.closing_note)
        news = [action.text, *([action.closing_note] if action.closing_note else [])]
    elif kind == "f":
        finding = ctx.session.get(Finding, n)
        if finding is None:
            raise NotFound(f"There is no finding F-{n}.", USAGE)
        entity, label = "finding", f"F-{n}"
        olds = [finding.text]
        finding.text = replacement(ctx, finding.text)
        news = [finding.text]
    else:
        post = ctx.session.get(OutboxMessage, n)
        if post is None:
            raise NotFound(f"There is no post post-{n}.", USAGE)
        entity, label = "outbox", f"post-{n}"
        olds = [str(x) for x in [post.payload.get("title"), *post.payload.get("lines", [])] if x]
        news = [replacement(ctx, t) for t in olds]
    if entity != "outbox":  # earlier versions of the text, kept in the audit snapshots
        for event in audit.history(ctx.session, entity, n):
            for snap in (event.before or {}, event.after or {}):
                for key in ("text", "closing_note"):
                    value = snap.get(key)
                    if isinstance(value, str) and value and value not in olds and value not in news:
                        olds.append(value)
                        news.append(replacement(ctx, value))
    totals = redaction.Scrubbed()
    for old, new in zip(olds, news, strict=True):
        if old != new:
            done = redaction.scrub(ctx.session, old, new)
            totals.audit += done.audit
            totals.thread_replies += done.thread_replies
            totals.outbox += done.outbox
            totals.deliveries += done.deliveries
            totals.agenda_items += done.agenda_items
            totals.sent += [s for s in done.sent if s not in totals.sent]
            totals.unsure += [s for s in done.unsure if s not in totals.unsure]
            totals.people += [p for p in done.people if p not in totals.people]
    ctx.audit(entity, n, "redacted", None, {"reason": req.reason})
    lines = [
        f"{label} now reads: {news[0]}",
        f"Copies replaced: {totals.audit} audit snapshots, {totals.thread_replies} thread replies, "
        f"{totals.outbox} posts, {totals.deliveries} delivery records, {totals.agenda_items} agenda items.",
    ]
    edit_ids, posted = redaction_edits.queue(ctx, totals)
    lines += posted
    return Reply(title=f"Redacted {label}", lines=lines, data={"ref": label, "edits": edit_ids})
