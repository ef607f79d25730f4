"""`qabot chat`: talk to the bot in a terminal as a member of the board.

Interactive (with history) on a terminal; when standard input is not a terminal it reads one
command per line, prints each reply, and exits at the end of input.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from commands.types import Inbound, Reply
from integrations.console.render import render
from store import members

if TYPE_CHECKING:
    from bot.runtime import Runtime

CONSOLE_HELP = """Console commands:
  /help                 this help, then the bot's own commands
  /as <handle>          act as another member of the board
  /reply <post> <text>  answer in the thread of one of the bot's posts (e.g. /reply post-3 submitted)
  /tick                 do what is due now and show the bot's posts
  /quit                 leave
Everything else goes to the bot, e.g. /action add Review MASH audit @pol due 12/03/2027 #cp"""


def default_handle(rt: Runtime) -> str | None:
    with rt.sessions() as s:
        for role in ("qa_officer", "chair", "member"):
            found = members.by_role(s, role)
            if found:
                return found[0].handle
    return None


def _check_handle(rt: Runtime, handle: str) -> str | None:
    with rt.sessions() as s:
        m = members.by_handle(s, handle)
        return m.handle if m else None


class ChatSession:
    def __init__(self, rt: Runtime, handle: str, out: TextIO) -> None:
        self.rt, self.handle, self.out = rt, handle, out

    def say(self, text: str) -> None:
        print(text, file=self.out)
        self.out.flush()

    def handle_line(self, line: str) -> bool:
        """Handle one line; False to stop."""
        line = line.strip()
        if not line or line.startswith("//"):
            return True
        word, _, rest = line.partition(" ")
        low = word.lower()
        if low in ("/quit", "/exit", "quit", "exit"):
            return False
        if low == "/help" and not rest:
            self.say(CONSOLE_HELP)
            line = "help"
        elif low == "/as":
            found = _check_handle(self.rt, rest.strip().lstrip("@"))
            self.say(f"Now acting as @{found}." if found else f'No member "{rest.strip()}" on this board.')
            if found:
                self.handle = found
            return True
        elif low == "/tick":
            self.tick()
            return True
        elif low == "/reply":
            post, _, text = rest.strip().partition(" ")
            if not post or not text.strip():
                self.say("Usage: /reply <post> <text>, e.g. /reply post-3 submitted")
                return True
            reply = self.send(text, thread_id=post)
            if reply.data.get("ignored"):
                self.say(f"{post} is not one of the bot's posts: see the post-N names printed by /tick.")
            return True
        self.send(line)
        return True

    def send(self, text: str, thread_id: str | None = None) -> Reply:
        inbound = Inbound(
            platform="console",
            user_id=self.handle,
            text=text,
            thread_id=thread_id,
            chatter=thread_id is not None,
        )
        reply = self.rt.core.handle(inbound)
        if not reply.data.get("ignored"):
            self.say(render(reply))
        # Posts the command queued (e.g. a Section 11 launch) appear straight away.
        self.rt.dispatcher().dispatch()
        return reply

    def tick(self) -> None:
        from bot.tick import run_tick

        result = run_tick(self.rt.sessions, self.rt.clock, self.rt.dispatcher(), self.rt.platforms)
        if not result.dispatch.sent:
            self.say("Nothing due.")


def run_chat(
    rt: Runtime,
    *,
    as_handle: str | None = None,
    with_clock: bool = False,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
) -> int:
    stdin = stdin or sys.stdin
    if out is not None:
        rt.console_stream = out  # otherwise posts go to whatever sys.stdout is when they print
    out = out or sys.stdout
    handle = _check_handle(rt, as_handle) if as_handle else default_handle(rt)
    if handle is None:
        if as_handle:
            print(f'No member "{as_handle}" on this board.', file=sys.stderr)
        else:
            print(
                "No board is loaded: run `qabot import board.yaml` or `qabot seed --demo`.", file=sys.stderr
            )
        return 2
    chat = ChatSession(rt, handle, out)
    if not stdin.isatty():
        for line in stdin:
            if not chat.handle_line(line):
                break
        return 0
    scheduler = None
    if with_clock:
        from bot.scheduler import start_background

        scheduler = start_background(rt)
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory
    from prompt_toolkit.patch_stdout import patch_stdout

    history = Path.home() / ".qabot_history"
    prompt: PromptSession[str] = PromptSession(history=FileHistory(str(history)))
    chat.say(f"QA Bot console — acting as @{handle}. Type /help for help, /quit to leave.")
    # Posts printed by the in-process clock appear above the prompt, not inside it.
    with patch_stdout():
        chat.out = sys.stdout
        try:
            while True:
                try:
                    line = prompt.prompt(f"@{chat.handle}> ")
                except KeyboardInterrupt:
                    continue
                except EOFError:
                    break
                if not chat.handle_line(line):
                    break
        finally:
            if scheduler is not None:
                scheduler.shutdown(wait=False)  # type: ignore[attr-defined]
    return 0
