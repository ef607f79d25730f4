"""`qabot export` holds every action and finding of a seeded board; `qabot purge` previews
unless told --yes, removes exactly what the retention rule says (never escalated findings,
items under legal hold, or anything younger than the board's minimum retention), and writes
the cut-off and the counts, never the removed text, to the audit log."""

from __future__ import annotations

import csv
import json
import stat
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.core import BotCore
from commands import retention
from commands.clock import FixedClock
from commands.context import Scope
from commands.types import Inbound, Reply
from store.db import make_engine, session_factory, transaction
from store.models import (
    Action,
    AuditEvent,
    Base,
    Board,
    Document,
    DocumentLink,
    Finding,
    ProcessedDelivery,
)
from tests.conftest import LONDON, Say
from tests.hardening.conftest import table_counts


@pytest.fixture
def cli_env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The CLI pointed at this test's database, with no .env or platform settings around."""
    monkeypatch.chdir(tmp_path)
    for var in (
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "TEAMS_ALLOW_ANONYMOUS",
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID",
        "SHAREPOINT_SITE",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("QABOT_DATABASE_URL", db_url)
    return db_url


ODD_TEXTS = [
    "Review 'MASH' audit, part 1; then report",  # quotes, comma, semicolon
    "=HYPERLINK('https://evil.example','click')",  # a spreadsheet formula
    "Café — Rössler team 😀 follow-up",  # non-ASCII
    "-1 referrals outstanding",
]


def test_export_of_a_seeded_board_holds_every_action_and_finding(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["seed", "--demo"]) == 0
    engine = make_engine(cli_env)
    sessions = session_factory(engine)
    clock = FixedClock(datetime(2026, 11, 26, 10, 0, tzinfo=LONDON))
    core = BotCore(sessions=sessions, clock=clock)

    def say(who: str, line: str) -> Reply:
        return core.handle(Inbound(platform="console", user_id=who, text=line))

    for i, text in enumerate(ODD_TEXTS):
        assert say("qa", f'/action add "{text}" @pol due {10 + i}/03/2027 #cp').ok
    assert say("qa", "/action add Chase the neglect audit returns @health due end of March").ok
    assert say("qa", "/action done A-2 done and reported").ok
    assert say(
        "ic", "/finding add Strategy meetings not always multi-agency agency Surrey Police rag amber"
    ).ok
    assert say("bm", "/finding add Early help assessments late #earlyhelp rag red").ok
    capsys.readouterr()

    out = tmp_path / "export"
    assert main(["export", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Exported" in printed and str(out) in printed

    with sessions() as s:
        actions = {a.id: a for a in s.scalars(select(Action))}
        findings = {f.id: f for f in s.scalars(select(Finding))}
    expected_counts = table_counts(sessions)
    assert len(actions) == 5 and len(findings) == 2

    # Every table, both formats, and the manifest's counts match the database.
    manifest = json.loads((out / "_manifest.json").read_text())
    assert manifest["tables"] == expected_counts
    assert manifest["schema_revision"]
    for table in Base.metadata.sorted_tables:
        assert (out / f"{table.name}.csv").is_file() and (out / f"{table.name}.json").is_file()
        rows = json.loads((out / f"{table.name}.json").read_text(encoding="utf-8"))
        # UTF-8 with a byte-order mark, so Excel reads accents and curly apostrophes right.
        assert (out / f"{table.name}.csv").read_bytes().startswith(b"\xef\xbb\xbf"), table.name
        with (out / f"{table.name}.csv").open(encoding="utf-8-sig", newline="") as f:
            csv_rows = list(csv.DictReader(f))
        assert len(rows) == len(csv_rows) == expected_counts[table.name], table.name
        assert list(csv_rows[0].keys()) if csv_rows else True
        # Personal data: files readable by the owner only.
        assert stat.S_IMODE((out / f"{table.name}.json").stat().st_mode) == 0o600

    exported_actions = {r["id"]: r for r in json.loads((out / "actions.json").read_text(encoding="utf-8"))}
    assert set(exported_actions) == set(actions)
    for a in actions.values():
        row = exported_actions[a.id]
        assert row["text"] == a.text and row["status"] == a.status and row["owner_id"] == a.owner_id
        assert row["due_date"] == (a.due_date.isoformat() if a.due_date else None)
    assert (
        exported_actions[2]["status"] == "done" and exported_actions[2]["closing_note"] == "done and reported"
    )
    assert {r["text"] for r in exported_actions.values()} >= set(ODD_TEXTS)

    exported_findings = {r["id"]: r for r in json.loads((out / "findings.json").read_text(encoding="utf-8"))}
    assert {i: r["text"] for i, r in exported_findings.items()} == {i: f.text for i, f in findings.items()}
    assert {r["rag"] for r in exported_findings.values()} == {"amber", "red"}

    with (out / "actions.csv").open(encoding="utf-8-sig", newline="") as f:
        csv_actions = {int(r["id"]): r for r in csv.DictReader(f)}
    assert csv_actions[1]["text"] == ODD_TEXTS[0]
    assert csv_actions[2]["text"] == "'" + ODD_TEXTS[1]  # a formula is never run by a spreadsheet
    assert csv_actions[3]["text"] == ODD_TEXTS[2]
    assert csv_actions[4]["text"] == "'" + ODD_TEXTS[3]
    # The board's members are in the export too (the subject-access part).
    members = json.loads((out / "members.json").read_text(encoding="utf-8"))
    assert {"ic", "qa", "pol", "health"} <= {m["handle"] for m in members}
    engine.dispose()


def test_export_refuses_a_directory_with_files_in_it(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "used"
    out.mkdir()
    (out / "actions.csv").write_text("old")
    with pytest.raises(SystemExit) as e:
        main(["export", "--out", str(out)])
    assert "not empty" in str(e.value)
    assert (out / "actions.csv").read_text() == "old"


# ---------------------------------------------------------------------------- purge


def _at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 10, 0, tzinfo=LONDON)


@pytest.fixture
def history(board: sessionmaker[Session], core: BotCore, clock: FixedClock, say: Say) -> dict[str, int]:
    """Items made over two years (the clock moves), returning their ids by name."""

    def add(at: datetime, line: str, who: str = "qa") -> int:
        clock.set(at)
        reply = say(who, line)
        assert reply.ok, reply.text()
        return int(str(reply.data["ref"]).split("-")[1])

    ids = {
        "old_closed": add(_at(2025, 1, 6), "/action add Old closed action @pol"),
        "old_open": add(_at(2025, 1, 7), "/action add Old open action @pol"),
        "recent_closed": add(_at(2025, 12, 1), "/action add Recently closed action @cs"),
        "new_open": add(_at(2026, 11, 1), "/action add New open action @cs"),
        "closed_later": add(_at(2025, 3, 1), "/action add Closed after the cutoff @pol"),
        "f_old_free": add(_at(2025, 1, 8), "/finding add Old finding nothing refers to", "ic"),
        "f_old_open": add(_at(2025, 1, 9), "/finding add Old finding behind an open action", "ic"),
        "f_old_closed": add(_at(2025, 1, 10), "/finding add Old finding behind an old closed action", "ic"),
        "f_old_kept": add(_at(2025, 1, 11), "/finding add Old finding behind a kept closed action", "ic"),
        "f_new": add(_at(2026, 10, 1), "/finding add New finding", "ic"),
        "f_old_escalated": add(_at(2025, 1, 12), "/finding add Early help late rag red escalate", "ic"),
        "f_old_held": add(_at(2025, 1, 13), "/finding add Old finding under legal hold", "ic"),
        "old_held": add(_at(2025, 1, 14), "/action add Old closed action under legal hold @pol"),
    }
    clock.set(_at(2025, 2, 1))
    assert say("qa", f"/action done A-{ids['old_closed']} finished").ok
    assert say("qa", f"/action cancel A-{ids['old_held']} duplicate").ok
    clock.set(_at(2025, 12, 15))
    assert say("qa", f"/action done A-{ids['recent_closed']}").ok
    clock.set(_at(2026, 2, 1))
    assert say("qa", f"/action done A-{ids['closed_later']}").ok
    assert say("qa", f"/action hold A-{ids['old_held']} requested by the rapid review").ok
    assert say("ic", f"/finding hold F-{ids['f_old_held']} subject of a complaint").ok
    clock.set(_at(2026, 11, 26))
    with transaction(board) as s:
        s.get_one(Action, ids["old_open"]).finding_id = ids["f_old_open"]
        s.get_one(Action, ids["old_closed"]).finding_id = ids["f_old_closed"]
        s.get_one(Action, ids["closed_later"]).finding_id = ids["f_old_kept"]
        doc = Document(drive_item_id="item-1", name="Audit.docx", path="/Audit.docx")
        s.add(doc)
        s.flush()
        for ttype, tid in (
            ("action", ids["old_closed"]),
            ("finding", ids["f_old_free"]),
            ("action", ids["old_open"]),
            ("finding", ids["f_new"]),
        ):
            s.add(DocumentLink(document_id=doc.id, target_type=ttype, target_id=tid))
        s.add(ProcessedDelivery(key="slack:old", received_at=_at(2025, 1, 6), reply={"lines": ["x"]}))
        s.add(ProcessedDelivery(key="slack:new", received_at=_at(2026, 11, 20), reply=None))
    return ids


def _ids(sessions: sessionmaker[Session], model: type[Action] | type[Finding]) -> set[int]:
    with sessions() as s:
        return set(s.scalars(select(model.id)))


def test_purge_removes_exactly_what_the_rule_says_and_audits_it(
    board: sessionmaker[Session], clock: FixedClock, history: dict[str, int]
) -> None:
    from datetime import date

    clock.set(_at(2032, 11, 26))  # six years on: the 2026 cut-off is old enough to purge
    before_counts = table_counts(board)
    with transaction(board) as s:
        scope = Scope(session=s, clock=clock, board=s.get_one(Board, 1))
        dry = retention.purge(scope, date(2026, 1, 1))  # a preview unless asked
    assert table_counts(board) == before_counts  # a preview changes nothing
    assert dry.action_ids == sorted([history["old_closed"], history["recent_closed"]])
    assert dry.finding_ids == sorted([history["f_old_free"], history["f_old_closed"]])
    assert dry.document_links == 2 and dry.deliveries == 1
    assert (dry.kept_escalated, dry.kept_on_hold) == (1, 2)
    assert any("Would remove" in line for line in dry.lines())

    with transaction(board) as s:
        scope = Scope(session=s, clock=clock, board=s.get_one(Board, 1))
        done = retention.purge(scope, date(2026, 1, 1), dry_run=False)
    assert done.action_ids == dry.action_ids and done.finding_ids == dry.finding_ids

    gone_a = {history["old_closed"], history["recent_closed"]}
    gone_f = {history["f_old_free"], history["f_old_closed"]}
    all_a = {history[k] for k in ("old_closed", "old_open", "recent_closed", "new_open", "closed_later")}
    all_a.add(history["old_held"])
    all_f = {history[k] for k in ("f_old_free", "f_old_open", "f_old_closed", "f_old_kept", "f_new")}
    all_f |= {history["f_old_escalated"], history["f_old_held"]}
    assert _ids(board, Action) == all_a - gone_a
    assert _ids(board, Finding) == all_f - gone_f
    with board() as s:
        links = {(link.target_type, link.target_id) for link in s.scalars(select(DocumentLink))}
        assert links == {("action", history["old_open"]), ("finding", history["f_new"])}
        assert set(s.scalars(select(ProcessedDelivery.key))) == {"slack:new"}
        # One event: the cut-off and the counts, never the removed text.
        assert list(s.scalars(select(AuditEvent).where(AuditEvent.verb == "purged"))) == []
        [summary] = s.scalars(select(AuditEvent).where(AuditEvent.entity == "retention"))
        assert summary.source == "cli:purge" and summary.actor_label == "retention purge"
        assert summary.after == {
            "before": "2026-01-01",
            "cutoff": summary.after["cutoff"] if summary.after else None,
            "min_years": 6,
            "actions": 2,
            "findings": 2,
            "document_links": 2,
            "deliveries": 1,
            "kept_escalated": 1,
            "kept_on_hold": 2,
            "copies_scrubbed": 0,  # no other copy of their words (tests/hardening/test_purge_scrub.py)
            "person_threads": 0,  # tests/hardening/test_purge_scrub.py
            "reviews": [],  # closed rapid reviews: tests/test_review_retention.py
            "review_rows": 0,
            "kept_reviews_on_hold": 0,
        }
        # The earlier history of a removed item stays (who, when, what), without its text.
        earlier = list(
            s.scalars(
                select(AuditEvent).where(
                    AuditEvent.entity == "action",
                    AuditEvent.entity_id == history["old_closed"],
                    AuditEvent.verb.in_(("created", "closed")),
                )
            )
        )
        assert len(earlier) == 2
        for e in earlier:
            assert e.after == {"redacted": "retention purge, cut-off 2026-01-01"} and not e.before
        texts = " ".join(str(e.before) + str(e.after) for e in s.scalars(select(AuditEvent)))
        assert "'Old closed action'" not in texts and "'Old finding nothing refers to'" not in texts
        assert "Old closed action under legal hold" in texts  # kept items keep their history

    # Purging again at the same date finds nothing more.
    with transaction(board) as s:
        again = retention.purge(
            Scope(session=s, clock=clock, board=s.get_one(Board, 1)), date(2026, 1, 1), dry_run=False
        )
    assert again.action_ids == [] and again.finding_ids == []


def test_purge_cli_previews_then_removes_with_yes(
    cli_env: str, board: sessionmaker[Session], history: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    before_counts = table_counts(board)
    for preview in (["--dry-run"], []):  # a preview is the default; --dry-run says so
        assert main(["purge", "--before", "2026-01-01", *preview, "--now", "2032-11-26T10:00"]) == 0
        out = capsys.readouterr().out
        assert "Would remove 2 closed action(s)" in out
        assert "Preview only: nothing was changed. Run again with --yes to remove these." in out
        assert "Kept: 1 finding(s) escalated to the Board and 2 item(s) under legal hold." in out
        assert f"A-{history['old_closed']}" in out and f"F-{history['f_old_free']}" in out
        assert table_counts(board) == before_counts

    assert main(["purge", "--before", "2026-01-01", "--yes", "--now", "2032-11-26T10:00"]) == 0
    out = capsys.readouterr().out
    assert "Removed 2 closed action(s)" in out and "Removed 2 finding(s)" in out
    assert history["old_closed"] not in _ids(board, Action)
    assert history["old_open"] in _ids(board, Action)


def test_purge_refuses_a_future_date_and_a_bad_one(
    cli_env: str, board: sessionmaker[Session], history: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    before_counts = table_counts(board)
    assert main(["purge", "--before", "2027-01-01", "--yes", "--now", "2026-11-26T10:00"]) == 2
    assert "in the future" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        main(["purge", "--before", "01/01/2026"])
    assert "YYYY-MM-DD" in str(e.value)
    assert table_counts(board) == before_counts


def test_purge_refuses_a_cut_off_inside_the_minimum_retention(
    cli_env: str, board: sessionmaker[Session], history: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's case: `qabot purge --before 2027-05-01` used to delete a RED finding
    escalated to the Board, with no prompt."""
    before_counts = table_counts(board)
    assert main(["purge", "--before", "2027-05-01", "--yes", "--now", "2027-06-01T10:00"]) == 2
    err = capsys.readouterr().err
    assert (
        "--before 2027-05-01 is less than the board's minimum retention of 6 years: "
        "the latest cut-off allowed today is 2021-06-01" in err
    )
    assert table_counts(board) == before_counts
    # Years later the escalated RED finding is still kept, whatever the cut-off.
    assert main(["purge", "--before", "2027-05-01", "--yes", "--now", "2033-06-01T10:00"]) == 0
    assert history["f_old_escalated"] in _ids(board, Finding)
    assert history["old_held"] in _ids(board, Action) and history["f_old_held"] in _ids(board, Finding)
    assert history["old_open"] in _ids(board, Action)  # open actions are never removed
    assert history["f_new"] not in _ids(board, Finding)


def test_a_board_file_can_shorten_the_minimum_retention(
    cli_env: str, board: sessionmaker[Session], history: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    with transaction(board) as s:
        b = s.get_one(Board, 1)
        b.config = {**(b.config or {}), "retention": {"min_years": 1}}
    assert main(["purge", "--before", "2026-01-01", "--now", "2027-01-02T10:00"]) == 0
    assert "Would remove 2 closed action(s)" in capsys.readouterr().out
    assert main(["purge", "--before", "2026-06-01", "--now", "2027-01-02T10:00"]) == 2
    assert "minimum retention of 1 years" in capsys.readouterr().err
