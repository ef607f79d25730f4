"""One grammar for every platform: `<group> <subcommand> <args>`, e.g. `action add …`.

The commands come from the registry (commands/registry.py), filled by the modules that
commands/catalog.py imports.
"""

from __future__ import annotations

from difflib import get_close_matches

from commands import catalog
from commands.context import Context
from commands.errors import UsageError
from commands.grammar import clean
from commands.help import command_help, group_help, overview, usage_of
from commands.registry import Command, Group
from commands.types import Reply

__all__ = ["dispatch", "find", "group_help", "groups", "overview", "split", "subcommands", "usage_of"]


def groups() -> dict[str, Group]:
    """The command groups by name."""
    return {g.name: g for g in catalog.load().groups()}


def subcommands(group: str) -> list[Command]:
    return catalog.load().commands(group)


def find(group: str, name: str) -> Command | None:
    return catalog.load().find(group, name)


def split(text: str, command: str | None = None) -> tuple[str | None, str | None, str]:
    """(group, subcommand, rest) from a line like "/action add …" or "action add …"; the
    subcommand is two words when the group registers them as one command ("agenda add")."""
    words = text.split(maxsplit=1)
    if command:
        group = command.lstrip("/").lower()
    elif words:
        group = words[0].lstrip("/").lower()
        words = words[1].split(maxsplit=1) if len(words) > 1 else []
    else:
        return None, None, ""
    found = catalog.load().group(group)
    group = found.name if found else group
    if not words:
        return group, None, ""
    sub, rest = words[0].lower(), words[1] if len(words) > 1 else ""
    # A two-word command (`/qa agenda add …`, `/qa meeting move …`) is found before its one-word neighbour.
    more = rest.split(maxsplit=1)
    if more and catalog.load().find(group, f"{sub} {more[0].lower()}") is not None:
        return group, f"{sub} {more[0].lower()}", more[1] if len(more) > 1 else ""
    return group, sub, rest


def dispatch(ctx: Context, text: str, command: str | None = None) -> Reply:
    """Run the command in the text. Raises UsageError (with usage) for anything malformed."""
    registry = catalog.load()
    line = clean(text)
    group, sub, rest = split(line, command)
    if group in (None, "help", "?"):
        target = registry.group(sub) if sub else None
        return group_help(target.name) if target else overview()
    if registry.group(group) is None:
        words = {w: g.name for g in registry.groups() for w in (g.name, *g.aliases)}
        raise UsageError(
            f'"{group}" is not a command I know.{_did_you_mean(group, words, "/")}',
            "Try /qa help for the list.",
        )
    g = registry.group(group)
    if sub is None and g is not None and g.bare is not None and (bare := registry.find(group, g.bare)):
        return registry.run(ctx, bare, "")
    if sub is None or (sub in ("help", "?") and group != "qa"):
        return group_help(group)
    found = registry.find(group, sub)
    default = registry.find(group, g.otherwise) if found is None and g is not None and g.otherwise else None
    if default is not None:  # words that name no command are the default's (`/kpi rereferrals`)
        return registry.run(ctx, default, _after_group(line, command))
    if found is None:
        words = {w: c.name for c in registry.commands(group) for w in (c.name, *c.aliases)}
        hint = _did_you_mean(sub, words, f"/{group} ")
        raise UsageError(f'"/{group} {sub}" is not a command I know.{hint}', usage_of(group))
    if rest.strip().lower() in ("help", "?"):
        return command_help(found)
    return registry.run(ctx, found, rest)


def _after_group(line: str, command: str | None) -> str:
    """The words after the group's name, as typed (a slash command's text is only those)."""
    if command:
        return line.strip()
    parts = line.split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


def _did_you_mean(word: str, known: dict[str, str], prefix: str) -> str:
    """ " Did you mean /action?" for a near miss ("/acton"), else nothing. `known` maps every
    name and alias to the name it stands for."""
    close = list(dict.fromkeys(known[c] for c in get_close_matches(word, list(known), n=3, cutoff=0.6)))
    return f" Did you mean {' or '.join(prefix + c for c in close[:2])}?" if close else ""
