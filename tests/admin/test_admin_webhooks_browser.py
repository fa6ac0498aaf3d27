"""The admin's webhook page in real Chromium at 1366x768: a subscription made through its dialog (the secret
shown once), a test event sent from its row reaches a real receiver on 127.0.0.1 (signature verified with the
Standard Webhooks library) through the server's own outbox worker, and the delivery is listed as sent."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.outbox.receiver import start_receiver

pytestmark = pytest.mark.e2e

SMALL = {"width": 1366, "height": 768}
#: A bound for a shared, busy machine (2 cores, several test runs), not a measurement.
WAIT = 30_000


def test_the_admin_subscribes_a_hub_sends_a_test_and_sees_it_delivered(server_factory, contexts, artifacts):
    receiver = start_receiver()
    try:
        base = server_factory(LOKET_OUTBOX_POLL_SECONDS="0.2").base
        page = contexts(base, viewport=SMALL).new_page()
        page.set_default_timeout(WAIT)
        page.goto("/admin/webhooks")
        page.fill("#login-username", "admin")
        page.fill("#login-password", "loket123")
        page.click("#login-submit")
        expect(page.locator("#rows")).to_contain_text("Belum ada langganan webhook.", timeout=WAIT)
        page.click("#add")
        page.fill('#webhook [name="name"]', "Mal Pelayanan Publik")
        page.fill('#webhook [name="url"]', receiver.url)
        page.click("#webhook-save")
        secret = page.locator("#webhook-secret")
        expect(secret).to_have_text(re.compile(r"^whsec_"), timeout=WAIT)
        receiver.secret = secret.inner_text()
        page.screenshot(path=str(artifacts / "admin-webhooks-secret.png"), full_page=False)
        page.keyboard.press("Escape")
        row = page.locator('#rows tr[data-name="Mal Pelayanan Publik"]')
        expect(row).to_contain_text(receiver.url, timeout=WAIT)
        row.locator(".a-test").click()
        expect(page.locator("#delivery-rows tr[data-webhook-id]")).to_have_count(1, timeout=WAIT)
        for _ in range(100):  # the server's worker polls every 0.2 s; the page shows the list as loaded
            if page.locator('#delivery-rows tr[data-state="sent"]').count():
                break
            page.wait_for_timeout(200)
            page.reload()
        sent = page.locator('#delivery-rows tr[data-state="sent"]')
        expect(sent).to_have_count(1, timeout=WAIT)
        expect(sent).to_contain_text("HTTP 200", timeout=WAIT)
        assert list(receiver.taken) == [sent.get_attribute("data-webhook-id")] and receiver.bad_signatures == 0
        assert receiver.taken[sent.get_attribute("data-webhook-id")]["type"] == "webhook.test"
        # Fits the small screen: the admin tabs on one line, nothing wider than the window, the row's buttons in view.
        tops = page.eval_on_selector_all(".a-nav-link", "links => links.map(a => a.getBoundingClientRect().top)")
        assert len(tops) == 12 and len(set(tops)) == 1, tops  # every tab of admin.routes.NAV
        assert page.evaluate("document.documentElement.scrollWidth") <= SMALL["width"]
        for button in (".a-test", ".a-rotate", ".a-edit", ".a-delete"):
            box = row.locator(button).bounding_box()
            assert box is not None and box["x"] + box["width"] <= SMALL["width"]
        page.screenshot(path=str(artifacts / "admin-webhooks.png"), full_page=False)
    finally:
        receiver.close()
