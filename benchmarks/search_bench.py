"""`/docs search` on a large library: the full-text index against the LIKE query it replaced.

    python -m benchmarks.search_bench [--docs 100000] [--runs 5] [--like-runs 1] [--db sqlite,postgres]
                                      [--pg-url postgresql://…]

Fills a fresh database per engine (a SQLite file; a new database on the PostgreSQL server at
$QABOT_TEST_POSTGRES_URL, else 127.0.0.1:5432) with a board's history (status_bench's fill) and
--docs documents of about 4 KB of text each, by bulk inserts. Then, in the same run, on the same
data:
  * store search (doc_store.search) for a fixed set of queries against the LIKE query it replaced
    (name, path or text contains every word, newest first, same visibility filter): p50 and ratio;
  * the whole `/docs search` command as the chair types it against the whole `/action list`.
Targets: search p50 under 50 ms on both databases; `/docs search` within 1.2x of `/action list`.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, and_, create_engine, func, insert, or_, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from benchmarks._common import emit, percentile
from benchmarks.status_bench import NOW, fill
from bot.core import BotCore
from commands.clock import FixedClock
from commands.types import Inbound
from store import documents as doc_store
from store.db import make_engine, migrate, normalise_url, session_factory
from store.document_access import lead_of
from store.models import Document, S11Return

# What members look for: topics, a stem ("audits"), short tokens, an accent, a rare word, a quoted phrase.
# fmt: off
QUERIES = [
    ["neglect"], ["audits"], ["LAC"], ["chronology", "supervision"], ["école"], ["kestrel"],
    ["strategy"], ["domestic", "abuse"], ["domestic abuse"], ["DA", "referral"], ["missing", "episodes", "return"],
]
# fmt: on
LIKE_QUERIES = [["neglect"], ["chronology", "supervision"], ["kestrel"]]  # the old query is slow
# fmt: off
DOMAIN = [
    "neglect", "audit", "chronology", "supervision", "referral", "assessment", "threshold", "safeguarding",
    "child", "protection", "plan", "conference", "strategy", "meeting", "early", "help", "domestic", "abuse",
    "exploitation", "missing", "episodes", "return", "interview", "looked", "after", "children", "placement",
    "school", "college", "health", "police", "practitioner", "voice", "escalation", "training", "recruitment",
    "section", "standard", "evidence", "moderation", "panel", "scrutiny", "review", "case", "file", "agency",
    "partnership", "board", "learning", "improvement", "quality", "assurance", "performance", "data", "LAC",
    "DA", "CSE", "MASH", "JTAI", "CP", "CIN", "école", "élève",
]
COMMON = [
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "with", "as", "by", "be", "this", "are",
    "was", "at", "from", "it", "or", "an", "which",
]
# fmt: on
TOPICS = ["Neglect", "Early Help", "CSE", "Domestic Abuse", "Section 11", "Case file", "Training", "LAC"]
KINDS = ["audit", "strategy", "minutes", "report", "return", "tracker", "review", "toolkit", "briefing"]
TEXT_BYTES = 4000


def _vocabulary(rnd: random.Random) -> list[str]:
    """Words by frequency: English function words first, then pseudo-words for the long tail of
    a real text; the domain words among them, each in roughly 2% to 25% of the documents, the
    French ones (a school's letter) in a few hundred."""
    syllables = ["ka", "re", "mi", "to", "sa", "lo", "ven", "dor", "pra", "tic", "ul", "es", "an", "ber"]
    tail = sorted({"".join(rnd.choices(syllables, k=rnd.randint(2, 4))) for _ in range(12_000)} - set(DOMAIN))
    rnd.shuffle(tail)
    for word in DOMAIN:
        tail.insert(9000 if word in ("école", "élève") else rnd.randint(150, 4000), word)
    return COMMON + tail


def _sentences(rnd: random.Random, n: int) -> list[str]:
    vocab = _vocabulary(rnd)
    weights = [1 / (rank + 8) for rank in range(len(vocab))]  # Zipf-like: a few words are everywhere
    out = []
    for _ in range(n):
        words = rnd.choices(vocab, weights=weights, k=rnd.randint(8, 20))
        out.append(" ".join(words).capitalize() + ".")
    return out


def fill_documents(sessions: sessionmaker[Session], n_docs: int, seed: int = 11) -> int:
    """n_docs files of about 4 KB in 400 folders; 5% Section 11 evidence, 1% deleted."""
    rnd = random.Random(seed)
    pool = _sentences(rnd, 5000)
    with sessions() as s, s.begin():
        returns = list(s.scalars(select(S11Return.id)))
        folders = [
            {
                "drive_item_id": f"folder-{f}",
                "name": f"{TOPICS[f % len(TOPICS)]} {f}",
                "path": f"Library/{f}",
                "is_folder": True,
                "deleted": False,
            }
            for f in range(400)
        ]
        s.execute(insert(Document), folders)
        batch: list[dict[str, Any]] = []
        for i in range(n_docs):
            body: list[str] = []
            size = 0
            while size < TEXT_BYTES:
                sentence = rnd.choice(pool)
                body.append(sentence)
                size += len(sentence) + 1
            if i % 5000 == 0:
                body.append("The Kestrel review.")  # a rare word: 20 documents in 100,000
            f = rnd.randrange(400)
            name = f"{TOPICS[f % len(TOPICS)]} {rnd.choice(KINDS)} {2020 + i % 8} v{i % 7}.docx"
            batch.append(
                {
                    "drive_item_id": f"item-{i}",
                    "parent_item_id": f"folder-{f}",
                    "name": name,
                    "path": f"Library/{f}/{name}",
                    "is_folder": False,
                    "deleted": i % 100 == 99,
                    "modified_at": NOW - timedelta(minutes=rnd.randint(0, 2_000_000)),
                    "modified_by": "Bench Author",
                    "content_text": " ".join(body),
                    "s11_return_id": rnd.choice(returns) if returns and i % 20 == 0 else None,
                    "size": size,
                }
            )
            if len(batch) == 2000:
                s.execute(insert(Document), batch)
                batch = []
        if batch:
            s.execute(insert(Document), batch)
    return n_docs


def like_search(session: Session, words: list[str], scope_agency_id: int | None) -> tuple[list[int], int]:
    """The query /docs search ran before the index (store/documents.py before migration 0009)."""
    conds = []
    for w in words:
        pattern = "%" + w.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conds.append(
            or_(
                *(
                    func.lower(c).like(pattern, escape="\\")
                    for c in (Document.name, Document.path, Document.content_text)
                )
            )
        )
    stmt = select(Document.id).where(Document.deleted.is_(False), Document.is_folder.is_(False), and_(*conds))
    if scope_agency_id is not None:
        own = select(S11Return.id).where(S11Return.agency_id == scope_agency_id)
        stmt = stmt.where(or_(Document.s11_return_id.is_(None), Document.s11_return_id.in_(own)))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    ids = session.scalars(stmt.order_by(Document.modified_at.desc(), Document.id.desc()).limit(10))
    return list(ids), total


def timings_ms(fn: Callable[[], object], runs: int) -> list[float]:
    fn()  # warm the statement cache
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


@contextmanager
def database(kind: str, pg_url: str, tmp: Path) -> Iterator[Engine | None]:
    """A fresh, migrated database; None when the PostgreSQL server cannot be reached."""
    if kind == "sqlite":
        engine = make_engine(f"sqlite:///{tmp / 'search-bench.db'}")
        migrate(engine)
        yield engine
        engine.dispose()
        return
    admin = create_engine(
        normalise_url(pg_url), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    name = f"qabot_bench_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as e:
        print(f"PostgreSQL not reachable at {pg_url}: {type(e).__name__}: {str(e).splitlines()[0]}")
        yield None
        return
    engine = make_engine(
        make_url(normalise_url(pg_url)).set(database=name).render_as_string(hide_password=False)
    )
    try:
        migrate(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def fill_all(engine: Engine, args: argparse.Namespace) -> float:
    """Seconds to fill one database. Both are filled at once (SQLite indexes in this process,
    PostgreSQL in its server), so a 2-core machine uses both cores."""
    t0 = time.perf_counter()
    sessions = session_factory(engine)
    fill(sessions, args.actions, args.actions // 10, 60)
    fill_documents(sessions, args.docs)
    # Autovacuum would do this on a live server: the GIN index's pending list merged, statistics.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
    print(f"{engine.dialect.name}: {args.docs:,} documents of ~4 KB, {args.actions:,} actions, filled")
    return time.perf_counter() - t0


def _once_ms(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def profile_commands(runs: list[Callable[[], object]], top: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for run in runs:
        run()
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


def bench_one(engine: Engine, args: argparse.Namespace, fill_s: float) -> dict[str, Any]:
    kind = engine.dialect.name
    sessions = session_factory(engine)
    print(f"{kind} (filled in {fill_s:.0f} s):")
    lead_agency = 1
    fts: list[float] = []
    scoped: list[float] = []
    like: list[float] = []
    with sessions() as s:
        for q in QUERIES:
            found = timings_ms(lambda q=q: doc_store.search(s, q), args.runs)
            fts += found
            scoped += timings_ms(lambda q=q: doc_store.search(s, q, viewer=lead_of(lead_agency)), args.runs)
            total = doc_store.search(s, q)[1]
            print(f"  search {' '.join(q)!r:<32} {total:>6} found   p50 {statistics.median(found):7.2f} ms")
        for q in LIKE_QUERIES:  # seconds each: no warm-up run
            for _ in range(args.like_runs):
                t0 = time.perf_counter()
                _, total = like_search(s, q, None)
                like.append((time.perf_counter() - t0) * 1000)
            print(f"  LIKE   {' '.join(q)!r:<32} {total:>6} found   {like[-1]:8.1f} ms")
    core = BotCore(sessions=sessions, clock=FixedClock(NOW))

    def command(line: str) -> Callable[[], object]:
        def run() -> object:
            reply = core.handle(Inbound(platform="console", user_id="chair", text=line))
            assert reply.ok, reply.text()
            return reply

        return run

    # Alternating rounds: the shared machine's load changes by the second, so each /docs search
    # is timed next to an /action list and both see the same load.
    docs_cmd: list[float] = []
    action_list: list[float] = []
    for q in QUERIES:
        docs, actions = command("/docs search " + " ".join(f'"{w}"' if " " in w else w for w in q)), command("/action list")
        docs(), actions()  # warm, as timings_ms does
        for _ in range(args.runs):
            docs_cmd.append(_once_ms(docs))
            action_list.append(_once_ms(actions))
    if args.profile:  # where a command's time goes, outside the timed runs
        profile_commands([command(f"/docs search {' '.join(q)}") for q in QUERIES], args.profile)
    f = {
        "fts_p50_ms": round(statistics.median(fts), 2),
        "fts_p95_ms": round(percentile(fts, 95), 2),
        "fts_scoped_p50_ms": round(statistics.median(scoped), 2),
        "like_p50_ms": round(statistics.median(like), 1),
        "docs_search_cmd_ms": round(statistics.median(docs_cmd), 2),
        "action_list_cmd_ms": round(statistics.median(action_list), 2),
        "fill_s": round(fill_s, 1),
    }
    f["like_over_fts"] = round(f["like_p50_ms"] / f["fts_p50_ms"], 1)
    f["cmd_ratio"] = round(f["docs_search_cmd_ms"] / f["action_list_cmd_ms"], 3)
    f["target_met"] = f["fts_p50_ms"] < 50 and f["cmd_ratio"] <= 1.2
    print(
        f"  {kind}: search p50 {f['fts_p50_ms']} ms (p95 {f['fts_p95_ms']}, agency lead {f['fts_scoped_p50_ms']}) "
        f"vs LIKE {f['like_p50_ms']} ms = {f['like_over_fts']}x faster; /docs search {f['docs_search_cmd_ms']} ms "
        f"vs /action list {f['action_list_cmd_ms']} ms = {f['cmd_ratio']}x; target {'met' if f['target_met'] else 'NOT met'}"
    )
    return {f"{kind}_{k}": v for k, v in f.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--actions", type=int, default=5_000)
    ap.add_argument("--runs", type=int, default=5, help="timed runs of each query")
    ap.add_argument("--like-runs", type=int, default=1, help="timed runs of each LIKE query")
    ap.add_argument("--db", default="sqlite,postgres")
    ap.add_argument("--profile", type=int, default=0, metavar="TOP", help="print a cProfile of /docs search (TOP lines)")
    default_pg = os.environ.get("QABOT_TEST_POSTGRES_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
    ap.add_argument("--pg-url", default=default_pg)
    args = ap.parse_args(argv)
    figures: dict[str, Any] = {"docs": args.docs, "actions": args.actions, "runs": args.runs}
    figures["load_average"] = round(os.getloadavg()[0], 1)  # other work on the machine slows every figure
    met = True
    with tempfile.TemporaryDirectory(prefix="qabot-bench-") as tmp, ExitStack() as stack:
        engines: list[Engine] = []
        for kind in [k.strip() for k in args.db.split(",") if k.strip()]:
            engine = stack.enter_context(database(kind, args.pg_url, Path(tmp)))
            if engine is None:
                figures[f"{kind}_skipped"] = True
            else:
                engines.append(engine)
        with ThreadPoolExecutor(max_workers=2) as pool:
            fill_times = list(pool.map(lambda e: fill_all(e, args), engines))
        for engine, fill_s in zip(engines, fill_times, strict=True):
            found = bench_one(engine, args, fill_s)
            figures |= found
            met = met and bool(found[f"{engine.dialect.name}_target_met"])
    figures["target_met"] = met
    print(
        f"Target (p50 < 50 ms, /docs search within 1.2x of /action list, each database): {'met' if met else 'NOT met'}"
    )
    emit("search", figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
