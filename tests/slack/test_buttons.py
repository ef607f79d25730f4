"""After a button click the message that carried it shows the action's new state (chat.update)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.runtime import Runtime
from bot.tick import run_tick
from commands.clock import FixedClock
from store.models import Action
from tests.fakes.slack_api import FakeSlack
from tests.slack.conftest import QA_CHANNEL, Slack
from tests.slack.test_commands import blocks_text
from tests.slack.test_interactivity import click, submission


def labels(blocks: list[dict[str, Any]]) -> list[str]:
    """The button labels a message shows."""
    return [e["text"]["text"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


def log_action(slack: Slack) -> dict[str, Any]:
    slack.command("U0QAOFF1", "/action", "add Review the rota <@U0POL001> due 12/03/2027")
    slack.idle()
    (logged,) = slack.fake.messages(QA_CHANNEL)
    assert labels(logged["blocks"]) == ["Done", "Snooze a week", "Reassign"]
    return logged


def current(fake: FakeSlack, ts: str) -> dict[str, Any]:
    return next(m for m in fake.messages(QA_CHANNEL) if m["ts"] == ts)


def test_done_updates_the_message_without_buttons_and_confirms_in_the_thread(slack: Slack) -> None:
    logged = log_action(slack)
    click(slack, "U0POL001", logged, "Done")
    slack.idle()

    (update,) = slack.fake.calls_to("chat.update", ok_only=True)
    assert update.params["channel"] == QA_CHANNEL and update.params["ts"] == logged["ts"]
    shown = blocks_text(update.params)
    assert "Closed A-1" in shown and "Review the rota" in shown and "DONE" in shown
    assert "<@U0POL001>" in shown  # who did it
    assert labels(update.params["blocks"]) == []
    assert current(slack.fake, logged["ts"])["blocks"] == update.params["blocks"]  # what Slack now shows

    confirmation = slack.fake.posts(QA_CHANNEL)[-1]
    assert confirmation["thread_ts"] == logged["ts"] and "Closed A-1" in blocks_text(confirmation)


def test_snooze_shows_the_new_date_and_keeps_the_buttons_on_the_message_only(slack: Slack) -> None:
    logged = log_action(slack)
    click(slack, "U0POL001", logged, "Snooze a week")
    slack.idle()

    (update,) = slack.fake.calls_to("chat.update", ok_only=True)
    assert update.params["ts"] == logged["ts"]
    assert "Snoozed A-1 to 19 Mar 2027" in blocks_text(update.params)
    assert "due 19 Mar 2027" in blocks_text(update.params)
    assert labels(update.params["blocks"]) == ["Done", "Snooze a week", "Reassign"]
    confirmation = slack.fake.posts(QA_CHANNEL)[-1]
    assert confirmation["thread_ts"] == logged["ts"] and "Snoozed A-1" in blocks_text(confirmation)
    assert labels(confirmation["blocks"]) == []  # one set of live buttons: on the message

    # The refreshed message's buttons work: Done from it closes the action.
    click(slack, "U0POL001", current(slack.fake, logged["ts"]), "Done")
    slack.idle()
    assert "Closed A-1" in blocks_text(current(slack.fake, logged["ts"]))
    with slack.rt.sessions() as s:
        assert s.scalars(select(Action.status)).one() == "done"


def test_reassign_updates_the_message_with_the_new_owner(slack: Slack) -> None:
    logged = log_action(slack)
    click(slack, "U0POL001", logged, "Reassign")
    slack.idle()
    assert slack.fake.calls_to("chat.update") == []  # nothing changed yet: only the form opened
    resp = submission(
        slack,
        slack.fake.views[-1],
        {"owner": {"type": "users_select", "selected_user": "U0POL002"}},
        user="U0POL001",
    )
    assert resp.text == ""
    slack.idle()
    (update,) = slack.fake.calls_to("chat.update", ok_only=True)
    assert update.params["ts"] == logged["ts"]
    assert "Updated A-1" in blocks_text(update.params) and "@pol2" in blocks_text(update.params)
    assert labels(update.params["blocks"]) == ["Done", "Snooze a week", "Reassign"]


def test_a_refused_click_leaves_the_message_and_tells_the_clicker_privately(slack: Slack) -> None:
    logged = log_action(slack)
    click(slack, "U0SCHL01", logged, "Done")  # a board member who may not close it
    slack.idle()
    assert slack.fake.calls_to("chat.update") == []
    assert current(slack.fake, logged["ts"])["blocks"] == logged["blocks"]
    assert len(slack.fake.posts(QA_CHANNEL)) == 1  # nothing in the thread either
    (told,) = slack.fake.ephemerals("U0SCHL01")
    assert "A-1" in blocks_text(told)
    with slack.rt.sessions() as s:
        assert s.scalars(select(Action.status)).one() == "open"


def test_when_the_message_cannot_be_updated_the_confirmation_keeps_the_buttons(slack: Slack) -> None:
    logged = log_action(slack)
    slack.fake.fail("chat.update", error="message_not_found")
    click(slack, "U0POL001", logged, "Snooze a week")
    slack.idle()
    assert slack.fake.calls_to("chat.update", ok_only=True) == []
    confirmation = slack.fake.posts(QA_CHANNEL)[-1]
    assert "Snoozed A-1" in blocks_text(confirmation)
    assert labels(confirmation["blocks"]) == ["Done", "Snooze a week", "Reassign"]


def test_a_click_on_an_ephemeral_message_replaces_it_through_the_response_url(slack: Slack) -> None:
    log_action(slack)
    slack.command("U0POL001", "/action", "show A-1")
    slack.idle()
    (card,) = slack.fake.ephemerals("U0POL001")
    click(slack, "U0POL001", card, "Done", ephemeral=True)
    slack.idle()
    assert slack.fake.calls_to("chat.update") == []  # Slack cannot chat.update an ephemeral message
    (replaced,) = [p for _, p in slack.fake.responses if p.get("replace_original")]
    assert "Closed A-1" in blocks_text(replaced) and labels(replaced["blocks"]) == []
    assert "Closed A-1" in blocks_text(slack.fake.posts(QA_CHANNEL)[-1])  # the group still sees it


def test_grant_on_a_section11_request_keeps_the_request_and_removes_its_buttons(
    slack: Slack, slack_rt: Runtime, clock: FixedClock
) -> None:
    slack.command("U0QAOFF1", "/s11", "launch 2027 statutory deadline 01/03/2027")
    slack.idle()
    run_tick(slack_rt.sessions, clock, slack_rt.dispatcher(), slack_rt.platforms)
    root = next(m for m in slack.fake.messages("C0POL001") if m.get("bot_id"))["ts"]
    slack.message(
        "U0POL001", "Could we have an extension to 29/03/2027 please", channel="C0POL001", thread_ts=root
    )
    slack.idle()
    request = next(
        m for m in slack.fake.messages(QA_CHANNEL) if labels(m.get("blocks") or []) == ["Grant", "Refuse"]
    )
    assert "asks for a Section 11 extension" in blocks_text(request)

    click(slack, "U0CHAIR1", request, "Grant")
    slack.idle()
    (update,) = slack.fake.calls_to("chat.update", ok_only=True)
    assert update.params["ts"] == request["ts"] and labels(update.params["blocks"]) == []
    shown = blocks_text(update.params)
    assert "asks for a Section 11 extension" in shown  # the request is kept
    assert shown.splitlines()[-1] == "Extension granted: Surrey Police to 29 Mar 2027 (by <@U0CHAIR1>)"
