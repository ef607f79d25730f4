"""`qabot import` joins the public Slack channels and names who cannot be reached; `qabot
doctor` checks the bot's membership of every channel and no longer says all is well with
failed posts in the outbox. The fake answers conversations.join / conversations.info as
Slack documents them (tests/fakes/slack_api.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.runtime import Runtime
from commands.types import Reply
from store import outbox as outbox_store
from store.db import transaction
from store.models import OutboxMessage
from tests.fakes.slack_api import FakeSlack

BOARD = Path(__file__).parent.parent / "fixtures" / "board.yaml"
POLICE, CHILDREN, SCHOOLS, QA = "C0POL001", "C0CSERV1", "C0SCHL01", "C0QAE01"


def _doctor_lines(capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, str]]:
    code = main(["doctor"])
    lines = capsys.readouterr().out.splitlines()
    return code, {line[7:].split()[0]: line for line in lines if line.startswith("[")}


def test_import_joins_public_channels_and_warns_of_what_it_cannot_fix(
    slack_env: None,
    fake_slack: FakeSlack,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    fake_slack.require_join(POLICE)  # public, the bot not yet in it
    fake_slack.make_private(CHILDREN)  # private, nobody has invited the bot
    fake_slack.archive(SCHOOLS)
    assert main(["import", str(BOARD)]) == 0
    out = capsys.readouterr().out
    joined = {c.channel: c.answer.get("ok") for c in fake_slack.calls_to("conversations.join")}
    assert joined == {POLICE: True, CHILDREN: False, SCHOOLS: False, QA: True}
    assert "warning: Agency Surrey Faith Forum has no Slack address" in out
    assert (
        "warning: could not join Surrey Children's Services's channel (C0CSERV1): private: the bot "
        "cannot join it, someone must type /invite @QA Bot in it"
    ) in out
    assert "warning: could not join Surrey Schools and Colleges's channel (C0SCHL01): archived" in out
    assert "Police" not in out.split("Imported", 1)[1].split("\n", 1)[1]  # joined: nothing to say

    code, checks = _doctor_lines(capsys)
    assert code == 1
    channels = checks["Channels"]
    assert channels.startswith("[FAIL]")
    assert "C0CSERV1): not found: it was deleted, or it is private and the bot is not in it" in channels
    assert "C0SCHL01): archived" in channels and POLICE not in channels
    assert checks["Reach"].startswith("[warn]") and "Surrey Faith Forum" in checks["Reach"]
    assert checks["Outbox"].startswith("[  ok]")

    fake_slack.invite(CHILDREN)
    fake_slack.archived.discard(SCHOOLS)
    code, checks = _doctor_lines(capsys)
    assert checks["Channels"].startswith("[  ok]") and "all 4 configured channels" in checks["Channels"]


def test_doctor_fails_while_posts_have_failed_for_good(
    slack_rt: Runtime, fake_slack: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    with transaction(slack_rt.sessions) as s:
        outbox_store.enqueue(
            s,
            key="k",
            platform="slack",
            channel=POLICE,
            kind="s11_reminder",
            payload=Reply(title="Reminder").model_dump(mode="json"),
            now=slack_rt.clock.now(),
        )
    fake_slack.channel_errors[POLICE] = "not_in_channel"  # the bot was removed from the channel
    fake_slack.not_joined.add(POLICE)
    assert slack_rt.dispatcher().dispatch().failed == 1
    with slack_rt.sessions() as s:
        assert [r.status for r in s.scalars(select(OutboxMessage))] == ["failed"]
    code, checks = _doctor_lines(capsys)
    assert code == 1
    assert checks["Outbox"].startswith("[FAIL]")
    assert "1 post(s) failed for good" in checks["Outbox"]
    assert "s11_reminder to C0POL001 (failed on Slack: not_in_channel)" in checks["Outbox"]
