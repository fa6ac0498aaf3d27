"""The resident's number in the browser (issue 14): the kiosk's number pad at 1080x1920 (offered when the office
sends messages, skipped with one tap, an impossible number refused in plain words before any ticket) and the
desk's number field with the delivery list at 1366x768."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import log_in_at_counter, staff_get
from tests.kiosk.test_kiosk_browser import KIOSK, KTP, call, small_targets

pytestmark = pytest.mark.e2e

expect.set_options(timeout=10_000)

LAPTOP = {"width": 1366, "height": 768}  # the front desk's laptop
#: A gateway is set (nobody answers there: the worker is off, the messages wait in the outbox).
GATEWAY = {"LOKET_OUTBOX_GATEWAY_URL": "http://127.0.0.1:9/send", "LOKET_OUTBOX_WORKER": "off"}


def press(page, digits: str) -> None:
    for d in digits:
        page.click(f'#contact-keys [data-key="{d}"]')


def take(page) -> None:
    page.click(f'[data-service="{KTP}"]')
    page.click("#take-ticket")
    expect(page.locator("#contact-pad")).to_be_visible()


def test_the_kiosk_offers_a_number_pad_refuses_an_impossible_number_and_skips_in_one_tap(
    server_factory, contexts, artifacts
):
    server = server_factory(**GATEWAY)
    kiosk = contexts(server.base, viewport=KIOSK).new_page()
    errors: list[str] = []
    kiosk.on("pageerror", lambda exc: errors.append(str(exc)))
    kiosk.goto("/kiosk/")
    take(kiosk)
    expect(kiosk.locator("#contact-title")).to_have_text("Mau dikabari lewat WhatsApp/SMS? (tidak wajib)")
    expect(kiosk.locator("#contact-skip")).to_be_visible()
    assert small_targets(kiosk) == []
    skip = kiosk.locator("#contact-skip").bounding_box()
    key = kiosk.locator('#contact-keys [data-key="5"]').bounding_box()
    assert skip and key and skip["height"] >= 110 and key["height"] >= 110 and key["width"] >= 200
    press(kiosk, "0221234")
    kiosk.click("#contact-send")
    expect(kiosk.locator("#contact-error")).to_contain_text("diawali 08")
    expect(kiosk.locator("#screen-ticket")).to_be_hidden()  # refused: no ticket yet
    kiosk.screenshot(path=artifacts / "kiosk-contact-refused.png")
    for _ in range(7):
        kiosk.click('#contact-keys [data-key="del"]')
    press(kiosk, "081234567890")
    expect(kiosk.locator("#contact-number")).to_have_text("0812 3456 7890")
    kiosk.screenshot(path=artifacts / "kiosk-contact-pad.png")
    kiosk.click("#contact-send")
    expect(kiosk.locator("#screen-ticket")).to_be_visible()
    number = kiosk.locator("#ticket-number").inner_text().strip()
    assert number == "B-001"  # the refused try issued nothing
    kiosk.click("#ticket-done")

    take(kiosk)
    kiosk.click("#contact-skip")
    expect(kiosk.locator("#screen-ticket")).to_be_visible()
    expect(kiosk.locator("#ticket-number")).to_have_text("B-002")
    assert errors == []

    # The fresh server's first two tickets (ids 1 and 2; the public ticket answer carries no id).
    status, contact = staff_get(server.base, "/api/staff/tickets/1/contact")
    assert status == 200 and contact["phone"] == "0812*****890"  # the admin is no front desk: masked
    status, contact = staff_get(server.base, "/api/staff/tickets/2/contact")
    assert status == 200 and contact["phone"] is None


def test_without_a_channel_the_kiosk_asks_for_no_number(server_factory, contexts):
    server = server_factory()
    kiosk = contexts(server.base, viewport=KIOSK).new_page()
    kiosk.goto("/kiosk/")
    kiosk.click(f'[data-service="{KTP}"]')
    kiosk.click("#take-ticket")
    expect(kiosk.locator("#screen-ticket")).to_be_visible()
    expect(kiosk.locator("#contact-pad")).to_be_hidden()


def test_the_front_desk_sees_changes_the_number_and_the_delivery_of_each_message(server_factory, contexts, artifacts):
    server = server_factory(**GATEWAY)
    assert call(server.base, "POST", "/api/tickets", {"service": KTP, "phone": "081234567890"})[0] == 201
    page = log_in_at_counter(contexts(server.base, viewport=LAPTOP).new_page(), "pelayanan", "Loket 1")
    page.click("#call-next")
    box = page.locator("#berkas-contact")
    expect(box.locator("#contact-phone-input")).to_have_value("081234567890")
    row = box.locator('#contact-messages [data-message="called"]')
    expect(row).to_have_attribute("data-state", "pending")
    expect(row).to_contain_text("Dipanggil")
    expect(row).to_contain_text("menunggu")
    box.locator("#contact-phone-input").fill("0812")
    box.locator("#contact-save").click()
    expect(box.locator("#contact-error")).to_contain_text("terlalu pendek")
    box.locator("#contact-phone-input").fill("+62 899 1234 5678")
    box.locator("#contact-save").click()
    expect(box.locator("#contact-phone-input")).to_have_value("089912345678")
    box.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "desk-contact.png")
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_the_admin_edits_a_message_sees_its_preview_and_an_unknown_placeholder_refused(
    server_factory, contexts, artifacts
):
    server = server_factory()
    page = contexts(server.base, viewport=LAPTOP).new_page()
    page.goto("/admin/")
    page.fill("#login-username", "admin")
    page.fill("#login-password", "loket123")
    page.click("#login-submit")
    called = page.locator('#m-moments [data-moment="called"]')
    expect(called).to_be_visible()
    page.fill("#m-called-id", "Halo {nama}, nomor {number} ke {counter}")
    called.locator("[data-preview-button]").click()
    expect(called.locator("[data-preview]")).to_contain_text("Placeholder tidak dikenal: {nama}")
    page.click("#m-save")
    expect(page.locator("#m-problems")).to_contain_text("{nama}")
    page.fill("#m-called-id", "Nomor {number} silakan ke {counter}. {link}")
    called.locator("[data-preview-button]").click()
    expect(called.locator("[data-preview]")).to_contain_text("Nomor B-012 silakan ke Loket 3.")
    page.uncheck("#m-ready-on")
    page.click("#m-save")
    expect(page.locator("#m-problems")).to_be_hidden()
    expect(page.locator("#m-ready-on")).not_to_be_checked()  # drawn again from the saved settings
    page.locator("#m-moments").evaluate("n => n.scrollIntoView()")
    page.screenshot(path=artifacts / "admin-messages.png")
    _status, saved = staff_get(server.base, "/api/admin/settings")
    assert saved["messages"]["moments"]["called"]["id"] == "Nomor {number} silakan ke {counter}. {link}"
    assert saved["messages"]["moments"]["ready"]["enabled"] is False
