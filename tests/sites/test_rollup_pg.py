"""The link reader on a real PostgreSQL 15 (issue 16): pg_subscription and pg_stat_subscription as the hub has them.

A subscription made without connecting (no site runs here) has no apply worker and has never received anything: the
reader sees it, and the list says "never synced"; a site that has rows here but whose worker does not run is cut."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text

from loket.core.clock import FrozenClock
from loket.core.context import Policy
from loket.core.migrate import upgrade
from loket.core.qr import CodeSigner
from loket.core.reports.rollup import PgSubscriptionReader, site_links
from loket.core.service import Loket
from loket.core.store import EventRecord, Site, Store
from tests.fixtures.database import PG_ADMIN_URL, _create_pg_database


@pytest.fixture
def pg_hub(_pg_admin, catalog):
    admin, names = _pg_admin
    names.append(_create_pg_database(admin))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{names[-1]}"
    upgrade(url)
    store = Store(url)
    loket = Loket(
        store, catalog, CodeSigner("s", "o"), FrozenClock(datetime(2026, 11, 23, 3, 30, tzinfo=UTC)), Policy()
    )
    engine = create_engine(url, isolation_level="AUTOCOMMIT")  # CREATE SUBSCRIPTION runs outside a transaction
    subscription = "loket_site_kec_a"
    with engine.connect() as conn:
        conn.execute(
            text(
                f"CREATE SUBSCRIPTION {subscription} CONNECTION 'host=127.0.0.1 port=1 dbname=none' "
                "PUBLICATION loket_site WITH (connect = false, enabled = false, create_slot = false, slot_name = NONE)"
            )
        )
    yield loket
    with engine.connect() as conn:
        conn.execute(text(f"DROP SUBSCRIPTION {subscription}"))
    engine.dispose()
    store.dispose()


def test_the_reader_finds_the_site_s_subscription_on_postgresql(pg_hub):
    loket = pg_hub
    with loket.store.transaction() as s:
        # The hub's own row in the register (number 0) is no site of its list.
        s.add(Site(code="hub", number=0, name="Hub", kind="office", created_at=loket.clock.now()))
        for number, code in ((1, "kec_a"), (2, "kec_b")):
            s.add(Site(code=code, number=number, name=code.upper(), kind="kecamatan", created_at=loket.clock.now()))
        s.add(EventRecord(id=2 * 10**12 + 5, site="kec_b", at=loket.clock.now(), kind="ticket.issued", payload={}))
    reader = PgSubscriptionReader(loket)
    links = reader.links(["kec_a", "kec_b"])
    assert set(links) == {"kec_a"}  # kec_b has no subscription here
    assert links["kec_a"].running is False and links["kec_a"].last_receipt is None
    listed = site_links(loket, reader)
    assert listed.replication is True
    assert [(s.code, s.state) for s in listed.sites] == [("kec_a", "never"), ("kec_b", "cut")]
    assert listed.sites[1].last_row_at == loket.clock.now()
    # No worker, so PostgreSQL keeps no time of the site's last message: cut since its last row here, at the latest.
    assert listed.sites[1].cut_since == loket.clock.now() and listed.sites[0].cut_since is None
