"""How much room things take on an A4 page: table column widths from their text, and an honest
estimate of the page count (used to decide whether a document gets a table of contents).

Pure arithmetic on text lengths (no Word, no fonts): Word lays the document out when it opens
it, so the bot can only estimate. The constants are for the builder's own settings (A4, the
margins in `document.py`, Arial 11 pt body text, 9 pt table text) and err on the side of more
pages.
"""

from __future__ import annotations

from collections.abc import Sequence

TWIPS_PER_PT = 20
# Average Arial character widths (mixed case, spaces, digits) measured as ~0.5 em; rounded up.
BODY_CHAR_TWIPS = 115  # 11 pt
TABLE_CHAR_TWIPS = 95  # 9 pt
HEADER_BOLD = 1.1  # bold header text is wider
CELL_PADDING_TWIPS = 2 * 108 + 30  # Word's default left+right cell margins, plus the borders
# A cell this short is kept on one line ("15 Jan 2027", "Overdue", "@pol"): its whole text is
# its minimum width, so short columns never break mid-word or between a date's parts.
SHORT_CELL = 14

# Heights in points, for the page estimate.
BODY_LINE_PT = 12.7
TABLE_LINE_PT = 10.4
PARAGRAPH_GAP_PT = 6.0
HEADING_PT = {0: 44.0, 1: 34.0, 2: 28.0, 3: 24.0}
TABLE_ROW_EXTRA_PT = 3.0  # borders and cell margins per row
CAPTION_PT = 22.0


def _words(text: str) -> list[str]:
    return text.split() or [""]


def _min_chars(text: str) -> int:
    """The narrowest a cell may be without breaking a word (or a short cell at all)."""
    longest_line = max((len(line) for line in text.splitlines()), default=0)
    if longest_line <= SHORT_CELL:
        return longest_line
    return max(len(w) for w in _words(text))


def _max_chars(text: str) -> int:
    """The widest a cell would like to be: its longest line, unbroken."""
    return max((len(line) for line in text.splitlines()), default=0)


def column_widths(header: Sequence[str], rows: Sequence[Sequence[str]], available: int) -> list[int]:
    """Each column's width in twips, summing to `available`, sized to its content the way a
    browser sizes an automatic table: every column gets at least its longest unbreakable text;
    the room left is shared in proportion to how much more each column would like (its longest
    line). So a reference or a date stays on one line and a long text column takes the rest."""
    n = len(header)
    if n == 0:
        return []

    def twips(chars: float, factor: float = 1.0) -> float:
        return chars * TABLE_CHAR_TWIPS * factor + CELL_PADDING_TWIPS

    lows = [twips(_min_chars(h), HEADER_BOLD) for h in header]
    highs = [twips(_max_chars(h), HEADER_BOLD) for h in header]
    for row in rows:
        for i, text in enumerate(row[:n]):
            lows[i] = max(lows[i], twips(_min_chars(text)))
            highs[i] = max(highs[i], twips(_max_chars(text)))
    low, high = sum(lows), sum(highs)
    if high <= available:
        # Everything fits on one line: share the spare room in proportion to the content.
        widths = [h + (available - high) * h / high for h in highs]
    elif low >= available:
        # Not even the longest words fit (very many columns): scale the minimums down.
        widths = [lo * available / low for lo in lows]
    else:
        spare = (available - low) / (high - low)
        widths = [lo + (hi - lo) * spare for lo, hi in zip(lows, highs, strict=True)]
    out = [int(w) for w in widths]
    out[-1] += available - sum(out)  # rounding: the table is exactly the text width
    return out


def text_lines(text: str, width_twips: float, char_twips: float) -> int:
    """Lines a text takes in a box `width_twips` wide (words wrapped; a word longer than a line
    takes as many lines as it needs)."""
    per_line = max(1, int(width_twips // char_twips))
    lines = 0
    for para in text.splitlines() or [""]:
        count, used = 1, 0
        for word in para.split():
            if used and used + 1 + len(word) > per_line:
                count, used = count + 1, 0
            used = used + 1 + len(word) if used else len(word)
            while used > per_line:
                count, used = count + 1, used - per_line
        lines += count
    return lines


def paragraph_pt(text: str, width_twips: float) -> float:
    return text_lines(text, width_twips, BODY_CHAR_TWIPS) * BODY_LINE_PT + PARAGRAPH_GAP_PT


def table_pt(header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]) -> float:
    total = 0.0
    for row in [list(header), *[list(r) for r in rows]]:
        tallest = max(
            (
                text_lines(t, max(1, w - CELL_PADDING_TWIPS), TABLE_CHAR_TWIPS)
                for t, w in zip(row, widths, strict=False)
            ),
            default=1,
        )
        total += tallest * TABLE_LINE_PT + TABLE_ROW_EXTRA_PT
    return total + PARAGRAPH_GAP_PT
