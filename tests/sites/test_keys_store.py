"""A site's code finds its row at the hub on SQLite and PostgreSQL, where a site's ids are 64-bit (site k numbers
from k * 10^12): the hub holds every site's rows, tagged, and checks each site's codes by its public key."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from loket.core.context import Policy
from loket.core.qr import CodeSigner, OtherSiteCode
from loket.core.service import Loket
from loket.core.sites import keys
from loket.core.sites.ids import id_range
from loket.core.status import ticket_status
from loket.core.store import Ticket
from loket.core.tickets import issuing, views

KTP = "pencetakan-ktp-el"


@pytest.fixture
def hub_of_a(store, catalog, clock, tmp_path):
    """Site A (number 7) issues into the store as the hub's copy would hold its rows; the hub's context on it."""
    private = keys.private_key(tmp_path / "kec-a")
    keys.set_public_key(store, "kec-a", keys.public_text(private), create=(7, "Kecamatan Mlati"))
    if store.engine.dialect.name == "postgresql":  # as `flask site init` moves a site's sequences to its range
        with store.engine.begin() as conn:
            conn.execute(text(f"ALTER SEQUENCE tickets_id_seq RESTART WITH {id_range(7)[0]}"))
    site = Loket(
        store, catalog, CodeSigner("site-secret", "dukcapil", keys.SiteKeys("kec-a", private)), clock, Policy()
    )
    hub = Loket(store, catalog, CodeSigner("hub-secret", "dukcapil", keys.SiteKeys("", None)), clock, Policy())
    return site, hub


def test_the_hub_finds_a_site_s_ticket_by_its_code(hub_of_a, store):
    site, hub = hub_of_a
    made = issuing.issue(site, KTP).ticket
    with store.transaction() as s:  # tagged as the site's column default tags it
        s.query(Ticket).update({"site": "kec-a"})
    if store.engine.dialect.name == "postgresql":
        assert made.id == 7 * 10**12 + 1
    code = made.status_code
    assert code.startswith(f"T2.kec-a.{made.service_day:%Y%m%d}.{made.id}.{made.number}.")
    found = views.find(hub, code)
    assert found.number == made.number
    assert (found.code, found.status_code) == ("", "")  # the hub makes no code for a site's ticket
    assert ticket_status(hub, code).data["number"] == made.number
    with store.transaction() as s:  # the same id, another site's row: not A's ticket
        s.query(Ticket).update({"site": "kec-b"})
    with pytest.raises(OtherSiteCode):
        views.find(hub, code)
