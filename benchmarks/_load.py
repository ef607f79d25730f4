"""The load both the latency and the memory benchmarks drive: signed Slack slash commands
into a web process on loopback, a fake Slack Web API to answer to, RSS sampled as it runs."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from benchmarks._common import PYTHON, QABOT, ROOT, clean_env

SECRET = "bench-signing-secret-5f0c2e"
TOKEN = "xoxb-0000000000-bench-token"
QA_CHANNEL = "C0QAE01"
# Members of the demo board with Slack ids (every role: officers, a member, agency leads).
USERS = ["U0QAOFF1", "U0CHAIR1", "U0BMGR01", "U0POL001", "U0CSLD01", "U0HLTH01", "U0SCHL01"]
OWNERS = ["@pol", "@cs", "@health", "@schools", "@vol"]


def sign(body: bytes, timestamp: int, secret: str = SECRET) -> str:
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def slash_body(n: int, user: str, command: str, text: str, response_url: str) -> bytes:
    form = {
        "token": "verification-token-unused",
        "team_id": "T0SSCB001",
        "team_domain": "sscb",
        "channel_id": QA_CHANNEL,
        "channel_name": "qa-subgroup",
        "user_id": user,
        "user_name": user.lower(),
        "command": command,
        "text": text,
        "api_app_id": "A0QABOT01",
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": f"{10_000 + n}.738474920.{n:032x}",
    }
    return urlencode(form).encode()


def action_add_bodies(count: int, start: int, response_url: str) -> list[bytes]:
    bodies = []
    for i in range(start, start + count):
        text = f"add Review referral audit sample {i} {OWNERS[i % len(OWNERS)]} due 12/03/2027 #cp"
        bodies.append(slash_body(i, USERS[i % len(USERS)], "/action", text, response_url))
    return bodies


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)  # seconds, one per request
    errors: int = 0
    failures: list[str] = field(default_factory=list)  # what each error was (an HTTP status or exception)
    wall: float = 0.0


async def _fire(port: int, bodies: list[bytes], concurrency: int) -> LoadResult:
    import httpx

    result = LoadResult()
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for b in bodies:
        queue.put_nowait(b)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30, limits=limits) as client:

        async def worker() -> None:
            while True:
                try:
                    body = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                ts = int(time.time())
                headers = {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-Slack-Request-Timestamp": str(ts),
                    "X-Slack-Signature": sign(body, ts),
                }
                t0 = time.perf_counter()
                try:
                    resp = await client.post("/slack/events", content=body, headers=headers)
                    ok, what = resp.status_code == 200, f"HTTP {resp.status_code}"
                except httpx.HTTPError as e:
                    ok, what = False, type(e).__name__
                result.latencies.append(time.perf_counter() - t0)
                if not ok:
                    result.errors += 1
                    result.failures.append(what)

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        result.wall = time.perf_counter() - t0
    return result


def fire(port: int, bodies: list[bytes], concurrency: int) -> LoadResult:
    return asyncio.run(_fire(port, bodies, concurrency))


class RssSampler:
    """Samples a process's resident set size every `interval` seconds in a thread."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        import psutil

        self.proc = psutil.Process(pid)
        self.interval = interval
        self.samples: list[tuple[float, int]] = []  # (seconds since start, bytes)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        t0 = time.perf_counter()
        while not self._stop.is_set():
            try:
                self.samples.append((time.perf_counter() - t0, self.proc.memory_info().rss))
            except Exception:
                return
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    @property
    def peak(self) -> int:
        return max((b for _, b in self.samples), default=0)


@dataclass
class Server:
    proc: subprocess.Popen[str]
    port: int

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@contextmanager
def server(kind: str, env: dict[str, str], cwd: Path) -> Iterator[Server]:
    proc = subprocess.Popen(
        [PYTHON, "-m", "benchmarks._serve", kind],
        cwd=cwd,
        env={**env, "PYTHONPATH": str(ROOT), "QABOT_BENCH_MODULES": str(cwd / f"modules-{kind}.txt")},
        stdout=subprocess.PIPE,
        stderr=None,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("PORT "):
        proc.kill()
        raise RuntimeError(f"the {kind} web process did not start (printed {line!r})")
    srv = Server(proc, int(line.split()[1]))
    try:
        yield srv
    finally:
        srv.stop()


@dataclass
class Rig:
    """A temp directory with a seeded board, a fake Slack, and the environment to serve it."""

    work: Path
    env: dict[str, str]
    fake: Any
    db_path: Path


@contextmanager
def fresh_postgres(server_url: str) -> Iterator[str]:
    """A new, empty database on the PostgreSQL server at `server_url`, dropped afterwards."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from store.db import normalise_url

    admin = create_engine(
        normalise_url(server_url), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )
    name = f"qabot_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(normalise_url(server_url)).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def rig(postgres: str | None = None) -> Iterator[Rig]:
    """With `postgres` (a server URL), the board lives in a new database on that server;
    otherwise in a SQLite file in the temp directory."""
    from contextlib import nullcontext

    from tests.fakes.slack_api import FakeSlack

    with (
        tempfile.TemporaryDirectory(prefix="qabot-load-") as tmp,
        FakeSlack() as fake,
        fresh_postgres(postgres) if postgres else nullcontext(None) as pg_db,
    ):
        work = Path(tmp)
        db = work / "bench.db"
        env = clean_env(
            QABOT_DATABASE_URL=pg_db or f"sqlite:///{db}",
            QABOT_LOG_LEVEL="WARNING",
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=fake.api_url,
        )
        subprocess.run(
            [QABOT, "seed", "--demo"], cwd=work, env=env, check=True, capture_output=True, timeout=120
        )
        yield Rig(work, env, fake, db)


def wait_answers(fake: Any, expected: int, timeout: float) -> int:
    """How many commands the fake Slack saw answered (a public 'Logged A-…' post), waiting
    until all `expected` are or `timeout` passes."""

    def answered() -> int:
        return sum(1 for c in fake.calls_to("chat.postMessage", ok_only=True) if "Logged A-" in str(c.params))

    fake.wait_for(lambda: answered() >= expected, timeout=timeout)
    return answered()


def floor_rss(modules: list[str]) -> int:
    """RSS (bytes) of a bare interpreter that has imported the given packages, measured from
    outside once it has finished importing (so the measuring adds nothing to it)."""
    import psutil

    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    try:\n        importlib.import_module(m)\n    except Exception:\n        pass\n"
        "print('READY', flush=True)\n"
        "sys.stdin.read()\n"
    )
    proc = subprocess.Popen(
        [PYTHON, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=clean_env()
    )
    assert proc.stdout is not None and proc.stdin is not None
    try:
        if proc.stdout.readline().strip() != "READY":
            raise RuntimeError("the floor interpreter did not start")
        return int(psutil.Process(proc.pid).memory_info().rss)
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)


def read_modules(path: Path, pid: int, timeout: float = 5.0) -> list[str]:
    import signal

    os.kill(pid, signal.SIGUSR1)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.stat().st_size:
            return [m for m in path.read_text().split() if m]
        time.sleep(0.05)
    raise RuntimeError("the web process did not list its modules")
