"""`qabot chat`: talk to the bot in a terminal as a member of the board.

Interactive (with history) on a terminal; when standard input is not a terminal it reads one
command per line, prints each reply, and exits at the end of input.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path
from typing import TextIO

from commands import catalog
from commands.ports import CorePort
from commands.types import Inbound, Reply
from integrations.console.render import render

CONSOLE_HELP = """Console commands:
  /help                 this help, then the bot's own commands
  /as [<handle>]        act as another member of the board (alone: list the members)
  /reply <post> <text>  answer in the thread of one of the bot's posts (e.g. /reply post-3 submitted)
  /tick                 do what is due now and show the bot's posts
  /quit                 leave
Everything else goes to the bot, e.g. /action add Review MASH audit @pol due 12/03/2027 #cp"""


@dataclass(frozen=True)
class ChatHooks:
    """What the chat needs from the wiring besides the core (bot/console.py hands them in)."""

    tick: Callable[[], int]  # do everything due now; how many posts went out
    start_clock: Callable[[], Callable[[], None]]  # the clock in the background; returns its stop


def default_handle(core: CorePort) -> str | None:
    """Whom the console acts as when not told: the QA officer, else the chair, else a member."""
    board = core.members()  # board order
    for role in ("qa_officer", "chair", "member"):
        found = [m for m in board if m.role == role]
        if found:
            return found[0].handle
    return None


CONSOLE_WORDS = ["/help", "/as", "/reply", "/tick", "/quit", "/exit"]


def members_list(core: CorePort, acting: str) -> str:
    """Who the console can act as (`/as` alone): every member, with their role and agency."""
    lines = [f"Acting as @{acting}. Members (/as <handle> to act as one):"]
    for m in core.members():
        if m.active:
            agency = f", {m.agency}" if m.agency else ""
            lines.append(f"  @{m.handle:<10} {m.name} ({m.role.replace('_', ' ')}{agency})")
    return "\n".join(lines)


def _check_handle(core: CorePort, handle: str) -> str | None:
    # On the console the platform user id is the member's handle.
    found = core.member("console", handle.strip().lstrip("@"))
    return found.handle if found else None


class ChatSession:
    def __init__(self, core: CorePort, hooks: ChatHooks, handle: str, out: TextIO) -> None:
        self.core, self.hooks, self.handle, self.out = core, hooks, handle, out

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
            if not rest.strip():
                self.say(members_list(self.core, self.handle))
                return True
            found = _check_handle(self.core, rest)
            if found:
                self.say(f"Now acting as @{found}.")
                self.handle = found
            else:
                self.say(f'No member "{rest.strip()}" on this board.\n{members_list(self.core, self.handle)}')
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
        if low.startswith("/") and low not in CONSOLE_WORDS:
            close = get_close_matches(low, CONSOLE_WORDS, n=1, cutoff=0.75)
            if close and not self.core_knows(low):
                self.say(f'"{word}" is not a console command. Did you mean {close[0]}? (/help lists them)')
                return True
        self.send(line)
        return True

    def core_knows(self, word: str) -> bool:
        return catalog.load().group(word.lstrip("/")) is not None

    def send(self, text: str, thread_id: str | None = None) -> Reply:
        inbound = Inbound(
            platform="console",
            user_id=self.handle,
            text=text,
            thread_id=thread_id,
            chatter=thread_id is not None,
        )
        reply = self.core.handle(inbound)
        if not reply.data.get("ignored"):
            self.say(render(reply))
        # Posts the command queued (e.g. a Section 11 launch) appear straight away.
        self.core.send_queued()
        return reply

    def tick(self) -> None:
        if not self.hooks.tick():
            self.say("Nothing due.")


def run_chat(
    core: CorePort,
    hooks: ChatHooks,
    *,
    as_handle: str | None = None,
    with_clock: bool = False,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
) -> int:
    """The chat loop. The caller points the console's posts at `out` (ConsoleConnector.chat)."""
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    handle = _check_handle(core, as_handle) if as_handle else default_handle(core)
    if handle is None:
        if as_handle:
            print(f'No member "{as_handle}" on this board.', file=sys.stderr)
        else:
            print(
                "No board is loaded: run `qabot import board.yaml` or `qabot seed --demo`.", file=sys.stderr
            )
        return 2
    chat = ChatSession(core, hooks, handle, out)
    if not stdin.isatty():
        for line in stdin:
            if not chat.handle_line(line):
                break
        return 0
    stop_clock = hooks.start_clock() if with_clock else None
    from prompt_toolkit import PromptSession
    from prompt_toolkit.patch_stdout import patch_stdout

    from integrations.console.history import GuardedHistory, board_vocabulary

    history = Path.home() / ".qabot_history"
    prompt: PromptSession[str] = PromptSession(
        history=GuardedHistory(str(history), board_vocabulary(core))  # the guard: see history.py
    )
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
            if stop_clock is not None:
                stop_clock()
    return 0
