"""Someone answers in the thread of a Section 11 post: record it against the return, act on it,
and say what was understood, with buttons and reply words to correct it.

The reply is read with the shared vocabulary (commands/understanding/):
- submitted ("submitted <link>", "✅ done", "sent it over this morning"; the first link is kept
  as the evidence) marks the return submitted, by whom and when — late if after the deadline;
- an extension request ("extension to 12 May", "another 2 weeks", counted from the current
  deadline) records the request and asks the QA officer and the chair in the QA channel, with
  Grant and Refuse buttons; a date that does not exist is named and nothing is asked;
- "not submitted yet", a question, or anything else is kept as a comment, and the QA officer
  is told in the QA channel; "thanks" / "👍" is recorded and answered with silence;
- "undo", "that was a submission", "that was a comment" correct the reply before
  (commands/section11/reply_corrections.py).

Only the agency's own people act for it. The chair or the QA officer may mark a return
submitted for an agency (e.g. it arrived by e-mail) — they are named as who did; their other
replies are kept as comments. Anyone else (another agency, a board member, someone not on
the board) is recorded and changes nothing.
"""

from __future__ import annotations

from commands import policy, posting, thread_record
from commands.common import safeguard
from commands.context import Context
from commands.dates import format_date
from commands.grammar import clean
from commands.registry import thread_reply
from commands.section11 import outcomes, reply_corrections, workbook_posted
from commands.section11.common import (
    cycle_name,
    effective_deadline,
    possessive,
    return_snapshot,
)
from commands.types import Button, Reply
from commands.understanding import Reading, correction, describe, extension_ask, read
from store import members
from store import section11 as s11
from store.models import OutboxMessage, S11Return, ThreadReply

HINT = "Reply “submitted <link>”, “extension to <date>”, or anything else to leave a comment."
_COMMENT_WORDS = {
    "not_yet": "not submitted yet; reminders continue",
    "question": "a question",
    "comment": "a comment",
}


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
    reply_row = thread_record.record(ctx, root, text)
    if not own and not officer:
        return thread_record.not_theirs(
            ctx, agency.name, f"{possessive(agency.name)} Section 11 return", {"return_id": ret.id}
        )
    fix = correction(ctx.inbound.text)
    if fix is not None:
        reply_row.interpretation = "correction"
        ctx.session.flush()
        return reply_corrections.by_reply_word(ctx, ret, reply_row, fix)
    posted = workbook_posted.read_posted(ctx, ret)
    if posted.reply is not None:
        # A QA Bot workbook was read: its outcome (stored, or its errors) is the answer.
        reply_row.interpretation = "workbook"
        ret.last_reply_at, ret.last_reply_text = ctx.now, text
        ctx.session.flush()
        reply = posted.reply
        reply.lines += posted.notes
        reply.data |= {"interpretation": "workbook", "return_id": ret.id}
        reply.data["reply_ref"] = outcomes.ref(reply_row)
        return reply
    reading = read(ctx.inbound.text_and_files())  # an attached file is the evidence when no link is typed
    if reading.intent == "ack":
        # "Thanks!" / "👍": kept with the thread, nothing to do, nothing said.
        reply_row.interpretation = "ack"
        ctx.session.flush()
        return Reply(data={"ignored": True, "interpretation": "ack", "return_id": ret.id})
    before = return_snapshot(ret)
    ret.last_reply_at, ret.last_reply_text = ctx.now, text
    if (
        actor.id is not None
        and actor.id in (agency.lead_id, agency.substitute_id)
        and ret.lead_replied_at is None
    ):
        ret.lead_replied_at = ctx.now
    if reading.intent == "submitted":
        reply_row.interpretation = "submitted"
        reply = _submitted(ctx, ret, reading)
    elif own and reading.intent == "extension":
        reply_row.interpretation = "extension"
        ctx.session.flush()
        reply = _extension(ctx, ret, text, reading, reply_row)
        if reply.data.get("interpretation") == "comment":
            reply_row.interpretation = "comment"
    else:
        reply_row.interpretation = reading.intent if reading.intent in _COMMENT_WORDS else "comment"
        ctx.session.flush()
        reply = _comment(ctx, ret, text, reply_row, notify=not officer or own)
    ctx.session.flush()
    after = return_snapshot(ret)
    ctx.audit("s11_return", ret.id, f"thread reply: {reply_row.interpretation}", before, after)
    reply.data["interpretation"] = reply_row.interpretation
    reply.data["return_id"] = ret.id
    reply.data["reply_ref"] = outcomes.ref(reply_row)
    reply.lines += posted.notes
    reply.lines += [*outcomes.keep_informed(ctx, ret), outcomes.CORRECT_HINT]
    reply.buttons = outcomes.correction_buttons(reply_row)
    return reply


