"""A booking's status page on a phone (360x800) in headless Chromium: the booking QR's address shows the booking;
checked in with a ticket, the same page shows the ticket, live, through the stations to "siap diambil" with the
office's pickup hours. Also the page's weight."""

from __future__ import annotations

import gzip
import json
import re
import urllib.request
from datetime import UTC, datetime
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from loket.core.booking import operations as booking_ops
from loket.core.store import Booking, Store
from tests.fixtures.browser import Officer, issue, morning_zone

pytestmark = pytest.mark.e2e
expect.set_options(timeout=10_000)

PHONE = {"width": 360, "height": 800}
KTP = "pencetakan-ktp-el"  # Petugas Pelayanan -> Operator -> hand-over
ALWAYS = {"open": "00:00", "close": "23:45"}
PICKUP = {d: {"open": "13:00", "close": "15:00"} for d in ("mon", "tue", "wed", "thu")} | {
    "fri": {"open": "13:30", "close": "15:00"}
}


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.load(r)


def _post(url: str, body: dict) -> dict:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as r:
        return json.load(r)


def steps(page) -> list[str]:
    return page.locator("#steps li").evaluate_all("items => items.map(i => i.dataset.status)")


def test_the_booking_qr_opens_the_booking_then_its_ticket_live_to_siap_diambil(server_factory, contexts, artifacts):
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
    rule = {"hours": {d: ALWAYS for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}, "opens_days_before": 7}
    admin.request("PUT", "/api/admin/booking", {"enabled": True, "services": {KTP: rule}})
    admin.request("PUT", "/api/admin/settings", {"pickup_hours": PICKUP})
    day = _get(f"{base}/api/booking/services/{KTP}/days")["days"][0]["day"]
    slot = _get(f"{base}/api/booking/services/{KTP}/days/{day}")["slots"][0]
    made = _post(f"{base}/api/booking", {"service": KTP, "day": day, "start": slot["start"], "nik": "3273010101900001"})
    url = urlparse(made["qr"])
    assert url.path.startswith("/s/B1.")  # the booking QR is its status page's address
    walk_in = issue(base, KTP)  # the ticket the kiosk's check-in will give this booking (first in line)

    page = contexts(base, viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    loaded: dict[str, str] = {}
    sizes: dict[str, int] = {}
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.on("Network.responseReceived", lambda e: loaded.__setitem__(e["requestId"], e["response"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url.path)
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    expect(page.locator("body")).to_have_attribute("data-connection", "live")
    expect(page.locator("body")).to_have_attribute("data-kind", "booking")
    expect(page.locator("#number-label")).to_have_text("Kode booking")
    expect(page.locator("#number")).to_have_text(made["code"])
    expect(page.locator("#state")).to_have_text("Terpesan")
    expect(page.locator("#booking-slot")).to_have_text(f"{made['start']}–{made['end']}")
    expect(page.locator("#headline")).to_contain_text("check-in", ignore_case=True)
    assert page.locator("#booking-bring li").count() == len(made["requirements"]) > 0
    expect(page.locator("#steps-card")).to_be_hidden()
    expect(page.locator("#booking-qr")).to_have_attribute("src", re.compile(r"^data:image/svg\+xml"))
    page.screenshot(path=artifacts / "status-booking.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # the 8-character code fits
    page.locator('.lang-switch [data-lang="en"]').click()
    expect(page.locator("#number-label")).to_have_text("Booking code")
    expect(page.locator("#state")).to_have_text("Booked")
    expect(page.locator("#headline")).to_contain_text("Check in", ignore_case=True)
    page.screenshot(path=artifacts / "status-booking-en.png", full_page=True)
    page.locator('.lang-switch [data-lang="id"]').click()
    weight(page, loaded, sizes)

    # The kiosk's check-in: the ticket issued and the booking marked, in one transaction (as the kiosk does).
    store = Store(server.env["DATABASE_URL"])
    try:
        with store.transaction() as s:
            booking_id = s.scalar(select(Booking.id).where(Booking.code == made["code"]))
            ticket_id = int(urlparse(walk_in["qr"]).path.split(".")[1])
            assert booking_ops.mark_checked_in(s, booking_id, ticket_id, datetime.now(UTC))
    finally:
        store.dispose()
    issue(base, KTP)  # the hall's queue moves (a check-in issues a ticket): the booking's page reads again
    expect(page.locator("body")).to_have_attribute("data-kind", "ticket")
    expect(page.locator("#number-label")).to_have_text("Nomor antrean")
    expect(page.locator("#number")).to_have_text(walk_in["number"])
    expect(page.locator("#state")).to_have_text("Menunggu dipanggil")
    expect(page.locator("#booking")).to_be_hidden()
    assert steps(page) == ["current", "next", "next"]
    expect(page.locator("body")).to_have_attribute("data-connection", "live")
    page.screenshot(path=artifacts / "status-booking-checked-in.png", full_page=True)

    desk = Officer(base, "pelayanan", "Loket 1")
    called = desk.request("POST", "/api/counter/call-next")["ticket"]
    assert called["number"] == walk_in["number"]
    expect(page.locator("#headline")).to_have_text("Silakan menuju Loket 1 sekarang.")  # live: the ticket's room
    desk.act(called["id"], "start")
    desk.act(called["id"], "advance")
    expect(page.locator("#state")).to_have_text("Sedang diproses")
    operator = Officer(base, "operator", "Ruang Operator")
    operator.act(called["id"], "start")
    operator.act(called["id"], "advance")
    expect(page.locator("#state")).to_have_text("Siap diambil")
    expect(page.locator("#pickup")).to_be_visible()
    expect(page.locator("#hours li")).to_have_text(
        ["Senin 13:00–15:00", "Selasa 13:00–15:00", "Rabu 13:00–15:00", "Kamis 13:00–15:00", "Jumat 13:30–15:00"]
    )
    assert steps(page) == ["done", "done", "current"]
    page.screenshot(path=artifacts / "status-booking-ready.png", full_page=True)
    page.locator('.lang-switch [data-lang="en"]').click()
    expect(page.locator("#hours li").first).to_have_text("Monday 13:00–15:00")
    page.locator('.lang-switch [data-lang="id"]').click()
    assert page.evaluate("window.__sameDocument") is True  # everything arrived live, no reload
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not errors, errors


def weight(page, loaded: dict[str, str], sizes: dict[str, int]) -> None:
    """Print what the first view transferred (as served) and what gzip would make of each file."""
    rows = []
    for request_id, url in loaded.items():
        if request_id not in sizes or url.startswith("data:"):
            continue
        body = page.context.request.get(url).body() if "/socket.io/" not in url else b""
        rows.append((urlparse(url).path[:60], sizes[request_id], len(gzip.compress(body, 6)) if body else 0))
    for path, served, zipped in rows:
        print(f"  {path}: {served} bytes transferred, {zipped} gzipped")
    total, zipped = sum(r[1] for r in rows), sum(r[2] for r in rows)
    print(f"status page (booking), first view: {total} bytes transferred, {zipped} bytes if gzipped")
    assert total < 150_000  # HTML, CSS, i18n, the page's module, socket.io, the QR library: no framework, no font


def test_a_cancelled_bookings_page_says_only_that_and_where_to_book_again(server_factory, contexts, artifacts):
    server = server_factory(LOKET_BOOKING_RATE_LIMIT="", LOKET_BOOKING_DEVICE_RATE_LIMIT="", LOKET_STATUS_RATE_LIMIT="")
    base = server.base
    admin = Officer(base)
    admin.request("POST", "/api/login", {"username": "admin", "password": "loket123"})
    admin.token = None
    admin.request("POST", "/api/session", {"role": "admin", "counter_id": None})
    rule = {"hours": {d: ALWAYS for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}, "opens_days_before": 7}
    admin.request("PUT", "/api/admin/booking", {"enabled": True, "services": {KTP: rule}})
    day = _get(f"{base}/api/booking/services/{KTP}/days")["days"][-1]["day"]
    slot = _get(f"{base}/api/booking/services/{KTP}/days/{day}")["slots"][0]
    made = _post(f"{base}/api/booking", {"service": KTP, "day": day, "start": slot["start"], "nik": "3273010101900001"})
    _post(f"{base}/api/booking/{made['code']}/cancel", {})
    page = contexts(base, viewport=PHONE).new_page()
    page.goto(urlparse(made["qr"]).path)
    expect(page.locator("#state")).to_have_text("Dibatalkan")
    expect(page.locator("#headline")).to_have_text("Booking ini sudah dibatalkan.")
    expect(page.locator("#booking-bring")).to_be_hidden()
    expect(page.locator("#booking-qr")).to_be_hidden()
    expect(page.locator("#booking-again a")).to_have_attribute("href", "/booking/")
    expect(page.locator("#booking-again a")).to_have_text("Pesan antrean lagi")
    page.screenshot(path=artifacts / "status-booking-cancelled.png", full_page=True)
