"""Posts sent twice when the outcome is unclear (issue #12, "Nothing silent").

    python -m benchmarks.doubles_bench [--posts 200] [--seed 12]

Three scenarios of 200 outbox posts to the fake Slack, with the real slack_sdk WebClient and
the real Dispatcher, in virtual time (tests/hardening/doubles.py): 5% of chat.postMessage
answers lost (Slack keeps the post, the connection drops); the same with conversations.history
rate-limited; the same with agencies sharing 2 channels whose history grows past a page.
Each is run with today's sender and with the sender as it was (the baseline): slack_sdk
resending on 5xx and dropped connections, a one-page look-up, a failed look-up taken as "not
sent". A second baseline keeps the old look-up but without the SDK's resends, to show what the
look-up alone did. Figures: posts Slack holds twice (must be 0), posts missing (must be 0),
visible resends, parked posts, and the ratio new/old doubles. The issue measured 9, 14 and 3.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from benchmarks._common import emit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.hardening is not installed


def run(posts: int, seed: int) -> dict[str, Any]:
    from tests.hardening.doubles import SCENARIOS
    from tests.hardening.doubles import run as run_scenario

    out: dict[str, Any] = {"posts": posts}
    for scenario in SCENARIOS:
        new = run_scenario(scenario, posts=posts, seed=seed)
        old = run_scenario(scenario, legacy=True, posts=posts, seed=seed)
        old_lookup = run_scenario(scenario, legacy=True, sdk_resends=False, posts=posts, seed=seed)
        out[f"{scenario}_lost_answers"] = new.lost_answers
        out[f"{scenario}_doubles"] = new.doubles
        out[f"{scenario}_missing"] = new.missing
        out[f"{scenario}_resent_visibly"] = new.resent_visibly
        out[f"{scenario}_parked"] = new.parked
        out[f"{scenario}_lookups"] = new.lookups
        out[f"{scenario}_rate_limited_lookups"] = new.rate_limited_lookups
        out[f"{scenario}_baseline_doubles"] = old.doubles
        out[f"{scenario}_baseline_lookup_only_doubles"] = old_lookup.doubles
        out[f"{scenario}_ratio"] = round(new.doubles / old.doubles, 3) if old.doubles else 0.0
    out["doubles_total"] = sum(out[f"{s}_doubles"] for s in SCENARIOS)
    out["missing_total"] = sum(out[f"{s}_missing"] for s in SCENARIOS)
    out["note"] = (
        "doubles: 200 posts, 5% of answers lost, virtual time (benchmarks/doubles_bench.py); the "
        "baseline is the sender before issue #12 (SDK resends, one-page look-up)"
    )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--posts", type=int, default=200)
    ap.add_argument("--seed", type=int, default=12)
    args = ap.parse_args()
    f = run(args.posts, args.seed)
    for s in ("lost", "ratelimited", "shared"):
        print(
            f"{s:<12} answers lost {f[f'{s}_lost_answers']:>3}; sent twice: {f[f'{s}_doubles']} "
            f"(baseline {f[f'{s}_baseline_doubles']}, its look-up alone {f[f'{s}_baseline_lookup_only_doubles']}; "
            f"ratio {f[f'{s}_ratio']}); missing {f[f'{s}_missing']}; resent visibly "
            f"{f[f'{s}_resent_visibly']}; parked {f[f'{s}_parked']}; look-ups {f[f'{s}_lookups']} "
            f"({f[f'{s}_rate_limited_lookups']} rate-limited)"
        )
    emit("doubles", f)
    return 0 if f["doubles_total"] == 0 and f["missing_total"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
