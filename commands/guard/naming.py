"""A child's name beside what singles the child out: an age ("Jayden Smith, 7", "Jayden, aged 7",
"7-year-old Jayden Smith"), a school year or a school ("Jayden Smith Year 4 at St Mary's")."""

from __future__ import annotations

import re

from commands.guard import wordlists
from commands.guard.context import ROLE_WORD, clause, professional
from commands.guard.hits import NAME_WITH_AGE, NAME_WITH_SCHOOL, GuardHit, hit
from commands.guard.people import Person

_UNIT = r"(?:years?|yrs?|y\.?o\.?|y/o|yo)(?:\s*old)?|(?:months?|mths?|weeks?)(?:\s*old)?"
# Straight after the name, an age said as one: "aged 7", "(7)", "7 years old", "- 7yo".
_EXPLICIT_AFTER = re.compile(
    rf"\s*[,(-]?\s*(?:(?:is\s+)?aged?\s*:?\s*\d{{1,2}}(?:\s*(?:{_UNIT}))?|\(\s*\d{{1,2}}\s*(?:{_UNIT}|y)?\s*\)"
    rf"|\d{{1,2}}\s*(?:{_UNIT}))(?!\w)",
    re.I,
)
# "Jayden Smith, 7" — a bare number after a comma, followed by nothing that makes it a count.
_BARE_AFTER = re.compile(
    r"\s*,\s*(?:1[0-9]|[0-9])(?=\s*(?:$|[,.;:!?)-]|and\b|with\b|who\b|is\b|was\b|has\b|lives\b|attends\b|"
    r"from\b|in\b|at\b))",
    re.I,
)
_BEFORE = re.compile(r"(?:\b\d{1,2}[- ]?(?:year|yr|month|week)s?[- ]?old|\baged?\s*\d{1,2})[\s,]*$", re.I)

_SCHOOL_YEAR = re.compile(
    r"\b(?:(?:year|yr|y)\s?(?:1[0-3]|[1-9]|r)|reception|nursery|sixth\s+form|year\s+(?:one|two|three|"
    r"four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen))\b(?!\s*(?:of|cycle|plan|review|"
    r"programme|report|data|\d))",
    re.I,
)
_SCHOOL = re.compile(
    r"\b(?:st\.?|saint)\s+[^\W\d_][\w']*|\b(?:[^\W\d_][\w'-]*\s+){1,4}"
    r"(?:school|academy|primary|infants?|juniors?|college|nursery|pre-?school|high)\b|"
    r"\b(?:attends|attending|pupil\s+at|on\s+roll\s+at|goes\s+to\s+school)\b",
    re.I,
)
def _aged(text: str, p: Person) -> bool:
    if _EXPLICIT_AFTER.match(text, p.end) or _BEFORE.search(text[max(0, p.start - 25) : p.start]):
        return True
    if p.kind == "unlisted" and p.words[-1].lower() not in wordlists.surnames():
        return False  # "Kingsgate Conference, 7": only a known surname makes a bare number an age
    return bool(_BARE_AFTER.match(text, p.end))


# A relationship word before an unlisted first name: "daughter Oliwia, 6", "baby Zainab (3 months)".
_RELATIVE_NAMED = re.compile(
    r"\b(?:son|daughter|child|baby|brother|sister|sibling|twin|grandson|granddaughter|stepson|"
    r"stepdaughter|nephew|niece|boy|girl)\s+(?P<name>[A-Z][a-z'-]{2,})"
)


def _relatives_named(text: str, people: list[Person]) -> list[Person]:
    known = {(p.start, p.end) for p in people}
    out = []
    for m in _RELATIVE_NAMED.finditer(text):
        if m.group("name").lower() not in wordlists.common_words() and m.span("name") not in known:
            out.append(Person(m.start("name"), m.end("name"), "first", (m.group("name"),)))
    return out


def name_context_hits(text: str, people: list[Person]) -> list[GuardHit]:
    out = []
    people = people + _relatives_named(text, people)
    for p in people:
        if p.kind == "title":
            continue  # an adult ("Mrs Okafor"): only an address or number beside it identifies
        if _aged(text, p):
            kind = "a child's full name beside an age" if p.kind == "full" else "a name beside an age"
            out.append(hit(NAME_WITH_AGE, kind, text, p.start, p.end))
            continue
        lo, hi = clause(text, p.start, p.end, window=60)
        year = _SCHOOL_YEAR.search(text, lo, hi)
        school = _SCHOOL.search(text, p.end, hi) or _SCHOOL.search(text[: p.start], lo)
        if school is not None:
            between = text[min(p.end, school.start()) : max(p.start, school.end())]
            if ROLE_WORD.search(between) or professional(text, p):
                school = None
        if (p.kind == "full" and (year or school)) or (year and (school or p.kind == "unlisted")):
            kind = "a child's name beside a school year or school"
            out.append(hit(NAME_WITH_SCHOOL, kind, text, p.start, p.end))
    return out
