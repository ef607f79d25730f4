"""A real web process (`python -m bot.web`, as the Procfile runs it: uvicorn) taking
a burst of signed Slack slash commands, stopped in the middle of it (SIGTERM, as every deploy
sends, or SIGKILL, as a crash) and started again. Shared by tests/hardening/test_intake_restart.py
and benchmarks/intake_bench.py.

The slash command bodies are Slack's documented slash-command payload (api.slack.com
"Implementing slash commands": token, team_id, team_domain, channel_id, channel_name,
user_id, user_name, command, text, api_app_id, is_enterprise_install, response_url,
trigger_id), signed with Slack's v0 HMAC scheme (benchmarks/_load.py).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, select

from benchmarks._common import PYTHON, ROOT
from benchmarks._load import action_add_bodies, rig, sign
from store.models import Action, InboxItem

TRIGGER = re.compile(r"trigger_id=([^&]+)")
MARKER = re.compile(r"referral audit sample (\d+)\b")
STARTUP_TIMEOUT = 90.0


def trigger_of(body: bytes) -> str:
    found = TRIGGER.search(body.decode())
    assert found is not None
    return found.group(1)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class WebProcess:
    proc: subprocess.Popen[bytes]
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self) -> None:
        """Until /healthz answers (the process imports, migrates and mounts first)."""
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the web process exited {self.proc.returncode} while starting")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)  # waiting for another process to listen, not moving time
        raise RuntimeError("the web process did not start listening")

    def signal(self, sig: int) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, sig)

    def wait(self, timeout: float = 60) -> int:
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


@contextmanager
def web_process(env: dict[str, str], cwd: Path) -> Iterator[WebProcess]:
    port = free_port()
    argv = [PYTHON, "-m", "bot.web", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(argv, cwd=cwd, env={**env, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL)
    web = WebProcess(proc, port)
    try:
        web.wait_ready()
        yield web
    finally:
        web.signal(signal.SIGKILL)
        web.wait()


@dataclass
class BurstResult:
    acknowledged: set[str] = field(default_factory=set)  # trigger ids answered 200
    refused: set[str] = field(default_factory=set)  # no answer, or not 200
    latencies: list[float] = field(default_factory=list)


def burst(
    url: str,
    bodies: list[bytes],
    *,
    concurrency: int = 16,
    stop_after: int | None = None,
    stop: WebProcess | None = None,
    sig: int = signal.SIGKILL,
) -> BurstResult:
    """Send every body (signed now), `concurrency` at a time. With `stop_after`, `sig` goes to
    the web process once that many have been acknowledged; the rest of the burst goes on."""
    result = BurstResult()
    lock = threading.Lock()
    queue = list(reversed(bodies))

    def worker() -> None:
        with httpx.Client(timeout=30) as client:
            while True:
                with lock:
                    if not queue:
                        return
                    body = queue.pop()
                ts = int(time.time())
                headers = {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-Slack-Request-Timestamp": str(ts),
                    "X-Slack-Signature": sign(body, ts),
                }
                t0 = time.perf_counter()
                try:
                    ok = client.post(f"{url}/slack/events", content=body, headers=headers).status_code == 200
                except httpx.HTTPError:
                    ok = False
                with lock:
                    (result.acknowledged if ok else result.refused).add(trigger_of(body))
                    if ok:
                        result.latencies.append(time.perf_counter() - t0)
                    hit = ok and stop_after is not None and len(result.acknowledged) == stop_after
                if hit and stop is not None:
                    stop.signal(sig)

    with ThreadPoolExecutor(concurrency) as pool:
        for f in [pool.submit(worker) for _ in range(concurrency)]:
            f.result()
    return result


@dataclass
class Stored:
    """What the database holds: inbox rows by trigger id, and actions by burst number."""

    inbox: Counter[str]
    actions: Counter[int]


def stored(db_url: str) -> Stored:
    engine = create_engine(db_url)
    try:
        with engine.connect() as c:
            keys = [str(k) for k in c.scalars(select(InboxItem.key))]
            texts = [str(t) for t in c.scalars(select(Action.text))]
    finally:
        engine.dispose()
    inbox = Counter(k.removeprefix("slack:command:") for k in keys if k.startswith("slack:command:"))
    actions = Counter(int(m.group(1)) for t in texts if (m := MARKER.search(t)))
    return Stored(inbox, actions)


def answered(fake: object) -> Counter[int]:
    """Burst numbers the fake Slack saw a "Logged A-…" confirmation for (with repeats)."""
    calls = fake.calls_to("chat.postMessage", ok_only=True)  # type: ignore[attr-defined]
    return Counter(
        int(m.group(1))
        for c in calls
        if "Logged A-" in str(c.params.get("text")) and (m := MARKER.search(str(c.params.get("text"))))
    )


__all__ = [
    "BurstResult",
    "WebProcess",
    "action_add_bodies",
    "answered",
    "burst",
    "rig",
    "stored",
    "web_process",
]
