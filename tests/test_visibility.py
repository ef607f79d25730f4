"""Who sees what: role × command × whose item, on SQLite and PostgreSQL.

The test board (tests/fixtures/board.yaml) plus one change: @faith, lead of Surrey Faith
Forum, is also the substitute of Surrey Children's Services, as a board file may say. So the
roles are the chair (@ic), the QA officer (@qa), a board member (@bm), the police lead (@pol),
the children's services lead (@cs) and a lead of two agencies (@faith).

Each item belongs to Surrey Police, to Surrey Children's Services, or to no agency; each
command shows it, lists it, or answers "There is no …" as if it did not exist.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.core import BotCore
from commands.clock import FixedClock
from commands.types import Inbound, Reply
from store.db import transaction
from store.models import Action, Agency, Member, OutboxMessage
from tests.conftest import LONDON, Say

ROLES = ("ic", "qa", "bm", "pol", "cs", "faith")
OWNERS = ("police", "children", "none")
CS = "Surrey Children's Services"

# Who may see an item of each owner. @pol2 owns the police action, @cs the children's one,
# @bm the one of no agency: a lead sees their agencies' items (and actions they own).
SEES: dict[str, set[str]] = {
    "ic": {"police", "children", "none"},
    "qa": {"police", "children", "none"},
    "bm": {"police", "children", "none"},
    "pol": {"police"},
    "cs": {"children"},
    "faith": {"children"},  # as the substitute for Children's Services
}


@pytest.fixture
def two_hats(board: sessionmaker[Session]) -> sessionmaker[Session]:
    """@faith deputises for Surrey Children's Services as well as leading Surrey Faith Forum."""
    with transaction(board) as s:
        faith = s.scalar(select(Member).where(Member.handle == "faith"))
        children = s.scalar(select(Agency).where(Agency.name == CS))
        assert faith is not None and children is not None
        children.substitute_id = faith.id
    return board


def _items(say: Say) -> dict[str, dict[str, str]]:
    """An action and a finding of each owner, logged by the QA officer in the QA channel."""
    made = {
        "police": (
            say("qa", "/action add Audit police strategy meetings @pol2 agency Surrey Police"),
            say("qa", "/finding add Police attendance at strategy meetings low agency Surrey Police rag red"),
        ),
        "children": (
            say("qa", f"/action add Review the MASH front door @cs agency {CS}"),
            say("qa", f"/finding add MASH threshold decisions inconsistent agency {CS} rag amber"),
        ),
        "none": (
            say("qa", "/action add Draft the neglect toolkit briefing @bm"),
            say("qa", "/finding add Neglect toolkit little used rag amber"),
        ),
    }
    out = {}
    for owner, (a, f) in made.items():
        assert a.ok and f.ok, (a.text(), f.text())
        out[owner] = {"action": str(a.data["ref"]), "finding": str(f.data["ref"])}
    return out


def _listed(reply: Reply, ref: str) -> bool:
    return any(line.startswith(ref + " ") for line in reply.lines)


def _hidden(reply: Reply, ref: str) -> bool:
    return (
        not reply.ok
        and any(
            line.startswith(f"There is no {kind}") for line in reply.lines for kind in ("action", "finding")
        )
        and ref in reply.text()
    )


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_exactly_its_items(two_hats: sessionmaker[Session], say: Say, role: str) -> None:
    refs = _items(say)
    lists = {
        "action": say(role, "/action list all"),
        "finding": say(role, "/finding list"),
    }
    for owner in OWNERS:
        for kind, ref in refs[owner].items():
            visible = owner in SEES[role]
            assert _listed(lists[kind], ref) == visible, (role, owner, kind, lists[kind].text())
            shown = say(role, f"/{kind} show {ref}")
            if visible:
                assert shown.ok and shown.title and shown.title.startswith(ref + ":"), (
                    role,
                    ref,
                    shown.text(),
                )
            else:
                assert _hidden(shown, ref), (role, ref, shown.text())
                assert "police" not in shown.text().lower() and "mash" not in shown.text().lower()
    # Listing one agency's items by name never reveals another's.
    police = say(role, "/action list all agency Surrey Police")
    assert _listed(police, refs["police"]["action"]) == ("police" in SEES[role])


