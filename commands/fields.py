"""Field types shared by the typed requests: what a form may send, normalised as the command
line would have it (a priority tag or its name, a RAG in any case, @handle or a mention)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BeforeValidator

from commands.grammar import PRIORITIES, PRIORITY_TAGS, mention_of

_PRIORITY_NAMES = {name.lower(): name for name in PRIORITIES.values()}


def _priority(value: object) -> object:
    if not isinstance(value, str):
        return value
    if value.strip().lower() in _PRIORITY_NAMES:
        return _PRIORITY_NAMES[value.strip().lower()]
    key = value.strip().lstrip("#").lower()
    if key in PRIORITIES:
        return PRIORITIES[key]
    raise ValueError(f'"#{key}" is not a business-plan priority: use one of {PRIORITY_TAGS}.')


def _lower(value: object) -> object:
    return value.strip().lower() if isinstance(value, str) else value


def _member(value: object) -> object:
    """`@pol` → `pol`; a platform mention is kept as the grammar reads it."""
    if not isinstance(value, str):
        return value
    return mention_of(value.strip()) or value.strip()


# A business-plan priority's name ("Child Protection"); a tag ("cp", "#cp") is accepted.
Priority = Annotated[str, BeforeValidator(_priority)]
RagValue = Literal["red", "amber", "green"]
Rag = Annotated[RagValue, BeforeValidator(_lower)]
# A board member: their handle, or a platform mention as grammar.mention_of reads it.
MemberRef = Annotated[str, BeforeValidator(_member)]


def _reference(prefix: str) -> BeforeValidator:
    def read(value: object) -> object:
        if isinstance(value, str):
            m = re.fullmatch(rf"(?:{prefix}-?)?(\d{{1,9}})", value.strip(), re.I)
            if not m:
                raise ValueError(f'"{value}" is not a reference like {prefix}-12.')
            return int(m.group(1))
        return value

    return BeforeValidator(read)


# An item's number; "A-12", "a12" and "12" are accepted.
ActionRef = Annotated[int, _reference("A")]
FindingRef = Annotated[int, _reference("F")]
