"""What a Section 11 thread reply does to its return, shared by the reply handler
(commands/section11/replies.py) and the corrections (commands/section11/reply_corrections.py):
mark submitted and undo it, withdraw an extension request, tell the QA officer, offer the
correction buttons, keep the agency's other contact informed."""

from __future__ import annotations

from datetime import datetime

from commands import posting, thread_corrections
from commands.context import Context
from commands.dates import format_date
from commands.section11.common import (
    attention_line,
    cycle_name,
    days_late_submitted,
    effective_deadline,
    person,
    plural,
    status_before_submission,
    thread_key,
)
from commands.types import Button, Reply
from store.models import S11Return, ThreadReply

CORRECT_HINT = "Not what you meant? Reply “undo”, “that was a submission” or “that was a comment”."


def ref(row: ThreadReply) -> str:
    return thread_corrections.ref(row)


def correction_buttons(row: ThreadReply) -> list[Button]:
    """Buttons that run /s11 correct on this reply (commands/thread_corrections.py)."""
    return thread_corrections.correction_buttons(row, "s11")


def mark_submitted(ret: S11Return, *, at: datetime, by_id: int | None, url: str | None) -> None:
    ret.status, ret.submitted_at, ret.submitted_by_id = "submitted", at, by_id
    if url:
        ret.evidence_url = url[:500]


def unsubmit(ret: S11Return) -> None:
    """The return goes back to where it was before; the clock resumes its reminders."""
    ret.status = status_before_submission(ret)
    ret.submitted_at = ret.submitted_by_id = ret.evidence_url = None


def withdraw_extension(ret: S11Return) -> None:
    ret.extension_requested_to = None
    ret.status = status_before_submission(ret)


def submitted_line(ctx: Context, ret: S11Return) -> str:
    """ "Recorded: Surrey Police — submitted by @pol, evidence link kept (…), 2 days late."""
    line = f"Recorded: {ret.agency.name} — submitted by @{ctx.actor.handle}"
    if ret.evidence_url:
        line += f", evidence link kept ({ret.evidence_url})"
    if late := days_late_submitted(ret, ctx.tz):
        line += f"; late: {plural(late, 'day')} after the deadline ({format_date(effective_deadline(ret))})"
    return line + "."


def tell_qa(ctx: Context, ret: S11Return, *, event: str, title: str, lines: list[str]) -> None:
    cycle, agency = ret.cycle, ret.agency
    posting.to_channel(
        ctx,
        "qa",
        key=f"s11:{cycle.id}:{agency.id}:{event}",
        kind="s11_comment",
        reply=Reply(
            title=title,
            lines=[*lines, f"{cycle_name(cycle)}; see /s11 status {cycle.year}."],
            visibility="channel",
            data={"agency": agency.name, "thread_key": thread_key(cycle.id, agency.id)},
        ),
    )


def keep_informed(ctx: Context, ret: S11Return) -> list[str]:
    """When the lead answers, the substitute is named too, and the other way round; when the
    chair, the QA officer or another of the agency's people answers, both are."""
    agency, actor = ret.agency, ctx.actor
    if actor.id is not None and actor.id == agency.lead_id:
        sub = agency.substitute
        return [f"For the information of the substitute, {person(sub)}."] if sub else []
    if actor.id is not None and actor.id == agency.substitute_id:
        lead = agency.lead
        return [f"For the information of the lead, {person(lead)}."] if lead else []
    line = attention_line(agency, with_substitute=True)
    return [line] if line else []
