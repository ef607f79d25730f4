"""What the Section 11 commands, replies and clock share: settings, wording, snapshots."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from pydantic import ValidationError

from commands import posting
from commands.board_file import Section11Settings
from commands.context import Scope
from commands.dates import format_date, format_datetime, local_date
from commands.section11.schedule import Slot, days_late, parse_time
from commands.types import Reply
from store.models import Agency, Board, Member, OutboxMessage, S11Cycle, S11Return

REPLY_HINT = (
    "Reply in this thread: “submitted” with a link to your return when it is in, "
    "“extension to <date>” if you need more time, or any question for the QA officer."
)
STATUS_WORDS = {
    "not_started": "not started",
    "document_received": "document received",
    "extension_requested": "extension asked",
    "extension_granted": "extension granted",
    "submitted": "submitted",
}


def settings(board: Board) -> Section11Settings:
    """The board file's `section11:` settings (validated on import; defaults if absent)."""
    try:
        return Section11Settings.model_validate((board.config or {}).get("section11") or {})
    except ValidationError:
        return Section11Settings()


def reminder_time(s: Section11Settings) -> time:
    return parse_time(s.reminder_time)


def thread_key(cycle_id: int, agency_id: int) -> str:
    return f"s11:{cycle_id}:{agency_id}"


def post_in_thread(
    scope: Scope, cycle_id: int, agency: Agency, return_id: int, *, event: str, kind: str, reply: Reply
) -> list[OutboxMessage]:
    """Queue a post in the agency's Section 11 thread, once per `event` (the outbox key)."""
    return posting.to_agency(
        scope,
        agency,
        key=f"{thread_key(cycle_id, agency.id)}:{event}",
        kind=kind,
        reply=reply,
        thread_key=thread_key(cycle_id, agency.id),
        subject=("s11_return", return_id),
    )


def cycle_name(c: S11Cycle) -> str:
    return f"Section 11 {c.year} ({c.cohort})"


def effective_deadline(r: S11Return) -> date:
    """The cycle's deadline, or the extension granted to this return if that is later (a
    deadline moved past an extension makes the extension moot)."""
    if r.extension_granted_to and r.extension_granted_to > r.cycle.deadline:
        return r.extension_granted_to
    return r.cycle.deadline


def days_late_submitted(r: S11Return, tz: str) -> int:
    """How many days after its (effective) deadline the return came in; 0 when on time."""
    if r.status != "submitted" or r.submitted_at is None:
        return 0
    return days_late(effective_deadline(r), local_date(r.submitted_at, tz))


def status_before_submission(r: S11Return) -> str:
    """The status a return goes back to when a submission is undone."""
    if r.extension_granted_to:
        return "extension_granted"
    if r.extension_requested_to:
        return "extension_requested"
    return "document_received" if r.document_received_at else "not_started"


def person(m: Member) -> str:
    return f"{m.name} (@{m.handle})"


def attention_line(agency: Agency, *, with_substitute: bool) -> str | None:
    if agency.lead is None and agency.substitute is None:
        return None
    if with_substitute and agency.substitute is not None and agency.lead is not None:
        return f"For the attention of {person(agency.lead)} and substitute {person(agency.substitute)}."
    contact = agency.lead or agency.substitute
    assert contact is not None
    return f"For the attention of {person(contact)}."


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def when_due(deadline: date, day: date) -> str:
    n = (deadline - day).days
    if n > 1:
        return f"due in {n} days, on {format_date(deadline)}"
    if n == 1:
        return f"due tomorrow, {format_date(deadline)}"
    if n == 0:
        return f"due today, {format_date(deadline)}"
    return f"overdue by {plural(-n, 'day')} (deadline {format_date(deadline)})"


