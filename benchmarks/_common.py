"""Small helpers the benchmarks share: timing subprocesses, a throw-away seeded database,
percentiles and the final one-line JSON each benchmark prints for run_all."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
QABOT = str(Path(PYTHON).parent / "qabot")
RESULT_PREFIX = "BENCH_RESULT "


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without any platform settings (so nothing reaches the internet)."""
    drop = ("SLACK_", "CONNECTIONS__", "TEAMS_", "SHAREPOINT_", "AZURE_", "GRAPH_", "QABOT_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


def time_cmd(
    argv: Sequence[str], *, env: dict[str, str], cwd: Path, stdin: str | None = None, check: bool = True
) -> tuple[float, str]:
    """Wall time of one run of a command, and what it printed."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        list(argv), input=stdin, capture_output=True, text=True, env=env, cwd=cwd, timeout=120
    )
    elapsed = time.perf_counter() - t0
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}: {proc.stderr[-2000:]}")
    return elapsed, proc.stdout


def median_time(
    argv: Sequence[str], *, env: dict[str, str], cwd: Path, runs: int, stdin: str | None = None
) -> tuple[float, str]:
    """Median wall time over `runs` runs (after one warm-up run that fills the OS caches)."""
    _, out = time_cmd(argv, env=env, cwd=cwd, stdin=stdin)
    times = []
    for _ in range(runs):
        t, out = time_cmd(argv, env=env, cwd=cwd, stdin=stdin)
        times.append(t)
    return statistics.median(times), out


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (nearest rank), p in 0..100."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def emit(name: str, figures: dict[str, Any]) -> None:
    """The last line every benchmark prints: its figures as one line of JSON."""
    print(RESULT_PREFIX + json.dumps({"bench": name, **figures}, sort_keys=False), flush=True)


def parse_result(output: str) -> dict[str, Any] | None:
    for line in reversed(output.splitlines()):
        if line.startswith(RESULT_PREFIX):
            data: dict[str, Any] = json.loads(line[len(RESULT_PREFIX) :])
            return data
    return None
