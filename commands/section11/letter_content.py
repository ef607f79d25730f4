"""What goes into one agency's Section 11 feedback letter: its scores per standard (self vs
moderated, on the board's scale), the panel's commentary (the moderator's notes) and the
actions agreed (each with its tracked A- reference and deadline)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

from commands import document_head
from commands.context import Context
from commands.dates import format_date, local_date
from commands.section11.common import cycle_name, settings
from commands.section11.letter_data import LetterAction, LetterData, LetterScore
from commands.section11.standards import NotOnScale, Scale, scale_of, standards_of
from store import members
from store.models import Action, S11Cycle, S11Return, S11Score


def shown(scale: Scale, value: int | None, missing: str) -> str:
    """ "2 Met", "Amber", or `missing`; a value the scale no longer has is shown as stored."""
    if value is None:
        return missing
    try:
        sv = scale.value(value)
    except NotOnScale:
        return str(value)
    return sv.name if sv.label.lower() == sv.name.lower() else f"{sv.label} {sv.name}"


def scale_lines(scale: Scale) -> list[str]:
    return [f"{shown(scale, sv.value, '')}: {sv.descriptor}" for sv in scale.values]


def _difference(scale: Scale, row: S11Score | None) -> int | None:
    """The panel's score against the agency's, in points of the scale: negative when the
    panel's is less favourable (whatever the scale's direction)."""
    if row is None or row.self_score is None or row.moderated_score is None:
        return None
    return -scale.gap(row.self_score, row.moderated_score)


def collect(
    ctx: Context, cycle: S11Cycle, ret: S11Return, scores: list[S11Score], actions: dict[str, Action]
) -> LetterData:
    """The letter's content. `actions` are this return's tracked actions by sub-question."""
    cfg = settings(ctx.board)
    scale, standards = scale_of(cfg), standards_of(cfg)
    by_sub = {s.sub: s for s in scores}
    data = LetterData(
        head=document_head.head(ctx),
        title=f"Section 11 feedback letter {cycle.year}: {ret.agency.name}",
        cycle=cycle_name(cycle),
        agency=ret.agency.name,
        addressee=contact.name if (contact := ret.agency.lead or ret.agency.substitute) else None,
        signed_by=next((m.name for m in members.by_role(ctx.session, "chair")), None),
        moderated_on=_moderated_on(ctx, cycle, scores),
        scale=scale_lines(scale),
    )
    known: set[str] = set()
    for std in standards:
        rows = []
        for sub in std.subs:
            known.add(sub.label)
            row = by_sub.get(sub.label)
            rows.append(
                LetterScore(
                    ref=sub.label,
                    question=sub.text,
                    self_score=shown(scale, row.self_score if row else None, "not scored"),
                    moderated=shown(scale, row.moderated_score if row else None, "not moderated"),
                    differs_by=_difference(scale, row),
                )
            )
        data.standards.append((std.title, rows))
    # Scores of sub-questions the board file no longer lists are still the agency's record.
    orphans = [s for s in scores if s.sub not in known]
    if orphans:
        data.standards.append(
            (
                "Sub-questions no longer in the board's standards",
                [
                    LetterScore(
                        s.sub,
                        "(no longer listed)",
                        shown(scale, s.self_score, "not scored"),
                        shown(scale, s.moderated_score, "not moderated"),
                        _difference(scale, s),
                    )
                    for s in orphans
                ],
            )
        )
    data.commentary = [(s.sub, s.moderator_note) for s in scores if s.moderator_note]
    for s in scores:
        action = actions.get(s.sub)
        if action is not None:
            due = format_date(action.due_date) if action.due_date else "no deadline given"
            data.actions.append(LetterAction(f"A-{action.id}", s.sub, action.text, due))
    return data


def _moderated_on(ctx: Context, cycle: S11Cycle, scores: list[S11Score]) -> str | None:
    if cycle.panel_date:
        return format_date(cycle.panel_date)
    times = [s.moderated_at for s in scores if s.moderated_at]
    return format_date(local_date(max(times), ctx.tz)) if times else None


def digest(data: LetterData) -> str:
    """A short fingerprint of what the letter says (not when it was written): the same letter
    again is posted once; a letter that changed is posted anew."""
    content = asdict(data)
    content.pop("head")
    text = json.dumps(content, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]
