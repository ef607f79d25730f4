"""Correcting how a thread reply was read, shared by Section 11 returns
(`/s11 correct`, commands/section11/reply_corrections.py) and rapid review summaries
(`/review correct`, commands/reviews/corrections.py): the reply's reference R-n, the words of
a correction, and the buttons under every recorded reply (Slack buttons, Teams card actions)
that run the group's correct command on it. One mechanism, so both platforms and both kinds of
thread offer the same choices."""

from __future__ import annotations

import re

from commands.errors import FieldError, UsageError
from commands.types import Button
from commands.understanding import Correction
from store.models import ThreadReply

WORDS: dict[str, Correction] = {
    "submitted": "submitted",
    "submission": "submitted",
    "comment": "comment",
    "undo": "undo",
}


def ref(row: ThreadReply) -> str:
    return f"R-{row.id}"


def read_correction(args: str, usage: str, group: str) -> tuple[int, Correction]:
    """`R-12 comment` → (12, "comment"); what was wrong is said with the usage line."""
    words = args.split()
    if len(words) != 2:
        raise UsageError(f"Say the reply and what it was: e.g. /{group} correct R-12 comment.", usage)
    m = re.fullmatch(r"[Rr]-?(\d{1,9})", words[0])
    if m is None:
        raise FieldError(f'"{words[0]}" is not a reply reference such as R-12.', usage, field="reply")
    to = WORDS.get(words[1].lower())
    if to is None:
        raise FieldError(f'"{words[1]}": say submitted, comment or undo.', usage, field="to")
    return int(m.group(1)), to


def correction_buttons(row: ThreadReply, group: str) -> list[Button]:
    """Buttons that run `/<group> correct` on this reply: the readings it was not given, and undo."""
    action, command = f"{group}_correct", f"{group} correct {ref(row)}"
    buttons = [Button(action=action, label="Undo", command=f"{command} undo", style="danger")]
    if row.interpretation != "submitted":
        buttons.insert(
            0, Button(action=action, label="That was a submission", command=f"{command} submitted")
        )
    if row.interpretation in ("submitted", "extension"):
        buttons.insert(0, Button(action=action, label="That was a comment", command=f"{command} comment"))
    return buttons
