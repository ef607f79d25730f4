"""Files on a Teams message, and the bytes of a spreadsheet posted in a Section 11 thread.

Teams does not put a file's bytes on the activity. A file in a channel (or group chat) message
arrives as an attachment with contentType "reference" whose contentUrl is where Teams saved it
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
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from commands.ports import CorePort
from commands.types import Attachment, FileProblem, Inbound
from integrations.sharepoint.client import (
    GraphConfigError,
    GraphOptions,
    RetryPolicy,
    check_settings,
    connect,
)
from integrations.sharepoint.settings import SharePointSettings

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

    def with_workbooks(self, inbound: Inbound) -> Inbound:
        sheets = [a for a in inbound.attachments if a.name.lower().endswith(SPREADSHEETS)]
        if not sheets or not inbound.thread_id or not self.core.s11_thread(inbound):
            return inbound
        out = [self._fetch(a) if a in sheets else a for a in inbound.attachments]
        return inbound.model_copy(update={"attachments": out})

    def _fetch(self, a: Attachment) -> Attachment:
        if not a.name.lower().endswith(WORKBOOKS):
            return a.model_copy(update={"problem": "not_workbook"})  # e.g. an old .xls
        if self.sharepoint is None:
            return a.model_copy(update={"problem": "not_configured"})
        try:
            check_settings(self.sharepoint)
        except GraphConfigError as e:
            log.warning("Teams file not read: Microsoft Graph is not set up (%s)", e)
            return a.model_copy(update={"problem": "not_configured"})
        from integrations.sharepoint.upload import run_async

        try:
            return run_async(self._download(a))
        except Exception as e:  # the network, the sign-in: said as "could not be downloaded"
            log.warning("Teams file %s could not be downloaded: %s", a.file_id, type(e).__name__)
            return a.model_copy(update={"problem": "failed"})

    async def _download(self, a: Attachment) -> Attachment:
        options = self.options or GraphOptions(retry=RetryPolicy(max_retries=2, max_wait=10.0), timeout=60.0)
        assert self.sharepoint is not None
        conn = connect(self.sharepoint, options)
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
