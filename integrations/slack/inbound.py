"""Slack payloads as neutral Inbound messages (pure functions: no I/O)."""

from __future__ import annotations

import re
from typing import Any, Literal

from commands.grammar import map_unquoted
from commands.types import Attachment, Inbound, mention_token

_ANGLE = re.compile(r"<([^<>]*)>")
_PREFIX = re.compile(r"^\s*[*_]*(ACTION|FINDING)\s*:[*_]*\s*(.*)$", re.IGNORECASE | re.DOTALL)
_SLACK_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")


def _angle(m: re.Match[str], *, as_text: bool = False) -> str:
    inner = m.group(1)
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        return f"<{target}>"  # a person: text_for_core makes it the core's mention token
    if target.startswith("#"):
        return _plain(f"#{label}" if label else target, as_text)
    if target.startswith("!subteam^"):
        return _plain(label or "@team", as_text)
    if target.startswith("!"):
        return _plain("@" + (label or target[1:]).lstrip("@"), as_text)
    if target.startswith("mailto:"):
        return label or target[7:]
    if label and label not in target:
        return f"{label} ({target})"  # a link with its own words: both, the address second
    return target  # a link: the address itself


def _plain(shown: str, as_text: bool) -> str:
    """A channel link, @here or a user group: for the core, in typographic quotes, which the
    command grammar reads as plain text (never a #priority or an @person)."""
    return f"“{shown}”" if as_text else shown


def unslack(text: str, *, as_text: bool = False) -> str:
    """Slack's message format back to what the person typed: links and channels as text,
    people as <@U…>, &amp; &lt; &gt; unescaped."""
    text = _ANGLE.sub(lambda m: _angle(m, as_text=as_text), text or "")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def text_for_core(text: str) -> str:
    """What a person typed in Slack as the core reads it: unslack'd, and each person Slack
    mentioned as the core's mention token (`<@U0POL001|pol>` -> `<@slack:U0POL001>`). A
    mention inside double quotes is part of the text and stays as Slack wrote it."""

    def person(token: str) -> str:
        m = _SLACK_MENTION.fullmatch(token)
        return mention_token("slack", m.group(1)) if m else token

    return map_unquoted(unslack(text, as_text=True), person)


def mentioned_ids(text: str) -> list[str]:
    return _SLACK_MENTION.findall(text or "")


def slash_command(body: dict[str, Any]) -> Inbound:
    return Inbound(
        platform="slack",
        user_id=str(body.get("user_id") or ""),
        workspace=body.get("team_id"),
        channel=body.get("channel_id"),
        command=str(body.get("command") or ""),
        text=text_for_core(str(body.get("text") or "")),
        delivery_key=f"slack:cmd:{body.get('trigger_id')}" if body.get("trigger_id") else None,
    )


def logged_line(text: str) -> tuple[str, str] | None:
    """("action" | "finding", the rest) for a line starting ACTION: or FINDING:."""
    m = _PREFIX.match(text or "")
    if not m:
        return None
    return m.group(1).lower(), m.group(2).strip()


# Slack's message subtypes (docs.slack.dev/reference/events/message): those a person writes
# are read like any message; the edits and deletions of a message are read for what it logged;
# everything else is a notice Slack or an app posted, which the bot does not read.
PERSON_SUBTYPES = frozenset({"thread_broadcast", "file_share", "me_message"})
CHANGE_SUBTYPES = frozenset({"message_changed", "message_deleted"})
SYSTEM_SUBTYPES = frozenset(
    {
        "assistant_app_thread",
        "bot_add",
        "bot_disable",
        "bot_enable",
        "bot_remove",
        "channel_archive",
        "channel_convert_to_private",
        "channel_convert_to_public",
        "channel_join",
        "channel_leave",
        "channel_name",
        "channel_posting_permissions",
        "channel_purpose",
        "channel_topic",
        "channel_unarchive",
        "ekm_access_denied",
        "group_archive",
        "group_join",
        "group_leave",
        "group_name",
        "group_purpose",
        "group_topic",
        "group_unarchive",
        "huddle_thread",
        "joiner_notification",
        "message_replied",
        "pinned_item",
        "reminder_add",
        "slackbot_response",
        "tombstone",
        "unpinned_item",
    }
)


