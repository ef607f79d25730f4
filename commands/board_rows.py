"""Writing the board file's rows: a field set only when it differs (the difference kept for the
audit), a subject's platform addresses, and the meetings (created, updated or moved)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from commands.board_changes import ImportReport
from commands.board_matching import Matches, starts_utc
from commands.board_schema import BoardFile, ChannelRef
from commands.errors import ConfigError
from store import addresses
from store import meetings as meeting_store
from store.models import Meeting


def set_changed(obj: Any, changes: dict[str, Any], **values: Any) -> None:
    for k, v in values.items():
        if getattr(obj, k) != v:
            changes[k] = {"before": getattr(obj, k), "after": v}
            setattr(obj, k, v)


def key_and_return(file_key: str | None, active: bool) -> dict[str, Any]:
    """The file's `id:` when it gives one, and `active` when a listed row comes back (a row
    marked `active: false` is deactivated with the leavers, so the import says so)."""
    return ({"file_key": file_key} if file_key else {}) | ({"active": True} if active else {})


def set_addresses(
    session: Session,
    changes: dict[str, Any],
    kind: str,
    subject_id: int,
    wanted: dict[str, str | None],
    label: str = "",
) -> None:
    """Store a subject's addresses, noting what changed as `<label> <platform>` (for the audit)."""
    for platform, change in addresses.replace(session, kind, subject_id, wanted).items():
        changes[f"{label} {platform}".strip()] = change


def import_meetings(
    session: Session,
    bf: BoardFile,
    matches: Matches,
    now: datetime,
    note: Callable[[str, int | None, str, bool, dict[str, Any]], None],
    report: ImportReport,
) -> None:
    tz = bf.board.timezone
    for mt, mrow in zip(bf.meetings, matches.meetings, strict=True):
        starts = starts_utc(mt, tz)
        clash = meeting_store.by_kind_and_start(session, mt.kind, starts)
        if clash is not None and clash is not mrow:
            raise ConfigError(
                f'meeting "{mt.title}": there is already a {mt.kind} at {mt.starts:%d/%m/%Y %H:%M} '
                f'("{clash.title}"); give each meeting its own time'
            )
        created = mrow is None
        if mrow is None:
            mrow = Meeting(kind=mt.kind, title=mt.title, starts_at=starts, source="file", created_at=now)
            session.add(mrow)
        elif mrow.starts_at != starts and meeting_store.agenda_post(session, mrow.id) is not None:
            report.notes.append(
                f'The agenda of "{mt.title}" was already posted for its old time: tell its channel '
                "of the new one (/qa meeting move posts that notice itself)."
            )
        ch = mt.channel or ChannelRef()
        changes: dict[str, Any] = {}
        set_changed(mrow, changes, title=mt.title, priority=mt.priority, starts_at=starts)
        set_changed(mrow, changes, **({"file_key": mt.id} if mt.id else {}))
        session.flush()
        set_addresses(session, changes, addresses.MEETING, mrow.id, ch.by_platform())
        note("meeting", mrow.id, f"meeting {mt.title} {mt.starts:%d/%m/%Y %H:%M}", created, changes)


def was_line(key: str, change: dict[str, Any], tz: str) -> str:
    """ "name A → B", or for a meeting "moved from 16/06/2027 13:30 to 17/06/2027 13:30" (board time)."""
    before, after = change["before"], change["after"]
    if isinstance(before, datetime) and isinstance(after, datetime):
        shown = [at.astimezone(ZoneInfo(tz)).strftime("%d/%m/%Y %H:%M") for at in (before, after)]
        return f"moved from {shown[0]} to {shown[1]}"
    return f"{key} {before} → {after}"
