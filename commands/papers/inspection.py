"""The inspection-readiness pack: what a joint targeted area inspection (10 working days'
notice) asks a partnership to show of how it monitors and evaluates its partners — Section 11
status and scores, audits and reviews with their timelines, open and closed actions with
evidence of impact, performance measures with their narrative, escalations, and meetings."""

from __future__ import annotations

from datetime import date

from commands import document_head
from commands.context import Scope
from commands.dates import format_date
from commands.papers import actions, kpis, record
from commands.papers.model import Bullets, Paper, Section
from commands.papers.period import Period
from store import board_record
from store.visibility import Viewer


def collect(scope: Scope, viewer: Viewer, first_day: date) -> Paper:
    """The pack from `first_day` to today, as the viewer may see it (the chair's and the QA
    officer's: the whole board)."""
    period = Period(first_day, scope.today, scope.tz)
    acts = actions.figures(scope, viewer, period)
    finds = board_record.finding_figures(scope.session, viewer, since=period.since, until=scope.now)
    s11 = record.section11(scope, viewer, period)
    meetings, held = record.meetings(scope, period)
    audits = Section(
        "Audits and reviews",
        [
            "Findings from Section 11 and priority scrutiny panels, audits and case reviews, "
            "and each rapid review's timeline."
        ],
        [actions.findings_section(finds, period), record.reviews(scope, viewer, period, timelines=True)],
    )
    glance = Section(
        "At a glance",
        [
            Bullets(
                [
                    actions.headline(acts) + " " + actions.action_source(acts, period),
                    f"{finds.total} findings recorded, {finds.escalated} escalated to the Board "
                    + actions.finding_source(finds, period),
                    f"{len(held)} meetings held (source: /qa meetings).",
                ]
            )
        ],
    )
    sections = [
        glance,
        s11,
        audits,
        actions.actions_section(scope, viewer, period, acts, detail=True),
        kpis.section(scope, viewer, period, charts=True),
        record.escalations(scope, viewer, period, finds, acts.total.escalated),
        meetings,
    ]
    return Paper(
        kind="inspection",
        title="Inspection readiness pack",
        head=document_head.head(scope),
        subtitle=f"The record from {period.text()}",
        sections=sections,
        file_stem=f"inspection-pack-{scope.today.isoformat()}",
    )


def chat_lines(paper: Paper, first_day: date) -> list[str]:
    glance = paper.sections[0].blocks[0]
    lines = [f"From {format_date(first_day)}: " + ", ".join(s.heading for s in paper.sections[1:]) + "."]
    if isinstance(glance, Bullets):
        lines += glance.items
    return lines
