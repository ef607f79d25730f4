"""Editing one of the bot's own Slack posts (`/qa redact`): chat.update with channel + ts.

Slack's chat.update (docs.slack.dev reference/methods/chat.update) takes the channel id (a DM's
D… id, never a user id), the message's ts, and the new text and blocks; it answers
{"ok": true, "channel", "ts", "text", "message"}. Its errors that waiting cannot heal are
permanent here: message_not_found (deleted), cant_update_message (not the bot's),
edit_window_closed (the workspace forbids late edits), channel_not_found, and the token and
access errors every posting method shares. A permanent failure carries the message's
permalink (chat.getPermalink) when Slack can still give one, so the QA officer can find it.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from commands.outbound import EditedPost, SendError
from integrations.slack.client import error_code
from integrations.slack.render import fallback_text, render
from integrations.slack.sender import PERMANENT, to_send_error

log = logging.getLogger("qabot.slack.editor")

CANNOT_EDIT = PERMANENT | {"message_not_found", "cant_update_message", "edit_window_closed"}


def edit_message(client: WebClient, post: EditedPost) -> None:
    """Replace the post's text and blocks, or raise SendError (permanent when it cannot be
    edited, with where the post is)."""
    what = f"chat.update of message {post.message_id} in {post.channel}"
    try:
        try:
            client.chat_update(
                channel=post.channel,
                ts=post.message_id,
                text=fallback_text(post.reply),
                blocks=render(post.reply),
            )
        except SlackApiError as e:
            if error_code(e) != "invalid_blocks":
                raise
            # Never leave the old text up for a rendering problem: plain text replaces the blocks.
            log.error("Slack refused the blocks of edit %s; editing to plain text", post.outbox_id)
            text = fallback_text(post.reply)
            client.chat_update(channel=post.channel, ts=post.message_id, text=text, blocks=[])
    except SlackApiError as e:
        code = error_code(e)
        if code in CANNOT_EDIT:
            raise SendError(f"{what}: {code}{_where(client, post)}", permanent=True) from None
        raise to_send_error(e, what) from None
    except Exception as e:
        raise to_send_error(e, what) from None


def _where(client: WebClient, post: EditedPost) -> str:
    """", permalink https://…" when Slack still knows the message, else "" (the caller's text
    already names the channel and ts)."""
    try:
        resp = client.chat_getPermalink(channel=post.channel, message_ts=post.message_id)
    except Exception:
        return ""
    link = resp.get("permalink")
    return f", permalink {link}" if link else ""
