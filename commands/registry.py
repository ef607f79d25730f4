"""The one registry: every command group, command, thread-reply handler and clock producer.

The decorators only describe a function and record it here; they do not change it. The modules
that use them are imported by name in `commands/catalog.py`, so a missing or renamed module
fails at import (start-up), never by quietly dropping its commands, reminders or replies.

A command is either plain (text → Reply) or typed: `parse` turns the text into a pydantic
request and the decorated function does the work (request → Reply). Integrations that collect
the fields themselves (a Slack modal, a Teams card) build the request directly — see
`request_type`, `build_request` and `run_request` — instead of writing a command line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, overload

from pydantic import BaseModel, ValidationError

from commands import policy
from commands.context import Context, Scope
from commands.errors import FieldError, QABotError
from commands.policy import Allowed
from commands.types import Reply
from store.models import OutboxMessage

TextHandler = Callable[[Context, str], Reply]
ThreadHandler = Callable[[Context, OutboxMessage], Reply | None]
Produce = Callable[[Scope], int]


class RegistryError(QABotError):
    """The registry is inconsistent (a name registered twice, a command without its group)."""


@dataclass(frozen=True)
class Group:
    name: str
    summary: str
    aliases: tuple[str, ...] = ()
    # `/kpi` alone runs `bare`; `/kpi <words naming no command>` runs `otherwise` with the words
    # (`/kpi rereferrals` → `/kpi trend rereferrals`). None: the group's help / "not a command".
    bare: str | None = None
    otherwise: str | None = None


@dataclass(frozen=True)
class Command:
    """One `/group name …` command: its help, who may run it, and how it runs."""

    group: str
    name: str
    usage: str
    example: str
    summary: str
    run: TextHandler  # the whole command from text (for typed ones: parse, then execute)
    allowed: Allowed | None = None
    aliases: tuple[str, ...] = ()
    hidden: bool = False
    request: type[BaseModel] | None = None
    parse: Callable[[Context, str], BaseModel] | None = None  # text → request (typed commands)
    execute: Callable[[Context, Any], Reply] | None = None

    def called(self, word: str) -> bool:
        return word == self.name or word in self.aliases


@dataclass(frozen=True)
class ThreadReply:
    kind_prefix: str
    handle: ThreadHandler


@dataclass
class Registry:
    _groups: dict[str, Group] = field(default_factory=dict)
    _commands: dict[str, list[Command]] = field(default_factory=dict)
    _by_request: dict[type[BaseModel], Command] = field(default_factory=dict)
    _thread_replies: dict[str, ThreadReply] = field(default_factory=dict)
    _no_thread_reply: dict[str, str] = field(default_factory=dict)  # kind prefix -> why none
    _producers: dict[str, Produce] = field(default_factory=dict)

    # ── registering ─────────────────────────────────────────────────────────────────────────

    def add_group(self, g: Group) -> None:
        for word in (g.name, *g.aliases):
            if self.group(word) is not None:
                raise RegistryError(f'The command group "{word}" is registered twice.')
        self._groups[g.name] = g
        self._commands.setdefault(g.name, [])

    def add_command(self, c: Command) -> None:
        if c.group not in self._groups:
            raise RegistryError(f'/{c.group} {c.name}: the group "{c.group}" is not registered.')
        for word in (c.name, *c.aliases):
            if self.find(c.group, word) is not None:
                raise RegistryError(f'"/{c.group} {word}" is registered twice.')
        self._commands[c.group].append(c)
        if c.request is not None:
            if c.request in self._by_request:
                raise RegistryError(f"{c.request.__name__} is the request of two commands.")
            self._by_request[c.request] = c

    def add_thread_reply(self, kind_prefix: str, handle: ThreadHandler) -> None:
        if kind_prefix in self._thread_replies or kind_prefix in self._no_thread_reply:
            raise RegistryError(f'Thread replies to "{kind_prefix}" posts are registered twice.')
        self._thread_replies[kind_prefix] = ThreadReply(kind_prefix, handle)

    def remove_thread_reply(self, kind_prefix: str) -> None:
        self._thread_replies.pop(kind_prefix, None)

    def declare_no_thread_reply(self, kind_prefix: str, why: str) -> None:
        if kind_prefix in self._thread_replies:
            raise RegistryError(f'"{kind_prefix}" posts have a thread handler, yet are declared as none.')
        self._no_thread_reply[kind_prefix] = why

    def add_producer(self, name: str, produce: Produce) -> None:
        if name in self._producers:
            raise RegistryError(f'The clock producer "{name}" is registered twice.')
        self._producers[name] = produce

    # ── looking up ──────────────────────────────────────────────────────────────────────────

    def groups(self) -> list[Group]:
        return list(self._groups.values())

    def group(self, word: str) -> Group | None:
        """The group called `word` or one of its aliases (`actions` → action)."""
        for g in self._groups.values():
            if word == g.name or word in g.aliases:
                return g
        return None

    def commands(self, group: str) -> list[Command]:
        return list(self._commands.get(group, []))

    def find(self, group: str, word: str) -> Command | None:
        return next((c for c in self._commands.get(group, []) if c.called(word)), None)

    def request_type(self, group: str, name: str) -> type[BaseModel] | None:
        """The request model of `/group name`, if it takes one (None for text-only commands)."""
        found = self.find(group, name)
        return found.request if found else None

    def thread_handler(self, kind: str) -> ThreadHandler | None:
        """The handler for replies in the thread of a post of this kind (longest prefix wins)."""
        best = max((p for p in self._thread_replies if kind.startswith(p)), key=len, default=None)
        return self._thread_replies[best].handle if best is not None else None

    def thread_reply_declared(self, kind: str) -> bool:
        """Whether replies to this kind of post have a handler or are declared as having none."""
        return self.thread_handler(kind) is not None or any(kind.startswith(p) for p in self._no_thread_reply)

    def producers(self) -> list[tuple[str, Produce]]:
        return list(self._producers.items())

    # ── running ─────────────────────────────────────────────────────────────────────────────

    def run(self, ctx: Context, command: Command, args: str) -> Reply:
        """Run a command from its text, after the central permission check."""
        if command.allowed is not None:
            command.allowed.check(ctx.actor)
        reply = command.run(ctx, args)
        # The help pages (the only untyped commands) hold no board data: shown where asked.
        return reply if command.request is None else policy.place(ctx, reply)

    def build_request(self, group: str, name: str, values: Mapping[str, object]) -> BaseModel:
        """The request of `/group name` from a form's values; an invalid value is a FieldError
        naming its field."""
        command = self.find(group, name)
        if command is None or command.request is None:
            raise RegistryError(f"/{group} {name} takes no typed request.")
        try:
            return command.request.model_validate(dict(values))
        except ValidationError as e:
            first = e.errors()[0]
            where = str(first["loc"][0]) if first["loc"] else "text"
            problem = str(first["msg"]).removeprefix("Value error, ")
            raise FieldError(problem, command.usage, field=where) from None

    def run_request(self, ctx: Context, request: BaseModel) -> Reply:
        """Run the command a typed request belongs to, after the same permission check."""
        command = self._by_request.get(type(request))
        if command is None or command.execute is None:
            raise RegistryError(f"No command takes a {type(request).__name__}.")
        if command.allowed is not None:
            command.allowed.check(ctx.actor)
        return policy.place(ctx, command.execute(ctx, request))

    def check(self) -> None:
        """Start-up: every group has at least one command (so a group whose module is missing
        from the catalog is noticed, not shown as an empty help page)."""
        empty = [g for g, cs in self._commands.items() if not cs]
        if empty:
            raise RegistryError(f"No commands are registered for: {', '.join('/' + g for g in empty)}.")


REGISTRY = Registry()


def group(
    name: str,
    *,
    summary: str,
    aliases: tuple[str, ...] = (),
    bare: str | None = None,
    otherwise: str | None = None,
) -> Group:
    g = Group(name, summary, aliases, bare, otherwise)
    REGISTRY.add_group(g)
    return g


@overload
def command(
    group: Group,
    name: str,
    *,
    usage: str,
    example: str,
    summary: str,
    allowed: Allowed | None = None,
    aliases: tuple[str, ...] = (),
    hidden: bool = False,
) -> Callable[[TextHandler], TextHandler]: ...


@overload
def command[R: BaseModel](
    group: Group,
    name: str,
    *,
    request: type[R],
    parse: Callable[[Context, str], R],
    usage: str,
    example: str,
    summary: str,
    allowed: Allowed | None = None,
    aliases: tuple[str, ...] = (),
    hidden: bool = False,
) -> Callable[[Callable[[Context, R], Reply]], Callable[[Context, R], Reply]]: ...


def command(
    group: Group,
    name: str,
    *,
    request: type[BaseModel] | None = None,
    parse: Callable[[Context, str], Any] | None = None,
    usage: str,
    example: str,
    summary: str,
    allowed: Allowed | None = None,
    aliases: tuple[str, ...] = (),
    hidden: bool = False,
) -> Callable[[Callable[[Context, Any], Reply]], Callable[[Context, Any], Reply]]:
    """Register `/group name`. With `request` and `parse`, the function takes the request."""
    if (request is None) != (parse is None):
        raise RegistryError(f"/{group.name} {name}: a typed command needs both request and parse.")

    def register(fn: Callable[[Context, Any], Reply]) -> Callable[[Context, Any], Reply]:
        run: TextHandler = fn
        if parse is not None:
            read = parse

            def parse_then_execute(ctx: Context, args: str) -> Reply:
                return fn(ctx, read(ctx, args))

            run = parse_then_execute
        REGISTRY.add_command(
            Command(
                group=group.name,
                name=name,
                usage=usage,
                example=example,
                summary=summary,
                run=run,
                allowed=allowed,
                aliases=aliases,
                hidden=hidden,
                request=request,
                parse=parse,
                execute=fn if request is not None else None,
            )
        )
        return fn

    return register


def thread_reply(kind_prefix: str) -> Callable[[ThreadHandler], ThreadHandler]:
    """Register the handler for replies in the threads of posts whose kind starts so."""

    def register(fn: ThreadHandler) -> ThreadHandler:
        REGISTRY.add_thread_reply(kind_prefix, fn)
        return fn

    return register


def no_thread_reply(kind_prefix: str, why: str) -> None:
    """Declare that replies to these posts are ordinary messages (the reason says why)."""
    REGISTRY.declare_no_thread_reply(kind_prefix, why)


def producer(name: str) -> Callable[[Produce], Produce]:
    """Register a clock producer: given a Scope, it queues what is due and says how many."""

    def register(fn: Produce) -> Produce:
        REGISTRY.add_producer(name, fn)
        return fn

    return register


def request_type(group: str, name: str) -> type[BaseModel] | None:
    return REGISTRY.request_type(group, name)


def build_request(group: str, name: str, values: Mapping[str, object]) -> BaseModel:
    return REGISTRY.build_request(group, name, values)


def run_request(ctx: Context, request: BaseModel) -> Reply:
    return REGISTRY.run_request(ctx, request)
