"""/review: open a rapid review by case code and record its steps (chair or QA officer).

Every line passes the safeguarding guard before it is read (commands/reviews/reading.py);
each change is audited, and the audit is the review's timeline (/review timeline)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel

from commands import policy
from commands.context import Context
from commands.dates import format_date
from commands.errors import FieldError, UsageError
from commands.fields import Priority
from commands.grammar import parse, priority_for
from commands.registry import command, group
from commands.reviews import posts
from commands.reviews.clocks import step_line, steps
from commands.reviews.reading import (
    EXTRA_WORDS,
    MEETING,
    MODEL,
    NOTIFIED,
    OPEN,
    SENT,
    CaseCode,
    CodeDateRequest,
    agencies_in,
    agencies_named,
    code_and_date,
    code_of,
    date_in,
    guarded,
    open_review_of,
)
from commands.reviews.settings import calendar, settings
from commands.types import Reply
from store import members
from store import reviews as review_store
from store.models import Action, Review, ReviewAgency

REVIEW = group(
    "review", summary="rapid reviews: statutory working-day clocks by case code", aliases=("reviews",)
)


def snapshot(r: Review) -> dict[str, Any]:
    def day(d: date | None) -> str | None:
        return d.isoformat() if d else None

    return {
        "code": r.code,
        "status": r.status,
        "aware_on": day(r.aware_on),
        "notified_on": day(r.notified_on),
        "meeting_on": day(r.meeting_on),
        "sent_on": day(r.sent_on),
        "panel_decision": r.panel_decision,
        "panel_on": day(r.panel_on),
    }


class ReviewOpenRequest(BaseModel):
    model_config = MODEL
    code: CaseCode
    aware: date
    notified: date | None = None
    agencies: tuple[str, ...] = ()  # none named: every statutory partner
    priority: Priority | None = None


def parse_open(ctx: Context, args: str) -> ReviewOpenRequest:
    guarded(ctx, args, OPEN)
    p = parse(args, {"aware", "notified", "agencies"})
    if p.mentions:
        raise UsageError(f'"{" ".join(p.mentions)}" has no place in a review: agencies are named.', OPEN)
    code = code_of(p.words[0] if p.words else None, OPEN)
    if p.words[1:]:
        raise UsageError(EXTRA_WORDS, OPEN)
    if "aware" not in p.options:
        raise FieldError("Say when the partnership became aware, e.g. aware 25/03/2027.", OPEN, field="aware")
    aware = date_in(ctx, p.options["aware"], "aware", OPEN)
    notified = date_in(ctx, p.options["notified"], "notified", OPEN) if "notified" in p.options else None
    agencies = agencies_in(ctx, " ".join(p.options["agencies"]), OPEN) if "agencies" in p.options else ()
    if len(p.tags) > 1:
        raise FieldError("Give at most one #priority.", OPEN, field="priority")
    priority = priority_for(p.tags[0], OPEN) if p.tags else None
    return ReviewOpenRequest(code=code, aware=aware, notified=notified, agencies=agencies, priority=priority)


def check_day(ctx: Context, d: date, what: str, usage: str, *, after: date | None = None) -> None:
    if d > ctx.today:
        raise FieldError(f"The {what} date {format_date(d)} is in the future.", usage, field=what)
    if after is not None and d < after:
        raise FieldError(
            f"The {what} date {format_date(d)} is before the partnership became aware "
            f"({format_date(after)}).",
            usage,
            field=what,
        )


@command(
    REVIEW,
    "open",
    request=ReviewOpenRequest,
    parse=parse_open,
    usage=OPEN,
    example="/review open RR-2027-03 aware 25/03/2027 agencies Surrey Police, Surrey Health #cp",
    summary="open a rapid review by case code, ask each agency for its summary and start the clocks",
    allowed=policy.officers("open a rapid review"),
)
def open_review(ctx: Context, req: ReviewOpenRequest) -> Reply:
    check_day(ctx, req.aware, "aware", OPEN)
    if req.notified is not None:
        check_day(ctx, req.notified, "notified", OPEN, after=req.aware)
    if review_store.by_code(ctx.session, req.code) is not None:
        raise UsageError(
            f"Review {req.code} is already open; it is not opened twice. See /review status {req.code}."
        )
    if req.agencies:
        agencies = agencies_named(ctx, req.agencies, OPEN)
    else:
        agencies = [a for a in members.all_agencies(ctx.session) if a.sector == "statutory"]
    review = Review(
        code=req.code,
        aware_on=req.aware,
        notified_on=req.notified,
        priority=req.priority,
        opened_at=ctx.now,
        opened_by_id=ctx.actor.id,
        status="open",
    )
    ctx.session.add(review)
    ctx.session.flush()
    ctx.audit("review", review.id, "opened", None, snapshot(review))
    cfg, cal = settings(ctx.board), calendar(ctx.board)
    due = cal.add(review.aware_on, cfg.summaries_due)
    chasers = [cal.add(review.aware_on, d) for d in cfg.chase_days if cal.add(review.aware_on, d) > ctx.today]
    for agency in agencies:
        s = ReviewAgency(review=review, agency=agency, status="requested", requested_at=ctx.now)
        ctx.session.add(s)
        ctx.session.flush()
        ctx.audit("review_agency", s.id, "requested", None, {"review": review.code, "agency": agency.name})
        posts.to_agency_thread(
            ctx,
            review,
            s,
            event="request",
            kind="review_request",
            reply=posts.request_post(review, s, due, chasers),
        )
    ctx.session.refresh(review)
    reply = status_reply(ctx, review)
    reply.title = f"Rapid review {review.code} opened" + (f" ({review.priority})" if review.priority else "")
    reply.lines.insert(0, "Summaries requested from: " + ", ".join(a.name for a in agencies) + ".")
    return reply


def status_reply(ctx: Context, review: Review) -> Reply:
    """Every step of one review with its working day, and whether it is done, due or late."""
    cfg, cal = settings(ctx.board), calendar(ctx.board)
    lines = [f"Aware {format_date(review.aware_on)} (day 0)."]
    lines += [step_line(s, cal, ctx.today) for s in steps(review, cfg, cal, ctx.tz)]
    lines += recommendation_lines(ctx, review.id)
    missing = posts.never_reached(ctx, review)
    if missing:
        names = [s.agency.name for s in review.agencies if s.id in missing]
        lines.append(
            "Never reached, so never chased (not counted as sent): "
            + "; ".join(names)
            + ". Give each a channel or a lead with an id in the board file."
        )
    return Reply(
        title=f"Rapid review {review.code}" + (" (closed)" if review.status != "open" else ""),
        lines=lines,
        data={"review": review.code, "not_reached": sorted(missing)},
    )


def recommendation_line(a: Action) -> str:
    owner = f"@{a.owner.handle}" if a.owner else "nobody yet"
    return f"A-{a.id} ({a.status}, {owner}, due {format_date(a.due_date)}): {a.text}"


def recommendation_lines(ctx: Context, review_id: int) -> list[str]:
    """The review's recommendations (actions whose source it is), open or not."""
    actions = review_store.recommendations(ctx.session, review_id)
    return ["Recommendations:", *(recommendation_line(a) for a in actions)] if actions else []


