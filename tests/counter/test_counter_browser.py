"""The counter page through whole SOPs: every station, the applicant, the checklist, the timer and the webcam."""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request
from pathlib import Path

import cv2
import pytest
from playwright.sync_api import Page, expect

from loket.hardware.scanner.synthetic import HEIGHT, WIDTH, cluttered_background, paste, qr_image
from tests.fixtures.browser import Officer, issue, staff_get
from tests.fixtures.browser import log_in_at_counter as log_in

pytestmark = pytest.mark.e2e

expect.set_options(timeout=10_000)

TV = {"width": 1920, "height": 1080}  # the officer desk
AKTA = "permohonan-akta-kelahiran"
HILANG = "dokumen-hilang-rusak"
POLICE_LETTER = "surat-kehilangan-polisi"
NAME, NIK = "Siti Aminah", "3273011205900001"
MEDIA_ARGS = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]


def panel_state(page: Page, state: str) -> None:
    expect(page.locator("#berkas-panel")).to_have_attribute("data-state", state)


def call_and_start(page: Page, number: str) -> None:
    page.click("#call-next")
    expect(page.locator("#berkas-number")).to_have_text(number)
    panel_state(page, "called")
    page.click("#act-start")
    panel_state(page, "serving")


def from_work_list(page: Page, number: str) -> None:
    item = page.locator(f'#work-list .c-item[data-number="{number}"]')
    expect(item).to_be_visible()
    item.click()
    expect(page.locator("#berkas-number")).to_have_text(number)


def start_and_advance(page: Page, number: str, shot: Path | None = None) -> None:
    from_work_list(page, number)
    page.click("#act-start")
    panel_state(page, "serving")
    expect(page.locator("#step-timer")).to_be_visible()
    if shot:
        page.screenshot(path=shot)
    page.click("#act-advance")
    expect(page.locator("#berkas-panel")).not_to_have_attribute("data-state", "serving")
    expect(page.locator(f'#work-list .c-item[data-number="{number}"]')).to_have_count(0)


