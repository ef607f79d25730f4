"""`qabot teams package --out qabot-teams.zip`: build the Teams app package from the settings."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def cmd_package(args: argparse.Namespace) -> int:
    from bot.settings import load_settings
    from integrations.teams.package import write_package

    teams = load_settings().teams
    out = write_package(teams, Path(args.out))
    print(f"Wrote {out} (manifest.json, color.png, outline.png) for app id {teams.client_id}.")
    print("Upload it in Teams: Apps > Manage your apps > Upload an app (or the Teams admin centre).")
    if not teams.public_url:
        print("Note: TEAMS_PUBLIC_URL is not set, so the manifest's website is https://localhost.")
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("teams", help="Microsoft Teams tools", description="Microsoft Teams tools")
    tsub = p.add_subparsers(dest="teams_command", metavar="TEAMS_COMMAND")
    pk = tsub.add_parser(
        "package",
        help="build the Teams app package (manifest and icons) to upload to Teams",
        description="Build the Teams app package (manifest and icons) from the settings.",
    )
    pk.add_argument(
        "--out", default="qabot-teams.zip", help="where to write the zip (default qabot-teams.zip)"
    )
    pk.set_defaults(func=cmd_package)

    def _usage(_args: argparse.Namespace) -> int:
        p.print_help()
        return 2

    p.set_defaults(func=_usage)