def _submitted(ctx: Context, ret: S11Return, reading: Reading) -> Reply:
    agency = ret.agency
    if ret.status == "submitted":
        return Reply(
            lines=[
                f"{possessive(agency.name)} {ret.cycle.year} return was already marked submitted. Thank you."
            ],
            visibility="channel",
        )
    outcomes.mark_submitted(ret, at=ctx.now, by_id=ctx.actor.id, url=reading.url)
    return Reply(
        title=f"Thank you — {possessive(agency.name)} {cycle_name(ret.cycle)} return is in",
        lines=[outcomes.submitted_line(ctx, ret), "No more reminders will be sent for it."],
        visibility="channel",
    )


def _extension(ctx: Context, ret: S11Return, text: str, reading: Reading, reply_row: ThreadReply) -> Reply:
    agency, cycle = ret.agency, ret.cycle
    deadline = effective_deadline(ret)
    ask = extension_ask(reading.text, deadline=deadline, now=ctx.now, tz=ctx.tz)
    asked = ask.to
    if ret.status == "submitted":
        return _comment(ctx, ret, text, reply_row, notify=True)
    if ask.problem:
        reply = _comment(ctx, ret, text, reply_row, notify=True)
        reply.lines.append(
            f"{ask.problem}, so no extension has been asked: say the date again, "
            "e.g. “extension to 12/05/2027”."
        )
        return reply
    if asked is None:
        reply = _comment(ctx, ret, text, reply_row, notify=True)
        reply.lines.append(
            "To ask for an extension, say the date or how long: e.g. “extension to 12/05/2027” "
            "or “extension of 2 weeks”."
        )
        return reply
    if asked <= deadline:
        reply = _comment(ctx, ret, text, reply_row, notify=True)
        reply.lines.append(
            f"{format_date(asked)} is not after the deadline ({format_date(deadline)}), "
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
                f"{cycle_name(cycle)}: deadline {format_date(deadline)}. "
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
            f"Recorded: {agency.name} — extension asked to {describe(ask, deadline)}. "
            "The QA officer and the chair have been asked; you will hear in this thread."
        ],
        visibility="channel",
        data={"interpretation": "extension", "to": asked.isoformat()},
    )


def _comment(ctx: Context, ret: S11Return, text: str, reply_row: ThreadReply, *, notify: bool) -> Reply:
    agency = ret.agency
    if notify:
        outcomes.tell_qa(
            ctx,
            ret,
            event=f"comment:{reply_row.id}",
            title=f"{agency.name} wrote in its Section 11 thread",
            lines=[f"@{ctx.actor.handle}: “{text}”"],
        )
    what = _COMMENT_WORDS.get(reply_row.interpretation, "a comment")
    said = (
        f"Recorded: {agency.name} — {what}"
        if reply_row.interpretation == "not_yet"
        else f"Recorded as {what}"
    )
    return Reply(
        lines=[
            said
            + (" — the QA officer has been told." if notify else f" on {possessive(agency.name)} return.")
        ],
        visibility="channel",
        data={"interpretation": "comment"},
    )
