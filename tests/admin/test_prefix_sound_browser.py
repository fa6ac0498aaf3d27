"""The SOP editor in real Chromium at 1366x768: typing a prefix that sounds like another service's letter shows a
warning under the field (Indonesian, then English), and the SOP still saves with it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

SMALL = {"width": 1366, "height": 768}
#: A bound for a shared, busy machine (2 cores, several test runs), not a measurement.
WAIT = 30_000
KIA = "penerbitan-kia"  # prefix F: nothing in the shipped catalog sounds like it


def test_the_editor_warns_of_a_prefix_that_sounds_alike_and_still_saves(server_factory, contexts, artifacts):
    base = server_factory().base
    page = contexts(base, viewport=SMALL).new_page()
    page.set_default_timeout(WAIT)
    page.goto(f"/admin/sops/{KIA}")
    page.fill("#login-username", "admin")
    page.fill("#login-password", "loket123")
    page.click("#login-submit")
    expect(page.locator("#savebar")).to_have_attribute("data-state", "clean", timeout=WAIT)
    warning = page.locator("#prefix-sound")
    expect(warning).to_be_hidden()
    page.fill("#f-prefix", "N")  # "en"; Pengakuan Anak is M, "em"
    expect(warning).to_be_visible(timeout=WAIT)
    expect(warning.locator('li[data-other="pengakuan-anak"]')).to_contain_text("terdengar mirip")
    warning.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "admin-sop-prefix-sound-1366.png"), full_page=False)
    page.click('.lang-switch [data-lang="en"]')
    expect(warning).to_contain_text("sounds like")
    page.click('.lang-switch [data-lang="id"]')
    page.click("#save")
    expect(page.locator("#savebar")).to_have_attribute("data-state", "clean", timeout=WAIT)
    expect(page.locator("#f-prefix")).to_have_value("N")
    expect(warning.locator('li[data-other="pengakuan-anak"]')).to_be_visible()  # from the save's answer
    page.fill("#f-prefix", "Z")
    expect(warning).to_be_hidden(timeout=WAIT)
