"""The Board report: a Word document holding the summary, the actions table and a RAG chart."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main as qabot
from commands.clock import FixedClock
from store.models import S11Cycle, S11Rating, S11Return
from tests.conftest import Say, load_board
from tests.meetings.conftest import london

PNG = b"\x89PNG\r\n\x1a\n"


def images(document: docx.document.Document) -> list[bytes]:
    return [rel.target_part.blob for rel in document.part.rels.values() if "image" in rel.reltype]


def test_report_of_a_priority_panel(say: Say, board: sessionmaker[Session], clock: FixedClock) -> None:
    assert say("qa", "/qa meeting add priority 10/12/2026 10:00 #cp").ok
    say(
        "ic",
        "/finding add Strategy meetings lack Police agency Surrey Police rag amber #cp escalate meeting 10/12/2026",
    )
    say(
        "ic", "/finding add Early help plans drift agency Surrey Health rag red #earlyhelp meeting 10/12/2026"
    )
    say("qa", "/action add Attend every strategy session @pol due 15/01/2027 #cp meeting 10/12/2026")
    say("qa", "/action add Review early help plans @nhs due 01/12/2026 meeting 10/12/2026")
    say("qa", "/action add Not this meeting @cs")
    clock.set(london(2026, 12, 11, 9, 0))

    r = say("qa", "/qa report")
    assert r.ok and r.title == "Board report: Child Protection scrutiny panel"
    assert len(r.files) == 1 and r.files[0].endswith(".docx")
    path = Path(r.files[0])
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Report to the Board: Child Protection scrutiny panel" in text
    assert "F-1 · Surrey Police · Child Protection · AMBER · Strategy meetings lack Police" in text
    assert "Early Help: 1 finding (1 red) — F-2" in text
    table = document.tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["Ref", "Action", "Owner", "Agency", "Due", "Status"]
    assert rows[1:] == [
        [
            "A-1",
            "Attend every strategy session",
            "@pol (Police Lead)",
            "Surrey Police",
            "15 Jan 2027",
            "Open",
        ],
        [
            "A-2",
            "Review early help plans",
            "@nhs (Designated Nurse)",
            "Surrey Health",
            "1 Dec 2026",
            "Overdue",
        ],
    ]
    pictures = images(document)
    assert len(document.inline_shapes) == 1 and len(pictures) == 1
    assert pictures[0].startswith(PNG) and len(pictures[0]) > 2000
    assert "Findings by priority area and RAG" in text
    path.unlink()


def test_report_of_a_section_11_panel_charts_self_vs_moderated(
    say: Say, board: sessionmaker[Session], clock: FixedClock, tmp_path: Path
) -> None:
    with board() as s, s.begin():
        cycle = S11Cycle(
            year=2027,
            cohort="statutory",
            deadline=date(2027, 3, 31),
            panel_date=date(2027, 5, 20),
            status="open",
            launched_at=london(2027, 1, 4, 9, 0),
        )
        s.add(cycle)
        s.flush()
        for agency_id in (1, 2):
            ret = S11Return(cycle_id=cycle.id, agency_id=agency_id, status="submitted")
            s.add(ret)
            s.flush()
            s.add_all(
                S11Rating(
                    return_id=ret.id,
                    standard=f"{n}. Standard {n}",
                    self_rag="green",
                    moderated_rag=("amber" if n % 2 else "green"),
                )
                for n in range(1, 9)
            )
    clock.set(london(2027, 5, 21, 9, 0))
    r = say("ic", "/qa report 20/05/2027")
    document = docx.Document(r.files[0])
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Section 11 2027 (statutory): self-assessed vs moderated RAG" in text
    assert "No actions were agreed at this meeting." in text
    assert len(images(document)) == 1 and images(document)[0].startswith(PNG)
    Path(r.files[0]).unlink()


def test_refused_to_agency_leads(say: Say, board: sessionmaker[Session], clock: FixedClock) -> None:
    clock.set(london(2027, 1, 15, 9, 0))
    r = say("pol", "/qa report")
    assert r.title == "Not allowed" and r.files == []


def test_cli_writes_the_report_to_the_given_path(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from store.db import make_engine, migrate, session_factory

    engine = make_engine(sqlite_url)
    migrate(engine)
    load_board(session_factory(engine), FixedClock(london(2026, 11, 26, 10, 0)))
    engine.dispose()
    monkeypatch.setenv("QABOT_DATABASE_URL", sqlite_url)
    out = tmp_path / "board-pack" / "qae-jan.docx"
    assert qabot(["report", "--meeting", "14/01/2027", "--out", str(out), "--now", "2027-01-15T09:00"]) == 0
    assert "Wrote the Board report for QA&E sub-group, Thu 14 Jan 2027 10:00" in capsys.readouterr().out
    document = docx.Document(str(out))
    assert document.paragraphs[0].text == "Report to the Board: QA&E sub-group"
    assert len(images(document)) == 1
    assert qabot(["report", "--meeting", "15/01/2027", "--out", str(out), "--now", "2027-01-15T09:00"]) == 2
    assert "There is no meeting on 15 Jan 2027" in capsys.readouterr().err
    assert qabot(["report", "--meeting", "14/01/2027", "--out", str(tmp_path / "x.pdf")]) == 2


def test_the_report_is_written_privately_and_old_ones_are_swept(
    say: Say, board: sessionmaker[Session], clock: FixedClock
) -> None:
    import os
    import stat
    import time

    from commands import scratch

    assert say("qa", "/qa meeting add priority 10/12/2026 10:00 #cp").ok
    clock.set(london(2026, 12, 11, 9, 0))
    old_umask = os.umask(0o022)
    try:
        stale = scratch.private_dir("reports") / "board-report-old.docx"
        stale.write_bytes(b"old")
        os.utime(stale, (time.time() - 2 * scratch.KEEP_SECONDS,) * 2)
        r = say("qa", "/qa report")
    finally:
        os.umask(old_umask)
    path = Path(r.files[0])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700 and path.parent.stat().st_uid == os.getuid()
    assert not stale.exists()
    scratch.discard([str(path)])
    assert not path.exists()


def test_discard_leaves_files_outside_the_private_directories_alone(tmp_path: Path) -> None:
    from commands import scratch

    scratch.private_dir("reports")
    mine = tmp_path / "board-report.docx"  # e.g. qabot report --out board-report.docx
    mine.write_bytes(b"x")
    scratch.discard([str(mine)])
    assert mine.exists()