def status_text(r: S11Return, today: date, tz: str, people: dict[int, Member]) -> str:
    """One agency's position in a cycle, as /s11 status shows it."""
    parts: list[str] = []
    if r.status == "submitted":
        by = people.get(r.submitted_by_id or -1)
        when = format_datetime(r.submitted_at, tz) if r.submitted_at else "?"
        parts.append(f"submitted {when}" + (f" by @{by.handle}" if by else ""))
        if r.evidence_url:
            parts.append(f"evidence {r.evidence_url}")
        if late_by := days_late_submitted(r, tz):
            parts.append(f"LATE by {plural(late_by, 'day')}")
    else:
        if r.status == "extension_granted" and r.extension_granted_to:
            parts.append(f"extension granted to {format_date(r.extension_granted_to)}")
        elif r.status == "extension_requested" and r.extension_requested_to:
            parts.append(f"extension asked to {format_date(r.extension_requested_to)}")
        elif r.status == "document_received" and r.document_received_at:
            parts.append(f"document received {format_datetime(r.document_received_at, tz)}")
        else:
            parts.append(STATUS_WORDS.get(r.status, r.status))
        if r.extension_refused_to and r.status != "extension_granted":
            parts.append(f"extension to {format_date(r.extension_refused_to)} refused")
        late = days_late(effective_deadline(r), today)
        if late:
            parts.append(f"OVERDUE by {plural(late, 'day')}")
    if r.last_reply_at:
        text = r.last_reply_text or ""
        short = text if len(text) <= 80 else text[:77] + "…"
        parts.append(f"last reply {format_datetime(r.last_reply_at, tz)}: “{short}”")
    return " · ".join(parts)


def return_snapshot(r: S11Return) -> dict[str, Any]:
    return {
        "status": r.status,
        "submitted_at": r.submitted_at.isoformat() if r.submitted_at else None,
        "submitted_by_id": r.submitted_by_id,
        "evidence_url": r.evidence_url,
        "extension_requested_to": r.extension_requested_to.isoformat() if r.extension_requested_to else None,
        "extension_granted_to": r.extension_granted_to.isoformat() if r.extension_granted_to else None,
        "extension_refused_to": r.extension_refused_to.isoformat() if r.extension_refused_to else None,
        "lead_replied_at": r.lead_replied_at.isoformat() if r.lead_replied_at else None,
    }


def launch_post(c: S11Cycle, agency: Agency, standards: list[str], reminder_days: list[date]) -> Reply:
    lines = [
        f"The Board asks each {c.cohort} partner to complete its Section 11 (Children Act 2004) "
        f"self-assessment for {c.year} against each standard:",
        *[f"  {s}" for s in standards],
        f"Deadline: {format_date(c.deadline)}."
        + (f" The scrutiny panel meets on {format_date(c.panel_date)}." if c.panel_date else ""),
    ]
    if reminder_days:
        lines.append(
            "Reminders will follow in this thread on "
            + ", ".join(format_date(d) for d in reminder_days)
            + "."
        )
    if (att := attention_line(agency, with_substitute=False)) is not None:
        lines.append(att)
    lines.append(REPLY_HINT)
    return Reply(
        title=f"{cycle_name(c)}: {agency.name}, your self-assessment is due by {format_date(c.deadline)}",
        lines=lines,
        visibility="channel",
        data={"cycle_id": c.id, "agency": agency.name, "deadline": c.deadline.isoformat()},
    )


def reminder_post(r: S11Return, slot: Slot, today: date, *, with_substitute: bool) -> Reply:
    """The reminder for a slot, worded for the day it goes out (later than the slot's day when
    the bot was down)."""
    c, agency = r.cycle, r.agency
    deadline = effective_deadline(r)
    lines = [f"{agency.name}: your Section 11 self-assessment is {when_due(deadline, today)}."]
    if r.extension_granted_to:
        lines.append(f"(Extension granted; the original deadline was {format_date(c.deadline)}.)")
    if (att := attention_line(agency, with_substitute=with_substitute)) is not None:
        lines.append(att)
    lines.append(REPLY_HINT)
    title = f"{cycle_name(c)} reminder: " + (
        "your return is overdue"
        if today > deadline
        else f"your return is {when_due(deadline, today).split(',')[0]}"
    )
    return Reply(
        title=title,
        lines=lines,
        visibility="channel",
        data={
            "cycle_id": c.id,
            "agency": agency.name,
            "slot": slot.day.isoformat(),
            "deadline": deadline.isoformat(),
            "substitute": agency.substitute.handle if with_substitute and agency.substitute else None,
        },
    )
