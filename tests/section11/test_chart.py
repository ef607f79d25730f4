"""The Section 11 RAG chart, readable by everyone: a letter and a hatch in every cell as well as
its colour, a key naming the standards, every agency of the cohort (also with no scores yet),
and a text alternative with the PNG (/s11 panel's reply, the Board report's alt text)."""

from __future__ import annotations

import struct
from pathlib import Path

import docx
from sqlalchemy.orm import Session, sessionmaker

from commands import charts
from commands.clock import FixedClock
from integrations.reports import chart as drawing
from tests.conftest import Say
from tests.section11.conftest import Answer, RecordingSender, Tick, at
from tests.section11.test_cycle import launched

STANDARDS = ["1. Senior management commitment", "2. Clear statement", "3. Clear lines of accountability"]
PNG = b"\x89PNG\r\n\x1a\n"


def png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG)
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    return width, height


def grid() -> charts.S11Grid:
    return charts.from_ratings(
        "Section 11 2027 (statutory)",
        STANDARDS,
        ["Surrey Health", "Surrey Police"],
        [
            ("Surrey Police", "1. Senior management commitment", "green", "amber"),
            ("Surrey Police", "3. Clear lines of accountability", "red", None),
        ],
    )


def test_every_cell_has_a_letter_and_every_agency_of_the_cohort_a_row() -> None:
    g = grid()
    assert g.columns == ["1", "2", "3"]
    assert g.key == [
        ("1", "Senior management commitment"),
        ("2", "Clear statement"),
        ("3", "Clear lines of accountability"),
    ]
    health, police = g.agencies
    assert [(c.label, c.band) for c in police.self_cells] == [("G", "green"), ("–", "unrated"), ("R", "red")]
    assert [(c.label, c.band) for c in police.moderated_cells] == [
        ("A", "amber"),
        ("–", "unrated"),
        ("–", "unrated"),
    ]
    # An agency with nothing yet is still there, every cell marked as such, not as "not rated".
    assert not health.scored
    assert {c.band for c in health.self_cells + health.moderated_cells} == {"no_scores"}


def test_the_text_alternative_says_what_the_picture_shows() -> None:
    assert grid().alt_text().splitlines() == [
        "Section 11 2027 (statutory). A grid of 2 agencies by 3 standards, two rows per agency "
        "(self-assessed, then moderated); each cell shows R red, A amber, G green, – not rated.",
        "Standards: 1 Senior management commitment; 2 Clear statement; 3 Clear lines of accountability.",
        "Surrey Health: no scores yet.",
        "Surrey Police: self 1 G, 2 –, 3 R; moderated 1 A, 2 –, 3 –.",
    ]


def test_the_png_is_drawn_with_its_text_alternative() -> None:
    image = drawing.render(charts.Chart(kind="s11", title="S11", grid=grid()))
    width, height = png_size(image.png)
    assert 600 < width < 3000 and 200 < height < 2000
    assert image.alt_text == grid().alt_text()
    # The findings chart has words too.
    bars = charts.Chart(kind="priority", title="Findings", themes=[("Child Protection", 1, 2, 0, 1)])
    image = drawing.render(bars)
    assert png_size(image.png)[0] > 300
    assert image.alt_text == (
        "Stacked bar chart: Findings, findings per priority area split by RAG. "
        "Child Protection: 1 red, 2 amber, 0 green, 1 not rated."
    )


def test_s11_panel_sends_the_chart_with_every_agency_and_its_text_alternative(
    say: Say,
    tick: Tick,
    recorder: RecordingSender,
    answer: Answer,
    clock: FixedClock,
    board: sessionmaker[Session],
) -> None:
    launched(say, tick)
    at(clock, "2027-05-03T10:00")
    assert say("pol", "/s11 rate Surrey Police 3 amber").ok
    assert say("qa", "/s11 rate Surrey Police 3 green moderated").ok
    panel = say("ic", "/s11 panel 2027")
    (path,) = panel.files
    assert path.endswith(".png")
    png = Path(path).read_bytes()
    assert png_size(png)[0] > 600
    alt = panel.data["chart_alt_text"].splitlines()
    assert alt[0].startswith(
        "Section 11 2027 (statutory): self-assessed vs moderated RAG. A grid of 3 agencies by 8"
    )
    assert alt[1].startswith("Standards: 1 Senior management commitment to safeguarding; 2 Clear statement")
    assert alt[2:] == [
        "Surrey Children's Services: no scores yet.",
        "Surrey Health: no scores yet.",
        "Surrey Police: self 1 –, 2 –, 3 A, 4 –, 5 –, 6 –, 7 –, 8 –; moderated 1 –, 2 –, 3 G, 4 –, 5 –, 6 –, 7 –, 8 –.",
    ]
    Path(path).unlink()
    # The existing text of the panel is unchanged.
    assert "  3. Clear lines of accountability: self AMBER · moderated GREEN  ≠" in panel.lines


def test_the_board_report_of_the_panel_carries_the_alt_text(
    say: Say, tick: Tick, clock: FixedClock, board: sessionmaker[Session]
) -> None:
    launched(say, tick)  # panel on 20 May 2027; no ratings yet: the grid still shows the cohort
    at(clock, "2027-05-21T09:00")
    r = say("ic", "/qa report 20/05/2027")
    assert r.ok, r.text()
    document = docx.Document(r.files[0])
    (shape,) = document.inline_shapes
    alt = shape._inline.docPr.get("descr")
    assert "Surrey Police: no scores yet." in alt and "Standards: 1 Senior management commitment" in alt
    Path(r.files[0]).unlink()


def test_a_scored_cycle_shows_each_score_in_its_band_per_sub_question() -> None:
    from commands.board_s11 import ScaleSettings, Section11Settings
    from commands.section11 import matrix
    from commands.section11.standards import scale_of, standards_of

    cfg = Section11Settings()
    found = [
        matrix.Entry(1, 1, "Surrey Police", "1.1", 3, 1, 2, False),
        matrix.Entry(2, 1, "Surrey Police", "5.1", 0, 0, 0, True),
    ]
    g = matrix.grid("S11", ["Surrey Health", "Surrey Police"], found, standards_of(cfg), scale_of(cfg))
    assert g.columns[:4] == ["1.1", "1.2", "1.3", "2.1"] and len(g.columns) == 25
    assert g.key[0] == ("1", "Senior management commitment to safeguarding") and len(g.key) == 8
    health, police = g.agencies
    assert not health.scored
    assert (police.self_cells[0].label, police.self_cells[0].band) == ("3", "green")
    assert (police.moderated_cells[0].label, police.moderated_cells[0].band) == ("1", "amber")
    red = g.columns.index("5.1")
    assert (police.moderated_cells[red].label, police.moderated_cells[red].band) == ("0", "red")
    assert not g.lettered and g.legend.startswith("the score (0 Not met, 1 Partially met")
    # On the RAG scale the cells carry the letters.
    rag = Section11Settings(scale=ScaleSettings(kind="rag"))
    found = [matrix.Entry(1, 1, "Surrey Police", "1.1", 3, 1, 2, True)]
    g = matrix.grid("S11", ["Surrey Police"], found, standards_of(rag), scale_of(rag))
    (police,) = g.agencies
    assert (police.self_cells[0].label, police.moderated_cells[0].label) == ("G", "R") and g.lettered
    assert png_size(drawing.render(charts.Chart(kind="s11", title="S11", grid=g)).png)[0] > 600
