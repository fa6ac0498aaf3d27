"""The walking skeleton in a real browser: kiosk → display → counters → hand-over."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.fixtures.browser import Officer, staff_get, until_no_call_is_shown

pytestmark = pytest.mark.e2e

expect.set_options(timeout=10_000)

KIOSK = {"width": 1080, "height": 1920}  # portrait touch screen
TV = {"width": 1920, "height": 1080}  # display board and officer desk
SERVICE = "pencetakan-ktp-el"  # Pencetakan KTP-el: Petugas Pelayanan → Operator → hand-over


def officer_desk(open_page, base: str, username: str, counter: str) -> Page:
    """Log in on the counter page and take up a role's counter."""
    page = open_page(f"{base}/counter/", TV)
    page.fill("#login-username", username)
    page.fill("#login-password", "loket123")
    page.click("#login-submit")
    expect(page.locator("#view-station")).to_be_visible()
    page.click(f'#role-options [data-role="{username}"]')
    page.click(f'#counter-options [data-counter-name="{counter}"]')
    expect(page.locator("#view-desk")).to_be_visible()
    expect(page.locator("#station-counter")).to_have_text(counter)
    return page


def expect_state(page: Page, state: str) -> None:
    expect(page.locator("#berkas-state")).to_have_attribute("data-state", state)


def test_a_ticket_travels_from_the_kiosk_through_two_stations_to_hand_over(own_server, open_page, artifacts):
    # Its own server: the front desk calls the next ticket and expects the one just taken.
    base = own_server.base
    display = open_page(f"{base}/display/", TV, fake_clock=True)
    expect(display.locator("body")).to_have_attribute("data-connection", "online")
    display.evaluate("window.__notReloaded = true")

    # The resident takes a ticket at the kiosk.
    kiosk = open_page(f"{base}/kiosk/", KIOSK)
    kiosk.click(f'[data-service="{SERVICE}"]')
    expect(kiosk.locator("#detail-name")).to_have_text("Pencetakan KTP-el atau Surat Keterangan")
    expect(kiosk.locator('#detail-reqs [data-req="fotokopi-kk"]')).to_be_visible()
    kiosk.screenshot(path=artifacts / "e2e-kiosk-detail.png")
    kiosk.click("#take-ticket")
    expect(kiosk.locator("#screen-ticket")).to_be_visible()
    number = kiosk.locator("#ticket-number").inner_text().strip()
    assert number == "B-001"
    expect(kiosk.locator("#ticket-qr")).to_have_attribute("src", re.compile(r"^data:image/svg\+xml"))
    kiosk.screenshot(path=artifacts / "e2e-kiosk-ticket.png")

    # The operator is already at work; the berkas will reach the work list by itself.
    operator = officer_desk(open_page, base, "operator", "Ruang Operator")

    # The front desk calls it: the display shows the number and the counter, without a reload.
    desk = officer_desk(open_page, base, "pelayanan", "Loket 1")
    desk.click("#call-next")
    expect(desk.locator("#berkas-number")).to_have_text(number)
    expect_state(desk, "called")
    expect(display.locator("#call-flash")).to_be_visible()
    expect(display.locator("#flash-number")).to_have_text(number)
    expect(display.locator("#flash-counter")).to_have_text("Loket 1")
    expect(display.locator("#latest-number")).to_have_text(number)
    expect(display.locator("#latest-counter")).to_have_text("Loket 1")
    expect(display.locator('.d-counter[data-counter="Loket 1"] .d-counter-number')).to_have_text(number)
    display.screenshot(path=artifacts / "e2e-display-call.png")
    desk.screenshot(path=artifacts / "e2e-counter-called.png")

    desk.click("#act-start")
    expect_state(desk, "serving")
    desk.click("#act-advance")
    expect_state(desk, "in_process")
    expect(desk.locator(".c-not-yours")).to_be_visible()

    # The operator picks it from the work list, prints, and passes it back.
    operator.locator(f'#work-list [data-number="{number}"]').click()
    expect(operator.locator("#berkas-number")).to_have_text(number)
    expect_state(operator, "in_process")
    operator.screenshot(path=artifacts / "e2e-counter-operator.png")
    operator.click("#act-start")
    expect_state(operator, "serving")
    operator.click("#act-advance")
    expect_state(operator, "ready")

    # Ready for hand-over: the front desk calls the resident again.
    desk.click("#call-next")
    expect(desk.locator("#berkas-number")).to_have_text(number)
    expect_state(desk, "called")
    calls_for_number = display.locator(
        f'#latest-call[data-call-number="{number}"], #recent-calls [data-call-number="{number}"]'
    )
    expect(calls_for_number).to_have_count(2)
    expect(display.locator("#latest-counter")).to_have_text("Loket 1")

    desk.click("#act-start")
    expect_state(desk, "serving")
    expect(desk.locator("#act-hand-over")).to_contain_text("Serahkan")  # and its shortcut, F8
    desk.click("#act-hand-over")
    expect_state(desk, "done")
    expect(desk.locator("#berkas-state")).to_have_text("Selesai")
    desk.screenshot(path=artifacts / "e2e-counter-done.png")

    until_no_call_is_shown(display, calls=2)  # the two calls of the number, muted
    expect(display.locator('.d-counter[data-counter="Loket 1"]')).to_have_attribute("data-number", "")
    display.screenshot(path=artifacts / "e2e-display-board.png")
    assert display.evaluate("window.__notReloaded") is True
    assert "(demo)" not in display.inner_text("body"), "the board must never show an officer's name"

    assert staff_get(base, f"/api/tickets/{number}")[1]["state"] == "done"  # by number: staff only


