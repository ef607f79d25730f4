"""Where an acknowledgement's time goes, measured inside the bench's web process
(`QABOT_BENCH_TRACE=<file>`, set by `intake_bench --trace`): for every inbox INSERT, the time
spent waiting for the database's write lock (SQLite's `BEGIN IMMEDIATE`; on PostgreSQL the
BEGIN, which takes no lock) against the time executing the INSERT and committing; and for
every other transaction (the workers' commands), how long it held the write lock. The
figures are written to the file as JSON on SIGUSR2 (`read_trace`)."""

from __future__ import annotations

import json
import os
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from benchmarks._common import percentile


def _summary(values: list[float], scale: float = 1000, unit: str = "_ms") -> dict[str, float]:
    if not values:
        return {"n": 0}
    ms = [v * scale for v in values]
    return {
        "n": len(ms),
        "median" + unit: round(statistics.median(ms), 2),
        "p90" + unit: round(percentile(ms, 90), 2),
        "p99" + unit: round(percentile(ms, 99), 2),
        "max" + unit: round(max(ms), 2),
    }


class Trace:
    def __init__(self) -> None:
        self.local = threading.local()
        self.lock = threading.Lock()
        self.accept_checkout: list[float] = []  # accept called until it has a pooled connection
        self.accept_checked_out: list[float] = []  # connections in use when an accept starts
        self.accept_cpu: list[float] = []  # the accepting thread's own CPU time
        self.accept_wait: list[float] = []  # BEGIN until the lock is held
        self.accept_run: list[float] = []  # lock held until accept returns (insert + commit)
        self.accept_total: list[float] = []
        self.worker_hold: list[float] = []  # other transactions: lock held until COMMIT
        self.dispatch: list[float] = []  # Bolt's whole dispatch (signature, ack function, response)
        self.gc_pause: dict[int, list[float]] = {0: [], 1: [], 2: []}  # collections, by generation
        self._gc_started = 0.0
        import gc

        def on_gc(phase: str, info: dict[str, int]) -> None:
            if phase == "start":
                self._gc_started = time.perf_counter()
            else:
                self.gc_pause[info["generation"]].append(time.perf_counter() - self._gc_started)

        gc.callbacks.append(on_gc)

    def install(self, engine: Engine, intake: Any, slack_app: Any) -> None:
        local = self.local

        def after_begin(conn: Any) -> None:
            local.locked_at = time.perf_counter()

        def on_commit(conn: Any) -> None:
            locked_at = getattr(local, "locked_at", None)
            if locked_at is not None and not getattr(local, "in_accept", False):
                with self.lock:
                    self.worker_hold.append(time.perf_counter() - locked_at)
            local.locked_at = None

        def on_checkout(*_: Any) -> None:
            if getattr(local, "in_accept", False) and getattr(local, "checkout_at", None) is None:
                local.checkout_at = time.perf_counter()

        event.listen(engine.pool, "checkout", on_checkout)
        event.listen(engine, "begin", after_begin)
        event.listen(engine, "commit", on_commit)
        event.listen(engine, "rollback", on_commit)

        accept: Callable[..., Any] = intake.accept

        def timed_accept(*args: Any, **kwargs: Any) -> Any:
            local.in_accept = True
            local.locked_at = local.checkout_at = None
            in_use = float(engine.pool.checkedout()) if hasattr(engine.pool, "checkedout") else 0.0
            t0, cpu0 = time.perf_counter(), time.thread_time()
            try:
                return accept(*args, **kwargs)
            finally:
                t1, cpu1 = time.perf_counter(), time.thread_time()
                local.in_accept = False
                # The BEGIN listener (store/db.py) is the engine's first: its wait is
                # measured from the moment the pooled connection is in hand.
                checkout_at = getattr(local, "checkout_at", None)
                begin_at = checkout_at or t0
                locked = getattr(local, "accept_locked_at", None)
                with self.lock:
                    self.accept_total.append(t1 - t0)
                    self.accept_cpu.append(cpu1 - cpu0)
                    self.accept_checked_out.append(in_use)
                    if checkout_at is not None:
                        self.accept_checkout.append(checkout_at - t0)
                    if locked is not None:
                        self.accept_wait.append(locked - begin_at)
                        self.accept_run.append(t1 - locked)
                local.accept_locked_at = None

        def after_begin_accept(conn: Any) -> None:
            if getattr(local, "in_accept", False):
                local.accept_locked_at = time.perf_counter()

        event.listen(engine, "begin", after_begin_accept)
        intake.accept = timed_accept

        if slack_app is not None:
            dispatch: Callable[..., Any] = slack_app.app.dispatch

            def timed_dispatch(*args: Any, **kwargs: Any) -> Any:
                t0 = time.perf_counter()
                try:
                    return dispatch(*args, **kwargs)
                finally:
                    with self.lock:
                        self.dispatch.append(time.perf_counter() - t0)

            slack_app.app.dispatch = timed_dispatch

    def write_on_signal(self, *_: object) -> None:
        self.write(Path(os.environ["QABOT_BENCH_TRACE"]))

    def write(self, path: Path) -> None:
        with self.lock:
            data = {
                "connections_in_use_at_accept": _summary(self.accept_checked_out, 1, ""),
                "accept_until_connection": _summary(self.accept_checkout),
                "accept_wait_for_lock": _summary(self.accept_wait),
                "accept_insert_and_commit": _summary(self.accept_run),
                "accept_total": _summary(self.accept_total),
                "accept_thread_cpu": _summary(self.accept_cpu),
                "worker_lock_held": _summary(self.worker_hold),
                "bolt_dispatch": _summary(self.dispatch),
                **{f"gc_gen{g}_pause": _summary(v) for g, v in self.gc_pause.items()},
            }
        path.write_text(json.dumps(data), encoding="utf-8")


def read_trace(pid: int, path: Path, timeout: float = 10.0) -> dict[str, Any]:
    """Ask the traced web process for its figures and read them."""
    import signal

    os.kill(pid, signal.SIGUSR2)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.stat().st_size:
            data: dict[str, Any] = json.loads(path.read_text())
            return data
        time.sleep(0.05)  # waiting for another process to write
    return {}
