"""Jemput bola (issue 16): a laptop site set up from the hub with one command, a day's work with no network, handed in.

The hub and the laptop are each their own PostgreSQL 15 server (tests/fixtures/pgcluster.py). The laptop is reached
through a TCP proxy standing for the office LAN in the morning; in the evening it comes back on another port (another
address), and `flask site hand-in` points the hub there and waits until the hub has every row, once.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from loket.core.accounts import create_counter, create_user
from loket.core.clock import FrozenClock
from loket.core.demo import DEMO_COUNTERS, DEMO_PASSWORD, DEMO_USERS
from loket.core.migrate import upgrade
from loket.core.sites import jemput, replication
from loket.core.sites.ids import TAGGED_TABLES, site_number_of
from tests.fixtures.pgcluster import Cluster, Link, wait_for
from tests.fixtures.web import issue, make_app
from tests.sites.test_replication_pg import KIA, MONDAY, PATIENCE, called_only, rows, served_to_done

CODE = "jb_cibeunying"
#: A day out: berkas served from the kiosk to hand-over with a survey answer each, some only called, some only taken.
SERVED, CALLED, TAKEN = 8, 2, 2


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, Cluster]]:
    """The hub (migrated) and a laptop's PostgreSQL, fresh: the jemput bola command migrates it."""
    clusters = {"hub": Cluster("hub"), "laptop": Cluster("laptop")}
    try:
        for cluster in clusters.values():
            cluster.start()
        upgrade(clusters["hub"].url())
        yield clusters
    finally:
        for cluster in clusters.values():
            cluster.stop()


