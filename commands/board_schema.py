"""The board file's shape (YAML): members, agencies, channels, meetings and settings.

Unknown keys are refused (`extra="forbid"`); commands.board_file reports each problem with
the line it is on.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from commands import guard
from commands.board_checks import (
    BoardDateTime,
    ClockTime,
    DayCount,
    FileKey,
    PositiveCount,
    SlackChannelId,
    SlackUserId,
    TeamsChannelId,
    TeamsUserId,
)
from commands.board_measures import KpiSettings, MeasureEntry, check_measures
from commands.board_s11 import DEFAULT_STANDARD_ENTRIES
from commands.board_s11 import ScaleSettings as ScaleSettings
from commands.board_s11 import Section11Settings as Section11Settings
from commands.board_s11 import StandardEntry as StandardEntry
from commands.board_s11 import SubEntry as SubEntry
from commands.dates.terms import Terms
from commands.digest.settings import DigestSettings
from commands.grammar import PRIORITIES
from store import addresses

MAX_PLACE_NAME = 120
MEETING_KINDS = ("subgroup", "s11_panel", "priority_panel", "challenge", "board")
# The default standards' titles (as /s11 rate names them); the sub-questions are in board_s11.
DEFAULT_STANDARDS = [f"{s.id}. {s.name}" for s in DEFAULT_STANDARD_ENTRIES]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ChannelRef(Strict):
    """Where something is on each chat platform; its fields are the platforms the board file
    knows, and a member's user ids use the same keys."""

    slack: SlackChannelId | None = None
    teams: TeamsChannelId | None = None

    def by_platform(self) -> dict[str, str | None]:
        return self.model_dump()


class BoardInfo(Strict):
    name: str
    timezone: str = "Europe/London"
    # The protective marking on every document the bot writes (header and footer of each page).
    marking: str = "OFFICIAL"
    # The month the reporting year starts in (/qa annual-report, docs/chair.md): April by default.
    reporting_year_starts: int = Field(default=4, ge=1, le=12)

    @field_validator("marking")
    @classmethod
    def _marking(cls, v: str) -> str:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9 :/()&-]{0,59}", v):
            raise ValueError(
                f'"{v[:80]}" is not a protective marking such as OFFICIAL or OFFICIAL-SENSITIVE '
                "(letters, digits, spaces and - : / ( ) &, up to 60 characters)"
            )
        return " ".join(v.upper().split())

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError(f'"{v}" is not a time zone name such as Europe/London') from e
        return v


class MemberEntry(Strict):
    id: FileKey | None = None  # a stable key: the member is found by it whatever the handle becomes
    handle: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    name: str
    role: Literal["chair", "qa_officer", "member", "agency_lead"]
    agency: str | None = None
    slack: SlackUserId | None = None
    teams: TeamsUserId | None = None
    email: str | None = None
    active: bool = True  # false: a leaver, kept for the record with no access and no reminders


class AgencyEntry(Strict):
    id: FileKey | None = None  # a stable key: the agency is found by it whatever its name becomes
    name: str
    sector: Literal["statutory", "non-statutory"]
    category: str | None = None
    lead: str | None = None
    substitute: str | None = None
    channel: ChannelRef | None = None
    # Other names people use for it ("police", "SP"): `agency SP` finds it (commands.agency_names).
    aliases: list[str] = Field(default_factory=list)
    active: bool = True  # false: closed, kept for the record, left out of Section 11 cohorts


class MeetingEntry(Strict):
    id: FileKey | None = None  # a stable key: moving the meeting's date updates it
    title: str
    kind: Literal["subgroup", "s11_panel", "priority_panel", "challenge", "board"]
    starts: BoardDateTime
    priority: str | None = None
    channel: ChannelRef | None = None

    @field_validator("priority")
    @classmethod
    def _priority(cls, v: str | None) -> str | None:
        if v is None:
            return None
        key = v.lstrip("#").lower().replace(" ", "")
        names = {p.lower().replace(" ", ""): p for p in PRIORITIES.values()}
        if key in PRIORITIES:
            return PRIORITIES[key]
        if key in names:
            return names[key]
        raise ValueError(f'"{v}" is not a priority: use one of {", ".join(sorted(set(PRIORITIES.values())))}')


class AgendaSettings(Strict):
    working_days_before: DayCount = 3
    time: ClockTime = "09:00"


BoardRole = Literal["chair", "qa_officer", "member", "agency_lead"]


def _officers() -> list[BoardRole]:
    return ["chair", "qa_officer"]


class RestrictedFolder(Strict):
    """A library folder whose documents only these roles see, by name only (no text kept)."""

    path: str = Field(min_length=1)
    roles: list[BoardRole] = Field(default_factory=_officers)


class SharePointSettings(Strict):
    meetings_folder: str = "Meetings"
    section11_folder: str = "Section 11"
    # Where /qa pack inspection and /qa annual-report save their Word documents.
    papers_folder: str = Field(default="Board papers", min_length=1)
    sync_minutes: PositiveCount = 15
    # How often every item's permissions are read again (Graph's delta does not report a change
    # of permissions alone to this app): default nightly.
    permission_sweep_hours: int = Field(default=24, ge=1, le=24 * 14)
    restricted_folders: list[RestrictedFolder] = Field(default_factory=list)
    # Who sees items with their own (unique) permissions in SharePoint, by name only.
    unique_permission_roles: list[BoardRole] = Field(default_factory=_officers)


class RetentionSettings(Strict):
    """`qabot purge` never removes anything younger than this (Working Together and most
    local retention schedules keep safeguarding records at least six years)."""

    min_years: int = Field(default=6, ge=1, le=100)


