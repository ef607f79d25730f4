"""Outside services a command may need, handed to the core at wiring time (bot/).

A command never finds an integration by name: it asks `ctx.services` and, when the deployment
has not configured the service, says so plainly instead of failing with a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

from commands.errors import ConfigError
from commands.ports import ReportWriter


@dataclass(frozen=True)
class Services:
    report_writer: ReportWriter | None = None
    # Section 11 feedback letters (integrations/reports/s11_letter.py), same shape of writer.
    letter_writer: ReportWriter | None = None
    # The Board papers (inspection pack, annual report draft): commands/papers/model.Paper -> .docx
    paper_writer: ReportWriter | None = None

    def require_report_writer(self) -> ReportWriter:
        if self.report_writer is None:
            raise ConfigError(
                "This bot has no Board report writer configured, so it cannot write the Word "
                "document; nothing was changed."
            )
        return self.report_writer

    def require_letter_writer(self) -> ReportWriter:
        if self.letter_writer is None:
            raise ConfigError(
                "This bot has no Word letter writer configured, so it cannot write the Section 11 "
                "feedback letters; nothing was changed."
            )
        return self.letter_writer

    def require_paper_writer(self) -> ReportWriter:
        if self.paper_writer is None:
            raise ConfigError(
                "This bot has no Word writer for Board papers configured, so it cannot write the "
                "document; nothing was changed."
            )
        return self.paper_writer
