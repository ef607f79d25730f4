"""A fake Slack Web API on 127.0.0.1 that records every call and answers like Slack.

Point slack_sdk at it with `WebClient(base_url=fake.api_url)` (the bot: SLACK_API_URL).
It keeps the messages the bot posts per conversation (with their threads and message
metadata) so conversations.history / conversations.replies / chat.getPermalink answer
consistently, checks Block Kit limits the way Slack does (`invalid_blocks`), and can be told
to fail:

    fake.fail("chat.postMessage", status=429, retry_after=30)      # once, then normal
    fake.fail("chat.postMessage", status=500, times=3)
    fake.fail("chat.postMessage", error="channel_not_found", channel="C0GONE")
    fake.fail("views.open", delay=2.0)                                # slow, then normal
    fake.rate_limit("chat.postMessage", seconds=1.0)                 # one post per channel per second
    fake.require_join("C0NEW001")                                    # not_in_channel until joined
    fake.fail("chat.postMessage", lost=True)          # Slack takes the post, the answer is lost
    fake.make_private("C0PRIV01")                     # join refused; invisible until invited
    fake.archive("C0OLD001")                          # is_archived for posts and joins

Membership follows Slack's documented answers (docs.slack.dev reference/methods/
conversations.join and conversations.info, the conversation object): conversations.join
answers the channel with "warning": "already_in_channel" when already a member,
method_not_supported_for_channel_type for a private channel, is_archived, channel_not_found;
conversations.info answers the conversation object with is_member / is_private / is_archived
(a private channel the bot is not in is channel_not_found to it). conversations.history and
conversations.replies page with `cursor` / `limit` and answer `has_more` and
`response_metadata.next_cursor` (empty on the last page), as Slack's cursor pagination does.
Message ts follow `wall()` when given (the bot's clock), else a counter.

Socket Mode: set `fake.socket_url` (a tests/fakes/slack_socket.py server's `url`) and
apps.connections.open answers {"ok": true, "url": fake.socket_url}.

`fake.response_url("cmd1")` is an address slash-command payloads can carry as their
response_url; what is posted there is kept in `fake.responses`.

File uploads work as Slack's (files_upload_v2): files.getUploadURLExternal hands out an
upload URL on this same server and a file id, the bytes are POSTed there, and
files.completeUploadExternal shares the file in a channel (and thread). `fake.uploads()`
lists the shared files (filename, bytes, channel, thread). The upload URL fails like any
method: `fake.fail(FakeSlack.UPLOAD, status=500)`.

Files people shared can be downloaded as from Slack's `url_private_download`:
`fake.share_file("F0…", data)` serves the bytes at `fake.file_url("F0…", name)` (GET with
`Authorization: Bearer xoxb-…`; no or a wrong token: 403; `fake.no_files_read = True`
answers 403 as for an app without the files:read scope; an unknown file: 404).

Tests wait with `fake.wait_for(lambda: …)` (a condition variable, not a sleep).
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

JSON_FIELDS = ("blocks", "attachments", "metadata", "view", "users")
LOST = 0  # the status of a call whose answer never left: the connection was dropped


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    status: int = 200
    answer: dict[str, Any] = field(default_factory=dict)
    at: float = 0.0

    @property
    def channel(self) -> str | None:
        c = self.params.get("channel")
        return str(c) if c is not None else None

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.answer.get("ok"))


@dataclass
class Upload:
    """One file, from files.getUploadURLExternal to files.completeUploadExternal."""

    file_id: str
    filename: str
    length: int
    alt_txt: str | None = None
    data: bytes | None = None  # what was POSTed to the upload URL
    title: str | None = None
    channel: str | None = None
    thread_ts: str | None = None
    initial_comment: str | None = None
    completed: bool = False


@dataclass
class Failure:
    method: str | None  # None: any method
    status: int | None = 500  # None: answer normally (after `delay`)
    error: str | None = None
    retry_after: float | None = None
    delay: float = 0.0
    times: int = 1
    channel: str | None = None
    body: str | None = None  # a non-JSON body for HTTP errors, like Slack's load balancer
    lost: bool = False  # the call is carried out, then the connection drops before the answer


class FakeSlack:
    BOT_USER = "U0QABOT01"
    BOT_ID = "B0QABOT01"
    TEAM = "T0SSCB001"
    UPLOAD = "upload"  # the name failures and calls use for POSTs to an upload URL
    MAX_UPLOAD_BYTES = 1_000_000_000  # Slack's limit per file

    def __init__(
        self,
        *,
        domain: str = "sscb",
        now: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] | None = None,
    ) -> None:
        self.domain = domain
        self.now = now
        self.wall = wall  # epoch seconds for message ts (None: a counter from 1_790_000_000)
        self.private: set[str] = set()  # private channels; the bot sees one only once invited
        self.archived: set[str] = set()
        self.lock = threading.RLock()
        self.cond = threading.Condition(self.lock)
        self.calls: list[Call] = []
        self.responses: list[tuple[str, dict[str, Any]]] = []  # (response_url name, payload)
        self.conversations: dict[str, list[dict[str, Any]]] = {}
        self.views: list[dict[str, Any]] = []  # opened modals, in order
        self.published: dict[str, dict[str, Any]] = {}  # user -> App Home view
        self.failures: list[Failure] = []
        self.rate_limits: dict[str, float] = {}  # method -> seconds between posts per channel
        self._last_post: dict[tuple[str, str], float] = {}
        self.channel_errors: dict[str, str] = {}
        self.not_joined: set[str] = set()
        self.valid_tokens: set[str] | None = None  # None: any xoxb-/xapp- token
        self.files: dict[str, Upload] = {}  # file id -> upload, in the order they were asked for
        self.socket_url: str | None = None  # apps.connections.open hands this out (Socket Mode)
        self.shared: dict[str, bytes] = {}  # file id -> bytes people shared (downloads)
        self.no_files_read = False  # the app was installed without files:read
        self.downloads: list[tuple[str, str]] = []  # (file id, Authorization header) per GET
        self._held = 0  # while > 0 Slack answers nothing yet (see `held`)
        self._ts = 1_790_000_000
        self._seq = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ----- a Slack that has not answered yet -----------------------------------------------

    @contextmanager
    def held(self) -> Iterator[None]:
        """Inside the block every request to this fake (Web API, response_url, uploads,
        downloads) waits, unanswered, until the block ends: anything that needs Slack's answer
        cannot finish while it lasts."""
        with self.cond:
            self._held += 1
        try:
            yield
        finally:
            with self.cond:
                self._held -= 1
                self.cond.notify_all()

    def wait_to_answer(self) -> None:
        with self.cond:
            self.cond.wait_for(lambda: self._held == 0, timeout=60)

    # ----- lifecycle ---------------------------------------------------------------------

    def start(self) -> FakeSlack:
        fake = self

        class Handler(_Handler):
            slack = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-slack", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "start() the fake first"
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def share_file(self, file_id: str, data: bytes) -> None:
        self.shared[file_id] = data

    def file_url(self, file_id: str, name: str) -> str:
        """As Slack's url_private_download, on this server."""
        return f"{self.base_url}/files-pri/{self.TEAM}-{file_id}/download/{name}"

    def download(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """A GET of /files-pri/<team>-<file id>/download/<name>, answered as Slack does."""
        file_id = path.split("/")[2].split("-", 1)[-1]
        auth = headers.get("authorization", "")
        with self.cond:
            self.downloads.append((file_id, auth))
            self.cond.notify_all()
        token = auth[7:] if auth.lower().startswith("bearer ") else ""
        if not token.startswith("xoxb-") or self.no_files_read or (
            self.valid_tokens is not None and token not in self.valid_tokens
        ):
            return 403, {"Content-Type": "text/plain"}, b"Forbidden"
        if file_id not in self.shared:
            return 404, {"Content-Type": "text/plain"}, b"Not Found"
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return 200, {"Content-Type": ctype}, self.shared[file_id]

    def response_url(self, name: str = "r1") -> str:
        return f"{self.base_url}/response/{name}"

    # ----- failure injection -------------------------------------------------------------

    def fail(
        self,
        method: str | None,
        *,
        status: int | None = 500,
        error: str | None = None,
        retry_after: float | None = None,
        delay: float = 0.0,
        times: int = 1,
        channel: str | None = None,
        body: str | None = None,
        lost: bool = False,
    ) -> None:
        """Answer the next `times` calls of `method` (on `channel`, if given) with a failure.
        error="…" alone answers HTTP 200 {"ok": false, "error": …} like Slack does.
        lost=True: the call is carried out (a post is kept) and the connection then drops."""
        if error is not None and status == 500:
            status = 200
        if status == 429 and retry_after is None:
            retry_after = 1
        with self.lock:
            self.failures.append(
                Failure(method, status, error, retry_after, delay, times, channel, body, lost)
            )

    def make_private(self, channel: str, *, invited: bool = False) -> None:
        with self.lock:
            self.private.add(channel)
            if not invited:
                self.not_joined.add(channel)

    def invite(self, channel: str) -> None:
        """Someone typed /invite @QA Bot in the channel."""
        with self.lock:
            self.not_joined.discard(channel)

    def archive(self, channel: str) -> None:
        with self.lock:
            self.archived.add(channel)

    def rate_limit(self, method: str = "chat.postMessage", seconds: float = 1.0) -> None:
        """Slack's per-channel limit: one `method` call per channel per `seconds`."""
        with self.lock:
            self.rate_limits[method] = seconds

    def require_join(self, channel: str) -> None:
        with self.lock:
            self.not_joined.add(channel)

    # ----- what was recorded -------------------------------------------------------------

    def calls_to(self, method: str, *, ok_only: bool = False) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method and (c.ok or not ok_only)]

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Every message in a conversation (threads included), oldest first."""
        with self.lock:
            return [dict(m) for m in self.conversations.get(channel, [])]

    def posts(self, channel: str | None = None) -> list[dict[str, Any]]:
        """The bot's successful chat.postMessage calls (their params), oldest first."""
        return [
            c.params for c in self.calls_to("chat.postMessage", ok_only=True) if channel in (None, c.channel)
        ]

    def ephemerals(self, user: str | None = None) -> list[dict[str, Any]]:
        return [
            c.params
            for c in self.calls_to("chat.postEphemeral", ok_only=True)
            if user in (None, c.params.get("user"))
        ]

    def uploads(self, channel: str | None = None) -> list[Upload]:
        """Files the bot uploaded and shared (completeUploadExternal succeeded), oldest first."""
        with self.lock:
            return [u for u in self.files.values() if u.completed and channel in (None, u.channel)]

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0) -> bool:
        with self.cond:
            return bool(self.cond.wait_for(predicate, timeout))

    def add_message(self, channel: str, text: str, user: str, *, thread_ts: str | None = None) -> str:
        """Put a person's message into a conversation (as if typed in Slack); returns its ts."""
        with self.lock:
            ts = self._next_ts()
            msg: dict[str, Any] = {"type": "message", "user": user, "text": text, "ts": ts}
            if thread_ts:
                msg["thread_ts"] = thread_ts
            self.conversations.setdefault(channel, []).append(msg)
            return ts

    def permalink(self, channel: str, ts: str) -> str:
        return f"https://{self.domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"

    # ----- internals ---------------------------------------------------------------------

    def _next_ts(self) -> str:
        self._seq += 1
        if self.wall is not None:
            # Slack's ts: the post's time in seconds, unique within the channel.
            return f"{int(self.wall())}.{self._seq:06d}"
        return f"{self._ts + self._seq}.{self._seq:06d}"

    def _take_failure(self, method: str, channel: str | None) -> Failure | None:
        with self.lock:
            for f in self.failures:
                if f.method in (None, method) and f.channel in (None, channel) and f.times > 0:
                    f.times -= 1
                    if f.times == 0:
                        self.failures.remove(f)
                    return f
        return None

    def _record(self, call: Call) -> None:
        with self.cond:
            self.calls.append(call)
            self.cond.notify_all()

    def handle(
        self, method: str, params: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, dict[str, str], str]:
        """(status, headers, body) for one Web API call."""
        call = Call(method, params, headers, at=self.now())
        raw_channel = params.get("channel") if params.get("channel") is not None else params.get("channel_id")
        channel = str(raw_channel) if raw_channel is not None else None
        failure = self._take_failure(method, channel)
        if failure is not None and failure.delay:
            time.sleep(failure.delay)  # the fake is slow; the test itself never sleeps
        if failure is not None and failure.lost:
            with self.lock:
                fn = getattr(self, "_api_" + method.replace(".", "_"), None)
                call.answer = fn(params) if fn is not None else {"ok": False, "error": "unknown_method"}
            call.status = LOST
            self._record(call)
            return LOST, {}, ""
        if failure is not None and failure.status is not None:
            call.status = failure.status
            extra: dict[str, str] = {}
            if failure.retry_after is not None:
                extra["Retry-After"] = str(math.ceil(failure.retry_after))
            if failure.status == 200 or failure.status == 429 or failure.body is None:
                call.answer = {
                    "ok": False,
                    "error": failure.error or ("ratelimited" if failure.status == 429 else "internal_error"),
                }
                self._record(call)
                return failure.status, {"Content-Type": "application/json", **extra}, json.dumps(call.answer)
            self._record(call)
            return failure.status, {"Content-Type": "text/html", **extra}, failure.body
        if not self._authorised(params, headers):
            call.answer = {"ok": False, "error": "invalid_auth"}
            self._record(call)
            return 200, {"Content-Type": "application/json"}, json.dumps(call.answer)
        limited = self._rate_limited(method, channel)
        if limited is not None:
            call.status = 429
            call.answer = {"ok": False, "error": "ratelimited"}
            self._record(call)
            return (
                429,
                {"Content-Type": "application/json", "Retry-After": str(limited)},
                json.dumps(call.answer),
            )
        with self.lock:
            fn = getattr(self, "_api_" + method.replace(".", "_"), None)
            answer = fn(params) if fn is not None else {"ok": False, "error": "unknown_method"}
        call.answer = answer
        self._record(call)
        return 200, {"Content-Type": "application/json"}, json.dumps(answer)

    def _authorised(self, params: dict[str, Any], headers: dict[str, str]) -> bool:
        auth = headers.get("authorization", "")
        token = auth[7:] if auth.lower().startswith("bearer ") else str(params.get("token") or "")
        if self.valid_tokens is not None:
            return token in self.valid_tokens
        return token.startswith(("xoxb-", "xapp-", "xoxe.xoxb-"))

    def _rate_limited(self, method: str, channel: str | None) -> int | None:
        window = self.rate_limits.get(method)
        if window is None or channel is None:
            return None
        with self.lock:
            now = self.now()
            last = self._last_post.get((method, channel))
            if last is not None and now - last < window:
                return max(1, math.ceil(window - (now - last)))
            self._last_post[(method, channel)] = now
        return None

    # ----- Block Kit checks, like Slack's ------------------------------------------------

    @staticmethod
    def _blocks_problem(blocks: Any, max_blocks: int = 50) -> str | None:
        if blocks is None:
            return None
        if not isinstance(blocks, list) or len(blocks) > max_blocks:
            return "invalid_blocks"
        for b in blocks:
            kind = b.get("type")
            if kind == "header" and len(b.get("text", {}).get("text", "")) > 150:
                return "invalid_blocks"
            if kind == "section":
                if "text" in b and not 0 < len(b["text"].get("text", "")) <= 3000:
                    return "invalid_blocks"
                fields = b.get("fields") or []
                if len(fields) > 10 or any(len(f.get("text", "")) > 2000 for f in fields):
                    return "invalid_blocks"
                if "text" not in b and not fields:
                    return "invalid_blocks"
            if kind == "actions":
                els = b.get("elements") or []
                ids = [e.get("action_id") for e in els]
                if not els or len(els) > 25 or len(set(ids)) != len(ids):
                    return "invalid_blocks"
                for e in els:
                    if len(e.get("text", {}).get("text", "")) > 75 or len(str(e.get("value", ""))) > 2000:
                        return "invalid_blocks"
        return None

    def _message_problem(self, p: dict[str, Any]) -> str | None:
        channel = p.get("channel")
        if not channel:
            return "channel_not_found"
        if channel in self.channel_errors:
            return self.channel_errors[channel]
        if channel in self.archived:
            return "is_archived"
        if channel in self.private and channel in self.not_joined:
            return "channel_not_found"  # a private channel is invisible to a non-member
        if channel in self.not_joined:
            return "not_in_channel"
        if not p.get("text") and not p.get("blocks"):
            return "no_text"
        meta = p.get("metadata")
        if meta is not None and (not isinstance(meta, dict) or not meta.get("event_type")):
            return "invalid_metadata_format"
        return self._blocks_problem(p.get("blocks"))

    def _conversation(self, channel: str) -> str:
        return "D" + channel[1:] if channel[:1] in ("U", "W") else channel

    # ----- the Web API methods -----------------------------------------------------------

    def _api_auth_test(self, p: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": f"https://{self.domain}.slack.com/",
            "team": "Surrey SCB",
            "user": "qabot",
            "team_id": self.TEAM,
            "user_id": self.BOT_USER,
            "bot_id": self.BOT_ID,
            "is_enterprise_install": False,
        }

    def _api_chat_postMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        problem = self._message_problem(p)
        if problem:
            return {"ok": False, "error": problem}
        channel = self._conversation(str(p["channel"]))
        ts = self._next_ts()
        msg: dict[str, Any] = {
            "type": "message",
            "user": self.BOT_USER,
            "bot_id": self.BOT_ID,
            "text": p.get("text") or "",
            "ts": ts,
        }
        if p.get("blocks"):
            msg["blocks"] = p["blocks"]
        if p.get("thread_ts"):
            msg["thread_ts"] = str(p["thread_ts"])
        if p.get("metadata"):
            msg["metadata"] = p["metadata"]
        self.conversations.setdefault(channel, []).append(msg)
        shown = {k: v for k, v in msg.items() if k != "metadata"}
        return {"ok": True, "channel": channel, "ts": ts, "message": shown}

    def _api_chat_postEphemeral(self, p: dict[str, Any]) -> dict[str, Any]:
        problem = self._message_problem(p)
        if problem:
            return {"ok": False, "error": problem}
        if not p.get("user"):
            return {"ok": False, "error": "user_not_in_channel"}
        return {"ok": True, "message_ts": self._next_ts()}

    def _api_chat_update(self, p: dict[str, Any]) -> dict[str, Any]:
        problem = self._message_problem(p)
        if problem:
            return {"ok": False, "error": problem}
        channel = self._conversation(str(p["channel"]))
        for m in self.conversations.get(channel, []):
            if m["ts"] == p.get("ts"):
                if m.get("user") != self.BOT_USER:
                    return {"ok": False, "error": "cant_update_message"}  # only the bot's own posts
                m["text"] = p.get("text") or m.get("text", "")
                if "blocks" in p:
                    m["blocks"] = p["blocks"]
                shown = {k: v for k, v in m.items() if k not in ("metadata", "ts")}
                return {"ok": True, "channel": channel, "ts": m["ts"], "text": m["text"], "message": shown}
        return {"ok": False, "error": "message_not_found"}

    def _api_chat_getPermalink(self, p: dict[str, Any]) -> dict[str, Any]:
        channel, ts = p.get("channel"), p.get("message_ts")
        if not channel or not ts:
            return {"ok": False, "error": "invalid_arguments"}
        if channel in self.channel_errors:
            return {"ok": False, "error": self.channel_errors[channel]}
        return {"ok": True, "channel": channel, "permalink": self.permalink(str(channel), str(ts))}

    def _shown(self, m: dict[str, Any], with_metadata: bool) -> dict[str, Any]:
        out = dict(m)
        if not with_metadata:
            out.pop("metadata", None)
        return out

    @staticmethod
    def _page(msgs: list[dict[str, Any]], p: dict[str, Any]) -> dict[str, Any]:
        """One page of Slack's cursor pagination: the cursor is an opaque offset here."""
        limit = min(int(p.get("limit") or 100), 999)
        start = int(str(p.get("cursor") or "0") or 0)
        page = msgs[start : start + limit]
        more = start + limit < len(msgs)
        return {
            "ok": True,
            "messages": page,
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _visible(self, channel: str) -> str | None:
        """The error a read of this conversation gets, if any."""
        if channel in self.channel_errors:
            return self.channel_errors[channel]
        if channel in self.private and channel in self.not_joined:
            return "channel_not_found"
        return None

    def _api_conversations_history(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = str(p.get("channel") or "")
        problem = self._visible(channel)
        if problem:
            return {"ok": False, "error": problem}
        meta = str(p.get("include_all_metadata", "")).lower() in ("1", "true")
        msgs = [m for m in self.conversations.get(channel, []) if m.get("thread_ts") in (None, m["ts"])]
        latest = p.get("latest")
        if latest:
            inclusive = str(p.get("inclusive", "")).lower() in ("1", "true")
            msgs = [m for m in msgs if float(m["ts"]) < float(latest) or (inclusive and m["ts"] == latest)]
        oldest = p.get("oldest")
        if oldest:
            msgs = [m for m in msgs if float(m["ts"]) > float(oldest)]
        newest_first = [self._shown(m, meta) for m in reversed(msgs)]
        return self._page(newest_first, p)

    def _api_conversations_replies(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = str(p.get("channel") or "")
        ts = str(p.get("ts") or "")
        problem = self._visible(channel)
        if problem:
            return {"ok": False, "error": problem}
        meta = str(p.get("include_all_metadata", "")).lower() in ("1", "true")
        msgs = self.conversations.get(channel, [])
        root = next((m for m in msgs if m["ts"] == ts), None)
        if root is None:
            return {"ok": False, "error": "thread_not_found"}
        if root.get("thread_ts") not in (None, ts):
            return self._page([self._shown(root, meta)], p)
        thread = [root] + [m for m in msgs if m.get("thread_ts") == ts and m["ts"] != ts]
        return self._page([self._shown(m, meta) for m in thread], p)

    def _channel_object(self, channel: str) -> dict[str, Any]:
        """The conversation object's fields this bot reads (docs.slack.dev conversation object)."""
        private = channel in self.private
        return {
            "id": channel,
            "name": channel.lower(),
            "is_channel": not private,
            "is_group": private,
            "is_im": False,
            "is_mpim": False,
            "is_private": private,
            "is_archived": channel in self.archived,
            "is_member": channel not in self.not_joined,
        }

    def _api_conversations_info(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = str(p.get("channel") or "")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        problem = self._visible(channel)
        if problem:
            return {"ok": False, "error": problem}
        return {"ok": True, "channel": self._channel_object(channel)}

    def _api_conversations_open(self, p: dict[str, Any]) -> dict[str, Any]:
        users = p.get("users")
        user = users[0] if isinstance(users, list) else str(users or "").split(",")[0]
        if not user:
            return {"ok": False, "error": "users_list_not_supplied"}
        return {"ok": True, "channel": {"id": self._conversation(user)}}

    def _api_conversations_join(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = str(p.get("channel") or "")
        if not channel or channel in self.channel_errors:
            return {"ok": False, "error": self.channel_errors.get(channel, "channel_not_found")}
        if channel in self.private:
            return {"ok": False, "error": "method_not_supported_for_channel_type"}
        if channel in self.archived:
            return {"ok": False, "error": "is_archived"}
        answer: dict[str, Any] = {"ok": True}
        if channel not in self.not_joined:
            answer |= {
                "warning": "already_in_channel",
                "response_metadata": {"warnings": ["already_in_channel"]},
            }
        self.not_joined.discard(channel)
        return {**answer, "channel": self._channel_object(channel)}

    def _view_problem(self, view: Any) -> str | None:
        if not isinstance(view, dict):
            return "invalid_arguments"
        title = (view.get("title") or {}).get("text", "")
        if view.get("type") == "modal" and not 0 < len(title) <= 24:
            return "invalid_arguments"
        if len(view.get("blocks") or []) > 100 or len(view.get("private_metadata") or "") > 3000:
            return "invalid_arguments"
        return None

    def _api_views_open(self, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("trigger_id"):
            return {"ok": False, "error": "invalid_trigger_id"}
        problem = self._view_problem(p.get("view"))
        if problem:
            return {"ok": False, "error": problem}
        view = dict(p["view"], id=f"V{len(self.views) + 1:08d}", trigger_id=p["trigger_id"])
        self.views.append(view)
        return {"ok": True, "view": view}

    def _api_views_update(self, p: dict[str, Any]) -> dict[str, Any]:
        problem = self._view_problem(p.get("view"))
        return {"ok": False, "error": problem} if problem else {"ok": True, "view": p["view"]}

    def _api_views_publish(self, p: dict[str, Any]) -> dict[str, Any]:
        view = p.get("view")
        problem = self._view_problem(view)
        if problem or not p.get("user_id"):
            return {"ok": False, "error": problem or "invalid_arguments"}
        self.published[str(p["user_id"])] = view  # type: ignore[assignment]
        return {"ok": True, "view": view}

    # ----- file uploads (files_upload_v2) ------------------------------------------------

    def _api_files_getUploadURLExternal(self, p: dict[str, Any]) -> dict[str, Any]:
        filename = str(p.get("filename") or "")
        try:
            length = int(p.get("length") or 0)
        except (TypeError, ValueError):
            return {"ok": False, "error": "invalid_arguments"}
        if not filename:
            return {"ok": False, "error": "invalid_arguments"}
        if length <= 0:
            return {"ok": False, "error": "missing_argument"}  # Slack's answer to length 0
        if length > self.MAX_UPLOAD_BYTES:
            return {"ok": False, "error": "file_upload_size_restricted"}
        file_id = f"F{len(self.files) + 1:010d}"
        self.files[file_id] = Upload(file_id, filename, length, alt_txt=p.get("alt_txt"))
        return {"ok": True, "upload_url": f"{self.base_url}/upload/v1/{file_id}", "file_id": file_id}

    def upload(self, file_id: str, data: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], str]:
        """POST to an upload URL: the file's bytes (raw, as slack_sdk sends them)."""
        call = Call(self.UPLOAD, {"file_id": file_id, "length": len(data)}, headers, at=self.now())
        failure = self._take_failure(self.UPLOAD, None)
        if failure is not None and failure.delay:
            time.sleep(failure.delay)
        if failure is not None and failure.status is not None:
            call.status = failure.status
            self._record(call)
            return failure.status, {"Content-Type": "text/plain"}, failure.body or "Internal Server Error"
        with self.lock:
            f = self.files.get(file_id)
            if f is None or f.completed:
                call.status = 404
                self._record(call)
                return 404, {"Content-Type": "text/plain"}, "Not Found"
            f.data = data
        call.answer = {"ok": True}
        self._record(call)
        return 200, {"Content-Type": "text/plain; charset=utf-8"}, f"OK - {len(data)}"

    def _api_files_completeUploadExternal(self, p: dict[str, Any]) -> dict[str, Any]:
        items = p.get("files")
        if isinstance(items, str):
            try:
                items = json.loads(items)
            except ValueError:
                return {"ok": False, "error": "invalid_arguments"}
        if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
            return {"ok": False, "error": "invalid_arguments"}
        channels = [c for c in str(p.get("channels") or "").split(",") if c]
        if p.get("channel_id"):
            channels.insert(0, str(p["channel_id"]))
        thread_ts = str(p["thread_ts"]) if p.get("thread_ts") else None
        if thread_ts and len(channels) != 1:
            return {"ok": False, "error": "invalid_arguments"}  # a thread belongs to one channel
        for c in channels:
            if c in self.channel_errors:
                return {"ok": False, "error": self.channel_errors[c]}
            if c in self.not_joined:
                return {"ok": False, "error": "not_in_channel"}
        found: list[Upload] = []
        for item in items:
            f = self.files.get(str(item.get("id") or ""))
            if f is None or f.data is None or f.completed:  # unknown, never uploaded, or done already
                return {"ok": False, "error": "file_not_found"}
            found.append(f)
        comment = str(p["initial_comment"]) if p.get("initial_comment") else None
        shown = []
        for f, item in zip(found, items, strict=True):
            f.title = str(item.get("title") or f.filename)
            f.channel = self._conversation(channels[0]) if channels else None
            f.thread_ts, f.initial_comment, f.completed = thread_ts, comment, True
            shown.append({"id": f.file_id, "name": f.filename, "title": f.title, "size": len(f.data or b"")})
        for c in channels:  # the share: a message from the bot carrying the files
            msg: dict[str, Any] = {
                "type": "message",
                "user": self.BOT_USER,
                "text": comment or "",
                "ts": self._next_ts(),
                "files": shown,
                "upload": True,
            }
            if thread_ts:
                msg["thread_ts"] = thread_ts
            self.conversations.setdefault(self._conversation(c), []).append(msg)
        return {"ok": True, "files": [{"id": f["id"], "title": f["title"]} for f in shown]}

    def _api_apps_connections_open(self, p: dict[str, Any]) -> dict[str, Any]:
        """Socket Mode: a WebSocket URL (tests/fakes/slack_socket.py). The app-level token is
        in the Authorization header, recorded with the call."""
        if self.socket_url is None:
            return {"ok": False, "error": "internal_error"}  # this test started no Socket Mode server
        return {"ok": True, "url": self.socket_url}

    def _api_users_info(self, p: dict[str, Any]) -> dict[str, Any]:
        user = str(p.get("user") or "")
        return {"ok": True, "user": {"id": user, "name": user.lower(), "is_bot": False}}


class _Handler(BaseHTTPRequestHandler):
    slack: FakeSlack
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _params(self) -> dict[str, Any]:
        url = urlparse(self.path)
        params: dict[str, Any] = {k: v[0] for k, v in parse_qs(url.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        ctype = self.headers.get("Content-Type", "")
        if raw and "json" in ctype:
            params.update(json.loads(raw.decode("utf-8")))
        elif raw:
            for k, v in parse_qs(raw.decode("utf-8")).items():
                params[k] = v[0]
            for k in JSON_FIELDS:
                if isinstance(params.get(k), str) and params[k][:1] in ("[", "{"):
                    params[k] = json.loads(params[k])
        return params

    def _answer(self, status: int, headers: dict[str, str], body: str) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _serve(self) -> None:
        self.slack.wait_to_answer()
        path = urlparse(self.path).path
        headers = {k.lower(): v for k, v in self.headers.items()}
        if path.startswith("/files-pri/"):
            status, answer_headers, raw = self.slack.download(path, headers)
            self.send_response(status)
            for k, v in answer_headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)
            return
        if path.startswith("/upload/v1/"):
            length = int(self.headers.get("Content-Length") or 0)
            data = self.rfile.read(length) if length else b""
            self._answer(*self.slack.upload(path[len("/upload/v1/") :], data, headers))
            return
        params = self._params()
        if path.startswith("/api/"):
            status, answer_headers, body = self.slack.handle(path[5:], params, headers)
            if status == LOST:
                self.close_connection = True  # nothing is written: the client sees the line drop
                return
            self._answer(status, answer_headers, body)
        elif path.startswith("/response/"):
            name = path[len("/response/") :]
            with self.slack.cond:
                self.slack.responses.append((name, params))
                self.slack.cond.notify_all()
            self._answer(200, {"Content-Type": "text/plain"}, "ok")
        else:
            self._answer(404, {"Content-Type": "text/plain"}, "not found")

    do_GET = _serve
    do_POST = _serve