def test_permohonan_akta_kelahiran_through_all_six_stations_with_a_pend_and_a_resume(server_factory, desk, artifacts):
    server = server_factory()
    number = issue(server.base, AKTA)["number"]

    # 1. Front desk: call, start, record the applicant, pass on to the scan room.
    front = desk(server.base, "pelayanan", "Loket 1")
    call_and_start(front, number)
    timer = front.locator("#step-timer")
    expect(timer).to_have_attribute("data-level", "ok")
    expect(timer).to_contain_text("dari 10 mnt")
    expect(front.locator("#applicant-none")).to_be_visible()
    front.fill("#applicant-name", NAME)
    expect(front.locator("#applicant-nik")).to_have_attribute("inputmode", "numeric")
    front.fill("#applicant-nik", "3273-0112-0590-0001")  # typed with separators: only digits stay
    expect(front.locator("#applicant-nik")).to_have_value(NIK)
    front.click("#applicant-save")
    expect(front.locator("#applicant-shown-name")).to_have_text(NAME)
    expect(front.locator("#applicant-shown-nik")).to_have_text(NIK)
    checklist = front.locator('#berkas-checklist input[name="req-have"]')
    for i in range(checklist.count()):
        checklist.nth(i).check()
    ticked = front.locator("#checklist-count").inner_text()
    assert ticked.startswith(tuple(f"{n} dari {n} " for n in range(1, 20))), ticked  # all of them
    expect(front.locator("#act-advance")).to_contain_text("berikutnya: Petugas Scan")
    front.screenshot(path=artifacts / "counter-akta-1-pelayanan.png")
    front.click("#act-advance")
    expect(front.locator("#berkas-panel")).not_to_have_attribute("data-state", "serving")

    # 2. Scan room: from the work list; pend (network down), resume, then finish the step.
    scan = desk(server.base, "scan", "Ruang Scan")
    from_work_list(scan, number)
    expect(scan.locator("#applicant-shown-name")).to_have_text(NAME)  # staff see who it is
    expect(scan.locator("#applicant-form")).to_have_count(0)  # only the serving step edits it
    # the front desk's checklist travels with the berkas: what was ticked, by whom and when
    expect(scan.locator("#checklist-count")).to_have_text(ticked)
    expect(scan.locator("#checklist-by")).to_contain_text("Dicentang oleh")
    expect(scan.locator('#berkas-checklist input[name="req-have"]:checked')).to_have_count(checklist.count())
    scan.click("#act-start")
    panel_state(scan, "serving")
    scan.click("#act-pend")
    scan.check('#pend-reasons input[value="network_down"]')
    scan.click("#pend-submit")
    panel_state(scan, "pending")
    expect(scan.locator(".c-why")).to_be_visible()
    scan.screenshot(path=artifacts / "counter-akta-2-scan-pending.png")
    scan.click("#act-resume")
    expect(scan.locator("#berkas-panel")).not_to_have_attribute("data-state", "pending")
    scan.click("#act-start")
    panel_state(scan, "serving")
    scan.click("#act-advance")
    expect(scan.locator("#berkas-panel")).not_to_have_attribute("data-state", "serving")

    # 3.-5. Bidang, operator, register.
    start_and_advance(desk(server.base, "bidang", "Ruang Bidang"), number, artifacts / "counter-akta-3-bidang.png")
    start_and_advance(desk(server.base, "operator", "Ruang Operator"), number)
    start_and_advance(
        desk(server.base, "register", "Ruang Register"), number, artifacts / "counter-akta-5-register.png"
    )

    # 6. Back at the front desk: the resident is called again and takes the akta home.
    call_and_start(front, number)
    expect(front.locator("#act-hand-over")).to_be_visible()
    front.click("#act-hand-over")
    panel_state(front, "done")
    rows = front.locator("#berkas-visits tbody tr")
    expect(rows).to_have_count(7)  # six steps, the scan step twice (before and after the pend)
    front.screenshot(path=artifacts / "counter-akta-6-done.png", full_page=True)

    status = front.context.request.get(f"/api/tickets/{number}")
    assert status.ok
    assert status.json()["state"] == "done"
    register = front.context.request.get("/api/register?format=json")
    assert register.ok
    row = next(r for r in register.json()["rows"] if r["number"] == number)
    assert row["applicant_name"] == NAME
    assert row["nik"] == NIK
    assert len(row["steps"]) >= 6
    assert len({s["role"] for s in row["steps"]}) == 5  # five roles (labels), the front desk twice
    assert all(s["started"] and s["ended"] for s in row["steps"])

    # The buku harian opens in a new tab, and today's exports are one click away.
    expect(front.locator("#register-link")).to_have_attribute("target", "_blank")
    with front.context.expect_page() as opened:
        front.click("#register-link")
    page = opened.value
    page.wait_for_load_state()
    assert "/reports/register" in page.url
    expect(page.locator("body")).to_contain_text(number)
    page.close()
    csv = front.context.request.get(front.locator("#register-csv").get_attribute("href"))
    assert csv.ok and NAME in csv.text()
    xlsx = front.context.request.get(front.locator("#register-xlsx").get_attribute("href"))
    assert xlsx.ok and xlsx.body()[:2] == b"PK"


