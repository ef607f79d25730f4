"""Slash commands through the real web app and slack-bolt, answered on a fake Slack."""

from __future__ import annotations

import io
import json
import time
from urllib.parse import urlencode

from sqlalchemy import func, select

from bot.console import run_chat
from store.models import Action
from tests.fakes.slack_api import FakeSlack
from tests.slack.conftest import QA_CHANNEL, Slack, fixture, sign


def blocks_text(params: dict[str, object]) -> str:
    """All the text a person sees in a message's blocks."""
    out: list[str] = []

    def walk(x: object) -> None:
        if isinstance(x, dict):
            if isinstance(x.get("text"), str):
                out.append(x["text"])
            for v in x.values():
                if isinstance(v, dict | list):
                    walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(params.get("blocks") or [])
    return "\n".join(out)


def count_actions(slack: Slack) -> int:
    with slack.rt.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(Action)) or 0)


def test_action_add_is_shown_to_the_channel_and_listed_in_slack_and_the_console(slack: Slack) -> None:
    resp = slack.command(
        "U0QAOFF1", "/action", "add Review MASH referral audit <@U0POL001|police.lead> due 12/03/2027 #cp"
    )
    assert resp.status_code == 200
    slack.idle()
    posts = slack.fake.posts(QA_CHANNEL)
    assert len(posts) == 1
    shown = blocks_text(posts[0])
    assert "Logged A-1" in shown
    assert "Review MASH referral audit" in shown and "@pol" in shown and "12 Mar 2027" in shown
    assert "Logged A-1" in str(posts[0]["text"])  # the notification fallback
    assert slack.fake.ephemerals() == []

    slack.command("U0QAOFF1", "/action", "list")
    slack.idle()
    assert len(slack.fake.posts(QA_CHANNEL)) == 1  # lists are not shown to the channel
    (eph,) = slack.fake.ephemerals("U0QAOFF1")
    assert eph["channel"] == QA_CHANNEL
    assert "A-1 · Review MASH referral audit · @pol" in blocks_text(eph)

    out = io.StringIO()
    run_chat(slack.rt, as_handle="qa", stdin=io.StringIO("/action list\n"), out=out)
    assert "A-1 · Review MASH referral audit · @pol" in out.getvalue()


def test_errors_are_shown_only_to_the_person_with_the_usage(slack: Slack) -> None:
    slack.command("U0QAOFF1", "/action", "add Review the audit due 31/02/2027")
    slack.idle()
    assert slack.fake.posts() == []
    (eph,) = slack.fake.ephemerals("U0QAOFF1")
    text = blocks_text(eph)
    assert "February 2027 has 28 days" in text and "/action add" in text
    assert count_actions(slack) == 0


def test_forged_or_stale_requests_get_401_and_change_nothing(slack: Slack) -> None:
    data = fixture("slash_command", user_id="U0QAOFF1", command="/action", text="add Forged action")
    body = urlencode(data).encode()
    now = int(time.time())
    forged = slack.post(
        body, "application/x-www-form-urlencoded", signature=sign(body, now, secret="not-the-secret")
    )
    assert forged.status_code == 401
    stale_ts = now - 6 * 60
    stale = slack.post(
        body, "application/x-www-form-urlencoded", timestamp=stale_ts, signature=sign(body, stale_ts)
    )
    assert stale.status_code == 401
    unsigned = slack.http.post(
        "/slack/events", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert unsigned.status_code == 401
    tampered = slack.post(
        body.replace(b"Forged", b"Altered"), "application/x-www-form-urlencoded", signature=sign(body, now)
    )
    assert tampered.status_code == 401
    slack.idle()
    assert count_actions(slack) == 0
    assert [c.method for c in slack.fake.calls] == ["auth.test"]  # nothing reached Slack either


def test_the_same_slash_command_delivered_three_times_logs_one_action(slack: Slack) -> None:
    for _ in range(3):
        assert (
            slack.command(
                "U0QAOFF1", "/action", "add Chase the audit returns", trigger_id="777.888.abc"
            ).status_code
            == 200
        )
    slack.idle()
    assert count_actions(slack) == 1
    assert len(slack.fake.posts(QA_CHANNEL)) == 1


def test_someone_not_on_the_board_is_refused_politely(slack: Slack) -> None:
    slack.command("U0STRANGR", "/action", "add Something to do")
    slack.command("U0STRANGR", "/action", "add")  # would open the modal for a member
    slack.idle()
    assert count_actions(slack) == 0
    assert slack.fake.posts() == [] and slack.fake.views == []
    ephs = slack.fake.ephemerals("U0STRANGR")
    assert len(ephs) == 2
    assert all("not on this board" in blocks_text(e) for e in ephs)


def test_a_reply_falls_back_to_the_response_url_when_the_bot_is_not_in_the_channel(
    slack: Slack, fake_slack: FakeSlack
) -> None:
    fake_slack.channel_errors["D0SOMEDM1"] = "channel_not_found"
    slack.command("U0QAOFF1", "/qa", "help", channel="D0SOMEDM1")
    slack.idle()
    assert len(fake_slack.responses) == 1
    _name, payload = fake_slack.responses[0]
    assert payload["response_type"] == "ephemeral"
    assert "QA Bot commands" in json.dumps(payload["blocks"])


def test_url_verification_is_answered(slack: Slack) -> None:
    payload = fixture("url_verification")
    resp = slack.post(json.dumps(payload).encode(), "application/json")
    assert resp.status_code == 200
    assert payload["challenge"] in resp.text
