"""The Section 11 clock: what is due is computed from the database at each tick.

For each open return, only the latest reminder slot that has come (and is later than the
launch, or the grant of an extension) is queued, under a key naming that slot's date: a
second tick queues nothing, and a bot that was down sends one reminder, not a burst.
Escalation to the chair happens once per cycle.
"""

from __future__ import annotations

from datetime import datetime

from commands import delivery_report, policy, posting
from commands.context import Scope
from commands.dates import at_local, format_date
from commands.registry import producer
from commands.section11 import schedule
from commands.section11.common import (
    cycle_name,
    effective_deadline,
    plural,
    post_in_thread,
    reminder_post,
    reminder_time,
    settings,
    thread_key,
)
from commands.types import Reply
from store import members
from store import section11 as s11
from store.models import S11Cycle, S11Return


@producer("section11")
def produce(scope: Scope) -> int:
    """Queue every Section 11 post due by scope.now; returns how many rows were queued."""
    queued = 0
    for cycle in s11.open_cycles(scope.session):
        returns = s11.returns_of(scope.session, cycle.id, policy.BOARD)  # the clock's own work
        for ret in returns:
            # An agency the board file deactivated gets no reminders (the import said so).
            if ret.status != "submitted" and ret.agency.active:
                queued += _remind(scope, ret)
        queued += _escalate(scope, cycle, returns)
    return queued


def _remind(scope: Scope, ret: S11Return) -> int:
    cfg = settings(scope.board)
    at = reminder_time(cfg)
    deadline = effective_deadline(ret)
    slots = schedule.slots(
        deadline, cfg.reminder_days, weekly_after=cfg.weekly_after_deadline, until=scope.today
    )
    after: datetime = ret.cycle.launched_at
    if ret.cycle.replanned_at and ret.cycle.replanned_at > after:
        after = ret.cycle.replanned_at  # a moved deadline: its earlier slots are not sent late
    if ret.extension_granted_to and ret.extension_granted_at and ret.extension_granted_at > after:
        after = ret.extension_granted_at
    slot = schedule.due_slot(slots, now=scope.now, after=after, at=at, tz=scope.tz)
    if slot is None:
        return 0
    cycle, agency = ret.cycle, ret.agency
    event = f"reminder:{slot.day.isoformat()}"
    with_sub = schedule.substitute_due(slot) and ret.lead_replied_at is None and agency.substitute is not None
    rows = post_in_thread(
        scope,
        cycle.id,
        agency,
        ret.id,
        event=event,
        kind="s11_reminder",
        reply=reminder_post(ret, slot, scope.today, with_substitute=with_sub),
    )
    queued = len(rows)
    if with_sub and agency.substitute is not None:
        # The substitute also hears directly, in a thread of their own (a direct message
        # cannot sit in the agency channel's thread).
        direct = reminder_post(ret, slot, scope.today, with_substitute=True)
        direct.lines.insert(
            0, f"You are the substitute Section 11 contact for {agency.name}; the lead has not answered yet."
        )
        queued += len(
            posting.to_member(
                scope,
                agency.substitute,
                key=f"{thread_key(cycle.id, agency.id)}:{event}:substitute",
                kind="s11_reminder",
                reply=direct,
                thread_key=f"{thread_key(cycle.id, agency.id)}:substitute",
                subject=("s11_return", ret.id),
            )
        )
    return queued


def _escalate(scope: Scope, cycle: S11Cycle, returns: list[S11Return]) -> int:
    if cycle.escalated_at is not None:
        return 0
    cfg = settings(scope.board)
    day = schedule.escalation_day(cycle.deadline, cfg.escalate_after_days)
    at = reminder_time(cfg)
    # At the reminder time of the escalation day, or of a later day (after an outage, or once
    # an extension has lapsed), never in the small hours.
    if scope.now < at_local(day, at, scope.tz) or scope.now < at_local(scope.today, at, scope.tz):
        return 0
    outstanding = [r for r in returns if r.status != "submitted"]
    # An agency the posts never reached was never chased: it is not "late as if chased".
    never = delivery_report.of_returns(scope, outstanding).not_reached
    unreached = [r for r in outstanding if r.id in never]
    late = [
        (r, schedule.days_late(effective_deadline(r), scope.today)) for r in outstanding if r.id not in never
    ]
    overdue = [(r, n) for r, n in late if n > 0]
    within = [r for r, n in late if n == 0]
    if not overdue and not unreached:
        return 0  # nothing late (yet): looked at again at the next tick
    lines = [
        f"For the attention of the chair, {m.name} (@{m.handle})."
        for m in members.by_role(scope.session, "chair")
    ]
    lines += [
        f"{r.agency.name} — {plural(n, 'day')} late (deadline {format_date(effective_deadline(r))})"
        + (", extension granted" if r.extension_granted_to else "")
        + (
            f", extension asked to {format_date(r.extension_requested_to)}"
            if r.status == "extension_requested" and r.extension_requested_to
            else ""
        )
        for r, n in overdue
    ]
    if within:
        lines.append(
            "Not yet late, within a granted extension: "
            + "; ".join(f"{r.agency.name} (to {format_date(effective_deadline(r))})" for r in within)
        )
    if unreached:
        lines.append(
            "Never reached, so never chased (not counted as late): "
            + "; ".join(f"{r.agency.name} ({delivery_report.why(never[r.id][-1])})" for r in unreached)
        )
    lines.append(f"See /s11 status {cycle.year} for the detail.")
    reply = Reply(
        title=f"{cycle_name(cycle)}: {plural(len(overdue), 'return')} late "
        f"{cfg.escalate_after_days} days after the deadline ({format_date(cycle.deadline)})",
        lines=lines,
        visibility="channel",
        data={
            "cycle_id": cycle.id,
            "late": {r.agency.name: n for r, n in overdue},
            "not_reached": [r.agency.name for r in unreached],
        },
    )
    rows = posting.to_channel(
        scope, "qa", key=f"s11:{cycle.id}:escalation", kind="s11_escalation", reply=reply
    )
    if rows:
        cycle.escalated_at = scope.now
        scope.audit(
            "s11_cycle", cycle.id, "escalated", None, {"late": {r.agency.name: n for r, n in overdue}}
        )
    return len(rows)
