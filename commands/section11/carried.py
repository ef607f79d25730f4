"""Carried forward: a new cycle's return starts from the agency's answers in its last cycle
("12 answers carried from 2025: confirm, update or change"), and /s11 confirm keeps them as
they are. A carried answer is a score row with source "carried" until it is confirmed or
changed (commands/section11/scores.py); only a changed one needs new evidence.

Also the per-agency counts /s11 status shows: answered, carried and not confirmed, missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from commands import policy, resolve
from commands.context import Context, Scope
from commands.errors import FieldError, UsageError, about_field
from commands.groups import S11
from commands.registry import command
from commands.section11.common import plural, settings
from commands.section11.reading import MODEL, agency_then
from commands.section11.scores import may_self_assess, open_return, sub_label
from commands.section11.standards import all_subs, scale_of, standards_of
from commands.types import Reply
from store import s11_scores
from store.models import S11Cycle, S11Return, S11Score
from store.visibility import Viewer

CONFIRM = "/s11 confirm <agency> [<std.sub>|all]"


@dataclass(frozen=True)
class Carried:
    count: int
    from_year: int

    def line(self, agency: str) -> str:
        return (
            f"{plural(self.count, 'answer')} carried from {self.from_year}: confirm, update or change "
            f"them. /s11 confirm {agency} all keeps them as they are; "
            f"/s11 score {agency} <std.sub> <score> evidence <link> changes one (a changed answer "
            "needs new evidence)."
        )


def carry_forward(scope: Scope, cycle: S11Cycle, ret: S11Return) -> Carried | None:
    """Starts a new return from the agency's answers in its last cycle that has any (only the
    sub-questions the board still asks). None when there is nothing to carry."""
    previous = s11_scores.previous_answers(scope.session, ret.agency_id, cycle.id)
    asked = {sub.label for sub in all_subs(standards_of(settings(scope.board)))}
    kept = [r for r in previous if r.sub in asked]
    if not kept:
        return None
    source_cycle = kept[0].s11_return.cycle
    answers = [
        s11_scores.Answer(r.sub, r.self_score, evidence=r.evidence, improvement=r.improvement) for r in kept
    ]
    s11_scores.replace_answers(
        scope.session, ret.id, answers, "carried", None, scope.now, carried_from_cycle_id=source_cycle.id
    )
    return Carried(len(kept), source_cycle.year)


def launch_with_scoring(scope: Scope, reply: Reply, agency: str, carried: Carried | None) -> Reply:
    """The launch post with how to score (and what was carried), before its closing hint."""
    scale = scale_of(settings(scope.board))
    subs = all_subs(standards_of(settings(scope.board)))
    extra = [
        f"Score each sub-question ({subs[0].label} to {subs[-1].label}) on the board's scale — "
        f"{scale.choices()} — with /s11 form {agency}, or one at a time with "
        f"/s11 score {agency} <std.sub> <score> evidence <link> note <areas for improvement>.",
    ]
    if carried is not None:
        extra.append(carried.line(agency))
    lines = reply.lines[:-1] + extra + reply.lines[-1:]
    return reply.model_copy(
        update={"lines": lines, "data": reply.data | {"carried": carried.count if carried else 0}}
    )


@dataclass(frozen=True)
class Counts:
    answered: int
    carried: int
    missing: int
    carried_from: int | None  # the year the carried answers came from

    def line(self) -> str:
        parts = [f"{self.answered} answered"]
        if self.carried:
            parts.append(f"{self.carried} carried from {self.carried_from}, not confirmed")
        parts.append(f"{self.missing} missing")
        total = self.answered + self.carried + self.missing
        return "  scores: " + " · ".join(parts) + f" (of {total})"


def counts_by_return(ctx: Context, cycle: S11Cycle, viewer: Viewer) -> dict[int, Counts]:
    """Each visible return's answered / carried-unconfirmed / missing sub-questions; {} when no
    return of the cycle has any score yet (nothing to count)."""
    rows = s11_scores.scores_for_cycle(ctx.session, cycle.id, viewer)
    if not rows:
        return {}
    asked = {sub.label for sub in all_subs(standards_of(settings(ctx.board)))}
    by_return: dict[int, list[S11Score]] = {}
    for r in rows:
        if r.sub in asked:
            by_return.setdefault(r.return_id, []).append(r)
    out: dict[int, Counts] = {}
    for ret_id in {r.return_id for r in rows}:
        mine = by_return.get(ret_id, [])
        carried = [r for r in mine if r.source == "carried"]
        answered = sum(r.self_score is not None and r.source != "carried" for r in mine)
        year = carried[0].carried_from.year if carried and carried[0].carried_from else None
        out[ret_id] = Counts(answered, len(carried), len(asked) - answered - len(carried), year)
    return out


def status_line(counts: dict[int, Counts], ret: S11Return, total_subs: int) -> list[str]:
    """The scores line under an agency on /s11 status (none while the cycle has no scores)."""
    if not counts:
        return []
    found = counts.get(ret.id) or Counts(0, 0, total_subs, None)
    return [found.line()]


class S11ConfirmRequest(BaseModel):
    """Carried answers to keep as they are: one sub-question, or all (`sub` None)."""

    model_config = MODEL

    agency: str
    sub: str | None = None


def parse_confirm(ctx: Context, args: str) -> S11ConfirmRequest:
    with about_field("agency"):
        agency, rest = agency_then(ctx, args, CONFIRM)
    if len(rest) > 1:
        raise UsageError(
            f'"{" ".join(rest)}" is not one sub-question: say one, such as 1.1, or all.', CONFIRM
        )
    if not rest or rest[0].lower() == "all":
        return S11ConfirmRequest(agency=agency.name)
    return S11ConfirmRequest(agency=agency.name, sub=sub_label(ctx, rest[0], CONFIRM))


@command(
    S11,
    "confirm",
    request=S11ConfirmRequest,
    parse=parse_confirm,
    usage=CONFIRM,
    example="/s11 confirm Surrey Police all",
    summary="keep answers carried from the agency's last cycle as they are (their evidence too)",
)
def confirm(ctx: Context, req: S11ConfirmRequest) -> Reply:
    with about_field("agency"):
        agency = resolve.agency_called(ctx, req.agency, CONFIRM)
    may_self_assess(ctx, agency)
    sub = sub_label(ctx, req.sub, CONFIRM) if req.sub is not None else None
    ret = open_return(ctx, agency, CONFIRM)
    if sub is not None:
        row = s11_scores.score_for(ctx.session, ret.id, sub)
        if row is None or row.source != "carried":
            state = (
                "has no answer yet"
                if row is None or row.self_score is None
                else "is already confirmed or changed"
            )
            raise FieldError(
                f"{sub} of {agency.name}'s return {state}: there is no carried answer to confirm.",
                CONFIRM,
                field="sub",
            )
    rows = s11_scores.confirm_carried(
        ctx.session, ret.id, [sub] if sub else None, by_id=ctx.actor.id, at=ctx.now, source="chat"
    )
    if not rows:
        return Reply(
            title=f"Nothing to confirm: {agency.name}",
            lines=[f"No answer of {agency.name}'s return is still carried from its last cycle unconfirmed."],
            data={"agency": agency.name, "confirmed": 0},
        )
    year = rows[0].carried_from.year if rows[0].carried_from else None
    ctx.audit("s11_return", ret.id, "carried_confirmed", None, {"subs": [r.sub for r in rows], "from": year})
    left = sum(r.source == "carried" for r in s11_scores.scores_for_return(ctx.session, ret.id))
    lines = [
        f"Confirmed {plural(len(rows), 'answer')} carried from {year}, with their evidence: "
        + ", ".join(r.sub for r in rows)
        + ".",
        f"{plural(left, 'carried answer')} still to confirm."
        if left
        else "No carried answer is left to confirm.",
    ]
    return Reply(
        title=f"Confirmed: {agency.name}, {plural(len(rows), 'answer')} as in {year}",
        lines=lines,
        visibility="channel",
        about_agencies=policy.about(agency.id),
        data={"agency": agency.name, "confirmed": len(rows)},
    )
