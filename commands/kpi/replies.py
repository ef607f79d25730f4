"""The owning agency answers "what lies behind it" in the figure's thread: the reply is kept
with the figure as its narrative and answered with what was understood (docs/kpi.md).

Recorded as every agency thread reply is (commands/thread_record.py); read through the
safeguarding guard before anything is kept. A thank-you alone is recorded and changes nothing;
a second narrative replaces the first (the audit keeps both). Only the agency's own people,
the chair and the QA officer give its narrative; anyone else is recorded and changes nothing.
"""

from __future__ import annotations

from commands import policy, thread_record
from commands.common import safeguard
from commands.context import Context
from commands.grammar import clean
from commands.kpi import measures as measure_rules
from commands.kpi import rag
from commands.kpi.asks import SUBJECT
from commands.registry import no_thread_reply, thread_reply
from commands.types import Reply
from commands.understanding import read
from store import kpi as kpi_store
from store.models import OutboxMessage

no_thread_reply("kpi_escalation", "a notice to the chair and the QA channel; replies are conversation")
no_thread_reply("kpi_missing", "a reminder that a figure is due: it is entered with /kpi set")
no_thread_reply("kpi_workbook", "a notice to the QA officer about a workbook cell; replies are conversation")

HINT = "Reply in this thread with what lies behind the figure."


@thread_reply("kpi_ask")
@thread_reply("kpi_chaser")
def handle_reply(ctx: Context, root: OutboxMessage) -> Reply | None:
    if root.subject_type != SUBJECT or root.subject_id is None:
        return None
    n = kpi_store.narrative(ctx.session, root.subject_id)
    if n is None:
        return None
    text = clean(ctx.inbound.text_and_files())
    if not text:
        return Reply(data={"ignored": True})
    safeguard(ctx, text, HINT)
    figure = n.figure
    m = next(
        (x for x in measure_rules.all_measures(ctx.session, ctx.board) if x.id == figure.measure_id), None
    )
    agency = m.agency if m is not None else None
    name = m.name if m is not None else figure.measure_id
    label = m.period_of(figure.period).label if m is not None else figure.period
    row = thread_record.record(ctx, root, text)
    whose = f"the narrative of {name} for {label}"
    own = ctx.actor.id is not None and policy.acts_for(ctx, figure.agency_id)
    officer = ctx.actor.id is not None and policy.is_officer(ctx.actor)
    if not own and not officer:
        return thread_record.not_theirs(
            ctx, agency.name if agency else "its agency", whose, {"narrative_id": n.id}
        )
    if read(text).intent == "ack":
        row.interpretation = "ack"
        ctx.session.flush()
        return Reply(data={"ignored": True, "interpretation": "ack", "narrative_id": n.id})
    before = {"text": n.text, "answered_by_id": n.answered_by_id}
    replaced = n.text is not None
    n.text, n.answered_by_id, n.answered_at = text, ctx.actor.id, ctx.now
    row.interpretation = "narrative"
    ctx.session.flush()
    ctx.audit(
        "kpi_figure", figure.id, "narrative given", before, {"text": text, "answered_by_id": ctx.actor.id}
    )
    value = rag.with_unit(figure.value, m.entry.unit) if m is not None else f"{figure.value:g}"
    lines = [
        f"Recorded as the narrative of {name} for {label} ({value}), from @{ctx.actor.handle}: “{text}”.",
        "It is kept with the figure and shown on /kpi; no more reminders will be sent for it.",
    ]
    if replaced:
        lines.insert(1, "It replaces the narrative given before (both are in the audit log).")
    lines.append("Reply again in this thread to replace it.")
    return Reply(
        title=f"Thank you — the narrative for {name}, {label} is kept",
        lines=lines,
        visibility="channel",
        about_agencies=[figure.agency_id],
        data={"interpretation": "narrative", "narrative_id": n.id},
    )