def _record(ctx: Context, review: Review, field: str, verb: str, value: object) -> None:
    before = snapshot(review)
    setattr(review, field, value)
    ctx.session.flush()
    ctx.audit("review", review.id, verb, before, snapshot(review))


class ReviewNotifiedRequest(CodeDateRequest):
    """The day the Panel was notified: day 0 of the huddle and report clocks."""


class ReviewMeetingRequest(CodeDateRequest):
    """The day of the rapid review meeting (proposed or held)."""


class ReviewSentRequest(CodeDateRequest):
    """The day the rapid review report was sent to the Panel."""


def _dated[R: CodeDateRequest](
    name: str, request: type[R], usage: str, field: str, what: str, *, future: bool = False
) -> None:
    """Register `/review <name> <code> <date>`, recording `field` on the review."""

    def read(ctx: Context, args: str) -> R:
        code, on = code_and_date(ctx, args, usage, direction="forward" if future else "backward")
        return request(code=code, on=on)

    def run(ctx: Context, req: R) -> Reply:
        review = open_review_of(ctx, req.code, usage)
        if not future:
            check_day(ctx, req.on, "date", usage, after=review.aware_on)
        _record(ctx, review, field, name, req.on)
        reply = status_reply(ctx, review)
        reply.title = f"Rapid review {review.code}: {what} {format_date(req.on)}"
        return reply

    command(
        REVIEW,
        name,
        request=request,
        parse=read,
        usage=usage,
        example=f"/review {name} RR-2027-03 {'12/04/2027' if future else '30/03/2027'}",
        summary=f"record {what} <date> (chair or QA officer)",
        allowed=policy.officers(f"record a rapid review's {name} date"),
    )(run)


_dated("notified", ReviewNotifiedRequest, NOTIFIED, "notified_on", "the Panel notified on")
_dated("meeting", ReviewMeetingRequest, MEETING, "meeting_on", "rapid review meeting on", future=True)
_dated("sent", ReviewSentRequest, SENT, "sent_on", "report sent to the Panel on")
