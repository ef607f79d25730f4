"""A reply's PNG chart shown inline on Teams (issues 17, 18): `/kpi <measure>` through the real
Agents SDK endpoint; the card posted to the fake Bot Connector carries an Adaptive Card Image
whose data: URI decodes to the PNG and whose altText is the chart's text alternative, beside
the figures as text. A chart over the ceiling is a sentence instead, never a broken picture."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest

from bot.runtime import Runtime, build_runtime
from commands.clock import FixedClock
from commands.types import Reply
from integrations.teams import cards, images
from tests.conftest import load_board
from tests.fakes.bot_connector import FakeBotConnector
from tests.kpi.conftest import put_figure
from tests.teams.conftest import Serve, activity, make_settings

PNG = b"\x89PNG\r\n\x1a\n"
ALT = (
    "Line chart of Re-referrals within 12 months (Surrey Children's Services), Aug 2026 to Oct 2026: "
    "Aug 2026 18% green; Sep 2026 21% green; Oct 2026 23% amber. Thresholds: red at 25% or above, "
    "amber at 22% or above (lower is better)."
)


@pytest.fixture
def kpi_runtime(sqlite_url: str, clock: FixedClock) -> Iterator[Runtime]:
    """The board with measures (tests/fixtures/board_kpi.yaml; the chair has a Teams id) and
    three months of re-referrals."""
    rt = build_runtime(make_settings(sqlite_url, TEAMS_ALLOW_ANONYMOUS="true"), clock)
    load_board(rt.sessions, clock, "board_kpi.yaml")
    with rt.sessions() as s:
        for month, value in ((8, 18.0), (9, 21.0), (10, 23.0)):
            put_figure(
                s, "rereferrals", "Surrey Children's Services", f"2026-{month:02d}", value, clock.now()
            )
        s.commit()
    yield rt
    rt.engine.dispose()


def _kpi_card(rt: Runtime, serve: Serve, connector: FakeBotConnector) -> dict[str, Any]:
    web = serve(rt)
    resp = web.post(activity("personal_message", connector.url, **{"qa status": "kpi rereferrals"}))
    assert resp.status_code == 202, resp.text
    [reply] = connector.messages()
    assert "Oct 2026: 23% — AMBER, ↑ worse" in reply.text  # the figures stay the reply's text
    card = reply.card
    assert card is not None
    return card


def _images(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for b in card["body"] if b.get("type") == "Image"]


def test_kpi_trend_chart_is_an_inline_image_with_its_alt_text(
    kpi_runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    card = _kpi_card(kpi_runtime, serve, connector)
    [image] = _images(card)
    prefix = "data:image/png;base64,"
    assert image["url"].startswith(prefix)
    png = base64.b64decode(image["url"][len(prefix) :], validate=True)
    assert png.startswith(PNG) and len(png) > 5000
    assert image["altText"] == ALT
    # The chart (about 40 KB as drawn) was re-encoded to fit Teams' ~28 KB message with the text.
    assert len(json.dumps(card).encode()) <= images.MAX_MESSAGE_BYTES
    assert "File prepared on the server" not in "\n".join(b.get("text", "") for b in card["body"])


def test_an_oversized_chart_is_a_sentence_not_an_image(
    kpi_runtime: Runtime, serve: Serve, connector: FakeBotConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(images, "MAX_IMAGE_BYTES", 1000)  # the chart (> 5 KB) is over it
    card = _kpi_card(kpi_runtime, serve, connector)
    assert _images(card) == []
    texts = [b.get("text", "") for b in card["body"]]
    assert any("is too large to show in Teams; its figures are in the text of this reply" in t for t in texts)


def test_word_and_excel_files_keep_the_file_line(tmp_path: Any) -> None:
    doc = tmp_path / "board-report.docx"
    doc.write_bytes(b"PK\x03\x04")
    card = cards.render(Reply(title="Board report", lines=["Made."], files=[str(doc)]))
    assert _images(card) == []
    texts = [b.get("text") for b in card["body"]]
    assert "File prepared on the server: board-report.docx" in texts


def test_a_thirteen_month_trend_still_fits_a_teams_message(
    kpi_runtime: Runtime, serve: Serve, connector: FakeBotConnector, clock: FixedClock
) -> None:
    with kpi_runtime.sessions() as s:  # ten months more before the fixture's three
        for i, period in enumerate(
            ["2025-10", "2025-11", "2025-12"] + [f"2026-{m:02d}" for m in range(1, 8)]
        ):
            put_figure(
                s, "rereferrals", "Surrey Children's Services", period, 15.0 + (i * 7) % 12, clock.now()
            )
        s.commit()
    card = _kpi_card(kpi_runtime, serve, connector)
    [image] = _images(card)
    assert image["altText"].startswith(
        "Line chart of Re-referrals within 12 months (Surrey Children's Services), Oct 2025"
    )
    assert base64.b64decode(image["url"].split(",", 1)[1]).startswith(PNG)
    assert len(json.dumps(card).encode()) <= images.MAX_MESSAGE_BYTES
