"""Items logged in a meeting's channel on the meeting's day belong to that meeting."""

from __future__ import annotations

from datetime import timedelta

from commands.context import Context
from store import addresses
from store import meetings as store
from store.models import Meeting


def meeting_for_channel(ctx: Context) -> Meeting | None:
    """The meeting held today in the channel this message came from, if any. With two on the
    same day in one channel, the one under way (the latest started, allowing an hour's early
    start) wins, else the first."""
    inbound = ctx.inbound
    if not inbound.channel:
        return None
    board_channel = addresses.channel(ctx.session, "qa").get(inbound.platform)
    found = store.in_channel_on_day(
        ctx.session, ctx.today, ctx.tz, inbound.platform, inbound.channel, board_channel
    )
    if not found:
        return None
    started = [m for m in found if m.starts_at <= ctx.now + timedelta(hours=1)]
    return started[-1] if started else found[0]
