"""/kpi and /kpi <measure> through the console core: the scorecard by business-plan priority
(value, unit, trend arrow with better/worse, RAG as a word, narrative present?), what an
agency lead sees (their agencies' measures only), and the trend as text with a chart image."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from bot.core import BotCore
from commands.clock import FixedClock
from commands.services import Services
from commands.types import Inbound
from tests.conftest import Say
from tests.section11.conftest import at

PNG = b"\x89PNG\r\n\x1a\n"


def _figures(say: Say, clock: FixedClock) -> None:
    at(clock, "2027-01-06T10:00")
    for line in (
        "/kpi set rereferrals Oct 2026 18",
        "/kpi set rereferrals Nov 2026 21",
        "/kpi set rereferrals Dec 2026 23",
        "/kpi set return-interviews Q2 2026-27 84",
        "/kpi set return-interviews Q3 2026-27 68",
    ):
        assert say("qa", line).ok, line


def test_the_scorecard_by_priority_with_words_not_colours(say: Say, clock: FixedClock) -> None:
    _figures(say, clock)
    reply = say("ic", "/kpi")
    assert reply.title == "Performance scorecard — 3 measures"
    lines = reply.lines
    assert lines.index("Child Protection:") < lines.index("Child Protection (LAC):") < lines.index("CSE:")
    assert (
        "• Re-referrals within 12 months (Surrey Children's Services): Dec 2026 23% — ↑ worse — AMBER — "
        "narrative asked, awaited" in lines
    )
    assert (
        "• Return interviews after a missing episode (Surrey Police): Q3 2026-27 68% — ↓ worse — RED — "
        "narrative asked, awaited" in lines
    )
    # Health has no figure, and its December figure is not due until 15 January 2027.
    assert "• Initial health assessments in 20 working days (Surrey Health): no figure yet" in lines
    at(clock, "2027-01-20T10:00")
    later = say("ic", "/kpi scorecard")
    assert (
        "• Initial health assessments in 20 working days (Surrey Health): no figure yet; Dec 2026 missing "
        "(due 15 Jan 2027)" in later.lines
    )


def test_a_lead_sees_their_agencies_measures_only(say: Say, clock: FixedClock) -> None:
    _figures(say, clock)
    reply = say("pol", "/kpi")
    assert reply.title == "Performance scorecard — 1 measure"
    assert reply.lines[0] == "Your agencies' measures: Surrey Police."
    text = reply.text()
    assert "Return interviews after a missing episode" in text
    assert "Re-referrals" not in text and "Surrey Children's Services" not in text
    hidden = say("pol", "/kpi rereferrals")
    assert not hidden.ok and '"rereferrals" is not a measure' in hidden.text() and "23%" not in hidden.text()
    assert say("faith", "/kpi").lines[-1].startswith("No measures to show")


def test_one_measure_as_text_with_the_chart_attached(say: Say, clock: FixedClock) -> None:
    _figures(say, clock)
    reply = say("ic", "/kpi rereferrals")
    assert reply.ok, reply.text()
    assert reply.title == "Re-referrals within 12 months: Oct 2026 to Dec 2026"
    assert reply.lines[:4] == [
        "Child Protection; owned by Surrey Children's Services; monthly; red at 25% or above, amber at 22% "
        "or above (lower is better).",
        "Oct 2026: 18% — GREEN",
        "Nov 2026: 21% — GREEN, ↑ worse",
        "Dec 2026: 23% — AMBER, ↑ worse",
    ]
    assert "Chart attached; the figures above are its text." in reply.lines
    (png,) = reply.files
    assert Path(png).read_bytes().startswith(PNG) and Path(png).stat().st_size > 5000
    assert reply.visibility == "channel"
    by_name = say("ic", "/kpi Re-referrals within 12 months")
    assert by_name.title == reply.title
    assert (
        say("ic", "/kpi trend health-assessments").title
        == "Initial health assessments in 20 working days: no figures yet"
    )


def test_without_a_chart_writer_the_figures_are_still_the_reply(
    board: sessionmaker[Session], clock: FixedClock, say: Say
) -> None:
    _figures(say, clock)
    bare = BotCore(sessions=board, clock=clock, platforms=("console",), services=Services())
    reply = bare.handle(Inbound(platform="console", user_id="qa", text="/kpi rereferrals"))
    assert reply.ok and reply.files == []
    assert "Dec 2026: 23% — AMBER, ↑ worse" in reply.lines
    assert "No chart writer is configured on this bot, so only the figures are shown." in reply.lines


def test_bad_lines(say: Say) -> None:
    reply = say("qa", "/kpi scorecard everything")
    assert not reply.ok and "/kpi [scorecard]" in reply.text()
    reply = say("qa", "/kpi trend")
    assert not reply.ok and "Say which measure" in reply.text()
