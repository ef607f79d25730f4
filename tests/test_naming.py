"""People and agencies named the way people name them (issue 15): owners by handle, mention
or name; agencies by name, alias, abbreviation or kind; "owner" and "agency" inside ordinary
text; Slack markup kept as text; #lac. On SQLite and PostgreSQL (the `db_url` fixture)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.core import BotCore
from bot.services import board_services
from commands.clock import FixedClock
from commands.types import Inbound, Reply
from integrations.slack.inbound import text_for_core
from store.models import Action, Agency, Finding, Member
from tests.conftest import load_board

Say = Callable[..., Reply]


@pytest.fixture
def names_board(sessions: sessionmaker[Session], clock: FixedClock) -> sessionmaker[Session]:
    load_board(sessions, clock, "board_names.yaml")
    return sessions


@pytest.fixture
def say(names_board: sessionmaker[Session], clock: FixedClock) -> Say:
    core = BotCore(sessions=names_board, clock=clock, platforms=("console",), services=board_services())

    def _say(handle: str, line: str, **kw: object) -> Reply:
        return core.handle(Inbound(platform="console", user_id=handle, text=line, **kw))  # type: ignore[arg-type]

    return _say


def last_action(sessions: sessionmaker[Session]) -> tuple[str, str | None, str | None, str | None]:
    """(text, owner handle, agency name, priority) of the newest action."""
    with sessions() as s:
        a = s.scalars(select(Action).order_by(Action.id.desc())).first()
        assert a is not None
        owner = s.get(Member, a.owner_id).handle if a.owner_id else None  # type: ignore[union-attr]
        agency = s.get(Agency, a.agency_id).name if a.agency_id else None  # type: ignore[union-attr]
        return a.text, owner, agency, a.priority


def count_actions(sessions: sessionmaker[Session]) -> int:
    with sessions() as s:
        return len(s.scalars(select(Action.id)).all())


# ── people ───────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("line", "owner", "text"),
    [
        ("/action add Send the audit owner Claire Wood due 12/03/2027", "claire.wood", "Send the audit"),
        ("/action add Send the audit owner claire.wood", "claire.wood", "Send the audit"),
        ("/action add Send the audit @Tom Baines", "tbaines", "Send the audit"),
        ("/action add Check the notes (@claire.wood) first", "claire.wood", "Check the notes first"),
        ("/action add Chase the return owner @pol", "pol", "Chase the return"),
    ],
)
def test_an_owner_is_named_by_handle_mention_or_name(
    say: Say, names_board: sessionmaker[Session], line: str, owner: str, text: str
) -> None:
    reply = say("qa", line)
    assert reply.ok, reply.text()
    got_text, got_owner, _, _ = last_action(names_board)
    assert (got_text, got_owner) == (text, owner)


def test_a_first_name_that_fits_two_people_is_a_question(say: Say, names_board: sessionmaker[Session]) -> None:
    reply = say("qa", "/action add Send the audit owner Tom")
    assert not reply.ok
    shown = reply.text()
    assert "@tbaines (Tom Baines)" in shown and "@tsmith (Tom Smith)" in shown
    assert "double quotes" in shown
    assert count_actions(names_board) == 0


def test_did_you_mean_comes_from_the_whole_board(say: Say) -> None:
    reply = say("qa", "/action add Send the audit @claire")
    assert not reply.ok
    assert "Did you mean @claire.wood (Claire Wood)?" in reply.text()
    reply = say("qa", "/action add Send the audit @zoee")
    assert "@zoe (Zoë Quinn)" in reply.text()


def test_owner_in_ordinary_text_is_text(say: Say, names_board: sessionmaker[Session]) -> None:
    reply = say("qa", "/action add Ask the owner of the MASH data for the figures @pol")
    assert reply.ok, reply.text()
    assert last_action(names_board)[:2] == ("Ask the owner of the MASH data for the figures", "pol")


def test_a_second_person_is_text_and_an_unknown_one_is_never_a_raw_token(
    say: Say, names_board: sessionmaker[Session]
) -> None:
    line = text_for_core("/action add Brief <@U0CLWD01> and <@UNOBODY99> on the audit <@U0POL001>")
    reply = say("qa", line)
    assert reply.ok, reply.text()
    text, owner, _, _ = last_action(names_board)
    assert owner == "claire.wood"
    assert text == "Brief and someone not on the board on the audit Police Lead"
    assert "<@" not in reply.text()


def test_an_owner_not_on_the_board_is_refused_in_words(say: Say, names_board: sessionmaker[Session]) -> None:
    reply = say("qa", text_for_core("/action add Review the audit <@UNOBODY99>"))
    assert not reply.ok
    assert "not on the board" in reply.text() and "<@" not in reply.text()
    assert count_actions(names_board) == 0


def test_update_owner_by_name(say: Say, names_board: sessionmaker[Session]) -> None:
    assert say("qa", "/action add Review the audit @pol").ok
    reply = say("qa", "/action update A-1 owner Tom Baines")
    assert reply.ok, reply.text()
    assert last_action(names_board)[1] == "tbaines"


def test_a_finding_keeps_the_people_it_names_as_text(say: Say, names_board: sessionmaker[Session]) -> None:
    reply = say("qa", "/finding add Raised by @pol at the panel")
    assert reply.ok, reply.text()
    with names_board() as s:
        assert s.scalars(select(Finding.text)).one() == "Raised by @pol at the panel"


# ── agencies ─────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("words", "agency"),
    [
        ("agency Surrey Police", "Surrey Police"),
        ("agency SP", "Surrey Police"),
        ("agency police", "Surrey Police"),
        ("agency the ICB", "Surrey Heartlands ICB"),
        ("agency Heartlands", "Surrey Heartlands ICB"),
        ("agency childrens services", "Surrey Children's Services"),
    ],
)
def test_an_agency_is_named_by_name_alias_abbreviation_or_kind(
    say: Say, names_board: sessionmaker[Session], words: str, agency: str
) -> None:
    reply = say("qa", f"/action add Review the audit {words}")
    assert reply.ok, reply.text()
    assert last_action(names_board)[:3:2] == ("Review the audit", agency)


def test_an_agency_that_could_be_several_is_a_question(say: Say, names_board: sessionmaker[Session]) -> None:
    reply = say("qa", "/action add Review the audit agency Surrey")
    assert not reply.ok
    assert "Surrey Police" in reply.text() and "Surrey Health" in reply.text()
    assert "double quotes" in reply.text()
    listed = say("qa", "/action list agency Surrey")
    assert not listed.ok and "which one" in listed.text()
    assert count_actions(names_board) == 0


def test_agency_in_ordinary_text_is_text(say: Say, names_board: sessionmaker[Session]) -> None:
    reply = say("qa", "/action add Agency leads to sign off the plan")
    assert reply.ok, reply.text()
    assert last_action(names_board)[:3:2] == ("Agency leads to sign off the plan", None)
    quoted = say("qa", '/action add Tell the "agency" police it is done agency SP')
    assert quoted.ok, quoted.text()
    assert last_action(names_board)[:3:2] == ("Tell the agency police it is done", "Surrey Police")


def test_both_words_as_text_keep_their_order(say: Say, names_board: sessionmaker[Session]) -> None:
    line = "/action add Agency leads and the owner of the data to check the figures due 12/03/2027"
    reply = say("qa", line)
    assert reply.ok, reply.text()
    assert last_action(names_board)[0] == "Agency leads and the owner of the data to check the figures"


def test_a_misspelt_agency_is_asked_about(say: Say, names_board: sessionmaker[Session]) -> None:
    reply = say("qa", "/action add Review the audit agency Surey Police")
    assert not reply.ok
    assert "Did you mean agency Surrey Police?" in reply.text()


def test_an_action_a_lead_logs_for_another_agencys_person_is_that_agencys(
    say: Say, names_board: sessionmaker[Session]
) -> None:
    reply = say("pol", "/action add Share the strategy notes @claire.wood")
    assert reply.ok, reply.text()
    assert last_action(names_board)[1:3] == ("claire.wood", "Surrey Children's Services")
    assert "Filed under Surrey Children's Services, @claire.wood's agency" in reply.text()
    # With no owner, or an owner of their own agency, it stays theirs.
    assert say("pol", "/action add Update the force policy @pol2").ok
    assert last_action(names_board)[2] == "Surrey Police"


# ── markup and priorities ───────────────────────────────────────────────────────────────


def test_ordinary_slack_markup_in_text_is_kept_as_text(say: Say, names_board: sessionmaker[Session]) -> None:
    line = text_for_core(
        "/action add Share <https://sp.example/doc|the audit report> in <#C0QAE01|qa-subgroup> <!here> <@U0POL001>"
    )
    reply = say("qa", line)
    assert reply.ok, reply.text()
    text, owner, _, priority = last_action(names_board)
    assert owner == "pol" and priority is None
    assert text == "Share the audit report (https://sp.example/doc) in #qa-subgroup @here"


def test_lac_is_looked_after_children_under_child_protection(
    say: Say, names_board: sessionmaker[Session]
) -> None:
    reply = say("qa", "/action add Review placement stability audit @cs #lac")
    assert reply.ok, reply.text()
    assert last_action(names_board)[3] == "Child Protection (LAC)"
    assert "Child Protection (LAC)" in reply.text()
    listed = say("qa", "/action list #cp")
    assert "placement stability" in listed.text()


def test_a_mistyped_command_gets_did_you_mean(say: Say) -> None:
    reply = say("qa", "/acton list")
    assert not reply.ok and "Did you mean /action?" in reply.text()
    reply = say("qa", "/action lsit")
    assert not reply.ok and "Did you mean /action list?" in reply.text()
