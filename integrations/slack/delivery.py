"""Showing a reply in Slack: a channel post, a message only the person sees, or the
response_url when the bot cannot post where it was asked; then the reply's files; and the
clicked message brought up to date after a button changed something.

Also the few other Slack calls the listeners share (a message's permalink, opening a modal).
Every call here is after the acknowledgement and never raises: a failure is logged and the
person is told another way where there is one.

At most once when the outcome is unclear: the client does not resend (client.py
posting_retry_handlers), and an answer whose post failed in a way that may come after Slack
took it (a 5xx, a lost connection, a timeout, internal_error) is not sent again another way
at once. A channel post carries the outbox's message metadata key, so it goes to the outbox
as "maybe sent" and is looked for before it is sent (once); an ephemeral or threaded answer,
which cannot be looked for, goes to the person's direct messages through the outbox, saying
that it may be a second copy.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from commands import scratch
from commands.intake import REPLY_RETRY
from commands.types import Reply
from integrations.slack.client import why
from integrations.slack.render import decided_blocks, escape, fallback_text, refreshed_blocks, render
from integrations.slack.sender import METADATA_EVENT, to_send_error
from integrations.slack.uploads import upload_files, uploadable

log = logging.getLogger("qabot.slack")

RESPONSE_URL_TIMEOUT = 8  # seconds, as for the Web API client
MAYBE_SHOWN_NOTE = "(sent again here: the first attempt to show you this may or may not have arrived)"

# Queues an answer in the outbox: (address, reply, key, maybe_sent) (CorePort.post_later).
AnswerLater = Callable[[str, Reply, str, bool], None]


def files_alt_text(reply: Reply) -> dict[str, str]:
    """An image's text alternative by file name (a chart's, commands.charts), for Slack's alt text."""
    alt = reply.data.get("alt_texts")
    return {str(k): str(v) for k, v in alt.items()} if isinstance(alt, dict) else {}


def changed(reply: Reply) -> bool:
    """A click that changed something (a refusal, a repeat or "unchanged" did not)."""
    return (
        reply.ok
        and reply.visibility == "channel"
        and not reply.data.get("duplicate")
        and not reply.data.get("ignored")
    )