def test_a_laptop_set_up_from_the_hub_works_a_day_offline_and_hands_in_every_row_once(servers, tmp_path):
    hub, laptop, clock = servers["hub"], servers["laptop"], FrozenClock(MONDAY)
    engines = {name: create_engine(c.url()) for name, c in servers.items()}
    # In the morning the laptop is on the hub's LAN at one address; the laptop reaches the hub through `to_hub`.
    lan, to_hub = Link(laptop.port), Link(hub.port)
    evening: Link | None = None
    morning: Link | None = None
    evening2: Link | None = None
    apps = {}
    try:
        hub_app = apps["hub"] = make_app(tmp_path / "hub", hub.url(), clock=clock, kiosk=None, SITE="hub", HUB=True)
        replication.init_hub(engines["hub"], "hub", "Dinas Dukcapil", clock.now())
        for username, full_name, roles in DEMO_USERS:
            create_user(hub_app.extensions["loket"].store, clock, username, full_name, DEMO_PASSWORD, roles)

        # One command at the hub.
        cli = hub_app.test_cli_runner()
        result = cli.invoke(
            args=[
                "site",
                "jemput-bola",
                CODE,
                "--name",
                "Jemput bola Kec. Cibeunying",
                "--laptop",
                laptop.conninfo(lan.port),
                "--hub",
                hub.conninfo(to_hub.port),
                "--timeout",
                str(PATIENCE),
            ]
        )
        assert result.exit_code == 0, result.output
        assert f"Situs jemput bola '{CODE}' siap: nomor 1" in result.output
        assert f"{len(DEMO_USERS)} akun petugas" in result.output
        with engines["hub"].connect() as conn:
            assert conn.execute(text("SELECT kind, number FROM sites WHERE code = :c"), {"c": CODE}).one() == (
                "jemput_bola",
                1,
            )
        with engines["laptop"].connect() as conn:
            # The laptop knows itself and the hub from the register it received.
            assert set(conn.scalars(text("SELECT code FROM sites"))) == {"hub", CODE}

        # The laptop runs Loket as site CODE on its own PostgreSQL; its counters are its own.
        app = apps["laptop"] = make_app(tmp_path / "laptop", laptop.url(), clock=clock, SITE=CODE)
        store = app.extensions["loket"].store
        for name, number, roles in DEMO_COUNTERS:
            create_counter(store, name, number, roles)
        replication.wait_caught_up(engines["laptop"], replication.subscription_name(CODE), PATIENCE)
        assert len(rows(engines["hub"], "counters", CODE)) == len(DEMO_COUNTERS)

        # Out in the field: no network at all.
        lan.cut()
        to_hub.cut()
        wait_for(lambda: _state(engines["hub"]) == "down", PATIENCE, what="the hub seeing the laptop gone")
        for _ in range(SERVED):
            served_to_done(app, clock)  # the officers log in with the accounts the hub gave
        for _ in range(CALLED):
            called_only(app, clock)
        for _ in range(TAKEN):
            issue(app.test_client(), KIA)
        assert not rows(engines["hub"], "survey_responses", CODE)
        at_laptop = {table: rows(engines["laptop"], table) for table in TAGGED_TABLES}
        tickets = SERVED + CALLED + TAKEN
        assert len(at_laptop["tickets"]) == tickets and len(at_laptop["survey_responses"]) == SERVED

        # Back in the evening at another address; the hub's address has not changed.
        evening = Link(laptop.port)
        assert evening.port != lan.port
        to_hub.restore()
        result = cli.invoke(
            args=["site", "hand-in", CODE, "--laptop", laptop.conninfo(evening.port), "--timeout", str(PATIENCE)]
        )
        assert result.exit_code == 0, result.output
        assert f"Situs '{CODE}' sudah menyerahkan semuanya ke hub" in result.output
        assert f"tiket: {tickets} baru diterima, di hub {tickets} dari {tickets}" in result.output
        assert f"jawaban survei: {SERVED} baru diterima, di hub {SERVED} dari {SERVED}" in result.output
        assert evening.connections  # the hub now reaches the laptop at its new address

        # Every row of the laptop at the hub, exactly once (ids are keys), all in the laptop's range.
        for table in TAGGED_TABLES:
            assert rows(engines["hub"], table, CODE) == at_laptop[table], table
            assert {site_number_of(i) for i in at_laptop[table]} <= {1}, table
            with engines["hub"].connect() as conn:
                assert conn.scalar(text(f"SELECT count(*) FROM {table} WHERE site = :c"), {"c": CODE}) == len(
                    at_laptop[table]
                )
        with engines["hub"].connect() as conn:
            assert conn.scalar(text("SELECT conninfo FROM sites WHERE code = :c"), {"c": CODE}) == laptop.conninfo(
                evening.port
            )

        # Again, in English: nothing new, everything there.
        result = cli.invoke(args=["site", "hand-in", CODE, "--laptop", laptop.conninfo(evening.port), "--lang", "en"])
        assert result.exit_code == 0, result.output
        assert f"tickets: 0 newly received, {tickets} of {tickets} at the hub" in result.output
        result = cli.invoke(args=["site", "hand-in", "jb_lain", "--laptop", laptop.conninfo(evening.port)])
        assert result.exit_code == 1 and "Situs 'jb_lain' tidak terdaftar." in result.output
        result = cli.invoke(
            args=[
                "site",
                "jemput-bola",
                "hub",
                "--name",
                "x",
                "--laptop",
                laptop.conninfo(evening.port),
                "--lang",
                "en",
            ]
        )
        assert result.exit_code == 1 and "Site 'hub' is registered as office, not jemput bola." in result.output

        # The next morning, the same laptop on yet another address: the same command, its number kept, the hub's
        # subscription pointed there.
        morning = Link(laptop.port)
        result = cli.invoke(
            args=["site", "jemput-bola", CODE, "--name", "Jemput bola Kec. Cibeunying", "--laptop",
                  laptop.conninfo(morning.port), "--hub", hub.conninfo(to_hub.port), "--timeout", str(PATIENCE)]
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert f"Situs jemput bola '{CODE}' siap: nomor 1" in result.output
        with engines["hub"].connect() as conn:
            subconninfo = conn.scalar(
                text("SELECT subconninfo FROM pg_subscription WHERE subname = :s"),
                {"s": replication.subscription_name(CODE)},
            )
        assert subconninfo == laptop.conninfo(morning.port)

        # That day out, handed in from the laptop itself on the evening's address.
        morning.cut()
        to_hub.cut()
        issue(app.test_client())
        evening2 = Link(laptop.port)
        to_hub.restore()
        result = app.test_cli_runner().invoke(
            args=["site", "hand-in", CODE, "--laptop", laptop.conninfo(evening2.port),
                  "--hub", hub.conninfo(to_hub.port), "--timeout", str(PATIENCE)]
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert f"tiket: 1 baru diterima, di hub {tickets + 1} dari {tickets + 1}" in result.output
        assert rows(engines["hub"], "tickets", CODE) == rows(engines["laptop"], "tickets")
    finally:
        for link in (lan, to_hub, evening, morning, evening2):
            if link is not None:
                link.cut()
        for app in apps.values():
            app.extensions["loket"].store.dispose()
        for engine in engines.values():
            engine.dispose()


def test_conninfo_and_url_convert_both_ways():
    url = jemput.conninfo_url("host=10.0.0.7 port=5433 dbname=loket user=postgres sslmode=disable")
    assert url.render_as_string() == "postgresql+psycopg://postgres@10.0.0.7:5433/loket?sslmode=disable"
    assert jemput.url_conninfo(url) == "host=10.0.0.7 port=5433 dbname=loket user=postgres"
    with pytest.raises(replication.ReplicationError):
        jemput.conninfo_url("host=10.0.0.7 dbname=loket password=x")


def _state(engine) -> str:
    return next(s.state for s in replication.hub_status(engine) if s.code == CODE)
