"""The core's side of durable intake (CorePort.accept, on_received, work), the reply sent
again through the outbox (post_later) and the permission check made before a form opens
(refusal). A mixin of bot.core.BotCore, kept apart so the command flow stays short."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.intake import Intake
from commands import router
from commands.clock import Clock
from commands.errors import PermissionDenied
from commands.intake import REPLY_RETRY, ReceivedWork
from commands.types import Reply
from store import members
from store import outbox as outbox_store


class IntakePort:
    intake: Intake
    sessions: sessionmaker[Session]
    clock: Clock

    def accept(self, platform: str, kind: str, key: str, payload: dict[str, Any]) -> int | None:
        return self.intake.accept(platform, kind, key, payload)

    def on_received(self, platform: str, work: ReceivedWork) -> None:
        self.intake.on_received(platform, work)

    def work(self, inbox_id: int) -> None:
        self.intake.work(inbox_id)

    def post_later(
        self, platform: str, address: str, reply: Reply, key: str, *, maybe_sent: bool = False
    ) -> None:
        now = self.clock.now()
        with self.sessions() as s, s.begin():
            row = outbox_store.enqueue(
                s,
                key=key,
                platform=platform,
                channel=address,
                kind=REPLY_RETRY,
                payload=reply.model_dump(mode="json"),
                now=now,
                # 'sending': the dispatcher looks for the first attempt before any send.
                status="sending" if maybe_sent else "pending",
            )
            if row is not None and maybe_sent:
                row.next_attempt_at = now

    def refusal(self, platform: str, user_id: str, group: str, name: str) -> str | None:
        """The same check the registry makes when the command runs, made before a form opens."""
        from bot.core import NOT_ON_BOARD

        command = router.find(group, name)
        with self.sessions() as s:
            actor = members.by_platform_id(s, platform, user_id)
            if actor is None or not actor.active:
                return NOT_ON_BOARD
            if command is None or command.allowed is None:
                return None
            try:
                command.allowed.check(actor)
            except PermissionDenied as e:
                return str(e)
        return None
