"""The App Home starts with the person's own /qa status: the chair's shows the open rapid
reviews and their next clocks; a lead's shows none (issue #16)."""

from __future__ import annotations

import json

from tests.slack.conftest import Slack, fixture


def test_the_chair_home_shows_open_reviews_and_a_lead_home_none(slack: Slack) -> None:
    # The Slack clock: Thu 26 Nov 2026; aware Wed 25 Nov, so WD5 is Wed 2 Dec.
    slack.command("U0QAOFF1", "/review", "open RR-2026-09 aware 25/11/2026 agencies Surrey Police")
    slack.idle()
    for user, n in (("U0CHAIR1", 2), ("U0POL001", 3)):
        slack.event(fixture("event_app_home_opened", event={"user": user}, event_id=f"Ev0HOMERR{n:03d}"))
        slack.idle()
    chair = json.dumps(slack.fake.published["U0CHAIR1"]["blocks"])
    assert "Rapid reviews open (1)" in chair
    assert "RR-2026-09 \\u00b7 Notification to the Panel: WD5 2 Dec 2026 \\u2014 due in 4 working days" in chair
    lead = json.dumps(slack.fake.published["U0POL001"]["blocks"])
    assert "QA&E status" in lead or "QA&amp;E status" in lead
    assert "RR-2026-09" not in lead and "Rapid review" not in lead
