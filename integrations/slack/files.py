"""The bytes of a spreadsheet attached to a thread reply, for the core to read as a Section 11
workbook (commands/section11/workbook_posted.py). Only for a reply in a Section 11 return's
thread (integrations/slack/events.py asks the core first): a spreadsheet anywhere else is never
downloaded.

Slack's file object (message subtype file_share, `files[]`) carries `url_private_download`,
`name`, `filetype`, `mimetype` and `size`; the file is fetched from there with the bot token
(`Authorization: Bearer xoxb-…`), which needs the `files:read` scope. Worked by the inbox
worker after the acknowledgement, never on the ack path. Only .xlsx/.xlsm, at most
MAX_BYTES, with timeouts; the token goes only to Slack's own hosts (or to SLACK_API_URL's
host when that stands in for Slack: a proxy, the tests' fake) and is never logged.

Without `files:read` Slack answers 403 — or, for some installations, a 200 HTML sign-in page:
both are "no_access". 404/410 are "gone". Each problem is handed to the core, which says it.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlparse, urlunparse

import httpx

from commands.types import FileProblem, Inbound

log = logging.getLogger("qabot.slack")

MAX_BYTES = 10 * 1024 * 1024
WORKBOOKS = (".xlsx", ".xlsm")
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
_SLACK_HOSTS = ("slack.com", "slack-gov.com")


def wanted(f: dict[str, Any]) -> bool:
    """A file that might be a Section 11 workbook: worth fetching (by name or Slack's type)."""
    name = str(f.get("name") or "").lower()
    return name.endswith(WORKBOOKS) or str(f.get("filetype") or "") in ("xlsx", "xlsm")


def has_workbook(event: dict[str, Any]) -> bool:
    """Whether the message carries a file worth fetching (asked before the thread is looked up)."""
    return any(isinstance(f, dict) and f.get("id") and wanted(f) for f in event.get("files") or [])


def with_workbooks(inbound: Inbound, event: dict[str, Any], token: str | None, api_url: str) -> Inbound:
    """The Inbound with each attached workbook's bytes (or why not) filled in."""
    files = {str(f.get("id")): f for f in event.get("files") or [] if isinstance(f, dict) and f.get("id")}
    if not any(wanted(f) for f in files.values()):
        return inbound
    out = []
    for a in inbound.attachments:
        f = files.get(a.file_id or "")
        if f is None or not a.name.lower().endswith((*WORKBOOKS, ".xls")):
            out.append(a)
            continue
        content, problem = fetch(f, token, api_url)
        out.append(a.model_copy(update={"content": content, "problem": problem}))
    return inbound.model_copy(update={"attachments": out})


def fetch(f: dict[str, Any], token: str | None, api_url: str) -> tuple[bytes | None, FileProblem | None]:
    if not wanted(f):
        return None, "not_workbook"  # e.g. an old .xls: not a kind the reader takes
    size = f.get("size")
    if isinstance(size, int) and size > MAX_BYTES:
        return None, "too_big"
    url = download_url(str(f.get("url_private_download") or f.get("url_private") or ""), api_url)
    if url is None or not token:
        log.warning("Slack file %s: no download address the bot may use", f.get("id"))
        return None, "failed"
    try:
        return _get(url, token, str(f.get("id")))
    except httpx.HTTPError as e:
        log.warning("Slack file %s could not be downloaded: %s", f.get("id"), type(e).__name__)
        return None, "failed"


def _get(url: str, token: str, file_id: str) -> tuple[bytes | None, FileProblem | None]:
    headers = {"Authorization": f"Bearer {token}"}
    # httpx drops the Authorization header on a redirect to another host.
    with (
        httpx.Client(timeout=TIMEOUT, follow_redirects=True) as client,
        client.stream("GET", url, headers=headers) as resp,
    ):
        if resp.status_code in (401, 403):
            log.warning("Slack file %s: %s (the app lacks files:read?)", file_id, resp.status_code)
            return None, "no_access"
        if resp.status_code in (404, 410):
            return None, "gone"
        if resp.status_code != 200:
            log.warning("Slack file %s: HTTP %s", file_id, resp.status_code)
            return None, "failed"
        if "text/html" in resp.headers.get("content-type", ""):
            return None, "no_access"  # Slack's sign-in page: the token may not read files
        data = bytearray()
        for chunk in resp.iter_bytes():
            data += chunk
            if len(data) > MAX_BYTES:
                return None, "too_big"
    log.info("Slack file %s downloaded (%d bytes)", file_id, len(data))
    return bytes(data), None


def download_url(url: str, api_url: str) -> str | None:
    """Where to fetch a file: Slack's own https address, or the same path on SLACK_API_URL's
    host when that stands in for Slack. None for anywhere else (the token is never sent there)."""
    u, base = urlparse(url), urlparse(api_url)
    if not u.path:
        return None
    if not _is_slack(base.hostname):
        return urlunparse(u._replace(scheme=base.scheme, netloc=base.netloc))
    return url if u.scheme == "https" and _is_slack(u.hostname) else None


def _is_slack(host: str | None) -> bool:
    return bool(host) and any(host == h or str(host).endswith("." + h) for h in _SLACK_HOSTS)
