"""The kiosk in a real browser: what a resident sees, what it refuses, a printer that fails, the staff panel."""

from __future__ import annotations

import io
import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from pyzbar import pyzbar

from loket.hardware.printer.emulator import NetworkPrinterEmulator
from tests.fixtures.browser import LoketServer, kiosk_headers, staff_get, stop_the_clock
from tests.fixtures.database import SERVED_KIOSK

pytestmark = pytest.mark.e2e

expect.set_options(timeout=10_000)

KIOSK = {"width": 1080, "height": 1920}  # the portrait touch screen
LANDSCAPE = {"width": 1920, "height": 1080}
KTP = "pencetakan-ktp-el"  # Pencetakan KTP-el: prefix B, first step Petugas Pelayanan 2 min
KIA = "penerbitan-kia"
MIN_TARGET = 72  # px: the smallest touch target on the kiosk


def call(base: str, method: str, path: str, data: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
    """One public API call without a session, as the paired test kiosk: (status, JSON body)."""
    payload = json.dumps(data).encode() if data is not None else None
    headers = {"Accept": "application/json", "Content-Type": "application/json", **kiosk_headers()}
    req = urllib.request.Request(base + path, data=payload, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, json.load(exc)


def next_number(number: str) -> str:
    prefix, _, digits = number.rpartition("-")
    return f"{prefix}-{int(digits) + 1:0{len(digits)}d}"


class Admin:
    """The admin's session through Playwright's request context: cookies persist, CSRF token per session."""

    def __init__(self, browser: Browser, base: str):
        self.context = browser.new_context(base_url=base)
        self.request = self.context.request
        self.post("/api/login", {"username": "admin", "password": "loket123"})
        self.post("/api/session", {"role": "admin", "counter_id": None})

    def _token(self) -> str:
        return self.request.get("/api/csrf").json()["csrf_token"]

    def post(self, path: str, data: dict[str, Any]) -> dict[str, Any]:
        response = self.request.post(path, data=data, headers={"X-CSRFToken": self._token()})
        assert response.ok, response.text()
        return response.json()

    def settings(self, **changes: Any) -> dict[str, Any]:
        response = self.request.put("/api/admin/settings", data=changes, headers={"X-CSRFToken": self._token()})
        assert response.ok, response.text()
        return response.json()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def new_page(contexts) -> Iterator[Callable[..., Page]]:
    """new_page(url, viewport, fake_clock=False): a page in its own browser context, on any server."""
    errors: list[str] = []

    def _open(url: str, viewport: dict[str, int] = KIOSK, *, fake_clock: bool = False) -> Page:
        page = contexts(None, viewport=viewport).new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        if fake_clock:
            page.clock.install()  # timers run normally until the test moves the clock on
        page.goto(url)
        expect(page.locator("[data-service]").first).to_be_visible()
        return page

    yield _open
    assert errors == [], "the kiosk page threw"


@pytest.fixture
def admin(browser: Browser) -> Iterator[Callable[[str], Admin]]:
    admins: list[Admin] = []

    def _make(base: str) -> Admin:
        admins.append(Admin(browser, base))
        return admins[-1]

    yield _make
    for a in admins:
        a.close()


def expect_qr_shown(page: Page) -> None:
    qr = page.locator("#ticket-qr")
    expect(qr).to_have_attribute("src", re.compile(r"^data:image/svg\+xml"))
    expect(qr).to_be_visible()
    page.wait_for_function(
        "() => { const i = document.getElementById('ticket-qr'); return i.complete && i.naturalWidth; }"
    )
    box = qr.bounding_box()
    assert box and box["width"] >= 280 and box["height"] >= 280, box
    # The QR the page drew from the ticket's code reads back as that ticket's signed code.
    [symbol] = pyzbar.decode(Image.open(io.BytesIO(qr.screenshot())))
    payload = symbol.data.decode("ascii")
    # The status page's address (issue 13): a phone's camera opens it; the counter's scan takes it too.
    assert re.fullmatch(r"http://[^/]+/s/T1\.\d+\.[A-Za-z0-9_-]{16}", payload), payload


def small_targets(page: Page) -> list[str]:
    """Visible buttons smaller than a finger on a kiosk."""
    return page.evaluate(
        """(min) => [...document.querySelectorAll('button')]
            .filter(b => b.offsetParent !== null)
            .filter(b => { const r = b.getBoundingClientRect(); return r.width < min || r.height < min; })
            .map(b => {
                const r = b.getBoundingClientRect();
                const name = b.id || b.dataset.service || b.dataset.priority || b.dataset.lang || b.dataset.key;
                return (name || b.textContent.trim()) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height);
            })""",
        MIN_TARGET,
    )


def no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


# ---- 1. read what to bring, take a priority ticket --------------------------------


def test_a_resident_reads_what_to_bring_and_takes_a_priority_ticket(server_factory, new_page, artifacts):
    server = server_factory()
    for _ in range(2):  # two residents already wait for the same front desk
        assert call(server.base, "POST", "/api/tickets", {"service": KTP})[0] == 201

    kiosk = new_page(f"{server.base}/kiosk/", fake_clock=True)
    tile = kiosk.locator(f'[data-service="{KTP}"]')
    expect(tile.locator("[data-waiting]")).to_have_text("2 menunggu")
    # 2 ahead x the SOP's 2 minutes at the front desk, 1 counter: marked as an SOP-based estimate.
    expect(tile.locator("[data-estimate]")).to_have_text("± 4 menit *")
    expect(kiosk.locator("#estimate-footnote")).to_be_visible()
    assert small_targets(kiosk) == []
    assert no_horizontal_scroll(kiosk)
    kiosk.screenshot(path=artifacts / "kiosk-services.png")

    tile.click()
    expect(kiosk.locator("#screen-detail")).to_be_visible()
    expect(kiosk.locator("#detail-name")).to_have_text("Pencetakan KTP-el atau Surat Keterangan")
    expect(kiosk.locator('#detail-reqs [data-req="fotokopi-kk"]')).to_contain_text("Fotokopi Kartu Keluarga (KK)")
    expect(kiosk.locator("#detail-conds")).to_contain_text("Perekaman KTP-el harus sudah dilakukan.")
    expect(kiosk.locator("#detail-meta [data-finish]")).to_have_text("Selesai hari ini")  # not the SOP's target
    estimate = kiosk.locator("#detail-meta [data-estimate]")
    expect(estimate).to_contain_text("Perkiraan tunggu ± 4 menit (2 orang di depan Anda)")
    expect(estimate).to_contain_text("target waktu SOP")
    expect(kiosk.locator("#take-ticket")).to_be_enabled()
    expect(kiosk.locator('#priority-options [data-priority=""]')).to_have_attribute("aria-pressed", "true")
    assert small_targets(kiosk) == []
    assert in_view(kiosk, "#take-ticket") and in_view(kiosk, "#priority-options")
    kiosk.screenshot(path=artifacts / "kiosk-detail.png")

    kiosk.click('#priority-options [data-priority="lansia"]')
    expect(kiosk.locator('#priority-options [data-priority="lansia"]')).to_have_attribute("aria-pressed", "true")
    expect(kiosk.locator('#priority-options [data-priority=""]')).to_have_attribute("aria-pressed", "false")
    kiosk.screenshot(path=artifacts / "kiosk-detail-priority.png")

    stop_the_clock(kiosk)  # the ticket screen's countdown stands at its start
    kiosk.click("#take-ticket")
    expect(kiosk.locator("#screen-ticket")).to_be_visible()
    expect(kiosk.locator("#screen-ticket")).to_have_attribute("data-printed", "true")
    number = kiosk.locator("#ticket-number").inner_text().strip()
    assert number == "B-003"  # after the two already waiting
    expect(kiosk.locator("#ticket-priority")).to_be_visible()
    expect(kiosk.locator("#ticket-service")).to_have_text("Pencetakan KTP-el atau Surat Keterangan")
    expect(kiosk.locator("#ticket-reqs")).to_contain_text("Fotokopi Kartu Keluarga (KK)")
    expect(kiosk.locator("#ticket-take-paper")).to_be_visible()
    expect(kiosk.locator("#print-failed")).to_be_hidden()
    expect(kiosk.locator("#ticket-countdown")).to_have_text("20")
    kiosk.clock.run_for(1_000)
    expect(kiosk.locator("#ticket-countdown")).to_have_text("19")
    expect_qr_shown(kiosk)

    status, ticket = staff_get(server.base, f"/api/tickets/{number}")
    assert status == 200
    assert ticket["priority"] is True
    assert ticket["service"] == KTP
    ahead = {0: "Tidak ada antrean di depan Anda.", 1: "Ada 1 orang di depan Anda."}.get(
        ticket["ahead"], f"Ada {ticket['ahead']} orang di depan Anda."
    )
    expect(kiosk.locator("#ticket-ahead")).to_have_text(ahead)
    kiosk.screenshot(path=artifacts / "kiosk-ticket.png")

    # Nobody touches it: after the countdown the kiosk is back at the start, ready for the next resident.
    kiosk.clock.run_for(18_000)
    expect(kiosk.locator("#ticket-countdown")).to_have_text("1")
    kiosk.clock.run_for(1_000)
    kiosk.clock.resume()
    expect(kiosk.locator("#screen-services")).to_be_visible()
    expect(kiosk.locator("#screen-ticket")).to_be_hidden()
    expect(tile.locator("[data-waiting]")).to_have_text("3 menunggu")


# ---- 2. quotas, blanko and closures, pushed by the admin ------------------------


def test_the_kiosk_refuses_before_printing_when_the_quota_is_used_up(server_factory, new_page, admin, artifacts):
    server = server_factory()
    kiosk = new_page(f"{server.base}/kiosk/")
    expect(kiosk.locator("body")).to_have_attribute("data-connection", "online")
    kiosk.evaluate("window.__notReloaded = true")
    kia = kiosk.locator(f'[data-service="{KIA}"]')
    ktp = kiosk.locator(f'[data-service="{KTP}"]')
    expect(kia).to_have_attribute("data-available", "true")
    expect(kia.locator("[data-quota-left]")).to_have_count(0)
    expect(ktp.locator("[data-blanko]")).to_have_count(0)  # the office does not track blanko yet

    office = admin(server.base)
    office.settings(services={KIA: {"quota": 1}}, blanko_stock=0)

    # The push reaches the kiosk at once: the last ticket of the day, and no blank cards.
    expect(kia.locator("[data-quota-left]")).to_have_text("Sisa kuota hari ini: 1 nomor")
    expect(ktp.locator('[data-blanko="out"]')).to_have_text("Blanko habis: diganti Suket")
    kiosk.screenshot(path=artifacts / "kiosk-services-quota-blanko.png")

    ktp.click()
    expect(kiosk.locator('#detail-notices [data-notice="blanko"]')).to_contain_text(
        "Anda akan menerima Surat Keterangan (Suket)"
    )
    expect(kiosk.locator("#take-ticket")).to_be_enabled()
    kiosk.screenshot(path=artifacts / "kiosk-detail-blanko-out.png")
    kiosk.click("#back")

    kia.click()
    expect(kiosk.locator("#detail-meta [data-quota-left]")).to_have_text("Kuota hari ini: sisa 1 dari 1 nomor")
    kiosk.click("#take-ticket")
    expect(kiosk.locator("#screen-ticket")).to_be_visible()
    expect(kiosk.locator("#ticket-number")).not_to_be_empty()
    kiosk.click("#ticket-done")

    # Used up: said plainly on the tile and on the detail, and the button cannot be pressed.
    message = "Kuota Penerbitan Kartu Identitas Anak (KIA) hari ini (1 nomor) sudah habis."
    expect(kia).to_have_attribute("data-available", "false")
    expect(kia.locator('[data-closed="quota_full"]')).to_contain_text(message)
    kiosk.screenshot(path=artifacts / "kiosk-services-quota-full.png")
    kia.click()
    expect(kiosk.locator("#detail-refusal")).to_contain_text(message)
    expect(kiosk.locator("#take-ticket")).to_be_disabled()
    expect(kiosk.locator("#take-ticket")).to_have_text("Tidak menerima antrean")
    expect(kiosk.locator("#priority-block")).to_be_hidden()
    kiosk.screenshot(path=artifacts / "kiosk-detail-quota-full.png")

    # The server refuses too, and issues nothing.
    status, refused = call(server.base, "POST", "/api/tickets", {"service": KIA})
    assert status == 409, refused
    assert "sudah habis" in refused["message"]

    # A resident reading a detail screen sees a closure the moment the admin makes it.
    kiosk.click("#back")
    ktp.click()
    expect(kiosk.locator("#take-ticket")).to_be_enabled()
    office.settings(services={KIA: {"quota": 1}, KTP: {"closed": True, "closed_reason": "Jaringan SIAK terganggu."}})
    expect(kiosk.locator("#detail-refusal")).to_contain_text("ditutup hari ini. Jaringan SIAK terganggu.")
    expect(kiosk.locator("#take-ticket")).to_be_disabled()
    kiosk.screenshot(path=artifacts / "kiosk-detail-closed.png")

    # Hours: outside them, the whole hall is told once at the top.
    office.settings(hours={})
    expect(kiosk.locator("#take-ticket")).to_be_disabled()
    kiosk.click("#back")
    no_service_today = "Hari ini tidak ada pelayanan. Silakan datang pada hari kerja."
    expect(kiosk.locator("#office-closed")).to_have_text(no_service_today)
    expect(kiosk.locator('[data-available="true"]')).to_have_count(0)
    kiosk.screenshot(path=artifacts / "kiosk-services-closed.png")
    assert kiosk.evaluate("window.__notReloaded") is True


# ---- 3. the printer fails: the screen becomes the ticket ------------------------


def test_a_ticket_the_printer_could_not_print_is_shown_on_screen_and_issued_once(server_factory, new_page, artifacts):
    with NetworkPrinterEmulator(mode="paper_out") as printer:
        # the paired test kiosk's own printer (the pairing code names the kiosk, whatever its address says)
        server = server_factory(LOKET_KIOSK_PRINTERS=f"{SERVED_KIOSK}=network:{printer.address}")
        kiosk = new_page(f"{server.base}/kiosk/?kiosk={SERVED_KIOSK}", fake_clock=True)
        kiosk.click(f'[data-service="{KTP}"]')
        stop_the_clock(kiosk)  # the ticket screen's countdown stands at its start
        kiosk.click("#take-ticket")

        expect(kiosk.locator("#screen-ticket")).to_be_visible()
        expect(kiosk.locator("#screen-ticket")).to_have_attribute("data-printed", "false")
        failed = kiosk.locator("#print-failed")
        expect(failed).to_be_visible()
        expect(failed).to_contain_text("Tiket tidak dapat dicetak")
        expect(failed).to_contain_text("foto layar ini atau catat nomor Anda")
        expect(failed).to_contain_text("Petugas Pelayanan")
        expect(kiosk.locator("#ticket-take-paper")).to_be_hidden()
        number = kiosk.locator("#ticket-number").inner_text().strip()
        assert number == "B-001"
        expect(kiosk.locator("#ticket-number")).to_be_visible()
        expect_qr_shown(kiosk)
        assert kiosk.locator("#ticket-qr").bounding_box()["width"] >= 400  # bigger: it is the ticket now
        expect(kiosk.locator("#ticket-countdown")).to_have_text("45")  # kept longer than a printed one's 20
        kiosk.screenshot(path=artifacts / "kiosk-ticket-not-printed.png")
        kiosk.clock.resume()

        status, ticket = staff_get(server.base, f"/api/tickets/{number}")
        assert status == 200 and ticket["service"] == KTP and ticket["state"] == "waiting", ticket
        assert printer.jobs == []  # nothing went into a printer without paper

        # Issued exactly once: the next resident gets the very next number, and two wait.
        kiosk.click("#ticket-done")
        kiosk.click(f'[data-service="{KTP}"]')
        kiosk.click("#take-ticket")
        expect(kiosk.locator("#ticket-number")).to_have_text(next_number(number))
        status, _ = staff_get(server.base, f"/api/tickets/{next_number(next_number(number))}")
        assert status == 404
        kiosk.click("#ticket-done")
        expect(kiosk.locator(f'[data-service="{KTP}"] [data-waiting]')).to_have_text("2 menunggu")


# ---- 4. the staff panel behind a held gesture and a PIN ----------------------------


def press_pin(page: Page, digits: str) -> None:
    page.click('#pin-pad [data-key="clear"]')
    for digit in digits:
        page.click(f'#pin-pad [data-key="{digit}"]')
    expect(page.locator("#pin-display")).to_have_attribute("data-length", str(len(digits)))


def submit_pin(page: Page) -> None:
    tries = int(page.locator("#pin-error").get_attribute("data-tries") or 0)
    page.click("#pin-submit")
    expect(page.locator("#pin-error")).to_have_attribute("data-tries", str(tries + 1))


def hold(page: Page, selector: str) -> None:
    """Press and hold for the gesture's 3 s (on the page clock): the staff dialog opens."""
    box = page.locator(selector).bounding_box()
    assert box
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.clock.run_for(2_900)
    expect(page.locator("#staff")).to_be_hidden()  # not yet
    page.clock.run_for(100)
    expect(page.locator("#staff")).to_be_visible()
    page.mouse.up()


def test_staff_open_the_kiosk_settings_with_a_held_press_and_the_pin(server_factory, new_page, tmp_path, artifacts):
    folder = tmp_path / "lobby-printer"
    server = server_factory(
        LOKET_KIOSK_PIN="1357",
        LOKET_KIOSK_PRINTERS=f"{SERVED_KIOSK}=file:{folder}",
        LOKET_PIN_RATE_LIMIT="5 per minute",
    )
    kiosk = new_page(f"{server.base}/kiosk/?kiosk={SERVED_KIOSK}", fake_clock=True)

    kiosk.click("#staff-gesture")  # a tap is nothing
    expect(kiosk.locator("#staff")).to_be_hidden()
    hold(kiosk, "#staff-gesture")
    expect(kiosk.locator("#staff-pin")).to_be_visible()
    expect(kiosk.locator("#staff-panel")).to_be_hidden()
    assert small_targets(kiosk) == []
    kiosk.screenshot(path=artifacts / "kiosk-pin.png")

    press_pin(kiosk, "2468")
    submit_pin(kiosk)
    expect(kiosk.locator("#pin-error")).to_contain_text("PIN salah.")
    expect(kiosk.locator("#staff-panel")).to_be_hidden()
    expect(kiosk.locator("#pin-display")).to_have_attribute("data-length", "0")
    kiosk.screenshot(path=artifacts / "kiosk-pin-wrong.png")

    press_pin(kiosk, "1357")
    kiosk.click("#pin-submit")
    expect(kiosk.locator("#staff-panel")).to_be_visible()
    expect(kiosk.locator("#panel-kiosk")).to_have_text(SERVED_KIOSK)
    expect(kiosk.locator("#panel-pairing")).to_have_attribute("data-paired", SERVED_KIOSK)
    expect(kiosk.locator("#panel-printer")).to_have_text(f"file:{folder}")
    expect(kiosk.locator("#panel-kiosk-note")).to_be_hidden()
    kiosk.click("#panel-test-print")
    result = kiosk.locator("#panel-test-result")
    expect(result).to_have_attribute("data-ok", "true")
    expect(result).to_contain_text("Cetak tes berhasil.")
    assert [p.name for p in Path(folder).glob("*.bin")] and all("TES-000" in p.name for p in Path(folder).glob("*.bin"))
    assert small_targets(kiosk) == []
    kiosk.screenshot(path=artifacts / "kiosk-panel.png")

    # The default language: the kiosk switches now, and comes back to it after every resident.
    kiosk.click('#panel-lang [data-default-lang="en"]')
    expect(kiosk.locator('#panel-lang [data-default-lang="en"]')).to_have_attribute("aria-pressed", "true")
    expect(kiosk.locator("h1")).to_have_text("Take a Queue Number")
    kiosk.click("#panel-close")
    expect(kiosk.locator("#staff")).to_be_hidden()
    kiosk.click('.lang-switch [data-lang="id"]')  # a resident prefers Indonesian
    kiosk.click(f'[data-service="{KTP}"]')
    kiosk.click("#take-ticket")
    kiosk.click("#ticket-done")
    expect(kiosk.locator("h1")).to_have_text("Take a Queue Number")

    # Guessing is cut short: 5 tries a minute (two were made above), then the API's own message is shown.
    hold(kiosk, "#staff-gesture")
    messages = []
    for _ in range(4):
        press_pin(kiosk, "0000")
        submit_pin(kiosk)
        messages.append(kiosk.locator("#pin-error").inner_text())
    wrong = "Wrong PIN."  # in the kiosk's language: English at this point
    too_many = "Too many requests. Please wait a moment."
    assert messages == [wrong, wrong, wrong, too_many]
    kiosk.click("#pin-cancel")
    expect(kiosk.locator("#staff")).to_be_hidden()


# ---- 5. landscape, and a kiosk that cannot be left -------------------------------


def in_view(page: Page, selector: str) -> bool:
    """The element is wholly on screen without scrolling.

    Checked in the page and retried: the kiosk re-renders its tiles when the queue changes,
    so an element looked up a moment earlier may have been replaced by an identical one.
    """
    page.wait_for_function(
        """(sel) => {
            const el = document.querySelector(sel);
            if (!el || !el.isConnected) return false;
            const r = el.getBoundingClientRect();
            return r.width > 0 && r.left >= 0 && r.top >= 0
                && r.right <= window.innerWidth && r.bottom <= window.innerHeight;
        }""",
        arg=selector,
        timeout=5_000,
    )
    return True


def test_the_kiosk_fits_a_landscape_screen(live_server, new_page, artifacts):
    kiosk = new_page(f"{live_server}/kiosk/", LANDSCAPE)
    _, data = call(live_server, "GET", "/api/services")
    tiles = kiosk.locator("[data-service]")
    expect(tiles).to_have_count(len(data["services"]))
    # With no text under 24 px, whole summaries and the life events (issue 15) the list scrolls down, never sideways.
    for i in range(len(data["services"])):
        expect(tiles.nth(i)).to_be_visible()
        code = data["services"][i]["code"]
        kiosk.wait_for_function(  # scrolled to (the tiles are drawn again on every queue change): wholly on screen
            """(code) => {
                const t = document.querySelector(`[data-service="${code}"]`);
                if (!t) return false;
                t.scrollIntoView({ block: "center" });
                const r = t.getBoundingClientRect();
                return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
            }""",
            arg=code,
            timeout=5_000,
        )
    kiosk.evaluate("window.scrollTo(0, 0)")
    assert no_horizontal_scroll(kiosk)
    assert small_targets(kiosk) == []
    kiosk.screenshot(path=artifacts / "kiosk-landscape-services.png")

    kiosk.click(f'[data-service="{KTP}"]')
    expect(kiosk.locator("#detail-reqs")).to_contain_text("Fotokopi Kartu Keluarga (KK)")
    assert no_horizontal_scroll(kiosk)
    assert small_targets(kiosk) == []
    assert in_view(kiosk, "#take-ticket") and in_view(kiosk, "#priority-options")
    kiosk.screenshot(path=artifacts / "kiosk-landscape-detail.png")

    kiosk.click('#priority-options [data-priority="ibu_hamil"]')
    kiosk.click("#take-ticket")
    expect(kiosk.locator("#screen-ticket")).to_be_visible()
    expect_qr_shown(kiosk)
    assert no_horizontal_scroll(kiosk)
    assert in_view(kiosk, "#ticket-number") and in_view(kiosk, "#ticket-done")
    kiosk.screenshot(path=artifacts / "kiosk-landscape-ticket.png")


def test_a_kiosk_left_alone_cannot_be_escaped_and_returns_to_the_start(new_page, live_server, artifacts):
    kiosk = new_page(f"{live_server}/kiosk/", fake_clock=True)
    viewport = kiosk.locator('meta[name="viewport"]').get_attribute("content") or ""
    assert "user-scalable=no" in viewport and "maximum-scale=1" in viewport
    assert kiosk.locator("a[href]").count() == 0
    styles = kiosk.evaluate(
        """() => ({select: getComputedStyle(document.body).userSelect,
                   touch: getComputedStyle(document.documentElement).touchAction,
                   overscroll: getComputedStyle(document.documentElement).overscrollBehaviorX})"""
    )
    assert styles == {"select": "none", "touch": "pan-y", "overscroll": "none"}, styles
    for event in ("contextmenu", "selectstart", "dragstart", "dblclick"):
        prevented = kiosk.evaluate(
            """(type) => { const e = new MouseEvent(type, {bubbles: true, cancelable: true});
                           document.querySelector('[data-service]').dispatchEvent(e); return e.defaultPrevented; }""",
            event,
        )
        assert prevented, f"{event} must be blocked"

    # A resident switches to English, opens a service and walks away.
    kiosk.click('.lang-switch [data-lang="en"]')
    kiosk.click(f'[data-service="{KTP}"]')
    expect(kiosk.locator("#detail-name")).to_have_text("KTP-el card printing or certificate (Suket)")
    kiosk.screenshot(path=artifacts / "kiosk-detail-english.png")
    kiosk.clock.run_for(91_000)
    expect(kiosk.locator("#still-here")).to_be_visible()  # "Masih di sini?" first, then the reset
    kiosk.clock.run_for(20_000)
    expect(kiosk.locator("#screen-services")).to_be_visible()
    expect(kiosk.locator("h1")).to_have_text("Ambil Nomor Antrean")


# ---- 6. a public kiosk that cannot be abused, and that never shows a server error ---------


def test_a_kiosk_is_paired_once_from_the_admins_link_or_code(server_factory, browser, admin, artifacts, tmp_path):
    folder = tmp_path / "lobi-printer"
    server = server_factory(LOKET_KIOSK_PIN="1357", LOKET_KIOSK_PRINTERS=f"kiosk-lobi=file:{folder}")
    office = admin(server.base)
    device = office.post("/api/admin/devices", {"kind": "kiosk", "name": "kiosk-lobi"})["device"]
    first = office.post(f"/api/admin/devices/{device['id']}/pair", {})
    assert re.fullmatch(r"(\d{4} ){4}\d{4}", first["code"]) and first["url"].endswith(
        "#pair=" + first["code"].replace(" ", "")
    )

    # A new kiosk, not paired: it opens the admin's link once; the code is kept and leaves the address bar.
    context = browser.new_context(viewport=KIOSK)
    context.set_default_timeout(10_000)
    kiosk = context.new_page()
    kiosk.goto(first["url"])
    expect(kiosk.locator("[data-service]").first).to_be_visible()
    assert "#pair" not in kiosk.url
    kiosk.click(f'[data-service="{KTP}"]')
    kiosk.click("#take-ticket")
    expect(kiosk.locator("#screen-ticket")).to_have_attribute("data-printed", "true")  # on its own printer
    assert list(folder.glob("*.bin")), "the ticket went to kiosk-lobi's printer: the paired kiosk asked"
    kiosk.click("#ticket-done")

    # The admin pairs it again (a stolen code dies): the kiosk's panel takes the new code typed on its pad.
    second = office.post(f"/api/admin/devices/{device['id']}/pair", {})
    kiosk.clock.install()
    kiosk.reload()
    expect(kiosk.locator("[data-service]").first).to_be_visible()
    hold(kiosk, "#staff-gesture")
    press_pin(kiosk, "1357")
    kiosk.click("#pin-submit")
    expect(kiosk.locator("#staff-panel")).to_be_visible()
    expect(kiosk.locator("#panel-pairing")).to_have_attribute("data-paired", "")
    expect(kiosk.locator("#panel-pairing")).to_contain_text("belum dipasangkan")
    for digit in second["code"].replace(" ", ""):
        kiosk.click(f'#pair-pad [data-key="{digit}"]')
    expect(kiosk.locator("#pair-display")).to_have_text(second["code"])
    kiosk.click("#pair-save")
    expect(kiosk.locator("#pair-result")).to_have_attribute("data-ok", "true")
    expect(kiosk.locator("#panel-pairing")).to_have_attribute("data-paired", "kiosk-lobi")
    kiosk.locator("#staff-panel").screenshot(path=artifacts / "kiosk-panel-paired.png")
    kiosk.screenshot(path=artifacts / "kiosk-panel-pairing.png")
    assert kiosk.evaluate("localStorage.getItem('loket.kiosk.token')") == second["code"].replace(" ", "")
    context.close()


def test_the_ticket_is_on_screen_while_it_prints_then_printed(server_factory, new_page, artifacts):
    from tests.printing.test_print_queue import HeldPrinter

    printer = HeldPrinter()
    try:
        server = server_factory(
            LOKET_KIOSK_PRINTERS=f"{SERVED_KIOSK}=network:{printer.address}", LOKET_PRINTER_TIMEOUT="30"
        )
        kiosk = new_page(f"{server.base}/kiosk/?kiosk={SERVED_KIOSK}")
        kiosk.click(f'[data-service="{KTP}"]')
        kiosk.click("#take-ticket")
        # The printer has printed nothing yet: the resident has the number, and is told it is printing.
        expect(kiosk.locator("#ticket-number")).to_have_text("B-001")
        expect(kiosk.locator("#ticket-printing")).to_have_text("Tiket sedang dicetak…")
        expect(kiosk.locator("#ticket-take-paper")).to_be_hidden()
        assert printer.jobs == []
        kiosk.screenshot(path=artifacts / "kiosk-ticket-printing.png")
        printer.release()
        expect(kiosk.locator("#screen-ticket")).to_have_attribute("data-printed", "true")
        expect(kiosk.locator("#ticket-take-paper")).to_be_visible()
        expect(kiosk.locator("#ticket-printing")).to_be_hidden()
        kiosk.screenshot(path=artifacts / "kiosk-ticket-printed.png")
    finally:
        printer.release()
        printer.close()


def test_a_read_only_database_sends_the_resident_to_the_information_desk(
    tmp_path, served_template, new_page, artifacts
):
    server = LoketServer(tmp_path, served_template)
    server.env["DATABASE_URL"] = f"sqlite:///file:{tmp_path / 'loket.db'}?mode=ro&uri=true"  # the disk went read-only
    server.start()
    try:
        kiosk = new_page(f"{server.base}/kiosk/")
        kiosk.click(f'[data-service="{KTP}"]')
        kiosk.click("#take-ticket")
        box = kiosk.locator("#kiosk-error")
        expect(box).to_be_visible()
        expect(box).to_have_attribute("data-error", "storage_unavailable")
        expect(kiosk.locator("#kiosk-error-title")).to_have_text("Silakan ke meja informasi")
        expect(kiosk.locator("#kiosk-error-text")).to_contain_text("basis data hanya bisa dibaca")
        expect(box).not_to_contain_text("500")
        kiosk.screenshot(path=artifacts / "kiosk-read-only.png")
        kiosk.click("#kiosk-error-close")
        kiosk.click('.lang-switch [data-lang="en"]')
        kiosk.click("#take-ticket")
        expect(kiosk.locator("#kiosk-error-title")).to_have_text("Please go to the information desk")
        expect(kiosk.locator("#kiosk-error-text")).to_contain_text("the database can only be read")
        kiosk.screenshot(path=artifacts / "kiosk-read-only-en.png")
    finally:
        server.stop()


def test_a_lost_answer_is_retried_with_the_same_key_and_gives_the_same_ticket(server_factory, new_page):
    server = server_factory()
    kiosk = new_page(f"{server.base}/kiosk/")
    keys: list[str | None] = []

    def lose_the_first_answer(route) -> None:
        keys.append(route.request.headers.get("idempotency-key"))
        if len(keys) == 1:
            route.fetch()  # the server issues the ticket...
            route.abort("connectionreset")  # ...and its answer never reaches the kiosk (a crash, a dropped link)
        else:
            route.continue_()

    kiosk.route("**/api/tickets", lose_the_first_answer)
    kiosk.click(f'[data-service="{KTP}"]')
    kiosk.click("#take-ticket")
    expect(kiosk.locator("#ticket-number")).to_have_text("B-001")
    assert len(keys) == 2 and keys[0] == keys[1] and keys[0] and keys[0].startswith("tap-")
    assert staff_get(server.base, "/api/tickets/B-002")[0] == 404, "the retry issued no second ticket"
    kiosk.click("#ticket-done")
    kiosk.click(f'[data-service="{KTP}"]')
    kiosk.click("#take-ticket")
    expect(kiosk.locator("#ticket-number")).to_have_text("B-002")  # a new tap, a new key
    assert keys[2] != keys[0]
