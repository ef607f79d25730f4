"""`qabot chat` wired: the console connector gets the core, and the tick and the clock as
callables, so integrations/console never reaches into bot/."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from integrations.console.chat import ChatHooks

if TYPE_CHECKING:
    from bot.runtime import Runtime


def chat_hooks(rt: Runtime) -> ChatHooks:
    def tick() -> int:
        from bot.tick import run_tick

        return run_tick(rt.sessions, rt.clock, rt.dispatcher(), rt.platforms).dispatch.sent

    def start_clock() -> Callable[[], None]:
        from bot.scheduler import start_background

        scheduler = start_background(rt)
        return lambda: scheduler.shutdown(wait=False)  # type: ignore[attr-defined]

    return ChatHooks(tick=tick, start_clock=start_clock)


def run_chat(
    rt: Runtime,
    *,
    as_handle: str | None = None,
    with_clock: bool = False,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
) -> int:
    return rt.connectors.console.chat(
        rt.core, chat_hooks(rt), as_handle=as_handle, with_clock=with_clock, stdin=stdin, out=out
    )
