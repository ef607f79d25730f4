"""An agency answers in its thread of a rapid review: the same reading as a Section 11 return
(commands/understanding/: submitted with a link, more time, a comment, thanks; "undo", "that
was a comment" / "that was a submission" to correct the reply before), the same recording
(commands/thread_record.py) and the same "Recorded: …" confirmation.

A "submitted" reply stops that agency's chasers. Asking for more time is recorded and told to
the QA officer and the chair; the statutory clock does not move. Only the agency's own people
(and the chair or the QA officer, e.g. for a summary that came by e-mail) act for it.
"""

from __future__ import annotations

from typing import Any

from commands import policy, posting, thread_record
from commands.common import safeguard
from commands.context import Context
from commands.dates import format_date
from commands.grammar import clean
from commands.registry import no_thread_reply, thread_reply
from commands.reviews.settings import calendar, settings
from commands.section11.outcomes import CORRECT_HINT
from commands.thread_corrections import correction_buttons, ref
from commands.types import Reply
from commands.understanding import correction, describe, extension_ask, read
from store import reviews as review_store
from store.models import OutboxMessage, ReviewAgency, ThreadReply

no_thread_reply("review_comment", "a notice to the QA officer in the QA channel; replies are conversation")

# Readings a button may correct (a correction by reply words is itself not corrected).
CORRECTABLE_NOW = ("submitted", "extension", "comment")
HINT = "Reply “submitted <link>”, “extension to <date>”, or anything else to leave a comment."


def snapshot(s: ReviewAgency) -> dict[str, Any]:
    return {
        "status": s.status,
        "submitted_at": s.submitted_at.isoformat() if s.submitted_at else None,
        "evidence_url": s.evidence_url,
        "extension_to": s.extension_to.isoformat() if s.extension_to else None,
    }


@thread_reply("review_request")
@thread_reply("review_chaser")
def handle_reply(ctx: Context, root: OutboxMessage) -> Reply | None:
    if root.subject_type != "review_agency" or root.subject_id is None:
        return None
    s = review_store.summary(ctx.session, root.subject_id)
    if s is None:
        return None
    text = clean(ctx.inbound.text_and_files())
    if not text:
        return Reply(data={"ignored": True})
    safeguard(ctx, text, HINT)
    agency, review = s.agency, s.review
    own = ctx.actor.id is not None and policy.acts_for(ctx, agency.id)
    officer = ctx.actor.id is not None and policy.is_officer(ctx.actor)
    row = thread_record.record(ctx, root, text)
    whose = f"{agency.name}'s summary for rapid review {review.code}"
    if not own and not officer:
        return thread_record.not_theirs(ctx, agency.name, whose, {"summary_id": s.id})
    before = snapshot(s)
    s.last_reply_at = ctx.now
    fix = correction(ctx.inbound.text)
    reading = read(text)
    if fix is not None:
        row.interpretation = "correction"
        reply = _correct(ctx, s, fix)
    elif reading.intent == "ack":
        row.interpretation = "ack"
        ctx.session.flush()
        return Reply(data={"ignored": True, "interpretation": "ack", "summary_id": s.id})
    elif review.status != "open":
        row.interpretation = "comment"
        reply = Reply(
            lines=[f"Recorded as a comment: rapid review {review.code} is closed."], visibility="channel"
        )
    elif reading.intent == "submitted":
        row.interpretation = "submitted"
        reply = _submitted(ctx, s, reading.url)
    elif own and reading.intent == "extension":
        row.interpretation = "extension"
        reply = _more_time(ctx, s, reading.text, row)
    else:
        row.interpretation = "comment"
        ctx.session.flush()
        tell_qa(
            ctx,
            s,
            f"comment:{row.id}",
            f"{agency.name} wrote in its rapid review thread",
            [f"@{ctx.actor.handle}: “{text}”"],
        )
        reply = Reply(lines=["Recorded as a comment — the QA officer has been told."], visibility="channel")
    ctx.session.flush()
    ctx.audit("review_agency", s.id, f"thread reply: {row.interpretation}", before, snapshot(s))
    reply.lines.append(CORRECT_HINT)
    reply.data |= {"interpretation": row.interpretation, "summary_id": s.id, "reply_ref": ref(row)}
    if row.interpretation in CORRECTABLE_NOW and review.status == "open":  # as under an S11 reply
        reply.buttons = correction_buttons(row, "review")
    return reply


