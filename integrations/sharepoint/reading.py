"""Reading one drive item beyond its delta entry: its permissions (are they its own?) and its
text. A file that cannot be read is the file's problem, never the library's: it is reported
and kept without text; only trouble that is the service's (throttling, an outage, a refused
token) stops the page, so the sync resumes later."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from commands.documents import ItemRecord
from commands.ports import DocumentLibrary
from integrations.sharepoint.client import GraphConnection
from integrations.sharepoint.extract import extract_text

log = logging.getLogger("qabot.sharepoint")

SERVICE_TROUBLE = (401, 429, 502, 503, 504)  # the service's, not the file's: stop the page


def _status(e: BaseException) -> int | None:
    from kiota_abstractions.api_error import APIError

    return e.response_status_code if isinstance(e, APIError) else None


async def has_unique_permissions(conn: GraphConnection, drive_id: str, item_id: str) -> bool:
    """Whether the item has permissions of its own (broken inheritance): Graph lists an item's
    effective permissions, and those inherited from an ancestor carry `inheritedFrom`; one
    without it was granted on the item itself. If they cannot be read (other than for the
    service's own trouble), the item is treated as restricted: never guessed open."""
    try:
        found = await (
            conn.client.drives.by_drive_id(drive_id).items.by_drive_item_id(item_id).permissions.get()
        )
    except Exception as e:
        if _status(e) in SERVICE_TROUBLE:
            raise
        log.warning(
            "sharepoint: the permissions of item %s could not be read (%s); kept restricted",
            item_id,
            _status(e),
        )
        return True
    return any(p.inherited_from is None for p in (found.value if found else None) or [])


@dataclass
class TextResult:
    text: str | None
    size: int = 0
    failed: bool = False


async def read_text(conn: GraphConnection, drive_id: str, record: ItemRecord) -> TextResult:
    """The file's text, or a failure named in the log (the file is then listed without text
    and read again at the next sync)."""
    try:
        data = (
            await conn.client.drives.by_drive_id(drive_id)
            .items.by_drive_item_id(record.item_id)
            .content.get()
        ) or b""
    except Exception as e:
        if _status(e) in SERVICE_TROUBLE:
            raise
        log.warning(  # the item's id, never its name: a file name can identify a child
            "sharepoint: item %s could not be downloaded (%s); listed without text",
            record.item_id,
            _status(e) or type(e).__name__,
        )
        return TextResult(None, failed=True)
    try:
        text = await asyncio.to_thread(extract_text, record.name, data)
    except Exception as e:  # a damaged or hostile file: its problem, not the library's
        log.warning(
            "sharepoint: item %s could not be read (%s); listed without text",
            record.item_id,
            type(e).__name__,
        )
        return TextResult(None, len(data), failed=True)
    return TextResult(text, len(data))


@dataclass
class ReadAgain:
    read: int = 0
    size: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


async def read_unreadable(
    library: DocumentLibrary, conn: GraphConnection, drive_id: str, *, skip: set[str]
) -> ReadAgain:
    """Files that could not be read on an earlier run are tried again (the delta does not list
    them again until they change); those that still fail stay listed without text."""
    out = ReadAgain()
    for item_id, name in library.unreadable():
        if item_id in skip:
            continue
        got = await read_text(conn, drive_id, ItemRecord(item_id=item_id, parent_id=None, name=name))
        out.size += got.size
        if got.failed or got.text is None:
            out.failed.append((item_id, name))
            continue
        library.store_text(item_id, got.text)
        out.read += 1
    return out