@pytest.mark.parametrize("role", ROLES)
def test_each_role_changes_exactly_what_it_may(two_hats: sessionmaker[Session], say: Say, role: str) -> None:
    """Closing an action: its owner, the officers, and the leads of its agency; another agency's
    is not found. A board member who owns nothing here is refused, saying why."""
    refs = _items(say)
    may_change = {
        "ic": set(OWNERS),
        "qa": set(OWNERS),
        "bm": {"none"},  # the owner of the action of no agency
        "pol": {"police"},
        "cs": {"children"},
        "faith": {"children"},
    }
    for owner in OWNERS:
        ref = refs[owner]["action"]
        reply = say(role, f"/action snooze {ref} 7")
        if owner in may_change[role]:
            assert reply.ok and reply.title and reply.title.startswith(f"Snoozed {ref}"), (role, reply.text())
        elif owner in SEES[role]:
            assert reply.title == "Not allowed" and "cannot snooze" in reply.text(), (role, reply.text())
        else:
            assert _hidden(reply, ref), (role, reply.text())


def test_a_lead_of_two_agencies_acts_for_both_and_moves_nothing_out(
    two_hats: sessionmaker[Session], say: Say
) -> None:
    refs = _items(say)
    children = refs["children"]["action"]
    assert (
        say("faith", f"/action done {children} checked with the MASH manager").title == f"Closed {children}"
    )
    logged = say("faith", f"/action add Chase the MASH audit agency {CS}")
    assert logged.ok and CS in logged.text(), logged.text()
    own = say("faith", "/action add Update the faith settings guidance")  # their own agency by default
    assert own.ok and "Surrey Faith Forum" in own.text(), own.text()
    # Between their own two agencies: allowed. Out of them: refused, and nothing changes.
    moved = say("faith", f"/action update {logged.data['ref']} agency Surrey Faith Forum")
    assert moved.ok and "Surrey Faith Forum" in moved.text(), moved.text()
    out = say("faith", f"/action update {own.data['ref']} agency Surrey Police")
    assert out.title == "Not allowed" and "not Surrey Police" in out.text(), out.text()
    out = say("pol", f"/action update {refs['police']['action']} agency {CS}")
    assert out.title == "Not allowed", out.text()
    with two_hats() as s:
        police = s.scalar(select(Agency.id).where(Agency.name == "Surrey Police"))
        assert s.get(Action, int(refs["police"]["action"][2:])).agency_id == police  # type: ignore[union-attr]
        assert s.get(Action, int(str(own.data["ref"])[2:])).agency.name == "Surrey Faith Forum"  # type: ignore[union-attr]
    # The Section 11 self-assessment of the second agency is theirs to record, too.
    assert say("qa", "/s11 launch 2027 statutory deadline 30/04/2027").ok
    rated = say("faith", f"/s11 rate {CS} 1 amber")
    assert rated.ok, rated.text()
    assert say("faith", "/s11 rate Surrey Police 1 amber").title == "Not allowed"


def test_section11_status_shows_each_lead_their_agencies_returns(
    two_hats: sessionmaker[Session], say: Say
) -> None:
    assert say("qa", "/s11 launch 2027 statutory deadline 30/04/2027").ok
    lines = {role: say(role, "/s11 status 2027").text() for role in ("qa", "pol", "faith", "nhs")}
    assert "Surrey Police" in lines["qa"] and CS in lines["qa"] and "Returns in" in lines["qa"]
    assert "Surrey Police" in lines["pol"] and CS not in lines["pol"] and "Returns in" not in lines["pol"]
    assert CS in lines["faith"] and "Surrey Police" not in lines["faith"]
    assert "Surrey Police" not in lines["nhs"] and CS not in lines["nhs"]


# ---------------------------------------------------------------------------- the board's views

MEETING = "14/01/2027"  # the QA&E sub-group of tests/fixtures/board.yaml
BOARD_VIEWS = ("/qa status", f"/qa agenda {MEETING}", f"/qa summary {MEETING}")


def _meeting_items(say: Say) -> dict[str, dict[str, str]]:
    """For each owner, an action due 1 Dec 2026 and an escalated finding, both of the meeting
    (so the agenda, the summary and, once overdue, the status list them)."""
    text = {
        "police": ("Audit police strategy meetings @pol2", "Police attendance low agency Surrey Police"),
        "children": (f"Review the MASH front door @cs agency {CS}", f"MASH thresholds vary agency {CS}"),
        "none": ("Draft the neglect toolkit briefing @bm", "Neglect toolkit little used"),
    }
    out = {}
    for owner, (action, finding) in text.items():
        a = say("qa", f"/action add {action} due 01/12/2026 meeting {MEETING}")
        f = say("qa", f"/finding add {finding} rag red escalate meeting {MEETING}")
        assert a.ok and f.ok, (a.text(), f.text())
        out[owner] = {"action": str(a.data["ref"]), "finding": str(f.data["ref"])}
    return out


def _mentions(reply: Reply, ref: str) -> bool:
    return re.search(rf"\b{ref}\b", reply.text()) is not None


