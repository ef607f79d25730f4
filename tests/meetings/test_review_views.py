"""Open rapid reviews on the board's other screens (issue #16): first in the chair's
`/qa status` with each one's next clock, in the sub-group's agenda by case code and next step,
and with their timelines in the Board report. Agency leads see none of them."""

from __future__ import annotations

from pathlib import Path

import docx

from commands.clock import FixedClock
from tests.conftest import Say
from tests.meetings.conftest import london


def open_two(say: Say, clock: FixedClock) -> None:
    """RR-2026-07 (aware Tue 1 Dec 2026, police and health asked) and RR-2026-08 (aware Mon
    23 Nov, children's services asked, the Panel notified Wed 25 Nov); now Thu 3 Dec 09:00."""
    clock.set(london(2026, 11, 26, 9, 0))
    r = say("qa", "/review open RR-2026-08 aware 23/11/2026 notified 25/11/2026 agencies Surrey Children's Services")
    assert r.ok, r.text()
    clock.set(london(2026, 12, 1, 9, 0))
    r = say("qa", "/review open RR-2026-07 aware 01/12/2026 agencies Surrey Police, Surrey Health")
    assert r.ok, r.text()
    clock.set(london(2026, 12, 3, 9, 0))


def test_chair_status_starts_with_open_reviews_and_their_next_clock(say: Say, clock: FixedClock) -> None:
    open_two(say, clock)
    reply = say("ic", "/qa status")
    assert reply.ok, reply.text()
    assert reply.lines[:3] == [
        "Rapid reviews open (2), next clock first (/review status for every step):",
        # Aware Mon 23 Nov: the notification is done, the summary (WD10, Mon 7 Dec) is next.
        "  RR-2026-08 · Surrey Children's Services summary: WD10 7 Dec 2026 — due in 2 working days",
        "  RR-2026-07 · Notification to the Panel: WD5 8 Dec 2026 — due in 3 working days",
    ]
    # A week on, both are late and say by how much.
    clock.set(london(2026, 12, 10, 9, 0))
    lines = say("qa", "/qa status").lines
    assert lines[1] == (
        "  RR-2026-08 · Surrey Children's Services summary: WD10 7 Dec 2026 — LATE by 3 working days"
    )
    assert lines[2] == "  RR-2026-07 · Notification to the Panel: WD5 8 Dec 2026 — LATE by 2 working days"


def test_closed_reviews_leave_the_status(say: Say, clock: FixedClock) -> None:
    assert say("ic", "/qa status").lines[0] == "Rapid reviews: none open."
    open_two(say, clock)
    assert say("qa", "/review close RR-2026-08").ok
    lines = say("ic", "/qa status").lines
    assert lines[0].startswith("Rapid reviews open (1)")
    assert "RR-2026-08" not in "\n".join(lines)


def test_leads_and_board_members_see_no_review(say: Say, clock: FixedClock) -> None:
    open_two(say, clock)
    for who in ("pol", "cs", "bm"):  # police is in RR-2026-07, children's services in -08
        reply = say(who, "/qa status")
        assert reply.ok, reply.text()
        assert "RR-2026" not in reply.text() and "Rapid review" not in reply.text()


def test_the_sub_group_agenda_lists_open_reviews_by_case_code(say: Say, clock: FixedClock) -> None:
    open_two(say, clock)
    # The board file's QA&E sub-group meets Thu 14 Jan 2027.
    lines = say("qa", "/qa agenda 14/01/2027").lines
    at = next(i for i, line in enumerate(lines) if "Rapid reviews" in line)
    assert lines[at].endswith(". Rapid reviews (2 open)")
    assert lines[at + 1].startswith("   RR-2026-08 · Surrey Children's Services summary: WD10 7 Dec 2026")
    assert lines[at + 2].startswith("   RR-2026-07 · Notification to the Panel: WD5 8 Dec 2026")
    # An agency lead's preview leaves them out.
    assert "RR-2026" not in say("pol", "/qa agenda 14/01/2027").text()


def test_the_board_report_holds_each_review_timeline(say: Say, clock: FixedClock) -> None:
    open_two(say, clock)
    assert say("qa", "/review notified RR-2026-07 03/12/2026").ok
    assert say("qa", "/review close RR-2026-08").ok  # closed, still recent
    assert say("qa", "/qa meeting add subgroup 10/12/2026 10:00").ok
    clock.set(london(2026, 12, 11, 9, 0))
    r = say("qa", "/qa report 10/12/2026")
    assert r.ok, r.text()
    text = "\n".join(p.text for p in docx.Document(str(Path(r.files[0]))).paragraphs)
    assert "Rapid reviews: timelines" in text
    assert "Rapid review RR-2026-07 (open)" in text and "Rapid review RR-2026-08 (closed)" in text
    assert "Aware 1 Dec 2026 (day 0)." in text
    assert "3 Dec 2026 (WD2) — the Panel notified [E-" in text
    assert "3 Dec 2026 (WD8) — review closed [E-" in text
