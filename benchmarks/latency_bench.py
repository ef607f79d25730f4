"""Command latency: signed `/action add` slash commands into the real web app, against a bare
slack-bolt app that only acknowledges, same transport (FastAPI route, uvicorn on 127.0.0.1,
httpx keep-alive connections), same run.

    python -m benchmarks.latency_bench [--requests 2000] [--concurrency 16] [--rss-out FILE]

Latency is the time to Slack's acknowledgement (what Slack's 3-second limit applies to); the
bot does the work after the ack, so the benchmark also waits until the fake Slack has
received every "Logged A-…" confirmation, and reports how long that took.
Target: p99 under 100 ms, both ratios (median, p99) under 2, no acknowledgement near 3 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks._common import emit, percentile
from benchmarks._load import RssSampler, action_add_bodies, fire, read_modules, rig, server, wait_answers

WARMUP = 50


def run(requests: int, concurrency: int, rss_out: Path | None) -> dict[str, Any]:
    figures: dict[str, Any] = {"requests": requests, "concurrency": concurrency}
    with rig() as r:
        response_url = r.fake.response_url("bench")
        for kind in ("qabot", "bare"):
            with server(kind, r.env, r.work) as srv:
                fire(srv.port, action_add_bodies(WARMUP, 0, response_url), concurrency)
                bodies = action_add_bodies(requests, WARMUP, response_url)
                with RssSampler(srv.pid) as rss:
                    res = fire(srv.port, bodies, concurrency)
                    if kind == "qabot":
                        t0 = time.perf_counter()
                        answered = wait_answers(r.fake, WARMUP + requests, timeout=300) - WARMUP
                        figures["all_answered_after_s"] = round(time.perf_counter() - t0, 3)
                        figures["answered"] = answered
                lat = [x * 1000 for x in res.latencies]
                figures[f"{kind}_median_ms"] = round(statistics.median(lat), 2)
                figures[f"{kind}_p99_ms"] = round(percentile(lat, 99), 2)
                figures[f"{kind}_max_ms"] = round(max(lat), 2)
                figures[f"{kind}_errors"] = res.errors
                figures[f"{kind}_throughput_rps"] = round(len(lat) / res.wall, 1)
                if kind == "qabot" and rss_out is not None:
                    modules = read_modules(r.work / "modules-qabot.txt", srv.pid)
                    rss_out.write_text(json.dumps({"samples": rss.samples, "modules": modules}))
    figures["median_ratio"] = round(figures["qabot_median_ms"] / figures["bare_median_ms"], 3)
    figures["p99_ratio"] = round(figures["qabot_p99_ms"] / figures["bare_p99_ms"], 3)
    figures["target_met"] = bool(
        figures["qabot_p99_ms"] < 100
        and figures["median_ratio"] < 2
        and figures["p99_ratio"] < 2
        and figures["qabot_max_ms"] < 3000
        and figures["qabot_errors"] == 0
        and figures["answered"] == requests
    )
    return figures


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--rss-out", type=Path, default=None, help="save the web process's RSS samples here")
    args = ap.parse_args()
    if args.rss_out is not None:
        args.rss_out = args.rss_out.resolve()
    f = run(args.requests, args.concurrency, args.rss_out)
    print(
        f"{f['requests']} signed /action add requests, {f['concurrency']} at a time (after {WARMUP} warm-up)"
    )
    print("                      median      p99       max   errors   req/s")
    for kind, label in (("qabot", "QA Bot web app"), ("bare", "bare bolt ack")):
        print(
            f"  {label:<18} {f[kind + '_median_ms']:>7.2f} ms {f[kind + '_p99_ms']:>7.2f} ms "
            f"{f[kind + '_max_ms']:>7.1f} ms {f[kind + '_errors']:>6} {f[kind + '_throughput_rps']:>7.1f}"
        )
    print(f"  ratio (QA Bot / bare): median {f['median_ratio']:.2f}x, p99 {f['p99_ratio']:.2f}x")
    print(
        f"  every command answered in Slack: {f['answered']}/{f['requests']}, "
        f"the last {f['all_answered_after_s']:.2f} s after the last acknowledgement"
    )
    print(
        f"Target (p99 < 100 ms, ratios < 2, no ack near 3 s, all answered): "
        f"{'met' if f['target_met'] else 'NOT MET'}"
    )
    emit("latency", f)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
