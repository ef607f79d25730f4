"""The console a newcomer meets (issue 15): the README's examples work on the demo board as
written, in a fresh database; every `qabot` subcommand has help; a mistyped command gets "did
you mean"; `/as` alone lists the members."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from bot.cli import build_parser
from tests.test_console import run

README = Path(__file__).parent.parent / "README.md"
ERRORS = re.compile(r"is not a command|There is no|No agency matches|Nothing was saved|Traceback|Say |not a filter")


def readme_section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"## {title}")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def code_blocks(section: str) -> list[str]:
    return re.findall(r"```(?:sh)?\n(.*?)```", section, re.S)


def test_the_readme_console_example_works_on_the_demo_board(tmp_path: Path) -> None:
    db = tmp_path / "qabot.db"
    assert run(["seed", "--demo"], db).returncode == 0
    console = code_blocks(readme_section("Trying it in the console"))[0]
    # "(list the members …)" after a command is the README's comment, not part of it.
    lines = [re.split(r"\s{2,}\(", line)[0].strip() for line in console.splitlines() if line.strip()]
    out = run(["chat", "--as", "qa", "--now", "2027-01-04T10:00"], db, "\n".join(lines) + "\n")
    assert out.returncode == 0, out.stderr
    assert not ERRORS.search(out.stdout), out.stdout
    assert "Logged A-1" in out.stdout and "Logged A-2" in out.stdout and "Logged F-1" in out.stdout
    assert "Members (/as <handle> to act as one):" in out.stdout and "Now acting as @pol." in out.stdout


def test_the_readme_tick_example_works_in_a_fresh_database(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    script = code_blocks(readme_section("Trying it in the console"))[1]
    outputs: list[str] = []
    for line in script.splitlines():
        line = line.split("  #")[0].strip()
        if not line or line.startswith("export "):
            continue
        stdin = ""
        if line.startswith("echo "):
            said, line = line.split(" | ", 1)
            stdin = shlex.split(said)[1] + "\n"
        args = shlex.split(line)
        assert args[0] == ".venv/bin/qabot", line
        done = run(args[1:], db, stdin)
        assert done.returncode == 0, (line, done.stderr)
        outputs.append(done.stdout)
    launched, ticked, replied = outputs[1], outputs[2], outputs[3]
    assert "Launched Section 11 2027" in launched
    assert "post-6 to #Surrey Police (in the thread of post-3)" in ticked
    assert "submitted" in replied.lower() and not ERRORS.search(replied), replied


def test_every_subcommand_has_help_and_now_is_documented() -> None:
    parser = build_parser()
    [sub] = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    for name, sp in sub.choices.items():  # type: ignore[attr-defined]
        text = sp.format_help()
        assert sp.description, name
        for action in sp._actions:
            if action.__class__.__name__ != "_SubParsersAction":  # its subcommands have their own
                assert action.help, (name, action.dest)
        if any("--now" in a.option_strings for a in sp._actions):
            assert "ISO date-time" in text, name


def test_a_mistyped_subcommand_gets_did_you_mean(tmp_path: Path) -> None:
    out = run(["tik"], tmp_path / "qabot.db")
    assert out.returncode == 2
    assert 'Did you mean qabot tick?' in out.stderr


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("/as", "Members (/as <handle> to act as one):"),
        ("/as nobody", 'No member "nobody" on this board.'),
        ("/tik", '"/tik" is not a console command. Did you mean /tick?'),
        ("/acton list", "Did you mean /action?"),
    ],
)
def test_the_console_answers_a_newcomer(tmp_path: Path, line: str, says: str) -> None:
    db = tmp_path / "qabot.db"
    assert run(["seed", "--demo"], db).returncode == 0
    out = run(["chat", "--as", "qa"], db, line + "\n")
    assert says in out.stdout, out.stdout
    if line.startswith("/as"):
        assert re.search(r"@pol +Police Lead \(agency lead, Surrey Police\)", out.stdout), out.stdout
