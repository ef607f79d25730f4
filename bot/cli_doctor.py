"""`qabot doctor`: check every configured connection and say what is wrong in words.

The database here; then every connector's own check (bot/connectors.py): Slack (auth.test
at SLACK_API_URL), Teams (a token from the configured Entra app, or a note that anonymous
mode is on), the console, Microsoft Graph (the site and the library); then delivery
(bot/delivery_checks.py): posts that failed for good or were parked (FAIL), agencies and
members with no address on any configured platform (WARN), answers to people that went through
the outbox in the last 14 days (WARN when one went to someone not on the board or was not
delivered; `--now` sets the day), the bot's membership of every configured Slack channel
(conversations.info), and the weekly digest's last run (WARN when a week's digest did not run
or reached no one). Nothing is changed; the exit code is 1 when
any check fails.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.cli_help import NOW_HELP
from integrations.connector import FAIL, OFF, OK, WARN, health_of

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from bot.settings import Settings
    from commands.clock import Clock
    from integrations.sharepoint.client import GraphOptions

__all__ = ["FAIL", "OFF", "OK", "WARN", "Check", "check_database", "check_graph", "run_checks"]

TITLES = {"slack": "Slack", "teams": "Teams", "console": "Console", "sharepoint": "SharePoint"}


@dataclass
class Check:
    name: str
    status: str
    detail: str


def check_inbox(counts: dict[str, int]) -> list[Check]:
    """Deliveries the inbox gave up on (bot/intake.py), or still waits to finish; nothing when
    every delivery was answered."""
    failed, waiting = counts.get("failed", 0), counts.get("pending", 0) + counts.get("working", 0)
    if failed:
        return [
            Check(
                "Inbox",
                WARN,
                f"{failed} delivery(ies) from the platforms failed every attempt and were not answered "
                "(the web app's log says why: look for 'qabot.intake').",
            )
        ]
    if waiting:
        return [Check("Inbox", OK, f"{waiting} delivery(ies) waiting; the web app finishes them.")]
    return []


def check_database(settings: Settings) -> list[Check]:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import text

    from bot import db_problem
    from store import inbox
    from store.db import alembic_config, make_engine
    from store.models import Board

    try:
        db_problem.check_url(settings.database_url)
        engine = make_engine(settings.database_url)
    except Exception as e:
        return [Check("Database", FAIL, db_problem.describe(settings.database_url, e))]
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
            with Session(conn) as s:
                out += check_inbox(inbox.counts(s))
            return out
    except Exception as e:
        return [Check("Database", FAIL, db_problem.describe(settings.database_url, e))]
    finally:
        engine.dispose()


def check_graph(settings: Settings, options: GraphOptions | None = None) -> Check:
    from integrations.sharepoint.connector import check_connection

    found = check_connection(settings.sharepoint, options)
    return Check("SharePoint", found.status, found.detail)


def run_checks(settings: Settings, clock: Clock | None = None) -> list[Check]:
    from bot.connectors import build_connectors
    from commands.clock import SystemClock
    from store.db import make_engine, session_factory

    checks = check_database(settings)
    # The connectors are built as the bot builds them; their checks never touch the store,
    # and this engine never connects (the database check above opens its own).
    try:
        engine = make_engine(settings.database_url)
    except Exception:  # a bad URL: already reported by the database check above
        engine = make_engine("sqlite://")
    try:
        connectors = build_connectors(settings, session_factory(engine), SystemClock())
        for part in connectors.everything():
            found = health_of(part)
            checks.append(Check(TITLES.get(part.name, part.name.title()), found.status, found.detail))
    finally:
        engine.dispose()
    if checks[0].status != FAIL:
        checks += delivery_checks(settings, clock)
    return checks


def delivery_checks(settings: Settings, clock: Clock | None = None) -> list[Check]:
    """Failed or parked posts, who no platform can reach, and the bot's Slack memberships."""
    from bot import delivery_checks as dc
    from commands.clock import SystemClock
    from store.db import make_engine, session_factory

    engine = make_engine(settings.database_url)
    try:
        sessions = session_factory(engine)
        out = [Check("Outbox", *dc.outbox_check(sessions))]
        unreached = dc.reach_report(sessions, SystemClock(), settings.platforms)
        if unreached:
            shown = " ".join(unreached[:8]) + (
                f" …and {len(unreached) - 8} more." if len(unreached) > 8 else ""
            )
            out.append(Check("Reach", WARN, shown))
        else:
            out.append(Check("Reach", OK, "every agency and member has an address on a configured platform."))
        out.append(Check("Answers", *dc.answers_check(sessions, clock or SystemClock())))
        out.append(Check("Channels", *dc.slack_membership_check(settings, sessions)))
        out += kpi_workbook_checks(sessions)
        digest = dc.digest_check(sessions, clock or SystemClock())
        if digest is not None:
            out.append(Check("Digest", *digest))
        return out
    finally:
        engine.dispose()


def kpi_workbook_checks(sessions: sessionmaker[Session]) -> list[Check]:
    """Performance measures read from workbooks: a cell that could not be read (docs/kpi.md)."""
    from commands.kpi.health import workbook_report
    from store import members

    with sessions() as s:
        board = members.board(s)
        found = workbook_report(s, board) if board is not None else None
    if found is None:
        return []
    well, detail = found
    return [Check("KPI workbooks", OK if well else WARN, detail)]


def cmd_doctor(args: argparse.Namespace) -> int:
    import logging

    from bot.settings import load_settings

    logging.basicConfig(level=logging.CRITICAL)
    from bot.cli import _clock

    settings = load_settings()
    checks = run_checks(settings, _clock(getattr(args, "now", None)))
    width = max(len(c.name) for c in checks)
    for c in checks:
        print(f"[{c.status:>4}] {c.name:<{width}}  {c.detail}")
    failed = [c.name for c in checks if c.status == FAIL]
    if failed:
        print(f"\n{len(failed)} problem{'s' if len(failed) != 1 else ''}: {', '.join(failed)}.")
        return 1
    warned = [c.name for c in checks if c.status == WARN]
    if warned:
        print(f"\nWorking, with {len(warned)} warning{'s' if len(warned) != 1 else ''}: {', '.join(warned)}.")
        return 0
    print("\nEverything configured is working.")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "doctor",
        help="check every configured connection (database, Slack, Teams, SharePoint)",
        description="Check every configured connection and say what is wrong in words.",
    )
    p.add_argument("--now", default=None, help=NOW_HELP)
    p.set_defaults(func=cmd_doctor)
