"""What stands beside a detail: the clause around it, a person's name in it, a family word."""

from __future__ import annotations

import re

from commands.guard.people import Person

# Clauses end at a full stop before a capital, a semicolon, a bullet or a new line.
_CLAUSE_END = re.compile(r"[;!?\n•|]|\.(?=\s+[A-Z])|\s-\s|\s–\s")
WINDOW = 70

# Words that put a detail in a family's home: "Family at SW1A 1AA Smith household", "mum's mobile".
_HOUSEHOLD = re.compile(
    r"\b(?:famil(?:y|ies)(?!\s+(?:centres?|centers?|hubs?|court|support|services?|groups?|nurses?|"
    r"partnership|justice|information|learning|links?|liaison|action|lives|drug|workers?|"
    r"practitioners?|help|first|teams?|together|plus|matters|fund|forum|panel|programme|service))|households?|home(?!\s*(?:office|-start|start|education|page|screen))|"
    r"lives|living|resides|residing|reside|mum|mummy|mother|mom|dad|daddy|father|parents?|"
    r"carers?|step-?(?:mum|dad|mother|father)|grand(?:mother|father|parents?|ma|pa|-?dad|-?mum|da)|"
    r"nan|nana|nanna|gran|grandad|"
    r"granny|siblings?|brother|sister|aunt(?:ie)?|uncle|cousin|boyfriend|girlfriend|"
    r"ex-?partner|foster(?:\s+carers?)?|kinship)(?:'s)?\b",
    re.I,
)


def clause(text: str, start: int, end: int, window: int = WINDOW) -> tuple[int, int]:
    """The span of the clause around [start, end), at most `window` characters either side."""
    lo = max(0, start - window)
    hi = min(len(text), end + window)
    for m in _CLAUSE_END.finditer(text, lo, start):
        lo = m.end()
    stop = _CLAUSE_END.search(text, end, hi)
    if stop:
        hi = stop.start()
    return lo, hi


def people_in(people: list[Person], lo: int, hi: int) -> list[Person]:
    return [p for p in people if p.start >= lo and p.end <= hi]


# Collective words written with a capital inside a sentence are part of a name: "Centre for
# Children and Families", "Parents Forum". "Mum", "Nan" count however they are written.
_COLLECTIVE = re.compile(r"famil|household|home|parent|carer|foster|kinship", re.I)


def household_word_in(text: str, lo: int, hi: int) -> bool:
    for m in _HOUSEHOLD.finditer(text, lo, hi):
        word = m.group(0)
        initial = not text[lo : m.start()].strip(" ,:;-('\"")
        if word[0].isupper() and not initial and not word.isupper() and _COLLECTIVE.match(word):
            continue
        return True
    return False


_ROLE = (
    r"head\s+of\s+\w+|head\s?teacher|head|teacher|dsl|designated\s+\w+|lead|governor|senco|manager|"
    r"officer|nurse|social\s+worker|worker|chair|co-?ordinator|principal|deputy|advis[eo]r|practitioner|"
    r"director|consultant|doctor|gp|paediatrician|inspector|detective|sergeant|constable|solicitor|"
    r"clerk|administrator|assistant|analyst|commissioner|ceo|manager|mentor|trustee|bursar"
)
# "Jane Smith, Head of Service", "Jane Smith (MASH manager)", "Headteacher Jane Doe".
_ROLE_AFTER = re.compile(rf"\s*[,(–-]\s*(?:[\w'&]+\s+){{0,3}}?(?:{_ROLE})\b", re.I)
_ROLE_BEFORE = re.compile(rf"\b(?:{_ROLE})\s*:?\s*$", re.I)
ROLE_WORD = re.compile(rf"\b(?:{_ROLE}|staff|business)\b", re.I)


def professional(text: str, person: Person) -> bool:
    """A person named with their job is an adult at work, not a child or a family member."""
    if _ROLE_AFTER.match(text, person.end):
        return True
    return bool(_ROLE_BEFORE.search(text[max(0, person.start - 30) : person.start]))


# A building's name between a person and a postcode makes the postcode that building's.
VENUE_WORD = re.compile(
    r"\b(?:Centre|Center|House|Hall|Offices?|HQ|Headquarters|Building|Station|Hospital|Library|"
    r"Council|Police|School|Academy|College|Surgery|Clinic|Church|Chambers|Trust|Court|Partnership|"
    r"Board|Hub|Suite|Room|Hotel|Campus|Civic|County|Borough|Unit|Business|Park)\b"
    r"|\b(?i:venue|meet(?:ing)?\s+at|held\s+at)\b"
)
