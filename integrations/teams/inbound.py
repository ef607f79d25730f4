"""Teams activities (as the JSON Teams sends) -> the neutral Inbound, and conversation references.

Pure functions over the activity's JSON dict, so they are tested on the fixtures directly.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from commands.types import Inbound
from integrations.teams.channel_files import wanted
from integrations.teams.files import attachments

PLATFORM = "teams"
MESSAGEID = ";messageid="
COMMAND_KEY = "qabot_command"
# Cards sent before forms submitted typed requests (integrations/teams/forms.py) carry the
# Reassign input under this id; its handle is appended to the command, so they still work.
OWNER_KEY = "qabot_owner"

_AT = re.compile(r"<at[^>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_MILLIS = re.compile(r"1\d{12}")  # 2001-09-09 to 2033-05-18 in Unix milliseconds


def split_conversation(conversation_id: str) -> tuple[str, str | None]:
    """("19:x@thread.tacv2;messageid=123") -> ("19:x@thread.tacv2", "123")."""
    base, sep, rest = conversation_id.partition(MESSAGEID)
    return base, (rest or None) if sep else None


def root_time(message_id: str) -> datetime | None:
    """When a channel message was posted, read from its id. Teams' channel message ids are
    observed to be Unix milliseconds (e.g. 1764151200123), but Microsoft documents them only
    as ids: commands/unclear_threads.py uses this only beside other evidence."""
    if not _MILLIS.fullmatch(message_id):
        return None
    return datetime.fromtimestamp(int(message_id) / 1000, tz=UTC)


def thread_conversation(channel: str, root_id: str) -> str:
    return f"{split_conversation(channel)[0]}{MESSAGEID}{root_id}"


def conversation_type(activity: Mapping[str, Any]) -> str:
    """personal | channel | groupChat."""
    conv = activity.get("conversation") or {}
    kind = conv.get("conversationType")
    if kind:
        return str(kind)
    return "groupChat" if conv.get("isGroup") else "personal"


def tenant_of(activity: Mapping[str, Any]) -> str | None:
    conv = activity.get("conversation") or {}
    data = activity.get("channelData") or {}
    tenant = conv.get("tenantId") or (data.get("tenant") or {}).get("id")
    return str(tenant) if tenant else None


def _bot_id(activity: Mapping[str, Any]) -> str | None:
    rid = (activity.get("recipient") or {}).get("id")
    return str(rid) if rid else None


def mentions(activity: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [e for e in activity.get("entities") or [] if e.get("type") == "mention"]


def bot_mentioned(activity: Mapping[str, Any]) -> bool:
    bot = _bot_id(activity)
    return any((m.get("mentioned") or {}).get("id") == bot for m in mentions(activity))


def clean_text(activity: Mapping[str, Any], handle_for_name: Mapping[str, str] | None = None) -> str:
    """The message without the bot's mention; other people's mentions become @handle when the
    name is a board member's (else their plain name); HTML entities decoded, spaces collapsed."""
    text = str(activity.get("text") or "")
    bot = _bot_id(activity)
    for m in mentions(activity):
        if (m.get("mentioned") or {}).get("id") == bot and m.get("text"):
            text = text.replace(str(m["text"]), " ")
    names = {k.lower(): v for k, v in (handle_for_name or {}).items()}

    def person(match: re.Match[str]) -> str:
        name = html.unescape(_TAG.sub("", match.group(1))).strip()
        handle = names.get(name.lower())
        return f"@{handle}" if handle else name

    text = _AT.sub(person, text)
    text = html.unescape(_TAG.sub(" ", text)).replace("\xa0", " ")
    return " ".join(text.split())


