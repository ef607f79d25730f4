"""/review hold <code> [off] <reason>: keep a rapid review's private details from every
retention purge (legal hold), as `/action hold` and `/finding hold` do for theirs; the same
words, rules and audit (commands/legal_hold.py)."""

from __future__ import annotations

from pydantic import BaseModel

from commands import policy
from commands.common import reason_text
from commands.context import Context
from commands.legal_hold import apply_hold, hold_and_reason
from commands.registry import command
from commands.reviews.commands import REVIEW
from commands.reviews.reading import HOLD, MODEL, CaseCode, code_of, guarded, review_of
from commands.types import Reply


class ReviewHoldRequest(BaseModel):
    model_config = MODEL
    code: CaseCode
    hold: bool = True  # False lifts the hold
    reason: str


def parse_hold(ctx: Context, args: str) -> ReviewHoldRequest:
    guarded(ctx, args, HOLD)
    words = args.split(maxsplit=1)
    code = code_of(words[0] if words else None, HOLD)
    hold, reason = hold_and_reason(words[1] if len(words) > 1 else None, HOLD)
    return ReviewHoldRequest(code=code, hold=hold, reason=reason)


@command(
    REVIEW,
    "hold",
    request=ReviewHoldRequest,
    parse=parse_hold,
    usage=HOLD,
    example="/review hold RR-2027-03 requested by the coroner",
    summary="keep a review's details from retention purges (legal hold; chair or QA officer)",
    allowed=policy.officers("put a rapid review under legal hold"),
)
def hold(ctx: Context, req: ReviewHoldRequest) -> Reply:
    review = review_of(ctx, req.code, HOLD)
    reason = reason_text(ctx, req.reason, HOLD, required=True)
    state = "closed" if review.status != "open" else "open"
    return apply_hold(
        ctx, review, "review", review.code, req.hold, reason, f"Rapid review {review.code} ({state})."
    )
