"""/s11 letters with SharePoint: each letter saved in its agency's Section 11 folder (the real
msgraph-sdk client against the fake Graph), its link in the reply and in the agency's thread,
and the sync not mistaking the bot's own letter for the agency's evidence."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.runtime import Runtime, build_runtime
from commands.clock import FixedClock
from commands.types import Inbound, Reply
from store.models import Document, OutboxMessage
from tests.conftest import LONDON
from tests.fakes.graph import FakeGraph
from tests.section11.test_letters import marked, moderate_police
from tests.sharepoint.conftest import Sync, make_settings

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

FOLDER = "Section 11/2027/Surrey Police"
NAME = "Section 11 feedback letter 2027 - Surrey Police.docx"


@pytest.fixture
def rt(
    graph: FakeGraph, sp_sessions: sessionmaker[Session], sqlite_url: str, clock: FixedClock
) -> Iterator[Runtime]:
    runtime = build_runtime(make_settings(graph, sqlite_url), clock)
    yield runtime
    runtime.engine.dispose()


def ask(rt: Runtime, handle: str, text: str) -> Reply:
    return rt.core.handle(Inbound(platform="console", user_id=handle, text=text))


def letter_posts(rt: Runtime) -> list[OutboxMessage]:
    with rt.sessions() as s:
        stmt = select(OutboxMessage).where(OutboxMessage.kind == "s11_letter").order_by(OutboxMessage.id)
        return list(s.scalars(stmt))


def test_letters_land_in_each_agency_folder_and_the_link_follows_in_its_thread(
    graph: FakeGraph, rt: Runtime, clock: FixedClock, sync: Sync
) -> None:
    marked(rt.sessions, clock)
    clock.set(datetime(2027, 2, 1, 10, 0, tzinfo=LONDON))
    assert ask(rt, "qa", "/s11 launch 2027 deadline 04/05/2027 panel 20/05/2027").ok
    clock.set(datetime(2027, 5, 21, 9, 0, tzinfo=LONDON))
    moderate_police(rt.sessions)

    r = ask(rt, "qa", "/s11 letters 2027")
    assert r.ok, r.text()
    item = graph.find(f"{FOLDER}/{NAME}")
    assert item is not None and item.content == Path(r.files[0]).read_bytes()
    link = f"https://contoso.sharepoint.com/sites/SSCB/Shared%20Documents/{item.id}"
    assert f"Surrey Police: letter saved to SharePoint ({FOLDER}/{NAME}): {link}" in r.lines

    first, follow = letter_posts(rt)
    assert "is being saved in your Section 11 folder; its link follows here" in "\n".join(
        first.payload["lines"]
    )
    assert follow.thread_key == first.thread_key
    assert follow.payload["lines"] == [f"The feedback letter is in your Section 11 folder: {link}"]

    # The sync files the letter under the return, but it is not the agency's evidence.
    assert sync().ok
    with rt.sessions() as s:
        doc = s.scalars(select(Document).where(Document.name == NAME)).one()
        assert doc.s11_return_id is not None
        assert not list(s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "s11_document")))


def test_a_letter_that_cannot_be_saved_is_said_in_the_reply_and_the_thread(
    graph: FakeGraph, rt: Runtime, clock: FixedClock
) -> None:
    marked(rt.sessions, clock)
    clock.set(datetime(2027, 2, 1, 10, 0, tzinfo=LONDON))
    assert ask(rt, "qa", "/s11 launch 2027 deadline 04/05/2027 panel 20/05/2027").ok
    clock.set(datetime(2027, 5, 21, 9, 0, tzinfo=LONDON))
    moderate_police(rt.sessions)
    graph.fail_next(403, 10)
    r = ask(rt, "qa", "/s11 letters 2027")
    assert r.ok and len(r.files) == 1
    assert any(
        line.startswith("Surrey Police: the letter could not be saved to SharePoint:") for line in r.lines
    )
    follow = letter_posts(rt)[-1]
    assert "could not be saved in your Section 11 folder just now" in follow.payload["lines"][0]
