"""A measure's trend as a PNG line chart (matplotlib Agg, no display): each period's figure as
a point marked and labelled with its RAG in words (never colour alone), the amber and red
thresholds as dashed lines, and the text alternative stored in the PNG's metadata."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from commands.kpi.trend import TrendChart
from integrations.reports.chart import COLOURS, _figure

MARKERS = {"red": "X", "amber": "^", "green": "o"}  # shape as well as colour


def write_trend(data: Any, out: Path) -> Path:
    if not isinstance(data, TrendChart):
        raise TypeError("write_trend draws a commands.kpi.trend.TrendChart")
    fig = _figure(7.0, 3.6)
    ax = fig.add_subplot(1, 1, 1)
    xs = list(range(len(data.points)))
    values = [p.value for p in data.points]
    ax.plot(xs, values, color="#34495e", linewidth=1.5, zorder=2)
    for x, p in zip(xs, data.points, strict=True):
        ax.scatter([x], [p.value], s=70, color=COLOURS[p.rag], marker=MARKERS[p.rag], zorder=3,
                   edgecolors="black", linewidths=0.6)  # fmt: skip
        ax.annotate(
            f"{p.value:g}{data.unit if data.unit == '%' else ''}\n{p.rag.upper()}",
            (x, p.value),
            textcoords="offset points",
            xytext=(0, 8),
            ha="center",
            fontsize=7,
        )
    ax.axhline(data.red, color=COLOURS["red"], linestyle="--", linewidth=1, label=f"Red at {data.red:g}")
    ax.axhline(
        data.amber, color=COLOURS["amber"], linestyle=":", linewidth=1, label=f"Amber at {data.amber:g}"
    )
    ax.set_xticks(xs, [p.period for p in data.points], rotation=45, ha="right", fontsize=7)
    unit = f" ({data.unit})" if data.unit else ""
    ax.set_ylabel(f"Value{unit}; {data.polarity} is better", fontsize=8)
    ax.set_title(data.title, fontsize=9)
    low = min([*values, data.red, data.amber])
    high = max([*values, data.red, data.amber])
    pad = (high - low) * 0.15 or 1.0
    ax.set_ylim(low - pad, high + pad * 2)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7)
    fig.savefig(out, format="png", bbox_inches="tight", metadata={"Description": data.alt_text[:2000]})
    return out
