"""The one command grammar: `<text> [@owner|agency <name>] [due <date>] [#priority] ...`.

The free text comes first; options are introduced by `@handle`, `#tag` or a keyword. A keyword
only counts when what follows it makes sense (e.g. "due" followed by a date), so ordinary
sentences that happen to contain "due" or "agency" stay text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from commands.errors import UsageError
from commands.types import mentioned

MAX_TEXT = 1000
MAX_LINE = 4000

PRIORITIES: dict[str, str] = {
    "earlyhelp": "Early Help",
    "eh": "Early Help",
    "early-help": "Early Help",
    "early_help": "Early Help",
    "cp": "Child Protection",
    "childprotection": "Child Protection",
    "child-protection": "Child Protection",
    # Looked After Children: the business plan files it under Child Protection, and it is
    # shown so (a filter or panel on Child Protection includes it: store.items.priority_is).
    "lac": "Child Protection (LAC)",
    "looked-after": "Child Protection (LAC)",
    "neglect": "Neglect",
    "cse": "CSE",
    "da": "Domestic Abuse",
    "domesticabuse": "Domestic Abuse",
    "domestic-abuse": "Domestic Abuse",
}
PRIORITY_TAGS = "#earlyhelp #cp #neglect #cse #da"
RAGS = ("red", "amber", "green")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")

T = TypeVar("T")


def clean(text: str) -> str:
    """Normalise what a person typed: NFC, no control characters, one line of spaces."""
    if len(text) > MAX_LINE:
        raise UsageError(f"That message is {len(text):,} characters long; the limit is {MAX_LINE:,}.")
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    return " ".join(text.replace("\r", " ").replace("\n", " ").replace("\t", " ").split())


def priority_for(tag: str, usage: str | None = None) -> str:
    key = tag.lstrip("#").lower()
    if key in PRIORITIES:
        return PRIORITIES[key]
    raise UsageError(
        f'"#{key}" is not a business-plan priority: use one of {PRIORITY_TAGS} '
        f'(or put "#{key}" in quotes if it is part of the text).',
        usage,
    )


# Said to everyone in a channel, not to a person: always part of the text.
CHANNEL_WIDE = {"here", "channel", "everyone"}


def mention_of(token: str) -> str | None:
    """A person named in a command: `@handle` (the handle), or the mention token an
    integration put there (commands.types.mention_token), kept whole."""
    if mentioned(token):
        return token
    bare = token.lstrip("(").rstrip(").,;:!?")  # "(@claire.wood)", "@pol,"
    if bare.startswith("@") and len(bare) > 1 and bare[1:].lower() not in CHANNEL_WIDE:
        return bare[1:]
    return bare if mentioned(bare) else None


@dataclass
class Parsed:
    words: list[str] = field(default_factory=list)  # the free text, word by word
    tags: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    mention_positions: list[int] = field(default_factory=list)  # where each stood in words
    options: dict[str, list[str]] = field(default_factory=dict)  # keyword -> the words after it
    flags: set[str] = field(default_factory=set)
    positions: dict[str, int] = field(default_factory=dict)  # keyword -> where it stood in words
    typed: dict[str, str] = field(default_factory=dict)  # keyword -> as it was typed ("Agency")
    seq: dict[str, int] = field(default_factory=dict)  # keyword -> which token it was
    mention_seq: list[int] = field(default_factory=list)  # each mention: which token it was

    def fold(self, keyword: str) -> None:
        """Put a keyword and its words back into the free text where they stood."""
        at = self.positions.pop(keyword)
        back = [self.typed.get(keyword, keyword), *self.options.pop(keyword)]
        self._insert(at, back, self.seq.pop(keyword, 0))

    def unmention(self, index: int, shown: str) -> None:
        """Put mention `index` back into the free text where it stood, as `shown` (a second
        person named in an action's text is part of the text)."""
        self.mentions.pop(index)
        seq = self.mention_seq.pop(index) if index < len(self.mention_seq) else 0
        self._insert(self.mention_positions.pop(index), [shown], seq)

    def _insert(self, at: int, back: list[str], seq: int) -> None:
        """Words back at `at`; what stood at the same place but was typed later moves after them."""
        self.words[at:at] = back

        def moved(pos: int, typed: int) -> int:
            return pos + len(back) if pos > at or (pos == at and typed > seq) else pos

        self.positions = {k: moved(pos, self.seq.get(k, 0)) for k, pos in self.positions.items()}
        self.mention_positions = [
            moved(pos, self.mention_seq[i] if i < len(self.mention_seq) else 0)
            for i, pos in enumerate(self.mention_positions)
        ]

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def free_text(self, used: Mapping[str, int]) -> str:
        """The free text in the order it was typed: the words between options, and after each
        option the words its value did not use (`used[keyword]` of them were the value). So
        "Check the files due 12/03/2027 for the agency Surrey Police team" reads back as
        "Check the files for the team". Every option must be in `used`."""
        out: list[str] = []
        start = 0
        for keyword, words in self.options.items():  # insertion order is typed order
            at = self.positions[keyword]
            out += self.words[start:at]
            start = at
            out += words[used[keyword] :]
        out += self.words[start:]
        return " ".join(out)


_TOKEN = re.compile(r'"([^"]*)"|“([^”]*)”|(\S+)')


def tokenize(text: str) -> list[str]:
    """Split on spaces; a double-quoted run stays one token (so text may contain keywords)."""
    return [tok for tok, _ in quoted_tokens(text)]


def quoted_tokens(text: str) -> list[tuple[str, bool]]:
    """Each token as tokenize splits it, and whether it was quoted (then it is plain text:
    never a keyword, a #tag or an @person)."""
    out: list[tuple[str, bool]] = []
    for m in _TOKEN.finditer(text):
        if m.group(3) is not None:
            out.append((m.group(3), False))
        else:
            out.append((m.group(1) if m.group(1) is not None else m.group(2) or "", True))
    return out


def map_unquoted(text: str, change: Callable[[str], str]) -> str:
    """The text with `change` applied to each token outside double quotes, split as tokenize
    splits it; quoted runs and the spacing stay as typed (integrations use this to turn their
    mentions into tokens only where the grammar would read them as a person)."""
    return _TOKEN.sub(lambda m: change(m.group(0)) if m.group(3) is not None else m.group(0), text)


def parse(text: str, keywords: set[str], flags: set[str] = frozenset()) -> Parsed:  # type: ignore[assignment]
    """Split a command line into free text, @mentions, #tags, keyword options and flags."""
    out = Parsed()
    current: list[str] | None = None
    for n, (tok, quoted) in enumerate(quoted_tokens(text)):
        low = tok.lower()
        if quoted:
            (out.words if current is None else current).append(tok)
        elif tok.startswith("#") and len(tok) > 1:
            out.tags.append(tok)
            current = None
        elif m := mention_of(tok):
            out.mentions.append(m)
            out.mention_positions.append(len(out.words))
            out.mention_seq.append(n)
            current = None
        elif low in keywords:
            if low in out.options:  # the same keyword twice: the earlier one was just text
                out.fold(low)
            current = out.options[low] = []
            out.positions[low] = len(out.words)
            out.typed[low] = tok
            out.seq[low] = n
        elif low in flags:
            out.flags.add(low)
            current = None
        elif current is not None:
            current.append(tok)
        else:
            out.words.append(tok)
    return out


def looks_like_date(words: list[str]) -> bool:
    """Whether the words after `due`/`meeting` are an attempt at a date (then a bad one is an
    error) or just the rest of a sentence such as "check the due diligence notes"."""
    from commands.dates import starts_like_date  # the dates package owns the date vocabulary

    return starts_like_date(words)


def fold_back(p: Parsed, keyword: str) -> None:
    """Treat a keyword and the words after it as ordinary text."""
    p.fold(keyword)


def take_longest[T](
    words: list[str], resolve: Callable[[str], T | None], max_words: int = 6
) -> tuple[T | None, int]:
    """The longest leading run of words that `resolve` accepts, and how many words it used."""
    for n in range(min(len(words), max_words), 0, -1):
        value = resolve(" ".join(words[:n]))
        if value is not None:
            return value, n
    return None, 0


def ref_number(token: str, prefix: str, usage: str) -> int:
    """`A-12` (or `a12`, `12`) to 12."""
    m = re.fullmatch(rf"(?:{prefix}-?)?(\d{{1,9}})", token.strip(), re.I)
    if not m:
        raise UsageError(f'"{token}" is not a reference like {prefix}-12.', usage)
    return int(m.group(1))


def check_text(text: str, what: str, usage: str) -> str:
    if not text.strip():
        raise UsageError(f"The {what} needs some text.", usage)
    if len(text) > MAX_TEXT:
        raise UsageError(f"The {what} text is {len(text):,} characters; keep it under {MAX_TEXT:,}.", usage)
    return text.strip()
