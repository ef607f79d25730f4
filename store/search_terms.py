"""What a search's words become: terms (tokens, and the word itself when it holds punctuation),
FTS5 query strings, and the named parameters store/search_sql.py's statements hold.

What a user typed never becomes part of a statement: the statements hold named parameters, so
one statement serves every search of the same shape (store.search keeps them), and `values`
gives the parameters' values for the words of one search.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

_TOKEN = re.compile(r"[^\W_]+")  # letters and digits: what both tokenizers keep
_NOT_PUNCTUATION = re.compile(r"[^\W_]|\s")


@dataclass(frozen=True)
class Term:
    """One word (or quoted phrase) as typed: its tokens, lower-cased, and the word itself when
    it holds punctuation, to be looked for literally in names as well."""

    tokens: tuple[str, ...]
    literal: str | None = None


def terms_of(words: Sequence[str]) -> list[Term]:
    out: list[Term] = []
    for word in words:
        # NUL can never be stored in PostgreSQL text, so it can never be found either.
        word = unicodedata.normalize("NFC", word.replace("\x00", "")).strip()
        if word:
            tokens = tuple(t.lower() for t in _TOKEN.findall(word))
            has_punctuation = _NOT_PUNCTUATION.sub("", word) != ""
            out.append(Term(tokens, word.lower() if has_punctuation else None))
    return out


def fts5_phrase(tokens: Sequence[str], column_name: str | None = None) -> str:
    phrase = '"' + " ".join(tokens).replace('"', '""') + '"'
    return f"{column_name} : {phrase}" if column_name else phrase


def fts5_query(terms: Sequence[Term]) -> str:
    """Every term's phrase, all required (empty when no term has a token)."""
    return " AND ".join(fts5_phrase(t.tokens) for t in terms if t.tokens)


def like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


ALL, PLAIN, NAMES = "q_all", "q_plain", "q_names"  # every term; those without punctuation; in names


def phrase_param(i: int) -> str:
    return f"q_phrase{i}"


def name_param(i: int) -> str:
    return f"q_name{i}"


def tokens_param(i: int) -> str:
    return f"q_tokens{i}"


def literal_param(i: int) -> str:
    return f"q_like{i}"


def shape(terms: Sequence[Term]) -> tuple[tuple[bool, bool], ...]:
    """What the statements for these terms depend on (their words are parameters)."""
    return tuple((bool(t.tokens), t.literal is not None) for t in terms)


def values(terms: Sequence[Term]) -> dict[str, str]:
    """The parameters' values for these terms (both dialects' names: each statement takes the
    ones it holds)."""
    out = {
        ALL: fts5_query(terms),
        PLAIN: fts5_query([t for t in terms if t.literal is None]),
        NAMES: " AND ".join(fts5_phrase(t.tokens, "name") for t in terms),
    }
    for i, t in enumerate(terms):
        out[phrase_param(i)] = fts5_phrase(t.tokens)
        out[name_param(i)] = fts5_phrase(t.tokens, "name")
        out[tokens_param(i)] = " ".join(t.tokens)
        if t.literal is not None:
            out[literal_param(i)] = like_pattern(t.literal)
    return out
