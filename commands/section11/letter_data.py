"""A Section 11 feedback letter's content as plain data (the Word file is written by the
letter writer the wiring hands the core: `ctx.services.letter_writer`,
integrations/reports/s11_letter.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from commands.document_head import DocumentHead


@dataclass(frozen=True)
class LetterScore:
    ref: str  # "1.1"
    question: str
    self_score: str  # "2 (Good)", or "—" when the agency gave none
    moderated: str
    differs_by: int | None  # moderated − self, when both are numbers


@dataclass(frozen=True)
class LetterAction:
    ref: str  # "A-12": the tracked action
    standard: str  # "1.1"
    text: str
    due: str  # "30 Jun 2027", or "no deadline given"


@dataclass
class LetterData:
    head: DocumentHead
    title: str  # "Section 11 feedback letter 2027: Surrey Police"
    cycle: str  # "Section 11 2027 (statutory)"
    agency: str
    addressee: str | None  # the agency lead's name, "Police Lead"
    signed_by: str | None  # the chair's name
    moderated_on: str | None  # the panel's date, "20 May 2027"
    scale: list[str]  # "0 — Inadequate: …" per point of the scale
    # (standard title, its sub-questions' scores) in the board file's order
    standards: list[tuple[str, list[LetterScore]]] = field(default_factory=list)
    commentary: list[tuple[str, str]] = field(default_factory=list)  # ("1.1", the moderator's note)
    actions: list[LetterAction] = field(default_factory=list)
