"""Outside services a command may need, handed to the core at wiring time (bot/).

A command never finds an integration by name: it asks `ctx.services` and, when the deployment
has not configured the service, says so plainly instead of failing with a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from commands.errors import ConfigError
from commands.ports import ChartWriter, ReportWriter, TrendWriter
from commands.section11.workbook_data import Expected, ReadResult

# Reads a filled Section 11 workbook's bytes against what is expected (integrations/workbooks).
WorkbookReader = Callable[[bytes, Expected], ReadResult]


@dataclass(frozen=True)
class Services:
    report_writer: ReportWriter | None = None
    # The Section 11 workbook (openpyxl, integrations/workbooks/s11.py): an agency's template
    # and the cycle's export for the panel, each from its plain data (commands/section11/workbook_data.py).
    s11_template_writer: ReportWriter | None = None
    s11_export_writer: ReportWriter | None = None
    # Section 11 feedback letters (integrations/reports/s11_letter.py), same shape of writer.
    letter_writer: ReportWriter | None = None
    # True when the documents the bot writes are also saved to the board's SharePoint library
    # (a document source is enabled): a Section 11 letter's post then says its link follows.
    files_to_library: bool = False
    # Draws a chart as a PNG (the /s11 panel grid); without one the reply is text only.
    chart_writer: ChartWriter | None = None
    trend_writer: TrendWriter | None = None  # a measure's trend as a PNG (/kpi <measure>)
    # The Board papers (inspection pack, annual report draft): commands/papers/model.Paper -> .docx
    paper_writer: ReportWriter | None = None
    # Reads a filled Section 11 workbook posted in an agency's thread (the SharePoint sync
    # reads its own); without one a posted workbook is answered with where it is read.
    s11_workbook_reader: WorkbookReader | None = None

    def require_report_writer(self) -> ReportWriter:
        if self.report_writer is None:
            raise ConfigError(
                "This bot has no Board report writer configured, so it cannot write the Word "
                "document; nothing was changed."
            )
        return self.report_writer

    def require_s11_template_writer(self) -> ReportWriter:
        return _required(self.s11_template_writer, "Section 11 workbook writer", "the workbook")

    def require_s11_export_writer(self) -> ReportWriter:
        return _required(self.s11_export_writer, "Section 11 export writer", "the panel's workbook")

    def require_letter_writer(self) -> ReportWriter:
        return _required(self.letter_writer, "Word letter writer", "the Section 11 feedback letters")

    def require_paper_writer(self) -> ReportWriter:
        return _required(self.paper_writer, "Word writer for Board papers", "the document")


def _required(writer: ReportWriter | None, what: str, thing: str) -> ReportWriter:
    if writer is None:
        raise ConfigError(
            f"This bot has no {what} configured, so it cannot write {thing}; nothing was changed."
        )
    return writer
