"""The admin sees each message channel's state and sets its daily cap (/api/admin/outbox), and the settings
page shows them; other roles may not."""

from __future__ import annotations

from sqlalchemy import select

from loket.core.store import EventRecord
from tests.fixtures.web import make_app, staff_of
from tests.outbox.test_channels import add, gammu_config


def test_the_admin_sees_the_channels_and_sets_a_cap_other_roles_may_not(tmp_path, demo_database):
    _rc, config = gammu_config(tmp_path)
    app = make_app(tmp_path, demo_database, OUTBOX_GATEWAY_URL="", **config)
    loket = app.extensions["loket"]
    try:
        add(loket, 1, "phone", 1)
        add(loket, 2, "email", 2, "warga@example.id")  # no SMTP configured: it waits, counted apart
        admin = staff_of(app)("admin", "admin")
        state = admin.client.get("/api/admin/outbox").get_json()
        by_name = {c["name"]: c for c in state["channels"]}
        assert by_name["sms"]["configured"] and by_name["sms"]["queue"] == 1
        assert not by_name["http"]["configured"] and not by_name["smtp"]["configured"]
        assert state["waiting_without_channel"] == {"email": 1}

        put = admin.client.put(
            "/api/admin/outbox/caps/sms",
            json={"max_per_day": 100, "price_rupiah": 350, "cap_rupiah": 20000},
            headers=admin.csrf(),
        )
        assert put.status_code == 200
        sms = next(c for c in put.get_json()["channels"] if c["name"] == "sms")
        assert sms["cap"] == {"max_per_day": 100, "price_rupiah": 350, "cap_rupiah": 20000}
        with loket.store.read() as s:
            (audit,) = s.scalars(select(EventRecord).where(EventRecord.kind == "outbox.cap_changed"))
        assert audit.payload["after"]["max_per_day"] == 100

        bad = admin.client.put("/api/admin/outbox/caps/sms", json={"max_per_day": -1}, headers=admin.csrf())
        assert bad.status_code == 400
        unknown = admin.client.put("/api/admin/outbox/caps/fax", json={}, headers=admin.csrf())
        assert unknown.status_code == 404

        officer = staff_of(app)("pelayanan", "pelayanan", "Loket 1")
        assert officer.client.get("/api/admin/outbox").status_code == 403

        page = admin.client.get("/admin/").get_data(as_text=True)
        assert 'id="outbox-rows"' in page and "Saluran pesan ke warga" in page
    finally:
        loket.store.dispose()
