"""The slack-bolt App: Slack requests in, the command core in the middle, Block Kit out.

Everything is acknowledged first (Slack wants an answer within 3 seconds) and the work is
done after, in the listener thread pool (`process_before_response=False`). The one
exception is a modal submission: Slack only accepts field errors in the acknowledgement, so
the command runs first (a few milliseconds) and the errors go back with the ack.

The adapter holds a reference to the core; it never contains business rules. What a
command does, who may do it and what the reply says all come from `rt.core.handle`.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import urllib.error
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from slack_bolt import Ack, App, BoltResponse
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.webhook import WebhookClient

from commands.errors import ConfigError
from commands.types import Inbound, Reply, mention_token
from integrations.slack import inbound as slack_in
from integrations.slack import modals
from integrations.slack.client import make_web_client
from integrations.slack.home import home_view
from integrations.slack.render import (
    ACTION_PREFIX,
    cut,
    decided_blocks,
    escape,
    fallback_text,
    refreshed_blocks,
    render,
)
from integrations.slack.sender import error_code
from store import addresses, members

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.runtime import Runtime

log = logging.getLogger("qabot.slack")

COMMANDS = ("/action", "/finding", "/qa", "/s11", "/docs")
SHORTCUT_ACTION = "log_as_action"
SHORTCUT_FINDING = "log_as_finding"
MODAL_ERROR_MAX = 300
WORK_THREADS = 4
MAX_UPLOAD_BYTES = 1_000_000_000  # Slack's limit per file (files.getUploadURLExternal)

P = ParamSpec("P")
T = TypeVar("T")


class TrackingExecutor(ThreadPoolExecutor):
    """The listener pool; knows when every piece of after-the-ack work has finished (used
    by shutdown and by tests, which wait on it instead of sleeping)."""

    def __init__(
        self, max_workers: int = 8, *, name: str = "qabot-slack", then: TrackingExecutor | None = None
    ) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix=name)
        self._pending = 0
        self._cond = threading.Condition()
        self.then = then  # a second pool whose work this one's listeners hand on

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
            idle = self._cond.wait_for(lambda: self._pending == 0, timeout)
        return idle and (self.then is None or self.then.wait_idle(timeout))


class _Recent:
    """Delivery ids handled by this process (a small LRU): Slack's retries of an event we
    already took are dropped at once, before the database is asked."""

    def __init__(self, size: int = 2000) -> None:
        self.size = size
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, key: str | None) -> bool:
        if not key:
            return True
        with self._lock:
            if key in self._seen:
                return False
            self._seen[key] = None
            if len(self._seen) > self.size:
                self._seen.popitem(last=False)
            return True


def _problem(reply: Reply) -> str:
    return cut(reply.lines[0] if reply.lines else (reply.title or "That didn't work."), MODAL_ERROR_MAX)


class SlackAdapter:
    """Translates between Slack and the command core. One per process."""

    def __init__(self, rt: Runtime, app: App, executor: TrackingExecutor) -> None:
        self.rt = rt
        self.app = app
        self.executor = executor
        # Slash commands are acknowledged on the listener pool and worked on here, so an
        # acknowledgement never queues behind earlier commands' work (Slack's 3-second limit).
        self.work = executor.then or executor
        self.recent = _Recent()

    @property
    def client(self) -> WebClient:
        return self.app.client

    # ----- the core --------------------------------------------------------------------------

    def run(self, inbound: Inbound) -> Reply:
        reply = self.rt.core.handle(inbound)
        if reply.data.get("queued") and not reply.data.get("duplicate"):
            self._dispatch_outbox()
        return reply

    def _dispatch_outbox(self) -> None:
        """Posts the command queued (e.g. a Section 11 launch) go out now, not at the next tick."""
        try:
            self.rt.dispatcher().dispatch(limit=50)
        except Exception:
            log.exception("outbox dispatch after a Slack command failed; the clock will retry")

    def is_member(self, user_id: str) -> bool:
        with self.rt.sessions() as s:
            m = members.by_platform_id(s, "slack", user_id)
            return m is not None and m.active

    def qa_channel(self) -> str | None:
        with self.rt.sessions() as s:
            return addresses.channel(s, "qa").get("slack")

    def agency_names(self) -> list[str]:
        with self.rt.sessions() as s:
            return [a.name for a in members.all_agencies(s)]

    def handles_for(self, text: str) -> str:
        """Slack mentions in a message as @handles, for prefilling a modal."""
        ids = slack_in.mentioned_ids(text)
        names: dict[str, str] = {}
        if ids:
            with self.rt.sessions() as s:
                for uid in ids:
                    m = members.by_platform_id(s, "slack", uid)
                    names[uid] = f"@{m.handle}" if m else "@someone"
        plain = slack_in.unslack(text)
        return re.sub(r"<@([A-Z0-9]+)>", lambda m: names.get(m.group(1), "@someone"), plain)

    # ----- Slack calls -----------------------------------------------------------------------

    def permalink(self, channel: str | None, ts: str | None) -> str | None:
        if not channel or not ts:
            return None
        try:
            return str(self.client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])
        except Exception as e:
            log.warning("no permalink for %s/%s: %s", channel, ts, _why(e))
            return None

    def open_view(self, trigger_id: str, view: dict[str, Any]) -> None:
        try:
            self.client.views_open(trigger_id=trigger_id, view=view)
        except Exception as e:
            log.warning("views.open failed: %s", _why(e))

    def show(
        self,
        reply: Reply,
        *,
        channel: str | None,
        user: str,
        thread_ts: str | None = None,
        response_url: str | None = None,
        public: bool | None = None,
    ) -> str | None:
        """Show a reply: confirmations to the channel, lists and errors to the person only.
        Its files are uploaded after it (in the confirmation's thread). Returns the ts of the
        channel post, when there is one."""
        if reply.data.get("ignored") or reply.data.get("duplicate"):
            return None
        if public is None:
            public = reply.ok and reply.visibility == "channel"
        files = [p for p in reply.files if uploadable(p)]
        posted = self._deliver(
            reply,
            files,
            channel=channel,
            user=user,
            thread_ts=thread_ts,
            response_url=response_url,
            public=public,
        )
        if files:
            self.attach(
                files,
                reply,
                user=user,
                channel=channel,
                to_channel=posted is not None,
                thread_ts=thread_ts or posted,
                asked_in=thread_ts,
                response_url=response_url,
            )
        return posted

    def _deliver(
        self,
        reply: Reply,
        files: list[str],
        *,
        channel: str | None,
        user: str,
        thread_ts: str | None,
        response_url: str | None,
        public: bool,
    ) -> str | None:
        blocks, text = render(reply, attached=files), fallback_text(reply, attached=files)
        if channel:
            try:
                if public:
                    resp = self.client.chat_postMessage(
                        channel=channel, text=text, blocks=blocks, unfurl_links=False, thread_ts=thread_ts
                    )
                    return str(resp.get("ts") or "") or None
                self.client.chat_postEphemeral(
                    channel=channel, user=user, text=text, blocks=blocks, thread_ts=thread_ts
                )
                return None
            except Exception as e:
                log.info("could not post to %s (%s); trying another way", channel, _why(e))
        if response_url:
            try:
                hook = WebhookClient(response_url, timeout=8).send(
                    text=text, blocks=blocks, response_type="in_channel" if public else "ephemeral"
                )
                if hook.status_code < 300:
                    return None
                log.warning("response_url answered HTTP %s", hook.status_code)
            except Exception as e:
                log.warning("response_url failed: %s", _why(e))
        try:  # last resort: the person's direct messages with the bot
            self.client.chat_postMessage(channel=user, text=text, blocks=blocks, unfurl_links=False)
        except Exception as e:
            log.error("could not show a reply to %s: %s", user, _why(e))
        return None

    def attach(
        self,
        files: list[str],
        reply: Reply,
        *,
        user: str,
        channel: str | None,
        to_channel: bool,
        thread_ts: str | None,
        asked_in: str | None,
        response_url: str | None,
    ) -> None:
        """Upload a reply's files (files_upload_v2): into the channel, in the thread of the
        confirmation (`thread_ts`), when the reply was posted there; otherwise to the person's
        direct messages with the bot, so a private reply's file stays private. A failed upload
        is told to the person privately where they asked (`asked_in`: the thread they typed
        in, if any); it never raises."""
        where, comment = (channel, None) if to_channel else (None, reply.title or "Your file")
        for path in files:
            name = os.path.basename(path)
            try:
                if where is None:
                    where = str(self.client.conversations_open(users=user)["channel"]["id"])
                self.client.files_upload_v2(
                    file=path,
                    filename=name,
                    title=name,
                    channel=where,
                    thread_ts=thread_ts if to_channel else None,
                    initial_comment=comment,
                )
            except Exception as e:
                log.warning("could not upload %s to %s: %s", name, where or user, _why(e))
                self.show(
                    Reply(
                        ok=False,
                        title="The file could not be attached",
                        lines=[
                            f"Slack did not accept the upload of {name} ({_why(e)}). "
                            "Nothing else is affected: try the command again in a few minutes, "
                            "or ask the QA officer for the file."
                        ],
                    ),
                    channel=channel,
                    user=user,
                    thread_ts=asked_in,
                    response_url=response_url,
                    public=False,
                )

    def refresh_clicked(
        self,
        kind: str,
        reply: Reply,
        *,
        user: str,
        channel: str | None,
        message_ts: str | None,
        ephemeral: bool,
        response_url: str | None,
        original: list[dict[str, Any]] | None = None,
    ) -> bool:
        """After a button changed something, the message that carried the button shows the new
        state: an action's message is re-rendered from the command's reply (a closed action
        loses its buttons, a snoozed one shows its new date); any other message keeps its
        content, loses its buttons and says what was done. True when the message was updated."""
        who = f"<@{user}>" if user else "someone"
        if kind.startswith("action_"):
            blocks = refreshed_blocks(reply, f"Changed by {who}")
        elif original:
            done = escape(reply.title) if reply.title else fallback_text(reply)
            blocks = decided_blocks(original, f"{done} (by {who})")
        else:
            return False
        text = fallback_text(reply)
        try:
            if ephemeral:  # only the response_url can replace an ephemeral message
                if not response_url:
                    return False
                resp = WebhookClient(response_url, timeout=8).send(
                    text=text, blocks=blocks, replace_original=True
                )
                return resp.status_code < 300
            if not channel or not message_ts:
                return False
            self.client.chat_update(channel=channel, ts=message_ts, text=text, blocks=blocks)
            return True
        except Exception as e:
            log.warning("could not update the clicked message %s/%s: %s", channel, message_ts, _why(e))
            return False

    # ----- listeners -------------------------------------------------------------------------

    def on_command(self, ack: Ack, body: dict[str, Any]) -> None:
        ack()
        user = str(body.get("user_id") or "")
        channel = body.get("channel_id")
        command = str(body.get("command") or "")
        text = slack_in.unslack(str(body.get("text") or "")).strip().lower()
        if command in ("/action", "/finding") and text == "add" and body.get("trigger_id"):
            if not self.is_member(user):
                self.show(self.rt.core.handle(slack_in.slash_command(body)), channel=channel, user=user)
                return
            meta = {"channel": channel, "user": user}
            build = modals.action_modal if command == "/action" else modals.finding_modal
            self.open_view(str(body["trigger_id"]), build(agencies=self.agency_names(), meta=meta))
            return
        self.work.submit(self._command_work, body)

    def _command_work(self, body: dict[str, Any]) -> None:
        try:
            reply = self.run(slack_in.slash_command(body))
            channel, user = body.get("channel_id"), str(body.get("user_id") or "")
            self.show(reply, channel=channel, user=user, response_url=body.get("response_url"))
        except Exception:
            log.exception("a Slack command failed after its acknowledgement")

    def on_message(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        if not slack_in.is_person_message(event):
            return
        if not self.recent.first_time(slack_in.event_key(body)):
            return  # Slack's retry of an event this process already took
        text = str(event.get("text") or "")
        qa = self.qa_channel() if slack_in.logged_line(slack_in.unslack(text)) else None
        found = slack_in.message(event, body, qa_channel=qa)
        if found is None:
            return
        kind, inbound = found
        channel, user, ts = inbound.channel, inbound.user_id, str(event["ts"])
        if kind == "log":
            inbound = inbound.model_copy(update={"source_url": self.permalink(channel, ts)})
            reply = self.run(inbound)
            self.show(reply, channel=channel, user=user, thread_ts=str(event.get("thread_ts") or ts))
        elif kind == "chatter":
            reply = self.run(inbound)
            self.show(reply, channel=channel, user=user, thread_ts=inbound.thread_id)
        else:  # a direct message to the bot: private already
            reply = self.run(inbound)
            self.show(reply, channel=channel, user=user, public=True)

    def on_shortcut(self, ack: Ack, body: dict[str, Any]) -> None:
        ack()
        user = str((body.get("user") or {}).get("id") or "")
        channel = str((body.get("channel") or {}).get("id") or "")
        message = body.get("message") or {}
        if not self.is_member(user):
            reply = self.rt.core.handle(
                Inbound(platform="slack", user_id=user, text="qa help", channel=channel)
            )
            self.show(reply, channel=channel, user=user, response_url=body.get("response_url"))
            return
        meta = {
            "channel": channel,
            "user": user,
            "message_ts": message.get("ts"),
            "thread_ts": message.get("thread_ts") or message.get("ts"),
        }
        text = self.handles_for(str(message.get("text") or ""))
        if body.get("callback_id") == SHORTCUT_FINDING:
            view = modals.finding_modal(agencies=self.agency_names(), text=text, meta=meta)
        else:
            view = modals.action_modal(agencies=self.agency_names(), text=text, meta=meta)
        self.open_view(str(body["trigger_id"]), view)

    def on_add_submitted(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        values = modals.values(view)
        meta = modals.meta_of(view)
        user = str((body.get("user") or {}).get("id") or "")
        if view.get("callback_id") == modals.ADD_FINDING:
            line = modals.finding_command(values)
        else:
            line = modals.action_command(values)
        channel = meta.get("channel") or None
        inbound = Inbound(
            platform="slack",
            user_id=user,
            workspace=(body.get("team") or {}).get("id"),
            channel=channel,
            text=line,
            source_url=self.permalink(channel, meta.get("message_ts")),
            delivery_key=f"slack:view:{view.get('id')}" if view.get("id") else None,
        )
        reply = self.run(inbound)
        if not reply.ok:
            block = modals.error_block(_problem(reply), set(values))
            ack(response_action="errors", errors={block: _problem(reply)})
            return
        ack()
        self.show(reply, channel=channel, user=user, thread_ts=meta.get("thread_ts"))

    def on_button(self, ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        user = str((body.get("user") or {}).get("id") or "")
        container = body.get("container") or {}
        channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
        message = body.get("message") or {}
        ephemeral = bool(container.get("is_ephemeral"))
        thread_ts = (
            None
            if ephemeral
            else (message.get("thread_ts") or message.get("ts") or container.get("message_ts"))
        )
        kind = str(action.get("action_id") or "").removeprefix(ACTION_PREFIX).split(":")[0]
        command = str(action.get("value") or "")
        message_ts = container.get("message_ts") or message.get("ts")
        if kind == "action_reassign":
            ref = re.search(r"\b[A-Z]-\d+\b", command)
            meta = {
                "channel": channel,
                "thread_ts": thread_ts,
                "command": command,
                "message_ts": message_ts,
                "ephemeral": ephemeral,
                "response_url": body.get("response_url") if ephemeral else None,
            }
            view = modals.reassign_modal(ref=ref.group(0) if ref else "action", meta=meta)
            self.open_view(str(body["trigger_id"]), view)
            return
        inbound = Inbound(
            platform="slack",
            user_id=user,
            workspace=(body.get("team") or {}).get("id"),
            channel=channel,
            text=command,
            delivery_key=f"slack:button:{body.get('trigger_id') or action.get('action_ts')}",
        )
        reply = self.run(inbound)
        refreshed = changed(reply) and self.refresh_clicked(
            kind,
            reply,
            user=user,
            channel=channel,
            message_ts=message_ts,
            ephemeral=ephemeral,
            response_url=body.get("response_url"),
            original=message.get("blocks"),
        )
        # The refreshed message carries the live buttons; the thread confirmation is the record.
        shown = reply.model_copy(update={"buttons": []}) if refreshed else reply
        self.show(
            shown, channel=channel, user=user, thread_ts=thread_ts, response_url=body.get("response_url")
        )

    def on_reassign_submitted(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        values = modals.values(view)
        meta = modals.meta_of(view)
        user = str((body.get("user") or {}).get("id") or "")
        chosen = values.get("owner")
        if not chosen or not meta.get("command"):
            ack(response_action="errors", errors={"owner": "Choose the person to give it to."})
            return
        channel = meta.get("channel") or None
        inbound = Inbound(
            platform="slack",
            user_id=user,
            channel=channel,
            text=f"{meta['command']} {mention_token('slack', chosen)}",
            delivery_key=f"slack:view:{view.get('id')}" if view.get("id") else None,
        )
        reply = self.run(inbound)
        if not reply.ok:
            ack(response_action="errors", errors={"owner": _problem(reply)})
            return
        ack()
        refreshed = changed(reply) and self.refresh_clicked(
            "action_reassign",
            reply,
            user=user,
            channel=channel,
            message_ts=meta.get("message_ts"),
            ephemeral=bool(meta.get("ephemeral")),
            response_url=meta.get("response_url"),
        )
        shown = reply.model_copy(update={"buttons": []}) if refreshed else reply
        self.show(shown, channel=channel, user=user, thread_ts=meta.get("thread_ts"))

    def on_home(self, event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        user = str(event.get("user") or "")

        def ask(text: str) -> Reply:
            return self.rt.core.handle(Inbound(platform="slack", user_id=user, command="/action", text=text))

        mine = ask("list mine")
        sections = [mine] if not mine.ok else [mine, ask("list overdue")]
        with self.rt.sessions() as s:
            board = members.board(s)
            name = board.name if board else None
        try:
            self.client.views_publish(user_id=user, view=home_view(sections, board_name=name))
        except Exception as e:
            log.warning("views.publish for %s failed: %s", user, _why(e))

    def on_reaction(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        """:memo: on a message puts it on the next meeting's agenda (when agendas exist)."""
        from commands import router

        item = event.get("item") or {}
        if (
            event.get("reaction") != "memo"
            or item.get("type") != "message"
            or router.find("qa", "agenda") is None
        ):
            return
        if not self.recent.first_time(slack_in.event_key(body)):
            return
        channel, ts, user = (
            str(item.get("channel") or ""),
            str(item.get("ts") or ""),
            str(event.get("user") or ""),
        )
        text = self.message_text(channel, ts)
        if not text:
            return
        inbound = Inbound(
            platform="slack",
            user_id=user,
            channel=channel,
            command="/qa",
            text=f"agenda add {slack_in.unslack(text)}",
            source_url=self.permalink(channel, ts),
            delivery_key=slack_in.event_key(body),
        )
        self.show(self.run(inbound), channel=channel, user=user, thread_ts=ts)

    def message_text(self, channel: str, ts: str) -> str | None:
        try:
            resp = self.client.conversations_history(channel=channel, latest=ts, inclusive=True, limit=1)
            for m in resp.get("messages") or []:
                if m.get("ts") == ts:
                    return str(m.get("text") or "")
            resp = self.client.conversations_replies(channel=channel, ts=ts, limit=1)
            for m in resp.get("messages") or []:
                if m.get("ts") == ts:
                    return str(m.get("text") or "")
        except Exception as e:
            log.warning("could not read message %s/%s: %s", channel, ts, _why(e))
        return None


def _why(e: Exception) -> str:
    if isinstance(e, SlackApiError):
        return error_code(e) or f"HTTP {getattr(e.response, 'status_code', '?')}"
    if isinstance(e, urllib.error.HTTPError):  # the upload URL of files_upload_v2
        return f"HTTP {e.code}"
    if isinstance(e, SlackRequestError):
        return "the upload was refused"
    return type(e).__name__


def uploadable(path: str) -> bool:
    """A file Slack can take: it exists, is not empty and is within Slack's size limit."""
    try:
        size = os.path.getsize(path)
    except OSError:
        return False
    return 0 < size <= MAX_UPLOAD_BYTES


def changed(reply: Reply) -> bool:
    """A click that changed something (a refusal, a repeat or "unchanged" did not)."""
    return (
        reply.ok
        and reply.visibility == "channel"
        and not reply.data.get("duplicate")
        and not reply.data.get("ignored")
    )


def _ignore(body: dict[str, Any]) -> None:
    """Events the app subscribes to but has nothing to do for."""


class _QuietTokenWarning(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN (read from the environment) is unused when a client is
    given; the client carries that same token."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


BOLT_LOG = logging.getLogger("qabot.slack.bolt")
BOLT_LOG.addFilter(_QuietTokenWarning())


def build_app(rt: Runtime, *, socket_mode: bool = False) -> SlackAdapter:
    """The Bolt App wired to the core. Raises ConfigError naming a missing or refused setting."""
    s = rt.settings
    if s.slack_bot_token is None:
        raise ConfigError("SLACK_BOT_TOKEN is not set")
    if not socket_mode and s.slack_signing_secret is None:
        raise ConfigError(
            "SLACK_SIGNING_SECRET is required for the web app (POST /slack/events); "
            "set it, or set SLACK_APP_TOKEN to use Socket Mode"
        )
    secret = s.slack_signing_secret.get_secret_value() if s.slack_signing_secret else ""
    # Two pools: listeners (acknowledge, hand on) and the work itself. SQLite takes one writer
    # at a time, so a few work threads are plenty and leave the CPU to acknowledgements.
    executor = TrackingExecutor(then=TrackingExecutor(WORK_THREADS, name="qabot-slack-work"))
    client = make_web_client(s)

    def make(verify_token: bool) -> App:
        return App(
            name="qabot",
            client=client,
            signing_secret=secret,
            request_verification_enabled=not socket_mode,
            token_verification_enabled=verify_token,
            process_before_response=False,
            listener_executor=executor,
            logger=BOLT_LOG,
        )

    try:
        app = make(True)  # auth.test now: a refused token stops start-up with a clear message
    except BoltError:
        raise ConfigError(
            f"SLACK_BOT_TOKEN was refused by Slack ({s.slack_api_url}auth.test): check the bot token"
        ) from None
    except Exception as e:
        log.warning(
            "Slack is not reachable at start-up (%s); the token is checked on the first request", _why(e)
        )
        app = make(False)

    adapter = SlackAdapter(rt, app, executor)
    app.command(re.compile(r"^/(action|finding|qa|s11|docs)$"))(adapter.on_command)
    app.event("message")(adapter.on_message)
    app.event("app_home_opened")(adapter.on_home)
    app.event("reaction_added")(adapter.on_reaction)
    app.event("member_joined_channel")(_ignore)
    app.shortcut(SHORTCUT_ACTION)(adapter.on_shortcut)
    app.shortcut(SHORTCUT_FINDING)(adapter.on_shortcut)
    app.view(modals.ADD_ACTION)(adapter.on_add_submitted)
    app.view(modals.ADD_FINDING)(adapter.on_add_submitted)
    app.view(modals.REASSIGN)(adapter.on_reassign_submitted)
    app.action(re.compile("^" + re.escape(ACTION_PREFIX)))(adapter.on_button)

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> BoltResponse | None:
        log.error(
            "Slack listener failed (%s) on a %s request",
            type(error).__name__,
            body.get("type"),
            exc_info=error,
        )
        return None

    return adapter
