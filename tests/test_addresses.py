"""The addresses table: where members, agencies, meetings and board channels are on each
platform, on SQLite and PostgreSQL; what the board file puts there; where posts go."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.boards import import_file
from bot.cli_data import export_to
from commands import posting
from commands.clock import FixedClock
from commands.context import Scope
from commands.errors import ConfigError
from commands.types import Reply
from store import addresses, members
from store.db import transaction
from store.models import Address, Agency, Meeting, Member, OutboxMessage
from tests.conftest import FIXTURES


def _member(s: Session, handle: str) -> Member:
    found = members.by_handle(s, handle)
    assert found is not None
    return found


def test_the_board_file_puts_every_platform_address_in_the_table(board: sessionmaker[Session]) -> None:
    with board() as s:
        ic, nhs = _member(s, "ic"), _member(s, "nhs")
        police = members.agency_by_name(s, "Surrey Police")
        health = members.agency_by_name(s, "Surrey Health")
        subgroup = s.scalar(select(Meeting).where(Meeting.kind == "subgroup"))
        panel = s.scalar(select(Meeting).where(Meeting.kind == "s11_panel"))
        assert police and health and subgroup and panel
        assert addresses.of(s, "member", ic.id) == {"slack": "U0CHAIR1", "teams": "0c1a0000-0000-4000-8000-000000000001"}
        assert addresses.of(s, "member", _member(s, "faith").id) == {}
        assert addresses.of(s, "agency", police.id) == {"slack": "C0POL001"}
        assert addresses.of(s, "agency", health.id) == {"teams": "19:health@thread.tacv2"}
        assert addresses.of(s, "meeting", subgroup.id) == {"slack": "C0QAE01"}
        assert addresses.of(s, "meeting", panel.id) == {}
        assert addresses.channels(s) == {"qa": {"slack": "C0QAE01", "teams": "19:abc@thread.tacv2"}}
        # The board's settings no longer carry the channels: the table is the one place.
        board_row = members.board(s)
        assert board_row is not None and "channels" not in board_row.config
        # Reverse lookups: who sent this, whatever the case of an Entra id.
        assert members.by_platform_id(s, "slack", "U0CHAIR1") == ic
        assert members.by_platform_id(s, "teams", "0C1A0000-0000-4000-8000-000000000010") == nhs
        assert members.by_platform_id(s, "teams", "U0CHAIR1") is None
        assert members.by_platform_id(s, "console", "ic") == ic


def test_editing_the_file_moves_and_removes_addresses_in_place(
    board: sessionmaker[Session], clock: FixedClock, tmp_path: Path
) -> None:
    path = tmp_path / "board.yaml"
    path.write_text(
        (FIXTURES / "board.yaml")
        .read_text()
        .replace("slack: U0CHAIR1, teams: 0c1a0000-0000-4000-8000-000000000001", "slack: U0CHAIR9")
        .replace("channel: {slack: C0POL001}", "channel: {slack: C0POL002, teams: '19:pol@thread.tacv2'}")
        .replace("channels: {qa: {slack: C0QAE01, teams: \"19:abc@thread.tacv2\"}}", "channels: {qa: {slack: C0QAE02}}")
    )
    with board() as s:
        before = s.scalar(select(func.count()).select_from(Address))
    counts = import_file(board, clock, path)
    assert counts["created"] == 0 and counts["updated"] == 3  # the board, the chair, the police
    with board() as s:
        ic = _member(s, "ic")
        police = members.agency_by_name(s, "Surrey Police")
        assert police is not None
        assert addresses.of(s, "member", ic.id) == {"slack": "U0CHAIR9"}
        assert addresses.of(s, "agency", police.id) == {"slack": "C0POL002", "teams": "19:pol@thread.tacv2"}
        assert addresses.channels(s) == {"qa": {"slack": "C0QAE02"}}
        assert members.by_platform_id(s, "slack", "U0CHAIR1") is None
        # one removed (the chair's Teams id, the board's Teams channel), one added (police Teams)
        assert s.scalar(select(func.count()).select_from(Address)) == (before or 0) - 1
    again = import_file(board, clock, path)
    assert again["updated"] == 0 and again["created"] == 0


def test_one_user_id_cannot_belong_to_two_members(board: sessionmaker[Session], clock: FixedClock, tmp_path: Path) -> None:
    text = (FIXTURES / "board.yaml").read_text()
    path = tmp_path / "twice.yaml"
    path.write_text(text.replace("slack: U0BMEM01", "slack: U0QAOFF1"))
    with pytest.raises(ConfigError, match="members qa and bm have one slack id, U0QAOFF1"):
        import_file(board, clock, path)
    # A member the file does not list keeps their id.
    with transaction(board) as s:
        s.add(Member(handle="old", name="Former Lead", role="member", active=False))
        s.flush()
        addresses.replace(s, "member", _member(s, "old").id, {"slack": "U0OLD001"})
    path.write_text(text.replace("slack: U0BMEM01", "slack: U0OLD001"))
    with pytest.raises(ConfigError, match="slack id U0OLD001 already belongs to old"):
        import_file(board, clock, path)
    with board() as s:
        assert addresses.of(s, "member", _member(s, "bm").id) == {"slack": "U0BMEM01"}


def _outbox(s: Session) -> list[tuple[str, str, str]]:
    rows = s.scalars(select(OutboxMessage).order_by(OutboxMessage.key))
    return [(r.key, r.platform, r.channel) for r in rows]


def test_posts_go_to_each_configured_platform_where_the_subject_has_an_address(
    board: sessionmaker[Session], clock: FixedClock
) -> None:
    reply = Reply(title="hello")
    with transaction(board) as s:
        board_row = members.board(s)
        assert board_row is not None
        scope = Scope(session=s, clock=clock, board=board_row, platforms=("slack", "teams"))
        agency = {a.name: a for a in s.scalars(select(Agency))}
        meetings = {m.kind: m for m in s.scalars(select(Meeting))}
        posting.to_agency(scope, agency["Surrey Police"], key="police", kind="t", reply=reply)
        posting.to_agency(scope, agency["Surrey Health"], key="health", kind="t", reply=reply)
        posting.to_agency(scope, agency["Surrey Faith Forum"], key="faith", kind="t", reply=reply)
        posting.to_member(scope, _member(s, "ic"), key="ic", kind="t", reply=reply)
        posting.to_channel(scope, "qa", key="qa", kind="t", reply=reply)
        posting.to_channel(scope, "nowhere", key="nowhere", kind="t", reply=reply)
        posting.to_meeting(scope, meetings["subgroup"], key="subgroup", kind="t", reply=reply)
        posting.to_meeting(scope, meetings["s11_panel"], key="panel", kind="t", reply=reply)
    with board() as s:
        assert _outbox(s) == [
            # no channel, a lead with no ids: unreachable, not "sent" to a console nobody reads
            ("faith:unreachable", "slack+teams", "Surrey Faith Forum"),
            ("health:slack", "slack", "U0HLTH01"),  # no Slack channel: its lead directly
            ("health:teams", "teams", "19:health@thread.tacv2"),
            ("ic:slack", "slack", "U0CHAIR1"),
            ("ic:teams", "teams", "0c1a0000-0000-4000-8000-000000000001"),
            ("nowhere:unreachable", "slack+teams", "#nowhere"),
            ("panel:slack", "slack", "C0QAE01"),  # no channel of its own: the QA channel
            ("panel:teams", "teams", "19:abc@thread.tacv2"),
            ("police:slack", "slack", "C0POL001"),
            ("qa:slack", "slack", "C0QAE01"),
            ("qa:teams", "teams", "19:abc@thread.tacv2"),
            ("subgroup:slack", "slack", "C0QAE01"),
            ("subgroup:teams", "teams", "19:abc@thread.tacv2"),
        ]


def test_the_console_addresses_everything_by_name(board: sessionmaker[Session], clock: FixedClock) -> None:
    reply = Reply(title="hello")
    with transaction(board) as s:
        board_row = members.board(s)
        assert board_row is not None
        scope = Scope(session=s, clock=clock, board=board_row, platforms=("console",))
        police = members.agency_by_name(s, "Surrey Police")
        assert police is not None
        posting.to_agency(scope, police, key="police", kind="t", reply=reply)
        posting.to_member(scope, _member(s, "pol"), key="pol", kind="t", reply=reply)
        posting.to_channel(scope, "qa", key="qa", kind="t", reply=reply)
    with board() as s:
        assert _outbox(s) == [
            ("pol:console", "console", "@pol"),
            ("police:console", "console", "#Surrey Police"),
            ("qa:console", "console", "#qa"),
        ]


def test_replace_reports_what_changed(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as s:
        first = addresses.replace(s, "meeting", 7, {"slack": "C1", "teams": None})
        same = addresses.replace(s, "meeting", 7, {"slack": "C1"})
        moved = addresses.replace(s, "meeting", 7, {"slack": "C2", "teams": "19:x"})
        gone = addresses.replace(s, "meeting", 7, {})
    assert first == {"slack": {"before": None, "after": "C1"}}
    assert same == {}
    assert moved == {"slack": {"before": "C1", "after": "C2"}, "teams": {"before": None, "after": "19:x"}}
    assert gone == {"slack": {"before": "C2", "after": None}, "teams": {"before": "19:x", "after": None}}
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Address)) == 0


def test_the_export_holds_each_members_platform_ids(board: sessionmaker[Session], engine: Engine, tmp_path: Path) -> None:
    """`qabot export` answers a subject-access request: a member's Slack and Teams ids are
    in addresses.json under their member id."""
    counts = export_to(engine, tmp_path / "export")
    exported = json.loads((tmp_path / "export" / "addresses.json").read_text(encoding="utf-8"))
    with board() as s:
        ic = _member(s, "ic")
        assert counts["addresses"] == s.scalar(select(func.count()).select_from(Address))
    mine = {r["platform"]: r["address"] for r in exported if (r["subject_kind"], r["subject_id"]) == ("member", ic.id)}
    assert mine == {"slack": "U0CHAIR1", "teams": "0c1a0000-0000-4000-8000-000000000001"}
    members_json = json.loads((tmp_path / "export" / "members.json").read_text(encoding="utf-8"))
    assert not {"slack_id", "teams_id"} & set(members_json[0])