def test_dokumen_hilang_is_returned_for_the_missing_police_letter(server_factory, desk, artifacts):
    server = server_factory()
    number = issue(server.base, HILANG)["number"]
    front = desk(server.base, "pelayanan", "Loket 1")
    call_and_start(front, number)

    # The server checks the NIK (a 32nd day is no birth date) and the page says why it refused.
    front.fill("#applicant-name", NAME)
    front.fill("#applicant-nik", "12345")
    front.click("#applicant-save")
    expect(front.locator("#applicant-error")).to_have_text("NIK harus 16 angka.")
    front.fill("#applicant-nik", "3273013205900001")
    front.click("#applicant-save")
    expect(front.locator("#applicant-error")).to_contain_text("NIK")
    expect(front.locator("#applicant-error")).not_to_have_text("NIK harus 16 angka.")
    expect(front.locator("#applicant-none")).to_be_visible()

    boxes = front.locator('#berkas-checklist input[name="req-have"]')
    expect(boxes.first).to_be_visible()
    for i in range(boxes.count()):
        if boxes.nth(i).get_attribute("data-key") != POLICE_LETTER:
            boxes.nth(i).check()
    expect(front.locator(f'#berkas-checklist input[data-key="{POLICE_LETTER}"]')).not_to_be_checked()
    front.click("#act-return")
    expect(front.locator("#act-return")).to_contain_text("Kembalikan (berkas kurang)")

    dialog = front.locator("#return-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator(f'input[value="{POLICE_LETTER}"]')).to_be_checked()
    expect(dialog.locator('input[name="missing"]:checked')).to_have_count(1)  # only the unticked one
    front.click("#return-submit")

    panel_state(front, "returned")
    expect(front.locator(".c-why")).to_contain_text("Dokumen kurang: Surat keterangan hilang dari kepolisian")
    expect(front.locator(".c-why")).not_to_contain_text("Catatan:")  # the reason is listed once
    expect(front.locator("#berkas-visits")).to_contain_text("Surat keterangan hilang dari kepolisian")
    # Issue 15: the slip of missing documents came out of this desk's printer; it can be printed again
    expect(front.locator('#messages [data-kind="ok"]')).to_contain_text(
        f"Slip pengembalian {number} (dokumen yang kurang) dicetak"
    )
    expect(front.locator("#print-return")).to_have_text("Cetak ulang slip pengembalian")
    front.screenshot(path=artifacts / "counter-return.png", full_page=True)

    status = front.context.request.get(f"/api/tickets/{number}")
    assert status.json()["state"] == "returned"


def test_the_step_timer_turns_amber_then_red_against_the_sop_target(server_factory, desk, artifacts):
    server = server_factory()
    number = issue(server.base, AKTA)["number"]  # the front-desk step's target: 10 minutes
    front = desk(server.base, "pelayanan", "Loket 1", clock=True)

    # The server's clock cannot be moved here: its work list is made to say the berkas is overdue,
    # to see that the page highlights what the server reports.
    def overdue_list(route):
        response = route.fetch()
        data = response.json()
        for t in data["tickets"]:
            t["overdue"] = True
        route.fulfill(response=response, json=data)

    front.route("**/api/worklist", overdue_list)
    call_and_start(front, number)
    item = front.locator(f'#work-list .c-item[data-number="{number}"]')
    expect(item).to_have_attribute("data-overdue", "true")
    expect(item).to_contain_text("Lewat target")
    timer = front.locator("#step-timer")
    expect(timer).to_have_attribute("data-level", "ok")
    front.clock.fast_forward("08:30")  # 85 % of the target
    expect(timer).to_have_attribute("data-level", "warn")
    front.clock.fast_forward("03:00")
    expect(timer).to_have_attribute("data-level", "over")
    expect(timer).to_contain_text("melewati target")
    expect(front.locator("#step-timer-clock")).to_have_text("11:30")
    front.screenshot(path=artifacts / "counter-timer-overdue.png")


def write_y4m(path: Path, payload: str, frames: int = 10) -> Path:
    """A short 1280x720 video of a ticket's QR on a cluttered desk, for Chromium's fake camera."""
    frame = paste(cluttered_background(11), qr_image(payload, 300), 490, 210)
    assert frame.shape == (HEIGHT, WIDTH, 3)
    yuv = cv2.cvtColor(frame, cv2.COLOR_BGR2YUV_I420).tobytes()
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + yuv)
    return path


