"""The status page on a phone (360x800) in headless Chromium: it follows its ticket live to "siap diambil"."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import Officer, issue

pytestmark = pytest.mark.e2e
expect.set_options(timeout=10_000)

PHONE = {"width": 360, "height": 800}
KTP = "pencetakan-ktp-el"  # Petugas Pelayanan -> Operator -> hand-over


def steps(page) -> list[str]:
    return page.locator("#steps li").evaluate_all("items => items.map(i => i.dataset.status)")


def test_the_phone_follows_its_ticket_through_the_steps_to_siap_diambil_without_a_reload(
    server_factory, contexts, artifacts
):
    server = server_factory()
    ticket = issue(server.base, KTP)
    url = urlparse(ticket["qr"])  # the QR carries this server's LAN address; the test's browser takes the same path
    assert url.path.startswith("/s/T1.")
    page = contexts(server.base, viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url.path)
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    expect(page.locator("body")).to_have_attribute("data-connection", "live")
    expect(page.locator("#number")).to_have_text(ticket["number"])
    for button in page.locator(".lang-switch button").all():
        assert button.bounding_box()["height"] >= 44  # a thumb's target
    expect(page.locator("#state")).to_have_text("Menunggu dipanggil")
    expect(page.locator("#ahead")).to_have_text("0 orang")
    expect(page.locator("#estimate")).to_have_text("Sebentar lagi")  # nobody ahead
    assert steps(page) == ["current", "next", "next"]
    page.screenshot(path=artifacts / "status-waiting.png", full_page=True)

    desk = Officer(server.base, "pelayanan", "Loket 1")
    called = desk.request("POST", "/api/counter/call-next")["ticket"]
    assert called["number"] == ticket["number"]
    expect(page.locator("body")).to_have_attribute("data-state", "called")
    expect(page.locator("#headline")).to_have_text("Silakan menuju Loket 1 sekarang.")
    page.screenshot(path=artifacts / "status-called.png", full_page=True)

    desk.act(called["id"], "start")
    desk.act(called["id"], "advance")
    expect(page.locator("#state")).to_have_text("Sedang diproses")
    expect(page.locator("#steps li").first).to_have_attribute("data-status", "done")
    assert steps(page) == ["done", "current", "next"]
    # the KTP-el is printed while the resident waits, then handed over: no "you need not wait" (no pickup slip)
    expect(page.locator("#headline")).to_have_text(
        "Berkas Anda sedang diproses petugas. Tetaplah di ruang tunggu: Anda akan dipanggil lagi."
    )
    page.screenshot(path=artifacts / "status-in-process.png", full_page=True)

    operator = Officer(server.base, "operator", "Ruang Operator")
    operator.act(called["id"], "start")
    operator.request("POST", f"/api/staff/tickets/{called['id']}/pend", {"reason": "network_down"})
    expect(page.locator("#pending")).to_be_visible()
    expect(page.locator("#pending-reason")).to_have_text("Jaringan terganggu")
    expect(page.locator("#queue")).to_be_hidden()  # no place in line while the berkas is on hold
    page.screenshot(path=artifacts / "status-pending.png", full_page=True)
    operator.act(called["id"], "resume")
    expect(page.locator("#pending")).to_be_hidden()
    operator.act(called["id"], "start")
    operator.act(called["id"], "advance")

    expect(page.locator("#state")).to_have_text("Siap diambil")
    expect(page.locator("#pickup")).to_be_visible()
    expect(page.locator("#hours-none")).to_be_visible()  # the demo office set no hours
    expect(page.locator("#queue")).to_be_hidden()
    assert steps(page) == ["done", "done", "current"]
    page.locator('.lang-switch [data-lang="en"]').click()
    expect(page.locator("#state")).to_have_text("Ready for pickup")
    page.screenshot(path=artifacts / "status-ready-en.png", full_page=True)
    page.locator('.lang-switch [data-lang="id"]').click()
    page.screenshot(path=artifacts / "status-ready.png", full_page=True)
    assert desk.request("POST", "/api/counter/call-next")["ticket"]["id"] == called["id"]
    desk.act(called["id"], "start")
    desk.act(called["id"], "hand-over")
    expect(page.locator("#state")).to_have_text("Selesai")
    # "Selesai 1 Desember 2026 · Petugas Pelayanan": the word once, a local date, no ISO day
    finished = page.locator("#steps li small").first
    expect(finished).to_have_text(
        re.compile(
            r"^Selesai \d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|"
            r"September|Oktober|November|Desember) \d{4} · [^·]+$"
        )
    )
    assert "selesai" not in finished.inner_text().lower()[len("selesai") :]
    page.screenshot(path=artifacts / "status-done.png", full_page=True)
    assert page.evaluate("window.__sameDocument") is True  # every step arrived live, no reload
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width  # nothing wider than the phone
    assert not errors, errors


def test_a_forged_code_gets_a_plain_refusal_page(server_factory, contexts, artifacts):
    server = server_factory()
    path = urlparse(issue(server.base, KTP)["qr"]).path
    forged = path[:-1] + ("A" if path[-1] != "A" else "B")
    page = contexts(server.base, viewport=PHONE).new_page()
    response = page.goto(forged)
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Kode tidak dikenal")
    expect(page.locator("h2")).to_have_text("Unknown code")
    assert "B-001" not in page.content()
    page.screenshot(path=artifacts / "status-refused.png", full_page=True)
