"""Issue 15 on a phone (360x800, headless Chromium): the status page of a returned berkas lists the documents
missing, in the SOP's words, and tells the resident they come back to the front with the slip."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import Officer, issue

pytestmark = pytest.mark.e2e
expect.set_options(timeout=10_000)

PHONE = {"width": 360, "height": 800}
HILANG = "dokumen-hilang-rusak"
MISSING = {
    "surat-kehilangan-polisi": "Surat keterangan hilang dari kepolisian",
    "dokumen-perubahan-data": "Fotokopi dokumen dasar perubahan data",
}


def test_the_phone_of_a_returned_resident_lists_what_to_bring_and_the_head_start(server_factory, contexts, artifacts):
    server = server_factory()
    ticket = issue(server.base, HILANG)
    page = contexts(server.base, viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(urlparse(ticket["qr"]).path)
    expect(page.locator("body")).to_have_attribute("data-connection", "live")
    expect(page.locator("#returned")).to_be_hidden()

    desk = Officer(server.base, "pelayanan", "Loket 1")
    called = desk.request("POST", "/api/counter/call-next")["ticket"]
    desk.act(called["id"], "start")
    answer = desk.request("POST", f"/api/staff/tickets/{called['id']}/return", {"missing": list(MISSING)})
    assert answer["print"]["ok"] is True  # the slip came out of the desk's printer

    expect(page.locator("body")).to_have_attribute("data-state", "returned")  # live, no reload
    expect(page.locator("#returned")).to_be_visible()
    expect(page.locator("#missing li")).to_have_text(list(MISSING.values()))
    expect(page.locator("#returned-front")).to_contain_text("Anda dilayani lebih dahulu")
    for item in page.locator("#missing li, #returned-front").all():
        box = item.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]  # nothing runs off a phone's screen
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("#returned").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "status-returned-360.png", full_page=True)

    page.locator(".lang-switch button", has_text="EN").click()
    expect(page.locator("#missing li").first).to_have_text("Police report of the loss")
    expect(page.locator("#returned-front")).to_contain_text("you are served first")
    page.screenshot(path=artifacts / "status-returned-360-en.png", full_page=True)

    desk.act(called["id"], "resume")  # back with the documents: the slip scanned at the desk
    expect(page.locator("#returned")).to_be_hidden()
    expect(page.locator("#ahead")).to_have_text("0 people")
    assert errors == []
