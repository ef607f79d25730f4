"""One root exception. User mistakes become a friendly reply with the right usage."""

from __future__ import annotations


class QABotError(Exception):
    """Root of every error the bot raises on purpose."""


class UsageError(QABotError):
    """The user typed something the bot cannot act on. Nothing was stored."""

    def __init__(self, problem: str, usage: str | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.usage = usage


class NotFound(UsageError):
    """A reference, member or agency that does not exist."""


class PermissionDenied(QABotError):
    """The member's role does not allow this; the message says why."""


class NotOnBoard(QABotError):
    """The person is not a member of this board."""


class SafeguardingBlock(UsageError):
    """Text that looks like it identifies a child or family: refused before it is stored."""


class ConfigError(QABotError):
    """A setting or board file is missing or malformed; the message names it."""
