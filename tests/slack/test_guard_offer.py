"""The guard's offer on Slack, through the real web app and slack-bolt on the fake Slack: a
refused slash command is answered privately with the anonymised version and a button; one click
stores the anonymised text. Payload shapes: tests/fixtures/slack (slash_command, block_actions)."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from store.models import Action
from tests.slack.conftest import Slack
from tests.slack.test_commands import blocks_text
from tests.slack.test_interactivity import click

TYPED = "add Visit Jayden Smith at GU21 6AB about the referral <@U0POL001> due 12/03/2027"


def test_a_refused_slash_command_offers_a_button_that_stores_the_anonymised_text(
    slack: Slack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    slack.command("U0QAOFF1", "/action", TYPED)
    slack.idle()
    assert slack.fake.posts() == []
    (eph,) = slack.fake.ephemerals("U0QAOFF1")
    text = blocks_text(eph)
    assert "could identify a child or family" in text and "Child J.S." in text
    assert "Jayden" not in text and "GU21" not in text

    click(slack, "U0QAOFF1", eph, "Use the anonymised version", ephemeral=True)
    slack.idle()
    with slack.rt.sessions() as s:
        action = s.scalars(select(Action)).one()
        assert action.text == "Visit Child J.S. (case 2026-001) at [postcode] about the referral"
        assert action.owner is not None and action.owner.handle == "pol"
    everything_sent = str(slack.fake.posts()) + str(slack.fake.ephemerals("U0QAOFF1"))
    assert "Jayden" not in everything_sent and "GU21" not in everything_sent
    assert not [r for r in caplog.records if "Jayden" in r.getMessage() or "GU21" in r.getMessage()]