def not_read(event: dict[str, Any], bot_user: str | None) -> str | None:
    """Why the bot does not read this message event, or None for a message a person wrote
    (plain, broadcast from a thread, with files, /me) or an edit or deletion of one."""
    subtype = event.get("subtype")
    if event.get("type") != "message":
        return f"not a message ({event.get('type')})"
    if event.get("bot_id") or subtype == "bot_message":
        return "a bot's message"
    if bot_user and event.get("user") == bot_user:
        return "the bot's own message"
    if subtype in CHANGE_SUBTYPES:
        return None
    if subtype in SYSTEM_SUBTYPES:
        return f"a notice, not something a person wrote ({subtype})"
    if subtype and subtype not in PERSON_SUBTYPES:
        return f"a message subtype the bot does not read ({subtype})"
    if not event.get("user") or not event.get("ts"):
        return "no author or timestamp"
    return None


def is_person_message(event: dict[str, Any], bot_user: str | None = None) -> bool:
    """A message a person wrote (not a bot's, not a notice, not an edit)."""
    return not_read(event, bot_user) is None and event.get("subtype") not in CHANGE_SUBTYPES


def attachments(event: dict[str, Any]) -> list[Attachment]:
    """The files attached to a message, by name and permalink. A file Slack only describes by
    id (`file_access: check_file_info`, e.g. from a Slack Connect workspace) has neither and is
    left out."""
    found = []
    for f in event.get("files") or []:
        url = f.get("permalink")
        if url:
            # The file's id and version (upload time and size): a version is read once.
            stamp = f.get("timestamp") or f.get("created") or "-"
            found.append(
                Attachment(
                    name=str(f.get("name") or f.get("title") or "file"),
                    url=str(url),
                    file_id=str(f["id"]) if f.get("id") else None,
                    version=f"{stamp}|{f.get('size', '-')}",
                )
            )
    return found


def mentions_bot(event: dict[str, Any], bot_user: str | None) -> bool:
    return bool(bot_user) and bot_user in mentioned_ids(str(event.get("text") or ""))


def without_bot(text: str, bot_user: str | None) -> str:
    """The text with the bot's own mentions taken out ("<@UBOT> action list" -> "action list")."""
    if not bot_user:
        return text
    return " ".join(re.sub(rf"<@{re.escape(bot_user)}(?:\|[^>]*)?>", " ", text).split())


def event_key(body: dict[str, Any]) -> str | None:
    event_id = body.get("event_id")
    return f"slack:event:{event_id}" if event_id else None


def _base(event: dict[str, Any], body: dict[str, Any], ts: str) -> dict[str, Any]:
    return {
        "platform": "slack",
        "user_id": str(event.get("user") or ""),
        "workspace": body.get("team_id") or event.get("team"),
        "channel": str(event.get("channel") or ""),
        "message_id": ts,
        "delivery_key": event_key(body),
    }


