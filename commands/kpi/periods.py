"""The period a figure is for: a calendar month or a financial-year quarter (Q1 = April to
June, Q4 = January to March of the next calendar year), as people write them.

Read: `2026-12`, `12/2026`, `Dec 2026`, `December 2026`; `Q3 2026-27`, `Q3 2026/27`,
`2026-27 Q3`. Kept (the `kpi_figures.period` column) in one canonical, sortable form:
`2026-12` for a month, `2026-27-Q3` for a quarter. Shown as `Dec 2026` and `Q3 2026-27`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Frequency = Literal["monthly", "quarterly"]
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
FULL_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
EXAMPLES = {"monthly": "2026-12 or Dec 2026", "quarterly": "Q3 2026-27 (Q1 is April to June)"}

_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_SLASH_MONTH = re.compile(r"(\d{1,2})/(\d{4})")
_NAMED_MONTH = re.compile(r"([a-z]+)\.?\s+(\d{4})")
_FY = r"(\d{4})\s*[-/]\s*(\d{2}|\d{4})"
_QUARTER_FIRST = re.compile(r"q([1-4])\s+" + _FY)
_YEAR_FIRST = re.compile(_FY + r"\s*[-\s]\s*q([1-4])")


class PeriodError(ValueError):
    """What was typed is not a period (or not one of the right kind); the message says why."""


@dataclass(frozen=True, order=True)
class Period:
    """A month (`number` 1–12 of calendar `year`) or a quarter (`number` 1–4 of the financial
    year starting in April of `year`)."""

    year: int
    number: int
    frequency: Frequency

    @property
    def key(self) -> str:
        """The canonical form kept in the database (sorts in time order within a frequency)."""
        if self.frequency == "monthly":
            return f"{self.year:04d}-{self.number:02d}"
        return f"{self.year:04d}-{(self.year + 1) % 100:02d}-Q{self.number}"

    @property
    def label(self) -> str:
        if self.frequency == "monthly":
            return f"{MONTHS[self.number - 1].capitalize()} {self.year}"
        return f"Q{self.number} {self.year}-{(self.year + 1) % 100:02d}"

    @property
    def first_day(self) -> date:
        if self.frequency == "monthly":
            return date(self.year, self.number, 1)
        month = 4 + 3 * (self.number - 1)  # Q1 April, Q2 July, Q3 October, Q4 January (13)
        return date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    def next(self) -> Period:
        top = 12 if self.frequency == "monthly" else 4
        if self.number == top:
            return Period(self.year + 1, 1, self.frequency)
        return Period(self.year, self.number + 1, self.frequency)

    def previous(self) -> Period:
        top = 12 if self.frequency == "monthly" else 4
        if self.number == 1:
            return Period(self.year - 1, top, self.frequency)
        return Period(self.year, self.number - 1, self.frequency)


def containing(d: date, frequency: Frequency) -> Period:
    """The period a day falls in."""
    if frequency == "monthly":
        return Period(d.year, d.month, "monthly")
    fy = d.year if d.month >= 4 else d.year - 1
    return Period(fy, (d.month - 4) % 12 // 3 + 1, "quarterly")


def latest_ended(d: date, frequency: Frequency) -> Period:
    """The most recent period to have ended before day `d` (the month or quarter before)."""
    return containing(d, frequency).previous()


def _fy_start(first: str, second: str) -> int:
    start = int(first)
    end = int(second)
    expected = (start + 1) % 100 if len(second) == 2 else start + 1
    if end != expected:
        raise PeriodError(
            f'"{first}-{second}" is not a financial year: the second year follows the first, '
            f"e.g. {start}-{(start + 1) % 100:02d}"
        )
    return start


def parse_any(text: str) -> Period:
    """A month or a quarter, whichever was written; PeriodError says what was wrong."""
    t = " ".join(text.strip().lower().split())
    if m := _QUARTER_FIRST.fullmatch(t):
        return Period(_fy_start(m[2], m[3]), int(m[1]), "quarterly")
    if m := _YEAR_FIRST.fullmatch(t):
        return Period(_fy_start(m[1], m[2]), int(m[3]), "quarterly")
    month: int | None = None
    year = 0
    if m := _ISO_MONTH.fullmatch(t):
        year, month = int(m[1]), int(m[2])
    elif m := _SLASH_MONTH.fullmatch(t):
        month, year = int(m[1]), int(m[2])
    elif m := _NAMED_MONTH.fullmatch(t):
        name, year = m[1], int(m[2])
        month = next(
            (i + 1 for i, full in enumerate(FULL_MONTHS) if name in (full, full[:3], full[:4])), None
        )
        if month is None:
            raise PeriodError(f'"{m[1]}" is not a month: write it as e.g. Dec 2026')
    if month is None:
        raise PeriodError(
            f'"{text.strip()[:40]}" is not a period: write a month as 2026-12 or Dec 2026, '
            "a quarter as Q3 2026-27 (financial year; Q1 is April to June)"
        )
    if not 1 <= month <= 12:
        raise PeriodError(f'"{text.strip()}" is not a month: months run from 1 to 12')
    if not 2000 <= year <= 2100:
        raise PeriodError(f'"{text.strip()}": {year} is not a year this board keeps figures for')
    return Period(year, month, "monthly")


def parse(text: str, frequency: Frequency, measure: str = "this measure") -> Period:
    """A period of the measure's frequency: a monthly measure takes months, a quarterly one
    quarters; the wrong kind is refused, saying which kind is wanted."""
    p = parse_any(text)
    if p.frequency != frequency:
        kind = "a month" if p.frequency == "monthly" else "a quarter"
        raise PeriodError(
            f"{p.label} is {kind}, but {measure} is reported {frequency}: give "
            f"{'a month' if frequency == 'monthly' else 'a quarter'}, e.g. {EXAMPLES[frequency]}"
        )
    return p


def from_key(key: str, frequency: Frequency) -> Period:
    """A period back from its canonical form (as kept in the database)."""
    return parse(key.replace("-Q", " Q"), frequency)
