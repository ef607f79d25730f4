"""The Section 11 grid of a cycle as a chart (commands.charts), shared by /s11 panel and the
Board report of a panel meeting: every agency of the cohort the viewer may see, self-assessed
and moderated, with the standards named in its key."""

from __future__ import annotations

import uuid
from pathlib import Path

from commands import charts, scratch
from commands.charts import Chart
from commands.context import Scope
from commands.section11.common import cycle_name, settings
from commands.types import Reply
from store import board_status
from store.models import S11Cycle
from store.visibility import Viewer


def cycle_chart(scope: Scope, cycle: S11Cycle, viewer: Viewer) -> Chart | None:
    """The cycle's grid, or None when no agency of it is visible (nothing to draw)."""
    agencies = board_status.s11_agencies(scope.session, cycle.id, viewer)
    if not agencies:
        return None
    title = f"{cycle_name(cycle)}: self-assessed vs moderated RAG"
    ratings = board_status.s11_ratings(scope.session, cycle.id, viewer)
    grid = charts.from_ratings(title, settings(scope.board).standards, agencies, ratings)
    return Chart(kind="s11", title=title, grid=grid)


def attach(scope: Scope, reply: Reply, chart: Chart | None) -> Reply:
    """Draw the chart beside the reply (a PNG in the bot's private files) with its text
    alternative in `data`; a deployment without a chart writer answers in text only, and says so."""
    if chart is None:
        return reply
    writer = scope.services.chart_writer
    if writer is None:
        reply.lines.append("(No chart writer is configured on this bot, so the grid is shown as text only.)")
        return reply
    folder = scratch.private_dir("reports")
    scratch.sweep(folder)
    out: Path = folder / f"s11-grid-{uuid.uuid4().hex[:8]}.png"
    reply.files.append(str(out))
    reply.data["chart_alt_text"] = writer(chart, out)
    return reply
