"""Typed requests: the command line parsed into a request, or a form's values built into one,
give the same result; a field's problem names the field; leftover words keep their order."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.core import BotCore
from commands import registry
from commands.actions.add import ActionAddRequest
from commands.actions.change import ActionUpdateRequest
from commands.clock import FixedClock
from commands.errors import FieldError
from commands.findings import FindingAddRequest
from commands.types import Inbound, Reply, mention_token
from store.models import Action, Finding
from tests.conftest import Say


def _action(board: sessionmaker[Session], ref: str) -> Action:
    with board() as s:
        a = s.scalars(select(Action).where(Action.id == int(ref.split("-")[1]))).one()
        _ = a.agency, a.owner
        return a


def _from_slack(core: BotCore, user: str, request: object) -> Reply:
    return core.handle_request(Inbound(platform="slack", user_id=user, text=""), request)  # type: ignore[arg-type]


def test_leftover_words_stay_in_the_order_they_were_typed(say: Say, board: sessionmaker[Session]) -> None:
    r = say("qa", "/action add Check the files due 12/03/2027 for the agency Surrey Police team")
    assert r.ok, r.text()
    a = _action(board, r.data["ref"])
    assert a.text == "Check the files for the team"
    assert a.due_date == date(2027, 3, 12) and a.agency is not None and a.agency.name == "Surrey Police"


def test_finding_leftovers_keep_their_order_too(say: Say, board: sessionmaker[Session]) -> None:
    r = say("qa", "/finding add Referrals rag amber not acknowledged agency Surrey Police quickly")
    assert r.ok, r.text()
    with board() as s:
        f = s.scalars(select(Finding)).one()
        assert (f.text, f.rag) == ("Referrals not acknowledged quickly", "amber")


def test_the_registry_names_the_request_of_each_typed_command() -> None:
    assert registry.request_type("action", "add") is ActionAddRequest
    assert registry.request_type("action", "update") is ActionUpdateRequest
    assert registry.request_type("finding", "add") is FindingAddRequest
    assert registry.request_type("action", "list") is None  # still text only


def test_a_request_built_from_a_form_stores_what_the_command_line_would(
    core: BotCore, say: Say, board: sessionmaker[Session]
) -> None:
    typed = say("qa", "/action add Review MASH referral audit @pol due 12/03/2027 #cp agency Surrey Police")
    form = registry.build_request(
        "action",
        "add",
        {
            "text": "Review MASH referral audit",
            "owner": mention_token("slack", "U0POL001"),
            "due": "2027-03-12",
            "priority": "cp",
            "agency": "Surrey Police",
        },
    )
    built = _from_slack(core, "U0QAOFF1", form)
    assert built.ok and typed.ok, built.text()
    assert built.title == "Logged A-2" and built.lines == [typed.lines[0].replace("A-1", "A-2")]
    one, two = _action(board, "A-1"), _action(board, "A-2")
    assert (one.text, one.owner_id, one.agency_id, one.due_date, one.priority) == (
        two.text,
        two.owner_id,
        two.agency_id,
        two.due_date,
        two.priority,
    )
    assert two.source == "slack"


@pytest.mark.parametrize(
    ("values", "field", "says"),
    [
        ({"text": "Check the files", "priority": "urgent"}, "priority", "is not a business-plan priority"),
        ({"text": "Check the files", "due": "soon"}, "due", "date"),
        ({"text": "Check the files", "colour": "red"}, "colour", "Extra inputs"),
    ],
)
def test_a_form_value_that_cannot_be_read_names_its_field(
    values: dict[str, str], field: str, says: str
) -> None:
    with pytest.raises(FieldError) as caught:
        registry.build_request("action", "add", values)
    assert caught.value.field == field and says in caught.value.problem


@pytest.mark.parametrize(
    ("request_", "field", "says"),
    [
        (ActionAddRequest(text="Check the files", due=date(2020, 1, 1)), "due", "is in the past"),
        (
            ActionAddRequest(text="Check the files", agency="Atlantis"),
            "agency",
            'No agency matches "Atlantis"',
        ),
        (
            ActionAddRequest(text="Check the files", owner="nobody"),
            "owner",
            "There is no board member @nobody",
        ),
        (ActionAddRequest(text="Check the files", meeting=date(2027, 1, 15)), "meeting", "no meeting on"),
        (ActionAddRequest(text="  "), "text", "needs some text"),
        (ActionAddRequest(text="Child seen on 3 May, DOB 12/03/2015"), "text", "Nothing was saved"),
    ],
)
def test_a_problem_with_a_field_comes_back_naming_it(
    core: BotCore, board: sessionmaker[Session], request_: ActionAddRequest, field: str, says: str
) -> None:
    reply = _from_slack(core, "U0QAOFF1", request_)
    assert not reply.ok and reply.data == {"error": "usage", "field": field}
    assert says in reply.text(), reply.text()
    with board() as s:
        assert s.scalars(select(Action)).all() == []


def test_the_command_line_names_the_field_too(say: Say) -> None:
    r = say("qa", "/action add Check the files due 31/02/2027")
    assert not r.ok and r.data.get("field") == "due" and "February 2027 has 28 days" in r.text()
    assert say("qa", "/action add Check the files #cp #da").data.get("field") == "priority"


def test_typed_requests_are_checked_like_commands(core: BotCore, board: sessionmaker[Session]) -> None:
    lead = _from_slack(core, "U0POL001", FindingAddRequest(text="Referrals not acknowledged"))
    assert not lead.ok and lead.data.get("error") == "permission"
    assert "Agency leads cannot record findings" in lead.text()
    stranger = _from_slack(core, "U0NOBODY", FindingAddRequest(text="Referrals not acknowledged"))
    assert stranger.data.get("error") == "not_on_board"
    ok = _from_slack(core, "U0BMEM01", FindingAddRequest(text="Referrals not acknowledged", rag="AMBER"))
    assert ok.ok and "AMBER" in ok.text().upper()


def test_a_reassign_form_updates_the_owner(core: BotCore, say: Say, board: sessionmaker[Session]) -> None:
    assert say("qa", "/action add Audit strategy meetings @pol").ok
    req = registry.build_request("action", "update", {"ref": "A-1", "owner": mention_token("slack", "U0BMEM01")})
    reply = _from_slack(core, "U0QAOFF1", req)
    assert reply.ok and reply.title == "Updated A-1", reply.text()
    owner = _action(board, "A-1").owner
    assert owner is not None and owner.handle == "bm"


def test_without_a_report_writer_the_report_command_says_so(
    board: sessionmaker[Session], clock: FixedClock
) -> None:
    core = BotCore(sessions=board, clock=clock)  # wired without services
    reply = core.handle(Inbound(platform="console", user_id="qa", text="/qa report 14/01/2027"))
    assert not reply.ok and reply.data.get("error") == "config"
    assert "no Board report writer configured" in reply.text() and "Traceback" not in reply.text()


def test_a_meeting_form_is_checked_like_the_command_line(core: BotCore, board: sessionmaker[Session]) -> None:
    def add(values: dict[str, str]) -> Reply:
        return _from_slack(core, "U0QAOFF1", registry.build_request("qa", "meeting", values))

    needs = add({"kind": "priority", "starts": "2027-02-11T10:00:00+00:00"})
    assert needs.data == {"error": "usage", "field": "priority"} and "needs its priority" in needs.text()
    past = add({"kind": "board", "starts": "2020-01-01T10:00:00+00:00"})
    assert past.data.get("field") == "starts" and "is in the past" in past.text()
    with pytest.raises(FieldError) as caught:
        registry.build_request(
            "qa", "meeting", {"kind": "fortnightly", "starts": "2027-02-11T10:00:00+00:00"}
        )
    assert caught.value.field == "kind"
    added = add({"kind": "panel", "starts": "2027-02-11T10:00:00+00:00", "priority": "cse"})
    assert added.ok and added.title == "Added the priority scrutiny panel: CSE scrutiny panel", added.text()


def test_the_meeting_command_line_names_its_fields(say: Say) -> None:
    assert say("qa", "/qa meeting add board 31/02/2027 10:00").data.get("field") == "starts"
    assert say("qa", "/qa meeting add fortnightly 11/02/2027 10:00").data.get("field") == "kind"
