"""Self versus moderated scores of a cycle, per agency and sub-question: the panel's matrix,
the order of its agenda (largest gaps first, then reds), the challenge event's candidates
(most reds, then the largest total gap) and the chart's grid. Plain functions over the
scores as read; the scale decides what a point and a red are (on the Ofsted-style scale a
lower number is better)."""

from __future__ import annotations

from dataclasses import dataclass

from commands import charts
from commands.section11.standards import Scale, Standard, all_subs, sub_order
from store.models import S11Score

GAP_LEGEND = (
    "Each sub-question: self/moderated; ▼ the panel scored it lower than the agency did, "
    "▲ higher, by that many points; – not scored."
)


@dataclass(frozen=True)
class Entry:
    score_id: int
    agency_id: int
    agency: str
    sub: str
    self_score: int | None
    moderated: int | None
    gap: int | None  # > 0: the agency scored itself more favourably than the panel
    red: bool  # the moderated score (the self-score until moderated) is in the red band


def entries(scores: list[S11Score], scale: Scale) -> list[Entry]:
    out: list[Entry] = []
    for s in scores:
        gap = (
            scale.gap(s.self_score, s.moderated_score)
            if s.self_score is not None and s.moderated_score is not None
            else None
        )
        deciding = s.moderated_score if s.moderated_score is not None else s.self_score
        out.append(
            Entry(
                score_id=s.id,
                agency_id=s.s11_return.agency_id,
                agency=s.s11_return.agency.name,
                sub=s.sub,
                self_score=s.self_score,
                moderated=s.moderated_score,
                gap=gap,
                red=deciding is not None and _on_scale(scale, deciding) and scale.rag_of(deciding) == "red",
            )
        )
    return out


def _on_scale(scale: Scale, v: int) -> bool:
    return any(sv.value == v for sv in scale.values)


def label(scale: Scale, v: int | None) -> str:
    if v is None:
        return charts.NOT_RATED
    return scale.label_of(v) if _on_scale(scale, v) else str(v)


def arrow(gap: int | None) -> str:
    if not gap:
        return ""
    return f"▼{gap}" if gap > 0 else f"▲{-gap}"


def matrix_lines(
    agencies: list[str], found: list[Entry], standards: list[Standard], scale: Scale
) -> list[str]:
    """Per agency, a line per standard: "  1: 1.1 2/1 ▼1 · 1.2 3/3 · 1.3 2/–"."""
    by = {(e.agency, e.sub): e for e in found}
    lines = [GAP_LEGEND]
    for agency in agencies:
        lines.append(agency)
        if not any(e.agency == agency for e in found):
            lines.append("  no scores yet")
            continue
        for std in standards:
            cells = []
            for sub in std.subs:
                e = by.get((agency, sub.label))
                pair = (
                    f"{label(scale, e.self_score if e else None)}/{label(scale, e.moderated if e else None)}"
                )
                cells.append(f"{sub.label} {pair}" + (f" {arrow(e.gap)}" if e and e.gap else ""))
            lines.append(f"  {std.id}: " + " · ".join(cells))
    return lines


def agenda_order(found: list[Entry], closed: set[int] | frozenset[int] = frozenset()) -> list[Entry]:
    """The panel's agenda: every open disagreement of a point or more, largest first; then the
    reds (where the panel and the agency agree, or it is not yet moderated). A gap is closed
    when the moderated score equals the self-score (no gap) or the panel accepted the agency's
    response (`closed`, by score id): it is not listed as a gap."""
    gaps = sorted(
        (e for e in found if e.gap and abs(e.gap) >= 1 and e.score_id not in closed),
        key=lambda e: (-abs(e.gap or 0), e.agency, sub_order(e.sub)),
    )
    listed = {e.score_id for e in gaps}
    reds = sorted(
        (e for e in found if e.red and e.score_id not in listed), key=lambda e: (e.agency, sub_order(e.sub))
    )
    return gaps + reds


def agenda_text(e: Entry, scale: Scale) -> str:
    if e.gap:
        return (
            f"{e.agency} {e.sub}: self {label(scale, e.self_score)}, moderated "
            f"{label(scale, e.moderated)} ({arrow(e.gap)})"
        )
    if e.moderated is not None:
        return f"{e.agency} {e.sub}: red (moderated {label(scale, e.moderated)})"
    return f"{e.agency} {e.sub}: red (self-assessed {label(scale, e.self_score)}, not yet moderated)"


@dataclass(frozen=True)
class Standing:
    agency_id: int
    agency: str
    reds: int
    total_gap: int

    def reason(self) -> str:
        return f"{self.reds} red{'' if self.reds == 1 else 's'}, total gap {self.total_gap}"


def challenge_order(found: list[Entry]) -> list[Standing]:
    """Agencies with a red or a gap, the most reds first, then the largest total gap."""
    by: dict[int, Standing] = {}
    for e in found:
        s = by.get(e.agency_id, Standing(e.agency_id, e.agency, 0, 0))
        by[e.agency_id] = Standing(s.agency_id, s.agency, s.reds + int(e.red), s.total_gap + abs(e.gap or 0))
    ranked = [s for s in by.values() if s.reds or s.total_gap]
    return sorted(ranked, key=lambda s: (-s.reds, -s.total_gap, s.agency))


def grid(
    title: str, agencies: list[str], found: list[Entry], standards: list[Standard], scale: Scale
) -> charts.S11Grid:
    """The chart's grid of scores: a column per sub-question, the standards in the key."""
    subs = [s.label for s in all_subs(standards)]
    by = {(e.agency, e.sub): e for e in found}

    def cell(v: int | None) -> charts.Cell:
        if v is None or not _on_scale(scale, v):
            return charts.Cell(charts.NOT_RATED, "unrated")
        rag = scale.rag_of(v)
        return charts.Cell(charts.RAG_LETTERS[rag] if scale.kind == "rag" else scale.label_of(v), rag)

    rows: list[charts.AgencyRows] = []
    for agency in agencies:
        es = [by.get((agency, sub)) for sub in subs]
        if not any(es):
            empty = [charts.Cell("", "no_scores") for _ in subs]
            rows.append(charts.AgencyRows(agency, empty, list(empty)))
            continue
        rows.append(
            charts.AgencyRows(
                agency,
                [cell(e.self_score if e else None) for e in es],
                [cell(e.moderated if e else None) for e in es],
            )
        )
    if scale.kind == "rag":
        legend = "R red, A amber, G green"
    else:
        legend = (
            "the score ("
            + ", ".join(f"{v.label} {v.name}" for v in scale.values)
            + "), coloured by its RAG band"
        )
    return charts.S11Grid(
        title=title,
        columns=subs,
        key=[(s.id, s.name) for s in standards],
        agencies=rows,
        legend=legend,
        unit="sub-question",
        lettered=scale.kind == "rag",
    )
