"""The whole cycle without Slack, through the real console script: `qabot chat` to launch and
to answer in a thread, `qabot tick --now …` to let time pass."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES

QABOT = [sys.executable, "-m", "bot.cli"]


def run(db: Path, *args: str, stdin: str = "") -> str:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "CONNECTIONS__", "TEAMS_", "SHAREPOINT_", "AZURE_", "GRAPH_"))
    }
    env["QABOT_DATABASE_URL"] = f"sqlite:///{db}"
    env["QABOT_LOG_LEVEL"] = "WARNING"
    done = subprocess.run(
        QABOT + list(args), input=stdin, capture_output=True, text=True, env=env, timeout=60, cwd=db.parent
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_cycle_in_the_console(tmp_path: Path) -> None:
    db = tmp_path / "qabot.db"
    run(db, "import", str(FIXTURES / "board.yaml"))
    out = run(
        db, "chat", "--as", "qa", "--now", "2026-11-26T10:00", stdin="/s11 launch 2027 deadline 04/05/2027\n"
    )
    assert "Launched Section 11 2027 (statutory): deadline 4 May 2027" in out
    assert "── post-3 to #Surrey Police ──" in out
    out = run(db, "tick", "--now", "2027-04-27T09:30")
    assert "── post-6 to #Surrey Police (in the thread of post-3) ──" in out
    assert "Surrey Police: your Section 11 self-assessment is due in 7 days, on 4 May 2027." in out
    assert "── post-7 to @pol2 ──" in out
    assert "#Surrey Faith Forum" not in out
    assert "queued 4, sent 4" in out
    assert "queued 0, sent 0" in run(db, "tick", "--now", "2027-04-27T09:30")
    out = run(
        db,
        "chat",
        "--as",
        "pol",
        "--now",
        "2027-04-28T10:00",
        stdin="/reply post-6 submitted https://sharepoint.example/s11/police-2027.docx\n/s11 status\n",
    )
    assert "Thank you — Surrey Police's Section 11 2027 (statutory) return is in" in out
    assert (
        "Surrey Police — submitted 28 Apr 2027 10:00 by @pol · evidence https://sharepoint.example/s11/police-2027.docx"
        in out
    )
    out = run(db, "tick", "--now", "2027-04-30T09:30")
    assert "to #Surrey Health (in the thread of post-2)" in out and "#Surrey Police" not in out
