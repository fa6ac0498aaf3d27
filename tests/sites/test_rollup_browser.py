"""The hub's list of sites and a per-site report in Chromium at 1366x768 (issue 16), with screenshots to look at.

The hub app runs in this process (its links come from a fake of pg_stat_subscription, tests/sites/web.py), served by
werkzeug on a free port."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from loket.core.clock import FrozenClock
from loket.core.reports.rollup import Link
from tests.fixtures.browser import free_port
from tests.fixtures.web import make_app

from .web import MORNING, fake_links, fill_hub

SCREEN = {"width": 1366, "height": 768}


@pytest.fixture
def hub_links():
    return fake_links(datetime(2026, 11, 23, 3, 30, tzinfo=UTC))


@pytest.fixture
def hub_base(tmp_path, demo_database, hub_links):
    clock = FrozenClock(MORNING)
    app = make_app(
        tmp_path,
        demo_database,
        clock=clock,
        HUB=True,
        SITE_LINK_READER=hub_links,
        OFFICE_NAME="Disdukcapil Kabupaten Contoh",
    )
    fill_hub(app.extensions["loket"], clock)
    clock.advance(seconds=(datetime(2026, 11, 23, 3, 30, tzinfo=UTC) - clock.now()).total_seconds())  # 10:30
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join(5)
    app.extensions["loket"].store.dispose()


def log_in(page: Page, path: str, username: str = "kepala") -> None:
    page.goto(path)
    expect(page.locator("#view-login")).to_be_visible()
    page.fill("#login-username", username)
    page.fill("#login-password", "loket123")
    page.click("#login-submit")
    expect(page.locator("#page")).to_be_visible()


def test_the_list_of_sites_and_a_site_s_report(hub_base, hub_links, contexts, artifacts):
    page = contexts(hub_base, viewport=SCREEN).new_page()
    log_in(page, "/hub/sites")
    expect(page.locator("h1")).to_contain_text("Lokasi Pelayanan")
    expect(page.locator('#sites-table tr[data-site="kec-a"]')).to_contain_text("Tersambung")
    expect(page.locator('#sites-table tr[data-site="kec-a"]')).to_contain_text("2,0 KiB")
    expect(page.locator('#sites-table tr[data-site="kec-b"]')).to_contain_text("Terputus sejak 09:12")
    expect(page.locator('#sites-table tr[data-site="mpp"]')).to_contain_text("Belum pernah tersinkron")
    expect(page.locator('#sites-table tr[data-site="mpp"]')).to_contain_text("Mal Pelayanan Publik")
    expect(page.locator("#sites-no-replication")).to_be_hidden()
    page.screenshot(path=str(artifacts / "hub-sites.png"))
    page.click('.lang-switch [data-lang="en"]')
    expect(page.locator('#sites-table tr[data-site="kec-b"]')).to_contain_text("Cut since 09:12")
    expect(page.locator('#sites-table tr[data-site="mpp"]')).to_contain_text("Never synced")
    page.click('.lang-switch [data-lang="id"]')

    # A site whose first copy keeps failing (the hub's role may not read a table there): the stuck table and the
    # usual causes, in both languages.
    at = datetime(2026, 11, 23, 3, 29, 58, tzinfo=UTC)
    hub_links.given["mpp"] = Link(True, at, at, at, None, "copy", ("events",))
    page.reload()
    mpp = page.locator('#sites-table tr[data-site="mpp"]')
    expect(mpp).to_contain_text("Gagal menyalin")
    expect(mpp).to_contain_text("Tabel tertahan: events")
    expect(mpp).to_contain_text("GRANT SELECT")
    page.screenshot(path=str(artifacts / "hub-sites-error.png"))
    page.click('.lang-switch [data-lang="en"]')
    expect(mpp).to_contain_text("Copy failing")
    expect(mpp).to_contain_text("Stuck tables: events")
    page.click('.lang-switch [data-lang="id"]')

    # One site's report: the site chosen in the toolbar, its figures only, its name on the printed head.
    page.goto("/reports/?day=2026-11-23&site=kec-a")
    expect(page.locator("#site")).to_have_value("kec-a")
    expect(page.locator('[data-kpi="issued"] .r-kpi-value')).to_have_text("5")
    expect(page.locator("#print-site")).to_contain_text("Kecamatan Arjasari")
    assert "site=kec-a" in (page.locator("#export-xlsx").get_attribute("href") or "")
    page.screenshot(path=str(artifacts / "hub-report-kec-a.png"))
    page.select_option("#site", "")
    expect(page.locator('[data-kpi="issued"] .r-kpi-value')).to_have_text("11")  # all sites together

    # The live hall: one line per site and the total.
    page.goto("/reports/live")
    expect(page.locator('#live-sites tr[data-site="kec-b"] td').first).to_have_text("5")
    expect(page.locator("#live-sites tr.r-total td").first).to_have_text("8")
    page.screenshot(path=str(artifacts / "hub-live.png"))
