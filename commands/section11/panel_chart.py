"""The Section 11 grid of a cycle as a chart (commands.charts), shared by /s11 panel and the
Board report of a panel meeting: every agency of the cohort the viewer may see, self-assessed
and moderated, with the standards named in its key."""

from __future__ import annotations

import uuid
from pathlib import Path

from commands import charts, scratch
from commands.charts import Chart
from commands.context import Scope
from commands.section11 import matrix
from commands.section11.common import cycle_name, settings
from commands.section11.standards import scale_of, standards_of
from commands.types import Reply
from store import board_status, s11_scores
from store.models import S11Cycle
from store.visibility import Viewer


def cycle_chart(scope: Scope, cycle: S11Cycle, viewer: Viewer) -> Chart | None:
    """The cycle's grid, or None when no agency of it is visible (nothing to draw)."""
    agencies = board_status.s11_agencies(scope.session, cycle.id, viewer)
    if not agencies:
        return None
    cfg = settings(scope.board)
    ratings = board_status.s11_ratings(scope.session, cycle.id, viewer)
    if ratings:  # a cycle rated red/amber/green per standard (/s11 rate)
        title = f"{cycle_name(cycle)}: self-assessed vs moderated RAG"
        grid = charts.from_ratings(title, cfg.standard_titles(), agencies, ratings)
    else:  # scored per sub-question (/s11 score, the workbook, /s11 moderate)
        scale = scale_of(cfg)
        found = matrix.entries(s11_scores.scores_for_cycle(scope.session, cycle.id, viewer), scale)
        title = f"{cycle_name(cycle)}: self-assessed vs moderated scores"
        grid = matrix.grid(title, agencies, found, standards_of(cfg), scale)
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
    reply.data["chart_alt_text"] = alt = writer(chart, out)
    reply.data["alt_texts"] = {out.name: alt}  # a platform that takes alt text with a file uses it
    return reply
