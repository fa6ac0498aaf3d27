"""Issue 13's whole journey in real Chromium, as the resident and the officers go through it: the resident books
on a 360x800 phone and opens the booking's status page; at the 1080x1920 kiosk the booking code typed on the letter
pad checks in and gives the ticket; the phone's page turns into the ticket by itself; the counter calls it and the
stations move it on; the phone shows each step, live, to "siap diambil" with the pickup hours. No reload, no
request made for the resident's page by the test."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import Officer, morning_zone
from tests.kiosk.test_kiosk_browser import KIOSK, new_page  # noqa: F401 (new_page: a fixture)

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 800}
KTP = "pencetakan-ktp-el"  # Petugas Pelayanan -> Operator -> hand-over (prefix B)
ALWAYS = {"open": "00:00", "close": "23:45"}
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: Slots all day, every day; check-in from an hour before the slot: today's first slot can check in now.
RULE = {"hours": {day: ALWAYS for day in EVERY_DAY}, "opens_days_before": 7, "check_in_early_minutes": 60}
PICKUP = {day: {"open": "13:00", "close": "15:00"} for day in EVERY_DAY}


def steps(page) -> list[str]:
    return page.locator("#steps li").evaluate_all("items => items.map(i => i.dataset.status)")


def test_book_on_the_phone_check_in_at_the_kiosk_and_follow_the_berkas_to_siap_diambil(
    server_factory,
    contexts,
    new_page,  # noqa: F811
    artifacts,
):
    server = server_factory(
        LOKET_TIMEZONE=morning_zone(),
        LOKET_BOOKING_RATE_LIMIT="",
        LOKET_BOOKING_DEVICE_RATE_LIMIT="",
        LOKET_STATUS_RATE_LIMIT="",
    )
    base = server.base
    admin = Officer(base)
    admin.request("POST", "/api/login", {"username": "admin", "password": "loket123"})
    admin.token = None
    admin.request("POST", "/api/session", {"role": "admin", "counter_id": None})
    admin.request("PUT", "/api/admin/booking", {"enabled": True, "services": {KTP: RULE}})
    admin.request("PUT", "/api/admin/settings", {"pickup_hours": PICKUP})

    # The resident books on the phone: the service, today, its first slot still ahead.
    phone = contexts(base, viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    errors: list[str] = []
    phone.on("pageerror", lambda exc: errors.append(str(exc)))
    phone.goto("/booking/")
    phone.locator("#services .b-choice").first.click()
    phone.locator("#days .b-choice").first.click()
    phone.locator("#slots .b-choice").first.click()
    expect(phone.locator("#requirements li").first).to_be_visible()
    phone.fill("#nik", "3273010101900001")
    phone.click("#submit")
    expect(phone.locator("#code")).to_have_text(re.compile(r"^[2-9A-HJ-NP-Z]{8}$"))
    code = phone.locator("#code").inner_text()
    phone.screenshot(path=artifacts / "journey-1-booked.png", full_page=True)

    # ... and opens its status page from the booking (the address its QR carries).
    phone.locator("#status-link").click()
    expect(phone.locator("body")).to_have_attribute("data-kind", "booking")
    expect(phone.locator("body")).to_have_attribute("data-connection", "live")
    expect(phone.locator("#number")).to_have_text(code)
    expect(phone.locator("#state")).to_have_text("Terpesan")
    phone.evaluate("window.__sameDocument = true")  # gone if the page reloads
    phone.screenshot(path=artifacts / "journey-2-status-booked.png", full_page=True)

    # At the kiosk: check-in with the code typed on the letter pad.
    kiosk = new_page(f"{base}/kiosk/", KIOSK)
    kiosk.click("#open-checkin")
    for ch in code:
        kiosk.click(f'#checkin-pad [data-key="{ch}"]')
    kiosk.click("#checkin-submit")
    expect(kiosk.locator("#screen-ticket")).to_be_visible()
    number = kiosk.locator("#ticket-number").inner_text()
    assert re.fullmatch(r"B-\d{3}", number), number
    kiosk.screenshot(path=artifacts / "journey-3-kiosk-ticket.png")

    # The phone's page turned into the ticket's by itself.
    expect(phone.locator("body")).to_have_attribute("data-kind", "ticket")
    expect(phone.locator("#number")).to_have_text(number)
    expect(phone.locator("#state")).to_have_text("Menunggu dipanggil")
    assert steps(phone) == ["current", "next", "next"]
    phone.screenshot(path=artifacts / "journey-4-status-waiting.png", full_page=True)

    # The counter calls it; the stations move it on.
    desk = Officer(base, "pelayanan", "Loket 1")
    called = desk.request("POST", "/api/counter/call-next")["ticket"]
    assert called["number"] == number
    expect(phone.locator("#headline")).to_have_text("Silakan menuju Loket 1 sekarang.")
    phone.screenshot(path=artifacts / "journey-5-status-called.png", full_page=True)
    desk.act(called["id"], "start")
    desk.act(called["id"], "advance")
    expect(phone.locator("#state")).to_have_text("Sedang diproses")
    assert steps(phone) == ["done", "current", "next"]
    operator = Officer(base, "operator", "Ruang Operator")
    operator.act(called["id"], "start")
    operator.act(called["id"], "advance")
    expect(phone.locator("#state")).to_have_text("Siap diambil")
    expect(phone.locator("#pickup")).to_be_visible()
    expect(phone.locator("#hours li").first).to_have_text("Senin 13:00–15:00")
    assert steps(phone) == ["done", "done", "current"]
    phone.screenshot(path=artifacts / "journey-6-status-ready.png", full_page=True)
    assert phone.evaluate("window.__sameDocument") is True  # everything arrived live
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not errors, errors
