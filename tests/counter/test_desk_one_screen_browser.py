"""The counter desk on a 1366x768 laptop: one screen for the front desk's path, its shortcuts, the queue it
serves (live), a specific number called with a reason, and the back office's own view with a batch advance."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.fixtures.browser import Officer, issue, log_in_at_counter, staff_get

pytestmark = pytest.mark.e2e

expect.set_options(timeout=10_000)

LAPTOP = {"width": 1366, "height": 768}
AKTA = "permohonan-akta-kelahiran"
NAME, NIK = "Siti Aminah", "3273011205900001"


def laptop_desk(contexts, base: str, username: str = "pelayanan", counter: str = "Loket 1") -> Page:
    return log_in_at_counter(contexts(base, viewport=LAPTOP).new_page(), username, counter)


def on_screen(page: Page, selector: str) -> None:
    """The element is shown wholly inside the 1366x768 viewport, and the page itself does not scroll.

    Measured in the page, retried until true or the timeout (the panel is drawn again when live events come).
    """
    expect(page.locator(selector)).to_be_visible()
    page.wait_for_function(
        """selector => {
            const el = document.querySelector(selector);
            if (!el) return false;
            const r = el.getBoundingClientRect();
            return r.width > 0 && r.top >= 0 && r.left >= 0
                && r.bottom <= window.innerHeight && r.right <= window.innerWidth
                && document.documentElement.scrollHeight <= window.innerHeight;
        }""",
        arg=selector,
    )


class Path_:
    """Counts what the officer does: clicks, and the scrolls needed to reach a target first."""

    def __init__(self, page: Page):
        self.page, self.clicks, self.scrolls, self.keys = page, 0, 0, 0

    def click(self, selector: str) -> None:
        target = self.page.locator(selector)
        box = target.bounding_box()
        if box is None or box["y"] < 0 or box["y"] + box["height"] > LAPTOP["height"]:
            self.scrolls += 1
            target.scroll_into_view_if_needed()
        self.clicks += 1
        target.click()

    def key(self, key: str) -> None:
        self.keys += 1
        self.page.keyboard.press(key)


def test_the_front_desk_path_fits_one_laptop_screen_with_shortcuts(server_factory, contexts, artifacts: Path):
    server = server_factory()
    first = issue(server.base, AKTA)["number"]
    second = issue(server.base, AKTA)["number"]
    page = laptop_desk(contexts, server.base)
    walk = Path_(page)
    expect(page.locator("#call-next kbd")).to_have_text("F2")

    # F2 calls (the empty scan field holds the focus between residents: a shortcut still works there)
    expect(page.locator("#scan-input")).to_be_focused()
    walk.key("F2")
    expect(page.locator("#berkas-number")).to_have_text(first)
    expect(page.locator("#berkas-panel")).to_have_attribute("data-state", "called")
    # just called: the timer shows waiting, never "over target"
    expect(page.locator("#step-timer")).to_have_attribute("data-level", "waiting")
    expect(page.locator("#step-timer-over")).to_be_hidden()
    on_screen(page, "#act-start")
    expect(page.locator("#act-start kbd")).to_have_text("F4")
    page.screenshot(path=artifacts / "desk-1366-called.png")

    walk.click("#act-start")
    expect(page.locator("#berkas-panel")).to_have_attribute("data-state", "serving")
    expect(page.locator("#step-timer")).to_have_attribute("data-level", "ok")
    for selector in ("#desk-bar", "#act-done-next", "#act-advance", "#checklist-all", "#applicant-save"):
        on_screen(page, selector)
    expect(page.locator("#act-done-next")).to_contain_text("Selesai & Panggil Berikutnya")
    expect(page.locator("#act-done-next kbd")).to_have_text("F9")

    # the order of the work: documents, then the applicant, then the bar
    order = page.evaluate(
        """() => ['#berkas-checklist', '#berkas-applicant', '#desk-bar'].map(
            s => document.querySelector(s).getBoundingClientRect())
            .map(r => [Math.round(r.left), Math.round(r.top)])"""
    )
    (cl_x, cl_y), (ap_x, ap_y), (_bar_x, bar_y) = order
    assert (cl_y, cl_x) <= (ap_y, ap_x) and ap_y < bar_y, order

    walk.click("#checklist-all")
    boxes = page.locator('#berkas-checklist input[name="req-have"]')
    expect(boxes.first).to_be_checked()
    assert boxes.count() == page.locator('#berkas-checklist input[name="req-have"]:checked').count()

    walk.click("#applicant-name")
    page.keyboard.type(NAME)
    walk.click("#applicant-nik")
    page.keyboard.type(NIK)
    walk.key("F9")  # typing in a field: the shortcut does nothing
    expect(page.locator("#berkas-panel")).to_have_attribute("data-state", "serving")
    expect(page.locator("#berkas-number")).to_have_text(first)
    walk.key("Enter")
    expect(page.locator("#applicant-shown-nik")).to_have_text(NIK)
    # the NIK whole: not cut, not overflowing its box, on screen
    on_screen(page, "#applicant-shown-nik")
    assert page.evaluate(
        """() => { const dd = document.querySelector('#applicant-shown-nik');
                   const box = dd.closest('section').getBoundingClientRect(), r = dd.getBoundingClientRect();
                   return dd.scrollWidth <= dd.clientWidth && r.right <= box.right; }"""
    )
    # the message of the save shows in the bar: it covers neither the berkas nor the buttons
    expect(page.locator("#bar-status .c-message")).to_be_visible()
    on_screen(page, "#act-done-next")
    page.screenshot(path=artifacts / "desk-1366-serving.png")

    page.locator("#berkas-number").click()  # out of the field
    walk.key("F9")  # done, passed on to the scan room, and the next resident called
    expect(page.locator("#berkas-number")).to_have_text(second)
    expect(page.locator("#berkas-panel")).to_have_attribute("data-state", "called")
    status, body = staff_get(server.base, f"/api/tickets/{first}")
    assert status == 200 and body["step"] == 2, body
    page.screenshot(path=artifacts / "desk-1366-next-called.png")
    # the figures of one resident, for the report (before on main: 14 clicks, 4 scrolls, 27 characters)
    print(f"front desk path: {walk.clicks} clicks, {walk.scrolls} scrolls, {walk.keys} keys")
    assert walk.scrolls == 0
    assert walk.clicks <= 4


def test_the_desk_shows_its_queue_live(server_factory, contexts):
    server = server_factory()
    page = laptop_desk(contexts, server.base)
    expect(page.locator("#queue-count")).to_have_text("0")
    expect(page.locator("#queue-empty")).to_be_visible()
    number = issue(server.base, AKTA)["number"]  # a resident takes a ticket at the kiosk: no reload here
    expect(page.locator("#queue-count")).to_have_text("1")
    item = page.locator(f'#queue-list .c-queue-item[data-number="{number}"]')
    expect(item).to_contain_text("Permohonan Akta Kelahiran")
    expect(item.locator(".c-queue-wait")).to_have_text(re.compile(r"\d+"))
    other = Officer(server.base, "pelayanan", "Loket 2")
    other.request("POST", "/api/counter/call-next")  # another counter calls them
    expect(page.locator("#queue-count")).to_have_text("0")
    expect(item).to_have_count(0)


def test_a_specific_number_is_called_with_a_reason_on_the_board_and_in_the_log(server_factory, contexts, artifacts):
    server = server_factory()
    first = issue(server.base, AKTA)["number"]
    second = issue(server.base, AKTA)["number"]
    board = contexts(server.base, viewport={"width": 1920, "height": 1080}).new_page()
    board.goto("/display/")
    expect(board.locator("body")).to_have_attribute("data-connection", "online")
    page = laptop_desk(contexts, server.base)
    page.fill("#scan-input", second)
    page.press("#scan-input", "Enter")
    expect(page.locator("#berkas-number")).to_have_text(second)
    expect(page.locator("#act-start")).to_have_count(0)  # no silent start past the board
    page.click("#act-call")
    expect(page.locator("#call-dialog")).to_be_visible()
    page.check('#call-reasons input[value="other"]')
    page.click("#call-submit")
    expect(page.locator("#call-error")).to_be_visible()  # "Lainnya" needs a note
    page.fill("#call-note", "dipanggil oleh kepala seksi")
    page.screenshot(path=artifacts / "desk-1366-call-number.png")
    page.click("#call-submit")
    expect(page.locator("#berkas-panel")).to_have_attribute("data-state", "called")
    expect(board.locator("#flash-number")).to_have_text(second)  # announced like any call
    expect(page.locator("#queue-count")).to_have_text("1")  # the first still waits
    register = page.context.request.get("/api/register?format=json").json()
    row = next(r for r in register["rows"] if r["number"] == second)
    assert len(row["calls_out_of_turn"]) == 1
    assert "Petugas Pelayanan (demo)" in row["calls_out_of_turn"][0]  # who called
    assert "Lainnya" in row["calls_out_of_turn"][0] and "dipanggil oleh kepala seksi" in row["calls_out_of_turn"][0]
    assert next(r for r in register["rows"] if r["number"] == first)["calls_out_of_turn"] == []
    printed = page.context.new_page()  # the buku harian to print and sign says it too
    printed.goto("/reports/register")
    expect(printed.locator(".out-of-turn")).to_contain_text("Dipanggil di luar urutan:")
    expect(printed.locator(".out-of-turn")).to_contain_text("dipanggil oleh kepala seksi")


def test_the_back_office_has_its_own_view_and_passes_several_berkas_on_together(server_factory, contexts, artifacts):
    server = server_factory()
    front = Officer(server.base, "pelayanan", "Loket 1")
    numbers = []
    for _ in range(3):
        ticket = issue(server.base, AKTA)
        numbers.append(ticket["number"])
        called = front.request("POST", "/api/counter/call-next")["ticket"]
        front.act(called["id"], "start")
        front.act(called["id"], "advance")  # on to the scan room
    page = laptop_desk(contexts, server.base, "scan", "Ruang Scan")
    expect(page.locator("body")).to_have_attribute("data-desk", "back")
    expect(page.locator("#call-next")).to_be_hidden()  # nobody to call from the back office
    expect(page.locator("#queue-block")).to_be_hidden()
    expect(page.locator("#batch-bar")).to_be_visible()
    for number in numbers[:2]:  # scan two of them: each opens and joins the batch
        page.fill("#scan-input", number)
        page.press("#scan-input", "Enter")
        expect(page.locator("#berkas-number")).to_have_text(number)
    expect(page.locator("#batch-count")).to_have_text("2 terpilih")
    page.check("#work-list .c-pick[data-ticket-id] >> nth=2")  # and tick the third in the list
    expect(page.locator("#batch-count")).to_have_text("3 terpilih")
    page.screenshot(path=artifacts / "desk-1366-back-office-batch.png")
    page.click("#batch-advance")
    expect(page.locator("#work-list .c-item")).to_have_count(0)
    expect(page.locator("#bar-status")).to_contain_text("3 berkas")
    for number in numbers:
        status, body = staff_get(server.base, f"/api/tickets/{number}")
        assert status == 200 and body["step"] == 3, body  # at the bidang now
    # each its own logged step, by the scan officer: started and passed on, one visit per berkas
    for number in numbers:
        visits = front.request("POST", "/api/scan", {"code": number})["ticket"]["visits"]
        scanned = [v for v in visits if v["role"] == "scan"]
        assert [(v["outcome"], v["officer"]) for v in scanned] == [("advanced", "Petugas Scan (demo)")], visits
        assert scanned[0]["started_at"] and scanned[0]["ended_at"]
