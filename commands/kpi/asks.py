"""Asking the owning agency's lead "what lies behind it" about a figure, in a thread of its own
(one per measure and period: the outbox thread key), and the posts that follow in it.

Posted to the agency's own channel, else a direct message to its lead (commands/posting.py);
an agency that reaches nobody gets an 'unreachable' row, which the delivery notices tell the
QA officer about (commands/delivery_notices.py). Asking twice about one figure asks once:
the narrative row is unique per figure and the outbox keys are stable.
"""

from __future__ import annotations

from datetime import date

from commands import posting
from commands.context import Scope
from commands.dates import format_date
from commands.kpi import rag
from commands.kpi.breaches import WORSE_TWICE
from commands.kpi.measures import Measure
from commands.types import Reply
from store import kpi as kpi_store
from store.models import KpiFigure, KpiNarrative, OutboxMessage
from store.visibility import BOARD

SUBJECT = "kpi_narrative"
REPLY_HINT = (
    "Reply in this thread with what lies behind it: your reply is kept with the figure as its "
    "narrative, shown on /kpi and in the Board's papers. Please name no child or family member."
)


def thread_key(measure_id: str, period_key: str) -> str:
    return f"kpi:{measure_id}:{period_key}"


def thresholds(m: Measure) -> str:
    """ "red at 25% or above, amber at 22% or above (lower is better)"."""
    e = m.entry
    side = "or above" if e.polarity == "lower" else "or below"
    return (
        f"red at {rag.with_unit(e.red, e.unit)} {side}, amber at {rag.with_unit(e.amber, e.unit)} {side} "
        f"({e.polarity} is better)"
    )


def why_line(m: Measure, figure: KpiFigure, why: str, scope: Scope) -> str:
    p = m.period_of(figure.period)
    value = rag.with_unit(figure.value, m.entry.unit)
    if why != WORSE_TWICE:
        return f"{m.name} for {p.label} is {value}: {why.upper()} ({thresholds(m)})."
    before = p.previous()
    older = [kpi_store.figure(scope.session, m.id, q.key, BOARD) for q in (before.previous(), before)]
    trail = ", ".join(f"{q.label} {rag.with_unit(f.value, m.entry.unit)}" for q, f in zip(
        (before.previous(), before), older, strict=True) if f is not None)  # fmt: skip
    return (
        f"{m.name} for {p.label} is {value}: it has moved the wrong way two periods running "
        f"({trail}, now {value}; {m.entry.polarity} is better)."
    )


def attention(m: Measure) -> list[str]:
    lead = m.agency.lead
    return [f"For the attention of {lead.name} (@{lead.handle})."] if lead else []


def ask(scope: Scope, m: Measure, figure: KpiFigure, why: str) -> KpiNarrative:
    """The figure's narrative ask: queued now, or the one already made (never twice)."""
    if figure.narrative is not None:
        return figure.narrative
    key = thread_key(m.id, figure.period)
    row = KpiNarrative(figure_id=figure.id, reason=why, asked_at=scope.now, thread_key=key)
    scope.session.add(row)
    scope.session.flush()
    figure.narrative = row
    label = m.period_of(figure.period).label
    reply = Reply(
        title=f"{m.name}, {label}: what lies behind it?",
        lines=[why_line(m, figure, why, scope), *attention(m), REPLY_HINT],
        visibility="channel",
        about_agencies=[m.agency.id],
        data={"measure": m.id, "period": figure.period, "reason": why},
    )
    to_thread(scope, m, row, event="ask", kind="kpi_ask", reply=reply)
    scope.audit("kpi_figure", figure.id, "narrative asked", None, {"reason": why, "thread": key})
    return row


def to_thread(
    scope: Scope, m: Measure, n: KpiNarrative, *, event: str, kind: str, reply: Reply
) -> list[OutboxMessage]:
    """A post in the figure's thread, once per `event` (the outbox key)."""
    return posting.to_agency(
        scope,
        m.agency,
        key=f"{n.thread_key}:{event}",
        kind=kind,
        reply=reply,
        thread_key=n.thread_key,
        subject=(SUBJECT, n.id),
    )


def chaser(m: Measure, n: KpiNarrative, wd: int, escalate_on: date) -> Reply:
    label = m.period_of(n.figure.period).label
    return Reply(
        title=f"Reminder: {m.name}, {label} — what lies behind it?",
        lines=[
            f"{m.agency.name} was asked {plural(wd, 'working day')} ago for the narrative behind "
            f"{m.name} for {label} ({rag.with_unit(n.figure.value, m.entry.unit)}).",
            f"Without one, the chair will be told on {format_date(escalate_on)}.",
            *attention(m),
            REPLY_HINT,
        ],
        visibility="channel",
        about_agencies=[m.agency.id],
        data={"measure": m.id, "period": n.figure.period, "wd": wd},
    )


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
