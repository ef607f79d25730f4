"""One root exception. User mistakes become a friendly reply with the right usage."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class QABotError(Exception):
    """Root of every error the bot raises on purpose."""


class UsageError(QABotError):
    """The user typed something the bot cannot act on. Nothing was stored."""

    # The request field the problem is about (see FieldError), when one is known.
    field: str | None = None

    def __init__(self, problem: str, usage: str | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.usage = usage


class FieldError(UsageError):
    """A problem with one field of a request (`text`, `due`, `agency`, …), so a form can show
    it under that field instead of guessing from the wording."""

    def __init__(self, problem: str, usage: str | None = None, *, field: str) -> None:
        super().__init__(problem, usage)
        self.field = field


@contextmanager
def about_field(name: str) -> Iterator[None]:
    """Usage problems raised inside (by shared helpers that know no fields: dates, agencies,
    the safeguarding guard) are about this field, unless they already name one."""
    try:
        yield
    except UsageError as e:
        if e.field is None:
            e.field = name
        raise


class NotFound(UsageError):
    """A reference, member or agency that does not exist."""


class PermissionDenied(QABotError):
    """The member's role does not allow this; the message says why."""


class NotOnBoard(QABotError):
    """The person is not a member of this board."""


class SafeguardingBlock(UsageError):
    """Text that looks like it identifies a child or family: refused before it is stored.

    It carries only what may be kept: the signals found, the anonymised version offered
    instead (`suggestion`) and the command line that would run with it (`retry`). The refused
    text itself is never an attribute, so no handler can log or store it by accident."""

    def __init__(
        self,
        problem: str,
        usage: str | None = None,
        *,
        signals: tuple[str, ...] = (),
        suggestion: str | None = None,
        retry: str | None = None,
    ) -> None:
        super().__init__(problem, usage)
        self.signals = signals
        self.suggestion = suggestion
        self.retry = retry


class ConfigError(QABotError):
    """A setting or board file is missing or malformed; the message names it."""