def _submitted(ctx: Context, s: ReviewAgency, url: str | None) -> Reply:
    if s.status == "submitted":
        return Reply(
            lines=[f"{s.agency.name}'s summary was already marked submitted. Thank you."],
            visibility="channel",
        )
    s.status, s.submitted_at, s.submitted_by_id = "submitted", ctx.now, ctx.actor.id
    if url:
        s.evidence_url = url[:500]
    cal, cfg = calendar(ctx.board), settings(ctx.board)
    due = cal.add(s.review.aware_on, cfg.summaries_due)
    line = f"Recorded: {s.agency.name} — summary submitted by @{ctx.actor.handle}"
    if s.evidence_url:
        line += f", link kept ({s.evidence_url})"
    late = cal.between(due, ctx.today)
    if late:
        line += f"; {late} working day{'' if late == 1 else 's'} after it was due ({format_date(due)})"
    return Reply(
        title=f"Thank you — {s.agency.name}'s summary for rapid review {s.review.code} is in",
        lines=[line + ".", "No more reminders will be sent for it."],
        visibility="channel",
    )


def _more_time(ctx: Context, s: ReviewAgency, text: str, row: ThreadReply) -> Reply:
    cal, cfg = calendar(ctx.board), settings(ctx.board)
    due = cal.add(s.review.aware_on, cfg.summaries_due)
    ask = extension_ask(text, deadline=due, now=ctx.now, tz=ctx.tz)
    if ask.problem or ask.to is None or ask.to <= due:
        why = ask.problem or "No later date was understood"
        tell_qa(
            ctx,
            s,
            f"comment:{row.id}",
            f"{s.agency.name} asks about more time",
            [f"@{ctx.actor.handle}: “{text}”"],
        )
        row.interpretation = "comment"
        return Reply(
            lines=[
                f"Recorded as a comment — the QA officer has been told. {why}: to ask for more time, "
                f"say the date, e.g. “extension to {format_date(cal.add(due, 3))}”."
            ],
            visibility="channel",
        )
    s.extension_to, s.status = ask.to, "extension"
    tell_qa(
        ctx,
        s,
        f"extension:{row.id}",
        f"{s.agency.name} asks for more time on rapid review {s.review.code}",
        [
            f"Summary due {format_date(due)} (working day {cfg.summaries_due}); "
            f"asked to {describe(ask, due)}.",
            f"@{ctx.actor.handle} wrote: “{text}”",
        ],
    )
    return Reply(
        lines=[
            f"Recorded: {s.agency.name} — more time asked, to {describe(ask, due)}. The QA officer and the "
            "chair have been told; the statutory clock does not move, so reminders continue."
        ],
        visibility="channel",
    )


def _correct(ctx: Context, s: ReviewAgency, fix: str) -> Reply:
    if fix == "submitted":
        return _submitted(ctx, s, s.evidence_url)
    if s.status == "submitted":
        s.status, s.submitted_at, s.submitted_by_id = (
            ("extension" if s.extension_to else "requested"),
            None,
            None,
        )
        return Reply(
            lines=[
                f"Recorded: that was a comment — {s.agency.name}'s summary is not marked submitted; "
                "reminders continue."
            ],
            visibility="channel",
        )
    if fix == "undo" and s.extension_to is not None:
        s.extension_to, s.status = None, "requested"
        return Reply(lines=["Recorded: the request for more time is withdrawn."], visibility="channel")
    return Reply(lines=["Nothing to correct: the reply before was kept as a comment."], visibility="channel")


def tell_qa(ctx: Context, s: ReviewAgency, event: str, title: str, lines: list[str]) -> None:
    posting.to_channel(
        ctx,
        "qa",
        key=f"review:{s.review_id}:{s.agency_id}:{event}",
        kind="review_comment",
        reply=Reply(
            title=title,
            lines=[*lines, f"See /review status {s.review.code}."],
            visibility="channel",
            data={"review": s.review.code, "agency": s.agency.name},
        ),
    )
