"""A reply made ready for reading: links and mentions out (the first link kept), emoji as
words, typos of the key words corrected, greetings and sign-offs dropped, and what was
forwarded or quoted kept apart from what the person wrote themselves."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from commands.understanding import vocabulary as v

_SLACK_LINK = re.compile(r"<((?:https?|mailto):[^\s|>]+)(?:\|[^>]*)?>")
_BARE_LINK = re.compile(r"https?://[^\s<>|]+")
_MENTION = re.compile(r"<@[^>]*>|<#[^>]*>|<![^>]*>")
_EMOJI_CODE = re.compile(r":([a-z0-9_+\-]+):")
# Pictographs other than the ones the vocabulary reads.
_OTHER_EMOJI = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]")
_WORD = re.compile(r"[a-z]+")
_GREETINGS = [re.compile(p) for p in v.GREETINGS]
_FORWARD = [re.compile(p, re.I) for p in v.FORWARD_MARKERS]


@dataclass(frozen=True)
class Prepared:
    own: str  # what the person wrote, normalised (lower case, one line per line)
    forwarded: str  # what they forwarded or quoted, normalised the same way
    url: str | None  # the first link in the reply


def _osa_distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) from a to b."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def _fix_typo(m: re.Match[str]) -> str:
    word = m.group(0)
    if len(word) < 6 or word in v.NOT_TYPOS or word in v.KEYWORDS:
        return word
    for keyword in v.KEYWORDS:
        if abs(len(word) - len(keyword)) <= 1 and _osa_distance(word, keyword) <= 1:
            return keyword
    return word


def _emoji(m: re.Match[str]) -> str:
    return f" {v.EMOJI_CODES.get(m.group(1), '')} "


def _normalise_line(line: str) -> str:
    line = line.lower().replace("\u2019", "'").replace("\u2018", "'")
    line = _EMOJI_CODE.sub(_emoji, line)
    for char, word in v.EMOJI_CHARACTERS.items():
        line = line.replace(char, f" {word} ")
    keep = "✅👍🙏🙂😊👌"
    line = "".join(c if c in keep else _OTHER_EMOJI.sub(" ", c) for c in line)
    line = _WORD.sub(_fix_typo, line)
    line = " ".join(line.split())
    changed = True
    while changed and line:
        changed = False
        for pattern in _GREETINGS:
            stripped = pattern.sub("", line, count=1).strip(" ,.!-:;")
            if stripped != line:
                line, changed = stripped, True
    return line


def prepare(raw: str) -> Prepared:
    text = unicodedata.normalize("NFC", raw)
    urls = [m.group(1) for m in _SLACK_LINK.finditer(text)]
    text = _SLACK_LINK.sub(" ", text)
    def cut_link(m: re.Match[str]) -> str:
        # A sentence's full stop after a link ends the sentence, not the link.
        link = m.group(0).rstrip(".,;:)!?")
        urls.append(link)
        return " " + m.group(0)[len(link) :]

    text = _BARE_LINK.sub(cut_link, text)
    text = _MENTION.sub(" ", text)
    own: list[str] = []
    forwarded: list[str] = []
    in_forward = False
    for line in text.replace("\r", "\n").split("\n"):
        bare = line.strip()
        if not in_forward and any(p.match(bare) for p in _FORWARD):
            in_forward = True
        quoted = bare.startswith(">")
        target = forwarded if in_forward or quoted else own
        target.append(_normalise_line(bare.lstrip("> ")))
    url = urls[0] if urls else None
    return Prepared(
        own="\n".join(x for x in own if x), forwarded="\n".join(x for x in forwarded if x), url=url
    )
