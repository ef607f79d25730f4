"""The App Home tab: the member's open actions and what is overdue, from the command core."""

from __future__ import annotations

from typing import Any

from commands.types import Reply
from integrations.slack.render import body_blocks, escape, header, mrkdwn

HOME_BLOCKS_MAX = 100


def home_view(sections: list[Reply], *, board_name: str | None = None) -> dict[str, Any]:
    """A Home tab from replies (e.g. `/qa status`, `/action list mine`, `/action list overdue`)."""
    blocks: list[dict[str, Any]] = [header("QA Bot" + (f" · {board_name}" if board_name else ""))]
    per = max(3, (HOME_BLOCKS_MAX - 4) // max(1, len(sections)) - 1)
    for reply in sections:
        blocks.append({"type": "divider"})
        blocks += body_blocks(reply.model_copy(update={"buttons": []}), max_blocks=per)
    blocks.append(
        {
            "type": "context",
            "elements": [
                mrkdwn(
                    escape("Type /action help, /finding help or /qa help in any channel for the commands.")
                )
            ],
        }
    )
    return {"type": "home", "blocks": blocks[:HOME_BLOCKS_MAX]}
