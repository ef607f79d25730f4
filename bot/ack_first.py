"""Acknowledgements first: the work after an acknowledgement waits while others are being
acknowledged, for at most `cap` after its own.

Python runs one thread at a time. Under a burst, every request's acknowledgement (parse,
check the signature, store the delivery, answer) shares the process with the after-the-ack
work of the requests acknowledged before it (the commands themselves: a few transactions and a
post each), and waits its turn behind it. Slack wants the acknowledgement within 3 seconds;
the answer can follow. So a delivery's work starts once no acknowledgement has been stored for
`quiet` seconds, or `cap` seconds after its own acknowledgement, whichever comes first: under
a burst longer than `cap` the work runs as before, each delivery at most `cap` later.

Only deliveries this process acknowledged wait (the recovery pass's never do), and nothing
here decides whether a delivery is worked: only when.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

QUIET = 0.02  # seconds without a delivery being stored
CAP = 1.0  # seconds after its own acknowledgement, at most
REMEMBERED = 4096  # acknowledgement times kept for deliveries not yet worked


class AckFirst:
    def __init__(
        self, *, quiet: float = QUIET, cap: float = CAP, now: Callable[[], float] = time.monotonic
    ) -> None:
        self.quiet = quiet
        self.cap = cap
        self.now = now  # a scheduling decision in this process, not the board's clock
        self._lock = threading.Lock()
        # One waiting delivery (the lead) watches the clock and the acknowledgements; the others
        # wait behind it. Each wake-up is a turn at the interpreter the acknowledgements need:
        # one watcher, woken by the storing only when it waits for the storing to end, costs
        # a few wake-ups a quiet period where every waiter timing out or woken at every
        # acknowledgement cost one or two for each acknowledgement.
        self._lead_wakes = threading.Condition(self._lock)
        self._behind = threading.Condition(self._lock)
        self._led = False  # a waiter is the lead
        self._lead_waits_for_storing = False  # ... and sleeps until the storing ends
        self._storing = 0
        self._last = float("-inf")
        self._acked: OrderedDict[int, float] = OrderedDict()

    @contextmanager
    def storing(self) -> Iterator[None]:
        """Around the storing of deliveries an acknowledgement waits on."""
        with self._lock:
            self._storing += 1
        try:
            yield
        finally:
            with self._lock:
                self._storing -= 1
                self._last = self.now()
                if self._storing == 0 and self._lead_waits_for_storing:
                    self._lead_waits_for_storing = False
                    self._lead_wakes.notify()

    def acked(self, row_id: int) -> None:
        """The delivery stored as `row_id` is being acknowledged now."""
        with self._lock:
            self._acked[row_id] = self.now()
            while len(self._acked) > REMEMBERED:  # worked elsewhere or never: forget the oldest
                self._acked.popitem(last=False)

    def wait_turn(self, row_id: int) -> None:
        """Before working `row_id`: wait for a quiet moment, at most `cap` after its ack."""
        with self._lock:
            since = self._acked.pop(row_id, None)
            if since is None or self.cap <= 0:
                return
            deadline = since + self.cap
            while self._led:  # another watches: wait behind it, woken when its turn comes
                behind = deadline - self.now()
                if behind <= 0:
                    return  # its own cap has passed: it goes, the lead keeps watching
                self._behind.wait(behind)
            self._led = True
            try:
                while (wait := self._still_to_wait(deadline)) > 0:
                    self._lead_waits_for_storing = self._storing > 0
                    self._lead_wakes.wait(wait)
            finally:
                self._led = self._lead_waits_for_storing = False
            # Its turn, so perhaps the next one's too: the next in line looks.
            self._behind.notify()

    def _still_to_wait(self, deadline: float) -> float:
        """Seconds until the next look (0: its turn now): none past the deadline, none after
        `quiet` seconds without an acknowledgement being stored."""
        now = self.now()
        if now >= deadline:
            return 0.0
        if self._storing:
            return deadline - now  # woken when the last one is stored
        quiet_for = now - self._last
        return 0.0 if quiet_for >= self.quiet else min(deadline - now, self.quiet - quiet_for)
