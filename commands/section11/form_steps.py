"""One step of the Section 11 form: a sub-question of an agency's return with the board's
scale and what the return holds for it now. Platform-neutral: the reply of `/s11 form` (and of
a score saved from the form) carries it under `data["s11_form"]`; the Slack modal and the Teams
card are drawn from it (integrations/*/s11_form.py), the console shows its lines.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from commands.context import Context
from commands.section11.common import cycle_name, settings
from commands.section11.standards import all_subs, find_sub, scale_of, standards_of
from store import s11_scores
from store.models import S11Return

DATA_KEY = "s11_form"


class FormStep(BaseModel):
    agency: str
    cycle: str  # "Section 11 2027 (statutory)"
    standard: str  # "1. Senior management commitment to safeguarding"
    sub: str  # "1.1"
    text: str  # the sub-question
    position: int  # 1-based, of `total`
    total: int
    options: list[tuple[str, str]]  # (shown, value) for the score select, worst first
    score: int | None = None  # what the return holds now
    evidence: str | None = None
    improvement: str | None = None
    action: str | None = None  # the agency's own action, and its deadline
    deadline: date | None = None
    carried_from: int | None = None  # the year of a carried answer not yet confirmed
    next: str | None = None  # the sub-question after this one; None: the last

    def lines(self) -> list[str]:
        """The step as text (the console, and any platform that cannot show the form)."""
        shown = dict((v, s) for s, v in self.options)
        now = "Not answered yet."
        if self.score is not None:
            now = f"Now: {shown.get(str(self.score), self.score)}"
            if self.carried_from:
                now += f" (carried from {self.carried_from}, not yet confirmed)"
            now += f" · evidence: {self.evidence or 'none'}"
            if self.improvement:
                now += f" · areas for improvement: {self.improvement}"
            if self.action:
                now += f" · agency action: {self.action}"
                now += f" (by {self.deadline.strftime('%-d %b %Y')})" if self.deadline else ""
        return [
            self.standard,
            f"{self.sub} {self.text}",
            "Scale: " + "; ".join(s for s, _ in self.options),
            now,
            f"Answer with /s11 score {self.agency} {self.sub} <score> evidence <link> "
            "note <areas for improvement> action <the agency's action> by <date>"
            + (f"; /s11 form {self.agency} {self.next} shows the next." if self.next else "."),
        ]


def step_for(ctx: Context, ret: S11Return, sub: str | None) -> FormStep:
    """The step for `sub`, or (None) the first sub-question with no answer or a carried one
    still to confirm (the first of all when every one is answered)."""
    cfg = settings(ctx.board)
    standards = standards_of(cfg)
    labels = [s.label for s in all_subs(standards)]
    rows = {r.sub: r for r in s11_scores.scores_for_return(ctx.session, ret.id)}
    if sub is None:
        open_ = [
            label
            for label in labels
            if label not in rows or rows[label].source == "carried" or rows[label].self_score is None
        ]
        sub = open_[0] if open_ else labels[0]
    standard, found = find_sub(standards, sub)
    scale = scale_of(cfg)
    row = rows.get(found.label)
    position = labels.index(found.label)
    return FormStep(
        agency=ret.agency.name,
        cycle=cycle_name(ret.cycle),
        standard=standard.title,
        sub=found.label,
        text=found.text,
        position=position + 1,
        total=len(labels),
        options=[(scale.describe(v.value), str(v.value)) for v in scale.values],
        score=row.self_score if row else None,
        evidence=row.evidence if row else None,
        improvement=row.improvement if row else None,
        action=row.agency_action if row else None,
        deadline=row.action_deadline if row else None,
        carried_from=row.carried_from.year if row and row.source == "carried" and row.carried_from else None,
        next=labels[position + 1] if position + 1 < len(labels) else None,
    )
