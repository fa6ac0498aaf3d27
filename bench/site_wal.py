"""What a cut costs a site in disk: the WAL its replication slot keeps per ticket served (docs/sites.md, "A long cut").

Starts one throw-away PostgreSQL 15 server as a site (full_page_writes on, as in production), creates the hub's
slot there without anyone consuming it (the line is cut), serves N KTP-el tickets through Loket's app from the kiosk
through five steps to hand-over, and prints the WAL written and kept.

    PYTHONPATH=. .venv/bin/python bench/site_wal.py 25
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import create_engine, text

import loket.core.accounts
from loket.core.accounts import create_counter, create_user
from loket.core.clock import FrozenClock
from loket.core.demo import DEMO_COUNTERS, DEMO_PASSWORD, DEMO_USERS
from loket.core.migrate import upgrade
from loket.core.sites import replication
from tests.fixtures.pgcluster import Cluster
from tests.fixtures.web import make_app
from tests.sites.test_replication_pg import served_to_done


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 25
    # Staff log in twice per ticket here: argon2 at its lowest cost, as the tests do (it writes no WAL).
    loket.core.accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    site = Cluster("walsite", full_page_writes="on").start()
    try:
        upgrade(site.url())
        engine = create_engine(site.url())
        clock = FrozenClock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
        replication.init_site(engine, "kec_w", 5, None)
        app = make_app(Path(tempfile.mkdtemp(prefix="site-wal-")), site.url(), clock=clock, SITE="kec_w")
        store = app.extensions["loket"].store
        for username, full_name, roles in DEMO_USERS:
            create_user(store, clock, username, full_name, DEMO_PASSWORD, roles)
        for name, number, roles in DEMO_COUNTERS:
            create_counter(store, name, number, roles)
        with engine.begin() as conn:  # the hub's slot, with the line cut: nobody confirms anything
            conn.execute(text(f"SELECT pg_create_logical_replication_slot('{replication.subscription_name('kec_w')}', "
                              "'pgoutput')"))  # fmt: skip
        served_to_done(app, clock, survey=False)
        start = replication.current_lsn(engine)
        began = time.monotonic()
        for _ in range(n):
            served_to_done(app, clock, survey=False)
        elapsed = time.monotonic() - began
        with engine.connect() as conn:
            used = conn.scalar(text("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), :s)"), {"s": start})
            kept, status, _behind = replication.slot_retention(conn, replication.subscription_name("kec_w"))
        print(
            f"{n} tickets served to hand-over (5 steps each, logins included): WAL {used / 2**20:.2f} MiB, "
            f"{used / n / 1024:.1f} KiB per ticket; the slot keeps {(kept or 0) / 2**20:.2f} MiB ({status}); "
            f"{elapsed:.1f} s"
        )
        store.dispose()
        engine.dispose()
    finally:
        site.stop()


if __name__ == "__main__":
    main()
