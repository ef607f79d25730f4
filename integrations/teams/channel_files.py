"""A file posted in a Teams channel reply, found on Microsoft Graph's copy of the message.

Teams' bot file APIs work in 1:1 chats only (msteams-docs "Send and receive files using
bots", bots-filesv4). In a channel the message activity a bot receives need not carry the
file: its "text/html" attachment holds the message's HTML, where a file shows as
`<attachment id="…"></attachment>` (the same tag Graph's chatMessage body uses), and that
HTML can even be empty for a file posted alone (microsoft/botbuilder-dotnet#6710). The file
itself is on the message as Graph sees it: `GET /teams/{team-id}/channels/{channel-id}/
messages/{message-id}/replies/{reply-id}` (Graph "Get chatMessage in a channel or chat")
returns a chatMessage whose `attachments` hold it with contentType "reference", its `id`
the tag's id, `contentUrl` the file in the team's SharePoint library and `name`.

team-id is the team's Microsoft 365 group (channelData.team.aadGroupId), channel-id is
channelData.channel.id, the root message's id follows ";messageid=" in conversation.id, the
reply's id is the activity's id. Graph needs ChannelMessage.Read.All (application) or the
team's resource-specific consent ChannelMessage.Read.Group (in the app manifest; it applies
when Graph is called as the bot's own Entra app). The found files go on to the shares API
(integrations/teams/files.py). What goes wrong becomes an attachment with a problem, said by
the core: 401/403 "message_no_access", 404 "message_gone", the tag's id not on the message
"not_on_message".
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from commands.types import Attachment, FileProblem

log = logging.getLogger("qabot.teams.files")

HTML = "text/html"
REFERENCE = "reference"
# What the core calls a file it could not name (the message, not the file, was out of reach).
UNNAMED = "The file on this message"
_MARKER = re.compile(r"<attachment\b[^>]*\bid\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_GUID = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")


@dataclass(frozen=True)
class Wanted:
    """A channel reply whose file must be looked up on Graph's copy of the message."""

    team_id: str | None  # the team's group id (None: the activity does not say)
    channel_id: str
    root_id: str
    reply_id: str
    ids: tuple[str, ...]  # the <attachment id>s not on the activity; () = any file on it


def _usable(a: Mapping[str, Any]) -> bool:
    return bool(
        a.get("contentType") in (REFERENCE, "application/vnd.microsoft.teams.file.download.info")
        and str(a.get("contentUrl") or "").startswith("https://")
        and a.get("name")
    )


def wanted(activity: Mapping[str, Any]) -> Wanted | None:
    """The lookup a channel reply needs: its HTML names files the activity does not carry,
    or it came with nothing at all (no words, no file: a file posted alone). None otherwise."""
    conv = activity.get("conversation") or {}
    if activity.get("type") != "message" or conv.get("conversationType") != "channel":
        return None
    base, sep, root = str(conv.get("id") or "").partition(";messageid=")
    reply = str(activity.get("id") or "")
    if not sep or not root or not reply or root == reply:
        return None
    found = [a for a in activity.get("attachments") or [] if isinstance(a, Mapping)]
    have = {str(a.get("id")) for a in found if _usable(a) and a.get("id")}
    pages = [str(a.get("content") or "") for a in found if a.get("contentType") == HTML]
    ids = tuple(dict.fromkeys(i for p in pages for i in _MARKER.findall(p) if i not in have))
    said = html.unescape(_TAG.sub("", str(activity.get("text") or ""))).strip()
    blank = not said and not any(_usable(a) for a in found) and not any(p.strip() for p in pages)
    if not ids and not blank:
        return None
    data = activity.get("channelData") or {}
    team = data.get("team") or {}
    group = team.get("aadGroupId") or (team.get("id") if _GUID.fullmatch(str(team.get("id"))) else None)
    channel = (data.get("channel") or {}).get("id") or base
    return Wanted(str(group) if group else None, str(channel), root, reply, ids)


def problem(w: Wanted, why: FileProblem) -> Attachment:
    """The file(s) of this reply, not read, with why (said by the core). Its address is the
    message's own link, in the form Graph gives as a chatMessage's webUrl: where the file is."""
    query = urlencode({k: v for k, v in (("groupId", w.team_id), ("parentMessageId", w.root_id)) if v})
    link = f"https://teams.microsoft.com/l/message/{quote(w.channel_id, safe='')}/{w.reply_id}?{query}"
    return Attachment(name=UNNAMED, url=link, file_id=f"msg:{w.reply_id}", problem=why)


async def find(client: Any, w: Wanted) -> list[Attachment]:
    """The files Graph's copy of the message carries (the tagged ones, or all when the
    activity showed none), each named with its SharePoint address; or why not."""
    from integrations.teams.files import url_id

    if w.team_id is None:
        log.warning("Teams message %s: its team's group id (aadGroupId) is not on the activity", w.reply_id)
        return [problem(w, "failed")]
    request = (
        client.teams.by_team_id(w.team_id)
        .channels.by_channel_id(w.channel_id)
        .messages.by_chat_message_id(w.root_id)
        .replies.by_chat_message_id1(w.reply_id)
    )
    try:
        message = await request.get()
    except Exception as e:
        status = _status(e)
        if status is None:
            raise
        log.warning("Teams message %s: Graph answered %s", w.reply_id, status)
        return [problem(w, "message_no_access" if status in (401, 403) else "message_gone")]
    if message is None:
        return [problem(w, "message_gone")]
    files: dict[str, Attachment] = {}
    for a in message.attachments or []:
        url, name = str(a.content_url or ""), str(a.name or "")
        if a.content_type != REFERENCE or not url.startswith("https://") or not name:
            continue
        if not w.ids or a.id in w.ids:
            files[str(a.id)] = Attachment(name=name, url=url, file_id=url_id(url))
    missing = [i for i in w.ids if i not in files]
    if missing or not files:
        log.warning("Teams message %s: Graph lists no file with id %s", w.reply_id, missing or "(any)")
        return [*files.values(), problem(w, "not_on_message")]
    return list(files.values())


def _status(e: BaseException) -> int | None:
    """Graph's answer for 401/403/404/410 (others are "could not be downloaded")."""
    from kiota_abstractions.api_error import APIError

    if isinstance(e, APIError) and (e.response_status_code or 0) in (401, 403, 404, 410):
        return int(e.response_status_code or 0)
    return None