class Delivery:
    """Puts replies in front of people, through the bot's Web API client."""

    def __init__(self, client: WebClient, later: AnswerLater | None = None) -> None:
        self.client = client
        self.later = later

    def permalink(self, channel: str | None, ts: str | None) -> str | None:
        if not channel or not ts:
            return None
        try:
            return str(self.client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])
        except Exception as e:
            log.warning("no permalink for %s/%s: %s", channel, ts, why(e))
            return None

    def open_view(self, trigger_id: str, view: dict[str, Any]) -> None:
        try:
            self.client.views_open(trigger_id=trigger_id, view=view)
        except Exception as e:
            log.warning("views.open failed: %s", why(e))

    def show(
        self,
        reply: Reply,
        *,
        channel: str | None,
        user: str,
        thread_ts: str | None = None,
        response_url: str | None = None,
        public: bool | None = None,
    ) -> str | None:
        """Show a reply: confirmations to the channel, lists and errors to the person only.
        Its files are uploaded after it (in the confirmation's thread). Returns the ts of the
        channel post, when there is one."""
        if reply.data.get("ignored") or reply.data.get("duplicate"):
            return None
        if public is None:
            public = reply.ok and reply.visibility == "channel"
        files = [p for p in reply.files if uploadable(p)]
        posted = self._post(
            reply,
            files,
            channel=channel,
            user=user,
            thread_ts=thread_ts,
            response_url=response_url,
            public=public,
        )
        if files:

            def tell_failed(name: str, reason: str) -> None:
                # Privately, where they asked (the thread they typed in, if any).
                self.show(
                    upload_failed(name, reason),
                    channel=channel,
                    user=user,
                    thread_ts=thread_ts,
                    response_url=response_url,
                    public=False,
                )

            upload_files(
                self.client,
                files,
                user=user,
                channel=channel,
                to_channel=posted is not None,
                thread_ts=thread_ts or posted,
                comment=reply.title or "Your file",
                failed=tell_failed,
                alt_texts=files_alt_text(reply),
            )
            scratch.discard(files)  # delivered (or said why not): the server keeps no copy
        return posted

    def _post(
        self,
        reply: Reply,
        files: list[str],
        *,
        channel: str | None,
        user: str,
        thread_ts: str | None,
        response_url: str | None,
        public: bool,
    ) -> str | None:
        blocks, text = render(reply, attached=files), fallback_text(reply, attached=files)
        if channel:
            key = f"{REPLY_RETRY}:slack:{uuid.uuid4().hex}"
            try:
                if public:
                    resp = self.client.chat_postMessage(
                        channel=channel,
                        text=text,
                        blocks=blocks,
                        unfurl_links=False,
                        thread_ts=thread_ts,
                        # As the outbox's posts: an unclear post can be looked for by its key.
                        metadata={"event_type": METADATA_EVENT, "event_payload": {"key": key}},
                    )
                    return str(resp.get("ts") or "") or None
                self.client.chat_postEphemeral(
                    channel=channel, user=user, text=text, blocks=blocks, thread_ts=thread_ts
                )
                return None
            except Exception as e:
                if to_send_error(e, "answer").maybe_sent:
                    self._maybe_shown(
                        reply, why(e), channel=channel, user=user, key=key, findable=public and not thread_ts
                    )
                    return None
                log.info("could not post to %s (%s); trying another way", channel, why(e))
        if response_url:
            try:
                hook = WebhookClient(response_url, timeout=RESPONSE_URL_TIMEOUT).send(
                    text=text, blocks=blocks, response_type="in_channel" if public else "ephemeral"
                )
                if hook.status_code < 300:
                    return None
                log.warning("response_url answered HTTP %s", hook.status_code)
            except Exception as e:
                log.warning("response_url failed: %s", why(e))
        try:  # last resort: the person's direct messages with the bot
            self.client.chat_postMessage(channel=user, text=text, blocks=blocks, unfurl_links=False)
        except Exception as e:
            log.error("could not show a reply to %s: %s", user, why(e))
        return None

    def _maybe_shown(
        self, reply: Reply, reason: str, *, channel: str, user: str, key: str, findable: bool
    ) -> None:
        """The answer may have reached Slack: never resent blindly. A top-level channel post
        is looked for by the outbox before it sends it; anything else goes to the person's
        direct messages through the outbox, saying it may be a second copy."""
        if self.later is None:
            log.error("an answer to %s may not have been shown (%s); it was not sent again", user, reason)
            return
        try:
            if findable:
                self.later(channel, reply, key, True)
            else:
                again = reply.model_copy(update={"lines": [*reply.lines, MAYBE_SHOWN_NOTE]})
                self.later(user, again, key, False)
        except Exception:
            log.exception(
                "an answer to %s may not have been shown (%s) and could not be queued", user, reason
            )
            return
        log.warning(
            "an answer to %s in %s may not have been shown (%s); the outbox %s",
            user,
            channel,
            reason,
            "looks for it before sending it" if findable else "sends it to their direct messages",
        )

    def refresh_clicked(
        self,
        kind: str,
        reply: Reply,
        *,
        user: str,
        channel: str | None,
        message_ts: str | None,
        ephemeral: bool,
        response_url: str | None,
        original: list[dict[str, Any]] | None = None,
    ) -> bool:
        """After a button changed something, the message that carried the button shows the new
        state: an action's message is re-rendered from the command's reply (a closed action
        loses its buttons, a snoozed one shows its new date); any other message keeps its
        content, loses its buttons and says what was done. True when the message was updated."""
        who = f"<@{user}>" if user else "someone"
        if kind.startswith("action_"):
            blocks = refreshed_blocks(reply, f"Changed by {who}")
        elif original:
            done = escape(reply.title) if reply.title else fallback_text(reply)
            blocks = decided_blocks(original, f"{done} (by {who})")
        else:
            return False
        text = fallback_text(reply)
        try:
            if ephemeral:  # only the response_url can replace an ephemeral message
                if not response_url:
                    return False
                resp = WebhookClient(response_url, timeout=RESPONSE_URL_TIMEOUT).send(
                    text=text, blocks=blocks, replace_original=True
                )
                return resp.status_code < 300
            if not channel or not message_ts:
                return False
            self.client.chat_update(channel=channel, ts=message_ts, text=text, blocks=blocks)
            return True
        except Exception as e:
            log.warning("could not update the clicked message %s/%s: %s", channel, message_ts, why(e))
            return False


def upload_failed(name: str, reason: str) -> Reply:
    return Reply(
        ok=False,
        title="The file could not be attached",
        lines=[
            f"Slack did not accept the upload of {name} ({reason}). "
            "Nothing else is affected: try the command again in a few minutes, "
            "or ask the QA officer for the file."
        ],
    )
