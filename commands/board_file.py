"""The board file (YAML): members, agencies, channels, meetings and settings.

`qabot import FILE.yaml` loads or updates the board in place: re-importing the same file
changes nothing, editing it updates rows, nothing is duplicated. Unknown keys and values are
refused with the line they are on and what was expected.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy.orm import Session

from commands.dates.terms import Terms
from commands.errors import ConfigError
from commands.grammar import PRIORITIES
from store import audit, members
from store import meetings as meeting_store
from store.models import Agency, Board, Meeting, Member

MEETING_KINDS = ("subgroup", "s11_panel", "priority_panel", "challenge", "board")
DEFAULT_STANDARDS = [
    "1. Senior management commitment to safeguarding",
    "2. Clear statement of responsibility to children",
    "3. Clear lines of accountability",
    "4. Service development takes account of children's needs",
    "5. Training on safeguarding for all staff",
    "6. Safer recruitment and allegations management",
    "7. Effective inter-agency working",
    "8. Information sharing",
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ChannelRef(Strict):
    slack: str | None = None
    teams: str | None = None


class BoardInfo(Strict):
    name: str
    timezone: str = "Europe/London"

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError(f'"{v}" is not a time zone name such as Europe/London') from e
        return v


class MemberEntry(Strict):
    handle: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    name: str
    role: Literal["chair", "qa_officer", "member", "agency_lead"]
    agency: str | None = None
    slack: str | None = Field(default=None, pattern=r"^[UW][A-Z0-9]{2,30}$")
    teams: str | None = Field(default=None, pattern=r"^[0-9a-fA-F-]{36}$")
    email: str | None = None


class AgencyEntry(Strict):
    name: str
    sector: Literal["statutory", "non-statutory"]
    category: str | None = None
    lead: str | None = None
    substitute: str | None = None
    channel: ChannelRef | None = None


class MeetingEntry(Strict):
    title: str
    kind: Literal["subgroup", "s11_panel", "priority_panel", "challenge", "board"]
    starts: datetime
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


class Section11Settings(Strict):
    statutory_years: Literal["odd", "even"] = "odd"
    reminder_days: list[int] = Field(default_factory=lambda: [28, 14, 7, 1, 0])
    reminder_time: str = Field(default="09:30", pattern=r"^\d{2}:\d{2}$")
    weekly_after_deadline: bool = True
    escalate_after_days: int = 7
    standards: list[str] = Field(default_factory=lambda: list(DEFAULT_STANDARDS))


class AgendaSettings(Strict):
    working_days_before: int = 3
    time: str = Field(default="09:00", pattern=r"^\d{2}:\d{2}$")


class SharePointSettings(Strict):
    meetings_folder: str = "Meetings"
    section11_folder: str = "Section 11"
    sync_minutes: int = 15


class BoardFile(Strict):
    board: BoardInfo
    channels: dict[str, ChannelRef] = Field(default_factory=dict)
    members: list[MemberEntry] = Field(default_factory=list)
    agencies: list[AgencyEntry] = Field(default_factory=list)
    meetings: list[MeetingEntry] = Field(default_factory=list)
    section11: Section11Settings = Field(default_factory=Section11Settings)
    agenda: AgendaSettings = Field(default_factory=AgendaSettings)
    sharepoint: SharePointSettings = Field(default_factory=SharePointSettings)
    terms: Terms = Field(default_factory=list)  # school terms, so "due end of term" is a day


def _line_of(root: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    node = root
    line = node.start_mark.line + 1 if node else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = None
            for k, v in node.value:
                if k.value == part:
                    nxt, line = v, k.start_mark.line + 1
                    break
            if nxt is None:
                break
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def parse_board_file(text: str, name: str = "board file") -> BoardFile:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ConfigError(f"{name}: not valid YAML: {e}") from e
    if not isinstance(data, dict):
        raise ConfigError(f"{name}: expected a mapping with at least a `board:` key")
    try:
        parsed = BoardFile.model_validate(data)
    except ValidationError as e:
        problems = []
        for err in e.errors():
            loc = tuple(err["loc"])
            line = _line_of(root, loc)
            where = ".".join(str(p) for p in loc)
            msg = err["msg"]
            if err["type"] == "extra_forbidden":
                msg = "unknown key (check the spelling)"
            elif err["type"] == "literal_error":
                msg = f"expected {err['ctx']['expected']}"
            problems.append(f"{name}, line {line}: {where}: {msg}")
        raise ConfigError("\n".join(problems)) from e
    _check_references(parsed, name)
    return parsed


def _check_references(bf: BoardFile, name: str) -> None:
    handles = [m.handle.lower() for m in bf.members]
    dupes = {h for h in handles if handles.count(h) > 1}
    if dupes:
        raise ConfigError(f"{name}: member handle(s) listed twice: {', '.join(sorted(dupes))}")
    agencies = {a.name.lower() for a in bf.agencies}
    for m in bf.members:
        if m.agency and m.agency.lower() not in agencies:
            raise ConfigError(f'{name}: member {m.handle}: agency "{m.agency}" is not in agencies:')
    for a in bf.agencies:
        for role in ("lead", "substitute"):
            h = getattr(a, role)
            if h and h.lower() not in handles:
                raise ConfigError(f'{name}: agency "{a.name}": {role} "{h}" is not a member handle')


def _set(obj: Any, changes: dict[str, Any], **values: Any) -> None:
    for k, v in values.items():
        if getattr(obj, k) != v:
            changes[k] = {"before": getattr(obj, k), "after": v}
            setattr(obj, k, v)


def import_board(session: Session, bf: BoardFile, now: datetime, source: str = "import") -> dict[str, int]:
    """Create or update everything in the file; returns counts of created and updated rows."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}

    def note(entity: str, row_id: int | None, created: bool, changes: dict[str, Any]) -> None:
        if created:
            counts["created"] += 1
        elif changes:
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
            return
        audit.record(
            session,
            at=now,
            actor=None,
            actor_label="board file",
            entity=entity,
            entity_id=row_id,
            verb="imported" if created else "updated from file",
            before=None if created else {k: str(v["before"]) for k, v in changes.items()},
            after={k: str(v["after"]) for k, v in changes.items()},
            source=source,
        )

    board = members.board(session)
    config = {
        "channels": {k: v.model_dump() for k, v in bf.channels.items()},
        "section11": bf.section11.model_dump(),
        "agenda": bf.agenda.model_dump(),
        "sharepoint": bf.sharepoint.model_dump(),
    } | ({"terms": [t.model_dump(mode="json") for t in bf.terms]} if bf.terms else {})
    created = board is None
    if board is None:
        board = Board(id=1, name=bf.board.name, timezone=bf.board.timezone, config=config)
        session.add(board)
    changes: dict[str, Any] = {}
    _set(board, changes, name=bf.board.name, timezone=bf.board.timezone, config=config)
    session.flush()
    note("board", 1, created, changes)

    agency_rows: dict[str, Agency] = {}
    for a in bf.agencies:
        row = members.agency_by_name(session, a.name)
        created = row is None
        if row is None:
            row = Agency(name=a.name, sector=a.sector, active=True)
            session.add(row)
        changes = {}
        ch = a.channel or ChannelRef()
        _set(
            row,
            changes,
            name=a.name,
            sector=a.sector,
            category=a.category,
            slack_channel=ch.slack,
            teams_channel=ch.teams,
            active=True,
        )
        session.flush()
        agency_rows[a.name.lower()] = row
        note("agency", row.id, created, changes)

    member_rows: dict[str, Member] = {}
    for m in bf.members:
        mrow = members.by_handle(session, m.handle)
        created = mrow is None
        if mrow is None:
            mrow = Member(handle=m.handle, name=m.name, role=m.role, active=True)
            session.add(mrow)
        agency = agency_rows.get(m.agency.lower()) if m.agency else None
        changes = {}
        _set(
            mrow,
            changes,
            name=m.name,
            role=m.role,
            slack_id=m.slack,
            teams_id=m.teams,
            email=m.email,
            agency_id=agency.id if agency else None,
            active=True,
        )
        session.flush()
        member_rows[m.handle.lower()] = mrow
        note("member", mrow.id, created, changes)

    for a in bf.agencies:
        row = agency_rows[a.name.lower()]
        changes = {}
        lead = member_rows[a.lead.lower()] if a.lead else None
        sub = member_rows[a.substitute.lower()] if a.substitute else None
        _set(row, changes, lead_id=lead.id if lead else None, substitute_id=sub.id if sub else None)
        if lead and lead.agency_id is None:
            lead.agency_id = row.id
        if sub and sub.agency_id is None:
            sub.agency_id = row.id
        session.flush()
        if changes:
            note("agency", row.id, False, changes)

    tz = ZoneInfo(bf.board.timezone)
    for mt in bf.meetings:
        starts = mt.starts if mt.starts.tzinfo else mt.starts.replace(tzinfo=tz)
        starts = starts.astimezone(ZoneInfo("UTC"))
        mrow2 = meeting_store.by_kind_and_start(session, mt.kind, starts)
        created = mrow2 is None
        if mrow2 is None:
            mrow2 = Meeting(kind=mt.kind, title=mt.title, starts_at=starts, source="file", created_at=now)
            session.add(mrow2)
        ch = mt.channel or ChannelRef()
        changes = {}
        _set(
            mrow2,
            changes,
            title=mt.title,
            priority=mt.priority,
            slack_channel=ch.slack,
            teams_channel=ch.teams,
        )
        session.flush()
        note("meeting", mrow2.id, created, changes)
    return counts
