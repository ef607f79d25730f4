"""The outbox's Slack sender: posts with chat.postMessage, finds posts again after a crash.

Every post carries Slack message metadata {event_type: "qabot_outbox", event_payload: {key}}
so that, if the process dies between Slack accepting a post and the outbox recording it,
find_sent() sees it in conversations.history (or the thread's replies) and it is not sent
twice. Errors become SendError: rate limits and outages are retried later (the post stays in
the outbox), errors that cannot heal by waiting (no such channel, a revoked token) are
permanent.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from commands.outbound import OutgoingPost, SendError, SentRef
from integrations.slack.client import error_code, make_web_client, retry_after
from integrations.slack.render import fallback_text, render

if TYPE_CHECKING:
    from integrations.slack.settings import SlackSettings

log = logging.getLogger("qabot.slack.sender")

METADATA_EVENT = "qabot_outbox"

PERMANENT = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "channel_is_archived",
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "missing_scope",
        "no_permission",
        "restricted_action",
        "user_not_found",
        "user_not_visible",
        "cannot_dm_bot",
        "team_access_not_granted",
        "ekm_access_denied",
        "invalid_arguments",
        "invalid_blocks",
        "msg_too_long",
        "no_text",
    }
)


def to_send_error(e: Exception, what: str) -> SendError:
    """A Slack failure as the outbox understands it."""
    if isinstance(e, SlackApiError):
        status = getattr(e.response, "status_code", 200) or 200
        code = error_code(e)
        if status == 429 or code == "ratelimited":
            wait = retry_after(getattr(e.response, "headers", None))
            return SendError(f"{what}: rate limited (retry after {wait:g}s)", retry_after=wait)
        if status >= 500:
            # A gateway error may come after Slack took the post: look before resending.
            return SendError(f"{what}: Slack answered HTTP {status}", maybe_sent=status in (502, 504))
        if code in PERMANENT:
            return SendError(f"{what}: {code}", permanent=True)
        return SendError(f"{what}: {code or f'HTTP {status}'}")
    # Timeouts and dropped connections: Slack may have taken the post before we stopped
    # listening, so the next attempt looks for it (by its outbox key) before resending.
    return SendError(f"{what}: {type(e).__name__}", maybe_sent=True)


def is_user_address(channel: str) -> bool:
    return channel[:1] in ("U", "W")


class SlackSender:
    def __init__(self, client: WebClient) -> None:
        self.client = client

    def _post(self, post: OutgoingPost, *, with_blocks: bool = True) -> Any:
        kwargs: dict[str, Any] = {
            "channel": post.channel,
            "text": fallback_text(post.reply),
            "metadata": {"event_type": METADATA_EVENT, "event_payload": {"key": post.key}},
            "unfurl_links": False,
            "unfurl_media": False,
        }
        if with_blocks:
            kwargs["blocks"] = render(post.reply)
        if post.thread_id:
            kwargs["thread_ts"] = post.thread_id
        return self.client.chat_postMessage(**kwargs)

    def send(self, post: OutgoingPost) -> SentRef:
        what = f"chat.postMessage to {post.channel}"
        try:
            try:
                resp = self._post(post)
            except SlackApiError as e:
                code = error_code(e)
                if code == "not_in_channel" and post.channel[:1] == "C":
                    # A public channel the bot has not been invited to: join it and try once more.
                    self.client.conversations_join(channel=post.channel)
                    resp = self._post(post)
                elif code == "invalid_blocks":
                    # Never lose a post to a rendering problem: send the plain text instead.
                    log.error("Slack refused the blocks of outbox %s; sending plain text", post.outbox_id)
                    resp = self._post(post, with_blocks=False)
                else:
                    raise
        except Exception as e:
            raise to_send_error(e, what) from None
        return SentRef(message_id=str(resp["ts"]), channel=str(resp.get("channel") or post.channel))

    def _conversation_id(self, channel: str) -> str:
        if is_user_address(channel):
            resp = self.client.conversations_open(users=channel)
            return str(resp["channel"]["id"])
        return channel

    def find_sent(self, post: OutgoingPost) -> SentRef | None:
        what = f"looking for outbox {post.key} in {post.channel}"
        try:
            channel = self._conversation_id(post.channel)
            if post.thread_id:
                resp = self.client.conversations_replies(
                    channel=channel, ts=post.thread_id, include_all_metadata=True, limit=200
                )
            else:
                resp = self.client.conversations_history(
                    channel=channel, include_all_metadata=True, limit=100
                )
        except Exception as e:
            raise to_send_error(e, what) from None
        for msg in resp.get("messages") or []:
            meta = msg.get("metadata") or {}
            if (
                meta.get("event_type") == METADATA_EVENT
                and (meta.get("event_payload") or {}).get("key") == post.key
            ):
                return SentRef(message_id=str(msg["ts"]), channel=channel)
        return None


def make_sender(settings: SlackSettings) -> SlackSender:
    return SlackSender(make_web_client(settings))
