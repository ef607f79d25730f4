"""Correcting how a Section 11 thread reply was read: `/s11 correct R-12 submitted|comment|undo`
(the buttons under every recorded reply run it) or, in the thread, “undo”, “that was a
submission”, “that was a comment” (about the reply before).

A correction changes the return accordingly (un-submit, submit, withdraw an extension
request), is audited, and the QA officer is told. Only the person who replied, their
agency's lead or substitute, or the chair or the QA officer may correct it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from commands import policy
from commands.context import Context
from commands.errors import NotFound, PermissionDenied, UsageError, about_field
from commands.groups import S11
from commands.registry import command
from commands.section11 import outcomes
from commands.section11.common import possessive, return_snapshot
from commands.thread_corrections import read_correction
from commands.types import Reply
from commands.understanding import Correction, read
from store import section11 as s11
from store.models import S11Return, ThreadReply

CORRECT = "/s11 correct <reply ref> submitted|comment|undo"
_SAID = {
    "submitted": "a submission",
    "extension": "an extension request",
    "comment": "a comment",
    "not_yet": "“not submitted yet”",
    "question": "a question",
    "undone": "undone",
}


class S11CorrectRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    reply: int  # the reply's number, shown as R-<number>
    to: Correction  # what it should have been read as, or undo


def parse_correct(ctx: Context, args: str) -> S11CorrectRequest:
    reply, to = read_correction(args, CORRECT, "s11")
    return S11CorrectRequest(reply=reply, to=to)


@command(
    S11,
    "correct",
    request=S11CorrectRequest,
    parse=parse_correct,
    usage=CORRECT,
    example="/s11 correct R-1 comment",
    summary="correct how a reply in a Section 11 thread was read (who replied, their lead, or an officer)",
)
def correct(ctx: Context, req: S11CorrectRequest) -> Reply:
    found = s11.thread_reply(ctx.session, req.reply)
    with about_field("reply"):
        if found is None or found[1].subject_type != "s11_return" or found[1].subject_id is None:
            raise NotFound(f"There is no reply R-{req.reply} in a Section 11 thread.", CORRECT)
        ret = s11.get_return(ctx.session, found[1].subject_id)
        if ret is None:
            raise NotFound(f"There is no reply R-{req.reply} in a Section 11 thread.", CORRECT)
    return apply(ctx, ret, found[0], req.to)


def by_reply_word(ctx: Context, ret: S11Return, said: ThreadReply, to: Correction) -> Reply:
    """“undo” / “that was a …” in the thread: about the reply before it."""
    target = s11.last_correctable_reply(ctx.session, ret.id, before_id=said.id)
    if target is None:
        return Reply(
            lines=["There is no earlier reply in this thread to correct, so nothing has changed."],
            visibility="channel",
            data={"interpretation": "correction"},
        )
    return apply(ctx, ret, target, to)


def _may_correct(ctx: Context, ret: S11Return, target: ThreadReply) -> None:
    actor, agency = ctx.actor, ret.agency
    if actor.id is not None and (
        actor.id == target.member_id
        or actor.id in (agency.lead_id, agency.substitute_id)
        or policy.is_officer(actor)
    ):
        return
    raise PermissionDenied(
        f"Only the person who replied, {possessive(agency.name)} lead or substitute, "
        "or the chair or the QA officer can correct it."
    )


def apply(ctx: Context, ret: S11Return, target: ThreadReply, to: Correction) -> Reply:
    _may_correct(ctx, ret, target)
    old = target.interpretation
    new = "undone" if to == "undo" else to
    ref = outcomes.ref(target)
    if old not in s11.CORRECTABLE:
        raise UsageError(f"{ref} was {_SAID.get(old, old)}; there is nothing to correct.", CORRECT)
    if old == new or (new == "comment" and old in ("not_yet", "question")):
        return Reply(
            lines=[f"{ref} is already recorded as {_SAID[old]}; nothing has changed."],
            visibility="channel",
            data={"interpretation": "correction", "reply_ref": ref},
        )
    before = return_snapshot(ret)
    changes: list[str] = []
    if old == "submitted" and ret.status == "submitted" and ret.submitted_at == target.received_at:
        outcomes.unsubmit(ret)
        changes.append("the return is no longer marked submitted, and reminders resume")
    if old == "extension" and ret.extension_requested_to is not None and ret.status != "submitted":
        outcomes.withdraw_extension(ret)
        changes.append("the extension request is withdrawn")
    if new == "submitted":
        if ret.status == "submitted":
            changes.append("the return was already marked submitted")
        else:
            url = read(target.text).url
            outcomes.mark_submitted(ret, at=target.received_at, by_id=target.member_id, url=url)
            changes.append("the return is marked submitted; no more reminders")
    target.interpretation = new
    ctx.session.flush()
    before |= {"reply": ref, "read_as": old}
    after = return_snapshot(ret) | {"reply": ref, "read_as": new}
    ctx.audit("s11_return", ret.id, "thread reply corrected", before, after)
    told = changes or ["the return is unchanged"]
    outcomes.tell_qa(
        ctx,
        ret,
        event=f"correction:{target.id}:{new}:{ctx.now.isoformat()}",
        title=f"{ret.agency.name}: a Section 11 reply was corrected",
        lines=[
            f"@{ctx.actor.handle} corrected {ref} (“{target.text}”): "
            f"it was read as {_SAID[old]}, it is now {_SAID[new]}; {'; '.join(told)}."
        ],
    )
    return Reply(
        title=f"Corrected: {ref} is now {_SAID[new]}",
        lines=[f"{'; '.join(told).capitalize()}.", "The QA officer has been told."],
        visibility="channel",
        about_agencies=policy.about(ret.agency_id),  # shown in the agency's thread, where the button was
        data={"interpretation": "correction", "reply_ref": ref, "return_id": ret.id, "now": new},
    )
