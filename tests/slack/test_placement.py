"""Where a reply is shown, through the real slack-bolt app on the fake Slack: board-wide
content typed in an agency's channel is answered only to the person who typed it."""

from __future__ import annotations

from tests.slack.conftest import QA_CHANNEL, Slack
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
