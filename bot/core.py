"""The command flow: Inbound → member → one transaction → Reply. Platform-agnostic.

Every adapter (console, Slack, Teams) calls BotCore.handle with what was typed, or
BotCore.handle_request with a typed request it built from a form (a Slack modal, a Teams
card; see commands/registry.py). It guarantees:
- a delivery key seen before is answered with the first reply and changes nothing;
- a handler runs in one transaction: all of it is stored, or none of it;
- user mistakes become a reply with the right usage; anything unexpected is logged with a
  reference and the user is told nothing was changed (never a stack trace).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot import guard_audit
from bot.core_intake import IntakePort
from bot.intake import Intake
from commands import catalog, guard_offer, router, threads
from commands.clock import Clock
from commands.context import Context, Scope
from commands.errors import NotOnBoard, PermissionDenied, QABotError, SafeguardingBlock, UsageError
from commands.ports import MemberView
from commands.section11 import workbook_posted
from commands.services import Services
from commands.types import Inbound, Reply
from store import addresses, deliveries, members
from store import outbox as outbox_store
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
class BotCore(IntakePort):
    sessions: sessionmaker[Session]
    clock: Clock
    platforms: tuple[str, ...] = ("console",)
    extras: dict[str, object] = field(default_factory=dict)
    after: list[AfterHook] = field(default_factory=list)
    # Outside services commands may need (the Board report writer), given by the wiring.
    services: Services = field(default_factory=Services)

    # The inbox: deliveries stored before they are acknowledged (bot/intake.py).
    intake: Intake = field(init=False, repr=False)

    def __post_init__(self) -> None:
        catalog.load()  # a missing or inconsistent command module stops start-up here
        self.intake = Intake(self.sessions, self.clock)

    def handle(self, inbound: Inbound) -> Reply:
        """Run one command (or thread reply) and return what to show the person."""
        return self._finish(inbound, self._handle_safely(inbound))

    def handle_request(self, inbound: Inbound, request: BaseModel) -> Reply:
        """Run a typed request (e.g. an ActionAddRequest a modal built) as the person in
        `inbound`, with every guarantee `handle` gives. A problem with one of its fields comes
        back with `reply.data["field"]` naming it."""
        return self._finish(inbound, self._handle_safely(inbound, request))

    def _finish(self, inbound: Inbound, reply: Reply) -> Reply:
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

    def _handle_safely(self, inbound: Inbound, request: BaseModel | None = None) -> Reply:
        try:
            return self._handle(inbound, request)
        except UsageError as e:
            lines = [e.problem]
            if e.usage:
                lines += ["Usage:", *e.usage.splitlines()]
            data: dict[str, object] = {"error": "usage"}
            if e.field:
                data["field"] = e.field  # so a form shows it under the right input
            buttons = []
            if isinstance(e, SafeguardingBlock):  # the guard: audit the refusal, offer the fix
                guard_audit.record_refusal(self.sessions, self.clock, inbound, e, request)
                buttons = guard_offer.offer_button(e)
            return Reply(title="That didn't work", lines=lines, ok=False, data=data, buttons=buttons)
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

    def _handle(self, inbound: Inbound, request: BaseModel | None) -> Reply:
        key = inbound.delivery_key
        session = self.sessions()
        try:
            with session.begin():
                if key and (prior := deliveries.seen(session, key)) is not None:
                    return _replayed(prior.reply)
                board = session.get(Board, 1)
                if board is None:
                    raise QABotError(NO_BOARD)
                root = threads.find_root(session, inbound) if request is None else None
                if request is None and not inbound.thread_id:
                    threads.note_thread_start(session, self.clock.now(), inbound)
                if inbound.chatter and root is None:  # answered and told where the bot posts
                    scope = Scope(session=session, clock=self.clock, board=board, platforms=self.platforms)
                    return threads.unmatched(scope, inbound)
                actor = members.by_platform_id(session, inbound.platform, inbound.user_id)
                if actor is None or not actor.active:
                    if root is None and inbound.change is None:
                        raise NotOnBoard(NOT_ON_BOARD)
                    # Someone outside the board answered in a bot thread, or edited or deleted
                    # a message (e.g. a workspace admin): it is recorded or explained, and it
                    # changes nothing.
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
                    services=self.services,
                )
                reply = self.route(ctx, root) if request is None else self.run_request(ctx, request)
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
        if inbound.change is not None:
            return threads.source_changed(ctx)
        if root is not None:
            handled = threads.handle_reply(ctx, root)
            if handled is not None:
                return handled
        if ctx.actor.id is None or inbound.chatter:
            return Reply(data={"ignored": True})
        threads.tie_to_meeting_of_the_day(ctx)
        if (offered := guard_offer.accepted(ctx)) is not None:  # "yes" to the guard's offer
            return router.dispatch(ctx, offered)
        return router.dispatch(ctx, inbound.text, inbound.command)

    def run_request(self, ctx: Context, request: BaseModel) -> Reply:
        if ctx.actor.id is None:  # a typed request always comes from a member's own form
            raise NotOnBoard(NOT_ON_BOARD)
        threads.tie_to_meeting_of_the_day(ctx)
        return catalog.load().run_request(ctx, request)

    # ---- CorePort for the Teams and console connectors (wip-conn) -------------------------
    # The Slack branch adds CorePort methods too; the coordinator merges any duplicates.

    # Sends what is due in the outbox (bot/runtime.py sets it once the senders exist).
    send_due: Callable[[], object] | None = field(default=None, repr=False)
    _sending: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def member(self, platform: str, user_id: str) -> MemberView | None:
        with self.sessions() as s:
            found = members.by_platform_id(s, platform, user_id)
            if found is None or not found.active:
                return None
            agency = found.agency.name if found.agency is not None else None
            return _view(found, agency)

    def members(self) -> list[MemberView]:
        """Every active member, in board order (by id); callers sort for display."""
        with self.sessions() as s:
            agencies = {a.id: a.name for a in members.all_agencies(s, active_only=False)}
            active = sorted((m for m in members.all_members(s) if m.active), key=lambda m: m.id)
            return [_view(m, agencies.get(m.agency_id) if m.agency_id else None) for m in active]

    def agency_names(self) -> list[str]:
        with self.sessions() as s:
            return [a.name for a in members.all_agencies(s)]

    def channel_of(self, platform: str, purpose: str) -> str | None:
        if platform == "console":
            return f"#{purpose}"
        with self.sessions() as s:
            return addresses.channel(s, purpose).get(platform)

    def send_queued(self) -> None:
        """Send what is due now. One sender at a time from the request path (the outbox's claims
        make a concurrent tick harmless); cheap when nothing is due, so the platforms' SDKs
        are not even loaded then."""
        if self.send_due is None or not self._sending.acquire(blocking=False):
            return
        try:
            with self.sessions() as s:
                if not outbox_store.due_ids(s, self.clock.now(), 1):
                    return
            self.send_due()
        finally:
            self._sending.release()

    def s11_thread(self, inbound: Inbound) -> bool:
        """Whether the message answers a Section 11 return's thread (its workbooks are fetched)."""
        with self.sessions() as s:
            return workbook_posted.answers_a_return(s, inbound)

    def board_name(self) -> str | None:
        """The loaded board's name (None before a board is imported)."""
        with self.sessions() as s:
            board = members.board(s)
            return board.name if board is not None else None


def _view(member: Member, agency: str | None) -> MemberView:
    return MemberView(
        handle=member.handle, name=member.name, role=member.role, agency=agency, active=member.active
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
