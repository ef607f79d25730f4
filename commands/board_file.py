"""The board file (YAML): members, agencies, channels, meetings and settings.

`qabot import FILE.yaml` loads or updates the board in place: re-importing the same file
changes nothing, editing it updates rows, nothing is duplicated. Unknown keys and values are
refused with the line they are on and what was expected.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy.orm import Session

from commands import agency_names
from commands.board_changes import ImportReport, deactivate_leavers
from commands.board_matching import check_keys, match_board
from commands.board_rows import import_meetings, key_and_return, set_addresses, set_changed, was_line
from commands.board_schema import (
    AgendaSettings,
    BoardFile,
    ChannelRef,
    Section11Settings,
    SharePointSettings,
    member_ids,
)
from commands.document_head import MARKING_KEY
from commands.errors import ConfigError
from commands.papers.period import YEAR_STARTS_KEY
from store import addresses, audit, members
from store import kpi as kpi_store
from store.models import Agency, Board, Member

__all__ = [
    "AgendaSettings",
    "BoardFile",
    "ImportReport",
    "Section11Settings",
    "SharePointSettings",
    "import_board",
    "import_board_report",
    "parse_board_file",
]

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
            elif err["type"] == "value_error":
                msg = msg.removeprefix("Value error, ")
            problems.append(f"{name}, line {line}: " + (f"{where}: " if where else "") + msg)
        raise ConfigError("\n".join(problems)) from e
    _check_references(parsed, name)
    check_keys(parsed, name)
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
    seen: dict[tuple[str, str], str] = {}
    for m in bf.members:
        for platform, user_id in member_ids(m).items():
            if user_id and (other := seen.setdefault((platform, user_id.lower()), m.handle)) != m.handle:
                raise ConfigError(f"{name}: members {other} and {m.handle} have one {platform} id, {user_id}")


def _check_ids_free(session: Session, member: Member, ids: dict[str, str | None], listed: set[str]) -> None:
    """A user id held by a member the file does not list stays theirs (the file is checked
    for repeats already, so ids may move between members it lists)."""
    for platform, user_id in ids.items():
        holder = addresses.member_holding(session, platform, user_id) if user_id else None
        other = session.get(Member, holder) if holder is not None and holder != member.id else None
        if other is not None and other.handle.lower() not in listed:
            owner = other.handle
            raise ConfigError(f"member {member.handle}: {platform} id {user_id} already belongs to {owner}")


def import_board(session: Session, bf: BoardFile, now: datetime, source: str = "import") -> dict[str, int]:
    """Create or update everything in the file; returns counts of created and updated rows."""
    return import_board_report(session, bf, now, source).counts()


def import_board_report(
    session: Session, bf: BoardFile, now: datetime, source: str = "import"
) -> ImportReport:
    """Create, update, rename and deactivate so the board is what the file says; what was done
    is returned (and audited). Nothing is committed here: a dry run rolls the session back."""
    report = ImportReport()

    reported: set[tuple[str, int | None]] = set()

    def note(entity: str, row_id: int | None, label: str, created: bool, changes: dict[str, Any]) -> None:
        """List the row once in the report (a second change to it is only audited)."""
        first = (entity, row_id) not in reported
        if changes or created:
            reported.add((entity, row_id))
        if created:
            report.created.append(label)
        elif changes and first:
            renamed = {"name", "handle", "starts_at"} & set(changes)
            was = ", ".join(was_line(k, changes[k], bf.board.timezone) for k in sorted(renamed))
            (report.renamed if renamed else report.updated).append(f"{label} ({was})" if renamed else label)
        elif not changes:
            report.unchanged += 1
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

    matches = match_board(session, bf, now)
    board = members.board(session)
    config: dict[str, Any] = {
        "section11": bf.section11.model_dump(),
        "agenda": bf.agenda.model_dump(),
        "sharepoint": bf.sharepoint.model_dump(),
        "retention": bf.retention.model_dump(),
        "digest": bf.digest.model_dump(),
        "places": list(bf.places),
        "venues": list(bf.venues),
    } | ({"terms": [t.model_dump(mode="json") for t in bf.terms]} if bf.terms else {})
    # Rapid reviews and closure days (docs/reviews.md): kept only when the file sets them.
    config |= {"reviews": bf.reviews.model_dump()} if "reviews" in bf.model_fields_set else {}
    config |= {"closures": [d.isoformat() for d in bf.closures]} if bf.closures else {}
    config |= agency_names.aliases_config(bf.agencies)
    # Performance measures (docs/kpi.md): kept only when the file has them.
    config |= {"measures": [m.model_dump(mode="json") for m in bf.measures]} if bf.measures else {}
    config |= {"kpi": bf.kpi.model_dump(mode="json")} if "kpi" in bf.model_fields_set else {}
    # The protective marking on the bot's documents: kept only when the file sets it.
    config |= {MARKING_KEY: bf.board.marking} if "marking" in bf.board.model_fields_set else {}
    # The reporting year's first month (docs/chair.md): kept only when the file sets it.
    config |= (
        {YEAR_STARTS_KEY: bf.board.reporting_year_starts}
        if "reporting_year_starts" in bf.board.model_fields_set
        else {}
    )
    created = board is None
    if board is None:
        board = Board(id=1, name=bf.board.name, timezone=bf.board.timezone, config=config)
        session.add(board)
    changes: dict[str, Any] = {}
    set_changed(board, changes, name=bf.board.name, timezone=bf.board.timezone, config=config)
    session.flush()
    for channel_name, ref in bf.channels.items():
        kind, label = addresses.channel_kind(channel_name), f"channel {channel_name}"
        set_addresses(session, changes, kind, addresses.BOARD_ID, ref.by_platform(), label=label)
    for gone in addresses.remove_channels_except(session, set(bf.channels)):
        changes[f"channel {gone}"] = {"before": gone, "after": None}
    note("board", 1, f"board {bf.board.name}", created, changes)

    agency_rows: dict[str, Agency] = {}
    for a, row in zip(bf.agencies, matches.agencies, strict=True):
        created = row is None
        if row is None:
            row = Agency(name=a.name, sector=a.sector, active=a.active)
            session.add(row)
        changes = {}
        ch = a.channel or ChannelRef()
        set_changed(row, changes, name=a.name, sector=a.sector, category=a.category)
        set_changed(row, changes, **key_and_return(a.id, a.active))
        session.flush()
        set_addresses(session, changes, addresses.AGENCY, row.id, ch.by_platform())
        agency_rows[a.name.lower()] = row
        note("agency", row.id, f"agency {a.name}", created, changes)
    for measure in bf.measures:  # a measure given to another agency: its figures follow it
        kpi_store.reassign(session, measure.id, agency_rows[measure.agency.lower()].id)

    member_rows: dict[str, Member] = {}
    listed = {m.handle.lower() for m in bf.members}
    for m, mrow in zip(bf.members, matches.members, strict=True):
        created = mrow is None
        if mrow is None:
            mrow = Member(handle=m.handle, name=m.name, role=m.role, active=m.active)
            session.add(mrow)
        agency = agency_rows.get(m.agency.lower()) if m.agency else None
        changes = {}
        set_changed(
            mrow,
            changes,
            handle=m.handle,
            name=m.name,
            role=m.role,
            email=m.email,
            agency_id=agency.id if agency else None,
        )
        set_changed(mrow, changes, **key_and_return(m.id, m.active))
        session.flush()
        _check_ids_free(session, mrow, member_ids(m), listed)
        set_addresses(session, changes, addresses.MEMBER, mrow.id, member_ids(m))
        member_rows[m.handle.lower()] = mrow
        note("member", mrow.id, f"member @{m.handle}", created, changes)

    for a in bf.agencies:
        row = agency_rows[a.name.lower()]
        changes = {}
        lead = member_rows[a.lead.lower()] if a.lead else None
        sub = member_rows[a.substitute.lower()] if a.substitute else None
        set_changed(row, changes, lead_id=lead.id if lead else None, substitute_id=sub.id if sub else None)
        if lead and lead.agency_id is None:
            lead.agency_id = row.id
        if sub and sub.agency_id is None:
            sub.agency_id = row.id
        session.flush()
        if changes:
            report.unchanged -= ("agency", row.id) not in reported  # it was counted unchanged above
            note("agency", row.id, f"agency {a.name}", False, changes)

    deactivate_leavers(session, bf, matches, agency_rows, member_rows, now, source, report)
    import_meetings(session, bf, matches, now, note, report)
    _settle_documents(session, now)
    return report


def _settle_documents(session: Session, now: datetime) -> None:
    """Agencies or folders may have changed: who sees which stored document is decided again
    (the next sync tells the QA officer about folders that name no agency)."""
    from commands.clock import FixedClock
    from commands.context import Scope
    from commands.documents import settle_library

    board = members.board(session)
    if board is not None:
        settle_library(Scope(session=session, clock=FixedClock(now), board=board), tell=False)
