"""The connectors bot/ loops over: what each configuration sends through, and `qabot doctor`
naming every one of them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.runtime import build_runtime
from bot.settings import Settings
from commands.clock import FixedClock
from commands.context import Scope
from commands.posting import to_channel
from commands.types import Reply
from store.db import transaction
from store.models import Board, OutboxMessage
from tests.conftest import load_board


def test_a_post_with_no_slack_address_is_unreachable_not_printed_on_a_slack_board(
    tmp_path: Path, clock: FixedClock
) -> None:
    """Changed on purpose (issue #12): such a post used to be printed to a console nobody reads
    and counted as sent. Now it is kept as 'unreachable', and the console sender is registered
    only when the console is the platform."""
    out = io.StringIO()
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        QABOT_DATABASE_URL=f"sqlite:///{tmp_path / 'q.db'}",
        SLACK_BOT_TOKEN="xoxb-0000-connectors",
        SLACK_SIGNING_SECRET="connectors-secret",
        SLACK_API_URL="http://127.0.0.1:9/api/",  # never called: nothing is addressed to Slack
    )
    rt = build_runtime(settings, clock, console_stream=out)
    load_board(rt.sessions, clock)
    assert rt.platforms == ("slack",)
    assert set(rt.senders()) == {"slack"}
    with transaction(rt.sessions) as s:
        board = s.get(Board, 1)
        assert board is not None
        scope = Scope(session=s, clock=clock, board=board, platforms=rt.platforms)
        rows = to_channel(scope, "nowhere", key="probe", kind="probe", reply=Reply(title="Unaddressed"))
        assert [(r.platform, r.channel, r.status) for r in rows] == [("slack", "#nowhere", "unreachable")]

    assert rt.dispatcher().dispatch().sent == 0
    assert out.getvalue() == ""
    with rt.sessions() as s:
        assert [r.status for r in s.scalars(select(OutboxMessage))] == ["unreachable"]
    rt.engine.dispose()


def test_doctor_lists_every_connector_on_a_console_board(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for key in ("SLACK_BOT_TOKEN", "TEAMS_ALLOW_ANONYMOUS", "SHAREPOINT_SITE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.delenv("CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID", raising=False)
    monkeypatch.setenv("QABOT_DATABASE_URL", f"sqlite:///{tmp_path / 'q.db'}")
    assert main(["migrate"]) == 0
    capsys.readouterr()

    assert main(["doctor"]) == 0
    lines = capsys.readouterr().out.splitlines()
    names = [line[7:].split()[0] for line in lines if line.startswith("[")]
    # The delivery checks follow the connectors (issue #12): failed posts, reach, answers sent again
    # through the outbox, Slack channel membership.
    assert names == [
        "Database",
        "Slack",
        "Teams",
        "Console",
        "SharePoint",
        "Outbox",
        "Reach",
        "Answers",
        "Channels",
    ]
    console = next(line for line in lines if line.startswith("[  ok] Console"))
    assert "printed in the terminal" in console
    assert "[ off] SharePoint" in "\n".join(lines)
