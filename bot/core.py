"""The command flow: Inbound → member → one transaction → Reply. Platform-agnostic.

Every adapter (console, Slack, Teams) calls BotCore.handle. It guarantees:
- a delivery key seen before is answered with the first reply and changes nothing;
- a handler runs in one transaction: all of it is stored, or none of it;
- user mistakes become a reply with the right usage; anything unexpected is logged with a
  reference and the user is told nothing was changed (never a stack trace).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from commands import router, threads
from commands.clock import Clock
from commands.context import Context
from commands.errors import NotOnBoard, PermissionDenied, QABotError, UsageError
from commands.ports import MemberView
from commands.types import Inbound, Reply
from store import deliveries, members
from store.models import Board, Member, OutboxMessage

log = logging.getLogger("qabot.core")

NOT_ON_BOARD = (
    "Sorry — you are not on this board's member list, so I can't act on that. "
    "Ask the QA officer to add you to the board file."
)
NO_BOARD = "No board is loaded yet. Run `qabot import board.yaml` or `qabot seed --demo` first."

# Runs after a command's transaction has committed, outside it (e.g. saving the Board report
# to SharePoint). Gets the reply and returns it, possibly with a line added. Slow or failing
# outside calls belong here, never inside the transaction.
AfterHook = Callable[[Reply], Reply]


@dataclass
class BotCore:
    sessions: sessionmaker[Session]
    clock: Clock
    platforms: tuple[str, ...] = ("console",)
    extras: dict[str, object] = field(default_factory=dict)
    after: list[AfterHook] = field(default_factory=list)

    def handle(self, inbound: Inbound) -> Reply:
        """Run one command (or thread reply) and return what to show the person."""
        reply = self._handle_safely(inbound)
        if self.after and reply.ok and not reply.data.get("duplicate"):
            reply = self._run_after(inbound, reply)
        return reply

    def _run_after(self, inbound: Inbound, reply: Reply) -> Reply:
        """The after-hooks, each failure caught: the reply is never lost. A retried delivery
        is answered with the reply as the hooks left it (and they do not run again)."""
        before = reply.model_dump(mode="json")
        for hook in self.after:
            try:
                reply = hook(reply)
            except Exception:
                ref = uuid.uuid4().hex[:8]
                log.exception("after-hook %r failed (ref %s)", hook, ref)
                reply.lines.append(
                    f"A follow-up step did not finish (ref {ref}); the rest of this reply stands."
                )
        after = reply.model_dump(mode="json")
        if inbound.delivery_key and after != before:
            try:
                with self.sessions() as s, s.begin():
                    row = deliveries.seen(s, inbound.delivery_key)
                    if row is not None:
                        deliveries.store_reply(row, after)
            except Exception:
                log.exception("could not store the completed reply of %s", inbound.delivery_key)
        return reply

    def _handle_safely(self, inbound: Inbound) -> Reply:
        try:
            return self._handle(inbound)
        except UsageError as e:
            lines = [e.problem]
            if e.usage:
                lines += ["Usage:", *e.usage.splitlines()]
            return Reply(title="That didn't work", lines=lines, ok=False, data={"error": "usage"})
        except PermissionDenied as e:
            return Reply(title="Not allowed", lines=[str(e)], ok=False, data={"error": "permission"})
        except NotOnBoard as e:
            return Reply(lines=[str(e)], ok=False, data={"error": "not_on_board"})
        except QABotError as e:
            return Reply(title="That didn't work", lines=[str(e)], ok=False, data={"error": "config"})
        except Exception:
            ref = uuid.uuid4().hex[:8]
            log.exception("unexpected error handling a %s message (ref %s)", inbound.platform, ref)
            return Reply(
                title="Something went wrong on my side",
                lines=[f"Nothing was changed. Please try again; if it keeps happening, quote ref {ref}."],
                ok=False,
                data={"error": "internal", "ref": ref},
            )

    def _handle(self, inbound: Inbound) -> Reply:
        key = inbound.delivery_key
        session = self.sessions()
        try:
            with session.begin():
                if key and (prior := deliveries.seen(session, key)) is not None:
                    return _replayed(prior.reply)
                board = session.get(Board, 1)
                if board is None:
                    raise QABotError(NO_BOARD)
                root = threads.find_root(session, inbound)
                if inbound.chatter and root is None:
                    return Reply(data={"ignored": True})
                actor = members.by_platform_id(session, inbound.platform, inbound.user_id)
                if actor is None or not actor.active:
                    if root is None:
                        raise NotOnBoard(NOT_ON_BOARD)
                    # Someone outside the board answered in a bot thread: the handler records
                    # it, and it changes nothing.
                    actor = guest(inbound)
                claim = deliveries.claim(session, key, self.clock.now()) if key else None
                ctx = Context(
                    session=session,
                    actor=actor,
                    clock=self.clock,
                    board=board,
                    inbound=inbound,
                    platforms=self.platforms,
                    extras=dict(self.extras),
                )
                reply = self.route(ctx, root)
                if ctx.queued:
                    reply.data["queued"] = ctx.queued
                if claim is not None:
                    deliveries.store_reply(claim, reply.model_dump(mode="json"))
                return reply
        except IntegrityError:
            # Two copies of one delivery raced: the other one won; answer with its reply.
            if key:
                with self.sessions() as s2:
                    prior = deliveries.seen(s2, key)
                    if prior is not None:
                        return _replayed(prior.reply)
            raise
        finally:
            session.close()

    def route(self, ctx: Context, root: OutboxMessage | None) -> Reply:
        inbound = ctx.inbound
        if root is not None:
            handled = threads.handle_reply(ctx, root)
            if handled is not None:
                return handled
        if ctx.actor.id is None or inbound.chatter:
            return Reply(data={"ignored": True})
        threads.tie_to_meeting_of_the_day(ctx)
        return router.dispatch(ctx, inbound.text, inbound.command)

    # ---- CorePort (commands/ports.py): what an integration may ask of the core (wip-slack) ----
    # Integrations never open a session themselves; they get views, never ORM rows.

    # Sends what is due in the outbox now; set by the wiring once the senders exist
    # (bot/runtime.py). None: queued posts wait for the clock.
    send_due: Callable[[], object] | None = field(default=None, repr=False)

    def member(self, platform: str, user_id: str) -> MemberView | None:
        """The active board member behind a platform user id, if any."""
        with self.sessions() as s:
            found = members.by_platform_id(s, platform, user_id)
            if found is None or not found.active:
                return None
            return self._member_view(found)

    def members(self) -> list[MemberView]:
        """Every active member, by handle."""
        with self.sessions() as s:
            return [self._member_view(m) for m in members.all_members(s) if m.active]

    def agency_names(self) -> list[str]:
        """The active agencies' names."""
        with self.sessions() as s:
            return [a.name for a in members.all_agencies(s)]

    def channel_of(self, platform: str, purpose: str) -> str | None:
        """The board's address for a purpose on a platform (board config channels.<purpose>)."""
        with self.sessions() as s:
            board = members.board(s)
            channels = ((board.config or {}).get("channels") or {}) if board is not None else {}
        ref = channels.get(purpose) or {}
        value = ref.get(platform) if isinstance(ref, dict) else None
        return str(value) if value else None

    def board_name(self) -> str | None:
        """The loaded board's name (None before a board is imported)."""
        with self.sessions() as s:
            board = members.board(s)
            return board.name if board is not None else None

    def send_queued(self) -> None:
        """Send what the last command queued now, not at the next tick. Errors reach the
        caller (the posts stay in the outbox for the clock)."""
        if self.send_due is not None:
            self.send_due()

    @staticmethod
    def _member_view(m: Member) -> MemberView:
        """Read inside the session: the agency's name is loaded from the row."""
        return MemberView(
            handle=m.handle,
            name=m.name,
            role=m.role,
            agency=m.agency.name if m.agency is not None else None,
            active=m.active,
        )


def _replayed(stored: dict[str, object] | None) -> Reply:
    reply = Reply.model_validate(stored) if stored else Reply(lines=["Already done."])
    reply.data["duplicate"] = True
    return reply


def guest(inbound: Inbound) -> Member:
    """A stand-in (never stored) for someone not on the board who replied in a bot thread."""
    return Member(
        id=None,
        handle=f"{inbound.platform}:{inbound.user_id}",
        name=inbound.user_id,
        role="guest",
        agency_id=None,
        active=False,
    )
