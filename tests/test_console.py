"""`qabot chat` and `qabot run` as a new user drives them, through the real console script."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES

QABOT = [sys.executable, "-m", "bot.cli"]


def env_for(db: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "CONNECTIONS__", "TEAMS_", "SHAREPOINT_", "AZURE_", "GRAPH_"))
    }
    env["QABOT_DATABASE_URL"] = f"sqlite:///{db}"
    return env


def run(args: list[str], db: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        QABOT + args, input=stdin, capture_output=True, text=True, env=env_for(db), timeout=60, cwd=db.parent
    )


def test_scripted_chat_against_a_board_file(tmp_path: Path) -> None:
    db = tmp_path / "qabot.db"
    imported = run(["import", str(FIXTURES / "board.yaml")], db)
    assert imported.returncode == 0, imported.stderr
    assert "created" in imported.stdout
    script = (
        "\n".join(
            [
                "/action add Review MASH referral audit @pol due 12/03/2027 #cp",
                "/finding add Strategy meetings not always multi-agency agency Surrey Police rag amber #cp",
                "/action add Check on Child X, DOB 01/02/2015",
                "/action add Foo due 31/02/2027",
                "/action list",
                "/action done A-1 completed",
                "/action show A-1",
            ]
        )
        + "\n"
    )
    out = run(["chat", "--as", "qa"], db, script)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert (
        "Logged A-1\n  A-1 · Review MASH referral audit · @pol · Surrey Police · due 12 Mar 2027 · Child Protection"
        in text
    )
    assert "Logged F-1" in text
    assert "a date of birth" in text and "Nothing was saved" in text
    assert "February 2027 has 28 days" in text
    assert "Open actions (1)" in text
    assert "Closed A-1" in text and "@qa closed" in text
    assert "Traceback" not in text + out.stderr
    with sqlite3.connect(db) as c:
        assert c.execute("select count(*) from actions").fetchone() == (1,)
        assert c.execute("select count(*) from findings").fetchone() == (1,)


def test_chat_refuses_an_unknown_member(tmp_path: Path) -> None:
    db = tmp_path / "qabot.db"
    run(["import", str(FIXTURES / "board.yaml")], db)
    out = run(["chat", "--as", "mallory"], db, "/action list\n")
    assert out.returncode == 2 and 'No member "mallory"' in out.stderr


def test_run_without_credentials_opens_the_console_on_the_demo_board(tmp_path: Path) -> None:
    db = tmp_path / "qabot.db"
    out = run(["run"], db, "/qa help\n/action list agency Surrey Police\n")
    assert out.returncode == 0, out.stderr
    assert "demo board" in out.stdout
    assert "QA Bot commands" in out.stdout and "Open actions for Surrey Police (0)" in out.stdout


def test_import_reports_a_typo_with_its_line(tmp_path: Path) -> None:
    db = tmp_path / "qabot.db"
    bad = tmp_path / "board.yaml"
    bad.write_text((FIXTURES / "board.yaml").read_text().replace("role: chair", "role: chiar"))
    out = run(["import", str(bad)], db)
    assert out.returncode == 2
    assert "line 6: members.0.role: expected 'chair'" in out.stderr and "Traceback" not in out.stderr
