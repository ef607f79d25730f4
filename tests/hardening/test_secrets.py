"""Secrets never appear in logs, replies or printed output.

Fake but realistic secret values are configured; the bot is then driven (settings loaded and
shown, a bad setting refused, commands run, the CLI run, the web app served) with every log
record and everything printed captured, and each secret value from Settings.secrets() is
looked for in all of it.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import httpx
import pytest

from bot.cli import main
from bot.settings import Settings, load_settings
from commands.errors import ConfigError
from tests.fakes.slack_api import FakeSlack
from tests.hardening.conftest import Web, slash_form

SECRETS = {
    "SLACK_BOT_TOKEN": "xoxb-1111-2222-SECRETbottokenVALUE",
    "SLACK_SIGNING_SECRET": "SECRETsigningVALUE8f3a9c",
    "SLACK_APP_TOKEN": "xapp-1-SECRETappTokenVALUE",
    "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET": "SECRETteamsClientVALUE~x",
    "AZURE_CLIENT_SECRET": "SECRETazureClientVALUE~y",
}


@pytest.fixture
def secret_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sqlite_url: str) -> Settings:
    monkeypatch.chdir(tmp_path)  # no .env from the working tree
    for k, v in SECRETS.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("QABOT_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("QABOT_LOG_LEVEL", "DEBUG")
    settings = load_settings()
    assert sorted(settings.secrets()) == sorted(SECRETS.values())
    return settings


def assert_no_secret(text: str, secrets: list[str], where: str) -> None:
    for s in secrets:
        assert s not in text, f"a secret ({s[:6]}…) appeared in {where}"
        # Nor a recognisable part of it (e.g. a token with its prefix cut off).
        assert s[-12:] not in text, f"the end of a secret ({s[:6]}…) appeared in {where}"


def test_settings_never_show_their_secrets(secret_env: Settings, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    shown = " ".join(
        [repr(secret_env), str(secret_env), secret_env.model_dump_json(), str(secret_env.model_dump())]
    )
    logging.getLogger("qabot").info("settings: %s %r", secret_env, secret_env)
    assert_no_secret(shown, secret_env.secrets(), "the settings' repr/str/dump")
    assert_no_secret(caplog.text, secret_env.secrets(), "the log")


def test_a_bad_setting_is_named_without_echoing_secrets(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    bad = {
        "SLACK_BOT_TOKEN": "xoxp-SECRETuserTokenNotABotToken",  # wrong kind of token
        "SLACK_SIGNING_SECRET": "SECRETsigningVALUE8f3a9c",
        "SLACK_APP_TOKEN": "xoxb-SECRETnotAnAppToken",
    }
    for k, v in bad.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(ConfigError) as e:
        load_settings()
    assert "SLACK_BOT_TOKEN" in str(e.value) or "bot token" in str(e.value)
    assert_no_secret(str(e.value), list(bad.values()), "the configuration error")


def test_cli_and_commands_never_print_or_log_secrets(
    secret_env: Settings, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)
    from bot.runtime import build_runtime
    from commands.types import Inbound

    assert main(["seed", "--demo"]) == 0
    assert main(["migrate"]) == 0
    rt = build_runtime(secret_env)
    for line in (
        "/qa help",
        "/action add Review the MASH audit @pol",
        "/action list all",
        "/qa status",
        "/action show A-1",
        "/action frobnicate",
        "/nonsense",
    ):
        reply = rt.core.handle(Inbound(platform="console", user_id="qa", text=line))
        assert_no_secret(reply.model_dump_json(), secret_env.secrets(), f"the reply to {line}")
    assert main(["export", "--out", str(tmp_path / "export")]) == 0
    exported = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "export").iterdir())
    assert_no_secret(exported, secret_env.secrets(), "the export")
    out = capsys.readouterr()
    assert_no_secret(out.out + out.err, secret_env.secrets(), "the CLI's output")
    assert_no_secret(caplog.text, secret_env.secrets(), "the log")
    rt.engine.dispose()


def test_database_password_is_hidden_when_printed(
    pg_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlalchemy.engine import make_url

    # A password in the URL (the test server's trust auth ignores it): `qabot migrate` and
    # `qabot export` print the URL without it.
    url = make_url(pg_url).set(password="SECRETdbPasswordVALUE").render_as_string(hide_password=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QABOT_DATABASE_URL", url)
    assert main(["migrate"]) == 0
    assert main(["export", "--out", str(tmp_path / "export")]) == 0
    out = capsys.readouterr()
    assert "SECRETdbPasswordVALUE" not in out.out + out.err
    assert "***" in out.out
    assert "SECRETdbPasswordVALUE" not in (tmp_path / "export" / "_manifest.json").read_text()


def test_the_web_app_never_logs_or_answers_with_secrets(
    web: Web, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)  # everything, the Slack SDK's request logging included
    secrets = web.rt.settings.secrets()
    assert secrets
    answers: list[str] = []
    for n, line in enumerate(
        ("add Check the LADO log @pol", "list all", "show A-1", "frobnicate", "done A-1")
    ):
        body = slash_form(
            "U0QAOFF1",
            "/action",
            line,
            channel="C0QAE01",
            trigger=f"77.{n}.sec",
            response_url=fake_slack.response_url(f"s{n}"),
        )
        answers.append(web.post_signed(body, "application/x-www-form-urlencoded").text)
    body = slash_form(
        "U0QAOFF1",
        "/action",
        "list",
        channel="C0QAE01",
        trigger="77.9.sec",
        response_url=fake_slack.response_url("s9"),
    )
    answers.append(
        web.post_signed(body, "application/x-www-form-urlencoded", signature="v0=" + "f" * 64).text
    )
    answers.append(httpx.get(f"{web.url}/healthz").text)
    assert web.idle()
    shown = "\n".join(
        answers + [json.dumps(c.params) for c in fake_slack.calls] + [str(r) for _, r in fake_slack.responses]
    )
    assert_no_secret(shown, secrets, "the replies")
    out = capfd.readouterr()
    assert_no_secret(caplog.text + out.out + out.err, secrets, "the log")
    assert any(r.name.startswith("slack_sdk") for r in caplog.records)  # the SDK's debug log was captured
