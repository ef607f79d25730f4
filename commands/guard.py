"""Safeguarding guard: text that looks like it identifies a child or family is never stored.

What trips it: a valid NHS number (modulus-11 check digit), a date of birth (a date beside
"DOB", "born" or "date of birth"), a National Insurance number, or a full postcode beside
a person's name. Due dates, agency names and references must not trip it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_NHS = re.compile(r"(?<![\d-])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d-])")
_DATE = r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?\s+\d{4})"
_DOB = re.compile(
    rf"\b(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|birth\s*date|born(?:\s+on)?)\s*[:\-]?\s*{_DATE}"
    rf"|{_DATE}\s*\(?\s*(?:d\.?o\.?b\.?)\b",
    re.I,
)
# HMRC: two prefix letters (not D F I Q U V; second not O), six digits, suffix A-D.
_NINO = re.compile(
    r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b"
)
_POSTCODE = re.compile(r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b")
_NAME = re.compile(r"\b(?:(?:Mr|Mrs|Ms|Miss|Master|Dr)\.?\s+)?([A-Z][a-z'’-]+)\s+([A-Z][a-z'’-]+)\b")
_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Master|Dr)\.?\s+[A-Z][a-z'’-]+")

# Capitalised words that are not people's names in this domain.
_COMMON = {
    "the",
    "a",
    "an",
    "and",
    "of",
    "for",
    "to",
    "in",
    "on",
    "at",
    "by",
    "with",
    "from",
    "surrey",
    "police",
    "county",
    "council",
    "children",
    "children's",
    "childrens",
    "services",
    "service",
    "health",
    "nhs",
    "trust",
    "foundation",
    "hospital",
    "clinical",
    "commissioning",
    "group",
    "board",
    "safeguarding",
    "section",
    "panel",
    "scrutiny",
    "early",
    "help",
    "child",
    "protection",
    "neglect",
    "domestic",
    "abuse",
    "sexual",
    "exploitation",
    "schools",
    "school",
    "colleges",
    "college",
    "voluntary",
    "sector",
    "third",
    "faith",
    "forum",
    "office",
    "house",
    "road",
    "street",
    "lane",
    "avenue",
    "centre",
    "center",
    "court",
    "review",
    "audit",
    "action",
    "finding",
    "meeting",
    "independent",
    "chair",
    "officer",
    "lead",
    "team",
    "unit",
    "hub",
    "local",
    "authority",
    "partnership",
    "probation",
    "fire",
    "rescue",
    "ambulance",
    "youth",
    "offending",
    "housing",
    "education",
    "academy",
    "primary",
    "secondary",
    "community",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "mash",
    "cse",
    "qa",
    "qae",
    "sscb",
    "please",
    "next",
    "end",
    "due",
    "agency",
    "update",
    "report",
    "plan",
    "send",
    "share",
    "check",
    "ask",
    "chase",
    "visit",
    "meet",
    "write",
    "contact",
    "confirm",
    "guildford",
    "woking",
    "epsom",
    "reigate",
    "redhill",
    "staines",
    "camberley",
    "farnham",
    "leatherhead",
    "dorking",
    "godalming",
}


@dataclass(frozen=True)
class GuardHit:
    kind: str
    excerpt: str

    def describe(self) -> str:
        return f"{self.kind} ({self.excerpt})"


def nhs_number_valid(digits: str) -> bool:
    """NHS numbers carry a modulus-11 check digit; 10 is never a valid check digit."""
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _mask(s: str) -> str:
    s = s.strip()
    return s[:2] + "…" + s[-1:] if len(s) > 4 else "…"


def _names(text: str, allow: set[str]) -> Iterable[re.Match[str]]:
    for m in _NAME.finditer(text):
        words = {m.group(1).lower(), m.group(2).lower()}
        if words & (_COMMON | allow):
            continue
        yield m


def check(text: str, allowed_words: Iterable[str] = ()) -> list[GuardHit]:
    """What in the text looks like it identifies a child or family (empty when clean).

    `allowed_words` are words of the board's own agency and member names, never a child's.
    """
    allow = {w.lower() for name in allowed_words for w in re.findall(r"[A-Za-z'’-]+", name)}
    hits: list[GuardHit] = []
    for m in _NHS.finditer(text):
        if nhs_number_valid("".join(m.groups())):
            hits.append(GuardHit("an NHS number", _mask(m.group(0))))
    for m in _DOB.finditer(text):
        hits.append(GuardHit("a date of birth", _mask(m.group(0))))
    for m in _NINO.finditer(text.upper()):
        hits.append(GuardHit("a National Insurance number", _mask(m.group(0))))
    for pc in _POSTCODE.finditer(text):
        near = text[max(0, pc.start() - 80) : pc.end() + 80]
        if any(True for _ in _names(near, allow)) or _TITLE.search(near):
            hits.append(GuardHit("a full postcode beside a name", _mask(pc.group(0))))
    return hits
