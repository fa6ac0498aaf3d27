"""The admin sees a failing webhook subscription in real Chromium (1366x768), where the other outbox alerts show:
the settings page's outbox section, while a real receiver on 127.0.0.1 answers 503 to the server's own worker;
the alert is gone once the receiver takes a delivery again. The webhooks page marks the row meanwhile."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import Officer
from tests.outbox.receiver import start_receiver

pytestmark = pytest.mark.e2e

SMALL = {"width": 1366, "height": 768}
#: A bound for a shared, busy machine (2 cores, several test runs), not a measurement.
WAIT = 30.0
#: The server's worker polls often and retries soon; two failures in a row raise the alert.
FAST = {
    "LOKET_OUTBOX_POLL_SECONDS": "0.2",
    "LOKET_OUTBOX_RETRY_BASE_SECONDS": "0.3",
    "LOKET_OUTBOX_RETRY_CAP_SECONDS": "0.6",
    "LOKET_OUTBOX_WEBHOOK_ALERT_FAILURES": "2",
}


def admin(base: str) -> Officer:
    officer = Officer(base)
    officer.request("POST", "/api/login", {"username": "admin", "password": "loket123"})
    officer.token = None
    officer.request("POST", "/api/session", {"role": "admin", "counter_id": None})
    return officer


def until(check, what: str) -> dict:
    end = time.monotonic() + WAIT
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"not within {WAIT} s: {what}")


def test_the_admin_sees_a_failing_webhook_and_the_alert_clears_when_it_recovers(server_factory, contexts, artifacts):
    receiver = start_receiver()
    try:
        base = server_factory(**FAST).base
        officer = admin(base)
        made = officer.request(
            "POST",
            "/api/admin/webhooks",
            {"name": "Mal Pelayanan Publik", "url": receiver.url, "events": ["ticket.issued"]},
        )["subscription"]
        receiver.secret = made["secret"]
        receiver.down = True
        officer.request("POST", f"/api/admin/webhooks/{made['id']}/test")

        def alerted():
            return [w for w in officer.request("GET", "/api/admin/outbox")["webhooks"] if w["alerted_at"]]

        (shown,) = until(alerted, "the alert")
        assert shown["failures"] >= 2 and "503" in (shown["last_error"] or "")

        page = contexts(base, viewport=SMALL).new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto("/admin/")
        page.fill("#login-username", "admin")
        page.fill("#login-password", "loket123")
        page.click("#login-submit")
        box = page.locator("#outbox-webhook-alerts")
        expect(box).to_be_visible(timeout=WAIT * 1000)
        expect(box).to_contain_text('Webhook "Mal Pelayanan Publik" gagal dikirim')
        expect(box).to_contain_text("kali berturut-turut")
        expect(page.locator("#outbox-unrouted")).to_be_hidden()  # a webhook waits for its subscription, no channel
        expect(box.locator(f'[data-webhook="{made["id"]}"] a')).to_have_attribute("href", "/admin/webhooks")
        box.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "admin-webhook-alert.png"))
        page.goto("/admin/webhooks")
        row = page.locator(f'#rows tr[data-id="{made["id"]}"]')
        expect(row).to_have_attribute("data-failing", "true", timeout=WAIT * 1000)
        expect(row.locator(".a-webhook-failing")).to_contain_text("Gagal")

        receiver.down = False
        until(lambda: receiver.taken and not alerted() and [True], "the delivery and the alert cleared")
        page.goto("/admin/")
        expect(page.locator("#outbox-rows tr").first).to_be_visible(timeout=WAIT * 1000)
        expect(box).to_be_hidden()
        page.goto("/admin/webhooks")
        expect(row).to_have_attribute("data-failing", "false", timeout=WAIT * 1000)
        assert not receiver.duplicates and receiver.bad_signatures == 0
        assert errors == []
    finally:
        receiver.close()
