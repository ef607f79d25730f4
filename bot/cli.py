"""`qabot`: the command line. Each subcommand imports only what it needs."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli_help import NOW_HELP, unknown_command

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from commands.clock import Clock

log = logging.getLogger("qabot")


def _setup_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # Alembic narrates every start-up at INFO even when there is nothing to migrate.
    logging.getLogger("alembic").setLevel(logging.WARNING)


def _clock(now: str | None) -> Clock:
    from commands.clock import FixedClock, SystemClock

    if not now:
        return SystemClock()
    try:
        at = datetime.fromisoformat(now)
    except ValueError:
        raise SystemExit(f'--now "{now}" is not an ISO date-time such as 2027-03-01T09:30') from None
    if at.tzinfo is None:
        from zoneinfo import ZoneInfo

        at = at.replace(tzinfo=ZoneInfo("Europe/London"))
    return FixedClock(at)


def runtime(args: argparse.Namespace, *, quiet_logs: bool = False, warm_guard: bool = False) -> Runtime:
    from bot.runtime import build_runtime
    from bot.settings import load_settings

    settings = load_settings()
    _setup_logging("WARNING" if quiet_logs else settings.log_level)
    clock = _clock(getattr(args, "now", None))
    from sqlalchemy.exc import SQLAlchemyError

    from bot import db_problem

    try:
        db_problem.check_url(settings.database_url)
        return build_runtime(settings, clock, warm_guard=warm_guard)
    except (db_problem.DatabaseUnreachable, SQLAlchemyError) as e:
        # One line, no traceback: the usual causes are a typo, DNS or a stopped server.
        raise SystemExit("Database: " + db_problem.describe(settings.database_url, e)) from None


def cmd_migrate(args: argparse.Namespace) -> int:
    rt = runtime(args)
    print(f"Database is up to date ({rt.engine.url.render_as_string(hide_password=True)}).")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from bot.boards import import_file_report, read_board_text

    read_board_text(Path(args.file))  # a missing file is one line, before any database work
    rt = runtime(args, quiet_logs=True)
    report = import_file_report(rt.sessions, rt.clock, Path(args.file), dry_run=args.dry_run)
    head, *rest = report.lines(dry_run=args.dry_run)
    print(f"{'Plan for' if args.dry_run else 'Imported'} {args.file}: {head}")
    for line in rest:
        print(line)
    if args.dry_run:
        return 0
    from bot.delivery_checks import join_slack_channels, reach_report

    # Nothing silent: who the bot cannot reach, and channels it could not join (so would not
    # hear replies in), are said now, not discovered when a reminder goes nowhere.
    for line in reach_report(rt.sessions, rt.clock, rt.platforms):
        print(f"warning: {line}")
    for line in join_slack_channels(rt.settings, rt.sessions):
        print(f"warning: could not join {line}")
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    from bot.boards import loaded_board_name, seed_demo

    if not args.demo:
        print("Say what to seed: qabot seed --demo", file=sys.stderr)
        return 2
    rt = runtime(args, quiet_logs=True)
    loaded = loaded_board_name(rt.sessions)
    if loaded is not None:
        # Seeding would merge the demo into this board: rename it, move its QA channel and add
        # the demo's members as active people.
        print(
            f"A board is already loaded ({loaded}): the demo is only seeded into an empty database. "
            "To update your board, edit its file and run `qabot import board.yaml`; to try the "
            "demo, point QABOT_DATABASE_URL at a new database (e.g. sqlite:///demo.db).",
            file=sys.stderr,
        )
        return 2
    counts = seed_demo(rt.sessions, rt.clock)
    print(f"Loaded the demo board (Surrey SCB): {counts['created']} created, {counts['updated']} updated.")
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.console import run_chat

    # A person at a terminal types slower than the lists load; a piped script must not wait on them.
    rt = runtime(args, quiet_logs=True, warm_guard=sys.stdin.isatty())
    return run_chat(rt, as_handle=args.as_handle)


def cmd_tick(args: argparse.Namespace) -> int:
    from bot.tick import run_tick

    rt = runtime(args)
    result = run_tick(rt.sessions, rt.clock, rt.dispatcher(), rt.platforms)
    queued = sum(result.queued.values())
    d = result.dispatch
    print(
        f"tick {result.at.isoformat()}: queued {queued}, sent {d.sent}, retrying {d.retrying}, "
        f"failed {d.failed}, parked {d.parked}"
    )
    return 0


def cmd_clock(args: argparse.Namespace) -> int:
    from bot.scheduler import run_clock

    rt = runtime(args)
    run_clock(rt)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Start the bot the way this machine is configured: web (Slack/Teams), Socket Mode, or
    the local console on the embedded defaults."""
    rt = runtime(args, quiet_logs=True, warm_guard=True)
    if rt.settings.slack.slack_app_token is not None:
        from bot.socket_mode import run_socket_mode

        return run_socket_mode(rt)
    if rt.platforms != ("console",):
        from bot.cli_web import serve

        return serve(rt)
    from bot.boards import has_board, seed_demo
    from bot.console import run_chat

    if not has_board(rt.sessions):
        seed_demo(rt.sessions, rt.clock)
        print(
            "No Slack or Teams settings: starting the local console on the demo board "
            "(Surrey Safeguarding Children Board)."
        )
    return run_chat(rt, as_handle=args.as_handle, with_clock=True)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="qabot", description="QA Bot for the Safeguarding Children Board")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, fn: Callable[[argparse.Namespace], int], help_: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_)
        sp.set_defaults(func=fn)
        return sp

    sp = add("run", cmd_run, "start the bot (web app, Socket Mode, or the local console)")
    sp.add_argument("--as", dest="as_handle", default=None, help="console: act as this member")
    add("migrate", cmd_migrate, "create or upgrade the database schema")
    sp = add("import", cmd_import, "load or update the board from a YAML board file")
    sp.add_argument("file", help="the board file, e.g. board.yaml (template: bot/demo/board.yaml)")
    sp.add_argument(
        "--dry-run",
        action="store_true",
        help="show what would be created, updated, renamed and deactivated; change nothing",
    )
    sp.add_argument("--now", default=None, help=NOW_HELP)
    sp = add("seed", cmd_seed, "load the demo board shipped with QA Bot")
    sp.add_argument("--demo", action="store_true", help="the demo board (Surrey), into an empty database")
    sp = add("chat", cmd_chat, "chat with the bot in this terminal")
    sp.add_argument("--as", dest="as_handle", default=None, help="the member handle to act as")
    sp.add_argument("--now", default=None, help=NOW_HELP)
    sp = add("tick", cmd_tick, "do everything due up to now (or --now), exactly once")
    sp.add_argument("--now", default=None, help="ISO date-time, board time zone unless given")
    add("clock", cmd_clock, "run the clock: a tick every minute (one per deployment)")
    _register_extensions(sub)
    return p


def _register_extensions(sub: Any) -> None:
    """The subcommands that live in their own modules, named here so a missing one fails."""
    from bot import cli_data, cli_docs, cli_doctor, cli_report, cli_teams, cli_web

    for register in (
        cli_web.register,
        cli_docs.register,
        cli_doctor.register,
        cli_teams.register,
        cli_report.register,
        cli_data.register_export,
        cli_data.register_purge,
    ):
        register(sub)


def main(argv: list[str] | None = None) -> int:
    from commands.errors import ConfigError

    parser = build_parser()
    words = sys.argv[1:] if argv is None else argv
    if words:
        known = [c for a in parser._actions if isinstance(a, argparse._SubParsersAction) for c in a.choices]
        problem = unknown_command(words[0], known)
        if problem:
            print(problem, file=sys.stderr)
            return 2
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except ConfigError as e:
        print(str(e), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
