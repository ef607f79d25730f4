"""The Teams card of `qa status` is the chair's /qa status: it starts with the open rapid
reviews and their next clocks (issue #16)."""

from __future__ import annotations

from bot.runtime import Runtime
from commands.types import Inbound
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.conftest import Serve, activity


def test_the_chair_status_card_lists_open_reviews(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    opened = runtime.core.handle(
        Inbound(
            platform="console",
            user_id="qa",
            text="/review open RR-2026-09 aware 25/11/2026 agencies Surrey Police",
        )
    )
    assert opened.ok, opened.text()
    web = serve(runtime)
    assert web.post(activity("personal_message", connector.url)).status_code == 202  # the chair: qa status
    [reply] = connector.messages()
    assert reply.card is not None
    assert "Rapid reviews open (1)" in reply.text
    assert "RR-2026-09 · Notification to the Panel: WD5 2 Dec 2026" in reply.text
