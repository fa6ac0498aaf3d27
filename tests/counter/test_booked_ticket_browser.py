"""A booked ticket at the 1366x768 counter desk in real Chromium (issue 13): the front desk sees the "Booking online"
badge with its slot and the NIK given at booking, and "Pakai NIK ini" fills the applicant's NIK field; the main
actions stay on screen. The operator sees the badge only, never that NIK."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.counter.test_counter_browser import from_work_list, panel_state
from tests.fixtures.browser import kiosk_headers
from tests.fixtures.browser import log_in_at_counter as log_in
from tests.kiosk.test_checkin_browser import SERVICE, book, get, office  # noqa: F401 (office: a fixture)
from tests.kiosk.test_kiosk_browser import in_view

pytestmark = pytest.mark.e2e

expect.set_options(timeout=10_000)

SMALL_DESK = {"width": 1366, "height": 768}  # the tester's counter PC
NIK = "3273010101900007"


def checked_in(base: str) -> dict:
    """Today's next slot booked with NIK, checked in as a kiosk does: its ticket."""
    today = get(base, f"/api/booking/services/{SERVICE}/days")["days"][0]["day"]
    slot = get(base, f"/api/booking/services/{SERVICE}/days/{today}")["slots"][0]
    made = book(base, today, slot["start"], 7)
    request = urllib.request.Request(
        f"{base}/api/checkin",
        data=json.dumps({"code": made["code"]}).encode(),
        headers={"Content-Type": "application/json", **kiosk_headers()},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as r:
        return dict(json.load(r), start=slot["start"])


def test_the_front_desk_sees_the_booking_and_takes_its_nik_the_operator_only_the_badge(
    office,  # noqa: F811
    contexts,
    artifacts,
):
    ticket = checked_in(office.base)
    front = log_in(contexts(office.base, viewport=SMALL_DESK).new_page(), "pelayanan", "Loket 1")
    front.click("#call-next")
    expect(front.locator("#berkas-number")).to_have_text(ticket["number"])
    expect(front.locator("#berkas-booking")).to_have_text(re.compile(rf"^Booking online {ticket['start']}–\d\d:\d\d$"))
    front.screenshot(path=artifacts / "counter-booked-1366-0-called.png")
    assert in_view(front, "#berkas-booking") and in_view(front, "#act-start")
    front.click("#act-start")
    panel_state(front, "serving")
    expect(front.locator("#booking-nik-value")).to_have_text(NIK)
    expect(front.locator("#applicant-nik")).to_have_value("")
    assert in_view(front, "#act-advance"), "the badge pushed the main actions below the fold"
    front.screenshot(path=artifacts / "counter-booked-1366-1-badge.png")
    front.click("#booking-nik-use")
    expect(front.locator("#applicant-nik")).to_have_value(NIK)
    expect(front.locator("#applicant-nik")).to_be_focused()
    front.fill("#applicant-name", "Budi Santoso")
    front.click("#applicant-save")
    expect(front.locator("#applicant-shown-nik")).to_have_text(NIK)
    front.screenshot(path=artifacts / "counter-booked-1366-2-filled.png", full_page=True)
    front.click("#act-advance")
    expect(front.locator("#berkas-panel")).not_to_have_attribute("data-state", "serving")

    support = log_in(contexts(office.base, viewport=SMALL_DESK).new_page(), "pendukung", "Loket 3")
    from_work_list(support, ticket["number"])
    support.click("#act-start")
    panel_state(support, "serving")
    support.click("#act-advance")
    expect(support.locator("#berkas-panel")).not_to_have_attribute("data-state", "serving")

    operator = log_in(contexts(office.base, viewport=SMALL_DESK).new_page(), "operator", "Ruang Operator")
    from_work_list(operator, ticket["number"])
    operator.click("#act-start")
    panel_state(operator, "serving")
    expect(operator.locator("#berkas-booking")).to_contain_text(f"Booking online {ticket['start']}")  # it arrived
    expect(operator.locator("#applicant-nik")).to_be_visible()  # its form, for the berkas in hand
    expect(operator.locator("#booking-nik")).to_have_count(0)
    operator.screenshot(path=artifacts / "counter-booked-1366-3-operator.png")
