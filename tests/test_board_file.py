"""`qabot import`: loads or updates the board in place, refuses typos with their line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.boards import import_file, seed_demo
from commands.board_file import parse_board_file
from commands.clock import FixedClock
from commands.errors import ConfigError
from store import addresses
from store.models import Agency, Meeting, Member
from tests.conftest import FIXTURES


def table_counts(sessions: sessionmaker[Session]) -> tuple[int, int, int]:
    with sessions() as s:
        return tuple(s.scalar(select(func.count()).select_from(t)) or 0 for t in (Member, Agency, Meeting))  # type: ignore[return-value]


def test_reimport_changes_nothing_and_edits_update_in_place(
    sessions: sessionmaker[Session], clock: FixedClock, tmp_path: Path
) -> None:
    path = tmp_path / "board.yaml"
    path.write_text((FIXTURES / "board.yaml").read_text())
    first = import_file(sessions, clock, path)
    assert first["created"] > 0
    before = table_counts(sessions)
    again = import_file(sessions, clock, path)
    assert again == {"created": 0, "updated": 0, "unchanged": again["unchanged"]}
    assert table_counts(sessions) == before

    path.write_text(
        path.read_text()
        .replace("name: Police Lead,", "name: Chief Inspector Lead,")
        .replace("C0POL001}}", "C0POLNEW}}")
    )
    edited = import_file(sessions, clock, path)
    assert edited["created"] == 0 and edited["updated"] == 2
    assert table_counts(sessions) == before
    with sessions() as s:
        pol = s.scalar(select(Member).where(Member.handle == "pol"))
        police = s.scalar(select(Agency).where(Agency.name == "Surrey Police"))
        assert pol is not None and pol.name == "Chief Inspector Lead"
        # The agency's Slack channel now lives in the addresses table (0008).
        assert police is not None and addresses.of(s, "agency", police.id)["slack"] == "C0POLNEW"
        assert police.lead_id == pol.id


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (("role: qa_officer", "role: qa_oficer"), "line 7: members.1.role: expected 'chair', 'qa_officer'"),
        (("{handle: bm,", "{handel: bm, handle: bm,"), "line 8: members.2.handel: unknown key"),
        (
            ("sector: non-statutory, lead: faith", "sector: voluntary, lead: faith"),
            "line 19: agencies.3.sector",
        ),
        (("timezone: Europe/London", "timezone: Europe/Londn"), "is not a time zone name"),
        (("lead: pol, substitute: pol2", "lead: pol, substitute: pol3"), 'substitute "pol3" is not a member'),
        (
            ("timezone: Europe/London}", 'timezone: Europe/London, marking: "SECRET!!"}'),
            "line 2: board.marking: \"SECRET!!\" is not a protective marking such as OFFICIAL",
        ),
    ],
)
def test_typos_are_refused_with_their_line(change: tuple[str, str], says: str) -> None:
    text = (FIXTURES / "board.yaml").read_text()
    assert change[0] in text
    with pytest.raises(ConfigError) as e:
        parse_board_file(text.replace(change[0], change[1], 1), name="board.yaml")
    assert says in str(e.value)


def test_demo_board_loads_the_framework_partners(sessions: sessionmaker[Session], clock: FixedClock) -> None:
    seed_demo(sessions, clock)
    with sessions() as s:
        sectors = {a.name: a.sector for a in s.scalars(select(Agency))}
        roles = {m.role for m in s.scalars(select(Member))}
        meetings = s.scalar(select(func.count()).select_from(Meeting)) or 0
    assert sectors["Surrey Police"] == "statutory" and sectors["Surrey Faith Forum"] == "non-statutory"
    assert {"statutory", "non-statutory"} == set(sectors.values())
    assert {"chair", "qa_officer", "member", "agency_lead"} <= roles
    assert meetings >= 12
    again = seed_demo(sessions, clock)
    assert again["created"] == 0 and again["updated"] == 0


def test_the_marking_is_optional_and_kept_upper_case(sessions: sessionmaker[Session], clock: FixedClock) -> None:
    from commands.document_head import marking_of
    from store.models import Board

    text = (FIXTURES / "board.yaml").read_text()
    assert parse_board_file(text, name="board.yaml").board.marking == "OFFICIAL"
    marked = text.replace("timezone: Europe/London}", "timezone: Europe/London, marking: official-sensitive}")
    assert parse_board_file(marked, name="board.yaml").board.marking == "OFFICIAL-SENSITIVE"
    path = FIXTURES.parent / "fixtures" / "board.yaml"
    import_file(sessions, clock, path)
    with sessions() as s:
        assert marking_of(s.get(Board, 1)) == "OFFICIAL"
