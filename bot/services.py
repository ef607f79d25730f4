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


def write_s11_template(data: Any, out: Path) -> Path:
    """An agency's Section 11 workbook (openpyxl, imported when one is asked for)."""
    from integrations.workbooks.s11 import write_template

    return write_template(data, out)


def write_s11_export(data: Any, out: Path) -> Path:
    """A Section 11 cycle as one workbook for the panel."""
    from integrations.workbooks.s11 import write_export

    return write_export(data, out)


def write_s11_letter(data: Any, out: Path) -> Path:
    """A Section 11 feedback letter (python-docx, imported when one is written)."""
    from integrations.reports.s11_letter import write_letter

    return write_letter(data, out)


def write_chart(chart: Any, out: Path) -> str:
    """A chart as a PNG file (matplotlib, imported when one is asked for); its text alternative."""
    from integrations.reports.chart import write_png

    return write_png(chart, out)


def write_trend_chart(data: Any, out: Path) -> Path:
    """A measure's trend as a PNG (matplotlib Agg), imported when one is asked for."""
    from integrations.reports.kpi_chart import write_trend

    return write_trend(data, out)


def write_board_paper(data: Any, out: Path) -> Path:
    """The Board papers' Word writer (the inspection pack, the annual report draft), imported
    when one is asked for."""
    from integrations.reports.paper import write_paper

    return write_paper(data, out)


def read_s11_workbook(data: bytes, expected: Any) -> Any:
    """A filled Section 11 workbook posted in a thread, read (openpyxl, imported when needed)."""
    from integrations.workbooks.s11_reader import read_workbook

    return read_workbook(data, expected)


def board_services() -> Services:
    """What a full deployment gives every command."""
    return Services(
        report_writer=write_board_report,
        s11_template_writer=write_s11_template,
        s11_export_writer=write_s11_export,
        letter_writer=write_s11_letter,
        chart_writer=write_chart,
        trend_writer=write_trend_chart,
        paper_writer=write_board_paper,
        s11_workbook_reader=read_s11_workbook,
    )
