"""Words of a text with their offsets, keyed for look-ups (lower case, accents folded, a
possessive "'s" dropped). Digits glued to letters ("gu1", "4lh") are codes, not words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from commands.guard.normalise import fold_accents

_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['-](?=[^\W\d_]))*")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    key: str


def tokens(text: str) -> list[Token]:
    out = []
    for m in _WORD.finditer(text):
        start, end = m.span()
        if text[end : end + 1].isdigit() or text[start - 1 : start].isdigit():
            continue
        word = m.group(0)
        if word.lower().endswith("'s"):
            word, end = word[:-2], end - 2  # "Smith's family": the name is "Smith"
        key = word.lower() if word.isascii() else fold_accents(word)
        out.append(Token(word, start, end, key))
    return out
