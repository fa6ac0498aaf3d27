"""The hub's rules on the admin pages and commands (issue 16): at a site (LOKET_SITE) after its first sync the hub's
fields are refused with "Diatur oleh kantor pusat (hub)" / "Set by the hub", accounts are the hub's (the page and
`flask create-user` refuse them); at the hub (LOKET_HUB) the admin sets the policy. Through Flask's test client."""

from __future__ import annotations

import pytest

from loket.core.settings import OfficeSettings
from loket.core.store import Setting
from tests.fixtures.web import KTP, make_app, staff_of


def hub_rows(app, **office) -> None:
    """The hub's rules as the subscription brings them (written straight into the site's database)."""
    loket = app.extensions["loket"]
    with loket.store.transaction() as s:
        s.merge(
            Setting(
                key="hub.office",
                value=OfficeSettings.model_validate(office).model_dump(mode="json"),
                updated_at=loket.clock.now(),
            )
        )


@pytest.fixture
def site_app(tmp_path, demo_database):
    app = make_app(tmp_path, demo_database, SITE="kec-a")
    yield app
    app.extensions["loket"].store.dispose()


@pytest.fixture
def hub_app(tmp_path, demo_database):
    app = make_app(tmp_path, demo_database, HUB=True)
    yield app
    app.extensions["loket"].store.dispose()


def put(staff, url, json, lang="id"):
    return staff.client.put(url, json=json, headers={**staff.csrf(), "X-Loket-Lang": lang})


def test_a_site_s_admin_sees_and_keeps_what_the_hub_sets(site_app):
    hub_rows(site_app, running_text="hub", services={KTP: {"quota": 40}})
    admin = staff_of(site_app)("admin", "admin")
    meta = admin.client.get("/api/admin/meta").get_json()["sites"]
    assert meta["scope"] == "site" and meta["site"] == "kec-a" and meta["ruled_by_hub"]
    assert "services" in meta["rules"]["office"]["hub_owned"]
    assert "running_text" in meta["rules"]["office"]["overridable"]

    current = admin.client.get("/api/admin/settings").get_json()
    assert current["services"][KTP]["quota"] == 40
    r = put(admin, "/api/admin/settings", {**current, "running_text": "Kecamatan A"})
    assert r.status_code == 200 and r.get_json()["running_text"] == "Kecamatan A"

    r = put(admin, "/api/admin/settings", {"services": {KTP: {"quota": 80}}}, lang="en")
    assert r.status_code == 400
    problems = r.get_json()["problems"]
    assert [(p["field"], p["message"]) for p in problems] == [
        ("services", "Set by the hub; it cannot be changed here.")
    ]
    r = put(admin, "/api/admin/settings", {"services": {KTP: {"quota": 80}}})
    assert r.get_json()["problems"][0]["message"] == "Diatur oleh kantor pusat (hub); tidak dapat diubah di sini."
    assert admin.client.get("/api/admin/settings").get_json()["services"][KTP]["quota"] == 40


def test_a_site_refuses_accounts_on_the_page_and_the_command_line(site_app):
    admin = staff_of(site_app)("admin", "admin")
    new = {"username": "baru", "full_name": "Petugas Baru", "roles": ["pelayanan"], "password": "password-123"}
    r = admin.client.post("/api/admin/users", json=new, headers={**admin.csrf(), "X-Loket-Lang": "en"})
    assert r.status_code == 403
    assert r.get_json()["message"].startswith("Staff accounts are set by the hub")
    users = admin.client.get("/api/admin/users").get_json()["users"]
    admin_id = next(u["id"] for u in users if u["username"] == "admin")
    r = put(admin, f"/api/admin/users/{admin_id}", {"full_name": "Lain"})
    assert r.status_code == 403 and "kantor pusat (hub)" in r.get_json()["message"]
    result = site_app.test_cli_runner().invoke(
        args=["create-user", "baru", "--name", "Baru", "--role", "pelayanan", "--password", "password-123"]
    )
    assert result.exit_code != 0 and "kantor pusat (hub)" in result.output
    assert "baru" not in {u["username"] for u in admin.client.get("/api/admin/users").get_json()["users"]}


def test_the_pages_carry_the_hub_s_marks_in_both_languages(site_app):
    admin = staff_of(site_app)("admin", "admin")
    for page in ("/admin/", "/admin/users", "/admin/sops", "/admin/booking"):
        html = admin.client.get(page).get_data(as_text=True)
        assert "Diatur oleh kantor pusat (hub)" in html and "Set by the hub" in html, page


def test_the_hub_s_admin_sets_what_sites_may_change_and_a_site_may_not(hub_app, site_app):
    hub_admin = staff_of(hub_app)("admin", "admin")
    r = put(hub_admin, "/api/admin/sites/policy", {"office": ["hours"]})
    assert r.status_code == 200 and r.get_json()["policy"]["office"] == ["blanko_stock", "hours"]
    r = put(hub_admin, "/api/admin/settings", {"running_text": "untuk semua lokasi"})
    assert r.status_code == 200
    with hub_app.extensions["loket"].store.read() as s:
        assert s.get(Setting, "hub.office").value["running_text"] == "untuk semua lokasi"
        assert s.get(Setting, "office") is None
    log = hub_admin.client.get("/api/admin/audit?kind=sites.policy_changed").get_json()["entries"]
    assert log and log[0]["after"]["office"] == ["blanko_stock", "hours"]

    site_admin = staff_of(site_app)("admin", "admin")
    r = put(site_admin, "/api/admin/sites/policy", {"office": ["services"]})
    assert r.status_code == 403


def test_the_pages_hear_when_the_hub_s_rules_arrive(site_app):
    from loket.app import socketio

    watcher = site_app.extensions["hub_rules_watcher"]
    display = socketio.test_client(site_app, auth={"channel": "display"})
    try:
        assert watcher.check() is False  # the first look: nothing to compare with
        display.get_received()
        assert watcher.check() is False
        hub_rows(site_app, running_text="dari hub")
        assert watcher.check() is True
        received = [m for m in display.get_received() if m["name"] == "settings.changed"]
        assert received and received[0]["args"][0] == {"changed": ["hub"]}
        assert watcher.check() is False
    finally:
        display.disconnect()


def test_a_single_office_and_the_hub_watch_nothing(app, hub_app):
    assert "hub_rules_watcher" not in app.extensions and "hub_rules_watcher" not in hub_app.extensions


def test_a_password_reset_at_the_hub_ends_the_sessions_open_at_a_site(site_app):
    """The site's sessions are its own: the reset's time arrives with the account and ends those opened before it."""
    from sqlalchemy import update

    from loket.core.store import User

    loket = site_app.extensions["loket"]
    officer = staff_of(site_app)("pelayanan")
    assert officer.client.get("/api/counters").status_code == 200
    later = loket.clock.now()
    with loket.store.transaction() as s:  # the hub's reset, as replication writes it into the site's users row
        s.execute(update(User).where(User.username == "pelayanan").values(password_changed_at=later))
    assert officer.client.get("/api/counters").status_code == 401
    again = staff_of(site_app)("pelayanan")  # a log-in after the reset is fine
    assert again.client.get("/api/counters").status_code == 200
