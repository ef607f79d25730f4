"""Run every signal over the normalised text and collect what was found."""

from __future__ import annotations

from collections.abc import Iterable

from commands.guard.birth import dob_hits
from commands.guard.contact import email_hits, phone_hits
from commands.guard.hits import GuardHit
from commands.guard.identifiers import nhs_hits, nino_hits, upn_hits
from commands.guard.naming import name_context_hits
from commands.guard.normalise import blank_links, normalise
from commands.guard.people import Person, find_people
from commands.guard.places import address_hits, postcode_hits
from commands.guard.vocabulary import BoardVocabulary, as_vocabulary


def scan(text: str, vocabulary: BoardVocabulary) -> tuple[str, list[Person], list[GuardHit]]:
    """The normalised text, the people named in it and every hit (offsets into that text)."""
    norm = normalise(text)
    prose = blank_links(norm)  # digits and words inside links are not identifiers
    people = find_people(prose, vocabulary)
    hits = [
        *nhs_hits(prose),
        *nino_hits(prose),
        *upn_hits(prose),
        *dob_hits(prose),
        *name_context_hits(prose, people),
        *postcode_hits(prose, people),
        *address_hits(prose, vocabulary),
        *phone_hits(prose, people, vocabulary),
        *email_hits(norm, vocabulary),
    ]
    hits.sort(key=lambda h: (h.start, h.end))
    return norm, people, hits


def check(text: str, vocabulary: BoardVocabulary | Iterable[str] = ()) -> list[GuardHit]:
    """What in the text looks like it identifies a child or family (empty when clean).

    `vocabulary` is the board's `BoardVocabulary`; a plain list of names is read as whole agency
    names (never as single words).
    """
    return scan(text, as_vocabulary(vocabulary))[2]
