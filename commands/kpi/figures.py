"""/kpi set: a measure's figure for a period, entered in chat by the owning agency's people,
the chair or the QA officer (docs/kpi.md).

The reply says the figure's RAG in words, its trend against the period before and what
happens next (its lead asked for the narrative, or nothing needed; when the next figure is
due). A figure entered again for the same period is a correction: audited old → new.
"""

from __future__ import annotations

from typing import Any

from commands import policy
from commands.common import safeguard
from commands.context import Context, Scope
from commands.dates import format_date, local_date
from commands.errors import FieldError, PermissionDenied, about_field
from commands.kpi import asks, breaches, rag, schedule
from commands.kpi.measures import Measure
from commands.kpi.reading import SET, KpiSetRequest, measure_named, parse_set, period_in
from commands.policy import ROLES, Allowed
from commands.registry import command, group
from commands.types import Reply
from store import kpi as kpi_store
from store.models import KpiFigure
from store.visibility import BOARD

KPI = group(
    "kpi",
    summary="performance scorecard: figures by business-plan priority, trends and narratives",
    aliases=("kpis",),
    bare="scorecard",
    otherwise="trend",
)


def snapshot(f: KpiFigure) -> dict[str, Any]:
    return {"value": f.value, "note": f.note, "source": f.source}


def require_may_enter(ctx: Context, m: Measure) -> None:
    """The owning agency's people (its lead, deputy and members), the chair and the QA officer."""
    if policy.is_officer(ctx.actor) or policy.acts_for(ctx, m.agency.id):
        return
    raise PermissionDenied(
        f"Only {m.agency.name}'s people, the chair or the QA officer can enter figures for {m.name}."
    )


@command(
    KPI,
    "set",
    request=KpiSetRequest,
    parse=parse_set,
    usage=SET,
    example="/kpi set rereferrals Dec 2026 24.5 note Two large sibling groups re-referred",
    summary="enter a measure's figure for a month or quarter (again to correct it)",
    allowed=Allowed(frozenset(ROLES), "enter a figure"),
)
def set_figure(ctx: Context, req: KpiSetRequest) -> Reply:
    m = measure_named(ctx, req.measure, SET)
    require_may_enter(ctx, m)
    period = period_in(m, req.period, SET)
    if period.first_day > ctx.today:
        problem = f"{period.label} has not begun yet: a figure is for a period under way or past."
        raise FieldError(problem, SET, field="period")
    note = None
    if req.note:
        with about_field("note"):
            safeguard(ctx, req.note, SET)
        note = req.note.strip()
    existing = kpi_store.figure(ctx.session, m.id, period.key, policy.viewer(ctx))
    lines: list[str] = []
    if existing is not None and existing.value == req.value and (note is None or note == existing.note):
        return Reply(
            title=f"{m.name}, {period.label}: {rag.with_unit(req.value, m.entry.unit)} is already recorded",
            lines=["Nothing was changed."],
            visibility="ephemeral",
            about_agencies=[m.agency.id],
            data={"measure": m.id, "period": period.key, "unchanged": True},
        )
    if existing is not None:
        before = snapshot(existing)
        was = rag.with_unit(existing.value, m.entry.unit)
        existing.value, existing.source = req.value, "chat"
        existing.note = note if note is not None else existing.note
        existing.entered_by_id, existing.entered_at = ctx.actor.id, ctx.now
        figure = existing
        ctx.session.flush()
        ctx.audit("kpi_figure", figure.id, "corrected", before, snapshot(figure))
        lines.append(f"Corrected: {period.label} was {was}, now {rag.with_unit(req.value, m.entry.unit)}.")
    else:
        figure = KpiFigure(
            measure_id=m.id,
            period=period.key,
            agency_id=m.agency.id,
            value=req.value,
            note=note,
            source="chat",
            entered_by_id=ctx.actor.id,
            entered_at=ctx.now,
        )
        ctx.session.add(figure)
        ctx.session.flush()
        ctx.audit("kpi_figure", figure.id, "entered", None, snapshot(figure) | {"period": period.key})
    colour = rag.rag(m.entry, req.value)
    lines.append(trend_line(ctx, m, figure))
    lines += next_steps(ctx, m, figure)
    return Reply(
        title=f"{m.name}, {period.label}: {rag.with_unit(req.value, m.entry.unit)} — {colour.upper()}",
        lines=lines,
        visibility="channel",
        about_agencies=[m.agency.id],
        data={"measure": m.id, "period": period.key, "rag": colour, "figure_id": figure.id},
    )


def trend_line(scope: Scope, m: Measure, figure: KpiFigure) -> str:
    before = m.period_of(figure.period).previous()
    prev = kpi_store.figure(scope.session, m.id, before.key, BOARD)  # same measure: same agency
    if prev is None:
        return f"No figure for {before.label} to compare with."
    was = f"{before.label} ({rag.with_unit(prev.value, m.entry.unit)})"
    shown = rag.arrow(m.entry, prev.value, figure.value)
    return f"Trend: → the same as {was}." if shown.endswith("same") else f"Trend: {shown} than {was}."


def next_steps(scope: Scope, m: Measure, figure: KpiFigure) -> list[str]:
    """Whether the lead is asked for a narrative (and was it already), and the next due day."""
    history = kpi_store.history(scope.session, m.id, BOARD)
    why = breaches.reason(m, figure, history)
    lines: list[str] = []
    if why is None:
        lines.append("Nothing more is needed for it: no narrative is asked for.")
    elif figure.narrative is not None and figure.narrative.text:
        lines.append(f"Its narrative is kept: “{figure.narrative.text}”.")
    elif figure.narrative is not None:
        asked = format_date(local_date(figure.narrative.asked_at, scope.tz))
        lines.append(f"Its narrative was asked for on {asked}; still awaited.")
    else:
        asks.ask(scope, m, figure, why)
        lead = m.agency.lead
        who = (
            f"{lead.name} (@{lead.handle})" if lead else f"{m.agency.name} (it has no lead in the board file)"
        )
        because = why.upper() if why != breaches.WORSE_TWICE else "worse two periods running"
        lines.append(
            f"Because it is {because}, {who} is asked in a thread what lies behind it; "
            "their reply there is kept with the figure as its narrative."
        )
    nxt, due = schedule.next_due(scope.board, m, m.period_of(figure.period))
    lines.append(f"The figure for {nxt.label} is due by {format_date(due)}.")
    return lines
