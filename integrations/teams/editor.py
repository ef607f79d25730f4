"""Editing one of the bot's own Teams posts (`/qa redact`), through the Agents SDK.

Microsoft's "Update and delete messages sent from your bot" (learn.microsoft.com
microsoftteams/platform/bots/how-to/update-and-delete-bot-messages): a new activity with the
existing activity id replaces the message (updateActivity), which the connector client sends as
PUT v3/conversations/{conversationId}/activities/{activityId}. A bot can update only its own
messages. In a channel the conversation is the reply chain, "19:…@thread.tacv2;messageid=<root>";
in a chat it is the chat's id. Answers 400/403/404/410 (gone, not the bot's, the bot removed)
are permanent; 429 and 5xx are retried by the outbox.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from microsoft_agents.activity import ChannelAccount, ChannelId, ConversationAccount, ConversationReference
from microsoft_agents.hosting.core import ClaimsIdentity, ConnectorClientBase, TurnContext

from commands.outbound import EditedPost, OutgoingPost, SendError
from integrations.teams.inbound import thread_conversation
from integrations.teams.sdk import message

if TYPE_CHECKING:
    from integrations.teams.sender import TeamsSender

TIMEOUT = 30.0


def edit_message(sender: TeamsSender, post: EditedPost) -> None:
    """Replace the post's card, or raise SendError (permanent when Teams says it cannot be)."""
    from integrations.teams.sender import _error, _host, _run
    from integrations.teams.web import is_loopback_host

    as_post = OutgoingPost(
        key=post.key, outbox_id=post.outbox_id, channel=post.channel, reply=post.reply, kind="edit"
    )
    target = sender._target(as_post)
    if sender.anonymous and not is_loopback_host(_host(target.service_url)):
        raise SendError(
            "Teams credentials are not set: edits go only to a loopback connector", permanent=True
        )
    if target.kind == "channel":
        conversation = thread_conversation(target.address, post.thread_id or post.message_id)
    else:
        conversation = target.address
    where = f"Teams conversation {conversation}, message {post.message_id}"
    try:
        update = _update(sender, target.service_url, target.tenant_id, target.bot, conversation, post)
        _run(asyncio.wait_for(update, TIMEOUT))
    except SendError:
        raise
    except Exception as e:
        err = _error(e)
        raise SendError(
            f"updating {where}: {err}", permanent=err.permanent, retry_after=err.retry_after
        ) from None


async def _update(
    sender: TeamsSender,
    service_url: str,
    tenant_id: str | None,
    bot_ref: dict[str, object] | None,
    conversation: str,
    post: EditedPost,
) -> None:
    bot = ChannelAccount.model_validate(bot_ref) if bot_ref else None
    continuation = ConversationReference(
        channel_id=ChannelId("msteams"),
        service_url=service_url,
        conversation=ConversationAccount(id=conversation, tenant_id=tenant_id),
        bot=bot,
    ).get_continuation_activity()
    claims = ClaimsIdentity() if sender.anonymous else sender.adapter.create_claims_identity(sender.app_id)

    async def callback(context: TurnContext) -> None:
        connector = context.services.get(ConnectorClientBase)  # type: ignore[type-abstract]
        if connector is None:  # pragma: no cover - the adapter always provides one
            raise SendError("the Agents SDK gave no connector client")
        activity = message(post.reply)
        activity.id = post.message_id
        activity.channel_id = ChannelId("msteams")
        activity.service_url = service_url
        activity.conversation = ConversationAccount(id=conversation, tenant_id=tenant_id)
        if bot is not None:
            activity.from_property = bot
        await connector.conversations.update_activity(conversation, post.message_id, activity)

    await sender.adapter.continue_conversation_with_claims(claims, continuation, callback)
