"""Neutral replies as Block Kit, within Slack's limits.

Slack refuses a whole message (`invalid_blocks`) for a section text over 3,000 characters,
a header over 150, more than 50 blocks or a button label over 75, so every piece is cut to
fit here. Text that people typed is escaped (&, <, >): `<!channel>` or `<@U…>` typed into an
action is shown as typed, never executed as a mention.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from typing import Any

from commands.types import Button, Reply

SECTION_MAX = 3000
HEADER_MAX = 150
FIELD_MAX = 2000
FIELDS_PER_SECTION = 10
MESSAGE_BLOCKS_MAX = 50
BUTTON_LABEL_MAX = 75
BUTTON_VALUE_MAX = 2000
FALLBACK_MAX = 3000
ACTION_PREFIX = "qabot:"

Block = dict[str, Any]


def escape(text: str) -> str:
    """Slack's three control characters, so text is shown and never parsed as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": cut(text, limit) or " ", "emoji": True}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def header(title: str) -> Block:
    return {"type": "header", "text": plain(title, HEADER_MAX)}


def _line_sections(lines: list[str]) -> list[Block]:
    """Lines packed into as few sections as fit under the 3,000-character limit."""
    blocks: list[Block] = []
    chunk: list[str] = []
    size = 0
    for raw in lines:
        line = cut(escape(raw), SECTION_MAX)
        if chunk and size + 1 + len(line) > SECTION_MAX:
            blocks.append({"type": "section", "text": mrkdwn("\n".join(chunk))})
            chunk, size = [], 0
        chunk.append(line)
        size += len(line) + (1 if size else 0)
    if chunk:
        blocks.append({"type": "section", "text": mrkdwn("\n".join(chunk))})
    return blocks


def _field_sections(fields: list[tuple[str, str]]) -> list[Block]:
    blocks = []
    for i in range(0, len(fields), FIELDS_PER_SECTION):
        group = fields[i : i + FIELDS_PER_SECTION]
        blocks.append(
            {
                "type": "section",
                "fields": [mrkdwn(cut(f"*{escape(k)}*\n{escape(v)}", FIELD_MAX)) for k, v in group],
            }
        )
    return blocks


def button(b: Button, index: int) -> Block:
    el: Block = {
        "type": "button",
        "text": plain(b.label, BUTTON_LABEL_MAX),
        "action_id": f"{ACTION_PREFIX}{b.action}:{index}",
        "value": b.command[:BUTTON_VALUE_MAX],
    }
    if b.style:
        el["style"] = b.style
    return el


def body_blocks(reply: Reply, *, max_blocks: int = MESSAGE_BLOCKS_MAX) -> list[Block]:
    """The reply's blocks (title, fields, lines, buttons), never more than max_blocks."""
    head: list[Block] = []
    if reply.title:
        head.append(header(("⚠️ " if not reply.ok else "") + reply.title))
    content = _field_sections(reply.fields) + _line_sections(reply.lines)
    tail: list[Block] = []
    if reply.buttons:
        tail.append({"type": "actions", "elements": [button(b, i) for i, b in enumerate(reply.buttons[:25])]})
    room = max_blocks - len(head) - len(tail)
    if len(content) > room:
        content = content[: room - 1]
        content.append({"type": "context", "elements": [mrkdwn("…more not shown; narrow it with a filter.")]})
    return head + content + tail


def with_file_names(reply: Reply, attached: Collection[str] = ()) -> Reply:
    """The reply with a line naming each of its files that is not uploaded alongside it
    (`attached`: the paths that are), so a file is never silently dropped."""
    missing = [p for p in reply.files if p not in attached]
    if not missing:
        return reply
    lines = [f"File not attached in Slack: {os.path.basename(p)}" for p in missing]
    return reply.model_copy(update={"lines": [*reply.lines, *lines]})


def render(reply: Reply, *, attached: Collection[str] = ()) -> list[Block]:
    return body_blocks(with_file_names(reply, attached))


def fallback_text(reply: Reply, *, attached: Collection[str] = ()) -> str:
    """The plain-text version Slack shows in notifications and where blocks cannot be shown."""
    reply = with_file_names(reply, attached)
    text = reply.text() or ("Done." if reply.ok else "That didn't work.")
    return cut(escape(text), FALLBACK_MAX)


def refreshed_blocks(reply: Reply, note: str) -> list[Block]:
    """A message re-rendered after a button changed what it shows: the reply, then a context
    line (`note`, Slack mrkdwn, already escaped) above its buttons."""
    blocks = body_blocks(reply, max_blocks=MESSAGE_BLOCKS_MAX - 1)
    context: Block = {"type": "context", "elements": [mrkdwn(cut(note, SECTION_MAX))]}
    at = len(blocks) - 1 if blocks and blocks[-1]["type"] == "actions" else len(blocks)
    return [*blocks[:at], context, *blocks[at:]]


def decided_blocks(original: list[Block], note: str) -> list[Block]:
    """A message whose buttons were used: the same content without its buttons, and a context
    line saying what was done."""
    kept = [b for b in original if b.get("type") != "actions"][: MESSAGE_BLOCKS_MAX - 1]
    return [*kept, {"type": "context", "elements": [mrkdwn(cut(note, SECTION_MAX))]}]
