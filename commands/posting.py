"""Queue posts for the outbox, addressed on every configured platform.

A post is addressed to an audience (an agency, a board channel, a member); this module
turns that into one outbox row per platform with the platform's address. Rows carry a
unique key, so queuing the same post twice queues it once.
"""

from __future__ import annotations

from commands.context import Scope
from commands.types import Reply
from store import outbox as outbox_store
from store.models import Agency, Meeting, Member, OutboxMessage


def _address_agency(agency: Agency, platform: str) -> str | None:
    if platform == "slack":
        return agency.slack_channel or (agency.lead.slack_id if agency.lead else None)
    if platform == "teams":
        return agency.teams_channel or (agency.lead.teams_id if agency.lead else None)
    return f"#{agency.name}"


def _address_member(member: Member, platform: str) -> str | None:
    if platform == "slack":
        return member.slack_id
    if platform == "teams":
        return member.teams_id
    return f"@{member.handle}"


def _address_channel(ctx: Scope, name: str, platform: str) -> str | None:
    ref = (ctx.board.config or {}).get("channels", {}).get(name) or {}
    if platform in ("slack", "teams"):
        value = ref.get(platform)
        return str(value) if value else None
    return f"#{name}"


def _address_meeting(ctx: Scope, meeting: Meeting, platform: str) -> str | None:
    if platform == "slack":
        return meeting.slack_channel or _address_channel(ctx, "qa", platform)
    if platform == "teams":
        return meeting.teams_channel or _address_channel(ctx, "qa", platform)
    return f"#{meeting.title}"


def _queue(
    ctx: Scope,
    addresses: dict[str, str | None],
    *,
    key: str,
    kind: str,
    reply: Reply,
    thread_key: str | None,
    subject: tuple[str, int] | None,
) -> list[OutboxMessage]:
    """One row per platform that has an address; the console when none has (so the post is
    never silently dropped: `qabot tick` prints it and the log shows it)."""
    rows = []
    usable = {p: a for p, a in addresses.items() if a}
    if not usable:
        usable = {"console": "#unaddressed"}
    for platform, address in usable.items():
        row = outbox_store.enqueue(
            ctx.session,
            key=f"{key}:{platform}",
            platform=platform,
            channel=address or "",
            kind=kind,
            payload=reply.model_dump(mode="json"),
            now=ctx.now,
            thread_key=f"{thread_key}:{platform}" if thread_key else None,
            subject_type=subject[0] if subject else None,
            subject_id=subject[1] if subject else None,
        )
        if row is not None:
            rows.append(row)
    ctx.queued += len(rows)
    return rows


def to_agency(
    ctx: Scope,
    agency: Agency,
    *,
    key: str,
    kind: str,
    reply: Reply,
    thread_key: str | None = None,
    subject: tuple[str, int] | None = None,
) -> list[OutboxMessage]:
    addresses = {p: _address_agency(agency, p) for p in ctx.platforms}
    return _queue(ctx, addresses, key=key, kind=kind, reply=reply, thread_key=thread_key, subject=subject)


def to_member(
    ctx: Scope,
    member: Member,
    *,
    key: str,
    kind: str,
    reply: Reply,
    thread_key: str | None = None,
    subject: tuple[str, int] | None = None,
) -> list[OutboxMessage]:
    addresses = {p: _address_member(member, p) for p in ctx.platforms}
    return _queue(ctx, addresses, key=key, kind=kind, reply=reply, thread_key=thread_key, subject=subject)


def to_channel(
    ctx: Scope,
    name: str,
    *,
    key: str,
    kind: str,
    reply: Reply,
    thread_key: str | None = None,
    subject: tuple[str, int] | None = None,
) -> list[OutboxMessage]:
    """A board channel from the board file's `channels:` (e.g. "qa")."""
    addresses = {p: _address_channel(ctx, name, p) for p in ctx.platforms}
    return _queue(ctx, addresses, key=key, kind=kind, reply=reply, thread_key=thread_key, subject=subject)


def to_meeting(
    ctx: Scope,
    meeting: Meeting,
    *,
    key: str,
    kind: str,
    reply: Reply,
    thread_key: str | None = None,
    subject: tuple[str, int] | None = None,
) -> list[OutboxMessage]:
    addresses = {p: _address_meeting(ctx, meeting, p) for p in ctx.platforms}
    return _queue(ctx, addresses, key=key, kind=kind, reply=reply, thread_key=thread_key, subject=subject)
