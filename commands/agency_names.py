"""Agencies the way people name them: the full name, an alias or abbreviation from the board
file (`aliases: [police, SP]`), the agency's kind where only one agency is of it ("the ICB"),
or the distinctive words of its name. More than one fit is a question, never a guess."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from difflib import get_close_matches
from typing import Any

from commands.context import Context
from commands.errors import FieldError, NotFound
from commands.grammar import take_longest
from store import members
from store.models import Agency

ALIASES_KEY = "agency_aliases"  # in the board's config: {agency name: [alias, ...]}
QUOTE_HINT = "put the text in double quotes if it is part of what you are saying"


def aliases_config(entries: Iterable[Any]) -> dict[str, dict[str, list[str]]]:
    """The board config's part for agency aliases, from the board file's agency entries."""
    found = {e.name: list(e.aliases) for e in entries if getattr(e, "aliases", None)}
    return {ALIASES_KEY: found} if found else {}


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("’", "").replace("'", "").split())


def _aliases(ctx: Context, a: Agency) -> set[str]:
    config = ctx.board.config.get(ALIASES_KEY) or {}
    return {_norm(x) for x in config.get(a.name, ())}


def _kind(a: Agency) -> set[str]:
    if not a.category:
        return set()
    k = _norm(a.category)
    return {k, k + "s", k.removesuffix("s")}


def named(ctx: Context, phrase: str) -> list[Agency]:
    """The agencies a phrase names: the full name, else an alias, else a kind, else every
    agency whose name has all the words (each word the start of one of the name's)."""
    words = _norm(phrase).split()
    if words[:1] == ["the"]:
        words = words[1:]
    if not words:
        return []
    key = " ".join(words)
    every = members.all_agencies(ctx.session)
    for level in (
        [a for a in every if _norm(a.name) == key],
        [a for a in every if key in _aliases(ctx, a)],
        [a for a in every if key in _kind(a)],
    ):
        if level:
            return level
    if all(w in {"the", "of", "and", "for", "&"} for w in words):
        return []
    return [
        a for a in every if all(any(n.startswith(w) for n in _norm(a.name).split()) for w in words)
    ]


def or_list(found: Sequence[Agency]) -> str:
    names = [a.name for a in found]
    return names[0] if len(names) == 1 else "; ".join(names[:-1]) + " or " + names[-1]


def leading(ctx: Context, words: list[str]) -> tuple[list[Agency], int]:
    """The agencies named by the longest leading run of words, and how many words it used."""
    found, used = take_longest(words, lambda s: named(ctx, s) or None)
    return found or [], used


def close_to(ctx: Context, words: list[str]) -> list[Agency]:
    """Agencies whose name, alias or kind is spelled like the first few words (a typo)."""
    every = members.all_agencies(ctx.session)
    spelled: dict[str, Agency] = {}
    for a in every:
        for s in {_norm(a.name), *_aliases(ctx, a), *_kind(a)}:
            spelled.setdefault(s, a)
    out: list[Agency] = []
    for n in range(min(len(words), 5), 0, -1):
        for k in get_close_matches(_norm(" ".join(words[:n])), list(spelled), n=3, cutoff=0.8):
            if spelled[k] not in out:
                out.append(spelled[k])
    return out


def required(ctx: Context, words: list[str], usage: str) -> tuple[Agency, int]:
    """The agency the words after `agency` name, where one must be named (a filter, an update)."""
    found, used = leading(ctx, words)
    if len(found) == 1:
        return found[0], used
    typed = " ".join(words[:used] if used else words)
    if found:
        raise NotFound(f'"{typed}" could be {or_list(found)}: which one?', usage)
    close = close_to(ctx, words)
    if close:
        raise NotFound(f'No agency matches "{typed}". Did you mean {or_list(close)}?', usage)
    names = "; ".join(a.name for a in members.all_agencies(ctx.session))
    raise NotFound(f'No agency matches "{typed}". Agencies: {names}.', usage)


def in_text(ctx: Context, words: list[str], usage: str) -> tuple[Agency | None, int]:
    """The agency after `agency` in a line that also has free text ("Agency leads to sign off"
    is text): found, or (None, 0) when the words are ordinary text. When they nearly name one
    agency, or name several, the answer is a question that also says how to keep the text."""
    found, used = leading(ctx, words)
    if len(found) == 1:
        return found[0], used
    if found:
        typed = " ".join(words[:used])
        raise FieldError(
            f'"agency {typed}" could be {or_list(found)}: say which, or {QUOTE_HINT}.',
            usage,
            field="agency",
        )
    close = close_to(ctx, words)
    if close:
        raise FieldError(
            f'Did you mean agency {or_list(close)}? Say its name, or {QUOTE_HINT}.',
            usage,
            field="agency",
        )
    return None, 0


def called(ctx: Context, name: str, usage: str) -> Agency:
    """The agency a request names as a whole (a form's field, a parsed name)."""
    found = named(ctx, name)
    if len(found) == 1:
        return found[0]
    return required(ctx, name.split(), usage)[0]
