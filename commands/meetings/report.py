"""The Board report of a meeting: the outcome summary, the actions table, a RAG chart and (for
the sub-group and the Board) each open or recently closed rapid review's timeline.

This module gathers the content as plain data; the Word file is written by the report writer
the wiring hands the core (`scope.services.report_writer`: integrations/reports, python-docx
and matplotlib, loaded only when a report is asked for).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from commands import document_head, scratch
from commands.context import Scope
from commands.dates import format_date, local_date
from commands.document_head import DocumentHead
from commands.meetings import KINDS, summary, when
from commands.meetings.agenda import REVIEW_KINDS
from commands.reviews import summary as review_summary
from store import board_status as board_status_store
from store import meetings as meeting_store
from store.models import Meeting
from store.visibility import Viewer


@dataclass
class Chart:
    kind: str  # "s11": self vs moderated per agency and standard; "priority": findings by priority
    title: str
    ratings: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)
    themes: list[tuple[str, int, int, int, int]] = field(default_factory=list)  # priority, R, A, G, unrated
    note: str | None = None


@dataclass
class ReportData:
    head: DocumentHead  # the board, its marking, and when (the bot's clock)
    heading: str
    meeting: str  # "QA&E sub-group, Thu 14 Jan 2027 10:00"
    kind: str
    sections: list[tuple[str, list[str]]]
    actions_header: list[str]
    actions: list[list[str]]
    chart: Chart
    # (title, timeline lines) per open review and per review closed since the last such meeting
    reviews: list[tuple[str, list[str]]] = field(default_factory=list)

# With no earlier meeting of the kind, a review closed this long before it is still "recent".
RECENT_CLOSED = timedelta(days=90)


def _reviews(scope: Scope, meeting: Meeting, viewer: Viewer) -> list[tuple[str, list[str]]]:
    if meeting.kind not in REVIEW_KINDS or not viewer.board_wide:
        return []
    prev = meeting_store.previous_of_kind(scope.session, meeting)
    since: datetime = prev.starts_at if prev else meeting.starts_at - RECENT_CLOSED
    return review_summary.for_report(scope, since)


def _chart(scope: Scope, meeting: Meeting, s: summary.Summary, viewer: Viewer) -> Chart:
    if meeting.kind in ("s11_panel", "challenge"):
        cycle = board_status_store.s11_cycle_for_panel(scope.session, local_date(meeting.starts_at, scope.tz))
        ratings = board_status_store.s11_ratings(scope.session, cycle.id, viewer) if cycle else []
        if ratings and cycle is not None:
            return Chart(
                kind="s11",
                title=f"Section 11 {cycle.year} ({cycle.cohort}): self-assessed vs moderated RAG",
                ratings=ratings,
            )
        note = "No Section 11 ratings are recorded yet, so this shows the meeting's findings by priority."
    else:
        note = None
    themes = [(t.priority or "No priority", t.red, t.amber, t.green, t.unrated) for t in s.themes]
    return Chart(kind="priority", title="Findings by priority area and RAG", themes=themes, note=note)


def collect(scope: Scope, meeting: Meeting, viewer: Viewer) -> ReportData:
    """The report's content as the viewer may see it: only board-wide roles may ask for it
    (`/qa report` is refused to agency leads), so in practice the board's."""
    today: date = scope.today
    s = summary.collect(scope.session, meeting, viewer)
    rows = [
        [
            f"A-{a.id}",
            a.text,
            f"@{a.owner.handle} ({a.owner.name})" if a.owner else "—",
            a.agency.name if a.agency else "—",
            format_date(a.due_date) if a.due_date else "—",
            {"done": "Closed", "cancelled": "Cancelled"}.get(a.status)
            or ("Overdue" if a.due_date and a.due_date < today else "Open"),
        ]
        for a in s.actions
    ]
    return ReportData(
        head=document_head.head(scope),
        heading=f"Report to the Board: {meeting.title}",
        meeting=f"{meeting.title}, {when(meeting, scope.tz)}",
        kind=KINDS.get(meeting.kind, meeting.kind),
        sections=summary.sections(s, today),
        actions_header=["Ref", "Action", "Owner", "Agency", "Due", "Status"],
        actions=rows,
        chart=_chart(scope, meeting, s, viewer),
        reviews=_reviews(scope, meeting, viewer),
    )


def reports_dir() -> Path:
    """The bot's private reports directory (0700; files older than a day swept out)."""
    d = scratch.private_dir("reports")
    scratch.sweep(d)
    return d


def default_path(meeting: Meeting, tz: str) -> Path:
    day = local_date(meeting.starts_at, tz)
    return reports_dir() / f"board-report-{meeting.kind}-{day.isoformat()}-{uuid.uuid4().hex[:6]}.docx"


def write(scope: Scope, meeting: Meeting, viewer: Viewer, out: Path | None = None) -> Path:
    """Write the report (to `out`, or a new file in the reports folder) and return its path."""
    writer = scope.services.require_report_writer()  # before any work: say plainly if there is none
    data = collect(scope, meeting, viewer)
    return writer(data, out or default_path(meeting, scope.tz))
