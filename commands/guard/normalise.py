"""Text is normalised before any signal looks at it, so look-alike or invisible characters
cannot hide an identifier ("9４3 476 5919", "DOB 04／05／2015", "Jay\u00addenSmith")."""

from __future__ import annotations

import re
import unicodedata

# Invisible characters a paste from Word, a PDF or a phone can carry inside a word or number.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
        "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"),
    None,
)
# NFKC folds full-width digits, letters and slashes; these look-alikes it leaves alone.
_FOLD = str.maketrans(
    {
        "\u2044": "/",  # fraction slash
        "\u2215": "/",  # division slash
        "\u29f8": "/",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u2032": "'",
        "`": "'",
    }
)
_SPACES = re.compile(r"[^\S\n]+")


def normalise(text: str) -> str:
    """NFKC, invisible characters removed, dashes/slashes/apostrophes folded, spaces collapsed."""
    if text.isascii():  # the common case: nothing to fold but backticks
        return _SPACES.sub(" ", text.replace("`", "'"))
    text = unicodedata.normalize("NFKC", text.translate(_INVISIBLE))
    return _SPACES.sub(" ", text.translate(_FOLD))


def fold_accents(word: str) -> str:
    """"Zoë" → "zoe": name lists spell some names without their accents."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_LINK = re.compile(r"(?:https?://|www\.)\S+|\b[\w.%+-]+@[\w-]+(?:\.[\w-]+)+", re.I)


def blank_links(text: str) -> str:
    """Links and e-mail addresses blanked (same length, with a character that is neither a word,
    a digit nor a space): digits in a SharePoint link are not an NHS number, and a link's words
    are not prose."""
    return _LINK.sub(lambda m: "\x00" * len(m.group(0)), text)


def word_set(words: str) -> frozenset[str]:
    """A set of words written as one block of text (long word lists stay readable)."""
    return frozenset(words.split())
