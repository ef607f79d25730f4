"""Someone answers in the thread of a Section 11 post: record it against the return, act on it.

- "submitted" (with or without a link; the first link is kept as the evidence) marks the
  return submitted, by whom and when;
- "extension to <date>" / "need an extension until 12 May" records the request and asks the
  QA officer and the chair in the QA channel, with Grant and Refuse buttons;
- anything else is kept as a comment, and the QA officer is told in the QA channel.

Only the agency's own people act for it. The chair or the QA officer may mark a return
submitted for an agency (e.g. it arrived by e-mail) — they are named as who did; their other
replies are kept as comments. Anyone else (another agency, a board member, someone not on
the board) is recorded and changes nothing.
"""

from __future__ import annotations

import re
from datetime import date

from commands import policy, posting
from commands.common import safeguard
from commands.context import Context
from commands.dates import format_date, parse_date
from commands.errors import UsageError
from commands.grammar import clean
from commands.registry import thread_reply
from commands.section11.common import (
    cycle_name,
    effective_deadline,
    possessive,
    return_snapshot,
    thread_key,
)
from commands.types import Button, Reply
from store import members
from store import section11 as s11
from store.models import OutboxMessage, S11Return, ThreadReply

HINT = "Reply “submitted <link>”, “extension to <date>”, or anything else to leave a comment."

_URL = re.compile(r"<?(https?://[^\s|>]+)")
_SUBMITTED = re.compile(r"\bsubmitted\b", re.I)
# "not submitted yet", "we haven't submitted", "will be submitted soon", "has it been submitted?"
_NEGATION = re.compile(r"\b(?:not|never|yet|will|soon|going to|when|if|cannot)\b|n't\b|\?", re.I)
_EXTENSION = re.compile(r"\bextension\b", re.I)
_EXT_DATE = re.compile(r"\b(?:to|until|till|til|by)\s+(?:the\s+)?(?P<date>.+)$", re.I)


def _first_url(text: str) -> str | None:
    m = _URL.search(text)
    return m.group(1).rstrip(".,;:)") if m else None


def _is_submitted(text: str) -> bool:
    without_urls = _URL.sub(" ", text)
    return bool(_SUBMITTED.search(without_urls)) and not _NEGATION.search(without_urls)


def _extension_date(ctx: Context, text: str) -> date | None:
    """The date asked for in "extension to 12 May" / "need an extension until 12/05/2027"."""
    ext = _EXTENSION.search(text)
    m = _EXT_DATE.search(text[ext.end() :]) if ext else None
    if not m:
        return None
    words = _URL.sub(" ", m.group("date")).strip(" .!?").split()
    for n in range(min(len(words), 5), 0, -1):
        try:
            return parse_date(" ".join(words[:n]), ctx.now, ctx.tz)
        except UsageError:
            continue
    return None


@thread_reply("s11")
def handle_reply(ctx: Context, root: OutboxMessage) -> Reply | None:
    if root.subject_type != "s11_return" or root.subject_id is None:
        return None  # a QA-channel post (extension request, escalation): the text is a command
    ret = s11.get_return(ctx.session, root.subject_id)
    if ret is None:
        return None
    text = clean(ctx.inbound.text_and_files())  # an attached file is evidence when no link is typed
    if not text:
        return Reply(data={"ignored": True})
    safeguard(ctx, text, HINT)
    actor = ctx.actor
    agency = ret.agency
    own = actor.id is not None and policy.acts_for(ctx, agency.id)
    officer = actor.id is not None and policy.is_officer(actor)
    reply_row = ThreadReply(
        outbox_id=root.id,
        platform=ctx.inbound.platform,
        platform_user=ctx.inbound.user_id[:64],
        member_id=actor.id,
        text=text,
        interpretation="ignored",
        message_id=ctx.inbound.message_id,
        received_at=ctx.now,
    )
    ctx.session.add(reply_row)
    if not own and not officer:
        ctx.session.flush()
        who = (
            "you are not on this board's member list"
            if actor.id is None
            else f"you are not with {agency.name}"
        )
        return Reply(
            lines=[
                f"Noted — but {who}, so this does not change {possessive(agency.name)} Section 11 return."
            ],
            visibility="channel",
            data={"interpretation": "ignored", "return_id": ret.id},
        )
    before = return_snapshot(ret)
    ret.last_reply_at, ret.last_reply_text = ctx.now, text
    if (
        actor.id is not None
        and actor.id in (agency.lead_id, agency.substitute_id)
        and ret.lead_replied_at is None
    ):
        ret.lead_replied_at = ctx.now
    if _is_submitted(text):
        reply_row.interpretation = "submitted"
        reply = _submitted(ctx, ret, text)
    elif own and _EXTENSION.search(text):
        reply_row.interpretation = "extension"
        ctx.session.flush()
        reply = _extension(ctx, ret, text, reply_row)
        if reply.data.get("interpretation") == "comment":
            reply_row.interpretation = "comment"
    else:
        reply_row.interpretation = "comment"
        ctx.session.flush()
        reply = _comment(ctx, ret, text, reply_row, notify=not officer or own)
    ctx.session.flush()
    after = return_snapshot(ret)
    ctx.audit("s11_return", ret.id, f"thread reply: {reply_row.interpretation}", before, after)
    reply.data.setdefault("interpretation", reply_row.interpretation)
    reply.data["return_id"] = ret.id
    return reply


