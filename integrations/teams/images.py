"""A reply's PNG charts (`Reply.files`) shown inline on Teams: an Adaptive Card `Image` whose
`url` is a `data:image/png;base64,…` URI (card schema 1.2+) and whose `altText` is the chart's
text alternative from `reply.data["alt_texts"]` ({file name: alt text}), so a screen reader
reads the figures. An image attachment (contentType image/png) has no alt text field, hence
the card element. Other files (Word, Excel) keep the card's "File prepared" line.

Teams refuses a whole message over about 28 KB, the base64 picture included, so a chart that
does not fit beside the card's text is re-encoded with a 64-, then a 16-colour palette (a line
chart's flat colours survive it; a quarter to a fifth of the bytes) and, if it still does not
fit, or the file is over Teams' 1 MB image limit, the card says so in a sentence instead.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import os
from collections.abc import Callable
from typing import Any

from commands.types import Reply

log = logging.getLogger("qabot.teams.images")

MAX_IMAGE_BYTES = 1_000_000  # Teams' documented ceiling for an image in a card
MAX_MESSAGE_BYTES = 27_000  # the card as JSON, picture included, under Teams' ~28 KB message limit
PALETTE_COLOURS = (64, 16)  # tried in turn: 16 still keeps a chart's few flat colours
TOO_LARGE = "The chart ({name}) is too large to show in Teams; its figures are in the text of this reply."
UNREADABLE = "The chart ({name}) could not be read on the server; its figures are in the text of this reply."

TextBlock = Callable[..., dict[str, Any]]


def is_png(path: str) -> bool:
    return path.lower().endswith(".png")


def alt_texts(reply: Reply) -> dict[str, str]:
    alt = reply.data.get("alt_texts")
    return {str(k): str(v) for k, v in alt.items()} if isinstance(alt, dict) else {}


def _size(node: Any) -> int:
    return len(json.dumps(node).encode())


def _element(png: bytes, alt: str) -> dict[str, Any]:
    return {
        "type": "Image",
        "url": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
        "altText": alt,
        "size": "Stretch",
    }


def _palette(png: bytes, colours: int) -> bytes:
    """The same picture as a palette PNG (smaller); the original if Pillow cannot read it."""
    try:
        from PIL import Image

        with Image.open(io.BytesIO(png)) as im:
            out = io.BytesIO()
            im.convert("RGB").quantize(colours).save(out, "PNG", optimize=True)
            return out.getvalue()
    except Exception:  # the picture is optional: its figures are the reply's text
        log.warning("Teams: a chart could not be re-encoded smaller", exc_info=True)
        return png


def image(path: str, alt: str, room: int) -> dict[str, Any] | str:
    """The card's Image for the PNG at `path` in `room` bytes of JSON, or the sentence said instead."""
    name = os.path.basename(path)
    try:
        if os.path.getsize(path) > MAX_IMAGE_BYTES:
            return TOO_LARGE.format(name=name)
        with open(path, "rb") as f:
            png = f.read()
    except OSError as e:
        log.warning("Teams: the chart %s could not be read: %s", path, e)
        return UNREADABLE.format(name=name)
    alt = alt or f"Chart {name}; its figures are in the text of this reply."
    shown = _element(png, alt)
    for colours in PALETTE_COLOURS:
        if _size(shown) > room:
            shown = _element(_palette(png, colours), alt)
    if _size(shown) > room:
        log.info("Teams: %s does not fit in a message (%d bytes of room)", name, room)
        return TOO_LARGE.format(name=name)
    return shown


def place(card: dict[str, Any], reply: Reply, text: TextBlock) -> None:
    """Append the reply's PNG charts to the card's body, each as an Image or as the sentence."""
    alts = alt_texts(reply)
    for path in reply.files:
        if not is_png(path):
            continue
        room = MAX_MESSAGE_BYTES - _size(card) - 2  # the comma between body items
        shown = image(path, alts.get(os.path.basename(path), ""), room)
        card["body"].append(text(shown, spacing="Small") if isinstance(shown, str) else shown)
