"""Where each subject is on each chat platform: one row per (subject, platform).

A subject is a member, an agency, a meeting or one of the board's named channels
(`channel:qa`, whose subject id is the board's, 1). The platform is whatever name a connector
uses ("slack", "teams", ...); nothing here knows what a given platform's addresses look like.
The console is the exception that proves the rule: it addresses people and places by name,
so nothing is ever stored for it.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import Address, Member

MEMBER = "member"
AGENCY = "agency"
MEETING = "meeting"
BOARD_ID = 1  # the one board row; a board channel's subject id
BY_NAME = "console"  # the platform whose addresses are names (@handle, #title), never stored
MAX_CHANNEL_NAME = 64


def channel_kind(name: str) -> str:
    """The subject kind of a board channel from the board file's `channels:` (e.g. "qa")."""
    return f"channel:{name}"


def of(session: Session, kind: str, subject_id: int) -> dict[str, str]:
    """platform -> address for one subject (only the platforms it has an address on)."""
    stmt = select(Address.platform, Address.address).where(
        Address.subject_kind == kind, Address.subject_id == subject_id
    )
    return {platform: address for platform, address in session.execute(stmt)}


def channel(session: Session, name: str) -> dict[str, str]:
    return of(session, channel_kind(name), BOARD_ID)


def channels(session: Session) -> dict[str, dict[str, str]]:
    """Every board channel: name -> platform -> address."""
    prefix = channel_kind("")
    stmt = (
        select(Address.subject_kind, Address.platform, Address.address)
        .where(Address.subject_kind.startswith(prefix), Address.subject_id == BOARD_ID)
        .order_by(Address.subject_kind, Address.platform)
    )
    out: dict[str, dict[str, str]] = {}
    for kind, platform, address in session.execute(stmt):
        out.setdefault(kind.removeprefix(prefix), {})[platform] = address
    return out


def replace(
    session: Session, kind: str, subject_id: int, wanted: Mapping[str, str | None]
) -> dict[str, dict[str, str | None]]:
    """Make the subject's addresses exactly `wanted` (a None or empty address removes that
    platform's). Returns platform -> {"before", "after"} for what changed, for the audit log."""
    rows = {
        row.platform: row
        for row in session.scalars(
            select(Address).where(Address.subject_kind == kind, Address.subject_id == subject_id)
        )
    }
    changes: dict[str, dict[str, str | None]] = {}
    for platform in sorted(set(rows) | set(wanted)):
        row, after = rows.get(platform), wanted.get(platform) or None
        before = row.address if row else None
        if before == after:
            continue
        changes[platform] = {"before": before, "after": after}
        if row is None:
            session.add(Address(subject_kind=kind, subject_id=subject_id, platform=platform, address=after))
        elif after is None:
            session.delete(row)
        else:
            row.address = after
    session.flush()
    return changes


def remove_channels_except(session: Session, names: set[str]) -> list[str]:
    """Forget board channels no longer in the board file; returns the names removed."""
    gone = [name for name in channels(session) if name not in names]
    for name in gone:
        replace(session, channel_kind(name), BOARD_ID, {})
    return gone


def member_at(session: Session, platform: str, address: str) -> Member | None:
    """The active member with this address on the platform. Compared without regard to case:
    Entra object ids are GUIDs, which are written in either case."""
    stmt = (
        select(Member)
        .join(Address, Address.subject_id == Member.id)
        .where(
            Address.subject_kind == MEMBER,
            Address.platform == platform,
            func.lower(Address.address) == address.lower(),
            Member.active.is_(True),
        )
        .limit(1)
    )
    return session.scalar(stmt)


def member_holding(session: Session, platform: str, address: str) -> int | None:
    """The id of the member (active or not) who already has this address on the platform."""
    stmt = select(Address.subject_id).where(
        Address.subject_kind == MEMBER,
        Address.platform == platform,
        func.lower(Address.address) == address.lower(),
    )
    return session.scalar(stmt.limit(1))


def on_platform(session: Session, kind: str, platform: str) -> list[tuple[int, str]]:
    """(subject id, address) of every subject of a kind with an address on a platform."""
    stmt = (
        select(Address.subject_id, Address.address)
        .where(Address.subject_kind == kind, Address.platform == platform)
        .order_by(Address.subject_id)
    )
    return [(subject_id, address) for subject_id, address in session.execute(stmt)]


def subjects_at(session: Session, platform: str, address: str) -> list[tuple[str, int]]:
    """(subject kind, id) of everything at this address on the platform: a channel may be the
    QA channel, a meeting's and an agency's at once."""
    stmt = select(Address.subject_kind, Address.subject_id).where(
        Address.platform == platform, func.lower(Address.address) == address.lower()
    )
    return [(kind, subject_id) for kind, subject_id in session.execute(stmt)]
