"""The work after a Slack acknowledgement (integrations/slack/listeners.then_work): handed the
stored row, never the request, and a failure there is logged and left to the recovery pass,
which answers the person (nothing silent, nothing lost)."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from commands.clock import FixedClock
from store.models import Action, InboxItem
from tests.slack.conftest import QA_CHANNEL, Slack
from tests.slack.test_commands import blocks_text


def test_a_command_is_stored_before_its_ack_and_worked_after_it(slack: Slack) -> None:
    resp = slack.command("U0QAOFF1", "/action", "add Check the neglect audit sample @pol due 12/03/2027")
    assert resp.status_code == 200
    slack.idle()
    with slack.rt.sessions() as s:
        assert [a.text for a in s.scalars(select(Action))] == ["Check the neglect audit sample"]
        assert [r.status for r in s.scalars(select(InboxItem))] == ["done"]
    (post,) = slack.fake.posts(QA_CHANNEL)
    assert "Logged A-1" in blocks_text(post)


def test_work_that_fails_after_the_ack_is_logged_and_finished_by_the_recovery_pass(
    slack: Slack, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    intake = slack.rt.core.intake
    real_work = intake.work

    def database_gone(inbox_id: int) -> bool:
        raise ConnectionError("the database went away")

    monkeypatch.setattr(intake, "work", database_gone)
    with caplog.at_level(logging.ERROR, logger="qabot.slack"):
        resp = slack.command("U0QAOFF1", "/action", "add Re-audit the CSE referrals @cs due 12/03/2027")
        assert resp.status_code == 200  # acknowledged: it is stored
        slack.idle()
    (logged,) = [r for r in caplog.records if "failed after its acknowledgement" in r.getMessage()]
    assert logged.exc_info is not None  # with its traceback, for whoever runs the bot
    with slack.rt.sessions() as s:
        assert s.scalars(select(Action)).all() == []
        assert [r.status for r in s.scalars(select(InboxItem))] == ["pending"]

    monkeypatch.setattr(intake, "work", real_work)
    clock = slack.rt.clock
    assert isinstance(clock, FixedClock)
    clock.advance(timedelta(minutes=1))  # past the grace a stored delivery is left to its worker
    assert intake.recover() == 1
    with slack.rt.sessions() as s:
        assert [a.text for a in s.scalars(select(Action))] == ["Re-audit the CSE referrals"]
    assert any("Logged A-1" in blocks_text(p) for p in slack.fake.posts(QA_CHANNEL))
