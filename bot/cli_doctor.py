"""`qabot doctor`: check every configured connection and say what is wrong in words.

Database, Slack (auth.test at SLACK_API_URL), Teams (a token from the configured Entra app,
or a note that anonymous mode is on), Microsoft Graph (the site and the library). Nothing is
changed; the exit code is 1 when any check fails.
"""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.settings import Settings
    from integrations.sharepoint.client import GraphOptions

OK, WARN, FAIL, OFF = "ok", "warn", "FAIL", "off"


@dataclass
class Check:
    name: str
    status: str
    detail: str


def check_database(settings: Settings) -> list[Check]:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import text

    from store.db import alembic_config, make_engine
    from store.models import Board

    engine = make_engine(settings.database_url)
    shown = engine.url.render_as_string(hide_password=True)
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
            current = MigrationContext.configure(conn).get_current_revision()
            head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
            out = []
            if current != head:
                out.append(
                    Check(
                        "Database",
                        FAIL,
                        f"{shown}: schema is at {current or 'nothing'}, the code needs {head}: "
                        "run `qabot migrate`.",
                    )
                )
                return out
            from sqlalchemy.orm import Session

            with Session(conn) as s:
                board = s.get(Board, 1)
            if board is None:
                out.append(
                    Check(
                        "Database",
                        WARN,
                        f"{shown}: schema up to date, but no board is loaded (`qabot import board.yaml`).",
                    )
                )
            else:
                out.append(Check("Database", OK, f"{shown}: schema up to date; board: {board.name}."))
            return out
    except Exception as e:
        first = (str(e).strip().splitlines() or [""])[0][:200]
        return [
            Check(
                "Database",
                FAIL,
                f"cannot open {shown} ({type(e).__name__}: {first}): check QABOT_DATABASE_URL.",
            )
        ]
    finally:
        engine.dispose()


def check_slack(settings: Settings) -> Check:
    from integrations.slack.connector import check_connection

    return Check("Slack", *check_connection(settings.slack))


def check_teams(settings: Settings) -> Check:
    if settings.teams_client_id:
        if not settings.teams_client_secret:
            return Check("Teams", FAIL, "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET is not set.")
        from azure.identity import ClientSecretCredential

        from integrations.sharepoint.client import describe

        tenant = settings.teams_tenant_id or "botframework.com"
        try:
            cred = ClientSecretCredential(
                tenant, settings.teams_client_id, settings.teams_client_secret.get_secret_value()
            )
            cred.get_token("https://api.botframework.com/.default")
        except Exception as e:
            msg = describe(e).message
            for graph_name, teams_name in (
                ("AZURE_CLIENT_SECRET", "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET"),
                ("AZURE_CLIENT_ID", "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID"),
                ("AZURE_TENANT_ID", "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID"),
            ):
                msg = msg.replace(graph_name, teams_name)
            return Check("Teams", FAIL, msg)
        return Check("Teams", OK, f"the Entra app {settings.teams_client_id} can get a Bot Framework token.")
    if settings.teams_allow_anonymous:
        return Check(
            "Teams",
            WARN,
            "anonymous mode (TEAMS_ALLOW_ANONYMOUS): no token is checked; for local testing only.",
        )
    return Check("Teams", OFF, "not configured.")


def check_graph(settings: Settings, options: GraphOptions | None = None) -> Check:
    if not settings.sharepoint_enabled:
        return Check("SharePoint", OFF, "not configured (SHAREPOINT_SITE is not set).")
    from integrations.sharepoint.client import GraphOptions, RetryPolicy, connect, describe
    from integrations.sharepoint.sync import find_drive

    opts = options or GraphOptions(retry=RetryPolicy(max_retries=1, max_wait=5))

    async def probe() -> tuple[str, str, str | None]:
        conn = None
        try:
            conn = connect(settings, opts)
            return await find_drive(conn, settings)
        finally:
            if conn is not None:
                await conn.aclose()

    try:
        _site_id, drive_id, url = asyncio.run(probe())
    except Exception as e:
        return Check("SharePoint", FAIL, describe(e, settings).message)
    auth = "no token (GRAPH_AUTH=none, loopback only)" if settings.graph_auth == "none" else "app-only token"
    return Check(
        "SharePoint",
        OK,
        f'site {settings.sharepoint_site}, library "{settings.sharepoint_library}" found '
        f"({url or drive_id}); {auth}.",
    )


def run_checks(settings: Settings, *, graph_options: GraphOptions | None = None) -> list[Check]:
    checks = check_database(settings)
    checks.append(check_slack(settings))
    checks.append(check_teams(settings))
    checks.append(check_graph(settings, graph_options))
    return checks


def cmd_doctor(args: argparse.Namespace) -> int:
    import logging

    from bot.settings import load_settings

    logging.basicConfig(level=logging.CRITICAL)
    settings = load_settings()
    checks = run_checks(settings)
    width = max(len(c.name) for c in checks)
    for c in checks:
        print(f"[{c.status:>4}] {c.name:<{width}}  {c.detail}")
    failed = [c.name for c in checks if c.status == FAIL]
    if failed:
        print(f"\n{len(failed)} problem{'s' if len(failed) != 1 else ''}: {', '.join(failed)}.")
        return 1
    print("\nEverything configured is working.")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "doctor",
        help="check every configured connection (database, Slack, Teams, SharePoint)",
        description="Check every configured connection and say what is wrong in words.",
    )
    p.set_defaults(func=cmd_doctor)
