"""RAG charts as PNG bytes, drawn with matplotlib's Agg backend (no display needed)."""

from __future__ import annotations

import io
import re
from typing import Any

from commands.meetings.report import Chart

COLOURS = {"red": "#c0392b", "amber": "#f39c12", "green": "#27ae60", None: "#d5d8dc"}
ORDER = ["red", "amber", "green", None]


def _figure(width: float, height: float) -> Any:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=110)
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


def _short_standard(name: str) -> str:
    m = re.match(r"\s*(\d+)", name)
    return m.group(1) if m else name[:12]


def s11_chart(chart: Chart) -> bytes:
    """A grid: one row per agency for its self-assessment and one for the moderated rating,
    one column per standard, each cell coloured by its RAG."""
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    agencies = sorted({a for a, _, _, _ in chart.ratings})
    standards = sorted({s for _, s, _, _ in chart.ratings}, key=lambda s: (len(_short_standard(s)), s))
    cell = {(a, s): (sr, mr) for a, s, sr, mr in chart.ratings}
    rows: list[str] = []
    grid: list[list[int]] = []
    for a in agencies:
        for i, what in enumerate(("self", "moderated")):
            rows.append(f"{a} — {what}")
            row = []
            for s in standards:
                rag = (cell.get((a, s), (None, None))[i] or "").lower() or None
                row.append(ORDER.index(rag) if rag in ORDER else ORDER.index(None))
            grid.append(row)
    fig = _figure(max(6.0, 0.6 * len(standards) + 3.5), max(2.0, 0.32 * len(rows) + 1.2))
    ax = fig.add_subplot(1, 1, 1)
    cmap = ListedColormap([COLOURS[k] for k in ORDER])
    ax.pcolormesh(grid, cmap=cmap, vmin=-0.5, vmax=3.5, edgecolors="white", linewidth=1.5)
    ax.set_xticks([i + 0.5 for i in range(len(standards))], [_short_standard(s) for s in standards])
    ax.set_yticks([i + 0.5 for i in range(len(rows))], rows, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("Section 11 standard")
    ax.set_title(chart.title, fontsize=9)
    ax.legend(
        handles=[Patch(color=COLOURS[k], label=(k or "not rated").capitalize()) for k in ORDER],
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=7,
    )
    return _png(fig)


def priority_chart(chart: Chart) -> bytes:
    """Stacked bars: findings per priority area, split by RAG."""
    names = [t[0] for t in chart.themes]
    fig = _figure(6.5, max(2.0, 0.5 * len(names) + 1.2))
    ax = fig.add_subplot(1, 1, 1)
    if not names:
        ax.text(0.5, 0.5, "No findings recorded", ha="center", va="center")
        ax.set_axis_off()
        return _png(fig)
    left: list[int] = [0] * len(names)
    for idx, key in enumerate(ORDER):
        values: list[int] = [int(t[1 + idx]) for t in chart.themes]
        ax.barh(names, values, left=left, color=COLOURS[key], label=(key or "not rated").capitalize())
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel("Findings")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(chart.title, fontsize=9)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7)
    return _png(fig)


def render(chart: Chart) -> bytes:
    return s11_chart(chart) if chart.kind == "s11" else priority_chart(chart)


def _counts(values: list[str | None]) -> str:
    named = [(k or "not rated") for k in ORDER]
    tally = {n: 0 for n in named}
    for v in values:
        key = (v or "").lower() or None
        tally[(key if key in ORDER else None) or "not rated"] += 1
    return ", ".join(f"{tally[n]} {n}" for n in named)


def alt_text(chart: Chart) -> str:
    """The chart in words, for screen readers (the picture's text alternative)."""
    if chart.kind == "s11":
        agencies = sorted({a for a, _, _, _ in chart.ratings})
        standards = {s for _, s, _, _ in chart.ratings}
        return (
            f"Grid chart: {chart.title}. {len(agencies)} agencies ({', '.join(agencies)}) across "
            f"{len(standards)} standards, one row for the self-assessment and one for the moderated "
            f"rating. Self-assessed: {_counts([r[2] for r in chart.ratings])}. "
            f"Moderated: {_counts([r[3] for r in chart.ratings])}."
        )
    if not chart.themes:
        return f"Bar chart: {chart.title}. No findings are recorded."
    bars = "; ".join(f"{p}: {r} red, {a} amber, {g} green, {u} not rated" for p, r, a, g, u in chart.themes)
    return f"Stacked bar chart: {chart.title}, findings per priority area split by RAG. {bars}."
