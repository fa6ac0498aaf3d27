"""Check-in of an online booking on the 1080x1920 kiosk in real Chromium: the code typed on the kiosk's letter pad
gives the ticket at once; a booking for another day scanned too early shows when check-in opens, and the walk-in;
the booking QR held up to the kiosk's camera checks in too."""

from __future__ import annotations

import json
import urllib.request
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.counter.test_counter_browser import MEDIA_ARGS, browser_path, write_y4m
from tests.fixtures.browser import CHROMIUM_ARGS, Officer, kiosk_headers, morning_zone, pair_context
from tests.kiosk.test_kiosk_browser import (  # noqa: F401 (new_page: a fixture)
    KIOSK,
    LANDSCAPE,
    in_view,
    new_page,
    small_targets,
)

pytestmark = pytest.mark.e2e

SERVICE = "penerbitan-kia"  # prefix F
ALWAYS = {"open": "00:00", "close": "23:45"}
#: Every day, all day, a week ahead; check-in from an hour before the slot: the next slot is always open.
RULE = {
    "hours": {d: ALWAYS for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
    "opens_days_before": 7,
    "days_ahead": 6,
    "seats_per_slot": 10,
    "check_in_early_minutes": 60,
    "walk_in_when_outside_window": True,
}


@pytest.fixture
def office(server_factory):
    server = server_factory(
        LOKET_TIMEZONE=morning_zone(), LOKET_BOOKING_RATE_LIMIT="", LOKET_BOOKING_DEVICE_RATE_LIMIT=""
    )
    admin = Officer(server.base)
    admin.request("POST", "/api/login", {"username": "admin", "password": "loket123"})
    admin.token = None
    admin.request("POST", "/api/session", {"role": "admin", "counter_id": None})
    admin.request("PUT", "/api/admin/booking", {"enabled": True, "services": {SERVICE: RULE}})
    return server


def get(base: str, path: str) -> Any:
    with urllib.request.urlopen(base + path, timeout=10) as r:
        return json.load(r)


def book(base: str, day: str, start: str, n: int) -> dict[str, Any]:
    body = {"service": SERVICE, "day": day, "start": start, "nik": f"327301010190{n:04d}"}
    request = urllib.request.Request(
        f"{base}/api/booking",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **kiosk_headers()},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as r:
        return json.load(r)


def test_a_resident_types_the_booking_code_on_the_pad_and_gets_the_ticket(office, new_page, artifacts):  # noqa: F811
    today = get(office.base, f"/api/booking/services/{SERVICE}/days")["days"][0]["day"]
    next_slot = get(office.base, f"/api/booking/services/{SERVICE}/days/{today}")["slots"][0]
    made = book(office.base, today, next_slot["start"], 1)

    kiosk = new_page(f"{office.base}/kiosk/")
    entry = kiosk.locator("#open-checkin")
    expect(entry).to_be_visible()
    expect(entry.locator(".k-checkin-entry-title")).to_have_text("Sudah booking online? Check-in di sini")
    kiosk.screenshot(path=artifacts / "kiosk-checkin-0-home.png")
    entry.click()
    expect(kiosk.locator("#screen-checkin")).to_be_visible()
    expect(kiosk.locator("#checkin-pad [data-key]")).to_have_count(31 + 2)  # the code's alphabet, clear, back
    expect(kiosk.locator('#checkin-pad [data-key="0"]')).to_have_count(0)  # no 0/O, 1/I/L: none to confuse
    expect(kiosk.locator("#checkin-submit")).to_be_disabled()
    for ch in made["code"][:-1] + "Z":
        kiosk.click(f'#checkin-pad [data-key="{ch}"]')
    kiosk.click('#checkin-pad [data-key="back"]')
    kiosk.click(f'#checkin-pad [data-key="{made["code"][-1]}"]')
    expect(kiosk.locator("#checkin-code")).to_have_attribute("data-code", made["code"])
    assert small_targets(kiosk) == [] and in_view(kiosk, "#checkin-submit")
    kiosk.screenshot(path=artifacts / "kiosk-checkin-1-pad.png")
    kiosk.set_viewport_size(LANDSCAPE)  # usable in landscape too: the pad beside the scanner, all in view
    assert small_targets(kiosk) == [] and in_view(kiosk, "#checkin-pad") and in_view(kiosk, "#checkin-submit")
    kiosk.screenshot(path=artifacts / "kiosk-checkin-1-pad-landscape.png")
    kiosk.set_viewport_size(KIOSK)

    kiosk.click("#checkin-submit")
    expect(kiosk.locator("#screen-ticket")).to_be_visible()
    expect(kiosk.locator("#ticket-number")).to_have_text("F-001")
    expect(kiosk.locator('[data-notice="booking"]')).to_contain_text(f"jam booking {next_slot['start']}–")
    kiosk.screenshot(path=artifacts / "kiosk-checkin-2-ticket.png")
    assert get(office.base, f"/api/booking/{made['code']}")["status"] == "checked_in"


def test_too_early_the_scanned_booking_is_explained_and_a_walk_in_ticket_is_offered(office, new_page, artifacts):  # noqa: F811
    last_day = get(office.base, f"/api/booking/services/{SERVICE}/days")["days"][-1]["day"]
    made = book(office.base, last_day, "10:00", 2)

    kiosk = new_page(f"{office.base}/kiosk/")
    kiosk.click("#open-checkin")
    kiosk.click('#checkin-pad [data-key="A"]')  # a key tapped before: it keeps the focus, the scan goes on
    # The scanner is a keyboard: it types the QR's payload and Enter.
    kiosk.keyboard.type(made["qr"])
    kiosk.keyboard.press("Enter")
    refusal = kiosk.locator("#checkin-refusal")
    expect(refusal).to_be_visible()
    expect(refusal).to_have_attribute("data-error", "checkin_early")
    expect(kiosk.locator("#checkin-refusal-title")).to_have_text("Belum waktunya check-in")
    day = "-".join(reversed(last_day.split("-")))
    expect(kiosk.locator("#checkin-refusal-text")).to_have_text(
        f"Booking Anda untuk tanggal {day} pukul 10:00. Check-in dibuka pada tanggal itu pukul 09:00."
    )
    expect(kiosk.locator("#checkin-refusal-slot")).to_have_text(f"{day}, 10:00–10:15")
    expect(kiosk.locator("#checkin-refusal-window")).to_have_text(f"{day}, 09:00–10:15")
    walk_in = kiosk.locator("#checkin-walk-in")
    expect(walk_in).to_have_text("Ambil nomor antrean biasa")
    # Before the tap: what the regular ticket does to this booking (another day's: it stays).
    names = {0: "Senin", 1: "Selasa", 2: "Rabu", 3: "Kamis", 4: "Jumat", 5: "Sabtu", 6: "Minggu"}
    weekday = names[date.fromisoformat(last_day).weekday()]
    expect(kiosk.locator("#checkin-walk-in-note")).to_have_text(
        f"Booking Anda untuk {weekday}, {day} tetap berlaku. Anda mendapat nomor antrean biasa."
    )
    assert small_targets(kiosk) == []
    kiosk.screenshot(path=artifacts / "kiosk-checkin-3-early.png")

    kiosk.click('.lang-switch [data-lang="en"]')
    expect(kiosk.locator("#checkin-refusal-title")).to_have_text("Too early to check in")
    expect(walk_in).to_have_text("Take a regular queue number")
    kiosk.click('.lang-switch [data-lang="id"]')

    walk_in.click()
    expect(kiosk.locator("#screen-ticket")).to_be_visible()
    expect(kiosk.locator("#ticket-number")).to_have_text("F-001")
    expect(kiosk.locator('[data-notice="booking"]')).to_have_count(0)  # a walk-in ticket, not the booking's
    assert get(office.base, f"/api/booking/{made['code']}")["status"] == "booked"  # another day's: still valid


def test_too_early_today_the_kiosk_says_the_booking_ends_and_the_regular_ticket_cancels_it(office, new_page, artifacts):  # noqa: F811
    today = get(office.base, f"/api/booking/services/{SERVICE}/days")["days"][0]["day"]
    slots = get(office.base, f"/api/booking/services/{SERVICE}/days/{today}")["slots"]
    later = slots[8]  # two hours ahead: check-in opens an hour before it
    made = book(office.base, today, later["start"], 4)
    kiosk = new_page(f"{office.base}/kiosk/")
    kiosk.click("#open-checkin")
    kiosk.keyboard.type(made["qr"])
    kiosk.keyboard.press("Enter")
    expect(kiosk.locator("#checkin-refusal")).to_have_attribute("data-error", "checkin_early")
    start = later["start"]
    expect(kiosk.locator("#checkin-walk-in-note")).to_have_text(
        f"Booking Anda untuk pukul {start} akan dibatalkan dan Anda mendapat nomor antrean biasa."
    )
    kiosk.screenshot(path=artifacts / "kiosk-checkin-3b-early-today.png")
    kiosk.click("#checkin-walk-in")
    expect(kiosk.locator("#screen-ticket")).to_be_visible()
    expect(kiosk.locator('[data-notice="booking"]')).to_have_count(0)
    assert get(office.base, f"/api/booking/{made['code']}")["status"] == "cancelled"


def test_the_booking_qr_held_up_to_the_camera_checks_in(office, browser, tmp_path, artifacts):
    today = get(office.base, f"/api/booking/services/{SERVICE}/days")["days"][0]["day"]
    next_slot = get(office.base, f"/api/booking/services/{SERVICE}/days/{today}")["slots"][0]
    made = book(office.base, today, next_slot["start"], 3)
    video = write_y4m(tmp_path / "booking.y4m", made["qr"])
    # Its own Chromium: the fake camera (a video of the booking's QR on a cluttered desk) is chosen at launch.
    camera_browser = browser.browser_type.launch(
        executable_path=browser_path(), args=[*CHROMIUM_ARGS, *MEDIA_ARGS, f"--use-file-for-fake-video-capture={video}"]
    )
    try:
        context = pair_context(camera_browser.new_context(viewport=KIOSK, base_url=office.base))
        context.set_default_timeout(10_000)
        context.grant_permissions(["camera"], origin=office.base)
        kiosk = context.new_page()
        kiosk.goto("/kiosk/")
        kiosk.click("#open-checkin")
        kiosk.click("#checkin-camera")
        expect(kiosk.locator("#ticket-number")).to_have_text("F-001", timeout=20_000)
        expect(kiosk.locator("#checkin-camera-box")).to_be_hidden()  # found: the camera stops
        kiosk.screenshot(path=artifacts / "kiosk-checkin-4-camera.png")
        context.close()
    finally:
        camera_browser.close()
    assert get(office.base, f"/api/booking/{made['code']}")["status"] == "checked_in"


def test_the_booking_qr_scanned_on_the_start_screen_checks_in_by_itself(office, new_page, artifacts):  # noqa: F811
    today = get(office.base, f"/api/booking/services/{SERVICE}/days")["days"][0]["day"]
    next_slot = get(office.base, f"/api/booking/services/{SERVICE}/days/{today}")["slots"][0]
    made = book(office.base, today, next_slot["start"], 3)
    assert "/s/B1." in made["qr"]  # what the booking's QR carries: its status page's address

    kiosk = new_page(f"{office.base}/kiosk/")
    expect(kiosk.locator("#open-checkin")).to_be_visible()
    kiosk.keyboard.type(made["qr"])  # the scanner types the QR, untouched screen, then Enter
    kiosk.keyboard.press("Enter")
    expect(kiosk.locator("#screen-ticket")).to_be_visible()
    expect(kiosk.locator('[data-notice="booking"]')).to_contain_text(f"jam booking {next_slot['start']}–")
    assert get(office.base, f"/api/booking/{made['code']}")["status"] == "checked_in"
