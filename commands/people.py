"""Board members the way people name them: `@handle`, a platform mention, or their name
(`owner Tom Baines`, `@Tom Baines`, `(@claire.wood)`), with "did you mean" drawn from the
whole board. A person named in ordinary text is shown by name, never as a raw mention token."""

from __future__ import annotations

import re
from difflib import get_close_matches

from commands.context import Context
from commands.errors import NotFound
from commands.grammar import Parsed, quoted_tokens, take_longest
from commands.types import mentioned
from store import members
from store.models import Member

NOT_ON_BOARD = "someone not on the board"
QUOTE_HINT = "put the text in double quotes if it is part of what you are saying"


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def shown(m: Member) -> str:
    return f"@{m.handle} ({m.name})"


def or_list(found: list[Member]) -> str:
    names = [shown(m) for m in found]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def named(ctx: Context, phrase: str) -> list[Member]:
    """The members a phrase names exactly: a handle or a full name, in any case."""
    key = _norm(phrase.lstrip("@"))
    if not key:
        return []
    everyone = members.all_members(ctx.session)
    by_handle = [m for m in everyone if m.handle.lower() == key]
    return by_handle or [m for m in everyone if _norm(m.name) == key]


def similar(ctx: Context, phrase: str, limit: int = 5) -> list[Member]:
    """Members whose handle or name is close to the phrase (a first name, a surname, a typo)."""
    key = _norm(phrase.lstrip("@"))
    if not key:
        return []
    everyone = members.all_members(ctx.session)
    out = [
        m
        for m in everyone
        if m.handle.lower().startswith(key) or key in _norm(m.name).split() or _norm(m.name).startswith(key)
    ]
    spelled = {m.handle.lower(): m for m in everyone} | {_norm(m.name): m for m in everyone}
    for k in get_close_matches(key, list(spelled), n=limit, cutoff=0.75):
        if spelled[k] not in out:
            out.append(spelled[k])
    return out[:limit]


def member(ctx: Context, ref: str, usage: str) -> Member:
    """The member a command names: a mention token (looked up by the platform's address),
    a handle or a full name; otherwise "did you mean" from the whole board."""
    where = mentioned(ref)
    if where:
        found = members.by_platform_id(ctx.session, *where)
        if found is None:
            raise NotFound(
                f"There is no board member with that {where[0].title()} account: the person you "
                "mentioned is not on the board. Name a board member, or ask the QA officer to "
                "add them to the board file.",
                usage,
            )
        return found
    exact = named(ctx, ref)
    if len(exact) == 1:
        return exact[0]
    if exact:
        raise NotFound(f'"{ref}" could be {or_list(exact)}: name one by @handle.', usage)
    close = similar(ctx, ref)
    if close:
        raise NotFound(f"There is no board member @{ref}. Did you mean {or_list(close)}?", usage)
    everyone = ", ".join("@" + m.handle for m in members.all_members(ctx.session))
    raise NotFound(f"There is no board member @{ref}. Members: {everyone}.", usage)


def as_text(ctx: Context, ref: str) -> str:
    """A person named inside ordinary text, as the text should read: `@handle` as typed, a
    platform mention as the member's name, or "someone not on the board"."""
    where = mentioned(ref)
    if not where:
        return "@" + ref
    found = members.by_platform_id(ctx.session, *where)
    return found.name if found else NOT_ON_BOARD


def after_owner(ctx: Context, words: list[str], usage: str) -> tuple[Member | None, int]:
    """The member named by the words after `owner` ("owner Tom Baines", "owner pol") and how
    many words that took; (None, 0) when they are ordinary text ("the owner of the data").
    A first name alone that fits someone is asked about rather than guessed."""
    found, used = take_longest(words, lambda s: named(ctx, s) or None, max_words=4)
    if found is not None and len(found) > 1:
        raise NotFound(
            f'"owner {" ".join(words[:used])}" could be {or_list(found)}: name one by @handle, '
            f'or {QUOTE_HINT}.',
            usage,
        )
    if found is not None:
        return found[0], used
    first = words[0].lower() if words else ""
    fits = [m for m in members.all_members(ctx.session) if _norm(m.name).split()[:1] == [first]]
    if fits:
        raise NotFound(
            f'Is "owner {words[0]}" {or_list(fits)}? Name the owner by @handle or full name, '
            f'or {QUOTE_HINT}.',
            usage,
        )
    return None, 0


_AT_NAME = re.compile(r"@([^\s\"“”@#<>]+)")


def join_named(ctx: Context, text: str) -> str:
    """`@Tom Baines` (a name typed after @, as Slack and Teams show people) as `@<handle>`, when
    the words after the @ are a board member's full name; quoted text is left as typed."""
    if "@" not in text:
        return text
    tokens = quoted_tokens(text)
    everyone = {_norm(m.name): m.handle for m in members.all_members(ctx.session)}
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok, quoted = tokens[i]
        m = None if quoted else _AT_NAME.fullmatch(tok.lstrip("("))
        if m and m.group(1).lower() not in {h.lower() for h in everyone.values()}:
            for n in range(min(4, len(tokens) - i), 1, -1):
                parts = [m.group(1), *(t for t, _ in tokens[i + 1 : i + n])]
                if any(q for _, q in tokens[i + 1 : i + n]):
                    continue
                name = _norm(" ".join(parts).rstrip(").,;:!?"))
                if name in everyone:
                    tail = parts[-1][len(parts[-1].rstrip(").,;:!?")) :]
                    out.append("@" + everyone[name] + tail)
                    i += n
                    break
            else:
                out.append(_requote(tok, quoted))
                i += 1
            continue
        out.append(_requote(tok, quoted))
        i += 1
    return " ".join(out)


def _requote(tok: str, quoted: bool) -> str:
    return f'"{tok}"' if quoted else tok


def owner_and_text(ctx: Context, p: Parsed, used: dict[str, int], usage: str) -> str | None:
    """Who owns the action a parsed line describes: `owner <name>`, else the first @person.
    Every other person named stays in the text, shown by name."""
    owner: str | None = None
    if "owner" in p.options:
        words = p.options["owner"]
        next_token = p.seq.get("owner", -2) + 1
        right_after = [i for i, n in enumerate(p.mention_seq) if n == next_token]
        if not words and right_after:  # "owner @pol"
            del p.options["owner"], p.positions["owner"]
            p.seq.pop("owner", None)
            i = right_after[0]
            owner = p.mentions[i]
            _drop_mention(p, i)
        else:
            found, n = after_owner(ctx, words, usage)
            if found is None:
                p.fold("owner")
            else:
                owner, used["owner"] = found.handle, n
    if owner is None and p.mentions:
        owner = p.mentions[0]
        _drop_mention(p, 0)
    for i in reversed(range(len(p.mentions))):
        p.unmention(i, as_text(ctx, p.mentions[i]))
    return owner


def _drop_mention(p: Parsed, index: int) -> None:
    for kept in (p.mentions, p.mention_positions, p.mention_seq):
        kept.pop(index)
