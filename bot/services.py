"""The outside services the wiring hands the core (commands/services.py says what they are)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from commands.services import Services


def write_board_report(data: Any, out: Path) -> Path:
    """The Word writer, imported when a report is asked for (python-docx and matplotlib are
    slow to import and most processes never write one)."""
    from integrations.reports.board_report import write_report

    return write_report(data, out)


def write_s11_letter(data: Any, out: Path) -> Path:
    """A Section 11 feedback letter (python-docx, imported when one is written)."""
    from integrations.reports.s11_letter import write_letter

    return write_letter(data, out)


def write_board_paper(data: Any, out: Path) -> Path:
    """The Board papers' Word writer (the inspection pack, the annual report draft), imported
    when one is asked for."""
    from integrations.reports.paper import write_paper

    return write_paper(data, out)


def board_services() -> Services:
    """What a full deployment gives every command."""
    return Services(
        report_writer=write_board_report, letter_writer=write_s11_letter, paper_writer=write_board_paper
    )
