"""Credentials through azure-identity against a fake Entra token endpoint (https on loopback:
azure-identity refuses an http authority), and `qabot doctor`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.cli_doctor import FAIL, OFF, OK, WARN, run_checks
from commands.clock import FixedClock
from commands.documents import delta_key
from integrations.sharepoint.client import GraphOptions, RetryPolicy
from store import state
from tests.fakes.graph import DRIVE_ID, FakeGraph, make_tls_cert
from tests.sharepoint.conftest import SITE, document_sync, docx_bytes, make_settings

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

TENANT = "11111111-0000-4000-8000-000000000000"
CLIENT = "00000000-0000-4000-8000-0000000000aa"


@pytest.fixture
def entra(tmp_path: Path) -> Iterator[tuple[FakeGraph, str]]:
    cert, key = make_tls_cert(tmp_path)
    with FakeGraph(tls=(cert, key), client_secret="right-secret", client_id=CLIENT) as g:
        yield g, cert


def test_bad_secret_names_the_setting_and_leaves_store_and_link_intact(
    graph: FakeGraph,
    entra: tuple[FakeGraph, str],
    sp_sessions: sessionmaker[Session],
    clock: FixedClock,
    sqlite_url: str,
) -> None:
    token_server, ca = entra
    graph.add_file("Audits/One.docx", docx_bytes("one"))
    options = GraphOptions(
        retry=RetryPolicy(sleep_factor=0.0),
        credential_kwargs={"authority": token_server.origin, "connection_verify": ca},
    )

    def run(secret: str) -> object:
        s = make_settings(
            graph,
            sqlite_url,
            GRAPH_AUTH="client_secret",
            AZURE_TENANT_ID=TENANT,
            AZURE_CLIENT_ID=CLIENT,
            AZURE_CLIENT_SECRET=secret,
        )
        return document_sync(s, sp_sessions, clock, ("slack",), options).run()

    good = run("right-secret")
    assert good.ok  # type: ignore[attr-defined]
    assert graph.auth_headers and all(h and h.startswith("Bearer ey") for h in graph.auth_headers)
    assert token_server.count("/oauth2/v2.0/token") == 1
    with sp_sessions() as s:
        link = state.get(s, delta_key(DRIVE_ID))
    graph.add_file("Audits/Two.docx", docx_bytes("two"))
    graph.requests.clear()

    bad = run("wrong-secret")
    problem = bad.problem  # type: ignore[attr-defined]
    assert problem is not None and problem.kind == "credentials" and problem.setting == "AZURE_CLIENT_SECRET"
    assert "AZURE_CLIENT_SECRET" in problem.message and "wrong-secret" not in problem.message
    assert graph.requests == []  # no Graph call was made without a token
    with sp_sessions() as s:
        assert state.get(s, delta_key(DRIVE_ID)) == link

    expired = run("expired-secret")
    assert "expired" in expired.problem.message and "AZURE_CLIENT_SECRET" in expired.problem.message  # type: ignore[attr-defined]


def test_unknown_client_id_names_the_setting(
    graph: FakeGraph, entra: tuple[FakeGraph, str], sqlite_url: str
) -> None:
    token_server, ca = entra
    settings = make_settings(
        graph,
        sqlite_url,
        GRAPH_AUTH="client_secret",
        AZURE_TENANT_ID=TENANT,
        AZURE_CLIENT_ID="00000000-0000-4000-8000-0000000000bb",
        AZURE_CLIENT_SECRET="right-secret",
    )
    from bot.cli_doctor import check_graph

    check = check_graph(
        settings, GraphOptions(credential_kwargs={"authority": token_server.origin, "connection_verify": ca})
    )
    assert check.status == FAIL and "AZURE_CLIENT_ID" in check.detail


def test_missing_azure_settings_are_named(graph: FakeGraph, sqlite_url: str) -> None:
    from bot.cli_doctor import check_graph

    settings = make_settings(graph, sqlite_url, GRAPH_AUTH="client_secret", AZURE_TENANT_ID=TENANT)
    check = check_graph(settings)
    assert check.status == FAIL and "AZURE_CLIENT_ID, AZURE_CLIENT_SECRET" in check.detail


def test_doctor_reports_each_connection(
    graph: FakeGraph, sp_sessions: sessionmaker[Session], sqlite_url: str
) -> None:
    settings = make_settings(graph, sqlite_url, TEAMS_ALLOW_ANONYMOUS="true")
    checks = {c.name: c for c in run_checks(settings)}
    assert (
        checks["Database"].status == OK and "Surrey Safeguarding Children Board" in checks["Database"].detail
    )
    assert checks["Slack"].status == OFF
    assert checks["Teams"].status == WARN and "anonymous mode" in checks["Teams"].detail
    assert checks["SharePoint"].status == OK and 'library "Documents" found' in checks["SharePoint"].detail


def test_qabot_doctor_command_output_and_exit_code(
    graph: FakeGraph,
    sp_sessions: sessionmaker[Session],
    sqlite_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(Path(sqlite_url.removeprefix("sqlite:///")).parent)  # no stray .env
    for k, v in {
        "QABOT_DATABASE_URL": sqlite_url,
        "SHAREPOINT_SITE": SITE,
        "GRAPH_BASE_URL": graph.base_url,
        "GRAPH_AUTH": "none",
    }.items():
        monkeypatch.setenv(k, v)
    # A Monday morning before the weekly digest's moment (08:30): doctor rightly warns once a
    # week's digest is due and has not run (no clock ticks here), so the day is pinned.
    before_the_digest = ["--now", "2026-12-07T08:00"]
    assert main(["doctor", *before_the_digest]) == 0
    out = capsys.readouterr().out
    assert "[  ok] Database" in out and "[  ok] SharePoint" in out and "[ off] Slack" in out
    assert "Everything configured is working." in out

    monkeypatch.setenv("SHAREPOINT_SITE", "contoso.sharepoint.com:/sites/Nowhere")
    assert main(["doctor", *before_the_digest]) == 1
    out = capsys.readouterr().out
    assert "[FAIL] SharePoint" in out and "check SHAREPOINT_SITE" in out and "1 problem: SharePoint." in out
