"""Memory: the web process's peak RSS while serving the latency benchmark's load, against the
floor of a bare interpreter that imports the same libraries (every third-party module the
web process has loaded by the end of the run, submodules included). Target: within 1.3x of
that floor, and not growing over the run.

    python -m benchmarks.memory_bench [--requests 2000] [--from FILE]

With --from, the RSS samples saved by `latency_bench --rss-out FILE` in the same `make bench`
run are used instead of serving the load a second time.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from benchmarks._common import emit
from benchmarks._load import (
    RssSampler,
    action_add_bodies,
    fire,
    floor_rss,
    read_modules,
    rig,
    server,
    wait_answers,
)

MB = 1024 * 1024
GROWTH_ALLOWANCE_MB = 5.0


def serve_and_sample(requests: int, concurrency: int) -> tuple[list[tuple[float, int]], list[str]]:
    with rig() as r, server("qabot", r.env, r.work) as srv:
        response_url = r.fake.response_url("bench")
        fire(srv.port, action_add_bodies(50, 0, response_url), concurrency)
        with RssSampler(srv.pid) as rss:
            fire(srv.port, action_add_bodies(requests, 50, response_url), concurrency)
            wait_answers(r.fake, 50 + requests, timeout=300)
        modules = read_modules(r.work / "modules-qabot.txt", srv.pid)
        return rss.samples, modules


def figures(samples: list[tuple[float, int]], modules: list[str]) -> dict[str, Any]:
    values = [b for _, b in samples]
    half = len(values) // 2
    first, second = values[:half] or values, values[half:] or values
    peak = max(values)
    floor = floor_rss(modules)
    growth = (max(second) - max(first)) / MB
    return {
        "peak_rss_mb": round(peak / MB, 1),
        "floor_rss_mb": round(floor / MB, 1),
        "ratio": round(peak / floor, 3),
        "start_rss_mb": round(values[0] / MB, 1),
        "end_rss_mb": round(values[-1] / MB, 1),
        "growth_mb": round(growth, 1),
        "samples": len(values),
        "modules": len(modules),
        "within_target": peak / floor < 1.3,
        "not_growing": growth < GROWTH_ALLOWANCE_MB,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--from", dest="from_file", type=Path, default=None)
    args = ap.parse_args()
    if args.from_file is not None and args.from_file.exists():
        saved = json.loads(args.from_file.read_text())
        samples = [(float(t), int(b)) for t, b in saved["samples"]]
        modules = list(saved["modules"])
        source = f"samples from {args.from_file.name} (the latency benchmark's run)"
    else:
        samples, modules = serve_and_sample(args.requests, args.concurrency)
        source = f"{args.requests} /action add requests, {args.concurrency} at a time"
    f = figures(samples, modules)
    print(f"Web process RSS while serving {source}: {f['samples']} samples")
    print(f"  peak {f['peak_rss_mb']:.1f} MB (start {f['start_rss_mb']:.1f}, end {f['end_rss_mb']:.1f})")
    print(
        f"  floor: a bare interpreter importing the same {f['modules']} third-party modules: {f['floor_rss_mb']:.1f} MB"
    )
    print(f"  ratio {f['ratio']:.2f}x (target < 1.3x: {'met' if f['within_target'] else 'NOT MET'})")
    print(
        f"  growth, second half of the run over the first: {f['growth_mb']:+.1f} MB "
        f"({'not growing' if f['not_growing'] else 'GROWING'}; allowance {GROWTH_ALLOWANCE_MB:g} MB)"
    )
    emit("memory", f)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
