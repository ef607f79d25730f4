"""Neutral replies as terminal text."""

from __future__ import annotations

from commands.types import Reply


def render(reply: Reply) -> str:
    out: list[str] = []
    if reply.title:
        out.append(("✗ " if not reply.ok else "") + reply.title)
    width = max((len(k) for k, _ in reply.fields), default=0)
    out += [f"  {k.ljust(width)}  {v}" for k, v in reply.fields]
    out += [f"  {line}" if reply.title or reply.fields else line for line in reply.lines]
    out += [f"  File: {path}" for path in reply.files]  # e.g. the Board report, a KPI chart
    if reply.buttons:
        out.append("  [" + "] [".join(b.label for b in reply.buttons) + "]")
    return "\n".join(out)
