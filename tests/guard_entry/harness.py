"""The harness the entry-point table runs on: the real core on the test board, a person's line or
a form's request sent through it, and the board state a correction needs (an action done, a
finding, a meeting, an open Section 11 cycle) set up the way a person would."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.core import BotCore
from commands.clock import FixedClock
from commands.types import Inbound, Reply
from store.db import transaction
from store.models import Agency, Meeting, OutboxMessage, S11Cycle, S11Return

REFUSED = "could identify a child or family"
S11_AGENCY = "Surrey Police"  # statutory: its cycles are "<year> statutory"


@dataclass
class Harness:
    core: BotCore
    sessions: sessionmaker[Session]
    clock: FixedClock
    tmp: Path
    serial: int = 0

    def say(self, handle: str, line: str, **kw: Any) -> Reply:
        self.serial += 1
        return self.core.handle(
            Inbound(platform="console", user_id=handle, text=line, delivery_key=f"k{self.serial}", **kw)
        )

    def form(self, request: BaseModel) -> Reply:
        """A Slack modal's or Teams card's typed request, as the QA officer."""
        self.serial += 1
        inbound = Inbound(platform="slack", user_id="U0QAOFF1", text="", delivery_key=f"f{self.serial}")
        return self.core.handle_request(inbound, request)

    def new_action(self) -> int:
        r = self.say("qa", "/action add Review the referral audit @pol")
        assert r.ok, r.lines
        return int(str(r.data["ref"]).removeprefix("A-"))

    def root(self, kind: str, subject: tuple[str, int], channel: str) -> str:
        """A bot post to reply under (as the outbox keeps a sent one); its message id."""
        with transaction(self.sessions) as s:
            self.serial += 1
            mid = f"root-{self.serial}"
            s.add(
                OutboxMessage(
                    key=f"test-root:{mid}",
                    platform="console",
                    channel=channel,
                    kind=kind,
                    subject_type=subject[0],
                    subject_id=subject[1],
                    payload={"title": "root"},
                    status="sent",
                    created_at=self.clock.now(),
                    sent_at=self.clock.now(),
                    message_id=mid,
                )
            )
        return mid

    def meeting_id(self, title: str) -> int:
        with self.sessions() as s:
            return s.scalars(select(Meeting.id).where(Meeting.title == title)).one()

    def done_action(self) -> int:
        ref = self.new_action()
        r = self.say("qa", f"/action done A-{ref}")
        assert r.ok, r.lines
        return ref

    def new_finding(self) -> int:
        r = self.say("qa", "/finding add Supervision records incomplete in the audited cases")
        assert r.ok, r.lines
        return int(str(r.data["ref"]).removeprefix("F-"))

    def new_meeting(self) -> date:
        """A meeting on a day of its own (one meeting a day), from 2028 on."""
        self.serial += 1
        day = date(2028, 1, 1) + timedelta(days=self.serial)
        # Titled, so the sub-group's own meeting stays the one called "QA&E sub-group".
        r = self.say("qa", f"/qa meeting add subgroup {day:%d/%m/%Y} 10:00 Moved or cancelled")
        assert r.ok, r.lines
        return day

    def free_day(self) -> datetime:
        """A day no meeting is on, to move one to (well after the days new_meeting takes)."""
        self.serial += 1
        return datetime(2040, 1, 1, 14, 0, tzinfo=UTC) + timedelta(days=self.serial)

    def s11_return(self, year: int = 2027) -> None:
        """The agency asked for a return in the open cycle of `year` (again, once removed)."""
        with transaction(self.sessions) as s:
            agency = s.scalars(select(Agency).where(Agency.name == S11_AGENCY)).one()
            cycle = self._cycle(s, year, agency.sector)
            mine = select(S11Return).where(S11Return.cycle_id == cycle.id, S11Return.agency_id == agency.id)
            if s.scalars(mine).first() is None:
                s.add(S11Return(cycle_id=cycle.id, agency_id=agency.id, status="not_started"))

    def open_cycle(self) -> str:
        """An open statutory cycle no test has cancelled, as `/s11 cancel` names it."""
        with transaction(self.sessions) as s:
            taken = set(s.scalars(select(S11Cycle.year)))
            year = min(y for y in range(2040, 2100) if y not in taken)
            self._cycle(s, year, "statutory")
        return f"{year} statutory"

    def _cycle(self, s: Session, year: int, cohort: str) -> S11Cycle:
        found = s.scalars(select(S11Cycle).where(S11Cycle.year == year, S11Cycle.cohort == cohort)).first()
        if found is None:
            found = S11Cycle(
                year=year,
                cohort=cohort,
                deadline=date(year, 3, 31),
                status="open",
                launched_at=self.clock.now(),
            )
            s.add(found)
            s.flush()
        return found


def refused(reply: Reply) -> bool:
    return not reply.ok and REFUSED in reply.text()


Outcome = tuple[bool, list[str]]
Runner = Callable[[Harness, str], Outcome]


def line(template: str, handle: str = "qa") -> Runner:
    def run(h: Harness, text: str) -> Outcome:
        return refused(h.say(handle, template.format(text=text))), []

    return run


def form(build: Callable[[Harness, str], BaseModel]) -> Runner:
    def run(h: Harness, text: str) -> Outcome:
        return refused(h.form(build(h, text))), []

    return run
