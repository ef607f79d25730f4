"""`make bench`: run every benchmark that exists and write benchmarks/RESULTS.md.

    python -m benchmarks.run_all [--quick] [--only startup,latency]

Each benchmark is run as its own process (`python -m benchmarks.<name>`), its output shown
as it runs, and its last line (one line of JSON with its figures) collected into a short
Markdown table. A benchmark that fails is reported as failed in the table; the others still run.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks._common import PYTHON, RESULT_PREFIX, ROOT, parse_result

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
# The latency run saves the web process's RSS samples; the memory benchmark reads them, so
# the load is served once, not twice.
RSS = OUT / "latency_rss.json"
# (module, arguments for a normal run, arguments for --quick)
BENCHES: list[tuple[str, list[str], list[str]]] = [
    ("startup_bench", ["--runs", "5"], ["--runs", "2"]),
    ("latency_bench", ["--rss-out", str(RSS)], ["--requests", "400", "--rss-out", str(RSS)]),
    ("memory_bench", ["--from", str(RSS)], ["--from", str(RSS), "--requests", "400"]),
    ("intake_bench", ["--requests", "600"], ["--requests", "400", "--burst", "200", "--db", "sqlite"]),
    ("fanout_bench", [], ["--agencies", "60"]),
    ("doubles_bench", [], ["--posts", "100"]),
    ("status_bench", [], []),
    ("digest_bench", [], ["--runs", "5"]),
    ("graph_sync_bench", [], []),
    ("guard_bench", [], ["--repeat", "3"]),
    ("guard_entry_bench", [], []),
    ("search_bench", [], ["--docs", "20000", "--runs", "3"]),
    ("pack_bench", [], ["--actions", "20000", "--findings", "2000", "--runs", "2"]),
]
TIMEOUT = 600
# Filling 100,000 documents of text is most of the search benchmark (minutes on a busy machine).
TIMEOUTS = {"search_bench": 1800, "intake_bench": 1200}


def last_json(output: str) -> dict[str, Any] | None:
    """The benchmark's figures: our prefixed line, or else the last line that is a JSON object."""
    found = parse_result(output)
    if found is not None:
        return found
    for line in reversed([ln.strip() for ln in output.splitlines() if ln.strip()]):
        if line.startswith("{"):
            try:
                data = json.loads(line)
            except ValueError:
                continue
            if isinstance(data, dict):
                return data
    return None


