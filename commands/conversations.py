"""The ConversationStore port over store.conversations: Teams saves and reads where it can
post without being spoken to, without touching the store itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from commands.clock import Clock
from commands.ports import ConversationRecord
from store import conversations
from store.db import transaction
from store.models import ConversationRef


def _record(row: ConversationRef | None) -> ConversationRecord | None:
    if row is None:
        return None
    return ConversationRecord(
        conversation_id=row.conversation_id,
        service_url=row.service_url,
        tenant_id=row.tenant_id,
        reference=dict(row.reference or {}),
        user_id=row.user_id,
    )


@dataclass
class StoredConversations:
    sessions: sessionmaker[Session]
    clock: Clock

    def save(
        self,
        platform: str,
        *,
        conversation_id: str,
        service_url: str | None,
        tenant_id: str | None,
        reference: dict[str, Any],
        user_id: str | None = None,
    ) -> None:
        with transaction(self.sessions) as s:
            conversations.save(
                s,
                platform=platform,
                conversation_id=conversation_id,
                service_url=service_url,
                tenant_id=tenant_id,
                reference=reference,
                now=self.clock.now(),
                user_id=user_id,
            )

    def get(self, platform: str, conversation_id: str) -> ConversationRecord | None:
        with self.sessions() as s:
            return _record(conversations.get(s, platform, conversation_id))

    def for_user(self, platform: str, user_id: str) -> ConversationRecord | None:
        with self.sessions() as s:
            return _record(conversations.for_user(s, platform, user_id))

    def newest(self, platform: str, tenant_id: str | None = None) -> ConversationRecord | None:
        with self.sessions() as s:
            return _record(conversations.newest(s, platform, tenant_id))
