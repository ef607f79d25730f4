"""The console as a Connector: posts are printed, and `qabot chat` talks to the core.

Its sender is always registered, even when Slack or Teams is configured: a post with no
address on any configured platform is queued for the console (commands/posting.py), and
without a sender it would stay in the outbox for ever, at the head of every dispatch. So
`enabled` is always true; `primary` says whether the console is where the board's posts are
addressed (no chat platform configured), which is what `qabot doctor` reports.
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
        return True

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
        return Health(OK, "posts with no Slack or Teams address are printed by the process sending them.")

    def doctor(self) -> list[str]:
        return []
