"""The actions and findings sections of the Board papers: how many, how fast, with what effect.
Every figure says where it comes from (the refs and the command that lists them)."""

from __future__ import annotations

from commands.context import Scope
from commands.dates import format_date, format_datetime
from commands.meetings import KINDS, clip
from commands.papers.model import Bullets, Chart, Section, Table
from commands.papers.period import Period
from store import board_record
from store.board_record import ActionFigures, ActionTally, FindingFigures
from store.visibility import Viewer

OVERDUE_SHOWN = 25  # the longest-overdue actions listed; the rest are counted by agency
NOTES_SHOWN = 15  # the latest closing notes quoted as evidence of impact


def pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def refs(prefix: str, first: int | None, last: int | None) -> str:
    if first is None or last is None:
        return "none"
    return f"{prefix}-{first}" if first == last else f"{prefix}-{first}..{prefix}-{last}"


def action_source(fig: ActionFigures, period: Period) -> str:
    t = fig.total
    return (
        f"(source: actions {refs('A', fig.first_ref, fig.last_ref)} raised {period.text()}; "
        f"{t.closed_on_time} closed on time of {t.closed_with_due} closed with a due date; /action list all)"
    )


def _row(name: str, t: ActionTally) -> list[str]:
    return [
        name,
        str(t.raised),
        str(t.closed),
        pct(t.closed_on_time, t.closed_with_due),
        str(t.closed_with_note),
        str(t.open_at_end),
        str(t.overdue_at_end),
    ]


HEADER = ["", "Raised", "Closed", "Closed on time", "With closing note", "Open at end", "Overdue at end"]


def figures(scope: Scope, viewer: Viewer, period: Period) -> ActionFigures:
    end_day = min(period.last_day, scope.today)
    until = min(period.until, scope.now)
    return board_record.action_figures(
        scope.session, viewer, since=period.since, until=until, end_day=end_day
    )


def headline(fig: ActionFigures) -> str:
    t = fig.total
    return (
        f"{t.raised} actions raised and {t.closed} closed; "
        f"{pct(t.closed_on_time, t.closed_with_due)} of those "
        f"with a due date were closed on time ({t.closed_on_time} of {t.closed_with_due}); "
        f"{t.open_at_end} open at the end of the period, {t.overdue_at_end} of them overdue."
    )


def actions_section(
    scope: Scope, viewer: Viewer, period: Period, fig: ActionFigures, *, detail: bool
) -> Section:
    """Totals, by priority and by agency; with `detail` (the inspection pack), the longest
    overdue actions and the latest closing notes as evidence of impact."""
    t = fig.total
    sec = Section("Actions and their impact", [headline(fig) + " " + action_source(fig, period)])
    priorities = sorted(fig.by_priority.items(), key=lambda kv: (kv[0] == board_record.NONE, kv[0]))
    sec.blocks.append(
        Table(
            ["Priority", *HEADER[1:]],
            [_row(p, c) for p, c in priorities] + [_row("All", t)],
            caption="Actions by business-plan priority",
            source="source: /qa status and /action list #<priority>",
        )
    )
    sec.blocks.append(
        Chart(
            kind="bars",
            title="Actions by priority: closed in the period, open and overdue at its end",
            categories=[p for p, _ in priorities],
            series=[
                ("Closed", [float(c.closed) for _, c in priorities]),
                ("Open", [float(c.open_at_end) for _, c in priorities]),
                ("Overdue", [float(c.overdue_at_end) for _, c in priorities]),
            ],
            alt_text="; ".join(
                f"{p}: {c.closed} closed, {c.open_at_end} open, {c.overdue_at_end} overdue"
                for p, c in priorities
            )
            or "No actions in the period.",
        )
    )
    agencies = sorted(fig.by_agency.items(), key=lambda kv: (-kv[1].overdue_at_end, kv[0]))
    sec.blocks.append(
        Table(
            ["Agency", *HEADER[1:]],
            [_row(a, c) for a, c in agencies],
            caption="Actions by agency (most overdue first)",
            source="source: /action list agency <name>",
        )
    )
    if detail:
        sec.subsections += [_overdue(scope, viewer, t), _impact(scope, viewer, period)]
    return sec


