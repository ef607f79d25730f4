"""The board file's `digest:` settings and the week's sending moment.

`digest: {day: monday, time: "08:30", to: [chair], where: dm}` (the defaults): the digest is
due at that local time on that weekday of each ISO week; when the day is not a working day
(a weekend never, a bank holiday in England and Wales or one of the board's `closures:`) it
goes on the next working day, still as that week's digest. Kept free of other commands'
imports: commands/board_schema.py imports the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from commands.board_checks import ClockTime
from commands.dates import at_local, local_date
from commands.reviews.working_days import WorkingDays
from store.models import Board

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
Recipient = Literal["chair", "qa_officer"]


class DigestSettings(BaseModel):
    """Who hears the weekly digest, where, and when (docs/board-file.md, *The weekly digest*)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    day: Literal["monday", "tuesday", "wednesday", "thursday", "friday"] = "monday"
    time: ClockTime = "08:30"
    to: list[Recipient] = Field(default_factory=lambda: list[Recipient](["chair"]), min_length=1)
    # dm: a direct message to each recipient; qa: one post in the board's QA channel.
    where: Literal["dm", "qa"] = "dm"

    @field_validator("day", mode="before")
    @classmethod
    def _day(cls, v: object) -> object:
        if isinstance(v, str) and v.strip().lower() in WEEKDAYS:
            return v.strip().lower()
        if isinstance(v, str):
            raise ValueError(f'"{v}" is not a working weekday: use one of {", ".join(WEEKDAYS)}')
        return v

    @field_validator("to")
    @classmethod
    def _to(cls, v: list[Recipient]) -> list[Recipient]:
        return list(dict.fromkeys(v))  # each role once, in the order given


def settings(board: Board) -> DigestSettings:
    """The board file's `digest:` (validated on import; the defaults if absent)."""
    try:
        return DigestSettings.model_validate((board.config or {}).get("digest") or {})
    except ValidationError:
        return DigestSettings()


@dataclass(frozen=True)
class Slot:
    """One week's digest: the ISO week it belongs to and the instant it is due."""

    week: str  # "2026-W50"
    nominal: date  # the configured weekday of that week
    day: date  # the day it goes: the configured weekday, or the next working day after it
    at: datetime  # UTC

    @property
    def moved(self) -> bool:
        """Whether the configured weekday was not a working day that week (a bank holiday)."""
        return self.day != self.nominal


def week_label(d: date) -> str:
    iso = d.isocalendar()
    return f"{iso[0]}-W{iso[1]:02d}"


def clock_time(cfg: DigestSettings) -> time:
    hours, _, minutes = cfg.time.partition(":")
    return time(int(hours), int(minutes))


def slot_of_week(cfg: DigestSettings, cal: WorkingDays, monday: date, tz: str) -> Slot:
    nominal = monday + timedelta(days=WEEKDAYS.index(cfg.day))
    day = nominal
    while not cal.is_working(day):
        day += timedelta(days=1)
    return Slot(week_label(nominal), nominal, day, at_local(day, clock_time(cfg), tz))


def due_slot(cfg: DigestSettings, cal: WorkingDays, now: datetime, tz: str) -> Slot | None:
    """The latest week's digest whose moment has come, or None. Only this week's, or last
    week's when a holiday moved it into this week: a bot that was down sends one digest on
    its return, never the weeks it missed."""
    today = local_date(now, tz)
    monday = today - timedelta(days=today.weekday())
    this_week = slot_of_week(cfg, cal, monday, tz)
    if this_week.at <= now:
        return this_week
    last_week = slot_of_week(cfg, cal, monday - timedelta(days=7), tz)
    if last_week.day >= monday and last_week.at <= now:
        return last_week
    return None


def next_slot(cfg: DigestSettings, cal: WorkingDays, now: datetime, tz: str) -> Slot:
    """The next digest moment after now (for /qa digest)."""
    today = local_date(now, tz)
    monday = today - timedelta(days=today.weekday())
    for weeks in (-1, 0, 1, 2):
        slot = slot_of_week(cfg, cal, monday + timedelta(days=7 * weeks), tz)
        if slot.at > now:
            return slot
    return slot_of_week(cfg, cal, monday + timedelta(days=21), tz)  # unreachable in practice
