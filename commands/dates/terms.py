"""School term dates from the board file, so "due end of term" means a day.

terms:
  - {name: Autumn, starts: 2026-09-03, ends: 2026-12-18}
  - {name: Spring, starts: 05/01/2027, ends: 26/03/2027}
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from itertools import pairwise
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class Term(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    name: str = Field(min_length=1, max_length=40)
    starts: date
    ends: date

    @field_validator("starts", "ends", mode="before")
    @classmethod
    def _uk_order(cls, v: Any) -> Any:
        """Accept 03/09/2026 as the 3rd of September, as a UK officer writes it."""
        m = _UK_DATE.match(v.strip()) if isinstance(v, str) else None
        return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m else v

    @model_validator(mode="after")
    def _ends_after_start(self) -> Term:
        if self.ends < self.starts:
            raise ValueError(f"term {self.name!r} ends ({self.ends}) before it starts ({self.starts})")
        return self

    @property
    def key(self) -> str:
        """The name as officers say it: "autumn" for "Autumn term"."""
        return re.sub(r"\s+term$", "", self.name.strip().lower())


def _no_overlaps(terms: list[Term]) -> list[Term]:
    ordered = sorted(terms, key=lambda t: t.starts)
    for a, b in pairwise(ordered):
        if b.starts <= a.ends:
            raise ValueError(f"terms {a.name!r} and {b.name!r} overlap: {b.name} starts before {a.name} ends")
    return ordered


# The board file's `terms:` section: validated at import, kept in start order.
Terms = Annotated[list[Term], AfterValidator(_no_overlaps)]


def terms_of(config: Mapping[str, Any] | None) -> tuple[Term, ...]:
    """The terms saved from the board file (validated on import; none if absent or unreadable)."""
    raw = (config or {}).get("terms") or []
    try:
        return tuple(Term.model_validate(t) for t in raw)
    except (ValidationError, TypeError):
        return ()


def terms_named(terms: tuple[Term, ...], words: str) -> list[Term]:
    """Terms matching "autumn", "the autumn term" or "autumn 2026"."""
    text = re.sub(r"^the\s+", "", words.strip().lower())
    year = None
    if m := re.fullmatch(r"(.+?)\s+(\d{4})", text):
        text, year = m.group(1), int(m.group(2))
    text = re.sub(r"\s+term$", "", text)
    return [t for t in terms if t.key == text and (year is None or year in (t.starts.year, t.ends.year))]