def run(module: str, args: list[str]) -> tuple[dict[str, Any] | None, float, str | None]:
    print(f"\n=== {module} {' '.join(args)}", flush=True)
    t0 = time.perf_counter()
    lines: list[str] = []
    try:
        proc = subprocess.Popen(
            [PYTHON, "-m", f"benchmarks.{module}", *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if not line.startswith(RESULT_PREFIX):
                print("  " + line, end="", flush=True)
        rc = proc.wait(timeout=TIMEOUTS.get(module, TIMEOUT))
    except subprocess.TimeoutExpired:
        proc.kill()
        return None, time.perf_counter() - t0, f"timed out after {TIMEOUTS.get(module, TIMEOUT)}s"
    elapsed = time.perf_counter() - t0
    data = last_json("".join(lines))
    if rc != 0:
        tail = "".join(lines[-3:]).strip().replace("\n", " ")[:300]
        return data, elapsed, f"exited {rc}: {tail}"
    if data is None:
        return None, elapsed, "printed no JSON result line"
    return data, elapsed, None


def _num(v: Any, unit: str = "") -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        if math.isnan(v):
            return "—"
        return f"{v:.3f}{unit}" if abs(v) < 10 else f"{v:.1f}{unit}"
    return f"{v}{unit}"


def _met(ok: Any) -> str:
    return "✅" if ok is True else ("❌" if ok is False else "—")


Row = tuple[str, str, str, str, str]  # figure, value, baseline, ratio, target (met)


def rows_for(name: str, d: dict[str, Any]) -> list[Row]:
    """Table rows for one benchmark's figures (known benchmarks get their targets)."""
    if name == "startup_bench":
        base = _num(d.get("import_all_s"), " s")
        out: list[Row] = [
            ("`python -c pass`", _num(d.get("python_pass_s"), " s"), "", "", ""),
            (
                "`qabot chat` first reply",
                _num(d.get("chat_first_reply_s"), " s"),
                base,
                _num(d.get("chat_vs_import_all"), "×"),
                f"< 0.5× {_met(d.get('chat_vs_import_all', 1) < 0.5)}",
            ),
            (
                "`qabot tick`, nothing due",
                _num(d.get("tick_idle_s"), " s"),
                base,
                _num(d.get("tick_vs_import_all"), "×"),
                f"< 0.5× {_met(d.get('tick_vs_import_all', 1) < 0.5)}",
            ),
        ]
        if "tick_idle_slack_s" in d:
            out.append(
                (
                    "`qabot tick`, Slack configured",
                    _num(d.get("tick_idle_slack_s"), " s"),
                    base,
                    _num(d.get("tick_slack_vs_import_all"), "×"),
                    f"< 0.5× {_met(d.get('tick_slack_vs_import_all', 1) < 0.5)}",
                )
            )
        return out
    if name == "latency_bench":
        return [
            (
                "`/action add` median",
                _num(d.get("qabot_median_ms"), " ms"),
                _num(d.get("bare_median_ms"), " ms"),
                _num(d.get("median_ratio"), "×"),
                "",
            ),
            (
                "`/action add` p99",
                _num(d.get("qabot_p99_ms"), " ms"),
                _num(d.get("bare_p99_ms"), " ms"),
                _num(d.get("p99_ratio"), "×"),
                f"p99 < 100 ms, ratio < 2 {_met(d.get('target_met'))}",
            ),
            (
                "slowest acknowledgement",
                _num(d.get("qabot_max_ms"), " ms"),
                _num(d.get("bare_max_ms"), " ms"),
                "",
                f"far from 3 s {_met(d.get('qabot_max_ms', 1e9) < 1000)}",
            ),
            ("requests / errors", f"{d.get('requests')} / {d.get('qabot_errors')}", "", "", ""),
        ]
    if name == "memory_bench":
        return [
            (
                "web process peak RSS",
                _num(d.get("peak_rss_mb"), " MB"),
                _num(d.get("floor_rss_mb"), " MB"),
                _num(d.get("ratio"), "×"),
                f"< 1.3× {_met(d.get('within_target'))}",
            ),
            (
                "RSS growth, 2nd half of the run",
                _num(d.get("growth_mb"), " MB"),
                "",
                "",
                f"not growing {_met(d.get('not_growing'))}",
            ),
        ]
    if name == "fanout_bench":
        return [
            (
                f"S11 launch to {d.get('agencies')} agencies",
                _num(d.get("elapsed_s"), " s (scaled)"),
                _num(d.get("minimum_s"), " s"),
                _num(d.get("ratio"), "×"),
                "",
            ),
            (
                "posts lost / sent twice",
                f"{d.get('lost')} / {d.get('duplicates')}",
                "",
                "",
                f"0 / 0 {_met(d.get('lost') == 0 and d.get('duplicates') == 0)}",
            ),
            ("429 answers seen", _num(d.get("rate_limited")), "", "", ""),
        ]
    if name == "doubles_bench":
        return doubles_rows(d)
    if name == "search_bench":
        return search_rows(d)
    if name == "intake_bench":
        return intake_rows(d)
    if name == "digest_bench":
        return digest_rows(d)
    if name == "pack_bench":
        return pack_rows(d)
    # Someone else's benchmark: show its scalar figures as they are.
    return [
        (k, _num(v), "", "", "")
        for k, v in d.items()
        if k != "bench" and isinstance(v, int | float | str | bool) and not isinstance(v, dict)
    ]


def doubles_rows(d: dict[str, Any]) -> list[Row]:
    titles = {
        "lost": "5% of answers lost",
        "ratelimited": "…and look-ups rate-limited",
        "shared": "…and agencies sharing a channel",
    }
    out: list[Row] = []
    for key, title in titles.items():
        doubles = d.get(f"{key}_doubles")
        out.append(
            (
                f"{d.get('posts')} posts, {title}: sent twice (missing)",
                f"{doubles} ({d.get(f'{key}_missing')})",
                f"{d.get(f'{key}_baseline_doubles')} (look-up alone {d.get(f'{key}_baseline_lookup_only_doubles')})",
                _num(d.get(f"{key}_ratio"), "×"),
                f"0 {_met(doubles == 0 and d.get(f'{key}_missing') == 0)}",
            )
        )
    return out


def digest_rows(d: dict[str, Any]) -> list[Row]:
    size = f"{d.get('actions', 0):,} actions, {d.get('findings', 0):,} findings, {d.get('agencies')} agencies"
    parts = " / ".join(
        _num(d.get(k), " ms") for k in ("overdue_ms", "s11_ms", "reviews_ms", "escalations_ms")
    )
    return [
        (
            f"{d.get('db')}: digest compute, {size} (`/qa status`)",
            _num(d.get("compute_ms"), " ms"),
            _num(d.get("status_ms"), " ms"),
            _num(d.get("ratio"), "×"),
            f"< 100 ms {_met(d.get('target_met'))}",
        ),
        ("overdue / Section 11 / reviews / escalations", parts, "", "", ""),
        ("`/qa digest` command", _num(d.get("digest_cmd_ms"), " ms"), "", "", ""),
    ]


def intake_rows(d: dict[str, Any]) -> list[Row]:
    out: list[Row] = []
    for db, prefix in (("sqlite", ""), ("postgresql", "pg_")):
        for level in d.get("levels", []):
            at = f"{prefix}at{level}_"
            if f"{at}median_ratio" not in d:
                continue
            bare_p99 = d.get(f"{at}bare_p99_ms", 0)
            why = "" if bare_p99 < 100 else f" (bare's own p99 is {bare_p99:.0f} ms here)"
            out += [
                (
                    f"{db}, {level} at a time: ack with the inbox INSERT, median (bare bolt)",
                    _num(d.get(f"{at}qabot_median_ms"), " ms"),
                    _num(d.get(f"{at}bare_median_ms"), " ms"),
                    _num(d.get(f"{at}median_ratio"), "×"),
                    f"< 2× {_met(d.get(f'{at}median_ratio', 1e9) < 2)}",
                ),
                (
                    f"{db}, {level} at a time: p99 (bare bolt)",
                    _num(d.get(f"{at}qabot_p99_ms"), " ms"),
                    _num(d.get(f"{at}bare_p99_ms"), " ms"),
                    _num(d.get(f"{at}p99_ratio"), "×"),
                    f"< 100 ms {_met(d.get(f'{at}qabot_p99_ms', 1e9) < 100)}{why}",
                ),
            ]
    burst = d.get("burst")
    for db in d.get("crash_dbs", ["sqlite"]):
        prefix = "pg_" if db == "postgresql" else ""
        for sig in ("sigkill", "sigterm"):
            acked, kept = d.get(f"{prefix}{sig}_acknowledged"), d.get(f"{prefix}{sig}_stored_of_acknowledged")
            once, answered = d.get(f"{prefix}{sig}_stored_once"), d.get(f"{prefix}{sig}_answered")
            out += [
                (
                    f"{db}: {sig.upper()} mid-burst: acknowledged / stored",
                    f"{acked} / {kept}",
                    "",
                    "",
                    f"equal {_met(acked == kept)}",
                ),
                (
                    f"{db}: after the restart: stored once / answered, of {burst}",
                    f"{once} / {answered}",
                    "",
                    "",
                    f"all {_met(once == burst and answered == burst)}",
                ),
            ]
    return out


def pack_rows(d: dict[str, Any]) -> list[Row]:
    out: list[Row] = []
    for db in ("sqlite", "postgresql"):
        if f"{db}_pack_ms" not in d:
            continue
        out += [
            (
                f"{db}: `/qa pack inspection`, {d.get('actions'):,} actions (`/qa status`)",
                _num(d.get(f"{db}_pack_ms"), " ms"),
                _num(d.get(f"{db}_status_ms"), " ms"),
                _num(d.get(f"{db}_pack_over_status"), "×"),
                f"< 5 s {_met(d.get(f'{db}_target_met'))}",
            ),
            (
                f"{db}: the pack's CPU time in the bot's process",
                _num(d.get(f"{db}_pack_cpu_ms"), " ms"),
                "",
                "",
                "",
            ),
            (
                f"{db}: the pack's data / its Word document",
                _num(d.get(f"{db}_pack_data_ms"), " ms") + " / " + _num(d.get(f"{db}_pack_word_ms"), " ms"),
                "",
                "",
                "",
            ),
        ]
    out.append(("load average at start", _num(d.get("load_average")), "", "", ""))
    return out


def search_rows(d: dict[str, Any]) -> list[Row]:
    out: list[Row] = []
    for db in ("sqlite", "postgresql"):
        if f"{db}_fts_p50_ms" not in d:
            continue
        out += [
            (
                f"{db}: `/docs search` p50, {d.get('docs'):,} docs (LIKE baseline)",
                _num(d.get(f"{db}_fts_p50_ms"), " ms"),
                _num(d.get(f"{db}_like_p50_ms"), " ms"),
                _num(d.get(f"{db}_like_over_fts"), "× faster"),
                f"< 50 ms {_met(d.get(f'{db}_fts_p50_ms', 1e9) < 50)}",
            ),
            (
                f"{db}: search p95 / agency lead p50",
                _num(d.get(f"{db}_fts_p95_ms"), " ms")
                + " / "
                + _num(d.get(f"{db}_fts_scoped_p50_ms"), " ms"),
                "",
                "",
                "",
            ),
            (
                f"{db}: `/docs search` command (`/action list`)",
                _num(d.get(f"{db}_docs_search_cmd_ms"), " ms"),
                _num(d.get(f"{db}_action_list_cmd_ms"), " ms"),
                _num(d.get(f"{db}_cmd_ratio"), "×"),
                f"≤ 1.2× {_met(d.get(f'{db}_cmd_ratio', 1e9) <= 1.2)}",
            ),
        ]
    out.append(("load average at start", _num(d.get("load_average")), "", "", ""))
    return out


def write_results(results: list[tuple[str, dict[str, Any] | None, float, str | None]], path: Path) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`python -m benchmarks.run_all`) on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"Python {sys.version.split()[0]}. Each ratio compares against the baseline measured in the same run. "
        "See docs/operations.md for how to read this table.",
        "",
        "| Benchmark | Figure | Value | Baseline | Ratio | Target |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, data, elapsed, error in results:
        label = name.removesuffix("_bench")
        if error is not None:
            lines.append(f"| {label} | **failed** ({elapsed:.0f} s) | {error.replace('|', '/')} | | | ❌ |")
            continue
        assert data is not None
        for i, (fig, val, base, ratio, target) in enumerate(rows_for(name, data)):
            lines.append(f"| {label if i == 0 else ''} | {fig} | {val} | {base} | {ratio} | {target} |")
    notes = [d.get("note") for _, d, _, _ in results if d and d.get("note")]
    if notes:
        lines += ["", *[f"- {n}" for n in notes]]
    lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="smaller runs (a smoke test)")
    ap.add_argument("--only", default="", help="comma-separated benchmark names, e.g. startup,latency")
    ap.add_argument("--out", default=str(HERE / "RESULTS.md"))
    args = ap.parse_args()
    only = {n.strip().removesuffix("_bench") for n in args.only.split(",") if n.strip()}
    results: list[tuple[str, dict[str, Any] | None, float, str | None]] = []
    OUT.mkdir(exist_ok=True)
    RSS.unlink(missing_ok=True)  # never read a previous run's samples
    t0 = time.perf_counter()
    for module, normal, quick in BENCHES:
        if not (HERE / f"{module}.py").exists():
            continue
        if only and module.removesuffix("_bench") not in only:
            continue
        data, elapsed, error = run(module, quick if args.quick else normal)
        results.append((module, data, elapsed, error))
    write_results(results, Path(args.out))
    print(f"\nWrote {args.out} ({len(results)} benchmarks, {time.perf_counter() - t0:.0f} s).")
    print(Path(args.out).read_text(encoding="utf-8"))
    return 1 if any(e for _, _, _, e in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
