"""The Teams bot on the Microsoft 365 Agents SDK: an AgentApplication whose handlers turn
activities into Inbound, run them through the command core, and answer with Adaptive Cards.

Every message activity (text, a card button or a card form sent by Action.Submit) and every
card action (an adaptiveCard/action invoke) is stored in the inbox first (stored.py names the
kinds), then answered in its own turn (`_live`) or, when a stopped process left it, in the
person's 1:1 chat through the outbox. The SDK is imported only here and in sdk.py (it is slow
to import).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_all
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes, InvokeResponse
from microsoft_agents.hosting.core import (
    AgentApplication,
    AgentAuthConfiguration,
    MemoryStorage,
    TurnContext,
    TurnState,
)
from microsoft_agents.hosting.fastapi import CloudAdapter

from commands.intake import REPLY_RETRY, Received
from commands.ports import ConversationStore, CorePort
from commands.types import Button, Inbound, Reply
from integrations.sharepoint.settings import SharePointSettings
from integrations.teams import cards, stored
from integrations.teams.auth import outbound_host_validator
from integrations.teams.files import TeamsFiles
from integrations.teams.inbound import (
    PLATFORM,
    bot_added,
    personal_user,
    reference,
    split_conversation,
    tenant_of,
)
from integrations.teams.sdk import activity_json, connection_manager, message
from integrations.teams.settings import TeamsSettings

log = logging.getLogger("qabot.teams")

WELCOME = Reply(
    title="QA Bot is here",
    lines=[
        "Mention me with a command, e.g. @QA Bot action list, @QA Bot qa status, or @QA Bot help.",
        "In a 1:1 chat with me the mention is not needed.",
    ],
)
SORRY = "Something went wrong on my side; nothing was changed. Please try again."
TURN_ANSWER_TIMEOUT = 30.0  # seconds
LATE_NOTE = "Sorry this is late: I was restarting when your message arrived."


def _asks_owner(button: Button) -> bool:
    """Whether the button's card asks for a board member (then it lists them)."""
    return button.form.asks == "owner" if button.form else button.action == "action_reassign"


