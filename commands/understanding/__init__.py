"""Reading people's replies in the bot's threads: one vocabulary table (vocabulary.py), the
rules that combine it (reading.py) and the date an extension asks for (extension.py)."""

from commands.understanding.extension import ExtensionAsk, describe, extension_ask
from commands.understanding.reading import Correction, Intent, Reading, correction, read

__all__ = [
    "Correction",
    "ExtensionAsk",
    "Intent",
    "Reading",
    "correction",
    "describe",
    "extension_ask",
    "read",
]
