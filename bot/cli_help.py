"""Help shared by the `qabot` subcommands: the `--now` option, and "did you mean" for a
mistyped subcommand (argparse itself only lists the choices)."""

from __future__ import annotations

from difflib import get_close_matches

NOW_HELP = (
    "pretend it is this ISO date-time (e.g. 2027-02-01T09:30; the board's time zone unless "
    "given): to try dates, reminders and reports as of another day"
)


def unknown_command(word: str, known: list[str]) -> str | None:
    """The message for `qabot <word>` when word is not a subcommand, else None."""
    if word.startswith("-") or word in known:
        return None
    close = get_close_matches(word, known, n=2, cutoff=0.6)
    hint = f" Did you mean {' or '.join('qabot ' + c for c in close)}?" if close else ""
    return f'qabot: "{word}" is not a command.{hint} Commands: {", ".join(known)}. See qabot --help.'
