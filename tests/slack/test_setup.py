"""Start-up, settings, the manifest, Block Kit limits, and `uvicorn --factory` for real."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
import yaml
from slack_sdk.models.blocks import Block

from bot.cli import build_parser
from bot.runtime import build_runtime
from bot.settings import load_settings
from commands.clock import FixedClock
from commands.errors import ConfigError
from commands.types import Button, Reply
from integrations.slack import app as slack_app
from integrations.slack import listeners, modals
from integrations.slack.render import escape, render
from tests.conftest import load_board
from tests.fakes.slack_api import FakeSlack
from tests.slack.conftest import SECRET, SLACK_TIMEOUT_SECONDS, TOKEN, fixture, sign

ROOT = Path(__file__).parent.parent.parent


def test_blocks_stay_within_slacks_limits_and_escape_what_people_typed() -> None:
    reply = Reply(
        title="A" * 400,
        fields=[(f"Field {i}", "v" * 3000) for i in range(23)],
        lines=["<!channel> & <@U0POL001> " + "x" * 3500, *[f"line {i}" for i in range(2000)]],
        buttons=[Button(action="action_done", label="D" * 100, command="action done A-1", style="primary")],
    )
    blocks = render(reply)
    assert len(blocks) <= 50
    for b in blocks:
        Block.parse(b).validate_json()  # type: ignore[union-attr]  # raises when Slack would refuse it
    assert blocks[-1]["type"] == "actions" and blocks[-1]["elements"][0]["value"] == "action done A-1"
    text = json.dumps(blocks)
    assert "&lt;!channel&gt; &amp; &lt;@U0POL001&gt;" in text and "<!channel>" not in text
    assert escape("a<b>&c") == "a&lt;b&gt;&amp;c"


def test_modal_titles_fit() -> None:
    meta = {"channel": "C1"}
    for view in (
        modals.action_modal(agencies=["Surrey Police"], meta=meta),
        modals.finding_modal(agencies=[], meta=meta),
        modals.reassign_modal(ref="A-123456789", meta=meta),
    ):
        assert 0 < len(view["title"]["text"]) <= 24


def test_the_manifest_declares_what_the_app_handles() -> None:
    manifest = yaml.safe_load((ROOT / "integrations/slack/manifest.yml").read_text())
    features = manifest["features"]
    commands = {c["command"] for c in features["slash_commands"]}
    assert commands == set(listeners.COMMANDS)
    assert all(c["should_escape"] is True for c in features["slash_commands"])
    assert {s["callback_id"] for s in features["shortcuts"]} == {
        listeners.SHORTCUT_ACTION,
        listeners.SHORTCUT_FINDING,
    }
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert {"message.channels", "app_home_opened", "message.im", "app_mention"} <= events
    # Every subscription has its listener and every listener its subscription (none dead).
    assert {e.split(".")[0] for e in events} == set(listeners.EVENTS)
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {
        "commands",
        "chat:write",
        "channels:history",
        "im:write",
        "files:write",
        "files:read",
        "app_mentions:read",
    } <= scopes
    assert "users:read" not in scopes  # nothing looks people up
    assert manifest["settings"]["interactivity"]["is_enabled"] is True


def test_missing_or_refused_settings_stop_start_up_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, sqlite_url: str, fake_slack: FakeSlack
) -> None:
    monkeypatch.setenv("QABOT_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("SLACK_API_URL", fake_slack.api_url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        load_settings()
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1-A0QABOT01-1234-abcd")  # Socket Mode only
    rt = build_runtime(load_settings())
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        slack_app.build_app(rt.core, rt.settings.slack)  # the web app still needs it
    assert slack_app.build_app(rt.core, rt.settings.slack, socket_mode=True).app is not None
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    fake_slack.valid_tokens = {"xoxb-a-different-token"}
    refused = build_runtime(load_settings())
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN was refused"):
        slack_app.build_app(refused.core, refused.settings.slack)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxp-a-user-token")
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN"):
        load_settings()


def test_qabot_web_is_a_command_on_loopback_by_default() -> None:
    args = build_parser().parse_args(["web", "--port", "0"])
    assert args.port == 0 and args.host is None
    assert callable(args.func)


def test_uvicorn_factory_serves_slack_from_the_environment(
    tmp_path: Path, fake_slack: FakeSlack, clock: FixedClock
) -> None:
    """As an admin would start it: `uvicorn --factory bot.web:create_app`, settings from the
    environment, a board already imported, Slack's signed request in, the reply on Slack."""
    db = f"sqlite:///{tmp_path / 'qabot.db'}"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "QABOT_", "CONNECTIONS__", "TEAMS_"))
    }
    env.update(
        QABOT_DATABASE_URL=db,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake_slack.api_url,
    )
    rt = build_runtime(load_settings_from(env), clock)
    load_board(rt.sessions, clock)
    rt.engine.dispose()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "bot.web:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
        ],
        env=env,
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        port = None
        for line in proc.stderr:  # blocks on the server's own log, no sleeping
            m = re.search(r"Uvicorn running on http://127\.0\.0\.1:(\d+)", line)
            if m:
                port = int(m.group(1))
                break
        assert port, "uvicorn did not start"
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            assert http.get("/healthz").json()["database"] == "ok"
            data = fixture(
                "slash_command", user_id="U0QAOFF1", command="/action", text="add Check the training records"
            )
            body = urlencode(data).encode()
            ts = int(time.time())
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Request-Timestamp": str(ts),
            }
            started = time.perf_counter()
            with fake_slack.held():  # acknowledged without waiting for any Slack API call
                resp = http.post(
                    "/slack/events", content=body, headers={**headers, "X-Slack-Signature": sign(body, ts)}
                )
            assert resp.status_code == 200 and time.perf_counter() - started < SLACK_TIMEOUT_SECONDS
            forged = http.post(
                "/slack/events", content=body, headers={**headers, "X-Slack-Signature": "v0=00"}
            )
            assert forged.status_code == 401
        assert fake_slack.wait_for(lambda: fake_slack.posts("C0QAE01"), timeout=15)
        assert "Logged A-1" in json.dumps(fake_slack.posts("C0QAE01")[0]["blocks"])
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def load_settings_from(env: dict[str, str]):  # type: ignore[no-untyped-def]
    old = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(env)
        return load_settings()
    finally:
        os.environ.clear()
        os.environ.update(old)
