"""The console's own history file (~/.qabot_history) passes the safeguarding guard: a line
that could identify a child or family is kept — in memory and on disk — only in its
anonymised version, so the up arrow offers the fix and the file never holds the original."""

from __future__ import annotations

from prompt_toolkit.history import FileHistory

from commands import guard
from commands.ports import CorePort


def board_vocabulary(core: CorePort) -> guard.BoardVocabulary:
    """The whole names the guard passes over, as far as an integration can see them."""
    return guard.BoardVocabulary.build(
        board_name=core.board_name() or "",
        agencies=core.agency_names(),
        members=[m.name for m in core.members()],
    )


class GuardedHistory(FileHistory):
    def __init__(self, filename: str, vocabulary: guard.BoardVocabulary) -> None:
        super().__init__(filename)
        self.vocabulary = vocabulary

    def append_string(self, string: str) -> None:
        if guard.check(string, self.vocabulary):
            string = guard.anonymise(string, self.vocabulary)
            if guard.check(string, self.vocabulary):
                return  # nothing safe to keep: the line is not kept at all
        super().append_string(string)
