"""RAG charts as PNG bytes, drawn with matplotlib's Agg backend (no display needed)."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from commands.charts import BAND_WORDS, BANDS, NO_SCORES, NOT_RATED, Band, Chart, ChartImage, S11Grid

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


# Each band has its own hatching as well as its colour, so the grid reads in greyscale print
# and for those who do not tell red from green; a "no scores yet" cell is white, dotted.
HATCHES = {"red": "x", "amber": "/", "green": "", "unrated": "", "no_scores": "."}
FILLS = {
    "red": COLOURS["red"],
    "amber": COLOURS["amber"],
    "green": COLOURS["green"],
    "unrated": "#eceff1",
    "no_scores": "#ffffff",
}
INK = {"red": "white", "amber": "black", "green": "black", "unrated": "#455a64", "no_scores": "#455a64"}


def s11_chart(grid: S11Grid) -> bytes:
    """A grid: two rows per agency (self-assessed, moderated), a column per standard; each cell
    coloured, hatched and lettered by its band; the standards named in a key beside it."""
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Patch, Rectangle

    n_cols, n_rows = max(1, len(grid.columns)), max(1, 2 * len(grid.agencies))
    fig = _figure(max(7.0, 0.55 * n_cols + 6.0), max(2.4, 0.34 * n_rows + 1.6))
    ax = fig.add_subplot(1, 1, 1)
    labels: list[str] = []
    cells_of: dict[Band, list[Any]] = {}  # one collection per band: thousands of cells draw fast
    # The cells' letters likewise: one scatter of glyph markers per letter and ink, not a text
    # object per cell (3,000 texts took seconds to measure and draw; a scatter is one artist).
    letters_at: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for r, rows in enumerate(grid.agencies):
        for i, (what, cells) in enumerate((("self", rows.self_cells), ("moderated", rows.moderated_cells))):
            y = 2 * r + i
            labels.append(f"{rows.agency} — {what}")
            for x, c in enumerate(cells):
                cells_of.setdefault(c.band, []).append(Rectangle((x, y), 1, 1))
                if c.label:
                    letters_at.setdefault((c.label, INK[c.band]), []).append((x + 0.5, y + 0.5))
            if not rows.scored and i == 0:
                ax.text(
                    len(grid.columns) / 2,
                    y + 1,
                    NO_SCORES,
                    ha="center",
                    va="center",
                    fontsize=8,
                    style="italic",
                    color="#263238",
                    zorder=3,
                    bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "#90a4ae"},
                )
    for band, rects in cells_of.items():
        ax.add_collection(
            PatchCollection(
                rects,
                facecolor=FILLS[band],
                hatch=HATCHES[band] or None,
                # The hatch is drawn in the edge colour: dark on red, so its white letter stays legible.
                edgecolor={"red": "#7b241c", "no_scores": "#90a4ae"}.get(band, "white"),
                linewidth=1.2,
            )
        )
    for (label, ink), points in letters_at.items():
        xs, ys = zip(*points, strict=True)
        ax.scatter(xs, ys, marker=_glyph(label), s=52 * max(1, len(label)), c=ink, linewidths=0, zorder=3)
    ax.set_xlim(0, n_cols)
    ax.set_ylim(n_rows, 0)
    ax.set_xticks([i + 0.5 for i in range(len(grid.columns))], grid.columns, fontsize=8)
    ax.set_yticks([i + 0.5 for i in range(len(labels))], labels, fontsize=7)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_xlabel(f"Section 11 {grid.unit} (the standards are named in the key)")
    ax.set_title(grid.title, fontsize=9)
    bands = [b for b in BANDS if b != "no_scores" or any(not a.scored for a in grid.agencies)]
    handles = [
        Patch(
            facecolor=FILLS[b],
            hatch=HATCHES[b] or None,
            edgecolor="#90a4ae",
            label=_band_label(b, grid.lettered),
        )
        for b in bands
    ]
    handles += [Patch(facecolor="none", edgecolor="none", label=f"{num}  {name}") for num, name in grid.key]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=7,
        frameon=False,
        title=f"Key: {grid.legend}",
        title_fontsize=7,
    )
    return _png(fig)


def _glyph(label: str) -> str:
    """A cell's letter or score as a bold, upright mathtext marker ("$\\mathbf{R}$")."""
    return "$\\mathbf{" + "".join(ch if ch.isalnum() else "{" + ch + "}" for ch in label) + "}$"


def _band_label(band: Band, lettered: bool) -> str:
    if not lettered and band in ("red", "amber", "green"):
        return f"{BAND_WORDS[band]} band"
    letter = {"red": "R", "amber": "A", "green": "G", "unrated": NOT_RATED, "no_scores": "…"}[band]
    return f"{letter}  {BAND_WORDS[band]}"


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
        hatch = HATCHES[key or "unrated"] or None
        ax.barh(
            names,
            values,
            left=left,
            color=COLOURS[key],
            hatch=hatch,
            edgecolor="white",
            label=(key or "not rated").capitalize(),
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel("Findings")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(chart.title, fontsize=9)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7)
    return _png(fig)


def render(chart: Chart) -> ChartImage:
    """The chart drawn, with its text alternative (for a screen reader, the Word alt text)."""
    png = s11_chart(chart.grid) if chart.grid is not None else priority_chart(chart)
    return ChartImage(png=png, alt_text=chart.alt_text())


def write_png(chart: Chart, out: Path) -> str:
    """The chart as a PNG file, created 0600 (it names the agencies); returns its text alternative."""
    image = render(chart)
    out.parent.mkdir(parents=True, exist_ok=True)
    with os.fdopen(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as f:
        f.write(image.png)
    return image.alt_text
