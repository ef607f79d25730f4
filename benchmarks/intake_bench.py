"""The durable inbox: what storing every delivery before its acknowledgement costs, and what it
saves when the web process dies.

    python -m benchmarks.intake_bench [--requests 1000] [--concurrency 16] [--burst 400]

1. Acknowledgement latency: signed `/action add` slash commands into the real web app (one
   INSERT into the inbox before each acknowledgement) against a bare slack-bolt app that only
   acknowledges, same transport, same run. The two are measured in alternating rounds, so a
   change in the machine's load falls on both. Target: median ratio under 2, p99 under 100 ms.
2. Crash and restart: a burst of `--burst` commands into `uvicorn --factory bot.web:create_app`,
   SIGKILLed (then, separately, SIGTERMed) once a third of them are acknowledged; then started
   again, and the commands it never acknowledged sent again with the same trigger ids.
   Figures: commands acknowledged vs already stored when it died (must be equal), and after the
   restart, commands stored exactly once and answered in Slack (must be all of them).
"""

from __future__ import annotations

import argparse
import signal
import statistics
import time
from typing import Any

from benchmarks._common import emit, percentile
from benchmarks._load import action_add_bodies, fire, rig, server, wait_answers

WARMUP = 50
ROUNDS = 4


def ack_latency(requests: int, concurrency: int) -> dict[str, Any]:
    lat: dict[str, list[float]] = {"qabot": [], "bare": []}
    errors = {"qabot": 0, "bare": 0}
    with rig() as r, server("qabot", r.env, r.work) as qabot, server("bare", r.env, r.work) as bare:
        response_url = r.fake.response_url("bench")
        ports = {"qabot": qabot.port, "bare": bare.port}
        for kind in ("qabot", "bare"):
            fire(ports[kind], action_add_bodies(WARMUP, 0, response_url), concurrency)
        wait_answers(r.fake, WARMUP, timeout=300)
        per_round = max(1, requests // ROUNDS)
        sent = WARMUP
        for _ in range(ROUNDS):
            for kind in ("bare", "qabot"):
                res = fire(ports[kind], action_add_bodies(per_round, sent, response_url), concurrency)
                lat[kind] += [x * 1000 for x in res.latencies]
                errors[kind] += res.errors
                if kind == "qabot":
                    sent += per_round
                    # The next bare round starts once the bot has answered: it measures
                    # acknowledgements, not the bot's after-the-ack work.
                    wait_answers(r.fake, sent, timeout=300)
        answered = wait_answers(r.fake, sent, timeout=300) - WARMUP
    f: dict[str, Any] = {"requests": per_round * ROUNDS, "concurrency": concurrency, "answered": answered}
    for kind in ("qabot", "bare"):
        f[f"{kind}_median_ms"] = round(statistics.median(lat[kind]), 2)
        f[f"{kind}_p99_ms"] = round(percentile(lat[kind], 99), 2)
        f[f"{kind}_max_ms"] = round(max(lat[kind]), 2)
        f[f"{kind}_errors"] = errors[kind]
    f["median_ratio"] = round(f["qabot_median_ms"] / f["bare_median_ms"], 3)
    f["p99_ratio"] = round(f["qabot_p99_ms"] / f["bare_p99_ms"], 3)
    f["latency_target_met"] = bool(
        f["median_ratio"] < 2 and f["qabot_p99_ms"] < 100 and f["qabot_errors"] == 0
    )
    return f


def crash(burst_size: int, sig: int) -> dict[str, Any]:
    from tests.hardening.restart_rig import answered, burst, stored, trigger_of, web_process

    with rig() as r:
        env = {**r.env, "QABOT_INBOX_LEASE_SECONDS": "2", "QABOT_INBOX_RECOVER_SECONDS": "1"}
        db_url = env["QABOT_DATABASE_URL"]
        bodies = action_add_bodies(burst_size, 0, r.fake.response_url("burst"))
        with web_process(env, r.work) as first:
            sent = burst(first.url, bodies, stop_after=burst_size // 3, stop=first, sig=sig)
            first.wait()
        at_stop = stored(db_url)
        t0 = time.perf_counter()
        with web_process(env, r.work) as second:
            retried = [b for b in bodies if trigger_of(b) in sent.refused]
            burst(second.url, retried)
            r.fake.wait_for(lambda: set(answered(r.fake)) == set(range(burst_size)), timeout=300)
            recovered_s = time.perf_counter() - t0
        final = stored(db_url)
        shown = answered(r.fake)
    return {
        "acknowledged": len(sent.acknowledged),
        "stored_of_acknowledged": len(sent.acknowledged & set(at_stop.inbox)),
        "stored_unacknowledged": len(set(at_stop.inbox) - sent.acknowledged),
        "sent_again": len(sent.refused),
        "stored_once": sum(1 for i in range(burst_size) if final.actions[i] == 1),
        "stored_twice": sum(1 for n in final.actions.values() if n > 1),
        "answered": sum(1 for i in range(burst_size) if shown[i] >= 1),
        "answered_twice": sum(1 for n in shown.values() if n > 1),
        "all_answered_after_restart_s": round(recovered_s, 2),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--burst", type=int, default=400)
    args = ap.parse_args()
    f = ack_latency(args.requests, args.concurrency)
    print(
        f"{f['requests']} signed /action add requests, {f['concurrency']} at a time, {ROUNDS} alternating rounds"
    )
    print("                        median      p99       max   errors")
    for kind, label in (("qabot", "stored, then ack"), ("bare", "bare bolt ack")):
        print(
            f"  {label:<18} {f[kind + '_median_ms']:>7.2f} ms {f[kind + '_p99_ms']:>7.2f} ms "
            f"{f[kind + '_max_ms']:>7.1f} ms {f[kind + '_errors']:>6}"
        )
    print(f"  ratio (inbox / bare): median {f['median_ratio']:.2f}x, p99 {f['p99_ratio']:.2f}x")
    print(f"  Target (median ratio < 2, p99 < 100 ms): {'met' if f['latency_target_met'] else 'NOT MET'}")
    f["burst"] = args.burst
    for name, sig in (("sigkill", signal.SIGKILL), ("sigterm", signal.SIGTERM)):
        c = crash(args.burst, sig)
        f.update({f"{name}_{k}": v for k, v in c.items()})
        print(
            f"{name.upper()} after {c['acknowledged']} of {args.burst} acknowledged: "
            f"{c['stored_of_acknowledged']} of them stored ({c['stored_unacknowledged']} more stored "
            f"but not acknowledged); {c['sent_again']} sent again to the restarted process"
        )
        print(
            f"  after the restart: {c['stored_once']}/{args.burst} stored exactly once "
            f"({c['stored_twice']} twice), {c['answered']}/{args.burst} answered "
            f"({c['answered_twice']} answered twice), all within {c['all_answered_after_restart_s']:.1f} s"
        )
    f["crash_target_met"] = all(
        f[f"{n}_acknowledged"] == f[f"{n}_stored_of_acknowledged"]
        and f[f"{n}_stored_once"] == args.burst
        and f[f"{n}_answered"] == args.burst
        for n in ("sigkill", "sigterm")
    )
    print(
        f"Target (every acknowledged command stored; all stored once and answered): "
        f"{'met' if f['crash_target_met'] else 'NOT MET'}"
    )
    emit("intake", f)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
