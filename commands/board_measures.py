"""The board file's performance measures (`measures:`) and their settings (`kpi:`), docs/kpi.md.

Kept apart from commands.board_schema (which only lists the board file's keys): a measure's
rules and their messages live together here. Which agency a measure names is checked against
the file's `agencies:` by the BoardFile itself.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from commands.board_checks import ClockTime
from commands.grammar import PRIORITIES

_CELL = re.compile(r"[A-Za-z]{1,3}[1-9][0-9]{0,6}")
_MEASURE_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,47}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def priority_name(v: str) -> str:
    """A business-plan priority as the board's other screens name it ("cp" → "Child Protection")."""
    key = v.lstrip("#").lower().replace(" ", "")
    names = {p.lower().replace(" ", ""): p for p in PRIORITIES.values()}
    if key in PRIORITIES:
        return PRIORITIES[key]
    if key in names:
        return names[key]
    raise ValueError(f'"{v}" is not a priority: use one of {", ".join(sorted(set(PRIORITIES.values())))}')


def _cell(v: str) -> str:
    if not _CELL.fullmatch(v):
        raise ValueError(f'"{v}" is not a cell: write its column letters and row number, e.g. C4')
    return v.upper()


class WorkbookSource(_Strict):
    """A figure read from one cell of a workbook in the SharePoint library (the sync reads it
    when it sees the workbook new or changed). Which period it fills: the period written in
    `period_cell` when given (e.g. "Q3 2026-27", "Dec 2026" or a date in the period), else the
    latest period of the measure's frequency to have ended on the day the workbook changed."""

    workbook: str = Field(min_length=1, max_length=400)  # its path in the library
    sheet: str = Field(min_length=1, max_length=100)
    cell: str
    period_cell: str | None = None

    @field_validator("cell", "period_cell")
    @classmethod
    def _cells(cls, v: str | None) -> str | None:
        return None if v is None else _cell(v)


class MeasureEntry(_Strict):
    id: str  # a stable key: figures are kept under it whatever the name becomes
    name: str = Field(min_length=1, max_length=120)
    priority: str
    agency: str  # the owning agency (its name in `agencies:`): its lead is the data owner
    unit: str = Field(default="", max_length=20)
    polarity: Literal["higher", "lower"]  # which way is better
    amber: float
    red: float
    frequency: Literal["monthly", "quarterly"]
    source: Literal["chat"] | WorkbookSource = "chat"

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _MEASURE_ID.fullmatch(v):
            raise ValueError(
                f'"{v[:60]}" is not a measure id: use up to 48 lower-case letters, digits, "-" or "_", '
                'e.g. "rereferrals"'
            )
        return v

    @field_validator("priority")
    @classmethod
    def _priority(cls, v: str) -> str:
        return priority_name(v)

    @model_validator(mode="after")
    def _thresholds(self) -> MeasureEntry:
        """Amber comes before red on the way to worse: below it when lower is better."""
        if self.polarity == "lower" and not self.amber < self.red:
            raise ValueError(
                f"measure {self.id}: lower is better, so amber ({self.amber:g}) must be below red "
                f"({self.red:g}): a figure turns amber at {self.amber:g} and red at {self.red:g}"
            )
        if self.polarity == "higher" and not self.amber > self.red:
            raise ValueError(
                f"measure {self.id}: higher is better, so amber ({self.amber:g}) must be above red "
                f"({self.red:g}): a figure turns amber at {self.amber:g} or below and red at {self.red:g}"
            )
        return self


class KpiSettings(_Strict):
    """When figures are due and narratives chased (working days: weekends, bank holidays and
    the board's `closures:` off)."""

    # A month's figure is due on this working day after the month ends; a quarter's likewise.
    monthly_due: int = Field(default=10, ge=1, le=60)
    quarterly_due: int = Field(default=20, ge=1, le=60)
    reminder_time: ClockTime = "09:30"
    # A narrative asked for and not given: chased on these working days after the ask, and
    # escalated to the chair on `escalate_after` (after the last chase).
    chase_days: list[int] = Field(default_factory=lambda: [3])
    escalate_after: int = Field(default=5, ge=1, le=60)

    @field_validator("chase_days")
    @classmethod
    def _chase_days(cls, v: list[int]) -> list[int]:
        if any(d < 1 or d > 60 for d in v):
            raise ValueError("chase days are working days from 1 to 60")
        return sorted(set(v))

    @model_validator(mode="after")
    def _escalate_last(self) -> KpiSettings:
        if self.chase_days and self.escalate_after <= self.chase_days[-1]:
            raise ValueError(
                f"escalate_after ({self.escalate_after}) must come after the last chase day "
                f"({self.chase_days[-1]})"
            )
        return self


def check_measures(measures: list[MeasureEntry], agency_names: list[str]) -> None:
    """Each id names one measure, each name one measure, and each agency is one of the file's."""
    ids = [m.id for m in measures]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise ValueError(f"measures: id(s) used twice: {', '.join(twice)} (an id names one measure)")
    names = [m.name.lower() for m in measures]
    same = sorted({m.name for m in measures if names.count(m.name.lower()) > 1})
    if same:
        raise ValueError(f"measures: name(s) used twice: {', '.join(same)}")
    known = {a.lower() for a in agency_names}
    for m in measures:
        if m.agency.lower() not in known:
            raise ValueError(
                f'measure {m.id}: agency "{m.agency}" is not one of the agencies: name it as it is '
                "written under agencies:"
            )