@pytest.mark.parametrize("role", ROLES)
def test_the_board_views_show_each_role_exactly_its_items(
    two_hats: sessionmaker[Session], say: Say, clock: FixedClock, role: str
) -> None:
    """/qa status, the agenda preview and the outcome summary: a lead of one agency and a lead
    of two see their agencies' items and none of another's, listed or counted; the officers
    and board members see every item."""
    refs = _meeting_items(say)
    clock.set(datetime(2026, 12, 3, 9, 0, tzinfo=LONDON))  # the actions are overdue now
    for line in BOARD_VIEWS:
        reply = say(role, line)
        assert reply.ok, (role, line, reply.text())
        for owner in OWNERS:
            for ref in refs[owner].values():
                assert _mentions(reply, ref) == (owner in SEES[role]), (role, line, ref, reply.text())
        text = reply.text()
        if "police" not in SEES[role]:
            assert "Surrey Police" not in text and "Police attendance" not in text, (role, line, text)
        if "children" not in SEES[role]:
            assert CS not in text and "MASH" not in text, (role, line, text)
        if role in ("pol", "cs", "faith"):
            assert "Shown for " in text and "neither listed nor counted" in text, (role, line)
    # Counted as listed: one action and one finding per owner seen.
    seen = len(SEES[role])
    status = say(role, "/qa status")
    assert status.fields[:2] == [("Open", str(seen)), ("Overdue", str(seen))], (role, status.fields)
    summary = say(role, f"/qa summary {MEETING}")
    assert dict(summary.fields)["Actions agreed"] == str(seen), (role, summary.fields)
    assert f"Findings by agency and priority ({seen}):" in summary.lines, (role, summary.lines)
    agenda = say(role, f"/qa agenda {MEETING}")
    assert f"Findings recorded so far ({seen})" in agenda.text(), (role, agenda.text())


def test_only_the_boards_summary_goes_into_the_meetings_thread(
    two_hats: sessionmaker[Session], say: Say
) -> None:
    _meeting_items(say)

    def posted() -> int:
        with two_hats() as s:
            stmt = select(OutboxMessage).where(OutboxMessage.kind == "agenda_summary")
            return len(list(s.scalars(stmt)))

    for role in ("pol", "faith"):
        assert say(role, f"/qa summary {MEETING}").ok
    assert posted() == 0
    assert say("qa", f"/qa summary {MEETING}").ok
    assert posted() == 1


# ---------------------------------------------------------------------------- where replies are shown

QA_SLACK, POLICE_SLACK = "C0QAE01", "C0POL001"


@pytest.fixture
def on_slack(core: BotCore) -> Callable[[str, str, str], Reply]:
    """As typed on Slack: the member (by handle here) by their Slack id, in a Slack channel."""
    ids = {"qa": "U0QAOFF1", "bm": "U0BMEM01", "pol": "U0POL001", "ic": "U0CHAIR1"}

    def _say(handle: str, line: str, channel: str) -> Reply:
        return core.handle(Inbound(platform="slack", user_id=ids[handle], text=line, channel=channel))

    return _say


def test_board_wide_content_is_public_only_in_the_qa_or_meeting_channel(
    board: sessionmaker[Session], say: Say, on_slack: Callable[[str, str, str], Reply]
) -> None:
    say(
        "qa",
        "/finding add Health visitors miss strategy meetings agency Surrey Health rag red meeting 14/01/2027",
    )
    in_qa = on_slack("qa", "/qa summary 14/01/2027", QA_SLACK)
    assert in_qa.ok and in_qa.visibility == "channel" and "Health visitors" in in_qa.text()
    for channel in (POLICE_SLACK, "C0ELSEWH1"):  # an agency's channel, a channel the board never named
        private = on_slack("qa", "/qa summary 14/01/2027", channel)
        assert private.ok and private.visibility == "ephemeral", channel
        assert "Health visitors" in private.text()  # the QA officer still sees it, privately
        assert "Shown only to you" in private.lines[-1] and "the whole board" in private.lines[-1]


def test_an_agencys_confirmation_is_public_in_its_own_channel_only(
    board: sessionmaker[Session], on_slack: Callable[[str, str, str], Reply]
) -> None:
    police = on_slack("qa", "/action add Audit police strategy meetings agency Surrey Police", POLICE_SLACK)
    assert police.ok and police.visibility == "channel"
    health = on_slack(
        "bm", "/finding add Health visitors miss strategy meetings agency Surrey Health rag red", POLICE_SLACK
    )
    assert health.ok and health.visibility == "ephemeral" and "concerns one agency" in health.lines[-1]
    board_item = on_slack("qa", "/action add Draft the neglect toolkit briefing @bm", POLICE_SLACK)
    assert board_item.ok and board_item.visibility == "ephemeral"
    in_qa = on_slack("qa", "/action add Draft the neglect toolkit briefing @bm", QA_SLACK)
    assert in_qa.ok and in_qa.visibility == "channel" and "Shown only to you" not in in_qa.text()
    # The lead's own snooze of their agency's action stays public in their channel.
    snoozed = on_slack("pol", f"/action snooze {police.data['ref']} 7", POLICE_SLACK)
    assert snoozed.ok and snoozed.visibility == "channel"


