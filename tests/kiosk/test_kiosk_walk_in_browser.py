"""The kiosk at 1080x1920 in real Chromium when a bookable service's walk-in share is used up (issue 13): the
tile and the detail say so plainly, with the time the next number may come, and the button cannot be pressed."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import morning_zone
from tests.kiosk import test_kiosk_browser as kiosk_tests
from tests.kiosk.test_kiosk_browser import KIA, KIOSK, call

#: The kiosk page and the admin's session, as the kiosk's browser tests open them.
new_page = kiosk_tests.new_page
admin = kiosk_tests.admin

pytestmark = pytest.mark.e2e

expect.set_options(timeout=10_000)


def test_the_kiosk_says_the_walk_in_share_is_used_up_and_when_the_next_number_comes(
    server_factory, new_page, admin, artifacts
):
    # One slot today, two hours ahead (the server's real clock): 2 seats, 1 online, 1 kept for walk-ins. The
    # office's time zone is one where it is morning now, so the slot is today whenever the test runs.
    zone = morning_zone()
    now = datetime.now(ZoneInfo(zone))
    start = (now + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    assert start.date() == now.date()
    hours = {"open": f"{start:%H:%M}", "close": f"{start + timedelta(minutes=30):%H:%M}"}
    rule = {
        "hours": {d: hours for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
        "slot_minutes": 30,
        "seats_per_slot": 2,
        "walk_in_percent": 50,
        "opens_days_before": 1,
    }
    server = server_factory(LOKET_TIMEZONE=zone)
    office = admin(server.base)
    response = office.request.put(
        "/api/admin/booking",
        data={"enabled": True, "services": {KIA: rule}},
        headers={"X-CSRFToken": office._token()},
    )
    assert response.ok, response.text()

    kiosk = new_page(f"{server.base}/kiosk/", KIOSK)
    kia = kiosk.locator(f'[data-service="{KIA}"]')
    expect(kia).to_have_attribute("data-available", "true")
    kia.click()
    left = kiosk.locator("#detail-meta [data-walk-in]")
    expect(left).to_have_text("Antrean langsung (walk-in) hari ini: sisa 1 nomor")
    kiosk.screenshot(path=artifacts / "kiosk-detail-walk-in-left.png")
    kiosk.click("#back")

    status, ticket = call(server.base, "POST", "/api/tickets", {"service": KIA})
    assert status == 201, ticket
    status, refused = call(server.base, "POST", "/api/tickets", {"service": KIA})
    assert status == 409 and refused["error"] == "walk_in_full", refused

    message = (
        "Kuota antrean langsung (walk-in) Penerbitan Kartu Identitas Anak (KIA) hari ini sudah habis. "
        f"Nomor berikutnya tersedia pukul {start:%H:%M} bila masih ada kursi yang tidak dipesan online."
    )
    assert refused["message"] == message
    expect(kia).to_have_attribute("data-available", "false")
    # The tile is small: the short form, with the time.
    expect(kia.locator('[data-closed="walk_in_full"]')).to_have_text(
        f"Kuota walk-in hari ini habis. Nomor berikutnya pukul {start:%H:%M}."
    )
    kiosk.screenshot(path=artifacts / "kiosk-services-walk-in-full.png")
    kia.click()
    expect(kiosk.locator("#detail-refusal")).to_have_text(message)
    expect(kiosk.locator("#take-ticket")).to_be_disabled()
    expect(kiosk.locator("#priority-block")).to_be_hidden()
    kiosk.screenshot(path=artifacts / "kiosk-detail-walk-in-full.png")
    kiosk.click('.lang-switch [data-lang="en"]')
    expect(kiosk.locator("#detail-refusal")).to_have_text(
        "Today's walk-in quota for Child identity card (KIA) is used up. "
        f"The next number is available at {start:%H:%M} if some seats were not booked online."
    )
    kiosk.screenshot(path=artifacts / "kiosk-detail-walk-in-full-en.png")
