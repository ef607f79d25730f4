"""Events API listeners: messages (ACTION:/FINDING: lines, replies in the bot's threads,
direct messages), the App Home tab, and :memo: reactions.

They run after the acknowledgement (Bolt's lazy listeners, see listeners.py). Slack retries
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

    def on_message(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        if not slack_in.is_person_message(event):
            return
        if not self.recent.first_time(slack_in.event_key(body)):
            return  # Slack's retry of an event this process already took
        text = str(event.get("text") or "")
        qa = qa_channel(self.core) if slack_in.logged_line(slack_in.unslack(text)) else None
        found = slack_in.message(event, body, qa_channel=qa)
        if found is None:
            return
        kind, inbound = found
        channel, user, ts = inbound.channel, inbound.user_id, str(event["ts"])
        show = self.delivery.show
        if kind == "log":
            inbound = inbound.model_copy(update={"source_url": self.delivery.permalink(channel, ts)})
            reply = run(self.core, inbound)
            show(reply, channel=channel, user=user, thread_ts=str(event.get("thread_ts") or ts))
        elif kind == "chatter":
            reply = run(self.core, inbound)
            show(reply, channel=channel, user=user, thread_ts=inbound.thread_id)
        else:  # a direct message to the bot: private already
            reply = run(self.core, inbound)
            show(reply, channel=channel, user=user, public=True)

    def on_home(self, event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        user = str(event.get("user") or "")

        def ask(text: str) -> Reply:
            return self.core.handle(Inbound(platform="slack", user_id=user, command="/action", text=text))

        mine = ask("list mine")
        sections = [mine] if not mine.ok else [mine, ask("list overdue")]
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
