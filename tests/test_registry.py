"""The registry, listed: every command documented with a working example, every kind of post
the bot queues with a thread handler (or declared to have none), and the catalog complete."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.core import BotCore
from commands import catalog, router
from commands.clock import FixedClock
from commands.context import Context
from commands.grammar import clean
from commands.registry import Command, Group, Registry, RegistryError
from commands.types import Reply
from tests.conftest import Say

COMMANDS_DIR = Path(__file__).resolve().parent.parent / "commands"
REGISTERS = ("@command(", "@thread_reply(", "@producer(", "no_thread_reply(", "= group(")
QUEUEING = {"to_agency", "to_member", "to_channel", "to_meeting", "post_in_thread"}

ALL = [c for g in catalog.load().groups() for c in catalog.load().commands(g.name)]


def test_every_group_and_command_is_documented() -> None:
    registry = catalog.load()
    assert [g.name for g in registry.groups()] == ["action", "finding", "qa", "s11", "docs", "kpi", "review"]
    for g in registry.groups():
        assert g.summary, g.name
        assert registry.commands(g.name), f"/{g.name} has no commands"
    for c in ALL:
        assert c.usage.startswith(f"/{c.group} "), (c.group, c.name, c.usage)
        assert c.example.startswith(f"/{c.group} {c.name}"), (c.group, c.name, c.example)
        assert c.summary, (c.group, c.name)


# The commands that take no typed request, and why. Every other command parses its text into
# a pydantic request (commands/registry.py), so a form can build the request directly.
TEXT_ONLY = {
    ("qa", "help"): "a page built from the registry: there is nothing to fill in",
    ("s11", "help"): "a page built from the registry: there is nothing to fill in",
    ("docs", "help"): "a page built from the registry: there is nothing to fill in",
}


def test_every_command_takes_a_typed_request_or_says_why_not() -> None:
    untyped = {(c.group, c.name) for c in ALL if c.request is None}
    assert untyped == set(TEXT_ONLY), "a command without a request model needs a reason in TEXT_ONLY"
    for c in ALL:
        if c.request is None:
            assert c.parse is None and c.execute is None, (c.group, c.name)
            continue
        assert c.parse is not None and c.execute is not None, (c.group, c.name)
        assert catalog.load().request_type(c.group, c.name) is c.request
        assert c.request.model_config.get("extra") == "forbid", f"{c.request.__name__}: unknown fields pass"


@pytest.fixture
def db_url(sqlite_url: str) -> str:
    """The registry is the same on every database: one is enough here."""
    return sqlite_url


def test_every_example_is_a_command_the_bot_knows(say: Say) -> None:
    for c in ALL:
        group, sub, _ = router.split(clean(c.example))
        assert group is not None and sub is not None, c.example
        assert catalog.load().find(group, sub) is c, c.example
        reply = say("qa", c.example)  # the QA officer may run every command
        assert "is not a command I know" not in reply.text(), (c.example, reply.text())
        assert reply.data.get("error") != "internal", (c.example, reply.text())


def _queued_kinds() -> dict[str, str]:
    """kind="…" given to the functions that queue outbox posts, anywhere in commands/."""
    found: dict[str, str] = {}
    for path in COMMANDS_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in QUEUEING:
                continue
            for kw in node.keywords:
                if (
                    kw.arg == "kind"
                    and isinstance(kw.value, ast.Constant)
                    and isinstance(kw.value.value, str)
                ):
                    found[kw.value.value] = f"{path.relative_to(COMMANDS_DIR.parent)}:{node.lineno}"
    return found


def test_every_kind_of_post_has_a_thread_handler_or_is_declared_to_have_none() -> None:
    kinds = _queued_kinds()
    assert {"agenda", "agenda_summary", "s11_launch", "s11_reminder", "sharepoint_problem"} <= set(kinds)
    registry = catalog.load()
    missing = {k: where for k, where in kinds.items() if not registry.thread_reply_declared(k)}
    assert missing == {}, f"no thread handler and no no_thread_reply(...) for: {missing}"
    assert registry.thread_handler("s11_reminder") is not None
    assert registry.thread_handler("agenda") is not None
    assert registry.thread_handler("sharepoint_problem") is None


def _module_name(path: Path) -> str:
    parts = path.relative_to(COMMANDS_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_catalog_imports_every_module_that_registers_something() -> None:
    on_disk = {
        _module_name(p)
        for p in COMMANDS_DIR.rglob("*.py")
        if p.name not in ("registry.py", "catalog.py") and any(r in p.read_text() for r in REGISTERS)
    }
    in_catalog = {m.__name__ for m in catalog.MODULES}
    assert on_disk - in_catalog == set(), "registering modules missing from commands/catalog.py"
    assert in_catalog - on_disk == set(), "catalog modules that register nothing"
    assert {name for name, _ in catalog.load().producers()} == {
        "section11",
        "meetings",
        "reviews",
        "digest",
        "kpi",
        "delivery_notices",
    }


def test_no_module_is_found_by_name() -> None:
    for path in [*COMMANDS_DIR.rglob("*.py"), COMMANDS_DIR.parent / "bot" / "tick.py"]:
        text = path.read_text()
        assert "find_spec" not in text and "import_module" not in text, path


def test_a_group_left_without_commands_stops_start_up() -> None:
    registry = Registry()
    registry.add_group(Group("action", "actions"))
    with pytest.raises(RegistryError, match="No commands are registered for: /action"):
        registry.check()


def _nothing(ctx: Context, args: str) -> Reply:
    return Reply()


def test_registering_a_name_twice_fails_loudly() -> None:
    registry = Registry()
    registry.add_group(Group("action", "actions", aliases=("actions",)))
    with pytest.raises(RegistryError, match="registered twice"):
        registry.add_group(Group("actions", "again"))
    done = Command("action", "done", "/action done A-<n>", "/action done A-1", "close", _nothing)
    registry.add_command(done)
    with pytest.raises(RegistryError, match='"/action done" is registered twice'):
        registry.add_command(Command("action", "close", "u", "e", "s", done.run, aliases=("done",)))
    with pytest.raises(RegistryError, match="not registered"):
        registry.add_command(Command("nope", "x", "u", "e", "s", done.run))
    registry.add_producer("section11", lambda scope: 0)
    with pytest.raises(RegistryError, match="registered twice"):
        registry.add_producer("section11", lambda scope: 0)


def test_a_renamed_module_fails_when_the_catalog_is_imported() -> None:
    source = (COMMANDS_DIR / "catalog.py").read_text()
    renamed = source.replace("import commands.findings\n", "import commands.findings_renamed\n", 1)
    assert renamed != source
    with pytest.raises(ModuleNotFoundError, match=r"commands\.findings_renamed"):
        exec(compile(renamed, "catalog.py", "exec"), {"__name__": "catalog_renamed"})


def test_the_core_checks_the_registry_at_start_up(
    board: sessionmaker[Session], clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def half_registered() -> Registry:
        empty = Registry()
        empty.add_group(Group("action", "actions"))
        empty.check()
        return empty

    monkeypatch.setattr(catalog, "load", half_registered)
    with pytest.raises(RegistryError, match="No commands are registered for: /action"):
        BotCore(sessions=board, clock=clock)


def test_help_lists_the_registry(say: Say) -> None:
    page = say("bm", "/action")
    assert page.title == "/action — actions: things someone must do, followed up until closed"
    assert [line for line in page.lines if line.startswith("/action ")] == [
        c.usage for c in catalog.load().commands("action") if not c.hidden
    ]
    assert say("bm", "/actions help").title == page.title  # the alias
    assert "/docs help" not in "\n".join(say("bm", "/docs").lines)  # hidden
