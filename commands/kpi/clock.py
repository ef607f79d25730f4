"""The scorecard's clock: what is due is computed from the database at each tick, at the
board's `kpi: {reminder_time}` on working days (weekends, bank holidays and `closures:` off),
and every post has a stable outbox key, so a second tick or a bot that was down sends once.

- A figure that needs a narrative (red, amber, or worse two periods running) and was never
  asked about (e.g. one read from a workbook) is asked about now (commands/kpi/asks.py).
- An unanswered ask is chased in its thread on the `chase_days` after it (the latest day come,
  under a key naming it), then escalated once to the chair (direct message) and the QA
  channel on `escalate_after`. A figure corrected so that it needs no narrative is left alone;
  an ask that reached nobody is not chased (nobody reads it) but is escalated, saying so.
- A missing figure is chased from its owning agency (its channel, else its lead) on its due
  day (commands/kpi/schedule.py), once per period.
"""

from __future__ import annotations

from commands import posting
from commands.context import Scope
from commands.dates import at_local, format_date, local_date
from commands.kpi import asks, breaches, rag, schedule
from commands.kpi.measures import Measure, all_measures, settings
from commands.kpi.schedule import due_on
from commands.registry import producer
from commands.reviews.settings import calendar
from commands.reviews.working_days import WorkingDays
from commands.section11.schedule import parse_time
from commands.types import Reply
from store import kpi as kpi_store
from store import members, outbox_problems
from store.models import KpiFigure, KpiNarrative
from store.visibility import BOARD


@producer("kpi")
def produce(scope: Scope) -> int:
    """Queue every scorecard post due by scope.now; returns how many rows were queued."""
    cfg, cal = settings(scope.board), calendar(scope.board)
    if not cal.is_working(scope.today) or scope.now < at_local(
        scope.today, parse_time(cfg.reminder_time), scope.tz
    ):
        return 0
    found = {m.id: m for m in all_measures(scope.session, scope.board)}
    if not found:
        return 0
    before = scope.queued
    history: dict[str, list[KpiFigure]] = {}
    for f in kpi_store.figures(scope.session, BOARD, list(found)):
        history.setdefault(f.measure_id, []).append(f)
    for m in found.values():
        figures = history.get(m.id, [])
        if figures and figures[-1].narrative is None:
            why = breaches.reason(m, figures[-1], figures)
            if why is not None:
                asks.ask(scope, m, figures[-1], why)
        _missing(scope, m, {f.period for f in figures})
    unreached = _never_reached(scope)
    for n in kpi_store.unanswered(scope.session):
        owner = found.get(n.figure.measure_id)
        if owner is None or breaches.reason(owner, n.figure, history.get(owner.id, [])) is None:
            continue  # its measure left the board file, or the figure was corrected
        _chase_or_escalate(scope, owner, n, cal, n.id in unreached)
    return scope.queued - before


def _never_reached(scope: Scope) -> set[int]:
    rows = outbox_problems.of_subjects(
        scope.session, asks.SUBJECT, [n.id for n in kpi_store.unanswered(scope.session)]
    )
    reached = {r.subject_id for r in rows if r.status != outbox_problems.UNREACHABLE}
    return {r.subject_id for r in rows if r.subject_id is not None and r.subject_id not in reached}


def _chase_or_escalate(scope: Scope, m: Measure, n: KpiNarrative, cal: WorkingDays, unreached: bool) -> None:
    cfg = settings(scope.board)
    asked = local_date(n.asked_at, scope.tz)
    escalate_on = cal.add(asked, cfg.escalate_after)
    if escalate_on <= scope.today:
        if n.escalated_at is None:
            _escalate(scope, m, n, cal.number(asked, scope.today), unreached)
        return
    come = [d for d in cfg.chase_days if cal.add(asked, d) <= scope.today]
    if not come or unreached:
        return
    wd = come[-1]
    rows = asks.to_thread(
        scope, m, n, event=f"chase:WD{wd}", kind="kpi_chaser", reply=asks.chaser(m, n, wd, escalate_on)
    )
    if rows:
        n.chased_at = scope.now


def _escalate(scope: Scope, m: Measure, n: KpiNarrative, days: int, unreached: bool) -> None:
    f = n.figure
    label = m.period_of(f.period).label
    lines = [
        f"{m.agency.name} was asked {asks.plural(days, 'working day')} ago what lies behind {m.name} for "
        f"{label} ({rag.with_unit(f.value, m.entry.unit)}, {n.reason}) and has not answered.",
    ]
    if unreached:
        lines.append(
            f"{m.agency.name} was never reached (no channel or lead address): give it a channel or a lead "
            "in the board file. This is not a late reply."
        )
    lines.append(f"See /kpi {m.id}.")
    reply = Reply(
        title=f"No narrative yet: {m.name}, {label}",
        lines=lines,
        visibility="channel",
        about_agencies=[m.agency.id],
        data={"measure": m.id, "period": f.period, "days": days},
    )
    key = f"{n.thread_key}:escalation"
    rows = posting.to_channel(scope, "qa", key=key, kind="kpi_escalation", reply=reply)
    for chair in members.by_role(scope.session, "chair"):
        rows += posting.to_member(
            scope, chair, key=f"{key}:chair:{chair.id}", kind="kpi_escalation", reply=reply
        )
    n.escalated_at = scope.now
    scope.audit("kpi_figure", f.id, "narrative escalated", None, {"working_days": days})


def _missing(scope: Scope, m: Measure, have: set[str]) -> None:
    p = schedule.chased_period(scope.board, m, scope.today)
    if p is None or p.key in have:
        return
    due = due_on(scope.board, m, p)
    lead = m.agency.lead
    source = m.entry.source
    how = (
        f"Enter it with /kpi set {m.id} {p.label} <value>."
        if source == "chat"
        else f"It is read from the workbook {source.workbook} (sheet {source.sheet}, cell {source.cell}): "
        "update the workbook, or enter it with /kpi set."
    )
    reply = Reply(
        title=f"{m.name}: the figure for {p.label} is due",
        lines=[
            f"{m.agency.name}'s figure for {m.name}, {p.label}, was due on {format_date(due)} "
            "and is not in yet.",
            how,
            *([f"For the attention of {lead.name} (@{lead.handle})."] if lead else []),
        ],
        visibility="channel",
        about_agencies=[m.agency.id],
        data={"measure": m.id, "period": p.key},
    )
    posting.to_agency(
        scope, m.agency, key=f"{asks.thread_key(m.id, p.key)}:missing", kind="kpi_missing", reply=reply
    )
