"""Files on a Teams message, and the bytes of a spreadsheet posted in a Section 11 thread.

Teams does not put a file's bytes on the activity. A file in a channel (or group chat) message
can arrive as an attachment with contentType "reference" whose contentUrl is where Teams saved it
in the team's SharePoint site (or the sender's OneDrive); in a 1:1 chat with the bot it is
"application/vnd.microsoft.teams.file.download.info" with the same contentUrl (msteams-docs
"Send and receive files using bots"; Graph "chatMessage" attachments). The bot reads such a
file through Microsoft Graph with the msgraph-sdk client the SharePoint integration builds
(integrations/sharepoint/client.py): `GET /shares/{u!<base64url of the URL>}/driveItem` for its
id, version and size, then `/driveItem/content` (Graph "Accessing shared DriveItems").

Only for a reply in a Section 11 return's thread (the core is asked first), only .xlsx/.xlsm
of at most MAX_BYTES, after the activity is stored (app.py, `_work`). What goes wrong is handed
to the core, which says it: Graph not set up ("not_configured"), 401/403 ("no_access"),
404/410 ("gone"), too big, or anything else ("failed"). The URL is sent only to Graph.

In a channel the activity may not carry the file at all, only an `<attachment id>` tag in
its HTML: the file is then found on Graph's copy of the message first
(integrations/teams/channel_files.py).
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass
from typing import Any

from commands.ports import CorePort
from commands.types import Attachment, FileProblem, Inbound
from integrations.sharepoint.client import (
    GraphConfigError,
    GraphConnection,
    GraphOptions,
    RetryPolicy,
    check_settings,
    connect,
)
from integrations.sharepoint.settings import SharePointSettings
from integrations.teams import channel_files

log = logging.getLogger("qabot.teams.files")

REFERENCE = "reference"
DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"
FILE_TYPES = (REFERENCE, DOWNLOAD_INFO)
MAX_BYTES = 10 * 1024 * 1024
WORKBOOKS = (".xlsx", ".xlsm")
SPREADSHEETS = (*WORKBOOKS, ".xls")


def attachments(activity: Mapping[str, Any]) -> list[Attachment]:
    """The files on a message (name and SharePoint/OneDrive address), without their bytes."""
    out = []
    for a in activity.get("attachments") or []:
        if not isinstance(a, Mapping) or a.get("contentType") not in FILE_TYPES:
            continue
        url, name = str(a.get("contentUrl") or ""), str(a.get("name") or "")
        if url.startswith("https://") and name:
            out.append(Attachment(name=name, url=url, file_id=url_id(url)))
    return out


def url_id(url: str) -> str:
    """A stable id for a file known only by its address (until Graph names its drive item)."""
    return "url:" + hashlib.sha256(url.encode()).hexdigest()[:24]


def share_token(url: str) -> str:
    """The sharing URL as Graph's shares API takes it: "u!" + unpadded base64url of the URL."""
    return "u!" + base64.urlsafe_b64encode(url.encode()).decode("ascii").rstrip("=")


@dataclass
class TeamsFiles:
    """Fills in the bytes of the spreadsheets on a Section 11 thread reply (or why not)."""

    core: CorePort
    sharepoint: SharePointSettings | None
    options: GraphOptions | None = None

    def with_workbooks(self, inbound: Inbound, activity: Mapping[str, Any] | None = None) -> Inbound:
        """The Inbound with its spreadsheets' bytes (or why not). A channel reply whose file is
        not on the activity (`channel_files.wanted`) is first looked up on Graph's copy of the
        message; only in a Section 11 return's thread, asked before anything is fetched."""
        sheets = [a for a in inbound.attachments if a.name.lower().endswith(SPREADSHEETS)]
        lookup = channel_files.wanted(activity) if activity is not None else None
        if not (sheets or lookup) or not inbound.thread_id or not self.core.s11_thread(inbound):
            return inbound
        files = list(inbound.attachments)
        if lookup is not None:
            files += self._on_message(lookup)
            sheets = [a for a in files if a.name.lower().endswith(SPREADSHEETS) and not a.problem]
        out = [self._fetch(a) if a in sheets else a for a in files]
        return inbound.model_copy(update={"attachments": out})

    def _on_message(self, lookup: channel_files.Wanted) -> list[Attachment]:
        """The files Graph's copy of the channel message carries (or why not)."""
        if self._unready() is not None:
            return [channel_files.problem(lookup, "not_configured")]
        try:
            return self._run(self._message_files(lookup))
        except Exception as e:
            log.warning("Teams message %s could not be read: %s", lookup.reply_id, type(e).__name__)
            return [channel_files.problem(lookup, "failed")]

    async def _message_files(self, lookup: channel_files.Wanted) -> list[Attachment]:
        conn = self._connect()
        try:
            return await channel_files.find(conn.client, lookup)
        finally:
            await conn.aclose()

    def _unready(self) -> FileProblem | None:
        if self.sharepoint is None:
            return "not_configured"
        try:
            check_settings(self.sharepoint)
        except GraphConfigError as e:
            log.warning("Teams file not read: Microsoft Graph is not set up (%s)", e)
            return "not_configured"
        return None

    def _connect(self) -> GraphConnection:
        options = self.options or GraphOptions(retry=RetryPolicy(max_retries=2, max_wait=10.0), timeout=60.0)
        assert self.sharepoint is not None
        return connect(self.sharepoint, options)

    @staticmethod
    def _run[T](work: Coroutine[Any, Any, T]) -> T:
        from integrations.sharepoint.upload import run_async

        return run_async(work)

    def _fetch(self, a: Attachment) -> Attachment:
        if not a.name.lower().endswith(WORKBOOKS):
            return a.model_copy(update={"problem": "not_workbook"})  # e.g. an old .xls
        unready = self._unready()
        if unready is not None:
            return a.model_copy(update={"problem": unready})
        try:
            return self._run(self._download(a))
        except Exception as e:  # the network, the sign-in: said as "could not be downloaded"
            log.warning("Teams file %s could not be downloaded: %s", a.file_id, type(e).__name__)
            return a.model_copy(update={"problem": "failed"})

    async def _download(self, a: Attachment) -> Attachment:
        conn = self._connect()
        try:
            shared = conn.client.shares.by_shared_drive_item_id(share_token(a.url)).drive_item
            try:
                item = await shared.get()
                if item is None or item.id is None:
                    return a.model_copy(update={"problem": "gone"})
                found = a.model_copy(update={"file_id": item.id, "version": _version(item)})
                if item.size is not None and item.size > MAX_BYTES:
                    return found.model_copy(update={"problem": "too_big"})
                data = await shared.content.get()
            except Exception as e:
                problem = _problem(e)
                if problem is None:
                    raise
                log.warning("Teams file %s: Graph answered %s", a.file_id, problem)
                return a.model_copy(update={"problem": problem})
        finally:
            await conn.aclose()
        if data is None or len(data) > MAX_BYTES:
            return found.model_copy(update={"problem": "too_big" if data else "failed"})
        log.info("Teams file %s downloaded (%d bytes)", found.file_id, len(data))
        return found.model_copy(update={"content": data})


def _version(item: Any) -> str:
    """The drive item's version as the SharePoint sync sees one: modified time and size."""
    when = item.last_modified_date_time
    return f"{when.isoformat() if when else '-'}|{item.size if item.size is not None else '-'}"


def _problem(e: BaseException) -> FileProblem | None:
    from kiota_abstractions.api_error import APIError

    if not isinstance(e, APIError):
        return None
    status = e.response_status_code or 0
    if status in (401, 403):
        return "no_access"
    if status in (404, 410):
        return "gone"
    return "failed"
