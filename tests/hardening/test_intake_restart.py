"""Acknowledged means stored: a real web process (`uvicorn --factory bot.web:create_app`)
takes a burst of 400 signed `/action add` slash commands and is stopped in the middle of it,
by SIGTERM (every deploy) or SIGKILL (a crash). Every command it acknowledged is already in
the inbox when it dies; after a restart every one is stored exactly once (an action each) and
answered in Slack. The commands it never acknowledged are sent again to the new process with
the same trigger ids (a retried delivery): they are not stored twice either. On SQLite and
on PostgreSQL, whose acknowledgement is one autocommit INSERT of its own (store/inbox.py).

Before the inbox, a SIGTERM in a burst of 40 lost 34 acknowledged commands (their work was
queued in memory); Slack never resends an acknowledged slash command.
"""

from __future__ import annotations

import signal
from collections import Counter

import pytest

from tests.hardening.restart_rig import (
    action_add_bodies,
    answered,
    burst,
    rig,
    stored,
    trigger_of,
    web_process,
)

BURST = 400
STOP_AFTER = 120  # acknowledgements before the signal: the rest of the burst is in flight or queued


@pytest.mark.slow
@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_a_web_process_stopped_mid_burst_loses_no_acknowledged_command(
    sig: int, database: str, request: pytest.FixtureRequest
) -> None:
    server = request.getfixturevalue("pg_server") if database == "postgres" else None
    if database == "postgres" and server is None:
        pytest.skip("PostgreSQL could not be reached")
    with rig(server) as r:  # on PostgreSQL, a new database on that server
        # A short lease, so that the restarted process takes what the killed one held soon.
        env = {**r.env, "QABOT_INBOX_LEASE_SECONDS": "2", "QABOT_INBOX_RECOVER_SECONDS": "1"}
        db_url = env["QABOT_DATABASE_URL"]
        bodies = action_add_bodies(BURST, 0, r.fake.response_url("burst"))
        triggers = [trigger_of(b) for b in bodies]

        with web_process(env, r.work) as first:
            sent = burst(first.url, bodies, stop_after=STOP_AFTER, stop=first, sig=sig)
            code = first.wait()
        assert code != 0 or sig == signal.SIGTERM
        assert len(sent.acknowledged) >= STOP_AFTER and sent.refused, "the stop did not land mid-burst"
        at_stop = stored(db_url)
        assert sent.acknowledged <= set(at_stop.inbox), "acknowledged but not stored"
        assert set(at_stop.inbox.values()) == {1}

        with web_process(env, r.work) as second:
            again = burst(second.url, [b for b, t in zip(bodies, triggers, strict=True) if t in sent.refused])
            assert again.refused == set()
            everyone = r.fake.wait_for(lambda: set(answered(r.fake)) == set(range(BURST)), timeout=240)
        final = stored(db_url)

    assert final.inbox == Counter(dict.fromkeys(triggers, 1))
    assert final.actions == Counter(dict.fromkeys(range(BURST), 1)), "a command lost or stored twice"
    missing = set(range(BURST)) - set(answered(r.fake))
    assert everyone and not missing, f"{len(missing)} people never got their answer"
