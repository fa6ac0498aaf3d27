"""The report page's "Booking online" section in real Chromium on a 1366x768 office screen: figures, both charts
drawn, the tables per service and per slot hour (the arithmetic itself: tests/core/test_booking_report.py)."""

from __future__ import annotations

import json
import urllib.request
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import Officer, issue

from .test_reports_browser import CHART_PIXELS, log_in

pytestmark = pytest.mark.e2e

SCREEN = {"width": 1366, "height": 768}
KIA = "penerbitan-kia"
KTP = "pencetakan-ktp-el"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: Bookable all day, only on the weekday six days from today (booking open a week ahead): whatever the hour
#: the test runs, that day is open, and no other day of the period offers seats.
RULE = {
    "opens_days_before": 7,
    "days_ahead": 6,
    "seats_per_slot": 2,
    "walk_in_percent": 50,
    "priority_percent": 0,
}


def _post(base: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(
        base + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as r:
        return json.load(r)


def test_the_booking_section_renders_on_the_office_screen(server_factory, contexts, artifacts):
    server = server_factory(LOKET_BOOKING_RATE_LIMIT="", LOKET_BOOKING_DEVICE_RATE_LIMIT="")
    base = server.base
    admin = Officer(base)
    admin.request("POST", "/api/login", {"username": "admin", "password": "loket123"})
    admin.token = None
    admin.request("POST", "/api/session", {"role": "admin", "counter_id": None})
    today = admin.request("GET", "/api/reports/summary")["start"]
    last_day = date.fromisoformat(today) + timedelta(days=6)
    last = last_day.isoformat()
    hours = {
        d: ({"open": "00:00", "close": "23:45"} if i == last_day.weekday() else None) for i, d in enumerate(WEEKDAYS)
    }
    admin.request("PUT", "/api/admin/booking", {"enabled": True, "services": {KIA: {**RULE, "hours": hours}}})
    for n, start in ((1, "09:00"), (2, "09:15"), (3, "10:00")):
        made = _post(
            base, "/api/booking", {"service": KIA, "day": last, "start": start, "nik": f"32730101019000{n:02d}"}
        )
    _post(base, f"/api/booking/{made['code']}/cancel", {})
    issue(base, KTP)  # a walk-in

    page = contexts(base, viewport=SCREEN).new_page()
    log_in(page, f"/reports/?from={today}&to={last}")
    section = page.locator("#section-booking")
    expect(section.locator("h2")).to_have_text("Booking online (antrean online)")
    expect(page.locator('[data-kpi="b_made"] .r-kpi-value')).to_have_text("3")
    expect(page.locator('[data-kpi="b_made"] .r-kpi-detail')).to_have_text("1 dibatalkan")
    expect(page.locator('[data-kpi="b_from_booking"] .r-kpi-detail')).to_have_text("0 dari 1")
    expect(page.locator("#booking-empty")).to_be_hidden()
    kia = page.locator(f'#table-booking [data-booking-service="{KIA}"] td')
    expect(kia.nth(1)).to_have_text("3")  # made
    expect(kia.nth(2)).to_have_text("1")  # cancelled
    # 09:00 and 09:15 were booked; 09:30 and 09:45 offered from the rules: 1 online seat each
    hour = page.locator(f'#table-booking-hours [data-slot-hour="{KIA}@09:00"] td')
    expect(hour.nth(2)).to_have_text("4 (2 dari aturan)")
    expect(hour.nth(3)).to_have_text("50% 2/4")
    charts = page.evaluate(CHART_PIXELS, ["chart-sources", "chart-slots"])
    for chart in charts:
        assert chart["chart"] and chart["inked"] > 1000, chart
    assert [c["type"] for c in charts] == ["bar", "bar"]
    # the figures fit the screen: no table or chart wider than the section
    width = section.evaluate("(s) => s.getBoundingClientRect().width")
    assert width <= SCREEN["width"]
    assert section.evaluate("(s) => s.scrollWidth <= s.clientWidth + 1")
    section.scroll_into_view_if_needed()
    page.locator("#booking-title").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "reports-booking-1366.png"))
    section.screenshot(path=str(artifacts / "reports-booking-section.png"))

    page.click('.lang-switch [data-lang="en"]')
    expect(section.locator("h2")).to_have_text("Online booking")
    expect(page.locator('[data-kpi="b_made"] .r-kpi-label')).to_have_text("Bookings made")
