"""Help text, built from the registry: the overview, a group's page, a command's usage."""

from __future__ import annotations

from commands.registry import REGISTRY, Command, Registry
from commands.types import Reply


def group_help(group: str, registry: Registry = REGISTRY) -> Reply:
    lines = []
    for c in registry.commands(group):
        if not c.hidden:
            lines += [c.usage, f"    {c.summary}. Example: {c.example}"]
    found = registry.group(group)
    return Reply(title=f"/{group} — {found.summary if found else ''}", lines=lines)


def overview(registry: Registry = REGISTRY) -> Reply:
    lines = [f"/{g.name} — {g.summary}" for g in registry.groups()]
    lines.append("Type `/<command> help` (e.g. /action help) for usage and examples.")
    return Reply(title="QA Bot commands", lines=lines)


def usage_of(group: str, registry: Registry = REGISTRY) -> str:
    return "\n".join(c.usage for c in registry.commands(group) if not c.hidden)


def command_help(c: Command) -> Reply:
    return Reply(title=f"/{c.group} {c.name} — {c.summary}", lines=[c.usage, f"Example: {c.example}"])
