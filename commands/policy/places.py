"""Where a public reply may be shown: part of the visibility policy.

A command's public confirmation (`Reply.visibility == "channel"`) names the agencies it is
about in `Reply.about_agencies`; none named means board-wide (the summary, the Board report,
a meeting, an item of no agency). Board-wide content is posted publicly only in the board's
QA channel or a meeting's own channel; one agency's content also in that agency's channel.
Typed anywhere else, the reply is shown only to the person who typed, with a note saying
why: `/qa summary` in the police channel must not put Health's RED finding in front of
everyone there. A reply with no channel (the console, a direct call) is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from commands import posting
from commands.context import Context
from commands.policy import seeing
from commands.types import Reply
from store import addresses, visibility
from store.members import all_agencies

QA_CHANNEL = "qa"
PRIVATE_REPLY = "private_reply"  # the outbox kind of a reply sent to a 1:1 chat instead


@dataclass(frozen=True)
class Place:
    """What the channel a command was typed in is to the board."""

    board: bool  # the QA channel or a meeting's own channel
    agencies: frozenset[int]  # the agencies whose own channel it is


def place_of(ctx: Context) -> Place | None:
    """None when there is no shared place (the console's own session, a direct call)."""
    inbound = ctx.inbound
    if not inbound.channel:
        return None
    if inbound.platform == addresses.BY_NAME:  # the console names places: #qa, #<title>, #<agency>
        return _named_place(ctx, inbound.channel)
    found = addresses.subjects_at(ctx.session, inbound.platform, inbound.channel)
    board = any(kind in (addresses.channel_kind(QA_CHANNEL), addresses.MEETING) for kind, _ in found)
    return Place(board, frozenset(i for kind, i in found if kind == addresses.AGENCY))


def _named_place(ctx: Context, channel: str) -> Place:
    name = channel.removeprefix("#").strip().lower()
    board = name == QA_CHANNEL or visibility.is_meeting_title(ctx.session, name)
    own = frozenset(a.id for a in all_agencies(ctx.session, active_only=False) if a.name.lower() == name)
    return Place(board, own)


def note(about: list[int]) -> str:
    what = "the whole board" if not about else "one agency" if len(about) == 1 else "more than one agency"
    return (
        f"Shown only to you: this concerns {what}, and this channel is not the board's QA "
        "channel or a meeting's channel (or that agency's own). Post it there to share it."
    )


def place(ctx: Context, reply: Reply) -> Reply:
    """The reply as it may be shown where the command was typed. Where the platform cannot
    show one person a message in a shared conversation (a Teams channel), every answer there
    is public, lists included: one that may not be shown there is sent to their 1:1 chat and
    the channel is told only that it was."""
    # Where nothing can be shown to one person only, every answer with content is public.
    shown_to_all = reply.visibility == "channel" or (
        not ctx.inbound.private_replies and reply.ok and not reply.data.get("ignored")
    )
    if not shown_to_all:
        return reply
    where = place_of(ctx)
    if where is None or where.board:
        return reply
    about = reply.about_agencies
    if not about and reply.visibility != "channel":
        # An answer meant for the person alone holds what they may see: for an agency lead,
        # their agencies' items, which their own agency's channel may read too.
        about = sorted(seeing.viewer(ctx).agencies or ())
    if about and set(about) <= where.agencies:
        return reply
    private = reply.model_copy(
        update={
            "visibility": "ephemeral",
            "lines": [*reply.lines, note(about)],
            "data": {**reply.data, "shown_privately": True},
        }
    )
    if ctx.inbound.private_replies:
        return private
    key = ctx.inbound.delivery_key or f"{ctx.inbound.platform}:{ctx.now.isoformat()}:{ctx.actor.id}"
    posting.to_member(ctx, ctx.actor, key=f"{PRIVATE_REPLY}:{key}", kind=PRIVATE_REPLY, reply=private)
    return Reply(
        lines=["I have sent you the answer in a private chat: it is not for everyone in this channel."],
        data={**reply.data, "shown_privately": True},  # never shown; adapters and tests read it
    )


def about(*agency_ids: int | None) -> list[int]:
    """`Reply.about_agencies` for an item of these agencies (an item of no agency is the board's)."""
    return sorted({i for i in agency_ids if i is not None})