def _overdue(scope: Scope, viewer: Viewer, t: ActionTally) -> Section:
    rows = board_record.overdue_actions(scope.session, viewer, today=scope.today, limit=OVERDUE_SHOWN)
    sec = Section("Open actions past their due date")
    if not rows:
        sec.blocks.append("No open action is past its due date.")
        return sec
    sec.blocks.append(
        f"The {len(rows)} longest overdue of {t.overdue_at_end}; the rest are counted by agency above "
        "(source: /action list overdue)."
    )
    sec.blocks.append(
        Table(
            ["Ref", "Action", "Agency", "Owner", "Due", "Priority"],
            [
                [
                    f"A-{r.id}",
                    clip(r.text, 160),
                    r.agency or "—",
                    f"@{r.owner}" if r.owner else "—",
                    format_date(r.due),
                    r.priority or "—",
                ]
                for r in rows
            ],
        )
    )
    return sec


def _impact(scope: Scope, viewer: Viewer, period: Period) -> Section:
    notes = board_record.closing_notes(
        scope.session, viewer, since=period.since, until=min(period.until, scope.now), limit=NOTES_SHOWN
    )
    sec = Section("Evidence of impact: closing notes")
    if not notes:
        sec.blocks.append("No action closed in the period has a closing note saying what changed.")
        return sec
    sec.blocks.append(
        f"The latest {len(notes)} actions closed with a note of what changed (source: /action show A-<n>)."
    )
    sec.blocks.append(
        Bullets(
            [
                f"A-{n.id} ({n.agency or 'no agency'}, "
                f"closed {format_datetime(n.at, scope.tz) if n.at else '—'}): "
                f"{clip(n.text, 120)} — {clip(n.note or '', 300)}"
                for n in notes
            ]
        )
    )
    return sec


# ── findings ────────────────────────────────────────────────────────────────────────────────

WHERE = {"none": "logged outside a meeting"}


def finding_source(f: FindingFigures, period: Period) -> str:
    return f"(source: findings {refs('F', f.first_ref, f.last_ref)} recorded {period.text()}; /finding list)"


def findings_section(f: FindingFigures, period: Period) -> Section:
    sec = Section("Findings from audits, panels and reviews")
    if not f.total:
        sec.blocks.append(f"No findings were recorded {period.text()}.")
        return sec
    red = sum(v[0] for v in f.by_priority.values())
    sec.blocks.append(
        f"{f.total} findings recorded, {red} rated red; {f.escalated} escalated to the Board. "
        + finding_source(f, period)
    )
    priorities = sorted(f.by_priority.items(), key=lambda kv: (kv[0] == board_record.NONE, kv[0]))
    sec.blocks.append(
        Table(
            ["Priority", "Red", "Amber", "Green", "Not rated", "All"],
            [[p, *(str(n) for n in v), str(sum(v))] for p, v in priorities],
            caption="Findings by priority and RAG",
            source="source: /finding list #<priority>",
        )
    )
    sec.blocks.append(
        Chart(
            kind="bars",
            title="Findings by priority and RAG",
            categories=[p for p, _ in priorities],
            series=[
                (name, [float(v[i]) for _, v in priorities])
                for i, name in enumerate(("Red", "Amber", "Green", "Not rated"))
            ],
            stacked=True,
            alt_text="; ".join(
                f"{p}: {v[0]} red, {v[1]} amber, {v[2]} green, {v[3]} not rated" for p, v in priorities
            ),
        )
    )
    sec.blocks.append(
        Table(
            ["Found at", "Findings"],
            [
                [WHERE.get(k, KINDS.get(k, k)).capitalize(), str(n)]
                for k, n in sorted(f.by_source.items(), key=lambda kv: -kv[1])
            ],
            caption="Where the findings were made",
        )
    )
    return sec
