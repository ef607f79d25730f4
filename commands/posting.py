"""Queue posts for the outbox, addressed on every configured platform.

A post is addressed to an audience (an agency, a board channel, a member); this module
turns that into one outbox row per platform with the platform's address. Rows carry a
unique key, so queuing the same post twice queues it once.

An audience with no address on any configured platform is not "sent" anywhere: one row is
kept with status 'unreachable' (its platform names where it was looked for, its channel the
audience's name), never dispatched, told to the QA officer (commands/delivery_notices.py) and
reported by /s11 launch, /s11 status and `qabot doctor`.
"""

from __future__ import annotations

from collections.abc import Mapping

from commands.context import Scope
from commands.types import Reply
from store import addresses, outbox_problems
from store import outbox as outbox_store
from store.models import Agency, Meeting, Member, OutboxMessage


def _on_each_platform(ctx: Scope, by_name: str, *found: Mapping[str, str]) -> dict[str, str | None]:
    """For every configured platform, the first address found there (in the order given:
    e.g. an agency's own channel, then its lead); the console is addressed by name."""

    def on(platform: str) -> str | None:
        if platform == addresses.BY_NAME:
            return by_name
        return next((where[platform] for where in found if where.get(platform)), None)

    return {platform: on(platform) for platform in ctx.platforms}


def address_agency(ctx: Scope, agency: Agency) -> dict[str, str | None]:
    """Where a post to this agency goes: its own channel, else its lead, per platform."""
    own = addresses.of(ctx.session, addresses.AGENCY, agency.id)
    lead = addresses.of(ctx.session, addresses.MEMBER, agency.lead.id) if agency.lead else {}
    return _on_each_platform(ctx, f"#{agency.name}", own, lead)


def address_member(ctx: Scope, member: Member) -> dict[str, str | None]:
    own = addresses.of(ctx.session, addresses.MEMBER, member.id)
    return _on_each_platform(ctx, f"@{member.handle}", own)


def _address_channel(ctx: Scope, name: str) -> dict[str, str | None]:
    return _on_each_platform(ctx, f"#{name}", addresses.channel(ctx.session, name))


def _address_meeting(ctx: Scope, meeting: Meeting) -> dict[str, str | None]:
    """The meeting's own channel, else the board's QA channel."""
    own = addresses.of(ctx.session, addresses.MEETING, meeting.id)
    return _on_each_platform(ctx, f"#{meeting.title}", own, addresses.channel(ctx.session, "qa"))


def reachable(where: dict[str, str | None]) -> bool:
    return any(where.values())


def _queue(
    ctx: Scope,
    where: dict[str, str | None],
    *,
    name: str,
    key: str,
    kind: str,
    reply: Reply,
    thread_key: str | None,
    subject: tuple[str, int] | None,
) -> list[OutboxMessage]:
    """One row per platform that has an address; one 'unreachable' row when none has (never a
    post counted as sent that nobody can read)."""
    rows = []
    usable = {p: a for p, a in where.items() if a}
    if not usable:
        row = outbox_store.enqueue(
            ctx.session,
            key=f"{key}:{outbox_problems.UNREACHABLE}",
            platform="+".join(where)[:16],  # where it was looked for, e.g. "slack+teams"
            channel=name,
            kind=kind,
            payload=reply.model_dump(mode="json"),
            now=ctx.now,
            thread_key=f"{thread_key}:{outbox_problems.UNREACHABLE}" if thread_key else None,
            subject_type=subject[0] if subject else None,
            subject_id=subject[1] if subject else None,
            status=outbox_problems.UNREACHABLE,
        )
        return [row] if row is not None else []
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
    where = address_agency(ctx, agency)
    return _queue(
        ctx, where, name=agency.name, key=key, kind=kind, reply=reply, thread_key=thread_key, subject=subject
    )


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
    where = address_member(ctx, member)
    return _queue(
        ctx,
        where,
        name=f"@{member.handle}",
        key=key,
        kind=kind,
        reply=reply,
        thread_key=thread_key,
        subject=subject,
    )


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
    where = _address_channel(ctx, name)
    return _queue(
        ctx, where, name=f"#{name}", key=key, kind=kind, reply=reply, thread_key=thread_key, subject=subject
    )


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
    where = _address_meeting(ctx, meeting)
    return _queue(
        ctx,
        where,
        name=meeting.title,
        key=key,
        kind=kind,
        reply=reply,
        thread_key=thread_key,
        subject=subject,
    )
