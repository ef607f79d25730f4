"""What the guard found: one hit per identifying detail, named by its signal."""

from __future__ import annotations

from dataclasses import dataclass

# The named signals, each tested on its own (tests/test_guard_signals.py).
NHS_NUMBER = "nhs_number"
DATE_OF_BIRTH = "date_of_birth"
NI_NUMBER = "ni_number"
UPN = "upn"
POSTCODE = "postcode"
NAME_WITH_AGE = "name_with_age"
NAME_WITH_SCHOOL = "name_with_school"
HOME_ADDRESS = "home_address"
PHONE = "phone"
EMAIL = "email"
SIGNALS = (
    NHS_NUMBER,
    DATE_OF_BIRTH,
    NI_NUMBER,
    UPN,
    POSTCODE,
    NAME_WITH_AGE,
    NAME_WITH_SCHOOL,
    HOME_ADDRESS,
    PHONE,
    EMAIL,
)


@dataclass(frozen=True)
class GuardHit:
    """`kind` is what the person is told ("an NHS number"); `excerpt` never repeats it in full.
    `start`/`end` are offsets in the normalised text (see `normalise`)."""

    kind: str
    excerpt: str
    signal: str = ""
    start: int = 0
    end: int = 0

    def describe(self) -> str:
        return f"{self.kind} ({self.excerpt})"


def mask(s: str) -> str:
    s = s.strip()
    return s[:2] + "…" + s[-1:] if len(s) > 4 else "…"


def hit(signal: str, kind: str, text: str, start: int, end: int) -> GuardHit:
    return GuardHit(kind, mask(text[start:end]), signal, start, end)
