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
        self._cond = threading.Condition()
        self._storing = 0
        self._last = float("-inf")
        self._acked: OrderedDict[int, float] = OrderedDict()

    @contextmanager
    def storing(self) -> Iterator[None]:
        """Around the storing of deliveries an acknowledgement waits on."""
        with self._cond:
            self._storing += 1
        try:
            yield
        finally:
            with self._cond:
                self._storing -= 1
                self._last = self.now()
                if self._storing == 0:
                    self._cond.notify()  # one waiter looks; if its turn has come it wakes the next

    def acked(self, row_id: int) -> None:
        """The delivery stored as `row_id` is being acknowledged now."""
        with self._cond:
            self._acked[row_id] = self.now()
            while len(self._acked) > REMEMBERED:  # worked elsewhere or never: forget the oldest
                self._acked.popitem(last=False)

    def wait_turn(self, row_id: int) -> None:
        """Before working `row_id`: wait for a quiet moment, at most `cap` after its ack."""
        with self._cond:
            since = self._acked.pop(row_id, None)
            if since is None or self.cap <= 0:
                return
            deadline = since + self.cap
            while (wait := self._still_to_wait(deadline)) > 0:
                self._cond.wait(wait)
            # Its turn, so perhaps the next one's too: one thread at a time wakes to look, not
            # every worker at every acknowledgement (each wake-up is a turn at the GIL).
            self._cond.notify()

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
