"""The board file's `reviews:` settings and closure days, read from the board's stored config."""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError

from commands.board_schema import ReviewSettings
from commands.reviews.working_days import WorkingDays
from store.models import Board


def settings(board: Board) -> ReviewSettings:
    """The board file's `reviews:` (validated on import; the defaults if absent)."""
    try:
        return ReviewSettings.model_validate((board.config or {}).get("reviews") or {})
    except ValidationError:
        return ReviewSettings()


def calendar(board: Board) -> WorkingDays:
    """Working days: weekends, England and Wales bank holidays and the board's closures off."""
    raw = (board.config or {}).get("closures") or []
    days: list[date] = []
    for text in raw:
        try:
            days.append(date.fromisoformat(str(text)))
        except ValueError:
            continue  # validated on import: an unreadable day here was never a board's
    return WorkingDays.of(days)
