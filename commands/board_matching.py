"""Which stored row each entry of the board file is: by its `id:`, by its name, or a rename.

An entry with an `id:` is the row with that key (a key the row does not have yet is taken by
the row whose name, as a slug, is that id, so a board can add ids to rows imported without).
An entry without one is the row of the same name (agency), handle (member) or kind and start
(meeting). Otherwise it is a rename only when the importer can be sure: a row about to leave
the board shares its channel or lead (agency), its Slack/Teams id or email (member), or is the
only meeting of the same kind within a fortnight (a moved meeting). When it cannot be sure it
asks: the import is refused, naming both, with how to say which with `id:`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from commands.board_schema import AgencyEntry, BoardFile, MeetingEntry, MemberEntry, member_ids
from commands.errors import ConfigError
from store import addresses, members
from store import meetings as meeting_store
from store.models import Agency, Meeting, Member

MOVE_WINDOW = timedelta(days=14)  # a meeting of the same kind this near is the same meeting


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class Matches:
    """The stored row of each entry (None: new), by the entry's position in the file."""

    agencies: list[Agency | None]
    members: list[Member | None]
    meetings: list[Meeting | None]
    # What a row was called before this import, for the rows found by rename or by key.
    renamed: dict[tuple[str, int], str] = field(default_factory=dict)
    leaving_agencies: list[Agency] = field(default_factory=list)
    leaving_members: list[Member] = field(default_factory=list)


def starts_utc(entry: MeetingEntry, tz: str) -> datetime:
    starts = entry.starts if entry.starts.tzinfo else entry.starts.replace(tzinfo=ZoneInfo(tz))
    return starts.astimezone(ZoneInfo("UTC"))


def _pair[E, R](
    entries: Sequence[E],
    rows: Sequence[R],
    *,
    key_of: Callable[[E], str | None],
    row_key: Callable[[R], str | None],
    natural: Callable[[E], object],
    row_natural: Callable[[R], object],
    row_slug: Callable[[R], str] | None = None,
) -> list[R | None]:
    """Entries with an id take their row first, then every entry the row of its natural key
    (unless another entry took it), then an unused id the keyless row it names as a slug."""
    found: list[R | None] = [None] * len(entries)
    taken: set[int] = set()
    by_key = {k: r for r in rows if (k := row_key(r))}
    for i, e in enumerate(entries):
        if (k := key_of(e)) and (r := by_key.get(k)) is not None:
            found[i] = r
            taken.add(id(r))
    by_natural = {row_natural(r): r for r in rows}
    for i, e in enumerate(entries):
        r = by_natural.get(natural(e)) if found[i] is None else None
        if r is not None and id(r) not in taken:
            found[i] = r
            taken.add(id(r))
    if row_slug is not None:
        by_slug = {row_slug(r): r for r in rows if not row_key(r)}
        for i, e in enumerate(entries):
            k = key_of(e)
            r = by_slug.get(k) if found[i] is None and k else None
            if r is not None and id(r) not in taken:
                found[i] = r
                taken.add(id(r))
    return found


def _renames[E, R](
    entries: Sequence[E],
    found: list[R | None],
    leaving: Sequence[R],
    evidence: Callable[[E, R], bool],
    ask: Callable[[E, list[R]], str],
) -> None:
    """Pair each new entry with the one leaving row it certainly is (in place); refuse when an
    entry could be more than one row or a row more than one entry."""
    candidates = {
        i: [r for r in leaving if evidence(e, r)] for i, e in enumerate(entries) if found[i] is None
    }
    for i, rows in candidates.items():
        if len(rows) > 1:
            raise ConfigError(ask(entries[i], rows))
        if len(rows) == 1:
            rivals = [j for j, other in candidates.items() if j != i and rows[0] in other]
            if rivals:
                raise ConfigError(ask(entries[rivals[0]], rows))
            found[i] = rows[0]


def _how_to_say(kind: str, new: str, old: Sequence[str], key: str) -> str:
    olds = " or ".join(f'"{o}"' for o in old)
    return (
        f'{kind} "{new}" is new in the file and {olds} {"is" if len(old) == 1 else "are"} no longer in it: '
        f'I cannot tell whether it is a rename. If it is, add `id: {key}` to the "{new}" entry '
        f"(that id names {olds.split(' or ')[0]} as it is stored); if not, keep the old entry in the file "
        "with `active: false` (it is then deactivated, and may leave the file at the next import)."
    )


def match_agencies(session: Session, entries: Sequence[AgencyEntry], m: Matches) -> None:
    rows = members.all_agencies(session, active_only=False)
    found = _pair(
        entries,
        rows,
        key_of=lambda e: e.id,
        row_key=lambda r: r.file_key,
        natural=lambda e: e.name.lower(),
        row_natural=lambda r: r.name.lower(),
        row_slug=lambda r: slug(r.name),
    )
    leaving = [r for r in rows if r.active and all(r is not f for f in found)]

    def evidence(e: AgencyEntry, r: Agency) -> bool:
        where = {v for v in (e.channel.by_platform() if e.channel else {}).values() if v}
        stored = {v for v in addresses.of(session, addresses.AGENCY, r.id).values() if v}
        same_lead = bool(e.lead and r.lead is not None and r.lead.handle.lower() == e.lead.lower())
        return bool(where & stored) or same_lead

    def ask(e: AgencyEntry, rs: list[Agency]) -> str:
        return _how_to_say("agency", e.name, [r.name for r in rs], rs[0].file_key or slug(rs[0].name))

    _renames(entries, found, leaving, evidence, ask)
    # A row with no key may be anything the new entry is: ask rather than guess.
    unsure = [r for r in leaving if r.file_key is None and all(r is not f for f in found)]
    for i, e in enumerate(entries):
        if found[i] is None and unsure and e.active:
            raise ConfigError(ask(e, unsure))
    m.agencies = found
    m.leaving_agencies = [r for r in leaving if all(r is not f for f in found)]


