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
    # What the saved rules come to per day: 6 seats a slot, 3 online (1 of them priority), 3 kept for walk-ins.
    seats = page.locator(f'fieldset[data-service="{KIA}"] [data-seats]')
    expect(seats.locator('tr[data-day="mon"] td')).to_have_text(["24", "144", "72", "24", "72"])
    expect(seats.locator('tr[data-day="sat"] td')).to_have_text(["16", "96", "48", "16", "48"])
    expect(seats.locator('tr[data-day="sun"] td')).to_have_text(["Tidak dibuka"])
    page.screenshot(path=str(artifacts / "admin-booking.png"), full_page=False)
    seats.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "admin-booking-seats.png"), full_page=False)
    with urllib.request.urlopen(f"{base}/api/booking/services", timeout=10) as r:
        offered = json.load(r)
    assert [s["code"] for s in offered["services"]] == [KIA]


def test_hours_as_typed_are_kept_and_a_refused_field_is_marked_in_view(server_factory, contexts, artifacts):
    """1366x768: "08.00-12.00" is saved as hours (not silently closed); seats 0 is marked beside its field,
    scrolled into view and focused; a service that is off is one line."""
    base = server_factory().base
    page = contexts(base, viewport={"width": 1366, "height": 768}).new_page()
    page.goto("/admin/booking")
    page.fill("#login-username", "admin")
    page.fill("#login-password", "loket123")
    page.click("#login-submit")
    kia = page.locator(f'fieldset[data-service="{KIA}"]')
    expect(kia).to_be_visible()
    expect(kia.locator("[data-rules]")).to_be_hidden()  # off: one line with its switch
    page.screenshot(path=str(artifacts / "admin-booking-collapsed.png"), full_page=False)
    page.check("#b-enabled")
    page.check(f"#s-{KIA}-listed")
    expect(kia.locator("[data-rules]")).to_be_visible()
    expect(page.locator(f"#s-{KIA}-hours-sun")).to_have_attribute("placeholder", "tutup")
    expect(kia.locator('[data-help="seats_per_slot"]')).to_contain_text("dalam satu slot")
    page.uncheck(f"#s-{KIA}-walk_in_when_outside_window")
    page.fill(f"#s-{KIA}-hours-sat", "08.00-12.00")
    page.click("#save")
    expect(page.locator("#messages")).to_contain_text("disimpan")
    expect(page.locator(f"#s-{KIA}-hours-sat")).to_have_value("08:00-12:00")
    expect(page.locator(f"#s-{KIA}-walk_in_when_outside_window")).not_to_be_checked()
    with urllib.request.urlopen(f"{base}/api/booking/services/{KIA}/days", timeout=10) as r:
        assert json.load(r)["days"]  # offered at all
    page.evaluate("window.scrollTo(0, 0)")
    page.fill(f"#s-{KIA}-seats_per_slot", "0")
    page.click("#save")
    box = page.locator(f'[data-field="services.{KIA}.seats_per_slot"]')
    expect(box).to_have_attribute("data-invalid", "true")
    expect(box.locator(".a-problem")).to_be_visible()
    seats = page.locator(f"#s-{KIA}-seats_per_slot")
    expect(seats).to_be_focused()
    expect(seats).to_be_in_viewport()
    expect(seats).to_have_attribute("aria-invalid", "true")
    page.screenshot(path=str(artifacts / "admin-booking-marked.png"), full_page=False)