def _submitted(ctx: Context, ret: S11Return, text: str) -> Reply:
    agency = ret.agency
    if ret.status == "submitted":
        return Reply(
            lines=[
                f"{possessive(agency.name)} {ret.cycle.year} return was already marked submitted. Thank you."
            ],
            visibility="channel",
        )
    url = _first_url(text)
    ret.status, ret.submitted_at, ret.submitted_by_id = "submitted", ctx.now, ctx.actor.id
    if url:
        ret.evidence_url = url[:500]
    lines = [f"Marked submitted by @{ctx.actor.handle}" + (f", evidence {ret.evidence_url}." if url else ".")]
    lines.append("No more reminders will be sent for it.")
    return Reply(
        title=f"Thank you — {possessive(agency.name)} {cycle_name(ret.cycle)} return is in",
        lines=lines,
        visibility="channel",
    )


def _extension(ctx: Context, ret: S11Return, text: str, reply_row: ThreadReply) -> Reply:
    agency, cycle = ret.agency, ret.cycle
    asked = _extension_date(ctx, text)
    if ret.status == "submitted":
        return _comment(ctx, ret, text, reply_row, notify=True)
    if asked is None:
        reply = _comment(ctx, ret, text, reply_row, notify=True)
        reply.lines.append("To ask for an extension, say the date: e.g. “extension to 12/05/2027”.")
        return reply
    if asked <= effective_deadline(ret):
        reply = _comment(ctx, ret, text, reply_row, notify=True)
        reply.lines.append(
            f"{format_date(asked)} is not after the deadline ({format_date(effective_deadline(ret))}), "
            "so I have not recorded it as an extension request."
        )
        return reply
    ret.extension_requested_to = asked
    if ret.status != "extension_granted":
        ret.status = "extension_requested"
    officers = members.by_role(ctx.session, "qa_officer", "chair")
    posting.to_channel(
        ctx,
        "qa",
        key=f"s11:{cycle.id}:{agency.id}:extension-request:{reply_row.id}",
        kind="s11_extension",
        reply=Reply(
            title=f"{agency.name} asks for a Section 11 extension to {format_date(asked)}",
            lines=[
                f"{cycle_name(cycle)}: deadline {format_date(effective_deadline(ret))}. "
                f"@{ctx.actor.handle} wrote in their thread: “{text}”",
                "For " + " and ".join(f"{m.name} (@{m.handle})" for m in officers) + " to decide: "
                f"/s11 extend {agency.name} {asked.strftime('%d/%m/%Y')} or /s11 refuse {agency.name}.",
            ],
            buttons=[
                Button(
                    action="s11_grant",
                    label="Grant",
                    command=f"s11 extend {agency.name} {asked.strftime('%d/%m/%Y')}",
                    style="primary",
                ),
                Button(
                    action="s11_refuse", label="Refuse", command=f"s11 refuse {agency.name}", style="danger"
                ),
            ],
            visibility="channel",
            data={"agency": agency.name, "to": asked.isoformat()},
        ),
    )
    return Reply(
        lines=[
            f"Extension to {format_date(asked)} asked for {agency.name}. "
            "The QA officer and the chair have been asked; you will hear in this thread."
        ],
        visibility="channel",
        data={"interpretation": "extension", "to": asked.isoformat()},
    )


def _comment(ctx: Context, ret: S11Return, text: str, reply_row: ThreadReply, *, notify: bool) -> Reply:
    agency, cycle = ret.agency, ret.cycle
    if notify:
        posting.to_channel(
            ctx,
            "qa",
            key=f"s11:{cycle.id}:{agency.id}:comment:{reply_row.id}",
            kind="s11_comment",
            reply=Reply(
                title=f"{agency.name} wrote in its Section 11 thread",
                lines=[
                    f"@{ctx.actor.handle}: “{text}”",
                    f"{cycle_name(cycle)}; see /s11 status {cycle.year}.",
                ],
                visibility="channel",
                data={"agency": agency.name, "thread_key": thread_key(cycle.id, agency.id)},
            ),
        )
    return Reply(
        lines=[
            "Noted against "
            + f"{possessive(agency.name)} return"
            + ("; the QA officer has been told." if notify else ".")
        ],
        visibility="channel",
        data={"interpretation": "comment"},
    )
