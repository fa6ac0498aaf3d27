"""The hub's rules on the admin pages in a real browser (issue 16): at a site the hub's fields are shown read-only and
marked, the site's own are saved; accounts cannot be added; at the hub a box per field sets what sites may change."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, insert

from loket.core.settings import OfficeSettings
from loket.core.store import Setting, Store
from tests.admin.test_admin_settings_browser import admin_page  # noqa: F401 (a fixture)
from tests.fixtures.web import KTP

pytestmark = pytest.mark.e2e

expect.set_options(timeout=10_000)


def replicate(server, key: str, value: dict) -> None:
    """A hub's row written into the server's database as the subscription would (another connection)."""
    store = Store(f"sqlite:///{server.folder / 'loket.db'}")
    try:
        with store.engine.begin() as conn:
            conn.execute(delete(Setting).where(Setting.key == key))
            conn.execute(insert(Setting).values(key=key, value=value, updated_at=datetime.now(UTC), updated_by=None))
    finally:
        store.dispose()


def test_a_site_s_admin_sees_the_hub_s_fields_read_only_and_saves_its_own(server_factory, admin_page):  # noqa: F811
    server = server_factory(LOKET_SITE="kec-a")
    office = OfficeSettings.model_validate({"running_text": "hub", "services": {KTP: {"quota": 40}}})
    replicate(server, "hub.office", office.model_dump(mode="json"))
    page = admin_page(server.base)
    expect(page.locator(".a-hub-banner")).to_be_visible()
    services = page.locator('#settings-form [data-field="services"]').first
    owned = page.locator("#settings-form section[data-hub-owned], #settings-form [data-hub-owned]")
    expect(owned.first).to_be_attached()
    assert services.evaluate("n => !!n.closest('[inert]')")
    expect(page.locator(".a-hub-owned").first).to_have_text("Diatur oleh kantor pusat (hub)")
    running = page.locator("#f-running")
    assert not running.evaluate("n => !!n.closest('[inert]')")
    running.fill("Pengumuman Kecamatan A")
    page.click("#save")
    expect(page.locator("#savebar")).to_have_attribute("data-state", "clean")
    settings = page.evaluate("fetch('/api/admin/settings').then(r => r.json())")
    assert settings["running_text"] == "Pengumuman Kecamatan A" and settings["services"][KTP]["quota"] == 40

    page.goto("/admin/users")
    expect(page.locator(".a-hub-note")).to_contain_text("kantor pusat (hub)")
    expect(page.locator("#add")).to_be_hidden()


def test_the_hub_s_admin_ticks_what_sites_may_change(server_factory, admin_page):  # noqa: F811
    server = server_factory(LOKET_HUB="1")
    page = admin_page(server.base)
    expect(page.locator(".a-hub-banner")).to_be_visible()
    box = page.locator('[data-field="services"] .a-hub-allow').first
    expect(box).not_to_be_checked()
    box.check()
    expect(page.locator("#savebar")).to_have_attribute("data-state", "clean")  # not an edit of the settings
    policy = page.evaluate("fetch('/api/admin/sites/policy').then(r => r.json())")["policy"]
    assert "services" in policy["office"]
