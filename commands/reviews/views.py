"""/review status and /review timeline: the clocks of open reviews, and one review's dated,
referenced history (what happened, on which working day), read from the audit."""

from __future__ import annotations

from pydantic import BaseModel

from commands import policy
from commands.context import Context
from commands.dates import format_date, local_date
from commands.errors import UsageError
from commands.registry import command
from commands.reviews.commands import REVIEW, status_reply
from commands.reviews.reading import (
    EXTRA_WORDS,
    MODEL,
    STATUS,
    TIMELINE,
    CaseCode,
    code_of,
    guarded,
    review_of,
)
from commands.reviews.retention import purged_lines
from commands.reviews.settings import calendar
from commands.types import Reply
from store import audit
from store import reviews as review_store
from store.models import Review


class ReviewStatusRequest(BaseModel):
    model_config = MODEL
    code: CaseCode | None = None  # none: every open review


def parse_status(ctx: Context, args: str) -> ReviewStatusRequest:
    guarded(ctx, args, STATUS)
    words = args.split()
    if words[1:]:
        raise UsageError(EXTRA_WORDS, STATUS)
    return ReviewStatusRequest(code=code_of(words[0], STATUS) if words else None)


@command(
    REVIEW,
    "status",
    request=ReviewStatusRequest,
    parse=parse_status,
    usage=STATUS,
    example="/review status RR-2027-03",
    summary="every step of open reviews with its working day: done, due or late (chair or QA officer)",
    allowed=policy.officers("see rapid reviews"),
)
def status(ctx: Context, req: ReviewStatusRequest) -> Reply:
    if req.code is not None:
        return status_reply(ctx, review_of(ctx, req.code, STATUS))
    reviews = review_store.open_reviews(ctx.session)
    if not reviews:
        return Reply(
            title="No rapid review is open.", lines=["Open one with /review open <code> aware <date>."]
        )
    lines: list[str] = []
    for review in reviews:
        one = status_reply(ctx, review)
        lines += [f"— {one.title}", *one.lines]
    return Reply(
        title=f"{len(reviews)} open rapid review{'' if len(reviews) == 1 else 's'}",
        lines=lines,
        data={"reviews": [r.code for r in reviews]},
    )


class ReviewTimelineRequest(BaseModel):
    model_config = MODEL
    code: CaseCode


def parse_timeline(ctx: Context, args: str) -> ReviewTimelineRequest:
    guarded(ctx, args, TIMELINE)
    words = args.split()
    if words[1:]:
        raise UsageError(EXTRA_WORDS, TIMELINE)
    return ReviewTimelineRequest(code=code_of(words[0] if words else None, TIMELINE))


_VERBS = {
    "opened": "review opened",
    "notified": "the Panel notified",
    "meeting": "rapid review meeting recorded",
    "sent": "report sent to the Panel",
    "panel": "the Panel's response recorded",
    "closed": "review closed",
    "requested": "summary requested",
    "escalated": "escalated to the chair and the QA officer",
    "lcspr_due": "LCSPR milestone planned",
    "lcspr_done": "LCSPR milestone done",
    "recommended": "recommendation logged as an action",
}


def timeline_lines(ctx: Context, review: Review) -> list[str]:
    """One line per audited step: the day, its working day from awareness, what, who (E-n)."""
    cal = calendar(ctx.board)
    events = audit.history(ctx.session, "review", review.id)
    names = {s.id: s.agency.name for s in review.agencies}
    for s in review.agencies:
        events += audit.history(ctx.session, "review_agency", s.id)
    events.sort(key=lambda e: (e.at, e.id))
    lines = []
    for e in events:
        day = local_date(e.at, ctx.tz)
        what = _VERBS.get(e.verb, e.verb)
        if e.entity == "review_agency":
            what = f"{names.get(e.entity_id or -1, '?')}: {what}"
        detail = e.after.get("milestone") or e.after.get("action") if isinstance(e.after, dict) else None
        if e.verb in ("lcspr_due", "lcspr_done", "recommended") and detail:
            what = f"{what} ({detail})"
        lines.append(
            f"{format_date(day)} (WD{cal.number(review.aware_on, day)}) — {what} — {e.actor_label} [E-{e.id}]"
        )
    return lines


@command(
    REVIEW,
    "timeline",
    request=ReviewTimelineRequest,
    parse=parse_timeline,
    usage=TIMELINE,
    example="/review timeline RR-2027-03",
    summary="the dated, referenced timeline of a review, step by step (chair or QA officer)",
    allowed=policy.officers("see a rapid review's timeline"),
)
def timeline(ctx: Context, req: ReviewTimelineRequest) -> Reply:
    review = review_of(ctx, req.code, TIMELINE)
    lines = [f"Aware {format_date(review.aware_on)} (day 0).", *timeline_lines(ctx, review)]
    lines += purged_lines(ctx, review)  # a purged review: when, and the counts it kept
    return Reply(title=f"Rapid review {review.code}: timeline", lines=lines, data={"review": review.code})
