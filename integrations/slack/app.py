"""The slack-bolt App: Slack requests in, the command core in the middle, Block Kit out.

The App runs with `process_before_response=True` and every listener stores, acknowledges
and then hands the stored delivery on (listeners.py): the acknowledgement is given on the
request's thread before any work, and the work runs on the listener executor, which knows
when it is idle (shutdown and tests wait on it instead of sleeping).

The adapter holds the core's port and Slack's settings, nothing else: what a command does,
who may do it and what the reply says all come from `core.handle`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk import WebClient

from commands.errors import ConfigError
from commands.ports import CorePort
from commands.types import Reply
from integrations.slack.client import make_web_client, posting_retry_handlers, why
from integrations.slack.delivery import Delivery
from integrations.slack.events import Events
from integrations.slack.intake import SlackWork
from integrations.slack.interactive import Interactions
from integrations.slack.listeners import register
from integrations.slack.settings import SlackSettings

log = logging.getLogger("qabot.slack")

# The work after the ack. SQLite takes one writer at a time, so a few threads are plenty;
# the acknowledgements do not need any of them (they run on the request's thread).
WORK_THREADS = 8

P = ParamSpec("P")
T = TypeVar("T")


class TrackingExecutor(ThreadPoolExecutor):
    """The listener executor, where the work after each acknowledgement runs, that knows when
    every piece of it has finished."""

    def __init__(self, max_workers: int = WORK_THREADS, *, name: str = "qabot-slack") -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix=name)
        self._pending = 0
        self._cond = threading.Condition()

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        with self._cond:
            self._pending += 1
        try:
            fut = super().submit(fn, *args, **kwargs)
        except BaseException:
            self._done(None)
            raise
        fut.add_done_callback(self._done)
        return fut

    def _done(self, _fut: object) -> None:
        with self._cond:
            self._pending -= 1
            self._cond.notify_all()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self._pending == 0, timeout)


@dataclass
class SlackApp:
    """The Bolt App and the parts behind its listeners. One per process."""

    app: App
    executor: TrackingExecutor
    delivery: Delivery
    interactions: Interactions
    events: Events

    @property
    def client(self) -> WebClient:
        return self.app.client

    def close(self, timeout: float = 10.0) -> None:
        """Let the after-the-ack work finish, then stop the listener threads."""
        self.executor.wait_idle(timeout=timeout)
        self.executor.shutdown(wait=True)


class _QuietTokenWarning(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN (read from the environment) is unused when a client is
    given; the client carries that same token."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


BOLT_LOG = logging.getLogger("qabot.slack.bolt")
BOLT_LOG.addFilter(_QuietTokenWarning())


def build_app(core: CorePort, settings: SlackSettings, *, socket_mode: bool = False) -> SlackApp:
    """The Bolt App wired to the core. Raises ConfigError naming a missing or refused setting."""
    if settings.slack_bot_token is None:
        raise ConfigError("SLACK_BOT_TOKEN is not set")
    if not socket_mode and settings.slack_signing_secret is None:
        raise ConfigError(
            "SLACK_SIGNING_SECRET is required for the web app (POST /slack/events); "
            "set it, or set SLACK_APP_TOKEN to use Socket Mode"
        )
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    executor = TrackingExecutor()
    # No SDK resend of an answer whose outcome is unknown (delivery.py handles those).
    client = make_web_client(settings, handlers=posting_retry_handlers())

    def make(verify_token: bool) -> App:
        return App(
            name="qabot",
            client=client,
            signing_secret=secret,
            request_verification_enabled=not socket_mode,
            token_verification_enabled=verify_token,
            process_before_response=True,  # listeners run before the response; the work after
            listener_executor=executor,
            logger=BOLT_LOG,
        )

    try:
        app = make(True)  # auth.test now: a refused token stops start-up with a clear message
    except BoltError:
        raise ConfigError(
            f"SLACK_BOT_TOKEN was refused by Slack ({settings.slack_api_url}auth.test): check the bot token"
        ) from None
    except Exception as e:
        log.warning(
            "Slack is not reachable at start-up (%s); the token is checked on the first request", why(e)
        )
        app = make(False)

    def answer_later(address: str, reply: Reply, key: str, maybe_sent: bool) -> None:
        core.post_later("slack", address, reply, key, maybe_sent=maybe_sent)
        core.send_queued()

    delivery = Delivery(app.client, later=answer_later)
    interactions, events = Interactions(core, delivery), Events(core, delivery)
    register(app, core, interactions, executor)
    # Stored deliveries are worked by the listeners' own code, now or after a restart.
    core.on_received("slack", SlackWork(interactions, events))
    return SlackApp(app, executor, delivery, interactions, events)
