"""/kpi: the performance scorecard by business-plan priority; /kpi <measure>: its trend, as
text (the figures, for everyone and for screen readers) with the chart image attached.

Every board member sees every measure; an agency lead sees their agencies' measures only
(commands/kpi/measures.visible and the store's Viewer). RAG is always a word, never colour
alone; the trend arrow says "better" or "worse" by the measure's polarity.
"""

from __future__ import annotations

import logging
from pathlib import Path

from commands import policy
from commands.context import Context
from commands.dates import format_date
from commands.grammar import PRIORITIES
from commands.kpi import measures as measure_rules
from commands.kpi import rag, schedule, trend
from commands.kpi.asks import thresholds
from commands.kpi.breaches import reason
from commands.kpi.figures import KPI
from commands.kpi.measures import Measure
from commands.kpi.reading import (
    SCORECARD,
    TREND,
    KpiScorecardRequest,
    KpiTrendRequest,
    measure_named,
    parse_scorecard,
    parse_trend,
)
from commands.policy import ROLES, Allowed
from commands.registry import command
from commands.types import Reply
from store import kpi as kpi_store
from store import visibility
from store.models import KpiFigure

log = logging.getLogger("qabot.kpi")

# The business plan's order of priorities (as /qa status lists them).
PRIORITY_ORDER = list(dict.fromkeys(PRIORITIES.values()))
EVERYONE = Allowed(frozenset(ROLES), "see the scorecard")


def narrative_word(f: KpiFigure, needed: bool) -> str:
    n = f.narrative
    if n is not None and n.text:
        return "narrative given"
    if n is not None:
        return "narrative asked, awaited"
    return "narrative needed" if needed else "no narrative needed"


def measure_line(ctx: Context, m: Measure, history: list[KpiFigure]) -> str:
    head = f"{m.name} ({m.agency.name})"
    due_p = schedule.chased_period(ctx.board, m, ctx.today)
    have = {f.period for f in history}
    missing = (
        f"; {due_p.label} missing (due {format_date(schedule.due_on(ctx.board, m, due_p))})"
        if due_p is not None and due_p.key not in have
        else ""
    )
    if not history:
        return f"{head}: no figure yet{missing}"
    f = history[-1]
    before = (
        history[-2] if len(history) > 1 and m.period_of(history[-2].period).next().key == f.period else None
    )
    move = rag.arrow(m.entry, before.value if before else None, f.value)
    parts = [
        f"{m.period_of(f.period).label} {rag.with_unit(f.value, m.entry.unit)}",
        *([move] if move else []),
        rag.rag(m.entry, f.value).upper(),
        narrative_word(f, reason(m, f, history) is not None),
    ]
    return f"{head}: " + " — ".join(parts) + missing


@command(
    KPI,
    "scorecard",
    request=KpiScorecardRequest,
    parse=parse_scorecard,
    usage=SCORECARD,
    example="/kpi scorecard",
    summary="the scorecard by business-plan priority: latest value, trend, RAG and narrative",
    allowed=EVERYONE,
)
def scorecard(ctx: Context, req: KpiScorecardRequest) -> Reply:
    viewer = policy.viewer(ctx)
    shown = measure_rules.visible(ctx.session, ctx.board, viewer)
    lines: list[str] = []
    if viewer.agencies is not None:
        names = visibility.agency_names(ctx.session, viewer.agencies)
        lines.append("Your agencies' measures: " + (", ".join(names) if names else "none") + ".")
    if not shown:
        lines.append("No measures to show: the board file's `measures:` lists them (docs/kpi.md).")
        return Reply(title="Performance scorecard", lines=lines, data={"measures": 0})
    by_measure = measure_rules.by_measure(
        shown, kpi_store.figures(ctx.session, viewer, [m.id for m in shown])
    )
    order = {p: i for i, p in enumerate(PRIORITY_ORDER)}
    for priority in sorted({m.entry.priority for m in shown}, key=lambda p: order.get(p, len(order))):
        lines.append(f"{priority}:")
        lines += [
            "• " + measure_line(ctx, m, by_measure.get(m.id, []))
            for m in shown
            if m.entry.priority == priority
        ]
    lines.append("For one measure's trend and chart: /kpi <measure>.")
    return Reply(
        title=f"Performance scorecard — {len(shown)} measure{'' if len(shown) == 1 else 's'}",
        lines=lines,
        visibility="ephemeral",
        about_agencies=sorted({m.agency.id for m in shown}),
        data={"measures": len(shown)},
    )


@command(
    KPI,
    "trend",
    request=KpiTrendRequest,
    parse=parse_trend,
    usage=TREND,
    example="/kpi trend rereferrals",
    summary="one measure's trend: its figures in words and a chart image in the thread",
    allowed=EVERYONE,
    aliases=("show",),
)
def show_trend(ctx: Context, req: KpiTrendRequest) -> Reply:
    m = measure_named(ctx, req.measure, TREND)
    history = kpi_store.history(ctx.session, m.id, policy.viewer(ctx))
    figures = trend.recent(m, [f for f in history if m.fits(f.period)])
    head = [f"{m.entry.priority}; owned by {m.agency.name}; {m.entry.frequency}; {thresholds(m)}."]
    if not figures:
        return Reply(
            title=f"{m.name}: no figures yet",
            lines=[*head, f"Enter one with /kpi set {m.id} <period> <value>."],
            about_agencies=[m.agency.id],
            data={"measure": m.id, "points": 0},
        )
    lines = [*head, *trend.lines(m, figures)]
    files: list[str] = []
    alt_texts: dict[str, str] = {}  # a platform that takes alt text with a file uses it
    writer = ctx.services.trend_writer
    if writer is None:
        lines.append("No chart writer is configured on this bot, so only the figures are shown.")
    else:
        data = trend.chart(m, figures)
        try:
            png = writer(data, trend.chart_path(m))
            files.append(str(png))
            alt_texts[Path(png).name] = data.alt_text
            lines.append("Chart attached; the figures above are its text.")
        except Exception:  # the figures are the reply; a chart that fails is said, not fatal
            log.exception("kpi: the trend chart of %s could not be drawn", m.id)
            lines.append("The chart could not be drawn this time; the figures above are complete.")
    first, last = m.period_of(figures[0].period), m.period_of(figures[-1].period)
    return Reply(
        title=f"{m.name}: {first.label} to {last.label}",
        lines=lines,
        visibility="channel",
        about_agencies=[m.agency.id],
        files=files,
        data={"measure": m.id, "points": len(figures), **({"alt_texts": alt_texts} if alt_texts else {})},
    )
