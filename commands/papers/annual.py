"""The annual report's draft sections, compiled from the record of one reporting year: what
was done (meetings, the Section 11 cycle, audits, reviews), how effective it was (actions
closed on time, findings by priority, performance measures' movement), escalations, and
attendance at meetings read from apologies. Each figure names its source."""

from __future__ import annotations

from commands import document_head
from commands.context import Scope
from commands.dates import format_datetime
from commands.papers import actions, kpis, record
from commands.papers.model import Bullets, Paper, Section
from commands.papers.period import reporting_year, year_label
from store import board_record
from store.visibility import Viewer

DRAFT_NOTE = (
    "A draft compiled by QA Bot from the board's record: every figure names where it comes from. "
    "Add the partnership's narrative, its learning and its plans before it goes to the Board."
)


def collect(scope: Scope, viewer: Viewer, start_year: int) -> Paper:
    period = reporting_year(scope.board, start_year)
    label = year_label(scope.board, start_year)
    until = min(period.until, scope.now)
    acts = actions.figures(scope, viewer, period)
    finds = board_record.finding_figures(scope.session, viewer, since=period.since, until=until)
    meetings, held = record.meetings(scope, period)
    s11 = record.section11(scope, viewer, period)
    reviews = record.reviews(scope, viewer, period, timelines=False)
    done = Section(
        "What the sub-group did",
        [
            Bullets(
                [
                    f"{len(held)} meetings held (source: /qa meetings).",
                    f"{finds.total} findings recorded from audits, panels and reviews "
                    + actions.finding_source(finds, period),
                    f"{acts.total.raised} actions raised " + actions.action_source(acts, period),
                ]
            )
        ],
        [s11, reviews],
    )
    effective = Section(
        "How effective it was",
        [actions.headline(acts) + " " + actions.action_source(acts, period)],
        [
            actions.actions_section(scope, viewer, period, acts, detail=False),
            actions.findings_section(finds, period),
            kpis.section(scope, viewer, period, charts=False),
        ],
    )
    attendance = meetings
    attendance.heading = "Attendance at meetings"
    partial = (
        ""
        if period.until <= scope.now
        else f" The year is not over: figures are to {format_datetime(scope.now, scope.tz)}."
    )
    return Paper(
        kind="annual",
        title=f"Annual report {label}: draft sections",
        head=document_head.head(scope),
        subtitle=f"The reporting year {period.text()}.{partial}",
        sections=[
            Section("About this draft", [DRAFT_NOTE]),
            done,
            effective,
            record.escalations(scope, viewer, period, finds, acts.total.escalated),
            attendance,
        ],
        file_stem=f"annual-report-{label}",
    )