def test_the_kiosk_says_when_the_document_is_ready_not_the_sop_target_and_remembers_english(open_page, artifacts):
    # Issue 15: residents read "Target 20 menit (langkah: 23 menit)" as a promise. The SOP's totals (both, with
    # the mismatch flagged) stay for staff, in the API and the admin's SOP editor; the tile says when it is ready.
    kiosk = open_page("/kiosk/", KIOSK)
    tile = kiosk.locator('[data-service="permohonan-akta-kelahiran"]')
    finish = tile.locator("[data-finish]")
    expect(finish).to_have_text("Diambil lain hari")
    expect(tile.locator("[data-target]")).to_have_count(0)
    kiosk.screenshot(path=artifacts / "e2e-kiosk-services.png")

    kiosk.click('.lang-switch [data-lang="en"]')
    expect(finish).to_have_text("Collect another day")
    kiosk.reload()
    expect(kiosk.locator("h1")).to_have_text("Take a Queue Number")
    expect(finish).to_have_text("Collect another day")


def test_the_counter_shows_the_api_message_for_a_wrong_password(open_page):
    page = open_page("/counter/", TV)
    page.fill("#login-username", "pelayanan")
    page.fill("#login-password", "salah")
    page.click("#login-submit")
    expect(page.locator('#messages [data-kind="error"]')).to_contain_text("Nama pengguna atau kata sandi salah.")
    expect(page.locator("#view-login")).to_be_visible()


def test_the_display_keeps_the_last_call_while_offline_and_heals_itself(own_server, open_page, artifacts):
    base = own_server.base
    display = open_page(f"{base}/display/", TV, fake_clock=True)
    expect(display.locator("body")).to_have_attribute("data-connection", "online")
    number = Officer(base).request("POST", "/api/tickets", {"service": SERVICE})["number"]
    officer = Officer(base)
    officer.take_station("pelayanan", "Loket 2")
    officer.request("POST", "/api/counter/call-next")
    expect(display.locator("#latest-number")).to_have_text(number)
    until_no_call_is_shown(display, calls=1)

    own_server.stop(crash=True)
    expect(display.locator("body")).to_have_attribute("data-connection", "offline")
    expect(display.locator("#offline-banner")).to_be_visible()
    expect(display.locator("#conn-text")).to_have_text("Menghubungkan ulang…")
    expect(display.locator("#latest-number")).to_have_text(number)
    expect(display.locator("#latest-counter")).to_have_text("Loket 2")
    display.screenshot(path=artifacts / "e2e-display-offline.png")

    own_server.start()
    expect(display.locator("body")).to_have_attribute("data-connection", "online", timeout=30_000)
    expect(display.locator("#offline-banner")).to_be_hidden()
    expect(display.locator('.d-counter[data-counter="Loket 2"]')).to_have_attribute("data-number", number)
