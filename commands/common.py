"""Small pieces several handlers share: the safeguarding check, a correction's reason, item
lines, snapshots."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from commands import guard, guard_offer
from commands.context import Context
from commands.dates import format_date
from commands.errors import FieldError, about_field
from commands.grammar import check_text
from store import guard_log, members
from store.models import Action, Finding


def safeguard(ctx: Context, text: str, usage: str) -> None:
    """Refuse text that could identify a child or family, before anything is stored."""
    vocabulary = board_vocabulary(ctx.session)
    hits = guard.check(text, vocabulary)
    if hits:
        raise guard_offer.refusal(text, hits, vocabulary, usage, ctx.inbound, case_code=case_code(ctx))


def case_code(ctx: Context) -> str:
    """"2027-014": the year and the number of this refusal in it, so the anonymised version
    ("Child J.S. (case 2027-014)") can be told apart from another child's and matched by the
    practitioner to their own record."""
    start = datetime(ctx.today.year, 1, 1, tzinfo=ctx.now.tzinfo)
    return f"{ctx.today.year}-{guard_log.refusals_since(ctx.session, start) + 1:03d}"


def reason_text(ctx: Context, text: str | None, usage: str, *, required: bool) -> str | None:
    """A correction's reason, checked like any free text (it is stored and shown)."""
    if text is None or not text.strip():
        if required:
            raise FieldError("Say why, e.g. the reason it no longer applies.", usage, field="reason")
        return None
    with about_field("reason"):
        reason = check_text(text, "reason", usage)
        safeguard(ctx, reason, usage)
    return reason


def board_vocabulary(session: Session) -> guard.BoardVocabulary:
    """The board's whole agency and member names (never single words) and its area."""
    board = members.board(session)
    people = members.all_members(session)
    config = (board.config or {}) if board else {}
    return guard.BoardVocabulary.build(
        board_name=board.name if board else "",
        agencies=[a.name for a in members.all_agencies(session, active_only=False)],
        places=[str(p) for p in config.get("places") or ()],
        venues=[str(v) for v in config.get("venues") or ()],
        members=[m.name for m in people],
        emails=[m.email for m in people if m.email],
    )


def clip(text: str, n: int) -> str:
    """Long free text shortened for a chat line (the full text is one /action show away)."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def action_line(a: Action, today: date, *, max_text: int | None = None, say_no_owner: bool = False) -> str:
    """An action on one line with its reference, owner, agency, due date and overdue days."""
    parts = [f"A-{a.id}", clip(a.text, max_text) if max_text else a.text]
    if a.owner:
        parts.append(f"@{a.owner.handle}")
    elif say_no_owner:
        parts.append("no owner")
    if a.agency:
        parts.append(a.agency.name)
    parts.append(f"due {format_date(a.due_date)}" if a.due_date else "no due date")
    if a.priority:
        parts.append(a.priority)
    if a.status == "done":
        parts.append("DONE")
    elif a.status == "cancelled":
        parts.append("CANCELLED")
    elif a.due_date and a.due_date < today:
        days = (today - a.due_date).days
        parts.append(f"OVERDUE {days} day{'s' if days != 1 else ''}")
    return " · ".join(parts)


def finding_line(
    f: Finding, *, agency: bool = True, max_text: int | None = None, say_no_rag: bool = False
) -> str:
    parts = [f"F-{f.id}", clip(f.text, max_text) if max_text else f.text]
    if agency and f.agency:
        parts.append(f.agency.name)
    if f.priority:
        parts.append(f.priority)
    if f.rag:
        parts.append(f.rag.upper())
    elif say_no_rag:
        parts.append("no RAG")
    if f.escalate_to_board:
        parts.append("escalated to the Board")
    return " · ".join(parts)


def action_snapshot(a: Action) -> dict[str, Any]:
    return {
        "text": a.text,
        "owner": a.owner.handle if a.owner else None,
        "agency": a.agency.name if a.agency else None,
        "due": a.due_date.isoformat() if a.due_date else None,
        "priority": a.priority,
        "status": a.status,
        "meeting_id": a.meeting_id,
        "closing_note": a.closing_note,
    }


def finding_snapshot(f: Finding) -> dict[str, Any]:
    return {
        "text": f.text,
        "agency": f.agency.name if f.agency else None,
        "priority": f.priority,
        "rag": f.rag,
        "meeting_id": f.meeting_id,
        "escalate_to_board": f.escalate_to_board,
    }


def more_line(shown: int, total: int) -> list[str]:
    return [f"…and {total - shown} more; narrow the list with a filter."] if total > shown else []
