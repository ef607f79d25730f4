"""After `/s11 letters` and the SharePoint save: post each saved letter's link in its agency's
Section 11 thread (through the outbox, once per letter), so the agency lead can open it.

Runs after the document sources' savers (bot/runtime.py), in its own transaction: the letter
itself was posted in the thread by the command; only the link waits for SharePoint.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from commands.context import Scope
from commands.section11 import letters
from commands.types import Reply
from store.models import Board

if TYPE_CHECKING:
    from bot.core import AfterHook, BotCore

log = logging.getLogger("qabot.letters")


def letter_links(core: BotCore) -> AfterHook:
    def hook(reply: Reply) -> Reply:
        saved = letters.saved_entries(reply.data)
        if not saved:
            return reply
        with core.sessions() as s, s.begin():
            board = s.get(Board, 1)
            if board is None:
                return reply
            scope = Scope(session=s, clock=core.clock, board=board, platforms=core.platforms)
            for entry in saved:
                letters.post_saved_link(scope, entry)
        core.send_queued()
        return reply

    return hook
