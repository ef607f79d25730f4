"""Where a family lives: a full UK postcode (any format, any case) beside a person's name or a
family word, and a home address (a house number and a street)."""

from __future__ import annotations

import re

from commands.guard.context import VENUE_WORD, clause, household_word_in, people_in, professional
from commands.guard.hits import HOME_ADDRESS, POSTCODE, GuardHit, hit
from commands.guard.normalise import word_set
from commands.guard.people import Person
from commands.guard.tokens import tokens
from commands.guard.vocabulary import BoardVocabulary, phrase_spans

# The 121 postcode areas of the UK and the Crown dependencies.
_AREAS = word_set("""AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT
DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN
LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR
SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE""")
# The shape first (fast), then the area checked against the list.
POSTCODE_RE = re.compile(
    r"(?<![A-Za-z0-9])(?P<area>[A-Za-z]{1,2})(?:\d[A-Za-z]|\d{1,2})\s?\d[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2}"
    r"(?![A-Za-z0-9])"
)


def postcodes(text: str) -> list[re.Match[str]]:
    return [m for m in POSTCODE_RE.finditer(text) if m.group("area").upper() in _AREAS]


def _beside_person(text: str, person: Person, postcode: re.Match[str]) -> bool:
    """A child's or family member's name, not a professional's and not across a venue's name."""
    if person.kind == "unlisted" or professional(text, person):
        return False
    between = text[min(person.end, postcode.end()) : max(person.start, postcode.start())]
    return not VENUE_WORD.search(between)


def postcode_hits(text: str, people: list[Person]) -> list[GuardHit]:
    out = []
    for m in postcodes(text):
        lo, hi = clause(text, m.start(), m.end())
        if any(_beside_person(text, p, m) for p in people_in(people, lo, hi)):
            kind = "a full postcode beside a name"
        elif household_word_in(text, lo, hi):
            kind = "a full postcode beside a family or home word"
        else:
            continue  # an agency's office or a venue
        out.append(hit(POSTCODE, kind, text, m.start(), m.end()))
    return out


_STRONG_TYPES = r"street|road|avenue|lane|crescent|grove|gardens|terrace|mews|drive|close"
_WEAK_TYPES = (
    r"way|place|court|square|rise|walk|hill|park|row|view|green|parade|vale|end|gate|"
    r"st|rd|ave|ln|cres|gdns|tce|dr|cl"
)
_ADDRESS = re.compile(
    r"(?<![\w/£$€.:-])(?:(?:flat|apartment|apt)\.?\s*\d{1,3}[a-z]?\s*,?\s*)?"
    r"(?P<number>\d{1,3}[a-z]?)(?:\s*-\s*\d{1,3}[a-z]?)?,?\s+"
    r"(?P<name>(?:[^\W\d_][\w'-]*\s+){0,2}[^\W\d_][\w'-]*)\s+"
    rf"(?P<type>{_STRONG_TYPES}|{_WEAK_TYPES})\b\.?",
    re.I,
)
_STREET_NAME_STOP = re.compile(
    r"\b(?:of|the|and|or|to|for|in|on|at|with|new|more|cases?|children|families|referrals?|actions?|"
    r"agencies|schools?|days?|weeks?|months?|years?|items?|plans?|reviews?|audits?|staff|people|"
    r"members?|hours?|per|out|test|early|help|main)\b",
    re.I,
)
def _street_ok(m: re.Match[str]) -> bool:
    name, kind = m.group("name"), m.group("type")
    if _STREET_NAME_STOP.search(name) and not name.istitle():
        return False
    if re.fullmatch(_STRONG_TYPES, kind, re.I):
        return True
    # "way", "place", "court"… read as a street only when written like one: "Acacia Way".
    return name.istitle() and kind[:1].isupper()


# Where a practitioner says someone lives, a house number and a name is a home address even
# without a street type ("Home visit to 485 Payne Harbors", "lives at 7 Oakfield").
_HOME_CUE = re.compile(
    r"(?:\b(?:lives|living|lived|resides|residing|staying|stays)\s+at"
    r"|\bhome\s+visits?\s+(?:to|at)|\bvisited\s+(?:the\s+family\s+)?at"
    r"|\bhome\s+address(?:\s+is)?\s*:?)\s*$",
    re.I,
)
_NUMBERED_NAME = re.compile(
    r"(?<![\w/£$€.:-])(?:(?:flat|studio|apartment|apt|unit)\.?\s*)?\d{1,3}[a-z]?,?\s+(?:\d{1,3}[a-z]?,?\s+)?"
    r"(?P<name>[^\W\d_][\w'-]*(?:\s+(?!(?:with|for|and|or|in|on|to|the|at|from|by|about)\b)[^\W\d_][\w'-]*){0,2})",
    re.I,
)
_NOT_A_STREET = re.compile(
    r"^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b|\b(?:am|pm|o'clock|minutes?|"
    r"days?|weeks?|months?|years?|hours?|times?|children|people|cases?|families|of|per|percent)\b",
    re.I,
)


def _cued_addresses(text: str) -> list[re.Match[str]]:
    """A house number and up to three words right after a residential cue."""
    return [
        m
        for m in _NUMBERED_NAME.finditer(text)
        if _HOME_CUE.search(text, max(0, m.start() - 40), m.start())
        and not _NOT_A_STREET.search(m.group("name"))
    ]


def address_hits(text: str, vocabulary: BoardVocabulary) -> list[GuardHit]:
    out = [hit(HOME_ADDRESS, "a home address", text, m.start(), m.end()) for m in _cued_addresses(text)]
    known: list[tuple[int, int]] | None = None
    for m in _ADDRESS.finditer(text):
        if not _street_ok(m):
            continue
        if known is None:
            toks = tokens(text)
            known = [(toks[a].start, toks[b - 1].end) for a, b in phrase_spans(toks, vocabulary)]
        residential = m.group(0).lower().startswith(("flat", "apartment", "apt"))
        lo, _ = clause(text, m.start(), m.end(), window=60)
        venue = bool(VENUE_WORD.search(text, lo, m.start())) or any(lo <= e <= m.start() for _, e in known)
        if venue and not residential:
            continue
        out.append(hit(HOME_ADDRESS, "a home address", text, m.start(), m.end()))
    return out
