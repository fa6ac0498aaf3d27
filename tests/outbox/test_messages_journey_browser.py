"""Issue 14's proof, first half: a berkas through its stations with a phone number, in the browser, on a real
server (gunicorn) whose embedded worker sends through a real local WhatsApp/SMS gateway on 127.0.0.1.

The resident types a number on the kiosk's pad (1080x1920) and takes a Penerbitan KIA ticket behind two others;
the officers move the berkas through every station (reception, the support officer, the operator who pends and
resumes it, the hand-over at the front desk). The gateway then holds exactly the expected messages, in order and
once each by idempotency key; each carries a status link that opens on a phone (360x800) showing that ticket's
number and its state at that moment; the front desk (1366x768) lists every delivery as sent.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import LoketServer, Officer, issue, log_in_at_counter
from tests.kiosk.test_kiosk_browser import KIA, KIOSK
from tests.outbox.gateway import Gateway, start_gateway

pytestmark = pytest.mark.e2e

expect.set_options(timeout=10_000)

PHONE_NUMBER = "081234567890"
PHONE = {"width": 360, "height": 800}
LAPTOP = {"width": 1366, "height": 768}
LINK = re.compile(r"https?://\S+/s/\S+")


@pytest.fixture
def gateway():
    gw = start_gateway()
    yield gw
    gw.close()


@pytest.fixture
def office(tmp_path, served_template, gateway):
    """The office's server: the embedded worker (the default) sending through the local gateway with fast retries,
    and LOKET_PUBLIC_URL set as an office sets it, so the links in the messages reach this server."""
    server = LoketServer(
        tmp_path,
        served_template,
        LOKET_OUTBOX_GATEWAY_URL=gateway.url,
        LOKET_OUTBOX_POLL_SECONDS="0.1",
        LOKET_OUTBOX_RETRY_BASE_SECONDS="0.2",
        LOKET_OUTBOX_RETRY_CAP_SECONDS="0.5",
    )
    server.env["LOKET_PUBLIC_URL"] = server.base
    server.start()
    try:
        yield server
    finally:
        server.stop()


def delivered(gateway: Gateway, count: int) -> list[dict]:
    """The bodies the gateway accepted, once it has accepted `count` (at most 20 s: the worker polls every 0.1 s)."""
    for _ in range(200):
        with gateway.lock:
            taken = [s.body for s in gateway.seen if s.answer == 200 and not s.duplicate]
        if len(taken) >= count:
            return taken
        time.sleep(0.1)
    return taken


def open_link(contexts, text: str, number: str, state: str, artifacts, name: str) -> None:
    """The message's status link, opened as written, on a phone: that ticket's number and state."""
    links = set(LINK.findall(text))  # the Indonesian text and the English one carry the same link
    assert len(links) == 1, text
    page = contexts(None, viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    response = page.goto(links.pop())
    assert response is not None and response.status == 200
    expect(page.locator("#number")).to_have_text(number)
    expect(page.locator("#state")).to_have_text(state)
    page.screenshot(path=artifacts / f"journey-link-{name}.png", full_page=True)
    page.close()


def test_a_berkas_through_its_stations_sends_exactly_the_expected_messages_each_with_a_working_link(
    office, gateway, contexts, artifacts
):
    admin = Officer(office.base)
    admin.request("POST", "/api/login", {"username": "admin", "password": "loket123"})
    admin.token = None
    admin.request("POST", "/api/session", {"role": "admin", "counter_id": None})
    # "N orang lagi" at 1: with two ahead, it fires once, when the first of them is called.
    admin.request("PUT", "/api/admin/settings", {"messages": {"ahead_n": 1}})
    first, second = issue(office.base, KIA), issue(office.base, KIA)  # no number: they get nothing

    kiosk = contexts(office.base, viewport=KIOSK).new_page()
    errors: list[str] = []
    kiosk.on("pageerror", lambda exc: errors.append(str(exc)))
    kiosk.goto("/kiosk/")
    kiosk.click(f'[data-service="{KIA}"]')
    kiosk.click("#take-ticket")
    expect(kiosk.locator("#contact-pad")).to_be_visible()
    for digit in PHONE_NUMBER:
        kiosk.click(f'#contact-keys [data-key="{digit}"]')
    expect(kiosk.locator("#contact-number")).to_have_text("0812 3456 7890")
    kiosk.click("#contact-send")
    expect(kiosk.locator("#screen-ticket")).to_be_visible()
    number = kiosk.locator("#ticket-number").inner_text().strip()
    assert number == "F-003" and (first["number"], second["number"]) == ("F-001", "F-002")
    kiosk.screenshot(path=artifacts / "journey-kiosk-ticket.png")
    assert errors == []
    assert delivered(gateway, 0) == []  # taking a ticket says nothing yet

    desk = Officer(office.base, "pelayanan", "Loket 1")

    def step(count: int, says: str, state: str, name: str) -> None:
        """The gateway has taken `count` messages, the last one saying `says`; its link shows `state` now."""
        bodies = delivered(gateway, count)
        assert len(bodies) == count, [b["message"] for b in bodies]
        text = bodies[-1]["message"]
        assert says in text and number in text, text
        assert bodies[-1]["to"] == PHONE_NUMBER, bodies[-1]
        open_link(contexts, text, number, state, artifacts, name)

    # Reception: the two ahead are called and sent on; the resident hears "1 orang lagi" once.
    for other in (first, second):
        called = desk.request("POST", "/api/counter/call-next")["ticket"]
        assert called["number"] == other["number"]
        if other is first:
            step(1, "1 orang lagi", "Menunggu dipanggil", "ahead")
        desk.act(called["id"], "start")
        desk.act(called["id"], "advance")
    mine = desk.request("POST", "/api/counter/call-next")["ticket"]
    assert mine["number"] == number
    step(2, "Loket 1", "Dipanggil", "called")
    desk.act(mine["id"], "start")
    desk.act(mine["id"], "advance")  # to the support officer: the resident is not there, no message

    support = Officer(office.base, "pendukung", "Loket 3")
    support.act(mine["id"], "start")
    support.act(mine["id"], "advance")  # to the operator: none either

    operator = Officer(office.base, "operator", "Ruang Operator")
    operator.act(mine["id"], "start")
    operator.request("POST", f"/api/staff/tickets/{mine['id']}/pend", {"reason": "network_down"})
    step(3, "Jaringan terganggu", "Tertunda", "pending")
    operator.act(mine["id"], "resume")  # back into the operator's list: no message
    operator.act(mine["id"], "start")
    operator.act(mine["id"], "advance")
    step(4, "sudah jadi", "Siap diambil", "ready")

    # The hand-over, at the front desk's laptop (Loket 2): it calls the berkas and sees every delivery as sent.
    front = log_in_at_counter(contexts(office.base, viewport=LAPTOP).new_page(), "pelayanan", "Loket 2")
    front.click("#call-next")
    expect(front.locator("#berkas-contact")).to_have_attribute("data-ticket-id", str(mine["id"]))
    step(5, "Loket 2", "Dipanggil", "pickup-called")
    front.reload()  # the delivery list is drawn when the berkas opens: open it again, now that the last one went
    front.click(f'#here-list button.c-item[data-ticket-id="{mine["id"]}"]')
    rows = front.locator("#berkas-contact #contact-messages tbody tr")
    expect(rows).to_have_count(5)
    assert rows.evaluate_all("rs => rs.map(r => r.dataset.message)") == [
        "ahead",
        "called",
        "pending",
        "ready",
        "called",
    ]
    for i in range(5):
        expect(rows.nth(i)).to_have_attribute("data-state", "sent")
        expect(rows.nth(i)).to_contain_text("terkirim")
    front.locator("#berkas-contact").scroll_into_view_if_needed()
    front.screenshot(path=artifacts / "journey-desk-deliveries.png")
    assert front.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    front.click("#act-start")
    expect(front.locator("#act-hand-over")).to_be_visible()
    front.click("#act-hand-over")
    open_link(contexts, delivered(gateway, 5)[0]["message"], number, "Selesai", artifacts, "done")

    # Exactly those five, in order, once each by idempotency key; the berkas closed, nothing more came.
    with gateway.lock:
        seen = list(gateway.seen)
    keys = [s.key for s in seen if s.answer == 200]
    assert len(keys) == len(set(keys)) == 5, [s.body["message"] for s in seen]
    assert gateway.duplicates() == []
    assert all(s.header_key in (None, s.key) for s in seen)
