"""The admin opens online booking for a service on /admin/booking; the public booking API then offers it."""

from __future__ import annotations

import json
import urllib.request

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

DESK = {"width": 1366, "height": 900}
KIA = "penerbitan-kia"


def test_the_admin_opens_booking_for_a_service_and_residents_see_it(server_factory, contexts, artifacts):
    base = server_factory().base
    page = contexts(base, viewport=DESK).new_page()
    page.goto("/admin/booking")
    expect(page.locator("#view-login")).to_be_visible()
    page.fill("#login-username", "admin")
    page.fill("#login-password", "loket123")
    page.click("#login-submit")
    expect(page.locator(f'fieldset[data-service="{KIA}"]')).to_be_visible()
    page.check("#b-enabled")
    page.check(f"#s-{KIA}-listed")
    page.fill(f"#s-{KIA}-seats_per_slot", "6")
    page.fill(f"#s-{KIA}-hours-sat", "08:00-12:00")
    page.click("#save")
    expect(page.locator("#messages")).to_contain_text("disimpan")
    page.screenshot(path=str(artifacts / "admin-booking.png"), full_page=False)
    with urllib.request.urlopen(f"{base}/api/booking/services", timeout=10) as r:
        offered = json.load(r)
    assert [s["code"] for s in offered["services"]] == [KIA]
