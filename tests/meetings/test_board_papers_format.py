"""The Board papers as documents: A4 with the board's marking on every page, page numbers, the
clock's date, a contents list when long, tables with repeated header rows kept whole, charts
with their text alternative; and the performance measures with their narratives. The board
here has measures (tests/fixtures/board_kpi.yaml). On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from commands.clock import FixedClock
from commands.document_head import MARKING_KEY
from store.models import Board, KpiNarrative
from tests.conftest import LONDON, Say, load_board
from tests.docx_reading import (
    body_text,
    field_codes,
    footer_text,
    header_text,
    open_docx,
    page_size_twips,
    picture_alt_texts,
    table_rows_flags,
)
from tests.kpi.conftest import put_figure

REREFERRALS = [18, 19, 19, 20, 21, 20, 22, 23, 22, 24, 26]  # Jan to Nov 2026, lower is better


@pytest.fixture
def board(sessions: sessionmaker[Session], clock: FixedClock) -> sessionmaker[Session]:
    load_board(sessions, clock, "board_kpi.yaml")
    at = datetime(2026, 11, 20, 9, 0, tzinfo=LONDON)
    with sessions() as s, s.begin():
        for month, value in enumerate(REREFERRALS, start=1):
            row = put_figure(s, "rereferrals", "Surrey Children's Services", f"2026-{month:02d}", value, at)
        s.add(
            KpiNarrative(
                figure_id=row.id,
                reason="red",
                asked_at=at,
                thread_key="kpi:rereferrals:2026-11",
                text="Repeat referrals from one school cluster; a joint audit is under way",
                answered_at=at,
            )
        )
        put_figure(s, "return-interviews", "Surrey Police", "2026-27-Q1", 85, at)
        put_figure(s, "return-interviews", "Surrey Police", "2026-27-Q2", 72, at)
        board_row = s.get(Board, 1)
        assert board_row is not None
        board_row.config = {**(board_row.config or {}), MARKING_KEY: "OFFICIAL-SENSITIVE"}
    return sessions


def test_the_pack_is_an_a4_board_document_with_the_measures_and_their_narratives(say: Say) -> None:
    r = say("ic", "/qa pack inspection")
    assert r.ok, r.text()
    document = open_docx(r.files[0])
    assert page_size_twips(document) == (11906, 16838)  # A4 portrait
    assert header_text(document).startswith("OFFICIAL-SENSITIVE")
    assert "Surrey Safeguarding Children Board" in header_text(document)
    footer = footer_text(document)
    assert "Page 1 of 1" in footer and "26 November 2026" in footer and "OFFICIAL-SENSITIVE" in footer
    codes = [c for s in document.sections for c in field_codes(s.footer._element)]
    assert "PAGE" in codes and "NUMPAGES" in codes
    assert document.core_properties.created == datetime(2026, 11, 26, 10, 0, tzinfo=UTC)  # the clock

    text = body_text(document)
    assert "Prepared by QA Bot on 26 November 2026." in text
    assert "3 measures; 1 red and 1 amber at their latest figure (source: /kpi and /kpi <measure>)." in text
    assert (
        "Re-referrals within 12 months, Nov 2026: 26% — Repeat referrals from one school cluster; "
        "a joint audit is under way"
    ) in text
    measures = next(t for t in document.tables if t.rows[0].cells[0].text == "Measure")
    rows = [[c.text for c in row.cells] for row in measures.rows]
    assert rows[1] == [
        "Re-referrals within 12 months",
        "Surrey Children's Services",
        "Child Protection",
        "26% (Nov 2026)",
        "RED",
        "↑ worse",
        "18% → 26% (worse)",
        "given",
    ]
    assert rows[2][0] == "Return interviews after a missing episode" and rows[2][4:7] == [
        "AMBER",
        "↓ worse",
        "85% → 72% (worse)",
    ]
    assert rows[3][0] == "Initial health assessments in 20 working days" and rows[3][3] == "—"

    # Every table: a header row repeated on each page, no row split across pages.
    for table in document.tables:
        flags = table_rows_flags(table)
        assert flags[0] == (True, True) and all(whole for _, whole in flags)
    alts = picture_alt_texts(document)
    assert any(
        d.startswith("Line chart: Re-referrals within 12 months (Surrey Children's Services). Line chart of ")
        and "Nov 2026 26%" in d
        for d, _ in alts
    ), alts
    assert all(d for d, _ in alts)
    Path(r.files[0]).unlink()


def test_a_long_pack_gets_a_table_of_contents(say: Say, clock: FixedClock) -> None:
    for n in range(60):
        assert say(
            "qa", f"/action add Check the referral pathway number {n} agency Surrey Police due 30/11/2026"
        ).ok
    clock.set(datetime(2026, 12, 10, 10, 0, tzinfo=LONDON))
    r = say("ic", "/qa pack inspection")
    document = open_docx(r.files[0])
    assert any(c.startswith("TOC") for c in field_codes(document.element.body))
    assert "Contents" in body_text(document)
    Path(r.files[0]).unlink()
