"""A meeting's outcome summary: what it found, agreed and escalated, and the strategic themes.

Deterministic and traceable: every line is built from a finding or an action and names its
F-/A- reference; nothing is paraphrased or invented. The same sections feed the chat reply
(cut to fit a message) and the Board report (in full). Findings and actions are read through
the viewer: the board's summary for the officers and board members, an agency lead's part
(their agencies' findings, the actions they may see, themes counted over those) for a lead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from commands import policy
from commands.context import Context
from commands.dates import format_date
from commands.meetings import action_line, clip, when
from commands.meetings.status import whose
from commands.types import Reply
from store import agenda as agenda_store
from store.models import Action, Finding, Meeting
from store.visibility import Viewer

CHAT_CAP = 20  # lines per section in a chat message


@dataclass
class Summary:
    meeting: Meeting
    findings: list[Finding]
    actions: list[Action]
    escalated: list[Finding]
    themes: list[agenda_store.Theme]
    apologies: list[tuple[str, str]]  # (name, handle) of who sent apologies in its threads


def collect(session: Session, meeting: Meeting, viewer: Viewer) -> Summary:
    findings = agenda_store.meeting_findings(session, meeting.id, viewer)
    return Summary(
        meeting=meeting,
        findings=findings,
        actions=agenda_store.meeting_actions(session, meeting.id, viewer),
        escalated=[f for f in findings if f.escalate_to_board],
        themes=agenda_store.themes(session, meeting.id, viewer),
        apologies=agenda_store.apologies(session, meeting.id),
    )


def _finding(f: Finding) -> str:
    parts = [f"F-{f.id}", f.agency.name if f.agency else "No agency", f.priority or "No priority"]
    parts.append(f.rag.upper() if f.rag else "no RAG")
    parts.append(clip(f.text))
    return " · ".join(parts)


def _rag_counts(t: agenda_store.Theme) -> str:
    bits = [
        f"{n} {name}"
        for n, name in ((t.red, "red"), (t.amber, "amber"), (t.green, "green"), (t.unrated, "unrated"))
        if n
    ]
    return ", ".join(bits)


def sections(s: Summary, today: date) -> list[tuple[str, list[str]]]:
    """(heading, lines) in the order they are shown; every line names its reference."""
    out: list[tuple[str, list[str]]] = []
    if s.apologies:  # shown only when someone sent them, so a summary without stays as it was
        out.append(
            (f"Apologies ({len(s.apologies)})", [f"{name} (@{handle})" for name, handle in s.apologies])
        )
    out.append(
        (
            f"Findings by agency and priority ({len(s.findings)})",
            [_finding(f) for f in s.findings] or ["None recorded at this meeting."],
        )
    )
    out.append(
        (
            f"Actions agreed ({len(s.actions)})",
            [action_line(a, today) for a in s.actions] or ["None agreed at this meeting."],
        )
    )
    out.append(
        (
            f"Escalated to the Board ({len(s.escalated)})",
            [_finding(f) for f in s.escalated] or ["Nothing escalated."],
        )
    )
    themes = [
        f"{t.priority or 'No priority area'}: {t.total} finding{'s' if t.total != 1 else ''} "
        f"({_rag_counts(t)}) — " + ", ".join(f"F-{i}" for i in t.refs)
        for t in sorted(s.themes, key=lambda t: (-t.total, t.priority or "~"))
    ]
    out.append(("Strategic themes (findings by priority area)", themes or ["No findings, so no themes."]))
    return out


def title(m: Meeting, tz: str) -> str:
    return clip(f"Outcome summary: {m.title} — {when(m, tz)}", 150)


def chat_lines(s: Summary, today: date) -> list[str]:
    lines: list[str] = []
    for heading, rows in sections(s, today):
        lines.append(heading + ":")
        lines += ["   " + r for r in rows[:CHAT_CAP]]
        if len(rows) > CHAT_CAP:
            lines.append(f"   …and {len(rows) - CHAT_CAP} more; see /qa report for the full list")
    return lines


def due_text(a: Action) -> str:
    return format_date(a.due_date) if a.due_date else "no due date"


def lead_reply(ctx: Context, m: Meeting, s: Summary, viewer: Viewer) -> Reply:
    """An agency lead's part of the outcome: answered to them (and public only where their
    agencies' items may be read), never posted into the meeting's thread, which holds the
    board's summary."""
    shown = [f.agency_id for f in s.findings] + [a.agency_id for a in s.actions]
    # An item of no agency is the board's: such a reply is public only in a board channel.
    about = [] if None in shown else policy.about(*(viewer.agencies or ()), *shown)
    return Reply(
        title=title(m, ctx.tz),
        fields=[
            ("Your agencies' findings", str(len(s.findings))),
            ("Actions agreed", str(len(s.actions))),
            ("Escalated to the Board", str(len(s.escalated))),
        ],
        lines=[whose(ctx, viewer), *chat_lines(s, ctx.today)],
        visibility="channel",
        about_agencies=about,
        data={
            "meeting_id": m.id,
            "refs": [f"F-{f.id}" for f in s.findings] + [f"A-{a.id}" for a in s.actions],
        },
    )
