"""Start-up: how long a person waits on `qabot chat`, and how long `qabot tick` (run by cron
or the clock every minute) takes with nothing due, beside `python -c pass` and beside
importing every direct dependency of the project. Target: both under half of the
import-everything time.

    python -m benchmarks.startup_bench [--runs N]

Each figure is the median wall time of N fresh subprocesses (after one warm-up run), on a
seeded throw-away SQLite database. If a command is slow because a module imports a heavy SDK
at import time, `python -X importtime` finds it and the module that pulled it in is named.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import subprocess
import tempfile
from pathlib import Path

from benchmarks._common import PYTHON, QABOT, ROOT, clean_env, emit, median_time, time_cmd

# Every direct dependency of the project, as imported by the code.
DEPENDENCIES = [
    "slack_bolt",
    "slack_sdk",
    "microsoft_agents.hosting.core",
    "microsoft_agents.hosting.fastapi",
    "microsoft_agents.authentication.msal",
    "msgraph",
    "azure.identity",
    "sqlalchemy",
    "alembic",
    "apscheduler",
    "pydantic",
    "pydantic_settings",
    "dateparser",
    "holidays",
    "docx",
    "openpyxl",
    "pypdf",
    "matplotlib.pyplot",
    "fastapi",
    "uvicorn",
    "httpx",
    "aiohttp",
    "yaml",
    "prompt_toolkit",
]
# Packages that cost a noticeable fraction of a second each: the start-up path should not need them.
HEAVY = (
    "microsoft_agents",
    "msgraph",
    "msgraph_core",
    "azure",
    "matplotlib",
    "docx",
    "openpyxl",
    "pypdf",
    "slack_bolt",
    "aiohttp",
    "fastapi",
    "uvicorn",
    "msal",
    "kiota_abstractions",
    "numpy",
    "PIL",
)
PROJECT = ("bot", "commands", "integrations", "store")

_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def importtime_culprits(argv: list[str], env: dict[str, str], cwd: Path, stdin: str | None) -> list[str]:
    """Heavy packages imported on this path, each with the project module that pulled it in
    and its cumulative import time."""
    proc = subprocess.run(
        [PYTHON, "-X", "importtime", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )
    entries: list[tuple[int, int, str]] = []  # (depth, cumulative µs, module) in print order
    for line in proc.stderr.splitlines():
        m = _LINE.match(line)
        if m:
            entries.append((len(m.group(3)) // 2, int(m.group(2)), m.group(4)))
    found: dict[str, str] = {}
    for i, (depth, cum, mod) in enumerate(entries):
        top = mod.split(".")[0]
        if top not in HEAVY or top in found:
            continue
        # importtime prints a module after everything it imported: the importer is the next
        # line one level up. Walk up to the nearest module of this project.
        chain, d = [mod], depth
        for d2, _, parent in entries[i + 1 :]:
            if d2 < d:
                chain.append(parent)
                d = d2
                if parent.split(".")[0] in PROJECT:
                    break
        importer = next((c for c in chain[1:] if c.split(".")[0] in PROJECT), chain[-1])
        top_cum = max((c for dd, c, mm in entries if mm == top), default=cum)
        path = _module_file(importer)
        found[top] = f"{top} ({top_cum / 1000:.0f} ms) imported by {importer}" + (
            f" [{path}]" if path else ""
        )
    return list(found.values())


def _module_file(module: str) -> str | None:
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    try:
        return str(Path(spec.origin).relative_to(ROOT))
    except ValueError:
        return spec.origin


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    runs = max(1, args.runs)

    with tempfile.TemporaryDirectory(prefix="qabot-startup-") as tmp:
        work = Path(tmp)
        env = clean_env(QABOT_DATABASE_URL=f"sqlite:///{work / 'bench.db'}", QABOT_LOG_LEVEL="WARNING")
        time_cmd([QABOT, "seed", "--demo"], env=env, cwd=work)

        figures: dict[str, float] = {}
        figures["python_pass_s"], _ = median_time([PYTHON, "-c", "pass"], env=env, cwd=work, runs=runs)
        imports = "import " + ", ".join(DEPENDENCIES)
        figures["import_all_s"], _ = median_time([PYTHON, "-c", imports], env=env, cwd=work, runs=runs)
        figures["chat_first_reply_s"], chat_out = median_time(
            [QABOT, "chat"], env=env, cwd=work, runs=runs, stdin="/qa help\n"
        )
        if "/action" not in chat_out:
            raise RuntimeError(f"qabot chat did not answer /qa help: {chat_out[:500]}")
        figures["tick_idle_s"], tick_out = median_time([QABOT, "tick"], env=env, cwd=work, runs=runs)
        if "queued 0" not in tick_out:
            raise RuntimeError(f"qabot tick had something due on an idle board: {tick_out}")

        slack_env = None
        if (ROOT / "integrations" / "slack" / "sender.py").exists():
            # The same tick with Slack configured (the API URL is a closed loopback port: with
            # nothing due, no request is made).
            slack_env = dict(
                env,
                SLACK_BOT_TOKEN="xoxb-0000-bench",
                SLACK_SIGNING_SECRET="bench-signing-secret",
                SLACK_API_URL="http://127.0.0.1:9/api/",
            )
            figures["tick_idle_slack_s"], _ = median_time([QABOT, "tick"], env=slack_env, cwd=work, runs=runs)

        base = figures["import_all_s"]
        ratios = {
            "chat_vs_import_all": figures["chat_first_reply_s"] / base,
            "tick_vs_import_all": figures["tick_idle_s"] / base,
        }
        if "tick_idle_slack_s" in figures:
            ratios["tick_slack_vs_import_all"] = figures["tick_idle_slack_s"] / base

        culprits: dict[str, list[str]] = {
            "chat": importtime_culprits(["-m", "bot.cli", "chat"], env, work, "/qa help\n"),
            "tick": importtime_culprits(["-m", "bot.cli", "tick"], env, work, None),
        }
        if slack_env is not None:
            culprits["tick (Slack configured)"] = importtime_culprits(
                ["-m", "bot.cli", "tick"], slack_env, work, None
            )

    print(f"Start-up, median of {runs} runs (seconds)")
    print(f"  python -c pass                  {figures['python_pass_s']:.3f}")
    print(f"  import every dependency         {figures['import_all_s']:.3f}   (baseline)")
    print(
        f"  qabot chat, first reply         {figures['chat_first_reply_s']:.3f}   "
        f"{ratios['chat_vs_import_all']:.2f}x baseline"
    )
    print(
        f"  qabot tick, nothing due         {figures['tick_idle_s']:.3f}   "
        f"{ratios['tick_vs_import_all']:.2f}x baseline"
    )
    if "tick_idle_slack_s" in figures:
        print(
            f"  qabot tick, Slack configured    {figures['tick_idle_slack_s']:.3f}   "
            f"{ratios['tick_slack_vs_import_all']:.2f}x baseline"
        )
    target_met = all(r < 0.5 for r in ratios.values())
    print(f"Target: under 0.5x the import-everything time: {'met' if target_met else 'NOT MET'}")
    for path, found in culprits.items():
        if found:
            print(f"Heavy imports on the {path} path:")
            for f in found:
                print(f"  {f}")
        else:
            print(f"Heavy imports on the {path} path: none")
    emit(
        "startup",
        {
            **{k: round(v, 4) for k, v in figures.items()},
            **{k: round(v, 3) for k, v in ratios.items()},
            "target_met": target_met,
            "heavy_imports": culprits,
            "runs": runs,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
