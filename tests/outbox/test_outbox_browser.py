"""In the browser, on a real server (gunicorn) whose embedded worker sends SMS through gammu-smsd's folder: the
folder missing, the counter desk shows the channel's alert and the admin's settings page shows it failing with
the message waiting; the folder back, the message goes and the page shows the channel working; the admin sets a
daily cap on the page."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from loket.core.store import OutboxMessage, Store

pytestmark = pytest.mark.e2e

expect.set_options(timeout=15_000)


@pytest.fixture
def admin_page(contexts):
    """admin_page(base): /admin/ logged in as the demo admin, in its own context."""

    def _open(base: str):
        page = contexts(base, viewport={"width": 1920, "height": 1080}).new_page()
        page.goto("/admin/")
        page.fill("#login-username", "admin")
        page.fill("#login-password", "loket123")
        page.click("#login-submit")
        return page

    return _open


def add_message(server) -> None:
    """A message due now, as the event that makes one would write it (the kiosk's number pad is another branch)."""
    store = Store(f"sqlite:///{server.folder / 'loket.db'}")
    now = datetime.now(UTC)
    with store.transaction() as s:
        s.add(
            OutboxMessage(
                idempotency_key="browser:ev1:phone",
                ordering_key="ticket:1",
                moment="called",
                channel="phone",
                address="081234567890",
                text_id="Nomor antrean A-001 dipanggil.",
                text_en="Queue number A-001 called.",
                state="pending",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
                updated_at=now,
            )
        )
    store.dispose()


def test_a_failing_sms_channel_shows_at_the_desk_and_on_the_admin_page_and_recovers(
    server_factory,
    desk,
    admin_page,
    tmp_path,
    artifacts,
):
    spool = tmp_path / "gammu-outbox"  # not there yet: the channel fails
    server = server_factory(
        LOKET_OUTBOX_PHONE_CHANNEL="sms",
        LOKET_OUTBOX_GAMMU_OUTBOX=str(spool),
        LOKET_OUTBOX_POLL_SECONDS="0.1",
        LOKET_OUTBOX_RETRY_BASE_SECONDS="0.2",
        LOKET_OUTBOX_RETRY_CAP_SECONDS="0.5",
        LOKET_OUTBOX_MAX_ATTEMPTS="10000",  # fast retries here: the default 8 would give it up within seconds
    )
    add_message(server)
    page = desk(server.base, "pelayanan", "Loket 1")  # its requests start the embedded worker
    alert = page.locator('#alerts-list [data-reason="channel_down"]')
    page.reload()  # the alert may have come before the page listened
    expect(alert).to_contain_text("Saluran pesan SMS (modem gammu-smsd) gagal mengirim")
    page.screenshot(path=artifacts / "outbox-desk-channel-down.png")

    admin = admin_page(server.base)
    sms = admin.locator('#outbox-rows tr[data-channel="sms"]')
    expect(sms).to_have_attribute("data-state", "down")
    expect(sms.locator(".a-channel-queue")).to_have_text("1")
    expect(sms.locator(".a-channel-last")).to_contain_text("gammu-smsd outbox")
    expect(admin.locator('#outbox-rows tr[data-channel="smtp"]')).to_contain_text("Tidak diatur")
    admin.screenshot(path=artifacts / "outbox-admin-channel-down.png", full_page=True)

    spool.mkdir()
    for _ in range(200):  # at most 20 s: the worker retries every 0.5 s at most
        if list(spool.iterdir()):
            break
        time.sleep(0.1)
    admin.reload()
    expect(sms).to_have_attribute("data-state", "ok")
    expect(sms.locator(".a-channel-queue")).to_have_text("0")
    expect(sms.locator(".a-channel-today")).to_have_text("1")

    sms.locator('input[name="max_per_day"]').fill("50")
    sms.locator('input[name="price_rupiah"]').fill("350")
    sms.locator("button[type=submit]").click()
    expect(admin.locator("#outbox-status")).to_have_text("Batas disimpan.")
    expect(sms.locator(".a-channel-today")).to_have_text("1 / 50 · Rp 350")
    admin.screenshot(path=artifacts / "outbox-admin-cap.png", full_page=True)
