"""Slash commands, message shortcuts, buttons and modal submissions: what a person asked for
with a trigger (and usually a response_url), turned into the core's Inbound.

Each `on_…` here works a delivery the inbox stored before it was acknowledged (intake.py),
right after the acknowledgement or, after a restart, later (`received` says how late: a
trigger_id lasts 3 seconds, a response_url 30 minutes). A modal submission is the exception:
Slack only takes field errors in the acknowledgement, so `submit_…` runs the command before
acknowledging (a few milliseconds, and no Slack API call) and stores the reply to show in the
inbox; `show_submitted` shows it.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, BoltContext

from commands import registry
from commands.errors import FieldError
from commands.intake import Received
from commands.ports import CorePort
from commands.section11.form_steps import DATA_KEY as S11_STEP
from commands.types import Inbound, Reply, mention_token
from integrations.slack import inbound as slack_in
from integrations.slack import modals, s11_modal
from integrations.slack.core_calls import handles_for, is_member, run, run_request
from integrations.slack.delivery import Delivery, changed
from integrations.slack.lateness import (
    TOO_LATE_FOR_FORM,
    answered_late,
    live_response_url,
    trigger_expired,
)
from integrations.slack.render import ACTION_PREFIX, cut

SHORTCUT_ACTION = "log_as_action"
SHORTCUT_FINDING = "log_as_finding"
MODAL_ERROR_MAX = 300
# Where the ack half leaves the stored delivery's id for the work after the acknowledgement
# (listeners.then_work).
INBOX_ID = "qabot_inbox_id"
# The kinds of stored form submissions (intake.py works them with `show_submitted`).
SUBMITTED, REASSIGNED = "form_submitted", "reassign_submitted"


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

    def on_command(self, body: dict[str, Any], received: Received | None = None) -> Reply | None:
        user = str(body.get("user_id") or "")
        channel = body.get("channel_id")
        command = str(body.get("command") or "")
        text = slack_in.unslack(str(body.get("text") or "")).strip().lower()
        response_url = live_response_url(self.core, body, received)
        if command in ("/action", "/finding") and text == "add" and body.get("trigger_id"):
            refused = self.form_refused(user, command.lstrip("/"), received)
            if refused is not None:
                self.delivery.show(refused, channel=channel, user=user, response_url=response_url)
                return refused
            meta = {"channel": channel, "user": user}
            build = modals.action_modal if command == "/action" else modals.finding_modal
            view = build(agencies=self.core.agency_names(), meta=meta)
            self.delivery.open_view(str(body["trigger_id"]), view)
            return None
        reply = answered_late(self.core, run(self.core, slack_in.slash_command(body)), received)
        step = reply.data.get(S11_STEP)  # /s11 form: the step opens as a modal while it can
        fresh = bool(body.get("trigger_id")) and not trigger_expired(self.core, received)
        if reply.ok and isinstance(step, dict) and fresh:
            self.delivery.open_view(str(body["trigger_id"]), s11_modal.step_modal(step, {"channel": channel}))
            return None
        self.delivery.show(reply, channel=channel, user=user, response_url=response_url)
        return reply

    def form_refused(self, user: str, group: str, received: Received | None) -> Reply | None:
        """Why a form must not be opened (checked before it is shown, not after it is filled
        in): not on the board, not allowed to add, or the trigger is too old to open it."""
        if not is_member(self.core, user):
            return self.core.handle(Inbound(platform="slack", user_id=user, text=f"{group} add"))
        why = self.core.refusal("slack", user, group, "add")
        if why is not None:
            return Reply(title="Not allowed", lines=[why], ok=False, data={"error": "permission"})
        if trigger_expired(self.core, received):
            return Reply(lines=[TOO_LATE_FOR_FORM], ok=False, data={"error": "late"})
        return None

    def on_shortcut(self, body: dict[str, Any], received: Received | None = None) -> Reply | None:
        user = user_of(body)
        channel = str((body.get("channel") or {}).get("id") or "")
        message = body.get("message") or {}
        response_url = live_response_url(self.core, body, received)
        if not is_member(self.core, user):
            reply = self.core.handle(Inbound(platform="slack", user_id=user, text="qa help", channel=channel))
            self.delivery.show(reply, channel=channel, user=user, response_url=response_url)
            return reply
        group = "finding" if body.get("callback_id") == SHORTCUT_FINDING else "action"
        refused = self.form_refused(user, group, received)
        if refused is not None:
            self.delivery.show(refused, channel=channel, user=user, response_url=response_url)
            return refused
        meta = {
            "channel": channel,
            "user": user,
            "message_ts": message.get("ts"),
            "thread_ts": message.get("thread_ts") or message.get("ts"),
            # Looked up now, after the acknowledgement: the submission is acknowledged
            # before any Slack API call.
            "source_url": self.delivery.permalink(channel, message.get("ts")),
        }
        text = handles_for(self.core, str(message.get("text") or ""))
        build = modals.finding_modal if body.get("callback_id") == SHORTCUT_FINDING else modals.action_modal
        view = build(agencies=self.core.agency_names(), text=text, meta=meta)
        self.delivery.open_view(str(body["trigger_id"]), view)
        return None

    # ----- buttons (after the ack) ----------------------------------------------------------

    def on_button(
        self, body: dict[str, Any], action: dict[str, Any], received: Received | None = None
    ) -> Reply | None:
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
        response_url = live_response_url(self.core, body, received)
        if kind == "action_reassign":
            if trigger_expired(self.core, received):
                late = Reply(lines=[TOO_LATE_FOR_FORM], ok=False, data={"error": "late"})
                self.delivery.show(late, channel=channel, user=user, response_url=response_url)
                return late
            ref = re.search(r"\b[A-Z]-\d+\b", command)
            meta = {
                "channel": channel,
                "thread_ts": thread_ts,
                "command": command,
                "ref": ref.group(0) if ref else None,  # the action update request's ref
                "message_ts": message_ts,
                "ephemeral": ephemeral,
                "response_url": response_url if ephemeral else None,
            }
            view = modals.reassign_modal(ref=ref.group(0) if ref else "action", meta=meta)
            self.delivery.open_view(str(body["trigger_id"]), view)
            return None
        inbound = Inbound(
            platform="slack",
            user_id=user,
            workspace=(body.get("team") or {}).get("id"),
            channel=channel,
            text=command,
            delivery_key=f"slack:button:{body.get('trigger_id') or action.get('action_ts')}",
        )
        reply = answered_late(self.core, run(self.core, inbound), received)
        refreshed = changed(reply) and self.delivery.refresh_clicked(
            kind,
            reply,
            user=user,
            channel=channel,
            message_ts=message_ts,
            ephemeral=ephemeral,
            response_url=response_url,
            original=message.get("blocks"),
        )
        # The refreshed message carries the live buttons; the thread confirmation is the record.
        shown = reply.model_copy(update={"buttons": []}) if refreshed else reply
        self.delivery.show(shown, channel=channel, user=user, thread_ts=thread_ts, response_url=response_url)
        return shown

    # ----- modal submissions: the command runs before the ack, the reply is shown after ------

    def stored_then_ack(
        self, kind: str, ack: Ack, body: dict[str, Any], reply: Reply, context: BoltContext
    ) -> None:
        """The command has committed: its reply is stored (to be shown after the
        acknowledgement, by this process or, after a restart, the next), then acknowledged."""
        key = f"slack:{kind}:{(body.get('view') or {}).get('id') or body.get('trigger_id')}"
        payload = {"body": body, "reply": reply.model_dump(mode="json")}
        context[INBOX_ID] = self.core.accept("slack", kind, key, payload)
        ack()

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
            source_url=meta.get("source_url") or None,  # found when the form was opened
            delivery_key=view_key(view),
        )
        reply = run_request(self.core, inbound, request)
        if not reply.ok:
            block = modals.block_for(reply.data.get("field"), set(values))
            ack(response_action="errors", errors={block: problem(reply)})
            return
        self.stored_then_ack(SUBMITTED, ack, body, reply, context)

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
        self.stored_then_ack(REASSIGNED, ack, body, reply, context)

    def show_submitted(self, stored: dict[str, Any], *, reassigned: bool) -> Reply:
        """Show a form's stored reply (what its submission did)."""
        body = stored.get("body") or {}
        reply = Reply.model_validate(stored.get("reply") or {})
        meta = modals.meta_of(body.get("view") or {})
        user, channel = user_of(body), meta.get("channel") or None
        if not reassigned:
            self.delivery.show(reply, channel=channel, user=user, thread_ts=meta.get("thread_ts"))
            return reply
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
        return shown
