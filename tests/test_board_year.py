"""A year of one partnership's board file (Northshire and Dale, twenty agencies, not Surrey's):
renames, a moved meeting, a leaver with open actions, a closed agency, re-imports and a dry run.
Every edit updates in place and nothing is duplicated. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.boards import import_file_report
from bot.core import BotCore
from bot.outbox import Dispatcher
from bot.services import board_services
from bot.tick import run_tick
from commands.clock import FixedClock
from commands.errors import ConfigError
from commands.types import Inbound, Reply
from store.models import Action, Agency, AuditEvent, Meeting, Member, OutboxMessage, S11Return
from tests.conftest import FIXTURES, LONDON
from tests.section11.conftest import RecordingSender

NORTHSHIRE = (FIXTURES / "northshire.yaml").read_text()
PROBATION = "Probation Service - Northshire"
RENAMED = "Probation Service (Northshire and Dale)"


def _rows(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions() as s:
        return {
            t.__name__: s.scalar(select(func.count()).select_from(t)) or 0 for t in (Agency, Member, Meeting)
        }


def _say(sessions: sessionmaker[Session], clock: FixedClock) -> tuple[BotCore, Callable[[str, str], Reply]]:
    core = BotCore(sessions=sessions, clock=clock, platforms=("console",), services=board_services())

    def say(handle: str, line: str) -> Reply:
        return core.handle(Inbound(platform="console", user_id=handle, text=line))

    return core, say


def test_a_year_of_edits_updates_in_place(
    sessions: sessionmaker[Session], clock: FixedClock, tmp_path: Path
) -> None:
    path = tmp_path / "board.yaml"
    path.write_text(NORTHSHIRE)
    first = import_file_report(sessions, clock, path)
    assert len(first.created) == 1 + 20 + 24 + 4 and not first.deactivated
    loaded = _rows(sessions)
    assert loaded == {"Agency": 20, "Member": 24, "Meeting": 4}
    with sessions() as s:  # the UK date in the file is 14 Jan 2027 at 10:00 London time
        first_meeting = s.scalars(select(Meeting).order_by(Meeting.starts_at)).first()
        assert first_meeting is not None
        assert first_meeting.starts_at == datetime(2027, 1, 14, 10, 0, tzinfo=LONDON)
    again = import_file_report(sessions, clock, path)
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": again.unchanged}

    _, say = _say(sessions, clock)
    for line in (
        "/action add Refresh the probation information-sharing protocol @prb due 12/03/2027",
        "/action add Audit the MAPPA referral pathway @prb due 30/04/2027",
    ):
        assert say("qao", line).ok

    # Spring: probation renamed (same channel and lead: certain), the panel moves a day, Dev
    # Mistry leaves, the youth clubs close, and ids are added to two entries.
    clock.set(datetime(2027, 3, 1, 9, 0, tzinfo=LONDON))
    edited = (
        NORTHSHIRE.replace(f"agency: {PROBATION}", f"agency: {RENAMED}")
        .replace(f"{{name: {PROBATION},", f"{{id: probation, name: {RENAMED},")
        .replace('starts: "16/06/2027 13:30"', 'starts: "17/06/2027 13:30"')
        .replace("lead: prb, substitute: prb2", "lead: prb2")
        .replace("{name: Northshire Youth Clubs,", "{name: Northshire Youth Clubs, active: false,")
    )
    edited = "\n".join(line for line in edited.splitlines() if "handle: prb," not in line) + "\n"
    path.write_text(edited)
    before = _rows(sessions)
    plan = import_file_report(sessions, clock, path, dry_run=True)
    assert _rows(sessions) == before
    with sessions() as s:  # the dry run changed nothing
        assert s.scalar(select(Agency).where(Agency.name == PROBATION)) is not None
        assert s.scalar(select(Member).where(Member.handle == "prb")).active  # type: ignore[union-attr]
    lines = "\n".join(plan.lines(dry_run=True))
    assert f"would be renamed: agency {RENAMED} (name {PROBATION} → {RENAMED})" in lines
    assert "would be deactivated: member @prb (Dev Mistry)" in lines
    assert "would be deactivated: agency Northshire Youth Clubs" in lines
    assert "@prb leaves with 2 open action(s)" in lines and "/action reassign-all @prb @<new owner>" in lines
    assert "Dry run: nothing was changed." in lines

    done = import_file_report(sessions, clock, path)
    assert len(done.renamed) == 2
    assert done.renamed[0].startswith(f"agency {RENAMED} (name {PROBATION} → {RENAMED}")
    assert done.renamed[1] == (
        "meeting Section 11 scrutiny panel 17/06/2027 13:30 (moved from 16/06/2027 13:30 to 17/06/2027 13:30)"
    )
    assert len(done.deactivated) == 2 and not done.created
    assert _rows(sessions) == {"Agency": 20, "Member": 24, "Meeting": 4}  # nothing duplicated
    with sessions() as s:
        probation = s.scalar(select(Agency).where(Agency.name == RENAMED))
        assert probation is not None and probation.file_key == "probation" and probation.active
        panels = list(s.scalars(select(Meeting).where(Meeting.kind == "s11_panel")))
        assert [p.starts_at for p in panels] == [datetime(2027, 6, 17, 13, 30, tzinfo=LONDON)]
        leaver = s.scalar(select(Member).where(Member.handle == "prb"))
        assert leaver is not None and not leaver.active
        assert s.scalar(select(Agency).where(Agency.name == "Northshire Youth Clubs")).active is False  # type: ignore[union-attr]
        verbs = {e.verb for e in s.scalars(select(AuditEvent).where(AuditEvent.entity_id == leaver.id))}
        assert "deactivated from file" in verbs

    # Re-importing twice changes nothing.
    for _ in range(2):
        same = import_file_report(sessions, clock, path)
        assert same.counts() == {"created": 0, "updated": 0, "unchanged": same.unchanged}
        assert not same.renamed and not same.deactivated

    # The leaver has no access; the QA officer hands their actions on in one go.
    assert not say("prb", "/action list").ok
    refused = say("prb2", "/action reassign-all @prb @prb2")
    assert not refused.ok
    to_leaver = say("qao", "/action reassign-all @prb2 @prb")
    assert not to_leaver.ok and "no longer active" in to_leaver.text()
    moved = say("qao", "/action reassign-all @prb @prb2")
    assert moved.ok and moved.title == "Moved 2 open action(s) from @prb to @prb2"
    with sessions() as s:
        prb2 = s.scalar(select(Member).where(Member.handle == "prb2"))
        assert prb2 is not None
        assert {a.owner_id for a in s.scalars(select(Action))} == {prb2.id}
        events = list(s.scalars(select(AuditEvent).where(AuditEvent.verb == "reassigned")))
        assert len(events) == 2 and all(e.before and e.before["owner"] == "prb" for e in events)
        assert all(e.after and e.after["owner"] == "prb2" for e in events)
        told = list(s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "action_handover")))
        assert len(told) == 1 and told[0].channel == "@prb2"  # the console addresses people by handle
        assert told[0].payload["title"] == "2 action(s) of @prb are now yours"

    # Section 11: one return per active statutory agency (the renamed one once, not twice).
    launched = say("qao", "/s11 launch 2027 deadline 04/05/2027")
    assert launched.ok, launched.text()
    with sessions() as s:
        returns = list(s.scalars(select(S11Return)))
        agencies = [s.get_one(Agency, r.agency_id).name for r in returns]
    assert len(agencies) == 14 and agencies.count(RENAMED) == 1 and PROBATION not in agencies

    # April: British Transport Police North leaves the file mid-cycle. The import says its
    # reminders stop; the next reminder round goes to the thirteen others only.
    btp = "British Transport Police North"
    path.write_text("".join(line for line in path.read_text().splitlines(True) if btp not in line))
    clock.set(datetime(2027, 4, 12, 9, 0, tzinfo=LONDON))
    left = import_file_report(sessions, clock, path)
    assert [d.split(":")[0] for d in left.deactivated] == ["member @btp (Nye Bowen)", f"agency {btp}"]
    assert any(
        f"{btp} has an open return in the 2027 Section 11 cycle: its reminders stop" in n for n in left.notes
    )
    clock.set(datetime(2027, 4, 13, 9, 0, tzinfo=LONDON))
    run_tick(sessions, clock, Dispatcher(sessions, {"console": RecordingSender(clock)}, clock), ("console",))
    with sessions() as s:
        reminded = {
            m.channel for m in s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "s11_reminder"))
        }
    assert len(reminded) == 13 and f"#{btp}" not in reminded


def test_an_unsure_rename_is_asked_not_guessed(
    sessions: sessionmaker[Session], clock: FixedClock, tmp_path: Path
) -> None:
    path = tmp_path / "board.yaml"
    path.write_text(NORTHSHIRE)
    import_file_report(sessions, clock, path)
    # A new name, a new channel and a new lead: nothing says it is the same agency.
    path.write_text(
        NORTHSHIRE.replace("Dale Faith Network", "Northshire Faiths Together").replace(
            "lead: fth, channel: {slack: C0NFTHCH01}", "lead: bm, channel: {slack: C0NFAITH02}"
        )
    )
    with pytest.raises(ConfigError) as asked:
        import_file_report(sessions, clock, path, dry_run=True)
    said = str(asked.value)
    assert '"Northshire Faiths Together" is new' in said and '"Dale Faith Network"' in said
    assert "add `id: dale-faith-network`" in said and "active: false" in said
    # Following the advice: the id names the stored agency, which is renamed.
    path.write_text(
        path.read_text().replace(
            "{name: Northshire Faiths Together,", "{id: dale-faith-network, name: Northshire Faiths Together,"
        )
    )
    report = import_file_report(sessions, clock, path)
    assert [r.split(" (")[0] for r in report.renamed] == ["agency Northshire Faiths Together"]
    assert _rows(sessions)["Agency"] == 20


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ('reminder_time: "08:45"', 'line 4: section11.reminder_time: "29:99" is not a time: write HH:MM'),
        ("escalate_after_days: 5", "section11.escalate_after_days: -3 is not a number of days"),
        ("reminder_days: [21, 7, 1, 0]", "section11.reminder_days: -7, 400 are not a number of days"),
        (
            "slack: U0NBMEM001",
            'line 8: members.2.slack: "bm01" is not a Slack user id: it starts with U or W',
        ),
        ("channel: {slack: C0NPCLCH01}", '"#police" is not a Slack channel id: it starts with C or G'),
        ('starts: "2027-03-11T10:00"', "meetings.1.starts"),
    ],
)
def test_values_are_refused_with_their_line_in_words(change: str, says: str) -> None:
    from commands.board_file import parse_board_file

    bad = {
        'reminder_time: "08:45"': 'reminder_time: "29:99"',
        "escalate_after_days: 5": "escalate_after_days: -3",
        "reminder_days: [21, 7, 1, 0]": "reminder_days: [-7, 400]",
        "slack: U0NBMEM001": "slack: bm01",
        "channel: {slack: C0NPCLCH01}": 'channel: {slack: "#police"}',
        'starts: "2027-03-11T10:00"': 'starts: "31/02/2027 10:00"',
    }[change]
    with pytest.raises(ConfigError) as e:
        parse_board_file(NORTHSHIRE.replace(change, bad, 1), name="board.yaml")
    assert says in str(e.value)
    assert "pattern" not in str(e.value)  # shapes are said in words, not as a regex


def test_a_missing_file_is_one_line(
    sessions: sessionmaker[Session], clock: FixedClock, tmp_path: Path
) -> None:
    with pytest.raises(ConfigError) as e:
        import_file_report(sessions, clock, tmp_path / "nowhere.yaml")
    assert (
        str(e.value)
        == f"{tmp_path / 'nowhere.yaml'}: no such file (give the path of your board file, e.g. board.yaml)"
    )


def test_the_cli_plans_with_dry_run_and_says_a_missing_file_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    for name in [
        k for k in __import__("os").environ if k.startswith(("SLACK_", "TEAMS_", "SHAREPOINT_", "AZURE_"))
    ]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("QABOT_DATABASE_URL", f"sqlite:///{tmp_path / 'qabot.db'}")
    path = tmp_path / "board.yaml"
    path.write_text(NORTHSHIRE)
    assert main(["import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Plan for {path}: 49 created, 0 updated, 0 renamed, 0 deactivated, 0 unchanged.")
    assert (
        "would be created: agency Probation Service - Northshire" in out
        and "Dry run: nothing was changed." in out
    )
    assert main(["import", str(path)]) == 0
    assert capsys.readouterr().out.startswith(f"Imported {path}: 49 created,")

    assert main(["import", str(tmp_path / "nowhere.yaml")]) == 2
    err = capsys.readouterr().err
    assert (
        err.strip()
        == f"{tmp_path / 'nowhere.yaml'}: no such file (give the path of your board file, e.g. board.yaml)"
    )


def test_a_held_meeting_never_moves_and_an_unclear_move_is_asked(
    sessions: sessionmaker[Session], clock: FixedClock, tmp_path: Path
) -> None:
    path = tmp_path / "board.yaml"
    path.write_text(NORTHSHIRE)
    import_file_report(sessions, clock, path)
    # After the 14 Jan meeting was held, the file drops it and adds one on 21 Jan: a new meeting.
    clock.set(datetime(2027, 1, 15, 9, 0, tzinfo=LONDON))
    path.write_text(NORTHSHIRE.replace('starts: "14/01/2027 10:00"', 'starts: "21/01/2027 10:00"'))
    report = import_file_report(sessions, clock, path)
    assert report.created == ["meeting QA sub-group 21/01/2027 10:00"] and not report.renamed
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Meeting).where(Meeting.kind == "subgroup")) == 3

    # The March meeting gone and two new ones a few days either side: which one is it?
    two = path.read_text().replace(
        '  - {title: QA sub-group, kind: subgroup, starts: "2027-03-11T10:00", channel: {slack: C0NQAE001}}\n',
        '  - {title: QA sub-group, kind: subgroup, starts: "2027-03-09T10:00"}\n'
        '  - {title: QA sub-group, kind: subgroup, starts: "2027-03-16T10:00"}\n',
    )
    assert two != path.read_text()
    path.write_text(two)
    with pytest.raises(ConfigError) as asked:
        import_file_report(sessions, clock, path)
    assert "I cannot tell which meeting moved" in str(asked.value) and "11/03/2027 10:00" in str(asked.value)
    assert _rows(sessions)["Meeting"] == 5  # nothing was written


def test_an_id_that_could_identify_a_child_is_refused() -> None:
    from commands.board_file import parse_board_file

    text = NORTHSHIRE.replace(
        "{name: Dale Faith Network", "{id: jsmith-dob-01-02-2015, name: Dale Faith Network"
    )
    with pytest.raises(ConfigError) as e:
        parse_board_file(text, name="board.yaml")
    assert "a board file id looks like it could identify a child or family — a date of birth" in str(e.value)