def message(
    event: dict[str, Any], body: dict[str, Any], *, qa_channel: str | None, bot_user: str | None = None
) -> tuple[str, Inbound] | None:
    """What a person's message means for the bot: ("log", …) for an ACTION:/FINDING: line in
    the QA channel, ("dm", …) for a direct message to the bot (in a thread of the DM too),
    ("chatter", …) for a reply in a thread; None for anything else (ordinary conversation is
    not the bot's business)."""
    if not is_person_message(event, bot_user):
        return None
    text = text_for_core(without_bot(str(event.get("text") or ""), bot_user))
    channel = str(event.get("channel") or "")
    ts = str(event["ts"])
    thread_ts = event.get("thread_ts")
    thread_id = str(thread_ts) if thread_ts and thread_ts != ts else None
    base = _base(event, body, ts) | {"attachments": attachments(event)}
    logged = logged_line(text)
    if logged is not None and qa_channel and channel == qa_channel:
        kind, rest = logged
        return "log", Inbound(text=f"{kind} add {rest}".strip(), **base)
    if event.get("channel_type") == "im":
        return "dm", Inbound(text=text, thread_id=thread_id, addressed=True, **base)
    if thread_id:
        started_by = thread_started_by(event, bot_user)
        inbound = Inbound(text=text, thread_id=thread_id, chatter=True, thread_started_by=started_by, **base)
        return "chatter", inbound
    return None


def thread_started_by(event: dict[str, Any], bot_user: str | None) -> Literal["bot", "person"]:
    """Who posted a thread reply's parent (`parent_user_id`, on replies as @slack/types'
    GenericMessageEvent declares it): a thread the bot started but cannot match is questioned
    (commands/unclear_threads.py); anyone else's thread is their own conversation."""
    parent = event.get("parent_user_id")
    return "bot" if bot_user and parent == bot_user else "person"


def mention(event: dict[str, Any], body: dict[str, Any], bot_user: str | None) -> Inbound:
    """An app_mention: said to the bot, wherever it was said ("@QA Bot action list")."""
    ts = str(event.get("ts") or "")
    thread_ts = event.get("thread_ts")
    return Inbound(
        text=text_for_core(without_bot(str(event.get("text") or ""), bot_user)),
        thread_id=str(thread_ts) if thread_ts and thread_ts != ts else None,
        addressed=True,
        attachments=attachments(event),
        **_base(event, body, ts),
    )


def may_have_logged(event: dict[str, Any]) -> bool:
    """Whether the message an edit or deletion is about could have logged something: its text
    before was an ACTION:/FINDING: line, or Slack did not say what it was."""
    before = event.get("previous_message")
    if not isinstance(before, dict) or "text" not in before:
        return True
    return logged_line(unslack(str(before.get("text") or ""))) is not None


def change(event: dict[str, Any], body: dict[str, Any]) -> Inbound | None:
    """A person's message edited (message_changed with `edited`) or deleted (message_deleted,
    or a message_changed that leaves a tombstone): the Inbound names the original message.
    None for a change that is no edit (Slack adding a link preview or a reply count) and for
    a change to a bot's post."""
    subtype = event.get("subtype")
    before = event.get("previous_message") or {}
    after = event.get("message") or {}
    if subtype == "message_deleted" or after.get("subtype") == "tombstone":
        ts, kind, text = str(event.get("deleted_ts") or before.get("ts") or ""), "deleted", ""
    elif subtype == "message_changed" and after.get("edited"):
        ts, kind, text = str(after.get("ts") or ""), "edited", str(after.get("text") or "")
    else:
        return None
    if after.get("bot_id") or before.get("bot_id"):
        return None  # a bot's post changed (e.g. the bot updating its own after a click)
    # Who edited; for a deletion the message's author (a tombstone is "by" USLACKBOT).
    user = (
        (after.get("edited") or {}).get("user") or after.get("user")
        if kind == "edited"
        else before.get("user")
    )
    if not ts:
        return None
    original = after if kind == "edited" else before
    thread_ts = original.get("thread_ts")
    base = _base(dict(event, user=user or ""), body, ts)  # a deletion may name nobody
    # One explanation per edit and one per deletion, whichever of Slack's events reports it.
    base["delivery_key"] = f"slack:{kind}:{base['channel']}:{ts}" + (
        f":{after['edited'].get('ts')}" if kind == "edited" else ""
    )
    return Inbound(
        text=text_for_core(text),
        thread_id=str(thread_ts) if thread_ts and thread_ts != ts else None,
        change=kind,
        **base,
    )
