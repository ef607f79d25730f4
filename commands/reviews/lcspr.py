"""LCSPR tracking: once the Panel answers "lcspr", the review gets its milestones — reviewer
commissioned, terms of reference agreed, the board's own (`reviews: {lcspr_milestones: [...]}`),
draft, publication. `/review lcspr <code> <milestone> due|done <date>` plans or records one;
/review status lists them, and the clock reminds on the due day and escalates when late."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel

from commands import policy
from commands.context import Context
from commands.dates import format_date
from commands.errors import FieldError, UsageError
from commands.registry import command
from commands.reviews.clocks import milestones
from commands.reviews.commands import REVIEW, status_reply
from commands.reviews.reading import LCSPR, MODEL, CaseCode, code_of, date_in, guarded, open_review_of
from commands.reviews.settings import settings
from commands.types import Reply
from store.models import ReviewMilestone


class ReviewLcsprRequest(BaseModel):
    model_config = MODEL
    code: CaseCode
    milestone: str
    verb: Literal["due", "done"]
    on: date


def parse_lcspr(ctx: Context, args: str) -> ReviewLcsprRequest:
    guarded(ctx, args, LCSPR)
    words = args.split()
    code = code_of(words[0] if words else None, LCSPR)
    at = max((i for i, w in enumerate(words) if w.lower() in ("due", "done")), default=-1)
    if at < 1:
        raise FieldError("Say due <date> (plan the milestone) or done <date>.", LCSPR, field="verb")
    named = " ".join(words[1:at])
    verb = words[at].lower()
    on = date_in(ctx, words[at + 1 :], "date", LCSPR, direction="forward" if verb == "due" else "backward")
    return ReviewLcsprRequest(code=code, milestone=named, verb=verb, on=on)


@command(
    REVIEW,
    "lcspr",
    request=ReviewLcsprRequest,
    parse=parse_lcspr,
    usage=LCSPR,
    example="/review lcspr RR-2027-03 terms due 14/06/2027",
    summary="plan (due) or record (done) an LCSPR milestone of a review (chair or QA officer)",
    allowed=policy.officers("track an LCSPR"),
)
def lcspr(ctx: Context, req: ReviewLcsprRequest) -> Reply:
    known = {n.lower(): n for n, _ in milestones(settings(ctx.board))}
    name = known.get(req.milestone.strip().lower())
    if name is None:  # read here, not in parse, so a form's value is checked the same way
        raise FieldError(f"Say which milestone: {', '.join(known.values())}.", LCSPR, field="milestone")
    review = open_review_of(ctx, req.code, LCSPR)
    if review.panel_decision != "lcspr" or review.panel_on is None:
        raise UsageError(
            f"Review {review.code} has no LCSPR: record the Panel's decision first "
            f"(/review panel {review.code} lcspr <date>).",
            LCSPR,
        )
    if req.on < review.panel_on:
        raise FieldError(
            f"The date {format_date(req.on)} is before the Panel's decision "
            f"({format_date(review.panel_on)}).",
            LCSPR,
            field="date",
        )
    if req.verb == "done" and req.on > ctx.today:
        raise FieldError(f"The done date {format_date(req.on)} is in the future.", LCSPR, field="date")
    row = next((m for m in review.milestones if m.name.lower() == name.lower()), None)
    before = {"milestone": name, "due_on": None, "done_on": None}
    if row is None:
        row = ReviewMilestone(review_id=review.id, name=name)
        ctx.session.add(row)
        review.milestones.append(row)
    else:
        before = {"milestone": row.name, "due_on": _day(row.due_on), "done_on": _day(row.done_on)}
    if req.verb == "due":
        row.due_on = req.on
    else:
        row.done_on = req.on
    ctx.session.flush()
    after = {"milestone": row.name, "due_on": _day(row.due_on), "done_on": _day(row.done_on)}
    ctx.audit("review", review.id, f"lcspr_{req.verb}", before, after)
    reply = status_reply(ctx, review)
    what = "planned for" if req.verb == "due" else "done"
    reply.title = f"Rapid review {review.code}: LCSPR {name} {what} {format_date(req.on)}"
    return reply


def _day(d: date | None) -> str | None:
    return d.isoformat() if d else None