class TeamsBot:
    """One per web app: the SDK adapter and application, wired to the command core."""

    def __init__(
        self,
        settings: TeamsSettings,
        core: CorePort,
        conversations: ConversationStore,
        sharepoint: SharePointSettings | None = None,
    ) -> None:
        self.core = core
        self.files = TeamsFiles(core, sharepoint)
        self.conversations = conversations
        self.settings = settings
        self.connections = connection_manager(settings)
        self.auth_configuration: AgentAuthConfiguration = (
            self.connections.get_default_connection_configuration()
        )
        self.adapter = CloudAdapter(
            connection_manager=self.connections, host_validator=outbound_host_validator(settings)
        )
        self.adapter.on_turn_error = self._on_turn_error
        self.agent: AgentApplication[TurnState] = AgentApplication[TurnState](
            storage=MemoryStorage(),
            connection_manager=self.connections,
            remove_recipient_mention=False,  # done in inbound.py, which needs to see the mention
            start_typing_timer=False,
            agent_name="QA Bot",
        )
        self.agent.activity(ActivityTypes.message)(self._on_message)
        self.agent.invoke("adaptiveCard/action")(self._on_card_action)
        self.agent.activity(ActivityTypes.conversation_update)(self._on_conversation_update)
        self.agent.activity(ActivityTypes.installation_update)(self._on_installation_update)
        self.agent.error(self._on_app_error)
        # Queued posts (e.g. a Section 11 launch) go out here, after the turn has answered.
        self._background = ThreadPoolExecutor(1, thread_name_prefix="qabot-teams-send")
        self._pending: set[Future[None]] = set()
        self._pending_lock = threading.Lock()
        # Turns waiting for their stored activity to be worked (by delivery key).
        self._live: dict[str, tuple[TurnContext, asyncio.AbstractEventLoop]] = {}
        core.on_received(PLATFORM, self._work)

    @property
    def anonymous(self) -> bool:
        return bool(self.auth_configuration.ANONYMOUS_ALLOWED)

    # -- handlers -------------------------------------------------------------------------

    async def _on_message(self, context: TurnContext, _state: TurnState) -> None:
        """A message (text, a card button or a card form sent by Action.Submit)."""
        activity = activity_json(context.activity)
        names = await asyncio.to_thread(self._remember, activity)
        kind = stored.message_kind(activity)
        inbound = stored.inbound_of(kind, activity, names)
        if inbound is not None:
            await self._take(context, kind, inbound, activity)

    async def _on_card_action(self, context: TurnContext, _state: TurnState) -> None:
        """A card's button or form sent by Action.Execute: answered in the invoke's response."""
        activity = activity_json(context.activity)
        await asyncio.to_thread(self._remember, activity)
        inbound = stored.card_inbound(activity)
        if inbound is None:
            await self._answer_card(context, stored.NO_COMMAND.model_copy(deep=True))
            return
        await self._take(context, stored.CARD, inbound, activity)

    async def _take(
        self, context: TurnContext, kind: str, inbound: Inbound, activity: dict[str, Any]
    ) -> None:
        """Stored in the inbox first, then worked (`_work`) with this turn waiting to answer."""
        key = inbound.delivery_key
        row = await asyncio.to_thread(self.core.accept, PLATFORM, kind, key, activity) if key else None
        if row is None or key is None:  # a redelivery of a stored activity: the first reply again
            reply = await asyncio.to_thread(stored.reply_to, self.core, kind, activity, inbound)
            await self._respond(context, kind, inbound, reply)
            return
        self._live[key] = (context, asyncio.get_running_loop())
        try:
            await asyncio.to_thread(self.core.work, row)
        finally:
            self._live.pop(key, None)

    def _work(self, received: Received) -> Reply | None:
        """A stored activity (on a worker thread): answered in its own turn, or, when a
        stopped process left it, in the person's 1:1 chat through the outbox."""
        live = self._live.get(received.key)
        # A recovered activity's conversation is remembered now (its turn never ran that far).
        names = self._names() if live is not None else self._remember(received.payload)
        inbound = stored.inbound_of(received.kind, received.payload, names)
        if inbound is None:
            return None
        if received.kind == stored.MESSAGE:  # a workbook in a Section 11 thread, read via Graph
            inbound = self.files.with_workbooks(inbound, received.payload)
            if not inbound.text and not inbound.attachments:  # a file only Graph has, not looked up
                if not inbound.addressed:  # outside a Section 11 thread, as any reply without words
                    log.info("Teams reply %s not read: a file, no words, no S11 thread", received.key)
                    return None
                inbound = inbound.model_copy(update={"text": "help"})
        reply = stored.reply_to(self.core, received.kind, received.payload, inbound)
        if live is not None:
            context, loop = live
            answer = self._respond(context, received.kind, inbound, reply)
            asyncio.run_coroutine_threadsafe(answer, loop).result(timeout=TURN_ANSWER_TIMEOUT)
            return reply
        if received.recovered and reply.data.get("duplicate"):
            reply.data.pop("duplicate")  # stored by the attempt that died; never shown
        if reply.data.get("ignored") or reply.data.get("duplicate"):
            return reply
        reply.lines.append(LATE_NOTE)
        self.core.post_later(PLATFORM, inbound.user_id, reply, f"{REPLY_RETRY}:{received.key}")
        self._send_queued_later()
        return reply

    async def _respond(self, context: TurnContext, kind: str, inbound: Inbound, reply: Reply) -> None:
        if kind == stored.CARD:
            await self._answer_card(context, reply)
        else:
            await self._answer(context, inbound, reply)

    async def _answer(self, context: TurnContext, inbound: Inbound, reply: Reply) -> None:
        if reply.data.get("ignored"):
            return
        retrying = False
        try:
            await context.send_activity(message(reply, await self._people_for(reply)))
        except Exception as e:
            # The command has committed: the turn must not end in "nothing was changed".
            log.warning("a Teams reply was not taken (%s); retried via the outbox", type(e).__name__)
            # To the person's 1:1 chat, through the outbox (retried there).
            key = f"{REPLY_RETRY}:{inbound.delivery_key or inbound.message_id}"
            await asyncio.to_thread(self.core.post_later, PLATFORM, inbound.user_id, reply, key)
            retrying = True
        if reply.data.get("queued") or retrying:
            self._send_queued_later()

    async def _answer_card(self, context: TurnContext, reply: Reply) -> None:
        card = cards.render(reply, await self._people_for(reply))
        body = {"statusCode": 200, "type": cards.CARD_CONTENT_TYPE, "value": card}
        await context.send_activity(
            Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=200, body=body))
        )
        if reply.data.get("queued"):
            self._send_queued_later()

    async def _on_conversation_update(self, context: TurnContext, _state: TurnState) -> None:
        activity = activity_json(context.activity)
        await asyncio.to_thread(self._remember, activity)
        if bot_added(activity):
            log.info("installed in Teams conversation %s", (activity.get("conversation") or {}).get("id"))
            await context.send_activity(message(WELCOME))

    async def _on_installation_update(self, context: TurnContext, _state: TurnState) -> None:
        await asyncio.to_thread(self._remember, activity_json(context.activity))

    async def _on_app_error(self, context: TurnContext, err: Exception) -> None:
        await self._on_turn_error(context, err)

    async def _on_turn_error(self, context: TurnContext, err: Exception) -> None:
        log.error("Teams turn failed: %s", type(err).__name__, exc_info=err)
        if context.activity is not None and context.activity.type == ActivityTypes.message:
            try:
                await context.send_activity(message(Reply(title=SORRY, ok=False)))
            except Exception:
                log.warning("could not tell the user about the failure")

    # -- helpers (run in worker threads: the store is synchronous) -----------------------

    def _remember(self, activity: Mapping[str, Any]) -> dict[str, str]:
        """Save where this conversation is (for proactive posts later) and return the board's
        display-name -> handle map used to turn @mentions of people into @handles."""
        conv_id = str((activity.get("conversation") or {}).get("id") or "")
        if not conv_id:
            return {}
        base, _ = split_conversation(conv_id)
        self.conversations.save(
            PLATFORM,
            conversation_id=base,
            service_url=activity.get("serviceUrl"),
            tenant_id=tenant_of(activity),
            reference=reference(activity),
            user_id=personal_user(activity),
        )
        return self._names()

    def _names(self) -> dict[str, str]:
        # In handle order, so that of two members with one display name the later one wins.
        return {m.name: m.handle for m in sorted(self.core.members(), key=lambda m: m.handle)}

    async def _people_for(self, reply: Reply) -> cards.People | None:
        if not any(_asks_owner(b) for b in reply.buttons):
            return None
        return await asyncio.to_thread(self._people)

    def _people(self) -> cards.People:
        return [(m.handle, m.name) for m in sorted(self.core.members(), key=lambda m: m.handle)]

    def _send_queued_later(self) -> None:
        """Send what the command queued (e.g. a Section 11 launch) now rather than at the next
        tick, but after the turn: the activity is answered first (the core sends one batch at
        a time; the outbox's claims make a tick harmless)."""
        future = self._background.submit(self._send_queued)
        with self._pending_lock:
            self._pending.add(future)
        future.add_done_callback(self._forget)

    def _forget(self, future: Future[None]) -> None:
        with self._pending_lock:
            self._pending.discard(future)

    def _send_queued(self) -> None:
        try:
            self.core.send_queued()
        except Exception:
            log.exception("sending queued posts failed; the next tick will retry")

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Until the posts queued by past turns have been sent (tests and shutdown)."""
        with self._pending_lock:
            pending = list(self._pending)
        return not wait_all(pending, timeout=timeout).not_done