def test_console_places_are_named(board: sessionmaker[Session], say: Say) -> None:
    """The console names its places (#qa, #<meeting title>, #<agency>): the same rule holds."""
    line = "/action add Audit police strategy meetings agency Surrey Police"
    assert say("qa", line, channel="#qa").visibility == "channel"
    assert say("qa", line, channel="#QA&E sub-group").visibility == "channel"
    assert say("qa", line, channel="#Surrey Police").visibility == "channel"
    assert say("qa", line, channel="#Surrey Health").visibility == "ephemeral"
    assert say("qa", line).visibility == "channel"  # no channel: the person's own session


def test_where_the_platform_cannot_reply_privately_the_answer_goes_to_a_private_chat(
    board: sessionmaker[Session], say: Say, core: BotCore
) -> None:
    """A Teams channel has no message for one person: the summary goes to the chair's 1:1 chat
    (queued, like every post) and the channel hears only that it was sent."""
    say(
        "qa",
        "/finding add Health visitors miss strategy meetings agency Surrey Health rag red meeting 14/01/2027",
    )
    inbound = Inbound(
        platform="teams",
        user_id="0c1a0000-0000-4000-8000-000000000001",  # @ic's Entra object id
        text="/qa summary 14/01/2027",
        channel="19:health@thread.tacv2",  # Surrey Health's channel
        message_id="1700000000001",
        delivery_key="teams:1700000000001",
        private_replies=False,
    )
    shown = core.handle(inbound)
    assert shown.ok and "private chat" in shown.text()
    assert "Health visitors" not in shown.text()
    with board() as s:
        rows = list(s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "private_reply")))
    assert len(rows) == 1 and rows[0].channel == "@ic"  # the console addresses people by name
    assert "Health visitors miss strategy meetings" in str(rows[0].payload)
    assert core.handle(inbound).ok  # the same delivery again queues nothing more
    with board() as s:
        assert len(list(s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "private_reply")))) == 1


def test_where_every_answer_is_public_a_list_goes_to_the_private_chat_too(
    board: sessionmaker[Session], say: Say, core: BotCore
) -> None:
    """In a Teams channel a list would be read by everyone there: the chair's list of every
    agency's findings typed in Surrey Health's channel goes to their 1:1 chat; in the QA
    channel it is answered in place."""
    say("qa", "/finding add Police attendance at strategy meetings low agency Surrey Police rag red")

    def teams(channel: str, n: int) -> Reply:
        return core.handle(
            Inbound(
                platform="teams",
                user_id="0c1a0000-0000-4000-8000-000000000001",  # @ic's Entra object id
                text="/finding list",
                channel=channel,
                message_id=f"170000000010{n}",
                delivery_key=f"teams:170000000010{n}",
                private_replies=False,
            )
        )

    in_health = teams("19:health@thread.tacv2", 1)
    assert "private chat" in in_health.text() and "Police attendance" not in in_health.text()
    in_qa = teams("19:abc@thread.tacv2", 2)
    assert "Police attendance" in in_qa.text()


def test_help_is_answered_where_it_is_asked(board: sessionmaker[Session], core: BotCore) -> None:
    """Help pages hold no board data: in a Teams agency channel they are answered in place."""
    reply = core.handle(
        Inbound(
            platform="teams",
            user_id="0c1a0000-0000-4000-8000-000000000001",
            text="/action help",
            channel="19:health@thread.tacv2",
            message_id="1700000000201",
            private_replies=False,
        )
    )
    assert reply.ok and "/action add" in reply.text() and "private chat" not in reply.text()


def test_a_leads_summary_is_public_only_where_their_agencies_items_may_be_read(
    board: sessionmaker[Session], say: Say, on_slack: Callable[[str, str, str], Reply]
) -> None:
    say("qa", f"/finding add Police attendance low agency Surrey Police rag red meeting {MEETING}")
    own = on_slack("pol", f"/qa summary {MEETING}", POLICE_SLACK)
    assert own.ok and own.visibility == "channel" and "Police attendance" in own.text()
    elsewhere = on_slack("pol", f"/qa summary {MEETING}", "C0CSERV1")  # Children's Services' channel
    assert elsewhere.ok and elsewhere.visibility == "ephemeral"
    assert "Shown only to you" in elsewhere.lines[-1] and "one agency" in elsewhere.lines[-1]