def match_members(session: Session, entries: Sequence[MemberEntry], m: Matches) -> None:
    rows = members.all_members(session)
    found = _pair(
        entries,
        rows,
        key_of=lambda e: e.id,
        row_key=lambda r: r.file_key,
        natural=lambda e: e.handle.lower(),
        row_natural=lambda r: r.handle.lower(),
        row_slug=lambda r: slug(r.handle),
    )
    leaving = [r for r in rows if r.active and all(r is not f for f in found)]

    def evidence(e: MemberEntry, r: Member) -> bool:
        ids = {(p, v.lower()) for p, v in member_ids(e).items() if v}
        stored = {(p, v.lower()) for p, v in addresses.of(session, addresses.MEMBER, r.id).items() if v}
        same_email = bool(e.email and r.email and e.email.lower() == r.email.lower())
        return bool(ids & stored) or same_email

    def ask(e: MemberEntry, rs: list[Member]) -> str:
        handles = [r.handle for r in rs]
        return _how_to_say("member", e.handle, handles, rs[0].file_key or slug(rs[0].handle))

    # A new handle with nothing in common with a leaver is a new person (the leaver is
    # deactivated and the import says so): handles, unlike agency names, are not retyped.
    _renames(entries, found, leaving, evidence, ask)
    m.members = found
    m.leaving_members = [r for r in leaving if all(r is not f for f in found)]


def match_meetings(
    session: Session, entries: Sequence[MeetingEntry], tz: str, now: datetime, m: Matches
) -> None:
    rows = meeting_store.all_meetings(session)
    found = _pair(
        entries,
        rows,
        key_of=lambda e: e.id,
        row_key=lambda r: r.file_key,
        natural=lambda e: (e.kind, starts_utc(e, tz)),
        row_natural=lambda r: (r.kind, r.starts_at),
    )
    # Meetings left out of the file stay as history; only the file's own that are still to
    # come, not cancelled and without a key, may be the same meeting on another day (a held
    # meeting, with its agenda and minutes, never moves because next year's file drops it).
    unclaimed = [
        r
        for r in rows
        if r.source == "file"
        and r.starts_at > now
        and r.cancelled_at is None
        and not r.file_key
        and all(r is not f for f in found)
    ]

    def evidence(e: MeetingEntry, r: Meeting) -> bool:
        return r.kind == e.kind and abs(r.starts_at - starts_utc(e, tz)) <= MOVE_WINDOW

    def ask(e: MeetingEntry, rs: list[Meeting]) -> str:
        days = " or ".join(
            f'"{r.title}" on {r.starts_at.astimezone(ZoneInfo(tz)):%d/%m/%Y %H:%M}' for r in rs
        )
        return (
            f'meeting "{e.title}" on {e.starts:%d/%m/%Y %H:%M} is new in the file and {days} is no longer '
            "in it: I cannot tell which meeting moved. Move it in chat first (/qa meeting move <date> "
            "<new date/time>), or give the entry an `id:` while it still has its old date, import, "
            "then change the date."
        )

    _renames(entries, found, unclaimed, evidence, ask)
    m.meetings = found


def match_board(session: Session, bf: BoardFile, now: datetime) -> Matches:
    m = Matches(agencies=[], members=[], meetings=[])
    match_agencies(session, bf.agencies, m)
    match_members(session, bf.members, m)
    match_meetings(session, bf.meetings, bf.board.timezone, now, m)
    for e, a in zip(bf.agencies, m.agencies, strict=True):
        if a is not None and a.name != e.name:
            m.renamed[("agency", a.id)] = a.name
    for me, mem in zip(bf.members, m.members, strict=True):
        if mem is not None and mem.handle != me.handle:
            m.renamed[("member", mem.id)] = mem.handle
    return m


def check_keys(bf: BoardFile, name: str) -> None:
    """Each `id:` names one entry of its list."""
    for what, keys in (
        ("agencies", [a.id for a in bf.agencies]),
        ("members", [mb.id for mb in bf.members]),
        ("meetings", [mt.id for mt in bf.meetings]),
    ):
        given = [k for k in keys if k]
        twice = sorted({k for k in given if given.count(k) > 1})
        if twice:
            raise ConfigError(f"{name}: {what}: id(s) used twice: {', '.join(twice)} (an id names one entry)")
    leavers = {mb.handle.lower() for mb in bf.members if not mb.active}
    for a in bf.agencies:
        for role in ("lead", "substitute"):
            h = getattr(a, role)
            if a.active and h and h.lower() in leavers:
                problem = f'{role} "{h}" is marked `active: false`; name an active member'
                raise ConfigError(f'{name}: agency "{a.name}": {problem}')
