"""/action reassign-all @old @new: hand every open action of one member (usually a leaver the
board file has just deactivated) to another, in one go.

Officers only. All or nothing (the command runs in one transaction); each action is audited
with its owner before → after; the new owner, who must be active, is told once.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from commands import policy, posting, resolve
from commands.common import action_line, action_snapshot
from commands.context import Context
from commands.errors import FieldError, UsageError, about_field
from commands.fields import MemberRef
from commands.grammar import parse
from commands.groups import ACTION
from commands.registry import command, no_thread_reply
from commands.types import Reply
from store import members

REASSIGN_ALL = "/action reassign-all @old @new"
HANDED_ON = "action_handover"

no_thread_reply(HANDED_ON, "a note to a member that actions are now theirs; replies are conversation")


class ActionReassignAllRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    old: MemberRef
    new: MemberRef


def parse_reassign_all(ctx: Context, args: str) -> ActionReassignAllRequest:
    p = parse(args, set())
    if p.words or p.tags or len(p.mentions) != 2:
        raise UsageError("Name the member whose open actions move, then who takes them on.", REASSIGN_ALL)
    return ActionReassignAllRequest(old=p.mentions[0], new=p.mentions[1])


@command(
    ACTION,
    "reassign-all",
    request=ActionReassignAllRequest,
    parse=parse_reassign_all,
    usage=REASSIGN_ALL,
    example="/action reassign-all @jsmith @akhan",
    summary="move every open action of one member (e.g. a leaver) to another",
    allowed=policy.officers("reassign everyone's actions"),
)
def reassign_all(ctx: Context, req: ActionReassignAllRequest) -> Reply:
    with about_field("old"):
        old = resolve.member(ctx, req.old.lstrip("@"), REASSIGN_ALL)
    with about_field("new"):
        new = resolve.member(ctx, req.new.lstrip("@"), REASSIGN_ALL)
    if new.id == old.id:
        raise FieldError(f"@{old.handle} already owns them: name someone else.", REASSIGN_ALL, field="new")
    if not new.active:
        raise FieldError(
            f"@{new.handle} is no longer active on the board (the board file deactivated them): "
            "name an active member.",
            REASSIGN_ALL,
            field="new",
        )
    moving = members.open_actions_owned_by(ctx.session, old.id)
    if not moving:
        return Reply(title=f"@{old.handle} has no open actions", lines=["Nothing was moved."])
    for a in moving:
        before = action_snapshot(a)
        a.owner_id, a.owner = new.id, new
        ctx.audit("action", a.id, "reassigned", before, action_snapshot(a))
    refs = [f"A-{a.id}" for a in moving]
    lines = [action_line(a, ctx.today) for a in moving]
    posting.to_member(
        ctx,
        new,
        # One note per hand-over of these actions: a retried delivery of the command finds it queued.
        key=f"{HANDED_ON}:{old.id}:{new.id}:{','.join(refs)}",
        kind=HANDED_ON,
        reply=Reply(
            title=f"{len(moving)} action(s) of @{old.handle} are now yours",
            lines=[*lines, f"Handed on by @{ctx.actor.handle}; see /action list mine."],
            visibility="channel",
        ),
        subject=("member", new.id),
    )
    return Reply(
        title=f"Moved {len(moving)} open action(s) from @{old.handle} to @{new.handle}",
        lines=[*lines, f"@{new.handle} has been told."],
        data={"refs": refs},
    )
