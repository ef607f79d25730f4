"""Slack as one connector: its settings slice, its route, its Socket Mode switch, its doctor,
and the wall between it and the rest of the bot (no `bot.*`, no `store`)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from fastapi import FastAPI
from pydantic import SecretStr, ValidationError

from bot.runtime import Runtime
from integrations.slack.connector import SlackConnector
from integrations.slack.sender import SlackSender
from integrations.slack.settings import SlackSettings
from tests.fakes.slack_api import FakeSlack
from tests.slack.conftest import SECRET, TOKEN

SLACK_PACKAGE = Path(__file__).parent.parent.parent / "integrations" / "slack"


def imported_packages(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_the_slack_integration_imports_neither_bot_nor_store() -> None:
    offenders = {
        path.name: sorted(imported_packages(path) & {"bot", "store"})
        for path in sorted(SLACK_PACKAGE.glob("*.py"))
        if imported_packages(path) & {"bot", "store"}
    }
    assert offenders == {}


def test_every_slack_module_stays_short_or_says_why() -> None:
    """Over ~300 lines a module needs its reason at the top ("Over 300 lines because …")."""
    long = [
        path.name
        for path in SLACK_PACKAGE.glob("*.py")
        if len(path.read_text().splitlines()) > 300
        and "Over 300 lines because" not in (ast.get_docstring(ast.parse(path.read_text())) or "")
    ]
    assert long == []


def test_slack_settings_read_the_same_variables_with_the_same_messages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL"):
        monkeypatch.delenv(name, raising=False)
    assert not SlackSettings(_env_file=None).enabled
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api")
    settings = SlackSettings(_env_file=None)
    assert settings.enabled and not settings.socket_mode
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"
    assert TOKEN not in repr(settings) and SECRET not in repr(settings)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxp-a-user-token")
    with pytest.raises(ValidationError, match="SLACK_BOT_TOKEN must be a bot token starting with xoxb-"):
        SlackSettings(_env_file=None)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.delenv("SLACK_SIGNING_SECRET")
    with pytest.raises(ValidationError, match="SLACK_SIGNING_SECRET is required when SLACK_BOT_TOKEN is set"):
        SlackSettings(_env_file=None)
    monkeypatch.setenv("SLACK_APP_TOKEN", "xoxb-not-an-app-token")
    with pytest.raises(
        ValidationError, match="SLACK_APP_TOKEN must be an app-level token starting with xapp-"
    ):
        SlackSettings(_env_file=None)


def test_the_connector_is_named_and_off_without_a_bot_token() -> None:
    off = SlackConnector(SlackSettings.model_validate({}))
    assert off.name == "slack" and not off.enabled
    assert off.doctor() == []  # nothing configured is nothing wrong
    app = FastAPI()
    off.mount(app, core=None)  # type: ignore[arg-type]  # never asked: nothing is mounted
    assert "/slack/events" not in {getattr(r, "path", None) for r in app.routes}
    off.start(core=None)  # type: ignore[arg-type]
    off.stop()


def test_the_connector_mounts_its_route_and_does_not_also_open_socket_mode(
    slack_rt: Runtime, fake_slack: FakeSlack
) -> None:
    app_token = SecretStr("xapp-1-A0QABOT01-1234-abcd")
    settings = slack_rt.settings.slack.model_copy(update={"slack_app_token": app_token})
    slack = SlackConnector(settings)
    app = FastAPI()
    slack.mount(app, slack_rt.core)
    slack.start(slack_rt.core)  # the web app serves Slack: no WebSocket as well
    assert fake_slack.calls_to("apps.connections.open") == []
    assert "/slack/events" in {getattr(r, "path", None) for r in app.routes}
    slack.stop()
    assert isinstance(slack.sender(), SlackSender) and slack.sender() is slack.sender()
    app.state.slack.close()


def test_doctor_names_a_refused_token_and_an_unreachable_slack(
    slack_rt: Runtime, fake_slack: FakeSlack
) -> None:
    slack = SlackConnector(slack_rt.settings.slack)
    assert slack.doctor() == []
    fake_slack.valid_tokens = {"xoxb-a-different-token"}
    assert slack.doctor() == [
        "Slack refused auth.test (invalid_auth): the token is not valid: check SLACK_BOT_TOKEN."
    ]
    nowhere = slack_rt.settings.slack.model_copy(update={"slack_api_url": "http://127.0.0.1:9/api/"})
    (problem,) = SlackConnector(nowhere).doctor()
    assert "could not reach Slack at http://127.0.0.1:9/api/" in problem and "SLACK_API_URL" in problem
    assert TOKEN not in problem


def test_a_slack_request_through_the_web_app_is_answered_by_the_core(slack_rt: Runtime) -> None:
    """bot.web mounts Slack with the core's port and Slack's settings only."""
    from bot.web import create_app

    app = create_app(runtime=slack_rt)
    adapter = app.state.slack
    assert adapter.interactions.core is slack_rt.core and adapter.events.core is slack_rt.core
    assert "/slack/events" in {getattr(r, "path", None) for r in app.routes}
    adapter.close()


def test_the_core_answers_the_slack_adapter_with_views_of_the_board(slack_rt: Runtime) -> None:
    from sqlalchemy import select

    from commands.ports import CorePort, MemberView
    from store.db import transaction
    from store.models import Member

    core: CorePort = slack_rt.core
    assert core.member("slack", "U0POL001") == MemberView(
        handle="pol", name="Police Lead", role="agency_lead", agency="Surrey Police"
    )
    assert core.member("slack", "U0STRANGR") is None
    assert core.channel_of("slack", "qa") == "C0QAE01"
    assert core.channel_of("teams", "qa") == "19:abc@thread.tacv2"
    assert core.channel_of("slack", "nowhere") is None
    assert core.board_name() == "Surrey Safeguarding Children Board"
    assert "Surrey Police" in core.agency_names()
    with transaction(slack_rt.sessions) as s:
        s.scalars(select(Member).where(Member.handle == "pol2")).one().active = False
    handles = [m.handle for m in core.members()]  # board order; each caller sorts for display
    assert len(handles) == len(set(handles)) and "pol" in handles and "pol2" not in handles
    assert core.member("slack", "U0POL002") is None  # left the board: no longer acts in Slack
