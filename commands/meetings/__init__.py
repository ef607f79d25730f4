"""Meetings: the agenda posted before each meeting, replies in its thread, the outcome
summary, the chair's status and the Board report. The /qa subcommands live in commands/qa.py
and commands/qa_outcomes.py; this package holds what they and the clock share."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from commands import common
from commands.dates import at_local, local_date, working_days_before
from store.models import Action, Board, Finding, Meeting

KINDS: dict[str, str] = {
    "subgroup": "QA&E sub-group",
    "s11_panel": "Section 11 scrutiny panel",
    "priority_panel": "priority scrutiny panel",
    "challenge": "challenge event",
    "board": "Board",
}
KIND_WORDS: dict[str, str] = {
    "subgroup": "subgroup",
    "sub-group": "subgroup",
    "qae": "subgroup",
    "s11_panel": "s11_panel",
    "s11": "s11_panel",
    "s11-panel": "s11_panel",
    "section11": "s11_panel",
    "priority_panel": "priority_panel",
    "priority": "priority_panel",
    "priority-panel": "priority_panel",
    "panel": "priority_panel",
    "challenge": "challenge",
    "board": "board",
}
CLIP = 160


def clip(text: str, n: int = CLIP) -> str:
    return common.clip(text, n)


def when(m: Meeting, tz: str) -> str:
    return m.starts_at.astimezone(ZoneInfo(tz)).strftime("%a %-d %b %Y %H:%M")


def label(m: Meeting, tz: str) -> str:
    """`QA&E sub-group, Thu 14 Jan 2027 10:00`"""
    return f"{m.title}, {when(m, tz)}"


def agenda_settings(board: Board) -> tuple[int, time]:
    cfg = (board.config or {}).get("agenda") or {}
    days = int(cfg.get("working_days_before", 3))
    hh, _, mm = str(cfg.get("time", "09:00")).partition(":")
    return days, time(int(hh), int(mm or 0))


def agenda_post_at(m: Meeting, board: Board) -> datetime:
    """When the agenda goes out: `time` in the board's zone, `working_days_before` working days
    (weekends and England & Wales bank holidays skipped) before the meeting's local day."""
    days, at = agenda_settings(board)
    day = working_days_before(local_date(m.starts_at, board.timezone), days)
    return at_local(day, at, board.timezone)


def action_line(a: Action, today: date) -> str:
    """An action as agendas and summaries show it: text clipped, a missing owner said."""
    return common.action_line(a, today, max_text=CLIP, say_no_owner=True)


def finding_line(f: Finding, *, agency: bool = True) -> str:
    return common.finding_line(f, agency=agency, max_text=CLIP, say_no_rag=True)
