"""A Board paper as neutral data: sections of paragraphs, bullet lists, tables and charts.
No python-docx here: integrations/reports writes it as Word, and tests read it as it is."""

from __future__ import annotations

from dataclasses import dataclass, field

from commands.document_head import DocumentHead


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    caption: str | None = None  # said above the table
    source: str | None = None  # where its figures come from, said under it


@dataclass
class Chart:
    """Bars (one group per category, one bar per series; stacked when `stacked`) or lines (one
    line per series over the categories, e.g. months). `alt_text` is the chart said in words,
    for screen readers and for anyone the picture does not reach."""

    kind: str  # "bars" | "lines"
    title: str
    categories: list[str]
    series: list[tuple[str, list[float | None]]]
    alt_text: str
    stacked: bool = False
    unit: str = ""
    # Reference lines (e.g. a measure's red and amber thresholds): (label, value).
    marks: list[tuple[str, float]] = field(default_factory=list)


@dataclass
class Bullets:
    items: list[str]


Block = str | Bullets | Table | Chart  # a str is a paragraph


@dataclass
class Section:
    heading: str
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)

    def text(self) -> str:
        """Every word of the section in order (tests and the chat summary read it)."""
        out = [self.heading]
        for b in self.blocks:
            if isinstance(b, str):
                out.append(b)
            elif isinstance(b, Bullets):
                out += b.items
            elif isinstance(b, Table):
                out += [
                    b.caption or "",
                    " | ".join(b.header),
                    *(" | ".join(r) for r in b.rows),
                    b.source or "",
                ]
            else:
                out += [b.title, b.alt_text]
        out += [s.text() for s in self.subsections]
        return "\n".join(x for x in out if x)


@dataclass
class Paper:
    kind: str  # "inspection" | "annual"
    title: str
    head: DocumentHead  # the board's name, its protective marking, when it was made (the bot's clock)
    subtitle: str  # the period it covers
    sections: list[Section]
    file_stem: str  # e.g. "inspection-pack-2026-12-07"

    def text(self) -> str:
        return "\n".join([self.title, self.subtitle, *(s.text() for s in self.sections)])
