"""The admin's settings page: quotas and blanko stock take effect at once; bad values are explained; admins only."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.fixtures.browser import issue

pytestmark = pytest.mark.e2e

expect.set_options(timeout=10_000)

DESK = {"width": 1920, "height": 1080}
LAPTOP = {"width": 1366, "height": 768}
KIA = "penerbitan-kia"
KTP = "pencetakan-ktp-el"


def get_json(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def services(base: str) -> dict[str, dict[str, Any]]:
    data = get_json(f"{base}/api/services")
    return {"office": data["office"], **{s["code"]: s for s in data["services"]}}


@pytest.fixture
def admin_page(contexts) -> Callable[..., Page]:
    """admin_page(base, username, viewport): /admin/ logged in as that user, in its own context."""

    def _open(base: str, username: str = "admin", viewport: dict[str, int] = DESK) -> Page:
        page = contexts(base, viewport=viewport).new_page()
        page.goto("/admin/")
        expect(page.locator("#view-login")).to_be_visible()
        page.fill("#login-username", username)
        page.fill("#login-password", "loket123")
        page.click("#login-submit")
        return page

    return _open


def test_the_admin_sets_a_quota_and_the_blanko_stock_and_the_api_reflects_both(server_factory, admin_page, artifacts):
    server = server_factory()
    base = server.base
    before = services(base)
    assert before[KIA]["availability"]["quota"] is None
    assert before["office"]["blanko_stock"] is None

    page = admin_page(base)
    expect(page.locator("#settings-form")).to_be_visible()
    expect(page.locator("#savebar")).to_have_attribute("data-state", "clean")
    kia = page.locator(f'#service-rows [data-service="{KIA}"]')
    expect(kia.locator(".a-service-title")).to_have_text(before[KIA]["name"]["id"])
    expect(kia.locator(".a-today")).to_contain_text("tanpa kuota")

    kia.locator(".a-quota").fill("1")
    expect(page.locator("#savebar")).to_have_attribute("data-state", "dirty")
    expect(kia.locator(".a-unsaved")).to_be_visible()

    # The morning announcement: no blanks today. Saved at once, the quota still waits for "Simpan".
    page.click("#blanko-out")
    expect(page.locator('#messages [data-kind="ok"]')).to_contain_text("Stok blanko disimpan")
    expect(page.locator("#blanko-state")).to_have_attribute("data-state", "out")
    expect(page.locator("#savebar")).to_have_attribute("data-state", "dirty")
    assert services(base)["office"]["blanko_stock"] == 0

    page.click("#save")
    expect(page.locator('#messages [data-kind="ok"]')).to_contain_text("Pengaturan disimpan")
    expect(page.locator("#savebar")).to_have_attribute("data-state", "clean")
    expect(kia.locator(".a-today")).to_contain_text("sisa 1")
    expect(kia.locator(".a-unsaved")).to_have_count(0)

    after = services(base)
    assert after[KIA]["availability"]["quota"] == 1
    assert after[KIA]["availability"]["remaining"] == 1
    assert after["office"]["blanko_stock"] == 0
    assert after[KTP]["blanko"]["out"] is True
    with_quota = [code for code, svc in after.items() if code != "office" and svc["availability"]["quota"] is not None]
    assert with_quota == [KIA]

    # A ticket at a kiosk uses the quota up: the admin page follows without a reload.
    issue(base, KIA)
    expect(kia.locator(".a-today")).to_contain_text("1 tiket terbit")
    expect(kia.locator(".a-today")).to_contain_text("sisa 0")
    expect(kia.locator('.a-status [data-status="quota_full"]')).to_have_text("Kuota habis")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=artifacts / "admin-settings.png")
    page.click("#messages .a-message-close")
    page.locator(".a-services-section").evaluate("node => node.scrollIntoView({block: 'start'})")
    page.screenshot(path=artifacts / "admin-settings-services.png")


def test_invalid_values_are_explained_next_to_their_fields_and_nothing_is_saved(server_factory, admin_page, artifacts):
    server = server_factory()
    page = admin_page(server.base)
    expect(page.locator("#settings-form")).to_be_visible()

    # Opening hours instead of "always open"; Monday closes before it opens; a negative quota.
    expect(page.locator("#f-always-open")).to_be_checked()
    page.uncheck("#f-always-open")
    expect(page.locator("#f-mon-open")).to_be_enabled()
    page.fill("#f-mon-open", "10:00")
    page.fill("#f-mon-close", "09:00")
    page.locator(f'#service-rows [data-service="{KIA}"] .a-quota').fill("-1")
    page.click("#save")

    expect(page.locator("#savebar")).to_have_attribute("data-state", "problems")
    expect(page.locator("#save-status")).to_have_text("Belum disimpan: 2 isian perlu diperbaiki.")
    expect(page.locator("#problems")).to_be_in_viewport()
    expect(page.locator('[data-problem-for="hours.mon"]')).to_have_text("Jam tutup harus setelah jam buka.")
    expect(page.locator('[data-problem-for="services.penerbitan-kia.quota"]')).to_have_text("Tidak boleh negatif.")
    expect(page.locator('tr[data-field="hours.mon"]')).to_have_attribute("data-invalid", "true")
    expect(page.locator("#problems-list li")).to_have_count(2)
    expect(page.locator("#problems")).to_contain_text("Senin")
    kia_name = services(server.base)[KIA]["name"]["id"]
    expect(page.locator("#problems")).to_contain_text(f"{kia_name} · Kuota per hari")
    page.screenshot(path=artifacts / "admin-settings-problems.png")

    # Nothing of it was saved.
    after = services(server.base)
    assert after[KIA]["availability"]["quota"] is None
    assert after[KIA]["availability"]["ok"] is True

    # The problems follow the language switch.
    page.click('.lang-switch [data-lang="en"]')
    expect(page.locator('[data-problem-for="hours.mon"]')).to_have_text("Closing time must be after opening time.")
    expect(page.locator("#save")).to_have_text("Save")

    # Fixed, it saves: Monday 08:00-15:00 like the other weekdays, and no quota.
    page.fill("#f-mon-open", "08:00")
    page.fill("#f-mon-close", "15:00")
    page.locator(f'#service-rows [data-service="{KIA}"] .a-quota').fill("")
    page.click("#save")
    expect(page.locator("#savebar")).to_have_attribute("data-state", "clean")
    expect(page.locator('[data-problem-for="hours.mon"]')).to_be_hidden()


def test_the_page_is_usable_on_a_laptop(server_factory, admin_page, artifacts):
    server = server_factory()
    page = admin_page(server.base, viewport=LAPTOP)
    expect(page.locator("#settings-form")).to_be_visible()
    expect(page.locator("#save")).to_be_in_viewport()
    kia = page.locator(f'#service-rows [data-service="{KIA}"]')
    kia.locator(".a-closed").check()
    expect(kia.locator(".a-reason")).to_be_focused()
    page.keyboard.type("Printer foto rusak")
    expect(page.locator("#save")).to_be_in_viewport()  # the save bar stays on screen while scrolling
    page.click("#save")
    expect(page.locator("#savebar")).to_have_attribute("data-state", "clean")
    expect(kia.locator('.a-status [data-status="closed"]')).to_have_text("Ditutup")
    page.screenshot(path=artifacts / "admin-settings-laptop.png")
    availability = services(server.base)[KIA]["availability"]
    assert availability["ok"] is False
    assert availability["reason"] == "closed"


def test_a_pelayanan_officer_sees_the_apis_refusal(live_server, admin_page, artifacts):
    page = admin_page(live_server, username="pelayanan")
    expect(page.locator("#view-refused")).to_be_visible()
    expect(page.locator("#refused-message")).to_have_text("Anda tidak memiliki peran ini.")
    expect(page.locator("#settings-form")).to_be_hidden()
    page.screenshot(path=artifacts / "admin-refused.png")
    page.click('.lang-switch [data-lang="en"]')
    expect(page.locator("#refused-message")).to_have_text("You do not hold this role.")

    page.click("#refused-logout")
    expect(page.locator("#view-login")).to_be_visible()


def test_the_admin_gives_documents_their_own_pickup_hours(server_factory, admin_page, artifacts):
    page = admin_page(server_factory().base)
    expect(page.locator("#settings-form")).to_be_visible()
    expect(page.locator("#f-pickup-same")).to_be_checked()  # by default: the ticket hours
    expect(page.locator("#pickup-same-note")).to_be_visible()
    expect(page.locator("#f-pickup-mon-open")).to_be_disabled()
    page.locator("#f-pickup-same").uncheck()
    expect(page.locator("#f-pickup-mon-open")).to_be_enabled()
    page.fill("#f-pickup-mon-open", "13:00")
    page.fill("#f-pickup-fri-close", "10:00")
    page.fill("#f-pickup-fri-open", "11:00")  # Friday closes before it opens: refused next to the row
    page.click("#save")
    expect(page.locator('[data-problem-for="pickup_hours.fri"]')).to_have_text("Jam tutup harus setelah jam buka.")
    expect(page.locator("#problems-list")).to_contain_text("Jam pengambilan dokumen · Jumat")
    page.locator(".a-pickup-section").screenshot(path=artifacts / "admin-settings-pickup-invalid.png")
    page.fill("#f-pickup-fri-open", "08:00")
    page.click("#save")
    expect(page.locator('#messages [data-kind="ok"]')).to_contain_text("Pengaturan disimpan")
    expect(page.locator("#savebar")).to_have_attribute("data-state", "clean")
    saved = page.evaluate("fetch('/api/admin/settings').then(r => r.json())")
    assert saved["hours"] is None  # the ticket hours are untouched
    assert saved["pickup_hours"]["mon"] == {"open": "13:00:00", "close": "15:00:00"}
    assert (
        saved["pickup_hours"]["fri"] == {"open": "08:00:00", "close": "10:00:00"} and "sat" not in saved["pickup_hours"]
    )
    audit = page.evaluate("fetch('/api/admin/audit?kind=settings.changed').then(r => r.json())")
    assert audit["entries"][0]["summary"] == "pickup_hours"
    page.reload()
    expect(page.locator("#f-pickup-same")).not_to_be_checked()
    expect(page.locator("#f-pickup-mon-open")).to_have_value("13:00")
    page.locator(".a-pickup-section").screenshot(path=artifacts / "admin-settings-pickup.png")
