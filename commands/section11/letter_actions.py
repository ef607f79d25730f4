"""The actions a feedback letter agrees become tracked actions: one per sub-question with an
agency action, owned by the agency's lead, due on its deadline, tied to the return
(`s11_return_id`) and sourced `s11:<year>:<cohort>:<sub>`. Writing the letters again finds
them by that source and creates none twice (an open one whose text or deadline changed is
updated, audited)."""

from __future__ import annotations

from dataclasses import dataclass, field

from commands.common import action_snapshot
from commands.context import Context
from commands.dates import format_date
from store import s11_letters
from store.models import Action, S11Cycle, S11Return, S11Score


@dataclass
class Tracked:
    by_sub: dict[str, Action] = field(default_factory=dict)
    new: list[str] = field(default_factory=list)  # "A-5"
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # raised before, no longer agreed


def source_of(cycle: S11Cycle, sub: str) -> str:
    return f"{s11_letters.LETTER_SOURCE}{cycle.year}:{cycle.cohort}:{sub}"


def agreed(scores: list[S11Score]) -> list[S11Score]:
    return [s for s in scores if s.agency_action and s.agency_action.strip()]


def track(ctx: Context, cycle: S11Cycle, ret: S11Return, scores: list[S11Score]) -> Tracked:
    existing = s11_letters.letter_actions(ctx.session, ret.id)
    owner = ret.agency.lead or ret.agency.substitute
    out = Tracked()
    wanted = set()
    for s in agreed(scores):
        source = source_of(cycle, s.sub)
        wanted.add(source)
        text = " ".join((s.agency_action or "").split())
        action = existing.get(source)
        if action is None:
            action = Action(
                text=text,
                owner_id=owner.id if owner else None,
                agency_id=ret.agency_id,
                due_date=s.action_deadline,
                status="open",
                s11_return_id=ret.id,
                source=source,
                created_at=ctx.now,
                created_by_id=ctx.actor.id,
            )
            ctx.session.add(action)
            ctx.session.flush()
            action.owner, action.agency = owner, ret.agency
            ctx.audit("action", action.id, "created", None, action_snapshot(action))
            out.new.append(f"A-{action.id}")
        elif action.status == "open" and (action.text, action.due_date) != (text, s.action_deadline):
            before = action_snapshot(action)
            action.text, action.due_date = text, s.action_deadline
            ctx.audit("action", action.id, "updated", before, action_snapshot(action))
            out.updated.append(f"A-{action.id}")
        else:
            out.kept.append(f"A-{action.id}")
        out.by_sub[s.sub] = action
    out.dropped = [f"A-{a.id}" for src, a in existing.items() if src not in wanted and a.status == "open"]
    return out


def summary(t: Tracked) -> str:
    parts = []
    if t.new:
        parts.append(f"new {', '.join(t.new)}")
    if t.updated:
        parts.append(f"updated {', '.join(t.updated)}")
    if t.kept:
        parts.append(f"already tracked {', '.join(t.kept)}")
    text = "; ".join(parts) or "none agreed"
    if t.dropped:
        text += (
            f"; {', '.join(t.dropped)} no longer agreed in the moderation but still open "
            "(close with /action cancel A-<n> <reason> if it is no longer needed)"
        )
    return f"actions: {text}"


def due_text(a: Action) -> str:
    return f"by {format_date(a.due_date)}" if a.due_date else "no deadline given"
