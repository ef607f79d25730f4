"""One grammar for every platform: `<group> <subcommand> <args>`, e.g. `action add …`.

Command groups live in their own modules (each exposing SUMMARY and SUBCOMMANDS) and are
loaded on first use, so a group that a deployment never uses costs nothing at start-up.
"""

from __future__ import annotations

import importlib
import importlib.util
from functools import cache
from types import ModuleType

from commands.context import Context, Subcommand
from commands.errors import UsageError
from commands.grammar import clean
from commands.types import Reply

GROUP_MODULES: dict[str, str] = {
    "action": "commands.actions",
    "finding": "commands.findings",
    "qa": "commands.qa",
    "s11": "commands.section11.commands",
    "docs": "commands.docs",
}
ALIASES = {"actions": "action", "findings": "finding", "section11": "s11", "doc": "docs"}


@cache
def _module(group: str) -> ModuleType | None:
    path = GROUP_MODULES[group]
    try:
        if importlib.util.find_spec(path) is None:
            return None
    except ModuleNotFoundError:
        return None
    return importlib.import_module(path)


def groups() -> dict[str, ModuleType]:
    return {g: m for g in GROUP_MODULES if (m := _module(g)) is not None}


def subcommands(group: str) -> list[Subcommand]:
    mod = _module(group)
    return list(getattr(mod, "SUBCOMMANDS", [])) if mod else []


def find(group: str, name: str) -> Subcommand | None:
    for sc in subcommands(group):
        if name == sc.name or name in sc.aliases:
            return sc
    return None


def split(text: str, command: str | None = None) -> tuple[str | None, str | None, str]:
    """(group, subcommand word, rest) from a line like "/action add …" or "action add …"."""
    words = text.split(maxsplit=1)
    if command:
        group = command.lstrip("/").lower()
    elif words:
        group = words[0].lstrip("/").lower()
        words = words[1].split(maxsplit=1) if len(words) > 1 else []
    else:
        return None, None, ""
    group = ALIASES.get(group, group)
    if not words:
        return group, None, ""
    return group, words[0].lower(), words[1] if len(words) > 1 else ""


def group_help(group: str) -> Reply:
    mod = _module(group)
    lines = []
    for sc in subcommands(group):
        if not sc.hidden:
            lines += [f"{sc.usage}", f"    {sc.summary}. Example: {sc.example}"]
    summary = getattr(mod, "SUMMARY", "")
    return Reply(title=f"/{group} — {summary}", lines=lines)


def overview() -> Reply:
    lines = [f"/{g} — {getattr(m, 'SUMMARY', '')}" for g, m in groups().items()]
    lines.append("Type `/<command> help` (e.g. /action help) for usage and examples.")
    return Reply(title="QA Bot commands", lines=lines)


def usage_of(group: str) -> str:
    return "\n".join(sc.usage for sc in subcommands(group) if not sc.hidden)


def dispatch(ctx: Context, text: str, command: str | None = None) -> Reply:
    """Run the command in the text. Raises UsageError (with usage) for anything malformed."""
    line = clean(text)
    group, sub, rest = split(line, command)
    if group in (None, "help", "?"):
        target = sub if sub else None
        target = ALIASES.get(target or "", target)
        return group_help(target) if target in groups() else overview()
    if group not in groups():
        raise UsageError(f'"{group}" is not a command I know.', "Try /qa help for the list.")
    if sub is None or (sub in ("help", "?") and group != "qa"):
        return group_help(group)
    found = find(group, sub)
    if found is None:
        raise UsageError(f'"/{group} {sub}" is not a command I know.', usage_of(group))
    if rest.strip().lower() in ("help", "?"):
        return Reply(
            title=f"/{group} {found.name} — {found.summary}", lines=[found.usage, f"Example: {found.example}"]
        )
    return found.run(ctx, rest)
