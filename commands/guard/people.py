"""People's names in free text, found with a real first-name list (not "two capitalised
words"): "Jayden Smith", "jayden mcdonald", "Mrs Okafor", a lone "Jayden". Every position is
tried, so "Visit Jayden Smith" does not hide "Jayden Smith" behind "Visit".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from commands.guard import wordlists
from commands.guard.normalise import word_set
from commands.guard.tokens import Token, tokens
from commands.guard.vocabulary import BoardVocabulary, phrase_spans

_TITLES = {"mr", "mrs", "ms", "miss", "mx", "master", "dr"}
# After these a name is a saint's, a monarch's or a building's: "St Mary's", "Queen Elizabeth".
_NOT_A_PERSON_AFTER = {"st", "saint", "queen", "king", "prince", "princess", "lady", "duke", "duchess"}
# A name followed by one of these is an organisation or a place: "Florence Nightingale Ward".
ORG_WORDS = word_set(
    """school academy primary infants infant junior juniors college nursery preschool pre-school
    centre center house hall hospital trust foundation ward road street lane avenue close drive way
    court surgery practice clinic unit team service services partnership council board police fund
    park gardens square place building library station church chapel memorial institute university
    society charity project programme award lecture room suite wing fc club arms hotel"""
)
_RAG = {"red", "amber", "green"}
# Labels written in capitals after a name are never its surname: "Jayden Smith DOB 4/5/15".
_LABELS = {"dob", "nhs", "upn", "nino", "ni", "ref", "yr", "y", "age", "aged", "born", "tel", "mob", "pc"}
_SURNAME_SHAPE = re.compile(r"^(?:mc|mac|o'|d')?[^\W\d_]+(?:[-'][^\W\d_]+)*$")


@dataclass(frozen=True)
class Person:
    start: int
    end: int
    # full: listed first name + surname; title: "Mrs Okafor"; first: a lone listed first name;
    # unlisted: two capitalised words, the first not on the list ("Zainab Hussain"), which count
    # only beside an explicit age or a school year.
    kind: Literal["full", "title", "first", "unlisted"]
    words: tuple[str, ...]

    def initials(self) -> str:
        letters = [w[0].upper() for w in self.words if w]
        return ".".join(letters) + "."


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _masked(toks: list[Token], vocabulary: BoardVocabulary) -> set[int]:
    """Tokens inside a whole board or national name, or that cannot start a person's name."""
    masked = {i for first, last in phrase_spans(toks, vocabulary) for i in range(first, last)}
    for i, t in enumerate(toks):
        nxt = toks[i + 1].key if i + 1 < len(toks) else ""
        prev = toks[i - 1].key if i else ""
        if t.key in _NOT_A_PERSON_AFTER and i + 1 < len(toks):
            masked.add(i + 1)
        if t.key in _RAG and (nxt in _RAG or prev in _RAG or prev in {"rag", "rated", "rating"}):
            masked.add(i)
    return masked


def _joined(text: str, a: Token, b: Token) -> bool:
    """Two words of one name: only spaces between them."""
    return text[a.end : b.start].strip() == "" and "\n" not in text[a.end : b.start]


def _is_surname(tok: Token, first: Token) -> bool:
    if len(tok.key) < 2 or not _SURNAME_SHAPE.match(tok.key) or tok.key in wordlists.BOARD_WORDS:
        return False
    if tok.key in _LABELS:
        return False
    if tok.key in wordlists.surnames():
        return _capitalised(tok.text) or not _capitalised(first.text)
    if tok.key in wordlists.common_words():
        return False
    # Written in lower case, a name is all lower case ("jayden smith"), never half.
    return _capitalised(tok.text) == _capitalised(first.text) or tok.text.isupper()


def _is_first(tok: Token, masked: bool) -> bool:
    if masked or tok.key not in wordlists.first_names():
        return False
    return not wordlists.is_ambiguous_first(tok.key) or _capitalised(tok.text)


def _unlisted_pair(text: str, tok: Token, nxt: Token, after: Token | None, places: frozenset[str]) -> bool:
    common = wordlists.common_words()
    if not (tok.text.istitle() and len(tok.key) > 2 and tok.key not in common and tok.key not in places):
        return False
    if not (nxt.text.istitle() and _joined(text, tok, nxt) and _is_surname(nxt, tok)):
        return False
    return not (after is not None and after.key in ORG_WORDS)


def find_people(text: str, vocabulary: BoardVocabulary) -> list[Person]:
    toks = tokens(text)
    if not toks:
        return []
    masked = _masked(toks, vocabulary)
    places = vocabulary.place_words()
    found: list[Person] = []
    for i, tok in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        after = toks[i + 2] if i + 2 < len(toks) else None
        if tok.key in _TITLES and nxt is not None and _joined(text, tok, nxt) and i + 1 not in masked:
            # "Mrs Okafor", "Mr J Smith"
            name = after if len(nxt.key) == 1 and after is not None else nxt
            if _capitalised(name.text) and name.key not in wordlists.BOARD_WORDS and len(name.key) > 1:
                found.append(Person(tok.start, name.end, "title", (tok.text, name.text)))
            continue
        if not _is_first(tok, i in masked):
            if nxt is not None and _unlisted_pair(text, tok, nxt, after, places) and not {i, i + 1} & masked:
                found.append(Person(tok.start, nxt.end, "unlisted", (tok.text, nxt.text)))
            continue
        if nxt is not None and i + 1 not in masked and _joined(text, tok, nxt) and _is_surname(nxt, tok):
            if not (after is not None and after.key in ORG_WORDS and _capitalised(after.text)):
                found.append(Person(tok.start, nxt.end, "full", (tok.text, nxt.text)))
            continue
        lone = (
            not wordlists.is_ambiguous_first(tok.key)
            and tok.text.istitle()
            and len(tok.key) > 2
            and tok.key not in places
            and not (nxt is not None and nxt.key in ORG_WORDS and _joined(text, tok, nxt))
        )
        if lone:
            found.append(Person(tok.start, tok.end, "first", (tok.text,)))
    return _merge(found)


def _merge(people: list[Person]) -> list[Person]:
    """"Jayden Lee Smith" is one full name, not "Jayden Lee" and "Lee Smith"."""
    out: list[Person] = []
    for p in sorted(people, key=lambda p: (p.start, -p.end)):
        if out and p.start < out[-1].end:
            last = out[-1]
            if p.end > last.end:
                kinds = (last.kind, p.kind)
                kind = "full" if "full" in kinds else "unlisted" if "unlisted" in kinds else last.kind
                out[-1] = Person(last.start, p.end, kind, (last.words[0], p.words[-1]))
            continue
        out.append(p)
    return out
