"""Slack payloads as neutral Inbound messages (pure functions: no I/O)."""

from __future__ import annotations

import re
from typing import Any

from commands.grammar import map_unquoted
from commands.types import Inbound, mention_token

_ANGLE = re.compile(r"<([^<>]*)>")
_PREFIX = re.compile(r"^\s*[*_]*(ACTION|FINDING)\s*:[*_]*\s*(.*)$", re.IGNORECASE | re.DOTALL)
_SLACK_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")


def _angle(m: re.Match[str]) -> str:
    inner = m.group(1)
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        return f"<{target}>"  # a person: text_for_core makes it the core's mention token
    if target.startswith("#"):
        return f"#{label}" if label else target
    if target.startswith("!subteam^"):
        return label or "@team"
    if target.startswith("!"):
        return "@" + (label or target[1:]).lstrip("@")
    if target.startswith("mailto:"):
        return label or target[7:]
    return target  # a link: the address itself


def unslack(text: str) -> str:
    """Slack's message format back to what the person typed: links and channels as text,
    people as <@U…>, &amp; &lt; &gt; unescaped."""
    text = _ANGLE.sub(_angle, text or "")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def text_for_core(text: str) -> str:
    """What a person typed in Slack as the core reads it: unslack'd, and each person Slack
    mentioned as the core's mention token (`<@U0POL001|pol>` -> `<@slack:U0POL001>`). A
    mention inside double quotes is part of the text and stays as Slack wrote it."""

    def person(token: str) -> str:
        m = _SLACK_MENTION.fullmatch(token)
        return mention_token("slack", m.group(1)) if m else token

    return map_unquoted(unslack(text), person)


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


def is_person_message(event: dict[str, Any]) -> bool:
    """An ordinary message a person typed (not a bot's, not an edit or a join notice)."""
    return (
        event.get("type") == "message"
        and not event.get("subtype")
        and not event.get("bot_id")
        and bool(event.get("user"))
        and bool(event.get("ts"))
    )


def event_key(body: dict[str, Any]) -> str | None:
    event_id = body.get("event_id")
    return f"slack:event:{event_id}" if event_id else None


def message(
    event: dict[str, Any], body: dict[str, Any], *, qa_channel: str | None
) -> tuple[str, Inbound] | None:
    """What a channel message means for the bot: ("log", …) for an ACTION:/FINDING: line in
    the QA channel, ("chatter", …) for a reply in a thread, ("dm", …) for a direct message
    to the bot; None for anything else (ordinary conversation is not the bot's business)."""
    if not is_person_message(event):
        return None
    text = text_for_core(str(event.get("text") or ""))
    channel = str(event.get("channel") or "")
    ts = str(event["ts"])
    thread_ts = event.get("thread_ts")
    base: dict[str, Any] = {
        "platform": "slack",
        "user_id": str(event["user"]),
        "workspace": body.get("team_id") or event.get("team"),
        "channel": channel,
        "message_id": ts,
        "delivery_key": event_key(body),
    }
    logged = logged_line(text)
    if logged is not None and qa_channel and channel == qa_channel:
        kind, rest = logged
        return "log", Inbound(text=f"{kind} add {rest}".strip(), **base)
    if thread_ts and thread_ts != ts:
        return "chatter", Inbound(text=text, thread_id=str(thread_ts), chatter=True, **base)
    if event.get("channel_type") == "im":
        return "dm", Inbound(text=text, **base)
    return None
