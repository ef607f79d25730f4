"""Correcting how a reply in a rapid review's agency thread was read:
`/review correct R-12 submitted|comment|undo`, which the buttons under every recorded reply run
(Slack buttons, Teams card actions: commands/thread_corrections.py, the same mechanism as
Section 11's). The reply words “undo”, “that was a submission”, “that was a comment” in the
thread still correct the reply before (commands/reviews/replies.py).

A correction changes the agency's summary accordingly (un-submit and chasers resume, submit
and they stop, withdraw a request for more time), is audited on the summary (so the review's
timeline lists it) and the QA officer is told. Only the person who replied, someone acting
for the agency, or the chair or the QA officer may correct it.
"""

from __future__ import annotations

from pydantic import BaseModel

from commands import policy
from commands.context import Context
from commands.errors import NotFound, PermissionDenied, UsageError, about_field
from commands.registry import command
from commands.reviews.commands import REVIEW
from commands.reviews.reading import CORRECT, MODEL
from commands.reviews.replies import snapshot, tell_qa
from commands.thread_corrections import read_correction, ref
from commands.types import Reply
from commands.understanding import Correction, read
from store import reviews as review_store
from store import section11 as thread_store
from store.models import ReviewAgency, ThreadReply

CORRECTABLE = ("submitted", "extension", "comment", "undone")
_SAID = {
    "submitted": "a submission",
    "extension": "a request for more time",
    "comment": "a comment",
    "undone": "undone",
}


class ReviewCorrectRequest(BaseModel):
    model_config = MODEL
    reply: int  # the reply's number, shown as R-<number>
    to: Correction


def parse_correct(ctx: Context, args: str) -> ReviewCorrectRequest:
    reply, to = read_correction(args, CORRECT, "review")
    return ReviewCorrectRequest(reply=reply, to=to)


@command(
    REVIEW,
    "correct",
    request=ReviewCorrectRequest,
    parse=parse_correct,
    usage=CORRECT,
    example="/review correct R-1 comment",
    summary="correct how a reply in a rapid review thread was read (who replied, their agency, an officer)",
)
def correct(ctx: Context, req: ReviewCorrectRequest) -> Reply:
    found = thread_store.thread_reply(ctx.session, req.reply)
    s = None
    if found is not None and found[1].subject_type == "review_agency" and found[1].subject_id is not None:
        s = review_store.summary(ctx.session, found[1].subject_id)
    with about_field("reply"):
        if found is None or s is None:
            raise NotFound(f"There is no reply R-{req.reply} in a rapid review thread.", CORRECT)
    return apply(ctx, s, found[0], req.to)


def _may_correct(ctx: Context, s: ReviewAgency, target: ThreadReply) -> None:
    actor = ctx.actor
    if actor.id is not None and (
        actor.id == target.member_id or policy.acts_for(ctx, s.agency_id) or policy.is_officer(actor)
    ):
        return
    raise PermissionDenied(
        f"Only the person who replied, someone acting for {s.agency.name}, "
        "or the chair or the QA officer can correct it."
    )


def apply(ctx: Context, s: ReviewAgency, target: ThreadReply, to: Correction) -> Reply:
    _may_correct(ctx, s, target)
    old, new, rref = target.interpretation, ("undone" if to == "undo" else to), ref(target)
    if old not in CORRECTABLE:
        raise UsageError(f"{rref} was {_SAID.get(old, old)}; there is nothing to correct.", CORRECT)
    if s.review.status != "open":
        raise UsageError(f"Review {s.review.code} is closed; nothing more is recorded on it.", CORRECT)
    if old == new:
        return Reply(
            lines=[f"{rref} is already recorded as {_SAID[old]}; nothing has changed."],
            visibility="channel",
            data={"interpretation": "correction", "reply_ref": rref},
        )
    before = snapshot(s)
    changes: list[str] = []
    if old == "submitted" and s.status == "submitted" and s.submitted_at == target.received_at:
        s.status = "extension" if s.extension_to else "requested"
        s.submitted_at = s.submitted_by_id = s.evidence_url = None
        changes.append("the summary is no longer marked submitted, and reminders resume")
    if old == "extension" and s.extension_to is not None and s.status != "submitted":
        s.extension_to, s.status = None, "requested"
        changes.append("the request for more time is withdrawn")
    if new == "submitted":
        if s.status == "submitted":
            changes.append("the summary was already marked submitted")
        else:
            s.status, s.submitted_at, s.submitted_by_id = "submitted", target.received_at, target.member_id
            url = read(target.text).url
            if url:
                s.evidence_url = url[:500]
            changes.append("the summary is marked submitted; no more reminders")
    target.interpretation = new
    ctx.session.flush()
    ctx.audit(
        "review_agency",
        s.id,
        "thread reply corrected",
        before | {"reply": rref, "read_as": old},
        snapshot(s) | {"reply": rref, "read_as": new},
    )
    told = changes or ["the summary is unchanged"]
    tell_qa(
        ctx,
        s,
        f"correction:{target.id}:{new}:{ctx.now.isoformat()}",
        f"{s.agency.name}: a reply in rapid review {s.review.code} was corrected",
        [
            f"@{ctx.actor.handle} corrected {rref}: it was read as {_SAID[old]}, "
            f"it is now {_SAID[new]}; {'; '.join(told)}."
        ],
    )
    return Reply(
        title=f"Corrected: {rref} is now {_SAID[new]}",
        lines=[f"{'; '.join(told).capitalize()}.", "The QA officer has been told."],
        visibility="channel",
        about_agencies=policy.about(s.agency_id),  # shown in the agency's thread, where the button was
        data={"interpretation": "correction", "reply_ref": rref, "summary_id": s.id, "now": new},
    )
