"""What `/docs search` does around the query: the guard on the words typed and the redacted
snippets, with the board's vocabulary read once per reply as plain columns and built once per
process for the same names (store/search_vocabulary.py). The vocabulary is the one
commands/common.board_vocabulary builds (tests/sharepoint/test_search_reply.py compares them);
nothing is cached that a change to the board could make stale: the names are read every time,
only the building is skipped when they are the ones seen last."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy.orm import Session

from commands import guard, guard_offer
from commands.common import case_code
from commands.context import Context
from commands.guard import BoardVocabulary
from commands.guard.redact import redacted
from store.document_access import RESTRICTED
from store.models import Document
from store.search_vocabulary import GuardNames, guard_names, reply_reads

SNIPPET = 90


@lru_cache(maxsize=4)
def _built(names: GuardNames) -> BoardVocabulary:
    return BoardVocabulary.build(
        board_name=names.board_name,
        agencies=names.agencies,
        places=names.places,
        venues=names.venues,
        members=names.members,
        emails=names.emails,
    )


def search_vocabulary(session: Session) -> BoardVocabulary:
    """The board's vocabulary as it stands now (the names are read on every call)."""
    return _built(guard_names(session))


def search_reads(
    session: Session, fact_keys: tuple[str, ...]
) -> tuple[BoardVocabulary, dict[str, str | None]]:
    """search_vocabulary, and the sync facts a reply shows (store/state), in one round trip."""
    names, facts = reply_reads(session, fact_keys)
    return _built(names), facts


def guard_words(ctx: Context, text: str, usage: str, vocabulary: BoardVocabulary) -> None:
    """commands/common.safeguard with the vocabulary already read: refuse words that could
    identify a child or family (they come back in the reply, which the delivery record keeps)."""
    hits = guard.check(text, vocabulary)
    if hits:
        raise guard_offer.refusal(text, hits, vocabulary, usage, ctx.inbound, case_code=case_code(ctx))


def snippet(d: Document, words: list[str], vocabulary: BoardVocabulary) -> str | None:
    """A few words around the first match, from a document the viewer may see (restricted
    documents keep no text), with anything identifying redacted by the guard: a reply may be
    shown in a channel (Teams has no private replies)."""
    text = d.content_text
    if not text or d.access == RESTRICTED:
        return None
    low = text.lower()
    for w in words:
        i = low.find(w.lower())
        if i >= 0:
            start = max(0, i - SNIPPET // 2)
            piece = " ".join(text[start : start + SNIPPET].split())
            return ("…" if start else "") + redacted(piece, vocabulary) + "…"
    return None
