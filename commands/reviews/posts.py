"""The posts of a rapid review: each agency's request and chasers in the agency's own thread
(in the board's review channel when `reviews: {channel: …}` names one, else the agency's own
channel or a direct message to its lead), and who was never reached."""

from __future__ import annotations

from datetime import date

from commands import posting
from commands.context import Scope
from commands.dates import format_date
from commands.reviews.clocks import plural
from commands.reviews.settings import settings
from commands.types import Reply
from store import outbox_problems
from store.models import OutboxMessage, Review, ReviewAgency

SUBJECT = "review_agency"
REPLY_HINT = (
    "Reply in this thread: “submitted” with a link to your summary (chronology, involvement, "
    "learning) when it is in, “extension to <date>” if you need more time, "
    "or any question for the QA officer."
)


def thread_key(review: Review, s: ReviewAgency) -> str:
    return f"review:{review.id}:{s.agency_id}"


def to_agency_thread(
    scope: Scope, review: Review, s: ReviewAgency, *, event: str, kind: str, reply: Reply
) -> list[OutboxMessage]:
    """Queue a post in this agency's thread of the review, once per `event` (the outbox key)."""
    key, thread = f"{thread_key(review, s)}:{event}", thread_key(review, s)
    channel = settings(scope.board).channel
    if channel is not None:
        # The private review channel: one thread per agency, naming its lead.
        return posting.to_channel(
            scope, channel, key=key, kind=kind, reply=reply, thread_key=thread, subject=(SUBJECT, s.id)
        )
    return posting.to_agency(
        scope, s.agency, key=key, kind=kind, reply=reply, thread_key=thread, subject=(SUBJECT, s.id)
    )


def attention(s: ReviewAgency) -> list[str]:
    lead = s.agency.lead
    return [f"For the attention of {lead.name} (@{lead.handle})."] if lead else []


def request_post(review: Review, s: ReviewAgency, due: date, chasers: list[date]) -> Reply:
    lines = [
        f"A rapid review ({review.code}) has been opened after a serious child safeguarding incident. "
        f"{s.agency.name} is asked for its agency summary — chronology, involvement and learning — "
        f"by {format_date(due)} (working day 10).",
        "Please use the case code only: no child's or family member's name or identifiers in this thread.",
    ]
    if chasers:
        lines.append(
            "Reminders will follow in this thread on " + ", ".join(format_date(d) for d in chasers) + "."
        )
    lines += [*attention(s), REPLY_HINT]
    return Reply(
        title=f"Rapid review {review.code}: {s.agency.name}, your summary is due by {format_date(due)}",
        lines=lines,
        visibility="channel",
        data={"review": review.code, "agency": s.agency.name, "due": due.isoformat()},
    )


def chaser_post(review: Review, s: ReviewAgency, wd: int, due: date, left: int) -> Reply:
    when = "due today" if left == 0 else f"due in {plural(left, 'working day')}, on {format_date(due)}"
    lines = [f"{s.agency.name}: your summary for rapid review {review.code} is {when}."]
    if s.extension_to:
        lines.append(
            f"(You asked for more time, to {format_date(s.extension_to)}; the QA officer has been told.)"
        )
    lines += [*attention(s), REPLY_HINT]
    return Reply(
        title=f"Rapid review {review.code} reminder (working day {wd}): your summary is {when.split(',')[0]}",
        lines=lines,
        visibility="channel",
        data={"review": review.code, "agency": s.agency.name, "wd": wd},
    )


def never_reached(scope: Scope, review: Review) -> dict[int, str]:
    """Summary id → where it was looked for, for agencies whose request reached nobody."""
    ids = [s.id for s in review.agencies]
    rows = outbox_problems.of_subjects(scope.session, SUBJECT, ids)
    reached = {r.subject_id for r in rows if r.status != outbox_problems.UNREACHABLE}
    return {
        r.subject_id: r.platform
        for r in rows
        if r.status == outbox_problems.UNREACHABLE
        and r.subject_id is not None
        and r.subject_id not in reached
    }
