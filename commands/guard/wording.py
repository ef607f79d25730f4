"""What the person is told: what was found, in plain words, with examples from their own area."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from commands.guard.hits import GuardHit
from commands.guard.vocabulary import BoardVocabulary, as_vocabulary


def describe_findings(hits: Sequence[GuardHit], *, excerpts: bool = True) -> str:
    """"an NHS number (94…9) and a full postcode beside a name (GU…H)"."""
    seen: dict[str, list[str]] = {}
    for h in hits:
        seen.setdefault(h.kind, []).append(h.excerpt)
    parts = [f"{kind} ({', '.join(ex)})" if excerpts else kind for kind, ex in seen.items()]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def refusal_message(hits: Sequence[GuardHit], vocabulary: BoardVocabulary | Iterable[str] = ()) -> str:
    area = as_vocabulary(vocabulary).area or "your area"
    return (
        "Nothing was saved: the text looks like it could identify a child or family — "
        f"{describe_findings(hits)}. Please reword it without identifying details "
        f"(e.g. 'Child A', 'a family in {area}')."
    )
