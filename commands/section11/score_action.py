"""How `/s11 score`'s line splits into its options, and the agency's own action for a
sub-question of its Section 11 return with its deadline: `action <text> [by <date>]` on
`/s11 score`, and the form's "Agency action" and "by" inputs.

`by` ends the action's text only where a date follows (the last such `by`), so an action such
as "training delivered by the LADO" keeps its words; a `by <date>` with no action before it is
an error, as is a deadline in the past.
"""

from __future__ import annotations

import re
from datetime import date

from commands import resolve
from commands.common import safeguard
from commands.context import Context
from commands.dates import format_date
from commands.errors import FieldError, about_field
from commands.grammar import check_text, looks_like_date, quoted_tokens

Tokens = list[tuple[str, bool]]  # each word, and whether it was quoted (then never a keyword)
KEYWORDS = ("evidence", "note", "action")
_SLACK_LINK = re.compile(r"^<(https?://[^|>]+)(?:\|[^>]*)?>$")


def unwrap(token: str) -> str:
    """A Slack-formatted link (<https://…|label>) as the bare link."""
    m = _SLACK_LINK.match(token)
    return m.group(1) if m else token


def _starts_option(word: str, head: list[str], in_head: bool) -> bool:
    """Whether a word starts an option. In the head, `action` and `by` do so only after the
    sub-question's label and a score (an agency may be called "Action for Children")."""
    if not in_head:
        return word in KEYWORDS
    if word == "evidence" or word == "note":
        return True
    labelled = any(any(ch.isdigit() for ch in w) for w in head[:-1])
    return word in ("action", "by") and labelled


def split_options(args: str) -> tuple[list[str], dict[str, Tokens]]:
    """The words before the first `evidence`/`note`/`action`, and each option's words (a
    quoted run is never a keyword: quote a note that says "evidence"). A `by` before any option
    is kept as one, so a deadline without an action is answered, not read as the score."""
    head: list[str] = []
    options: dict[str, Tokens] = {}
    current: Tokens | None = None
    for tok, quoted in quoted_tokens(args):
        low = tok.lower()
        if not quoted and low not in options and _starts_option(low, head, current is None):
            current = options[low] = []
        elif current is not None:
            current.append((unwrap(tok), quoted))
        else:
            head.append(tok)
    return head, options


def option_text(words: Tokens | None) -> str | None:
    return " ".join(t for t, _ in words) if words is not None else None


def free_text(ctx: Context, text: str | None, what: str, field: str, usage: str) -> str | None:
    """A typed text, checked for length and by the safeguarding guard before it is stored."""
    if text is None:
        return None
    with about_field(field):
        checked = check_text(text, what, usage)
        safeguard(ctx, checked, usage)
    return checked


def split_deadline(words: Tokens) -> tuple[Tokens, list[str] | None]:
    """The action's words, and the date's words after its last unquoted `by` that starts a
    date (None: no deadline given)."""
    for i in range(len(words) - 1, -1, -1):
        tok, quoted = words[i]
        if not quoted and tok.lower() == "by" and looks_like_date([t for t, _ in words[i + 1 :]]):
            return words[:i], [t for t, _ in words[i + 1 :]]
    return words, None


def deadline_of(ctx: Context, words: list[str], usage: str) -> date:
    """The date the words name (a date without a year is the next one), all of them used."""
    with about_field("deadline"):
        if not words:
            raise FieldError("Say the date after `by`, e.g. by 30/06/2027.", usage, field="deadline")
        when, used = resolve.due_date(ctx, words, usage)
        if used < len(words):
            rest = " ".join(words[used:])
            raise FieldError(f'"{rest}" is not part of the date after `by`.', usage, field="deadline")
    return when


def check_action(ctx: Context, action: str | None, deadline: date | None, usage: str) -> None:
    """A deadline belongs to an action, and lies ahead (today counts)."""
    if deadline is None:
        return
    if action is None:
        raise FieldError(
            "A deadline (`by <date>`) is for the agency's action: say `action <text> by <date>`.",
            usage,
            field="deadline",
        )
    if deadline < ctx.today:
        raise FieldError(f"The deadline {format_date(deadline)} is in the past.", usage, field="deadline")


def action_line(action: str | None, deadline: date | None) -> str | None:
    """The reply's line for what the row holds: "Agency action: … (by 30 Jun 2027)"."""
    if not action:
        return None
    return f"Agency action: {action}" + (f" (by {format_date(deadline)})" if deadline else "")
