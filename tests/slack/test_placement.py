"""Where a reply is shown, through the real slack-bolt app on the fake Slack: board-wide
content typed in an agency's channel is answered only to the person who typed it."""

from __future__ import annotations

import json
from datetime import timedelta

from tests.slack.conftest import QA_CHANNEL, Slack, fixture
from tests.slack.test_commands import blocks_text

POLICE_CHANNEL = "C0POL001"  # Surrey Police's own channel in tests/fixtures/board.yaml


def _record_health_red(slack: Slack) -> None:
    slack.command(
        "U0QAOFF1",
        "/finding",
        "add Health visitors miss strategy meetings agency Surrey Health rag red meeting 14/01/2027",
    )
    slack.idle()
    assert len(slack.fake.posts(QA_CHANNEL)) == 1  # logged publicly where it belongs


def test_qa_summary_in_an_agency_channel_is_answered_ephemerally(slack: Slack) -> None:
    _record_health_red(slack)
    slack.command("U0QAOFF1", "/qa", "summary 14/01/2027", channel=POLICE_CHANNEL)
    slack.idle()
    assert slack.fake.posts(POLICE_CHANNEL) == []  # nothing for everyone in the police channel
    (eph,) = slack.fake.ephemerals("U0QAOFF1")
    assert eph["channel"] == POLICE_CHANNEL
    shown = blocks_text(eph)
    assert "Health visitors miss strategy meetings" in shown
    assert "Shown only to you" in shown


def test_qa_summary_in_the_qa_channel_is_posted_there(slack: Slack) -> None:
    _record_health_red(slack)
    slack.command("U0QAOFF1", "/qa", "summary 14/01/2027", channel=QA_CHANNEL)
    slack.idle()
    posts = slack.fake.posts(QA_CHANNEL)
    summaries = [p for p in posts[1:] if "Outcome summary" in blocks_text(p)]
    assert summaries and "Health visitors miss strategy meetings" in blocks_text(summaries[0])
    assert slack.fake.ephemerals("U0QAOFF1") == []


def test_the_app_home_of_an_agency_lead_shows_only_their_agencies_overdue_actions(slack: Slack) -> None:
    """App Home lists what is overdue through the same policy: the police lead sees the police
    action, not Children's Services' nor one of no agency."""
    slack.command("U0QAOFF1", "/action", "add Send the Police return agency Surrey Police due 30/11/2026")
    slack.command("U0QAOFF1", "/action", "add Fix the MASH rota <@U0CSLD01> due 30/11/2026")
    slack.command("U0QAOFF1", "/action", "add Update the escalation protocol <@U0QAOFF1> due 30/11/2026")
    slack.idle()
    slack.rt.clock.advance(timedelta(days=10))  # type: ignore[attr-defined]
    slack.event(fixture("event_app_home_opened"))  # opened by U0POL001
    slack.idle()
    shown = json.dumps(slack.fake.published["U0POL001"]["blocks"])
    assert "Overdue actions (1)" in shown and "Send the Police return" in shown
    assert "MASH rota" not in shown and "escalation protocol" not in shown
    slack.event(fixture("event_app_home_opened", event={"user": "U0QAOFF1"}, event_id="Ev0HOME00003"))
    slack.idle()
    board_view = json.dumps(slack.fake.published["U0QAOFF1"]["blocks"])
    assert "Overdue actions (3)" in board_view
