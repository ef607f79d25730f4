"""Events API listeners: messages (ACTION:/FINDING: lines, replies in the bot's threads,
direct messages), the App Home tab, and :memo: reactions.

They run after the acknowledgement (on the listener executor, see listeners.py). Slack retries
an event it thinks was not taken; a retry this process already took is dropped at once, and
the core's delivery keys catch the rest (after a restart).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import Any

from commands.ports import CorePort
from commands.types import Inbound, Reply
from integrations.slack import files
from integrations.slack import inbound as slack_in
from integrations.slack.client import why
from integrations.slack.core_calls import qa_channel, run
from integrations.slack.delivery import Delivery
from integrations.slack.home import home_view

log = logging.getLogger("qabot.slack")


class RecentDeliveries:
    """Delivery ids handled by this process (a small LRU): Slack's retries of an event we
    already took are dropped at once, before the database is asked."""

    def __init__(self, size: int = 2000) -> None:
        self.size = size
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, key: str | None) -> bool:
        if not key:
            return True
        with self._lock:
            if key in self._seen:
                return False
            self._seen[key] = None
            if len(self._seen) > self.size:
                self._seen.popitem(last=False)
            return True


class Events:
    def __init__(self, core: CorePort, delivery: Delivery) -> None:
        self.core = core
        self.delivery = delivery
        self.recent = RecentDeliveries()

    def on_message(self, body: dict[str, Any], event: dict[str, Any], bot_user: str | None) -> None:
        why_not = slack_in.not_read(event, bot_user)
        if why_not is not None:
            log.debug("Slack message %s in %s not read: %s", event.get("ts"), event.get("channel"), why_not)
            return
        if not self.recent.first_time(slack_in.event_key(body)):
            return  # Slack's retry of an event this process already took
        if event.get("subtype") in slack_in.CHANGE_SUBTYPES:
            self.on_change(body, event)
            return
        qa = self._qa_if_logged(event)
        if slack_in.mentions_bot(event, bot_user) and event.get("channel_type") != "im" and qa is None:
            # Said to the bot in a channel: Slack sends it again as app_mention, taken there once.
            log.debug("Slack message %s mentions the bot: left to app_mention", event.get("ts"))
            return
        found = slack_in.message(event, body, qa_channel=qa, bot_user=bot_user)
        if found is None:
            log.debug(
                "Slack message %s in %s not read: ordinary conversation",
                event.get("ts"),
                event.get("channel"),
            )
            return
        kind, inbound = found
        channel, user, ts = inbound.channel, inbound.user_id, str(event["ts"])
        show = self.delivery.show
        if kind == "log":
            inbound = inbound.model_copy(update={"source_url": self.delivery.permalink(channel, ts)})
            reply = run(self.core, inbound)
            show(reply, channel=channel, user=user, thread_ts=str(event.get("thread_ts") or ts))
        elif kind == "chatter":
            inbound = self._with_workbooks(inbound, event)
            reply = run(self.core, inbound)
            show(reply, channel=channel, user=user, thread_ts=inbound.thread_id)
        else:  # a direct message to the bot (or a follow-up in one of its threads): private already
            reply = run(self.core, inbound)
            show(reply, channel=channel, user=user, thread_ts=inbound.thread_id, public=True)

    def on_mention(self, body: dict[str, Any], event: dict[str, Any], bot_user: str | None) -> None:
        """An @mention of the bot ("@QA Bot action list") in a channel or a thread: said to the
        bot, so a command word runs the command, even in one of its threads. A mention
        in an ACTION:/FINDING: line in the QA channel is logged by on_message instead."""
        why_not = slack_in.not_read(dict(event, type="message"), bot_user)
        if why_not is not None:
            log.debug("Slack mention %s not read: %s", event.get("ts"), why_not)
            return
        if not self.recent.first_time(slack_in.event_key(body)):
            return
        if self._qa_if_logged(event) is not None:
            log.debug(
                "Slack mention %s is an ACTION:/FINDING: line: logged from its message event", event.get("ts")
            )
            return
        inbound = slack_in.mention(event, body, bot_user)
        if inbound.thread_id:  # "@QA Bot here is our return" with the workbook, in its thread
            inbound = self._with_workbooks(inbound, event)
        reply = run(self.core, inbound)
        ts = str(event.get("ts") or "")
        self.delivery.show(
            reply, channel=inbound.channel, user=inbound.user_id, thread_ts=inbound.thread_id or ts
        )

    def _with_workbooks(self, inbound: Inbound, event: dict[str, Any]) -> Inbound:
        """A workbook on a reply in a Section 11 return's thread, fetched here, after the ack;
        in any other thread it is never downloaded (it would not be read)."""
        if not files.has_workbook(event) or not self.core.s11_thread(inbound):
            return inbound
        client = self.delivery.client
        return files.with_workbooks(inbound, event, client.token, client.base_url)

    def on_change(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        """A message edited or deleted: if it had logged an action or a finding, the thread is
        told that it stays as it was and how to change or close it. Only ACTION:/FINDING: lines
        in the QA channel can have logged anything, so other edits never reach the database."""
        inbound = slack_in.change(event, body)
        if inbound is None:
            log.debug(
                "Slack message_changed in %s is no edit (a preview or a reply count)", event.get("channel")
            )
            return
        if not slack_in.may_have_logged(event) or inbound.channel != qa_channel(self.core):
            log.debug(
                "Slack message %s was %s: never an ACTION:/FINDING: line", inbound.message_id, inbound.change
            )
            return
        reply = run(self.core, inbound)
        if reply.data.get("ignored"):
            log.debug("Slack message %s was %s: it had logged nothing", inbound.message_id, inbound.change)
            return
        self.delivery.show(
            reply,
            channel=inbound.channel,
            user=inbound.user_id,
            thread_ts=inbound.thread_id or inbound.message_id,
            public=True,
        )

    def _qa_if_logged(self, event: dict[str, Any]) -> str | None:
        """The QA channel, when this is an ACTION:/FINDING: line posted in it."""
        if slack_in.logged_line(slack_in.unslack(str(event.get("text") or ""))) is None:
            return None
        qa = qa_channel(self.core)
        return qa if qa and event.get("channel") == qa else None

    def on_home(self, event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        user = str(event.get("user") or "")

        def ask(text: str, command: str = "/action") -> Reply:
            return self.core.handle(Inbound(platform="slack", user_id=user, command=command, text=text))

        mine = ask("list mine")
        sections = [mine] if not mine.ok else [mine, ask("list overdue")]
        if mine.ok:
            # The person's own /qa status first: the chair's and the QA officer's start with
            # the open rapid reviews and their next clocks; a lead's holds their agencies' part.
            status = ask("status", command="/qa")
            sections = [status, *sections] if status.ok else sections
        view = home_view(sections, board_name=self.core.board_name())
        try:
            self.delivery.client.views_publish(user_id=user, view=view)
        except Exception as e:
            log.warning("views.publish for %s failed: %s", user, why(e))

    def on_reaction(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        """:memo: on a message puts it on the next meeting's agenda (when agendas exist)."""
        from commands import router

        item = event.get("item") or {}
        if (
            event.get("reaction") != "memo"
            or item.get("type") != "message"
            or router.find("qa", "agenda") is None
        ):
            return
        if not self.recent.first_time(slack_in.event_key(body)):
            return
        channel, ts, user = (
            str(item.get("channel") or ""),
            str(item.get("ts") or ""),
            str(event.get("user") or ""),
        )
        text = self.message_text(channel, ts)
        if not text:
            return
        inbound = Inbound(
            platform="slack",
            user_id=user,
            channel=channel,
            command="/qa",
            text=f"agenda add {slack_in.text_for_core(text)}",
            source_url=self.delivery.permalink(channel, ts),
            delivery_key=slack_in.event_key(body),
        )
        self.delivery.show(run(self.core, inbound), channel=channel, user=user, thread_ts=ts)

    def message_text(self, channel: str, ts: str) -> str | None:
        client = self.delivery.client
        try:
            resp = client.conversations_history(channel=channel, latest=ts, inclusive=True, limit=1)
            for m in resp.get("messages") or []:
                if m.get("ts") == ts:
                    return str(m.get("text") or "")
            resp = client.conversations_replies(channel=channel, ts=ts, limit=1)
            for m in resp.get("messages") or []:
                if m.get("ts") == ts:
                    return str(m.get("text") or "")
        except Exception as e:
            log.warning("could not read message %s/%s: %s", channel, ts, why(e))
        return None
