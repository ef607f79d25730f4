"""Text the bot shows but did not write (a document's snippet) with whatever the guard finds
replaced, rather than refused: the person still sees the document, never the identifier."""

from __future__ import annotations

from commands.guard.detector import check
from commands.guard.normalise import normalise
from commands.guard.vocabulary import BoardVocabulary

REDACTED = "[redacted]"
WITHHELD = "[text withheld: it may identify a child or family]"


def redacted(text: str, vocabulary: BoardVocabulary) -> str:
    """`text` (normalised) with each guard hit replaced by [redacted]; all of it withheld when
    a hit does not say where it is."""
    clean = normalise(text)
    hits = check(clean, vocabulary)
    if any(h.end <= h.start for h in hits):
        return WITHHELD
    for h in sorted(hits, key=lambda h: h.start, reverse=True):
        clean = clean[: h.start] + REDACTED + clean[h.end :]
    return clean