def test_a_webcam_scan_from_a_test_image_loads_the_berkas(live_server, browser, tmp_path, artifacts):
    ticket = issue(live_server, AKTA)  # found by its code: what else waits on the shared server does not matter
    video = write_y4m(tmp_path / "qr.y4m", ticket["qr"])
    # Its own Chromium: the fake camera is chosen at launch.
    camera_browser = browser.browser_type.launch(
        executable_path=browser_path(),
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            *MEDIA_ARGS,
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = camera_browser.new_context(viewport=TV, base_url=live_server)
        context.set_default_timeout(10_000)
        context.grant_permissions(["camera"], origin=live_server)
        page = log_in(context.new_page(), "pelayanan", "Loket 1")
        expect(page.locator("#camera-box")).to_be_hidden()
        page.click("#camera-start")
        expect(page.locator("#berkas-number")).to_have_text(ticket["number"], timeout=20_000)
        expect(page.locator("#camera-box")).to_be_hidden()  # found: the camera stops
        expect(page.locator("#berkas-service")).to_have_text("Permohonan Akta Kelahiran")
        page.screenshot(path=artifacts / "counter-webcam.png")
        context.close()
    finally:
        camera_browser.close()


def browser_path() -> str:
    return os.environ.get("LOKET_CHROMIUM", "/usr/bin/chromium")


def test_walk_in_is_served_at_once_and_a_ticket_is_transferred_to_another_counter(server_factory, desk, artifacts):
    server = server_factory()
    front = desk(server.base, "pelayanan", "Loket 1")

    # A resident without a ticket: pick the service, a ticket is issued and served here.
    front.click("#walk-in")
    expect(front.locator("#walk-in-dialog")).to_be_visible()
    front.select_option("#walk-in-service", "pencetakan-ktp-el")
    front.select_option("#walk-in-priority", "lansia")
    front.click("#walk-in-submit")
    panel_state(front, "serving")
    expect(front.locator("#berkas-service")).to_have_text("Pencetakan KTP-el atau Surat Keterangan")
    expect(front.locator("#messages")).to_contain_text("diterbitkan dan sedang dilayani")

    # A waiting ticket handed to Loket 2: only Loket 2 calls it.
    number = issue(server.base, AKTA)["number"]
    front.fill("#scan-input", number)
    front.press("#scan-input", "Enter")
    expect(front.locator("#berkas-number")).to_have_text(number)
    front.click("#act-transfer")
    dialog = front.locator("#transfer-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator('input[name="transfer-counter"][data-counter-name="Loket 1"]')).to_have_count(0)
    expect(dialog.locator('input[name="transfer-counter"][data-counter-name="Ruang Scan"]')).to_have_count(0)
    dialog.locator('input[name="transfer-counter"][data-counter-name="Loket 2"]').check()
    front.screenshot(path=artifacts / "counter-transfer.png")
    front.click("#transfer-submit")
    expect(front.locator("#messages")).to_contain_text(f"{number} dialihkan")

    other = desk(server.base, "pelayanan", "Loket 2")
    other.click("#call-next")
    expect(other.locator("#berkas-number")).to_have_text(number)


def test_a_code_from_the_scanner_agent_opens_the_berkas_on_that_counters_page(server_factory, desk):
    server = server_factory(LOKET_SCANNER_TOKEN="agent-token")
    ticket = issue(server.base, HILANG)
    front = desk(server.base, "pelayanan", "Loket 1")
    counters = front.context.request.get("/api/counters").json()["counters"]
    counter_id = next(c["id"] for c in counters if c["name"] == "Loket 1")
    request = urllib.request.Request(
        f"{server.base}/api/scanner/scan",
        data=json.dumps({"code": ticket["qr"], "counter_id": counter_id}).encode(),
        headers={"Content-Type": "application/json", "Authorization": "Bearer agent-token"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
    expect(front.locator("#berkas-number")).to_have_text(ticket["number"])
    expect(front.locator("#messages")).to_contain_text("dari pemindai")


def test_the_camera_button_says_plainly_when_there_is_no_camera(live_server, desk, artifacts):
    front = desk(live_server, "pelayanan", "Loket 1")  # the shared Chromium has no (fake) camera
    front.click("#camera-start")
    status = front.locator("#camera-status")
    expect(status).to_have_attribute("data-kind", "error")
    expect(status).to_have_text("Tidak ada kamera yang terhubung ke komputer ini.")
    expect(front.locator('#messages [data-kind="error"]')).to_contain_text("Tidak ada kamera yang terhubung")
    front.screenshot(path=artifacts / "counter-webcam-none.png")
    front.click("#camera-stop")
    expect(front.locator("#camera-box")).to_be_hidden()


def test_a_usb_scanner_typing_into_the_page_loads_the_berkas(live_server, desk, artifacts):
    """A keyboard-wedge scanner types the QR's text and Enter wherever the focus happens to be."""
    ticket = issue(live_server, "pencetakan-ktp-el")  # found by its code, whatever else waits
    page = desk(live_server)
    page.locator("body").click(position={"x": 5, "y": 5})  # focus on nothing in particular
    page.keyboard.type(ticket["qr"], delay=2)
    page.keyboard.press("Enter")
    expect(page.locator("#berkas-number")).to_have_text(ticket["number"])
    forged = ticket["qr"][:-4] + "AAAA"
    page.fill("#scan-input", "")
    page.keyboard.type(forged, delay=2)
    page.keyboard.press("Enter")
    expect(page.get_by_text("tidak sah").first).to_be_visible()
    page.screenshot(path=artifacts / "counter-usb-scanner.png")


def test_a_reload_still_in_flight_never_undoes_what_an_action_just_showed(server_factory, desk):
    """Another desk's change reloads the open berkas; when this officer's own action answers first, the older
    reload is dropped. Seen under load before the fix: the front desk called a berkas and the panel went back
    to the state it had before the call."""
    server = server_factory()
    number = issue(server.base, "pencetakan-ktp-el")["number"]
    page = desk(server.base, "pelayanan", "Loket 1")
    page.click("#call-next")
    expect(page.locator("#berkas-number")).to_have_text(number)
    panel_state(page, "called")

    held: list = []
    reload_url = re.compile(r".*/api/staff/tickets/\d+$")

    def hold(route):
        held.append((route, route.fetch()))  # the berkas as it is now (called), answered only later

    page.route(reload_url, hold)
    other = Officer(server.base, "pelayanan", "Loket 2")
    ticket_id = other.request("POST", "/api/scan", {"code": number})["ticket"]["id"]
    with page.expect_request(lambda r: bool(reload_url.match(r.url)) and r.method == "GET"):
        other.request("POST", f"/api/staff/tickets/{ticket_id}/reprint")  # its event makes the page reload
    page.click("#act-start")
    panel_state(page, "serving")  # the action's own answer

    route, stale = held[0]
    assert json.loads(stale.text())["ticket"]["state"] == "called"
    with page.expect_response(reload_url):
        route.fulfill(response=stale)
    page.evaluate("() => new Promise(done => setTimeout(done))")  # let the page handle the late answer
    panel_state(page, "serving")


def test_the_front_desk_voids_a_ticket_nobody_holds(server_factory, desk, artifacts):
    server = server_factory()
    first = issue(server.base, "pencetakan-ktp-el")["number"]
    second = issue(server.base, "pencetakan-ktp-el")["number"]
    page = desk(server.base, "pelayanan", "Loket 1")
    page.click("#unclaimed-open")
    dialog = page.locator("#unclaimed-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#unclaimed-list li")).to_have_count(2)
    expect(dialog.locator(f'[data-number="{first}"]')).to_contain_text("kiosk kiosk-test")
    dialog.locator(f'[data-number="{first}"] .c-unclaimed-void').click()
    expect(page.locator("#unclaimed-error")).to_have_text("Tulis alasannya dulu.")  # no reason, nothing voided
    expect(dialog.locator("#unclaimed-list li")).to_have_count(2)
    page.fill("#unclaimed-reason", "Diambil beruntun oleh satu perangkat")
    page.screenshot(path=artifacts / "counter-unclaimed.png")
    dialog.locator(f'[data-number="{first}"] .c-unclaimed-void').click()
    expect(dialog.locator("#unclaimed-list li")).to_have_count(1)
    expect(dialog.locator(f'[data-number="{second}"]')).to_be_visible()
    assert staff_get(server.base, f"/api/tickets/{first}")[1]["state"] == "voided"  # by number: staff only


def test_the_desk_shows_a_kiosk_alert_as_it_happens(server_factory, desk, artifacts):
    server = server_factory(LOKET_KIOSK_PIN="1357", LOKET_KIOSK_PIN_LOCKOUT="2 per 15 minutes")
    page = desk(server.base, "pelayanan", "Loket 1")
    expect(page.locator("#alerts")).to_be_hidden()
    for _ in range(2):  # someone guesses the kiosk's staff PIN
        request = urllib.request.Request(
            f"{server.base}/api/kiosk/unlock",
            data=json.dumps({"pin": "0000", "kiosk": "kiosk-lobi"}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            urllib.request.urlopen(request, timeout=5)
        except urllib.error.HTTPError as refused:
            refused.close()
    alert = page.locator('#alerts-list [data-reason="pin_lockout"]')
    expect(alert).to_contain_text("Terlalu banyak PIN salah di kiosk kiosk-lobi")
    expect(page.locator("#alerts-title")).to_have_text("Perlu perhatian petugas")
    page.screenshot(path=artifacts / "counter-kiosk-alert.png")
    alert.locator(".c-alert-dismiss").click()
    expect(page.locator("#alerts")).to_be_hidden()
