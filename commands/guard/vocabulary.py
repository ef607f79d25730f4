"""The board's own words: the whole names of its agencies, places, venues and members, its
agencies' published phone numbers and its members' addresses. Built by the caller from the
board file; joined with the national list. Never a single word of a name: a board with a
member "Sarah Smith" still refuses "Jayden Smith KT1 2AB".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from commands.guard import national
from commands.guard.national import NATIONAL_ORGANISATIONS, PLACE_PHRASES, PLACE_WORDS
from commands.guard.tokens import Token, tokens

# Words of a board's name that are not its area ("Kingston Safeguarding Children Partnership").
_NOT_AREA = re.compile(
    r"\b(?:local|safeguarding|children'?s?|child|young|people|partnership|board|lscb|lscp|scb|scp|"
    r"the|and|of|for|adults?|multi-agency|arrangements?)\b",
    re.I,
)


def area_of(board_name: str) -> str:
    """"Surrey Safeguarding Children Board" → "Surrey"; used in example wording."""
    return " ".join(_NOT_AREA.sub(" ", board_name).split())


def phone_digits(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    return "0" + digits[2:].removeprefix("0") if digits.startswith("44") else digits


def _clean(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({" ".join(n.split()) for n in names if n and n.strip()}))


@dataclass(frozen=True)
class BoardVocabulary:
    area: str = ""
    agencies: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    venues: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()

    @classmethod
    def build(
        cls,
        *,
        board_name: str = "",
        agencies: Iterable[str] = (),
        places: Iterable[str] = (),
        venues: Iterable[str] = (),
        members: Iterable[str] = (),
        phones: Iterable[str] = (),
        emails: Iterable[str] = (),
        area: str | None = None,
    ) -> BoardVocabulary:
        return cls(
            area=area if area is not None else area_of(board_name),
            agencies=_clean(agencies),
            places=_clean(places),
            venues=_clean(venues),
            members=_clean(members),
            phones=tuple(sorted({phone_digits(p) for p in phones if p})),
            emails=tuple(sorted({e.strip().lower() for e in emails if e and "@" in e})),
        )

    def phrases(self) -> tuple[str, ...]:
        """Whole names that are passed over where they occur (two words or more)."""
        every = (*self.agencies, *self.places, *self.venues, *self.members, self.area)
        countrywide = (*NATIONAL_ORGANISATIONS, *PLACE_PHRASES, *national.registry_places()[0])
        return tuple(p for p in (*every, *countrywide) if len(p.split()) > 1)

    def place_words(self) -> frozenset[str]:
        """Single-word places: such a word alone is not read as a first name."""
        return _place_words(self.places, self.venues, self.area)


@lru_cache(maxsize=32)
def _place_words(places: tuple[str, ...], venues: tuple[str, ...], area: str) -> frozenset[str]:
    # Cached: the national set is thousands of words, and every check asks for it.
    own = {p.lower() for p in (*places, *venues, area) if p and len(p.split()) == 1}
    return PLACE_WORDS | national.registry_places()[1] | own


def as_vocabulary(value: BoardVocabulary | Iterable[str]) -> BoardVocabulary:
    """Older callers pass a list of agency and member names: each is a whole name, never words."""
    if isinstance(value, BoardVocabulary):
        return value
    return BoardVocabulary.build(agencies=value)


# First word -> the lengths of the names starting with it (longest first) and those names, so a
# text's token is checked against one set per length, however many names share its first word
# (the national list has hundreds: "West Bromwich", "West Bridgford", …).
PhraseIndex = dict[str, tuple[tuple[int, ...], frozenset[tuple[str, ...]]]]


@lru_cache(maxsize=32)
def phrase_index(vocabulary: BoardVocabulary) -> PhraseIndex:
    """Every whole name as word keys, indexed by its first word."""
    index: dict[str, set[tuple[str, ...]]] = {}
    for phrase in vocabulary.phrases():
        keys = tuple(t.key for t in tokens(phrase))
        if len(keys) > 1:
            index.setdefault(keys[0], set()).add(keys)
    return {
        k: (tuple(sorted({len(n) for n in names}, reverse=True)), frozenset(names))
        for k, names in index.items()
    }


def phrase_spans(toks: list[Token], vocabulary: BoardVocabulary) -> list[tuple[int, int]]:
    """(first, last + 1) token positions of each whole name found in the text (the longest
    name wins where two start at the same word)."""
    index = phrase_index(vocabulary)
    keys = [t.key for t in toks]
    spans = []
    i = 0
    while i < len(keys):
        entry = index.get(keys[i])
        if entry is not None:
            lengths, names = entry
            for n in lengths:
                if tuple(keys[i : i + n]) in names:
                    spans.append((i, i + n))
                    i += n - 1
                    break
        i += 1
    return spans
