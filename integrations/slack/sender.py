"""The outbox's Slack sender: posts with chat.postMessage, finds posts again after a crash.

Every post carries Slack message metadata {event_type: "qabot_outbox", event_payload: {key}}
so that, if the process dies between Slack accepting a post and the outbox recording it,
find_sent() sees it in conversations.history (or the thread's replies) and it is not sent
twice. The look-up pages back through the conversation to the post's creation time (a channel
several agencies share can hold far more than one page since). Errors become SendError: rate
limits and outages are retried later (the post stays in the outbox), errors that cannot heal by
waiting (no such channel, a revoked token, the bot removed from the channel) are permanent,
and an answer that may come after Slack took the post (5xx, a lost connection, a timeout,
Slack's internal_error/fatal_error: "some aspect of the operation may have succeeded") is
"maybe sent": the outbox looks before it sends again. The client has no automatic resend but
for rate limits (integrations/slack/client.py posting_retry_handlers).

Before a thread's first post to a public channel the bot joins it (conversations.join, scope
channels:join): with chat:write.public a post succeeds without membership, but Slack then never
sends the bot the replies in that post's thread.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from commands.outbound import EditedPost, OutgoingPost, SendError, SentRef
from integrations.slack.client import error_code, make_web_client, posting_retry_handlers, retry_after
from integrations.slack.render import fallback_text, render

if TYPE_CHECKING:
    from integrations.slack.settings import SlackSettings

log = logging.getLogger("qabot.slack.sender")

METADATA_EVENT = "qabot_outbox"
# Slack documents these as "it's possible some aspect of the operation succeeded".
MAYBE_DONE = frozenset({"internal_error", "fatal_error", "request_timeout", "service_unavailable"})
PAGE = 200  # messages per look-up page (Slack's recommended maximum is 200)
MAX_PAGES = 50  # a look-up that has not reached the post's time after this many pages gives up
CLOCK_SKEW_SECONDS = 300  # Slack's ts and our clock may differ: look a little further back
# conversations.join answers these when joining cannot work (the bot must be invited instead,
# or the channel is gone): the post itself then says why.
JOIN_CANNOT = frozenset(
    {"method_not_supported_for_channel_type", "missing_scope", "channel_is_limited_access"}
)

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
            # A server or gateway error may come after Slack took the post: look before resending.
            return SendError(f"{what}: Slack answered HTTP {status}", maybe_sent=True)
        if code in MAYBE_DONE:
            return SendError(f"{what}: {code} (Slack may have taken it)", maybe_sent=True)
        if code in PERMANENT:
            return SendError(f"{what}: {code}", permanent=True)
        if status in (401, 403, 404):  # refused or gone without a Slack error name: waiting cannot help
            return SendError(f"{what}: Slack answered HTTP {status}", permanent=True)
        return SendError(f"{what}: {code or f'HTTP {status}'}")
    # Timeouts and dropped connections: Slack may have taken the post before we stopped
    # listening, so the next attempt looks for it (by its outbox key) before resending.
    return SendError(f"{what}: {type(e).__name__}", maybe_sent=True)


def is_user_address(channel: str) -> bool:
    return channel[:1] in ("U", "W")


class SlackSender:
    def __init__(self, client: WebClient) -> None:
        self.client = client
        self._joined: set[str] = set()  # public channels joined (or found joined) by this process

    def join(self, channel: str) -> None:
        """Be a member of a public channel before starting a thread in it. A channel that cannot
        be joined (private: the bot must be invited) is left to chat.postMessage, whose error
        then names the problem; a rate-limited join is tried again with the next post."""
        if channel[:1] != "C" or channel in self._joined:
            return
        try:
            self.client.conversations_join(channel=channel)
        except SlackApiError as e:
            code = error_code(e)
            if code in ("channel_not_found", "is_archived"):
                raise
            if code not in JOIN_CANNOT:
                return  # rate limited or an outage: the post decides, the next one joins
        self._joined.add(channel)

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
            if not post.thread_id:
                self.join(post.channel)
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

    def edit(self, post: EditedPost) -> None:
        """chat.update of one of the bot's posts (integrations/slack/editor.py)."""
        from integrations.slack.editor import edit_message

        edit_message(self.client, post)

    def _conversation_id(self, channel: str) -> str:
        if is_user_address(channel):
            resp = self.client.conversations_open(users=channel)
            return str(resp["channel"]["id"])
        return channel

    def find_sent(self, post: OutgoingPost) -> SentRef | None:
        """The post if Slack has it (by its outbox key in the message metadata), None if it
        certainly has not; SendError when the look-up could not tell (rate limited, an outage,
        or the history could not be paged back to the post's time)."""
        what = f"looking for outbox {post.key} in {post.channel}"
        # Pages come newest first: once one reaches back past the time the post was queued,
        # older pages cannot hold it.
        cutoff = post.created_at.timestamp() - CLOCK_SKEW_SECONDS if post.created_at else None
        try:
            channel = self._conversation_id(post.channel)
            for messages in self._pages(channel, post):
                for msg in messages:
                    if _carries(msg, post.key):
                        return SentRef(message_id=str(msg["ts"]), channel=channel)
                if cutoff is not None and not post.thread_id and any(_ts(m) < cutoff for m in messages):
                    return None
        except SendError:
            raise
        except Exception as e:
            raise to_send_error(e, what) from None
        return None

    def _pages(self, channel: str, post: OutgoingPost) -> Iterator[list[dict[str, Any]]]:
        """The conversation (or the thread) page by page (cursor pagination), to its end."""
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            args: dict[str, Any] = {"channel": channel, "include_all_metadata": True, "limit": PAGE}
            if cursor:
                args["cursor"] = cursor
            if post.thread_id:
                resp = self.client.conversations_replies(ts=post.thread_id, **args)
            else:
                resp = self.client.conversations_history(**args)
            yield list(resp.get("messages") or [])
            cursor = str((resp.get("response_metadata") or {}).get("next_cursor") or "")
            if not resp.get("has_more") or not cursor:
                return
        raise SendError(
            f"looking for {post.key} in {channel}: more than {MAX_PAGES} pages since it was queued"
        )


def _ts(msg: dict[str, Any]) -> float:
    try:
        return float(msg.get("ts") or 0)
    except (TypeError, ValueError):
        return 0.0


def _carries(msg: dict[str, Any], key: str) -> bool:
    meta = msg.get("metadata") or {}
    return bool(
        meta.get("event_type") == METADATA_EVENT and (meta.get("event_payload") or {}).get("key") == key
    )


def make_sender(settings: SlackSettings) -> SlackSender:
    return SlackSender(make_web_client(settings, handlers=posting_retry_handlers()))
