"""commands/ knows no chat platform: addresses come from the addresses table, and each
integration turns its own mention markup into the core's mention token."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commands.grammar import parse
from commands.types import mention_token, mentioned
from integrations.slack.inbound import text_for_core
from store.models import Action, Member
from tests.conftest import Say

COMMANDS = Path(__file__).parent.parent / "commands"
# Where the core addresses posts and reads who was mentioned.
NEUTRAL = ["posting.py", "grammar.py", "resolve.py", "meetings/today.py", "board_file.py"]
PLATFORM_NAMES = re.compile(r"slack|teams|msteams", re.IGNORECASE)
SLACK_MARKUP = re.compile(r"<@U|<@\(\[A-Z")  # `<@U…|name>`, or a regex written to match it


def _code_strings(path: Path) -> list[str]:
    """Every string literal in the module except docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_the_core_names_no_platform_where_it_addresses_posts_or_reads_mentions() -> None:
    for name in NEUTRAL:
        path = COMMANDS / name
        strings = _code_strings(path)
        assert strings, f"{name}: found no code to check"  # the files are where we think
        named = [s for s in strings if PLATFORM_NAMES.search(s)]
        assert named == [], f"{name} names a platform: {named}"
        assert not SLACK_MARKUP.search(path.read_text(encoding="utf-8")), f"{name} parses Slack markup"


def test_slack_mentions_become_tokens_outside_quotes_only() -> None:
    line = text_for_core('add "Ask <@U0CHAIR1> first" <@U0POL001|pol> due <https://x.example|x>')
    assert line == 'add "Ask <@U0CHAIR1> first" <@slack:U0POL001> due https://x.example'
    p = parse(line, {"due"})
    assert p.mentions == ["<@slack:U0POL001>"]
    assert p.words == ["add", "Ask <@U0CHAIR1> first"]
    assert mentioned(p.mentions[0]) == ("slack", "U0POL001")
    assert mentioned("<@U0POL001>") is None and mentioned("@pol") is None


def test_a_teams_token_finds_its_member_through_the_addresses_table(board: sessionmaker[Session], say: Say) -> None:
    token = mention_token("teams", "0C1A0000-0000-4000-8000-000000000001")  # any case of an Entra id
    reply = say("qa", f"/action add Chair the challenge panel {token}")
    assert reply.ok, reply.text()
    assert "@ic" in reply.text()
    with board() as s:
        [(text, owner)] = list(s.execute(select(Action.text, Member.handle).join(Member, Action.owner_id == Member.id)))
    assert (text, owner) == ("Chair the challenge panel", "ic")
    unknown = say("qa", f"/action add Chair it {mention_token('teams', '0c1a0000-0000-4000-8000-00000000dead')}")
    assert not unknown.ok
    assert "There is no board member with that Teams account" in unknown.text()
    assert "<@" not in unknown.text()
