"""Slash commands, message shortcuts, buttons and modal submissions: what a person asked for
with a trigger (and usually a response_url), turned into the core's Inbound.

Each `on_…` here runs after the acknowledgement (Bolt's lazy listeners, see listeners.py).
A modal submission is the exception: Slack only takes field errors in the acknowledgement,
so `submit_…` runs the command before acknowledging (a few milliseconds) and leaves the reply
in Bolt's context for its lazy `show_…` half.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, BoltContext

from commands import registry
from commands.errors import FieldError
from commands.ports import CorePort
from commands.types import Inbound, Reply, mention_token
from integrations.slack import inbound as slack_in
from integrations.slack import modals
from integrations.slack.core_calls import handles_for, is_member, run, run_request
from integrations.slack.delivery import Delivery, changed
from integrations.slack.render import ACTION_PREFIX, cut

SHORTCUT_ACTION = "log_as_action"
SHORTCUT_FINDING = "log_as_finding"
MODAL_ERROR_MAX = 300
# Where a modal submission's reply waits for the lazy listener that shows it (Bolt copies
# the context into the lazy listener's request).
SUBMITTED_REPLY = "qabot_submitted_reply"


def problem(reply: Reply) -> str:
    return cut(reply.lines[0] if reply.lines else (reply.title or "That didn't work."), MODAL_ERROR_MAX)


def user_of(body: dict[str, Any]) -> str:
    return str((body.get("user") or {}).get("id") or "")


def view_key(view: dict[str, Any]) -> str | None:
    return f"slack:view:{view.get('id')}" if view.get("id") else None


class Interactions:
    def __init__(self, core: CorePort, delivery: Delivery) -> None:
        self.core = core
        self.delivery = delivery

    # ----- slash commands and shortcuts (after the ack) -------------------------------------

    def on_command(self, body: dict[str, Any]) -> None:
        user = str(body.get("user_id") or "")
        channel = body.get("channel_id")
        command = str(body.get("command") or "")
        text = slack_in.unslack(str(body.get("text") or "")).strip().lower()
        if command in ("/action", "/finding") and text == "add" and body.get("trigger_id"):
            if not is_member(self.core, user):
                reply = self.core.handle(slack_in.slash_command(body))
                self.delivery.show(reply, channel=channel, user=user)
                return
            meta = {"channel": channel, "user": user}
            build = modals.action_modal if command == "/action" else modals.finding_modal
            view = build(agencies=self.core.agency_names(), meta=meta)
            self.delivery.open_view(str(body["trigger_id"]), view)
            return
        reply = run(self.core, slack_in.slash_command(body))
        self.delivery.show(reply, channel=channel, user=user, response_url=body.get("response_url"))

    def on_shortcut(self, body: dict[str, Any]) -> None:
        user = user_of(body)
        channel = str((body.get("channel") or {}).get("id") or "")
        message = body.get("message") or {}
        if not is_member(self.core, user):
            reply = self.core.handle(Inbound(platform="slack", user_id=user, text="qa help", channel=channel))
            self.delivery.show(reply, channel=channel, user=user, response_url=body.get("response_url"))
            return
        meta = {
            "channel": channel,
            "user": user,
            "message_ts": message.get("ts"),
            "thread_ts": message.get("thread_ts") or message.get("ts"),
        }
        text = handles_for(self.core, str(message.get("text") or ""))
        build = modals.finding_modal if body.get("callback_id") == SHORTCUT_FINDING else modals.action_modal
        view = build(agencies=self.core.agency_names(), text=text, meta=meta)
        self.delivery.open_view(str(body["trigger_id"]), view)

    # ----- buttons (after the ack) ----------------------------------------------------------

    def on_button(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        user = user_of(body)
        container = body.get("container") or {}
        channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
        message = body.get("message") or {}
        ephemeral = bool(container.get("is_ephemeral"))
        thread_ts = (
            None
            if ephemeral
            else (message.get("thread_ts") or message.get("ts") or container.get("message_ts"))
        )
        kind = str(action.get("action_id") or "").removeprefix(ACTION_PREFIX).split(":")[0]
        command = str(action.get("value") or "")
        message_ts = container.get("message_ts") or message.get("ts")
        if kind == "action_reassign":
            ref = re.search(r"\b[A-Z]-\d+\b", command)
            meta = {
                "channel": channel,
                "thread_ts": thread_ts,
                "command": command,
                "ref": ref.group(0) if ref else None,  # the action update request's ref
                "message_ts": message_ts,
                "ephemeral": ephemeral,
                "response_url": body.get("response_url") if ephemeral else None,
            }
            view = modals.reassign_modal(ref=ref.group(0) if ref else "action", meta=meta)
            self.delivery.open_view(str(body["trigger_id"]), view)
            return
        inbound = Inbound(
            platform="slack",
            user_id=user,
            workspace=(body.get("team") or {}).get("id"),
            channel=channel,
            text=command,
            delivery_key=f"slack:button:{body.get('trigger_id') or action.get('action_ts')}",
        )
        reply = run(self.core, inbound)
        refreshed = changed(reply) and self.delivery.refresh_clicked(
            kind,
            reply,
            user=user,
            channel=channel,
            message_ts=message_ts,
            ephemeral=ephemeral,
            response_url=body.get("response_url"),
            original=message.get("blocks"),
        )
        # The refreshed message carries the live buttons; the thread confirmation is the record.
        shown = reply.model_copy(update={"buttons": []}) if refreshed else reply
        self.delivery.show(
            shown, channel=channel, user=user, thread_ts=thread_ts, response_url=body.get("response_url")
        )

    # ----- modal submissions: the command runs before the ack, the reply is shown after ------

    def submit_add(self, ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        values = modals.values(view)
        meta = modals.meta_of(view)
        group, fields = modals.form_request(str(view.get("callback_id") or ""), values)
        try:
            request = registry.build_request(group, "add", fields)
        except FieldError as e:
            ack(response_action="errors", errors={modals.block_for(e.field, set(values)): e.problem})
            return
        channel = meta.get("channel") or None
        inbound = Inbound(
            platform="slack",
            user_id=user_of(body),
            workspace=(body.get("team") or {}).get("id"),
            channel=channel,
            text=f"{group} add (form)",  # the request carries the fields; nothing to re-parse
            source_url=self.delivery.permalink(channel, meta.get("message_ts")),
            delivery_key=view_key(view),
        )
        reply = run_request(self.core, inbound, request)
        if not reply.ok:
            block = modals.block_for(reply.data.get("field"), set(values))
            ack(response_action="errors", errors={block: problem(reply)})
            return
        ack()
        context[SUBMITTED_REPLY] = reply

    def show_add_submitted(self, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        reply = context.get(SUBMITTED_REPLY)
        if not isinstance(reply, Reply):
            return  # the modal showed the errors
        meta = modals.meta_of(view)
        channel = meta.get("channel") or None
        self.delivery.show(reply, channel=channel, user=user_of(body), thread_ts=meta.get("thread_ts"))

    def submit_reassign(
        self, ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
    ) -> None:
        values = modals.values(view)
        meta = modals.meta_of(view)
        chosen = values.get("owner")
        if not chosen or not meta.get("command"):
            ack(response_action="errors", errors={"owner": "Choose the person to give it to."})
            return
        owner = mention_token("slack", chosen)
        inbound = Inbound(
            platform="slack",
            user_id=user_of(body),
            channel=meta.get("channel") or None,
            text=f"{meta['command']} {owner}" if not meta.get("ref") else "action update (form)",
            delivery_key=view_key(view),
        )
        if meta.get("ref"):  # the form is the action update request: nothing is re-typed
            try:
                request = registry.build_request("action", "update", {"ref": meta["ref"], "owner": owner})
            except FieldError as e:
                ack(response_action="errors", errors={"owner": e.problem})
                return
            reply = run_request(self.core, inbound, request)
        else:  # a modal opened before forms sent requests: its command, with the person appended
            reply = run(self.core, inbound)
        if not reply.ok:
            ack(response_action="errors", errors={"owner": problem(reply)})
            return
        ack()
        context[SUBMITTED_REPLY] = reply

    def show_reassigned(self, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        reply = context.get(SUBMITTED_REPLY)
        if not isinstance(reply, Reply):
            return  # the modal showed the errors
        meta = modals.meta_of(view)
        user, channel = user_of(body), meta.get("channel") or None
        refreshed = changed(reply) and self.delivery.refresh_clicked(
            "action_reassign",
            reply,
            user=user,
            channel=channel,
            message_ts=meta.get("message_ts"),
            ephemeral=bool(meta.get("ephemeral")),
            response_url=meta.get("response_url"),
        )
        shown = reply.model_copy(update={"buttons": []}) if refreshed else reply
        self.delivery.show(shown, channel=channel, user=user, thread_ts=meta.get("thread_ts"))
