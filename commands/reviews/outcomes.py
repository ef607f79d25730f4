"""/review panel and /review close: the Panel's response to the report, and closing a review
(chair or QA officer); each change audited, so the timeline shows it."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from commands import policy
from commands.context import Context
from commands.dates import format_date
from commands.errors import FieldError, UsageError
from commands.registry import command
from commands.reviews.clocks import DECISION_WORDS
from commands.reviews.commands import REVIEW, check_day, recommendation_line, snapshot, status_reply
from commands.reviews.reading import (
    CLOSE,
    DECISIONS,
    EXTRA_WORDS,
    MODEL,
    PANEL,
    CaseCode,
    Decision,
    code_of,
    date_in,
    guarded,
    open_review_of,
)
from commands.types import Reply
from store import reviews as review_store


class ReviewPanelRequest(BaseModel):
    model_config = MODEL
    code: CaseCode
    decision: Decision
    on: date


def parse_panel(ctx: Context, args: str) -> ReviewPanelRequest:
    guarded(ctx, args, PANEL)
    words = args.split()
    code = code_of(words[0] if words else None, PANEL)
    decision = words[1].lower() if len(words) > 1 else ""
    if decision not in DECISIONS:
        raise FieldError(f"Say the Panel's decision: {', '.join(DECISIONS)}.", PANEL, field="decision")
    return ReviewPanelRequest(code=code, decision=decision, on=date_in(ctx, words[2:], "date", PANEL))


@command(
    REVIEW,
    "panel",
    request=ReviewPanelRequest,
    parse=parse_panel,
    usage=PANEL,
    example="/review panel RR-2027-03 no-lcspr 10/05/2027",
    summary="record the Panel's response: lcspr, no-lcspr or national (chair or QA officer)",
    allowed=policy.officers("record the Panel's response"),
)
def panel(ctx: Context, req: ReviewPanelRequest) -> Reply:
    review = open_review_of(ctx, req.code, PANEL)
    if review.sent_on is None:
        raise UsageError(
            f"Record the report first (/review sent {review.code} <date>): the Panel answers the report.",
            PANEL,
        )
    check_day(ctx, req.on, "date", PANEL, after=review.sent_on)
    before = snapshot(review)
    review.panel_decision, review.panel_on = req.decision, req.on
    ctx.session.flush()
    ctx.audit("review", review.id, "panel", before, snapshot(review))
    reply = status_reply(ctx, review)
    answered = f"the Panel answered {format_date(req.on)} — {DECISION_WORDS[req.decision]}"
    reply.title = f"Rapid review {review.code}: {answered}"
    return reply


class ReviewCloseRequest(BaseModel):
    model_config = MODEL
    code: CaseCode


def parse_close(ctx: Context, args: str) -> ReviewCloseRequest:
    guarded(ctx, args, CLOSE)
    words = args.split()
    if words[1:]:
        raise UsageError(EXTRA_WORDS, CLOSE)
    return ReviewCloseRequest(code=code_of(words[0] if words else None, CLOSE))


@command(
    REVIEW,
    "close",
    request=ReviewCloseRequest,
    parse=parse_close,
    usage=CLOSE,
    example="/review close RR-2027-03",
    summary="close a review: its clocks stop (chair or QA officer)",
    allowed=policy.officers("close a rapid review"),
)
def close(ctx: Context, req: ReviewCloseRequest) -> Reply:
    review = open_review_of(ctx, req.code, CLOSE)
    still_open = [a for a in review_store.recommendations(ctx.session, review.id) if a.status == "open"]
    if still_open:
        raise UsageError(
            f"Review {review.code} still has open recommendations, so it stays open: "
            + "; ".join(recommendation_line(a) for a in still_open)
            + ". Close each with /action done A-<n> (or /action cancel), then close the review.",
            CLOSE,
        )
    before = snapshot(review)
    review.status, review.closed_at = "closed", ctx.now
    ctx.session.flush()
    ctx.audit("review", review.id, "closed", before, snapshot(review))
    outstanding = [s.agency.name for s in review.agencies if s.status != "submitted"]
    lines = ["Its clocks have stopped; no more reminders or escalations are sent."]
    if outstanding:
        lines.append("Summaries never submitted: " + "; ".join(outstanding) + ".")
    if review.sent_on is None:
        lines.append("No report to the Panel was recorded.")
    return Reply(title=f"Rapid review {review.code} closed", lines=lines, data={"review": review.code})
