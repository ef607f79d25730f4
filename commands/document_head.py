"""What every document the bot writes says about itself: the board's name, its protective
marking (board file `board: marking:`, default OFFICIAL) and when it was made (the bot's clock,
in the board's time zone). The Word writers (integrations/reports/document.py) put it in each
page's header and footer, under the title and in the file's properties."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from commands.context import Scope
from store.models import Board

DEFAULT_MARKING = "OFFICIAL"
MARKING_KEY = "marking"  # in the board's stored config


@dataclass(frozen=True)
class DocumentHead:
    board: str
    marking: str
    created: datetime  # timezone-aware, the board's local time


def marking_of(board: Board | None) -> str:
    config = (board.config or {}) if board is not None else {}
    return str(config.get(MARKING_KEY) or DEFAULT_MARKING)


def head(scope: Scope) -> DocumentHead:
    return DocumentHead(
        board=scope.board.name,
        marking=marking_of(scope.board),
        created=scope.now.astimezone(ZoneInfo(scope.tz)),
    )
