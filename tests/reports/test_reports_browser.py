"""The head of office reads the day's report (charts drawn, figures shown, printable) and watches the hall live."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.fixtures.browser import kiosk_headers

pytestmark = pytest.mark.e2e

expect.set_options(timeout=10_000)

DESK = {"width": 1920, "height": 1080}
KTP = "pencetakan-ktp-el"

#: For each chart canvas: is a Chart.js instance on it, and how many pixels are not blank.
CHART_PIXELS = """
(ids) => ids.map((id) => {
  const canvas = document.getElementById(id);
  const chart = window.Chart && window.Chart.getChart(canvas);
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked++;
  return { id, chart: !!chart, type: chart ? chart.config.type : null, inked };
})
"""


class Desk:
    """A front-desk officer working through the API in a browser context of their own."""

    def __init__(self, context: BrowserContext):
        self.request = context.request

    def post(self, path: str, data: dict | None = None) -> dict:
        token = self.request.get("/api/csrf").json()["csrf_token"]
        r = self.request.post(path, data=data or {}, headers={"X-CSRFToken": token})
        assert r.ok, (path, r.status, r.text())
        return r.json()

    def sit_at(self, counter: str) -> None:
        self.post("/api/login", {"username": "pelayanan", "password": "loket123"})
        counters = self.request.get("/api/counters").json()["counters"]
        counter_id = next(c["id"] for c in counters if c["name"] == counter)
        self.post("/api/session", {"role": "pelayanan", "counter_id": counter_id})


@pytest.fixture
def server(server_factory):
    return server_factory()


@pytest.fixture
def contexts(contexts) -> Callable[[str], BrowserContext]:
    """contexts(base): the shared fixture's browser contexts, on the desk's screen."""
    return functools.partial(contexts, viewport=DESK)


def log_in(page: Page, path: str, username: str = "kepala") -> None:
    page.goto(path)
    expect(page.locator("#view-login")).to_be_visible()
    page.fill("#login-username", username)
    page.fill("#login-password", "loket123")
    page.click("#login-submit")
    expect(page.locator("#page")).to_be_visible()


def a_morning(base: str, contexts) -> Desk:
    """B-001 is called, served and sent on to the operator; B-002 waits. Loket 1 is open."""
    desk = Desk(contexts(base))
    desk.sit_at("Loket 1")
    public = contexts(base).request
    for _ in range(2):
        assert public.post("/api/tickets", data={"service": KTP}, headers=kiosk_headers()).status == 201
    ticket = desk.post("/api/counter/call-next")["ticket"]
    assert ticket["number"] == "B-001"
    desk.post(f"/api/staff/tickets/{ticket['id']}/start")
    desk.post(f"/api/staff/tickets/{ticket['id']}/advance")
    return desk


def test_the_kepala_reads_the_day_with_its_charts_and_prints_it(server, contexts, artifacts):
    a_morning(server.base, contexts)
    page = contexts(server.base).new_page()
    log_in(page, "/reports/")
    expect(page.locator("#who")).to_contain_text("Kepala Dinas (demo)")

    expect(page.locator('[data-kpi="issued"] .r-kpi-value')).to_have_text("2")
    expect(page.locator('[data-kpi="served"] .r-kpi-value')).to_have_text("0")
    expect(page.locator('[data-kpi="steps"] .r-kpi-detail')).to_contain_text("dari 1")  # one reception step judged
    expect(page.locator(f'#table-services [data-service="{KTP}"] td').first).to_have_text(
        "Pencetakan KTP-el atau Surat Keterangan"
    )
    expect(page.locator(f'#table-steps [data-step="{KTP}#1"]')).to_contain_text("Petugas Pelayanan")
    expect(page.locator("#table-officers")).to_contain_text("Petugas Pelayanan (demo)")
    expect(page.locator("#table-counters")).to_contain_text("Loket 1")
    expect(page.locator("#period-text")).to_contain_text("Tanggal")

    charts = page.evaluate(CHART_PIXELS, ["chart-queue", "chart-hours", "chart-compliance"])
    for chart in charts:
        assert chart["chart"], chart
        assert chart["inked"] > 1000, chart  # axes, labels and the data: not a blank canvas
    assert [c["type"] for c in charts] == ["line", "bar", "bar"]

    # the exports the buttons point at
    href = page.locator("#export-xlsx").get_attribute("href")
    assert href.endswith("&format=xlsx") and "from=" in href
    download = page.context.request.get(href)
    assert download.status == 200 and download.body()[:2] == b"PK"  # a zip: the XLSX

    page.screenshot(path=str(artifacts / "reports-report.png"))
    page.screenshot(path=str(artifacts / "reports-report-full.png"), full_page=True)

    # English on demand
    page.click('.lang-switch [data-lang="en"]')
    expect(page.locator('[data-kpi="issued"] .r-kpi-label')).to_have_text("Tickets issued")
    page.click('.lang-switch [data-lang="id"]')

    # print: no toolbar, the office's name, the period and a place to sign
    page.emulate_media(media="print")
    expect(page.locator("#period-form")).to_be_hidden()
    expect(page.locator(".r-print-head")).to_be_visible()
    expect(page.locator("#print-office")).to_have_text("Disdukcapil Kota Contoh")
    expect(page.locator("#sign-name")).to_have_text("Kepala Dinas (demo)")
    page.screenshot(path=str(artifacts / "reports-print.png"), full_page=True)


def test_the_dashboard_shows_the_waiting_ticket_and_the_open_counter_and_follows_the_hall(server, contexts, artifacts):
    a_morning(server.base, contexts)
    page = contexts(server.base).new_page()
    log_in(page, "/reports/live")

    expect(page.locator('#live-waiting [data-number="B-002"]')).to_be_visible()
    expect(page.locator(f'#live-services [data-service="{KTP}"] .l-service-count')).to_have_text("1")
    loket1 = page.locator('#live-counters [data-counter="Loket 1"]')
    expect(loket1).to_have_attribute("data-status", "idle")
    expect(loket1).to_contain_text("Petugas Pelayanan (demo)")
    expect(page.locator('#live-counters [data-counter="Loket 2"]')).to_have_attribute("data-status", "closed")
    expect(page.locator("#live-dot")).to_have_attribute("data-on", "true")
    page.screenshot(path=str(artifacts / "reports-live.png"))

    # a resident takes a number: the dashboard shows it without a reload
    kiosk = contexts(server.base).request
    assert kiosk.post("/api/tickets", data={"service": KTP}, headers=kiosk_headers()).status == 201
    expect(page.locator('#live-waiting [data-number="B-003"]')).to_be_visible()
    expect(page.locator('[data-kpi="waiting"] .r-kpi-value')).to_have_text("2")


def test_a_desk_officer_is_refused_the_reports(live_server, contexts):
    page = contexts(live_server).new_page()
    page.goto("/reports/")
    page.fill("#login-username", "pelayanan")
    page.fill("#login-password", "loket123")
    page.click("#login-submit")
    expect(page.locator("#view-refused")).to_be_visible()
    expect(page.locator("#refused-message")).to_contain_text("Kepala Dinas atau Admin")
    expect(page.locator("#page")).to_be_hidden()


AKTA = "permohonan-akta-kelahiran"
#: A4 landscape at 96 px per inch: 297 × 210 mm.
A4_LANDSCAPE = {"width": 1123, "height": 794}

#: For each table: its width against its container's (the paper's, in print).
TABLE_FIT = """
() => [...document.querySelectorAll("#report .r-table-wrap")].filter((w) => w.offsetParent !== null).map((w) => {
  const t = w.querySelector("table");
  return { id: t.id, wrap: w.clientWidth, scroll: w.scrollWidth, table: t.scrollWidth };
})
"""

#: For each chart canvas: its drawn size against its box's.
CHART_FIT = """
() => [...document.querySelectorAll("#report canvas")].map((c) => {
  const r = c.getBoundingClientRect(), p = c.parentNode.getBoundingClientRect();
  return { id: c.id, w: r.width, h: r.height, pw: p.width, ph: p.height };
})
"""


def a_day_of_every_service(base: str, contexts) -> list[str]:
    """A morning at the desk and one ticket for every service: the compliance chart has a row each."""
    a_morning(base, contexts)
    public = contexts(base).request
    codes = [s["code"] for s in public.get("/api/services").json()["services"]]
    assert AKTA in codes
    for code in codes:
        if code != KTP:
            assert public.post("/api/tickets", data={"service": code}, headers=kiosk_headers()).status == 201, code
    return codes


def test_the_report_fits_a4_landscape_with_legible_charts_and_shows_the_sop_targets(server, contexts, artifacts):
    codes = a_day_of_every_service(server.base, contexts)
    page = contexts(server.base).new_page()
    log_in(page, "/reports/")
    services = page.locator("#table-services tbody tr[data-service]")
    expect(services.first).to_be_visible()
    shown = services.count()
    assert shown >= 10, shown

    # the compliance chart: a row for each service, wide, full names in the data behind shortened labels
    box = page.locator("#chart-compliance").evaluate("c => c.parentNode.getBoundingClientRect().height")
    assert box >= 40 * (shown - 1), box
    labels = page.evaluate("() => Chart.getChart('chart-compliance').data.labels")
    assert all(isinstance(lines, list) and len(lines) <= 2 for lines in labels), labels

    # the targets: the berkas target and, for Permohonan Akta Kelahiran, the SOP's own total flagged
    headers = page.locator("#table-services thead th").all_inner_texts()
    assert "Target SOP (menit)" in headers, headers
    assert not any("²" in h for h in headers), headers
    assert any("rata-rata" in h for h in headers), headers
    assert "Target (menit)" in page.locator("#table-steps thead th").all_inner_texts()
    akta = page.locator(f'#table-services [data-service="{AKTA}"] td.r-target')
    expect(akta).to_contain_text("23")
    expect(akta.locator(".r-mismatch")).to_have_text("≠ 20")
    expect(akta).to_have_attribute("title", "total resmi SOP 20 menit, jumlah langkah 23 menit")
    expect(page.locator("#services-legend")).to_contain_text(
        "Permohonan Akta Kelahiran: total resmi SOP 20 menit, jumlah langkah 23 menit"
    )
    expect(page.locator(f'#table-services [data-service="{KTP}"] td.r-target .r-mismatch')).to_have_count(0)
    expect(page.locator(f'#table-steps [data-step="{KTP}#1"] td.r-target')).not_to_have_text("–")
    page.screenshot(path=str(artifacts / "reports-services-screen.png"), full_page=True)

    # the kepala prints: one signature, theirs, as Kepala Dinas
    page.set_viewport_size(A4_LANDSCAPE)
    page.emulate_media(media="print")
    expect(page.locator("body")).to_have_class(re.compile(r"\br-printing\b"))
    expect(page.locator("#sign-known")).to_be_hidden()
    expect(page.locator("#sign-made-label")).to_be_hidden()
    expect(page.locator("#sign-role")).to_have_text("Kepala Dinas")
    expect(page.locator("#sign-name")).to_have_text("Kepala Dinas (demo)")

    tables = page.evaluate(TABLE_FIT)
    assert {t["id"] for t in tables} >= {"table-services", "table-steps", "table-officers", "table-counters"}
    for t in tables:
        assert t["scroll"] <= t["wrap"] and t["table"] <= t["wrap"], t
    report_width = page.locator("#report").evaluate("r => r.getBoundingClientRect().width")
    assert report_width <= 277 / 25.4 * 96 + 1, report_width
    for c in page.evaluate(CHART_FIT):
        assert c["w"] <= c["pw"] + 1 and c["h"] <= c["ph"] + 1, c
    charts = page.evaluate(CHART_PIXELS, ["chart-queue", "chart-hours", "chart-compliance"])
    assert all(c["chart"] and c["inked"] > 1000 for c in charts), charts
    assert page.evaluate("() => Chart.getChart('chart-compliance').options.font.size") <= 11  # drawn again for paper
    page.screenshot(path=str(artifacts / "reports-services-print.png"), full_page=True)
    page.pdf(path=str(artifacts / "reports-services.pdf"), format="A4", landscape=True, print_background=True)

    # back to the screen: the charts are drawn for it again
    page.emulate_media(media="screen")
    expect(page.locator("body")).not_to_have_class(re.compile(r"\br-printing\b"))
    assert len(codes) >= 10


def test_an_admin_prints_as_the_maker_and_leaves_the_kepala_a_line(server, contexts, artifacts):
    a_morning(server.base, contexts)
    page = contexts(server.base).new_page()
    log_in(page, "/reports/", "admin")
    page.emulate_media(media="print")
    expect(page.locator("#sign-made-label")).to_have_text("Dibuat oleh,")
    expect(page.locator("#sign-role")).to_have_text("Admin")
    expect(page.locator("#sign-name")).to_have_text("Admin (demo)")
    expect(page.locator("#sign-known")).to_be_visible()
    expect(page.locator("#sign-known")).to_contain_text("Mengetahui,")
    expect(page.locator("#sign-known")).to_contain_text("Kepala Dinas")
    expect(page.locator("#sign-known .r-sign-line")).to_have_text("\u00a0")
    page.screenshot(path=str(artifacts / "reports-print-admin.png"), full_page=True)