class ReviewSettings(Strict):
    """Rapid reviews (docs/reviews.md): the working days of each clock, counted from the day
    the partnership became aware (day 0), or for the report from the notification date."""

    # A board channel from `channels:` where every agency gets its own thread; without one,
    # each agency is asked in its own channel (or a direct message to its lead).
    channel: str | None = None
    chase_days: list[int] = Field(default_factory=lambda: [2, 5, 8])
    summaries_due: int = Field(default=10, ge=1, le=60)
    notification_due: int = Field(default=5, ge=1, le=60)
    huddle_day: int = Field(default=14, ge=1, le=60)
    report_due: int = Field(default=15, ge=1, le=60)
    panel_response_days: int = Field(default=10, ge=1, le=60)
    reminder_time: str = Field(default="09:30", pattern=r"^\d{2}:\d{2}$")
    # The board's own LCSPR milestones, between the terms of reference and the draft.
    lcspr_milestones: list[Annotated[str, Field(min_length=1, max_length=60)]] = Field(default_factory=list)

    @field_validator("chase_days")
    @classmethod
    def _chase_days(cls, v: list[int]) -> list[int]:
        if any(d < 1 or d > 60 for d in v):
            raise ValueError("chase days are working days from 1 to 60")
        return sorted(set(v))


class BoardFile(Strict):
    board: BoardInfo
    channels: dict[str, ChannelRef] = Field(default_factory=dict)
    members: list[MemberEntry] = Field(default_factory=list)
    agencies: list[AgencyEntry] = Field(default_factory=list)
    meetings: list[MeetingEntry] = Field(default_factory=list)
    section11: Section11Settings = Field(default_factory=Section11Settings)
    agenda: AgendaSettings = Field(default_factory=AgendaSettings)
    sharepoint: SharePointSettings = Field(default_factory=SharePointSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    reviews: ReviewSettings = Field(default_factory=ReviewSettings)
    digest: DigestSettings = Field(default_factory=DigestSettings)  # the chair's weekly digest
    # The board's own closure days: not working days for the rapid review clocks.
    closures: list[date] = Field(default_factory=list)
    terms: Terms = Field(default_factory=list)  # school terms, so "due end of term" is a day
    # The board's own towns and meeting venues: the safeguarding guard never reads them as
    # a person's name ("Kingsgate Conference Centre LS1 4AP"); see docs/guard.md.
    places: list[str] = Field(default_factory=list)
    venues: list[str] = Field(default_factory=list)
    # Performance measures and when their figures are due (commands/board_measures.py, docs/kpi.md).
    measures: list[MeasureEntry] = Field(default_factory=list)
    kpi: KpiSettings = Field(default_factory=KpiSettings)

    @field_validator("places", "venues")
    @classmethod
    def _place_names(cls, v: list[str]) -> list[str]:
        for name in v:
            if not 0 < len(name) <= MAX_PLACE_NAME or "\n" in name:
                limit = MAX_PLACE_NAME
                raise ValueError(f'"{name[:80]}" is not a place name of 1 to {limit} characters on one line')
        return v

    @model_validator(mode="after")
    def _no_identities(self) -> BoardFile:
        """Meeting titles and standards are posted to chat: the guard reads them as it reads a
        typed command (the file's own agencies, places, venues and members allowed)."""
        vocabulary = guard.BoardVocabulary.build(
            board_name=self.board.name,
            agencies=[a.name for a in self.agencies],
            places=self.places,
            venues=self.venues,
            members=[m.name for m in self.members],
        )
        texts = [("board marking", self.board.marking)]
        texts += [("meeting title", m.title) for m in self.meetings]
        texts += self.section11.guard_texts()
        texts += [("agency alias", x) for a in self.agencies for x in a.aliases]
        texts += [("measure name", m.name) for m in self.measures]
        keys = [e.id for e in self.agencies] + [e.id for e in self.members] + [e.id for e in self.meetings]
        texts += [("board file id", k) for k in keys if k]
        for where, text in texts:
            hits = guard.check(text, vocabulary)
            if hits:
                raise ValueError(
                    f"a {where} looks like it could identify a child or family — "
                    f"{guard.describe_findings(hits)}; reword it"
                )
        return self

    @model_validator(mode="after")
    def _panel_members(self) -> BoardFile:
        known = {m.handle for m in self.members} | {m.id for m in self.members if m.id}
        unknown = [k for k in self.section11.panel if k not in known]
        if unknown:
            raise ValueError(
                f"section11: panel names {', '.join(unknown)}, not a member's id or handle: "
                "add them under members: or correct the key"
            )
        return self

    @model_validator(mode="after")
    def _measures(self) -> BoardFile:
        check_measures(self.measures, [a.name for a in self.agencies])
        return self

    @model_validator(mode="after")
    def _review_channel(self) -> BoardFile:
        name = self.reviews.channel
        if name is not None and name not in self.channels:
            raise ValueError(
                f'reviews: channel "{name}" is not one of the board\'s channels: add it under channels:'
            )
        return self

    @field_validator("channels")
    @classmethod
    def _channel_names(cls, v: dict[str, ChannelRef]) -> dict[str, ChannelRef]:
        for name in v:
            if not 0 < len(name) <= addresses.MAX_CHANNEL_NAME:
                limit = addresses.MAX_CHANNEL_NAME
                raise ValueError(f'"{name[:80]}" is not a channel name of 1 to {limit} characters')
        return v


def member_ids(m: MemberEntry) -> dict[str, str | None]:
    """A member's user id on each platform (the `slack:`/`teams:` keys of a member)."""
    return {platform: getattr(m, platform) for platform in ChannelRef.model_fields}
