"""A link whose first copy or apply keeps failing shows "error", with its tables, and stops once it recovers.

A hub and a site, each its own PostgreSQL 15 server (tests/fixtures/pgcluster.py). The hub subscribes to the site as
an ordinary replication role, `loket_repl`, that was not granted SELECT on `events` at the site: the first copy of
`events` fails again and again (PostgreSQL's log: "permission denied for table events"). The hub reads its links as
Loket's ordinary role (no superuser: `pg_subscription.subconninfo` is not readable to it), through
`replication.hub_status`, the list of sites' reader and `flask site status`. Then the grant is given, PostgreSQL's
retry copies the table, and the link is up. Then a row the hub holds under one of the site's ids stops the apply of the
site's insert of that id (a unique conflict at the hub): "error" again, until the row is gone. Enabling the link again
resets the counts; `resync` makes a new subscription, with counts of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text

from loket.core.reports.rollup import ERROR, PgSubscriptionReader, site_links
from loket.core.sites import replication
from loket.core.sites.ids import SITE_ID_RANGE
from tests.fixtures.pgcluster import Cluster, wait_for
from tests.fixtures.web import make_app

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
PATIENCE = 90.0
#: The test's window of error readings (the default is at least 60 s): a recovered apply clears after it.
WINDOW = 12.0


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, Cluster]]:
    from loket.core.migrate import upgrade

    clusters = {name: Cluster(name) for name in ("hub", "site")}
    try:
        for cluster in clusters.values():
            cluster.start()
            upgrade(cluster.url())
        yield clusters
    finally:
        for cluster in clusters.values():
            cluster.stop()


def run(engine, *statements: str) -> None:
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def test_a_failing_first_copy_and_a_failing_apply_show_error_until_fixed(servers, tmp_path):
    hub, site = servers["hub"], servers["site"]
    hub_admin, site_admin = create_engine(hub.url()), create_engine(site.url())
    # Loket's ordinary role at the hub (what the web process and `flask site status` run as), and the replication
    # role at the site, without SELECT on events.
    run(
        hub_admin,
        "CREATE ROLE loket_app LOGIN",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO loket_app",
        "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO loket_app",
    )
    run(
        site_admin,
        "CREATE ROLE loket_repl LOGIN REPLICATION",
        "GRANT SELECT ON ALL TABLES IN SCHEMA public TO loket_repl",
        "REVOKE SELECT ON events FROM loket_repl",
    )
    app_url = f"postgresql+psycopg://loket_app@127.0.0.1:{hub.port}/loket"
    hub_app_engine = create_engine(app_url)
    watch = replication.ErrorWatch(window=WINDOW)
    app = None
    try:
        replication.init_hub(hub_admin, "hub", "Hub", NOW)
        replication.init_site(site_admin, "kec_a", 1, None)
        with site_admin.begin() as conn:
            conn.execute(text("INSERT INTO events (at, kind, payload) VALUES (:at, 'test.before', '{}')"), {"at": NOW})
        conninfo = f"host=127.0.0.1 port={site.port} dbname=loket user=loket_repl"
        replication.add_site(hub_admin, "kec_a", 1, "Kecamatan A", "kecamatan", conninfo, NOW)

        def link() -> replication.LinkStatus:
            (only,) = replication.hub_status(hub_app_engine, watch=watch)
            return only

        # The first copy of events keeps failing: "error", the table named, as Loket's ordinary role reads it.
        failing = wait_for(lambda: (x := link()).state == "error" and x, PATIENCE, what="a copy error")
        assert failing.error == replication.COPY_ERROR and "events" in failing.error_tables
        assert failing.sync_errors >= 1
        assert "permission denied for table events" in hub.log()
        # Waiting for the first copy (jemput bola's set-up waits so) says the copy fails, not only that time ran out.
        with pytest.raises(replication.ReplicationError) as refused:
            replication.wait_synced(hub_admin, [replication.subscription_name("kec_a")], 0.5)
        said_wait = str(refused.value)  # every table not copied yet is named: events, and any still copying
        assert "Salinan pertama gagal" in said_wait and "tabel yang belum tersalin:" in said_wait
        assert "events" in said_wait.split("tersalin:")[1] and "GRANT SELECT" in said_wait
        # The list of sites says the same (its reader, on the ordinary role's connection).
        app = make_app(tmp_path / "hub", app_url, kiosk=None, SITE="hub", HUB=True)
        loket = app.extensions["loket"]
        listed = site_links(loket, PgSubscriptionReader(loket, site_lag=False, watch=watch))
        (line,) = listed.sites
        assert line.state == ERROR and line.error == "copy" and "events" in line.error_tables
        assert line.as_dict(loket.clock.local)["error_tables"] == list(line.error_tables)
        # And `flask site status`, in a fresh process's way (its own readings), with the hint.
        replication.WATCH = replication.ErrorWatch()
        said = app.test_cli_runner().invoke(args=["site", "status"])
        assert said.exit_code == 0, said.output
        assert "kec_a\terror" in said.output and "gagal menyalin: events" in said.output
        assert "GRANT SELECT" in said.output and "pg_hba.conf" in said.output

        # Granted: PostgreSQL's next try copies events, and the link is up; nothing to resync.
        run(site_admin, "GRANT SELECT ON events TO loket_repl")
        wait_for(lambda: link().state == "up", PATIENCE, what="the link up after the grant")
        replication.wait_synced(hub_admin, [replication.subscription_name("kec_a")], PATIENCE)
        with hub_admin.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM events WHERE kind = 'test.before'")) == 1
        recovered = link()
        assert recovered.error is None and not recovered.error_tables and recovered.sync_errors >= 1
        (line,) = site_links(loket, PgSubscriptionReader(loket, site_lag=False, watch=watch)).sites
        assert line.state == "connected" and line.error is None
        said = app.test_cli_runner().invoke(args=["site", "status"])
        assert "kec_a\tup" in said.output and "gagal" not in said.output, said.output

        # The apply keeps failing: the hub holds a counter under the id the site's next counter gets.
        first = 1 * SITE_ID_RANGE + 1
        run(
            hub_admin,
            f"INSERT INTO counters (id, site, name, number, roles, services, active)"
            f" VALUES ({first}, 'kec_a', 'Salah', 9, '[]', '[]', true)",
        )
        run(
            site_admin,
            "INSERT INTO counters (name, number, roles, services, active) VALUES ('Loket 1', 1, '[]', '[]', true)",
        )
        failing = wait_for(lambda: (x := link()).state == "error" and x, PATIENCE, what="an apply error")
        assert failing.error == replication.APPLY_ERROR and failing.error_tables == ()
        said = app.test_cli_runner().invoke(args=["site", "status"])
        assert "kec_a\terror" in said.output and "gagal menerapkan" in said.output, said.output
        assert "kunci unik" in said.output

        # The wrong row removed: the site's insert applies, the errors stop, and after the window the link is up.
        run(hub_admin, f"DELETE FROM counters WHERE id = {first}")
        wait_for(
            lambda: _counter(hub_admin, first) == "Loket 1", PATIENCE, what="the site's counter applied at the hub"
        )
        wait_for(lambda: link().state == "up", WINDOW * 3 + PATIENCE, what="the link up after the apply error")
        assert link().apply_errors >= 2 and link().sync_errors >= 1  # history, not an error

        # Enabled again (a superuser's step): the counts start from 0. Copied afresh: a new subscription, new counts.
        replication.set_site_active(hub_admin, "kec_a", False)
        replication.set_site_active(hub_admin, "kec_a", True)
        assert (link().apply_errors, link().sync_errors) == (0, 0)
        replication.resync_site(hub_admin, "kec_a")
        replication.wait_synced(hub_admin, [replication.subscription_name("kec_a")], PATIENCE)
        wait_for(lambda: link().state == "up", PATIENCE, what="the link up after resync")
        assert (link().apply_errors, link().sync_errors, link().error) == (0, 0, None)
    finally:
        replication.WATCH = replication.ErrorWatch()
        if app is not None:
            app.extensions["loket"].store.dispose()
        for engine in (hub_admin, site_admin, hub_app_engine):
            engine.dispose()


def _counter(engine, counter_id: int) -> str | None:
    with engine.connect() as conn:
        return conn.scalar(text("SELECT name FROM counters WHERE id = :i"), {"i": counter_id})