def card_data(activity: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """What a card button sent: its data with the card's inputs beside it (each under its
    id), from a message with `value` (Action.Submit) or an adaptiveCard/action invoke
    (Action.Execute, under value.action.data)."""
    value = activity.get("value")
    if not isinstance(value, Mapping):
        return None
    if activity.get("type") == "invoke":
        action = value.get("action")
        value = (action.get("data") if isinstance(action, Mapping) else None) or {}
        if not isinstance(value, Mapping):
            return None
    return value


def card_command(activity: Mapping[str, Any]) -> str | None:
    """The command a card button carries. An older Reassign form's owner is appended."""
    value = card_data(activity)
    if value is None:
        return None
    command = value.get(COMMAND_KEY)
    if not isinstance(command, str) or not command.strip():
        return None
    command = command.strip()
    if OWNER_KEY in value:
        owner = str(value.get(OWNER_KEY) or "").strip().lstrip("@")
        command = f"{command} @{owner}" if owner else command
    return command


def inbound_fields(activity: Mapping[str, Any]) -> dict[str, Any] | None:
    """Who, where and which delivery, for any Inbound built from the activity (None when it
    names no person or conversation)."""
    user = (activity.get("from") or {}).get("aadObjectId")
    conv_id = str((activity.get("conversation") or {}).get("id") or "")
    if not user or not conv_id:
        return None
    base, root = split_conversation(conv_id)
    message_id = str(activity.get("id") or "") or None
    in_thread = bool(root) and root != message_id
    return {
        "platform": PLATFORM,
        "user_id": str(user),
        "workspace": tenant_of(activity),
        "channel": base,
        "thread_id": root if in_thread else None,
        "thread_root_time": root_time(root) if in_thread and root else None,
        "message_id": message_id,
        # Teams activity ids are unique only within a conversation.
        "delivery_key": f"teams:{base}:{message_id}" if message_id else None,
        # Teams has no message for one person in a shared conversation.
        "private_replies": conversation_type(activity) == "personal",
    }


def to_inbound(
    activity: Mapping[str, Any], handle_for_name: Mapping[str, str] | None = None
) -> Inbound | None:
    """The Inbound for a message or card action, or None when there is nothing to act on."""
    common = inbound_fields(activity)
    if common is None:
        return None
    thread_id = common.pop("thread_id")
    command = card_command(activity)
    if command is not None:
        # The group word is split off so a click inside a bot thread runs the command itself
        # rather than being read as a reply to the thread's root post.
        group, _, rest = command.partition(" ")
        return Inbound(text=rest, command=group, thread_id=thread_id, **common)
    if activity.get("type") != "message":
        return None
    text = clean_text(activity, handle_for_name)
    files = attachments(activity)  # a file posted with (or without) words: its name and address
    # A channel reply whose file is only on Graph's copy of the message (channel_files.py):
    # kept, with no words, for the Teams adapter to look it up in a Section 11 thread.
    files_elsewhere = bool(thread_id) and wanted(activity) is not None
    # Said to the bot: in a 1:1 chat with it, or with its mention. A command word then runs the
    # command even in a reply chain under one of the bot's posts; other text answers the post.
    addressed = conversation_type(activity) == "personal" or bot_mentioned(activity)
    if not text and addressed and not (files and thread_id) and not files_elsewhere:
        text = "help"
    if not text and not (files and thread_id) and not files_elsewhere:
        return None
    return Inbound(
        text=text,
        thread_id=thread_id,
        chatter=not addressed,
        addressed=addressed,
        attachments=files,
        **common,
    )


def reference(activity: Mapping[str, Any]) -> dict[str, Any]:
    """What is kept to post into this conversation later (a Bot Framework conversation
    reference, plus the team and channel ids Teams puts in channelData)."""
    conv = activity.get("conversation") or {}
    data = activity.get("channelData") or {}
    base, _ = split_conversation(str(conv.get("id") or ""))
    ref: dict[str, Any] = {
        "channelId": activity.get("channelId") or "msteams",
        "serviceUrl": activity.get("serviceUrl"),
        "bot": activity.get("recipient"),
        "conversation": {
            "id": base,
            "conversationType": conversation_type(activity),
            "isGroup": conversation_type(activity) != "personal",
            "tenantId": tenant_of(activity),
        },
    }
    team = (data.get("team") or {}).get("id")
    channel = (data.get("channel") or {}).get("id")
    if team:
        ref["teamId"] = team
        ref["teamName"] = (data.get("team") or {}).get("name")
    if channel:
        ref["teamsChannelId"] = channel
    if conversation_type(activity) == "personal":
        ref["user"] = {
            "id": (activity.get("from") or {}).get("id"),
            "aadObjectId": (activity.get("from") or {}).get("aadObjectId"),
        }
    return {k: v for k, v in ref.items() if v is not None}


def personal_user(activity: Mapping[str, Any]) -> str | None:
    """The Entra object id of the person in a 1:1 chat (None for channels and group chats)."""
    if conversation_type(activity) != "personal":
        return None
    user = (activity.get("from") or {}).get("aadObjectId")
    return str(user) if user else None


def bot_added(activity: Mapping[str, Any]) -> bool:
    bot = _bot_id(activity)
    return any(m.get("id") == bot for m in activity.get("membersAdded") or [])
