"""Outbox posts to Teams, through the Agents SDK's connector client and its auth.

An outbox row's address is one of:
- a channel, "19:…@thread.tacv2" (an agency's teams_channel, the board's qa channel): a post
  with no thread starts a new reply chain (POST v3/conversations with channelData.channel);
  a post with a thread goes into that chain (conversation "19:…;messageid=<root id>");
- a member's Entra object id: their 1:1 chat with the bot, created when there is none yet;
- any other conversation id (a group chat "19:…@thread.v2", a 1:1 "a:…"): posted to as is.

The service URL and tenant come from the conversation references saved when the bot was
installed or spoken to (the ConversationStore port), else from TEAMS_SERVICE_URL and the tenant
setting. Without credentials (anonymous mode, for emulators and tests) no token is sent and
only loopback connectors are written to.

find_sent: Teams cannot look a message up by our key (there is no message metadata search as
on Slack). A timeout or a lost connection may come after Teams took the post, so it is "maybe
sent", and find_sent says it cannot tell (a permanent look-up error): the outbox then resends it
once with "(resent — the first attempt's outcome was unknown)", and parks it for the QA officer
if that is unclear too (bot/outbox.py), never sending it blindly twice.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import re
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any

import aiohttp
from microsoft_agents.activity import (
    ChannelAccount,
    ChannelId,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
)
from microsoft_agents.hosting.core import ClaimsIdentity, ConnectorClientBase, TurnContext
from microsoft_agents.hosting.fastapi import CloudAdapter

from commands.outbound import EditedPost, OutgoingPost, SendError, SentRef
from commands.ports import ConversationStore
from integrations.teams.inbound import PLATFORM, split_conversation, thread_conversation
from integrations.teams.sdk import connection_manager, message
from integrations.teams.settings import TeamsSettings
from integrations.teams.web import is_loopback_host

log = logging.getLogger("qabot.teams.sender")

TIMEOUT = 30.0
CHANNEL = re.compile(r"^19:.+@thread\.(tacv2|skype)$", re.IGNORECASE)
OBJECT_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)


@dataclass(frozen=True)
class Target:
    kind: str  # channel | chat | new_chat
    address: str  # channel id, conversation id, or the member's object id
    service_url: str
    tenant_id: str | None
    bot: dict[str, Any] | None


def _run[T](coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine from synchronous code (the dispatcher), even if called on a thread that
    already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _error(e: BaseException) -> SendError:
    if isinstance(e, aiohttp.ClientResponseError):
        status = e.status
        retry_after: float | None = None
        raw = e.headers.get("Retry-After") if e.headers is not None else None
        if raw:
            try:
                retry_after = float(raw)
            except ValueError:
                retry_after = None
        if status == 429 or status >= 500:
            return SendError(f"Teams answered {status}", retry_after=retry_after)
        if status in (400, 403, 404, 410, 413):
            return SendError(f"Teams refused the post ({status})", permanent=True)
        return SendError(f"Teams answered {status}", retry_after=retry_after)
    if isinstance(e, (asyncio.TimeoutError, TimeoutError, aiohttp.ServerDisconnectedError)):
        # The post may have been taken before the answer was lost.
        return SendError(f"Teams did not answer in time ({type(e).__name__})", maybe_sent=True)
    if isinstance(e, aiohttp.ClientConnectorError):
        return SendError(f"Teams could not be reached ({type(e).__name__})")  # never connected
    if isinstance(e, (aiohttp.ClientError, OSError)):
        return SendError(f"Teams connection failed ({type(e).__name__})", maybe_sent=True)
    return SendError(f"Teams send failed ({type(e).__name__})")


class TeamsSender:
    def __init__(self, settings: TeamsSettings, conversations: ConversationStore) -> None:
        self.settings = settings
        self.conversations = conversations
        self.connections = connection_manager(settings)
        self.adapter = CloudAdapter(connection_manager=self.connections)
        self.adapter.on_turn_error = None  # errors must reach the dispatcher, not the chat
        self.app_id = settings.client_id or ""

    @property
    def anonymous(self) -> bool:
        return not self.app_id

    # -- the Sender protocol ------------------------------------------------------------

    def send(self, post: OutgoingPost) -> SentRef:
        target = self._target(post)
        if self.anonymous and not is_loopback_host(_host(target.service_url)):
            raise SendError(
                "Teams credentials are not set: without them posts go only to a loopback connector "
                "(set CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID and friends)",
                permanent=True,
            )
        try:
            ref, created = _run(asyncio.wait_for(self._send(target, post), TIMEOUT))
        except SendError:
            raise
        except Exception as e:
            err = _error(e)
            log.warning("Teams post %s to %s failed: %s", post.key, target.address, err)
            raise err from None
        if created is not None:
            self._remember_chat(target, created)
        return ref

    def find_sent(self, post: OutgoingPost) -> SentRef | None:
        # Teams has no search by our key (see the module docstring): "cannot tell", for good.
        raise SendError("Teams cannot look a post up by its key", permanent=True)

    def edit(self, post: EditedPost) -> None:
        """updateActivity of one of the bot's posts (integrations/teams/editor.py)."""
        from integrations.teams.editor import edit_message

        edit_message(self, post)

    # -- where to post ----------------------------------------------------------------

    def _target(self, post: OutgoingPost) -> Target:
        address = post.channel.strip()
        store = self.conversations
        tenant_setting = self.settings.tenant_id
        newest = store.newest(PLATFORM, tenant_setting) or store.newest(PLATFORM)
        if OBJECT_ID.match(address):
            ref = store.for_user(PLATFORM, address)
            kind = "chat" if ref is not None else "new_chat"
            conv = ref.conversation_id if ref is not None else address
        else:
            conv = split_conversation(address)[0]
            ref = store.get(PLATFORM, conv)
            kind = "channel" if CHANNEL.match(conv) else "chat"
        service_url = (ref.service_url if ref else None) or (newest.service_url if newest else None)
        tenant = (ref.tenant_id if ref else None) or tenant_setting or (newest.tenant_id if newest else None)
        bot = ((ref.reference or {}).get("bot") if ref else None) or (
            (newest.reference or {}).get("bot") if newest else None
        )
        if not bot and self.app_id:
            bot = {"id": f"28:{self.app_id}"}
        return Target(
            kind=kind,
            address=conv,
            service_url=service_url or self.settings.service_url,
            tenant_id=tenant,
            bot=bot,
        )

    def _remember_chat(self, target: Target, conversation_id: str) -> None:
        self.conversations.save(
            PLATFORM,
            conversation_id=conversation_id,
            service_url=target.service_url,
            tenant_id=target.tenant_id,
            reference={
                "channelId": "msteams",
                "serviceUrl": target.service_url,
                "bot": target.bot,
                "conversation": {
                    "id": conversation_id,
                    "conversationType": "personal",
                    "isGroup": False,
                    "tenantId": target.tenant_id,
                },
                "user": {"aadObjectId": target.address},
            },
            user_id=target.address,
        )

    # -- sending ------------------------------------------------------------------------

    async def _send(self, target: Target, post: OutgoingPost) -> tuple[SentRef, str | None]:
        bot = ChannelAccount.model_validate(target.bot) if target.bot else None
        continuation = ConversationReference(
            channel_id=ChannelId("msteams"),
            service_url=target.service_url,
            conversation=ConversationAccount(
                id=target.address, is_group=target.kind == "channel", tenant_id=target.tenant_id
            ),
            bot=bot,
        ).get_continuation_activity()
        claims = ClaimsIdentity() if self.anonymous else self.adapter.create_claims_identity(self.app_id)
        outcome: list[tuple[SentRef, str | None]] = []

        async def callback(context: TurnContext) -> None:
            connector = context.services.get(ConnectorClientBase)  # type: ignore[type-abstract]
            if connector is None:  # pragma: no cover - the adapter always provides one
                raise SendError("the Agents SDK gave no connector client")
            outcome.append(await self._post(connector, target, post, bot))

        await self.adapter.continue_conversation_with_claims(claims, continuation, callback)
        if not outcome:  # pragma: no cover - the callback always runs or raises
            raise SendError("the post was not sent")
        return outcome[0]

    async def _post(
        self,
        connector: ConnectorClientBase,
        target: Target,
        post: OutgoingPost,
        bot: ChannelAccount | None,
    ) -> tuple[SentRef, str | None]:
        activity = message(post.reply)
        activity.channel_id = ChannelId("msteams")
        activity.service_url = target.service_url
        if bot is not None:
            activity.from_property = bot
        tenant = {"tenant": {"id": target.tenant_id}} if target.tenant_id else {}
        ops = connector.conversations
        if target.kind == "channel" and not post.thread_id:
            params = ConversationParameters(
                is_group=True,
                bot=bot,
                channel_data={"channel": {"id": target.address}, **tenant},
                activity=activity,
                tenant_id=target.tenant_id,
            )
            created = await ops.create_conversation(params)
            root = created.activity_id or split_conversation(created.id or "")[1]
            if not root:
                raise SendError("Teams did not say which message started the thread")
            return SentRef(message_id=root, channel=target.address), None
        if target.kind == "channel":
            conv = thread_conversation(target.address, str(post.thread_id))
            activity.conversation = ConversationAccount(id=conv, is_group=True, tenant_id=target.tenant_id)
            sent = await ops.send_to_conversation(conv, activity)
            return SentRef(message_id=sent.id or f"{conv}:{post.outbox_id}", channel=target.address), None
        created_chat: str | None = None
        conv = target.address
        if target.kind == "new_chat":
            params = ConversationParameters(
                is_group=False,
                bot=bot,
                members=[ChannelAccount(id=target.address, aad_object_id=target.address)],
                channel_data=tenant or None,
                tenant_id=target.tenant_id,
            )
            created = await ops.create_conversation(params)
            if not created.id:
                raise SendError("Teams did not return the new chat's id")
            conv = created_chat = created.id
        activity.conversation = ConversationAccount(id=conv, tenant_id=target.tenant_id)
        sent = await ops.send_to_conversation(conv, activity)
        return SentRef(message_id=sent.id or f"{conv}:{post.outbox_id}", channel=conv), created_chat


def _host(url: str) -> str | None:
    from urllib.parse import urlparse

    return urlparse(url).hostname


def make_sender(settings: TeamsSettings, conversations: ConversationStore) -> TeamsSender:
    return TeamsSender(settings, conversations)
