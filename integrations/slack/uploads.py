"""A reply's files into Slack (files_upload_v2): where they go, and what a failure says."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from slack_sdk import WebClient

from integrations.slack.client import why

log = logging.getLogger("qabot.slack")

MAX_UPLOAD_BYTES = 1_000_000_000  # Slack's limit per file (files.getUploadURLExternal)

# Told when one file could not be uploaded: (its file name, why in a few words).
UploadFailed = Callable[[str, str], None]


def uploadable(path: str) -> bool:
    """A file Slack can take: it exists, is not empty and is within Slack's size limit."""
    try:
        size = os.path.getsize(path)
    except OSError:
        return False
    return 0 < size <= MAX_UPLOAD_BYTES


def upload_files(
    client: WebClient,
    files: list[str],
    *,
    user: str,
    channel: str | None,
    to_channel: bool,
    thread_ts: str | None,
    comment: str,
    failed: UploadFailed,
    alt_texts: dict[str, str] | None = None,
) -> None:
    """Upload files into the channel, in the thread of the confirmation (`thread_ts`), when the
    reply was posted there; otherwise to the person's direct messages with the bot (with
    `comment`), so a private reply's file stays private. Each failure is handed to `failed`
    as it happens, and the next file is still tried; it never raises."""
    where, initial_comment = (channel, None) if to_channel else (None, comment)
    for path in files:
        name = os.path.basename(path)
        try:
            if where is None:
                where = str(client.conversations_open(users=user)["channel"]["id"])
            client.files_upload_v2(
                file=path,
                filename=name,
                title=name,
                channel=where,
                thread_ts=thread_ts if to_channel else None,
                initial_comment=initial_comment,
                # An image's words for a screen reader (Slack keeps up to 1,000 characters).
                alt_txt=(alt_texts or {}).get(name, "")[:1000] or None,
            )
        except Exception as e:
            log.warning("could not upload %s to %s: %s", name, where or user, why(e))
            failed(name, why(e))
