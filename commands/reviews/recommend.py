"""/review recommend: a review's recommendation logged as an action, by the same rules as
/action add (parse_add and add are called, not copied), with the review as its source. A
review with an open recommendation is not closed (commands/reviews/outcomes.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from pydantic import BaseModel

from commands import policy
from commands.actions.add import ActionAddRequest, add, parse_add
from commands.context import Context
from commands.errors import FieldError, UsageError
from commands.fields import MemberRef
from commands.registry import command
from commands.reviews.commands import REVIEW
from commands.reviews.reading import MODEL, RECOMMEND, CaseCode, code_of, guarded, open_review_of
from commands.types import Reply
from store.models import ReviewRecommendation


class ReviewRecommendRequest(BaseModel):
    model_config = MODEL
    code: CaseCode
    text: str  # guarded by the /action add rules (add), after the whole line was
    owner: MemberRef
    due: date


@contextmanager
def _our_usage() -> Iterator[None]:
    """The action rules' errors, shown with this command's usage line."""
    try:
        yield
    except UsageError as e:
        e.usage = RECOMMEND
        raise


def parse_recommend(ctx: Context, args: str) -> ReviewRecommendRequest:
    guarded(ctx, args, RECOMMEND)
    code_word, _, rest = args.strip().partition(" ")
    code = code_of(code_word or None, RECOMMEND)
    with _our_usage():
        action = parse_add(ctx, rest)
    if action.owner is None:
        raise FieldError("Say who owns it: owner @member or owner handle.", RECOMMEND, field="owner")
    if action.due is None:
        raise FieldError("Say when it is due: due <date>.", RECOMMEND, field="due")
    return ReviewRecommendRequest(code=code, text=action.text, owner=action.owner, due=action.due)


@command(
    REVIEW,
    "recommend",
    request=ReviewRecommendRequest,
    parse=parse_recommend,
    usage=RECOMMEND,
    example="/review recommend RR-2027-03 Audit MASH strategy discussions owner @pol due 30/09/2027",
    summary="log a review's recommendation as an action with the review as its source (chair or QA officer)",
    allowed=policy.officers("log a review's recommendation"),
)
def recommend(ctx: Context, req: ReviewRecommendRequest) -> Reply:
    review = open_review_of(ctx, req.code, RECOMMEND)
    with _our_usage():
        # The /action add rules: the owner resolved, the due date not past, the text guarded.
        reply = add(ctx, ActionAddRequest(text=req.text, owner=req.owner, due=req.due))
    ref = str(reply.data.get("ref", ""))
    action_id = int(ref.removeprefix("A-"))
    ctx.session.add(ReviewRecommendation(review_id=review.id, action_id=action_id))
    ctx.session.flush()
    ctx.audit("review", review.id, "recommended", None, {"review": review.code, "action": ref})
    reply.title = f"Rapid review {review.code}: recommendation logged as {ref}"
    reply.lines.append(f"Source: rapid review {review.code}. The review is not closed while it is open.")
    return reply

