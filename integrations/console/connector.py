"""The console as a Connector: posts are printed, and `qabot chat` talks to the core.

Its sender is registered only when the console is the platform (`primary`: no chat platform
configured). A post with no Slack or Teams address is not printed to a terminal nobody reads
and counted as sent: it is kept as 'unreachable' (commands/posting.py) and reported. `qabot
chat` drives the console directly, whatever `enabled` says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from commands.ports import CorePort
from integrations.connector import OK, Health
from integrations.console.chat import ChatHooks, run_chat
from integrations.console.sender import ConsoleSender

if TYPE_CHECKING:
    from fastapi import FastAPI


@dataclass
class ConsoleConnector:
    primary: bool = True
    name: str = "console"
    _sender: ConsoleSender = field(default_factory=ConsoleSender, repr=False)

    @property
    def enabled(self) -> bool:
        return self.primary

    @property
    def stream(self) -> TextIO | None:
        """Where posts are printed (None: whatever sys.stdout is when one is printed)."""
        return self._sender.stream

    @stream.setter
    def stream(self, out: TextIO | None) -> None:
        self._sender.stream = out

    def sender(self) -> ConsoleSender:
        return self._sender

    def mount(self, app: FastAPI, core: CorePort) -> None:
        """The console has no web route."""

    def start(self, core: CorePort) -> None:
        """Nothing to open: `chat` is the console's loop, and it blocks."""

    def stop(self) -> None:
        """Nothing held open."""

    def chat(
        self,
        core: CorePort,
        hooks: ChatHooks,
        *,
        as_handle: str | None = None,
        with_clock: bool = False,
        stdin: TextIO | None = None,
        out: TextIO | None = None,
    ) -> int:
        """`qabot chat`: the loop, with the bot's posts printed to `out` too."""
        if out is not None:
            self.stream = out
        return run_chat(core, hooks, as_handle=as_handle, with_clock=with_clock, stdin=stdin, out=out)

    def health(self) -> Health:
        if self.primary:
            return Health(OK, "no Slack or Teams settings: the bot's posts are printed in the terminal.")
        return Health(OK, "not used: the board's posts go to Slack or Teams; `qabot chat` still works.")

    def doctor(self) -> list[str]:
        return []
