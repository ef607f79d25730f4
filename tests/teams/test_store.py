"""store.conversations on SQLite and PostgreSQL (the user_id column comes from migration 0005)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session, sessionmaker

from commands.clock import FixedClock
from store import conversations
from store.db import transaction


def test_migration_adds_the_user_column(engine: Engine) -> None:
    cols = {c["name"] for c in inspect(engine).get_columns("conversation_refs")}
    assert "user_id" in cols
    indexes = {i["name"] for i in inspect(engine).get_indexes("conversation_refs")}
    assert "ix_conversation_refs_user" in indexes


def test_references_are_saved_refreshed_and_found(sessions: sessionmaker[Session], clock: FixedClock) -> None:
    with transaction(sessions) as s:
        conversations.save(
            s,
            platform="teams",
            conversation_id="19:team@thread.tacv2",
            service_url="https://smba.trafficmanager.net/emea/",
            tenant_id="t1",
            reference={"teamId": "19:team@thread.tacv2"},
            now=clock.now(),
        )
        conversations.save(
            s,
            platform="teams",
            conversation_id="a:1chat",
            service_url="https://smba.trafficmanager.net/emea/",
            tenant_id="t1",
            reference={},
            now=clock.now(),
            user_id="u-1",
        )
    clock.advance(timedelta(hours=1))
    with transaction(sessions) as s:
        conversations.save(
            s,
            platform="teams",
            conversation_id="19:team@thread.tacv2",
            service_url="https://smba.trafficmanager.net/uk/",
            tenant_id=None,
            reference={"teamName": "Board"},
            now=clock.now(),
        )
    with sessions() as s:
        ref = conversations.get(s, "teams", "19:team@thread.tacv2")
        assert ref is not None
        assert ref.service_url == "https://smba.trafficmanager.net/uk/"
        assert ref.tenant_id == "t1"  # kept when the newer activity did not say
        assert ref.reference == {"teamId": "19:team@thread.tacv2", "teamName": "Board"}
        chat = conversations.for_user(s, "teams", "u-1")
        assert chat is not None and chat.conversation_id == "a:1chat"
        assert conversations.for_user(s, "teams", "u-2") is None
        newest = conversations.newest(s, "teams")
        assert newest is not None and newest.conversation_id == "19:team@thread.tacv2"
        assert len(conversations.all_refs(s, "teams")) == 2
        assert conversations.get(s, "slack", "19:team@thread.tacv2") is None
