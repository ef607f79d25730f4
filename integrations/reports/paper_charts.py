"""The Board papers' charts (commands/papers/model.Chart) as PNG bytes: grouped or stacked
bars, and lines over periods with reference marks (a measure's thresholds). matplotlib Agg."""

from __future__ import annotations

import io
from typing import Any

from commands.papers.model import Chart
from integrations.reports.chart import _figure

# Colour-blind-safe where RAG is not meant; RAG series keep the RAG colours.
RAG = {"red": "#c0392b", "amber": "#f39c12", "green": "#27ae60", "not rated": "#d5d8dc"}
PALETTE = ["#1f4e79", "#e07b39", "#5b9bd5", "#7f7f7f", "#a5a5a5", "#264478"]


def _png(fig: Any, *, left: float, bottom: float) -> bytes:
    """Fixed margins instead of a tight bounding box: a tight box draws the chart twice, and a
    pack has several charts (benchmarks/pack_bench.py); the legend sits in the right margin."""
    fig.subplots_adjust(left=left, right=0.78, top=0.9, bottom=bottom)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return buf.getvalue()


def _colour(name: str, i: int) -> str:
    return RAG.get(name.lower(), PALETTE[i % len(PALETTE)])


def bars(chart: Chart) -> bytes:
    names = chart.categories
    fig = _figure(
        6.5, max(2.2, 0.45 * len(names) * (1 if chart.stacked else max(1, len(chart.series)) * 0.6) + 1.4)
    )
    ax = fig.add_subplot(1, 1, 1)
    if not names:
        ax.text(0.5, 0.5, "Nothing to show", ha="center", va="center")
        ax.set_axis_off()
        return _png(fig, left=0.05, bottom=0.1)
    positions = list(range(len(names)))
    left = [0.0] * len(names)
    height = 0.8 if chart.stacked else 0.8 / max(1, len(chart.series))
    for i, (label, values) in enumerate(chart.series):
        vals = [v or 0.0 for v in values]
        if chart.stacked:
            ax.barh(positions, vals, left=left, height=height, color=_colour(label, i), label=label)
            left = [a + b for a, b in zip(left, vals, strict=True)]
        else:
            ys = [p - 0.4 + height * (i + 0.5) for p in positions]
            ax.barh(ys, vals, height=height, color=_colour(label, i), label=label)
    ax.set_yticks(positions, names, fontsize=8)
    ax.invert_yaxis()
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(chart.title, fontsize=9)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7)
    return _png(fig, left=0.28, bottom=0.12)


def lines(chart: Chart) -> bytes:
    fig = _figure(6.5, 3.0)
    ax = fig.add_subplot(1, 1, 1)
    xs = list(range(len(chart.categories)))
    for i, (label, values) in enumerate(chart.series):
        pts = [(x, v) for x, v in zip(xs, values, strict=True) if v is not None]
        if pts:
            ax.plot(
                [p[0] for p in pts],
                [p[1] for p in pts],
                marker="o",
                markersize=3,
                color=_colour(label, i),
                label=label,
            )
    for label, value in chart.marks:
        ax.axhline(
            value,
            linestyle="--",
            linewidth=1,
            color=RAG.get(label.lower(), "#7f7f7f"),
            label=f"{label} ({value:g})",
        )
    step = max(1, len(xs) // 12)
    ax.set_xticks(xs[::step], chart.categories[::step], fontsize=7, rotation=45, ha="right")
    if chart.unit:
        ax.set_ylabel(chart.unit)
    ax.set_title(chart.title, fontsize=9)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7)
    return _png(fig, left=0.1, bottom=0.25)


def render(chart: Chart) -> bytes:
    return lines(chart) if chart.kind == "lines" else bars(chart)
