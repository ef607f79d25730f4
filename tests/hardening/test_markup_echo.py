"""Slack markup typed into an action is stored as text and neutralised when the bot echoes it
back in Slack: `<!channel>` never notifies a channel, `<@U…>` never pings, a link never hides."""

from __future__ import annotations

import json

from sqlalchemy import select

from store.models import Action
from tests.fakes.slack_api import FakeSlack
from tests.hardening.conftest import Web, slash_form

INJECTIONS = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U0POL001>",
    "<!subteam^S0123|@leads>",
    "<https://evil.example|the portal>",
    "<#C0QAE01|qa>",
]


def test_markup_in_action_text_is_stored_as_text_and_echoed_escaped(web: Web, fake_slack: FakeSlack) -> None:
    text = "Tell " + " and ".join(INJECTIONS) + " about it"
    body = slash_form(
        "U0QAOFF1",
        "/action",
        f'add "{text}" due 12/03/2027',
        channel="C0QAE01",
        trigger="900.1.markup",
        response_url=fake_slack.response_url("m1"),
    )
    assert web.post_signed(body, "application/x-www-form-urlencoded").status_code == 200
    assert web.idle()
    with web.rt.sessions() as s:
        [stored] = list(s.scalars(select(Action.text)))
    # Stored as readable text: Slack's control sequences are gone, what they said stays visible
    # (a hidden link shows its real address).
    assert "<!" not in stored and "<http" not in stored and "<#" not in stored
    for word in ("@channel", "@here", "@everyone", "https://evil.example", "U0POL001"):
        assert word in stored, (word, stored)

    [post] = [p for p in fake_slack.posts() if "Logged A-" in str(p.get("text"))]
    assert not post.get("link_names")  # plain "@channel" text never notifies without link_names
    shown = json.dumps(post.get("blocks")) + "\n" + str(post.get("text"))
    for raw in INJECTIONS:
        assert raw not in shown, f"{raw} reached Slack unescaped"
    # Nothing in what was posted can notify anyone or hide a link: no markup at all.
    assert "<!" not in shown and "<@" not in shown and "<http" not in shown and "<#" not in shown
    assert "&lt;@U0POL001&gt;" in shown  # the id typed inside the text is shown, escaped


def test_markup_in_a_list_and_a_show_is_escaped_too(web: Web, fake_slack: FakeSlack) -> None:
    body = slash_form(
        "U0QAOFF1",
        "/action",
        "add Warn <!here> about <@U0CHAIR1> @pol",
        channel="C0QAE01",
        trigger="900.2.markup",
        response_url=fake_slack.response_url("m2"),
    )
    assert web.post_signed(body, "application/x-www-form-urlencoded").status_code == 200
    for n, line in enumerate(("list all", "show A-1")):
        body = slash_form(
            "U0QAOFF1",
            "/action",
            line,
            channel="C0QAE01",
            trigger=f"900.{3 + n}.markup",
            response_url=fake_slack.response_url(f"m{3 + n}"),
        )
        assert web.post_signed(body, "application/x-www-form-urlencoded").status_code == 200
    assert web.idle()
    seen = [
        json.dumps(c.params.get("blocks")) + str(c.params.get("text"))
        for c in fake_slack.calls
        if c.method in ("chat.postMessage", "chat.postEphemeral")
    ]
    assert len(seen) == 3
    for shown in seen:
        assert "<!here>" not in shown and "<!" not in shown
