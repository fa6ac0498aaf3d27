"""The satisfaction survey in a real browser: a resident rates at the kiosk, the head of office reads the IKM."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.fixtures.browser import Officer, pair_context

pytestmark = pytest.mark.e2e

expect.set_options(timeout=10_000)

KIOSK = {"width": 1080, "height": 1920}  # the portrait touch screen
TABLET = {"width": 800, "height": 1280}  # a small tablet on the counter
DESK = {"width": 1280, "height": 1600}
KTP = "pencetakan-ktp-el"  # front desk -> operator -> hand-over at the front desk
#: What the resident answers: 4 everywhere but 3 for the completion time.
#: NRR sum 35 -> IKM 35 / 9 x 25 = 97.22 -> A (Sangat Baik).
RATINGS = {"persyaratan": 4, "prosedur": 4, "waktu": 3, "biaya": 4, "produk": 4}
RATINGS.update({"kompetensi": 4, "perilaku": 4, "pengaduan": 4, "sarana": 4})


def serve_to_done(base: str, number: str) -> None:
    """The front desk and the operator take the ticket through its steps; the desk hands it over."""
    desk = Officer(base, "pelayanan", "Loket 1")
    operator = Officer(base, "operator", "Ruang Operator")
    called = desk.request("POST", "/api/counter/call-next")["ticket"]
    assert called["number"] == number
    tid = called["id"]
    desk.act(tid, "start")
    desk.act(tid, "advance")
    operator.act(tid, "start")
    operator.act(tid, "advance")
    assert desk.request("POST", "/api/counter/call-next")["ticket"]["id"] == tid
    desk.act(tid, "start")
    assert desk.act(tid, "hand-over")["state"] == "done"


def take_ticket_at_the_kiosk(kiosk: Page) -> str:
    kiosk.click(f'[data-service="{KTP}"]')
    kiosk.click("#take-ticket")
    expect(kiosk.locator("#screen-ticket")).to_be_visible()
    number = kiosk.locator("#ticket-number").inner_text().strip()
    kiosk.click("#ticket-done")
    expect(kiosk.locator("#screen-services")).to_be_visible()
    return number


def type_number(page: Page, number: str) -> None:
    """On the on-screen keypad: the letter, then the digits."""
    letter, digits = number.split("-")
    page.click(f'#prefix-keys [data-key="{letter}"]')
    for digit in digits:
        page.click(f'.sv-digits [data-key="{digit}"]')
    expect(page.locator("#code-input")).to_have_value(number)


def small_targets(page: Page, minimum: int = 72) -> list[str]:
    return page.evaluate(
        """(min) => [...document.querySelectorAll('button')]
            .filter(b => b.offsetParent !== null)
            .filter(b => { const r = b.getBoundingClientRect(); return r.width < min || r.height < min; })
            .map(b => (b.id || b.dataset.key || b.textContent.trim()) + ' '
                      + Math.round(b.getBoundingClientRect().height))""",
        minimum,
    )


def test_a_resident_rates_at_the_kiosk_and_the_head_of_office_reads_the_ikm(server_factory, browser, artifacts):
    server = server_factory()
    context = pair_context(browser.new_context(viewport=KIOSK, base_url=server.base))
    context.set_default_timeout(10_000)
    errors: list[str] = []
    kiosk = context.new_page()
    kiosk.on("pageerror", lambda exc: errors.append(str(exc)))
    kiosk.clock.install()  # timers run normally until the test moves the clock on
    kiosk.goto("/kiosk/")

    # The resident takes a ticket.
    number = take_ticket_at_the_kiosk(kiosk)

    # Not handed over yet: the survey says so plainly, and stores nothing.
    expect(kiosk.locator("#open-survey")).to_be_visible()
    kiosk.screenshot(path=artifacts / "survey-kiosk-entry.png")
    kiosk.click("#open-survey")
    expect(kiosk.locator("body.sv")).to_have_attribute("data-ready", "true")
    assert small_targets(kiosk) == []
    kiosk.screenshot(path=artifacts / "survey-start.png")
    type_number(kiosk, number)
    kiosk.click("#start-next")
    expect(kiosk.locator("#start-error")).to_contain_text("belum selesai")
    kiosk.screenshot(path=artifacts / "survey-refused-not-done.png")

    serve_to_done(server.base, number)
    kiosk.click("#start-skip")
    waiting = take_ticket_at_the_kiosk(kiosk)  # the next resident's, still waiting
    kiosk.click("#open-survey")

    # After hand-over: the number on the keypad, nine answers, one touch each, with progress.
    kiosk.click('.sv-digits [data-key="clear"]')
    type_number(kiosk, number)
    kiosk.click("#start-next")
    expect(kiosk.locator("#screen-rate")).to_be_visible()
    expect(kiosk.locator("#rate-ticket")).to_have_text(number)
    for i, (element, value) in enumerate(RATINGS.items(), start=1):
        expect(kiosk.locator("#progress-text")).to_have_text(f"Pertanyaan {i} dari 9")
        if element == "biaya":
            expect(kiosk.locator('#answers [data-value="4"]')).to_contain_text("Gratis")
            assert small_targets(kiosk) == []
            kiosk.screenshot(path=artifacts / "survey-question.png")
        kiosk.click(f'#answers [data-value="{value}"]')
    expect(kiosk.locator("#screen-finish")).to_be_visible()
    expect(kiosk.locator('#summary [data-element="waktu"]')).to_have_attribute("data-value", "3")
    kiosk.fill("#comment", "Petugas ramah, antrean tertib.")
    kiosk.screenshot(path=artifacts / "survey-finish.png")
    kiosk.click("#submit")
    expect(kiosk.locator("#screen-thanks")).to_be_visible()
    expect(kiosk.locator("#screen-thanks h2")).to_have_text("Terima kasih!")
    kiosk.screenshot(path=artifacts / "survey-thanks.png")

    # The thanks screen returns to the kiosk by itself, after its countdown of 8 seconds.
    kiosk.clock.run_for(8_000)
    expect(kiosk.locator("[data-service]").first).to_be_visible()
    assert kiosk.url.endswith("/kiosk/")

    # The same ticket cannot rate twice; the other one is still waiting.
    kiosk.click("#open-survey")
    expect(kiosk.locator("body.sv")).to_have_attribute("data-ready", "true")
    type_number(kiosk, number)
    kiosk.keyboard.press("Enter")
    expect(kiosk.locator("#start-error")).to_have_text("Tiket ini sudah memberi penilaian. Terima kasih!")
    kiosk.screenshot(path=artifacts / "survey-refused-already-rated.png")
    kiosk.fill("#code-input", waiting)
    kiosk.keyboard.press("Enter")
    expect(kiosk.locator("#start-error")).to_contain_text("belum selesai")
    kiosk.click("#start-skip")
    expect(kiosk.locator("[data-service]").first).to_be_visible()
    assert errors == [], "the kiosk or the survey page threw"

    # The head of office logs in on the report page: one response is counted, but with fewer than
    # three its figures and comment stay hidden (the resident could be recognised); the IKM
    # arithmetic itself is checked against hand-worked examples in tests/core and tests/web.
    report = browser.new_context(viewport=DESK, base_url=server.base).new_page()
    report.goto("/survey/report")
    report.fill("#login-username", "kepala")
    report.fill("#login-password", "loket123")
    report.click("#login-submit")
    expect(report.locator("#view-report")).to_be_visible()
    expect(report.locator("#responses-value")).to_have_text("1")
    expect(report.locator("#few-responses")).to_be_visible()
    expect(report.locator("#few-responses")).to_contain_text("Kurang dari 3 responden")
    expect(report.locator("#ikm-value")).to_have_text("–")
    expect(report.locator('#element-rows [data-element="waktu"] [data-nrr]')).to_have_text("–")
    expect(report.locator(f'#service-rows [data-service="{KTP}"]')).to_contain_text("disembunyikan")
    expect(report.locator("#comments-block")).to_be_hidden()
    assert "Petugas ramah" not in report.locator("body").inner_text()
    expect(report.locator("#paper-office")).to_have_text("Disdukcapil Kota Contoh")
    report.screenshot(path=artifacts / "survey-report.png", full_page=True)
    report.emulate_media(media="print")
    report.screenshot(path=artifacts / "survey-report-print.png", full_page=True)
    report.emulate_media(media="screen")

    # English is one touch away; the export follows the period shown.
    report.click('.lang-switch [data-lang="en"]')
    expect(report.locator("#few-responses")).to_contain_text("Fewer than 3 responses")
    with report.expect_download() as download:
        report.click("#download-csv")
    exported = download.value.path().read_text(encoding="utf-8-sig")
    assert "Fewer than 3 responses" in exported and "Petugas ramah" not in exported
    report.context.close()
    context.close()


def test_the_counter_tablet_offers_the_ticket_just_handed_over_there(server_factory, browser, artifacts):
    server = server_factory()
    context = browser.new_context(viewport=TABLET, base_url=server.base)
    context.set_default_timeout(10_000)
    tablet = context.new_page()
    tablet.goto("/survey?counter=Loket 1")
    expect(tablet.locator("body")).to_have_attribute("data-connection", "online")
    expect(tablet.locator("#offer")).to_be_hidden()
    # A hall tablet: no long-press menu, no dragging, no double-tap zoom (the shared lock of public screens).
    for event in ("contextmenu", "selectstart", "dragstart", "dblclick"):
        prevented = tablet.evaluate(
            """(type) => { const e = new MouseEvent(type, {bubbles: true, cancelable: true});
                           document.body.dispatchEvent(e); return e.defaultPrevented; }""",
            event,
        )
        assert prevented, f"{event} must be blocked"

    issued = Officer(server.base, "pelayanan", "Loket 2")  # any session will do to take a ticket
    number = issued.request("POST", "/api/tickets", {"service": KTP})["number"]
    serve_to_done(server.base, number)

    expect(tablet.locator("#offer")).to_be_visible()
    expect(tablet.locator("#offer-number")).to_have_text(number)
    tablet.screenshot(path=artifacts / "survey-tablet-offer.png")
    tablet.click("#offer-rate")
    expect(tablet.locator("#screen-rate")).to_be_visible()
    for _ in range(9):
        tablet.click('#answers [data-value="4"]')
    tablet.screenshot(path=artifacts / "survey-tablet-finish.png")
    tablet.click("#submit")
    expect(tablet.locator("#screen-thanks")).to_be_visible()
    tablet.click("#thanks-done")
    expect(tablet.locator("#screen-start")).to_be_visible()
    expect(tablet.locator("#offer")).to_be_hidden()
    context.close()
