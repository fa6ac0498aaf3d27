"""Every page works under the Content-Security-Policy: no violation, no CSP complaint in the console, no page error.

Each page is opened in headless Chromium against gunicorn, as it is used: the kiosk, the display and
the survey anonymously; the counter desk logged in at a counter (with a call on it); the admin pages,
the reports and the survey report as the admin; the printable buku harian at the desk.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.fixtures.browser import DESK, issue, log_in_at_counter

pytestmark = pytest.mark.e2e

#: Runs before any page script: every CSP violation the page meets is written down.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  var where = (e.sourceFile || "") + ":" + e.lineNumber;
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + where);
});
"""

ADMIN_PAGES = [
    "/admin/",
    "/admin/sops",
    "/admin/sops/new",
    "/admin/sops/pencetakan-ktp-el",
    "/admin/counters",
    "/admin/users",
    "/admin/devices",
    "/admin/booking",
    "/admin/audit",
    "/reports/",
    "/reports/live",
    "/survey/report",
]


class Watched:
    """The pages opened in the test, with what each met: CSP violations, console errors, page errors."""

    def __init__(self) -> None:
        self.pages: list[tuple[str, Page]] = []
        self.console: list[str] = []
        self.errors: list[str] = []

    def watch(self, context: BrowserContext) -> BrowserContext:
        context.add_init_script(WATCH)
        return context

    def open(self, context: BrowserContext, path: str | None = None) -> Page:
        page = context.new_page()
        page.on("console", lambda m: self.console.append(f"{page.url}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: {exc}"))
        if path is not None:
            response = page.goto(path)
            assert response is not None and response.ok, path
            assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"]
        self.pages.append((path or "", page))
        return page

    def violations(self) -> list[str]:
        found = []
        for path, page in self.pages:
            found += [f"{path or page.url}: {v}" for v in page.evaluate("window.__csp || []")]
        return found


@pytest.fixture
def watched() -> Iterator[Watched]:
    yield Watched()


def settle(page: Page) -> None:
    """Until the page's scripts ran and its requests answered (a socket, once upgraded, is no request)."""
    page.wait_for_load_state("networkidle")


def test_every_page_runs_under_the_csp_without_a_violation(server_factory, contexts, watched):
    server = server_factory()
    base = server.base
    number = issue(base, "pencetakan-ktp-el")["number"]

    public = watched.watch(contexts(base, viewport=DESK))
    kiosk = watched.open(public, "/kiosk/")
    expect(kiosk.locator("body")).to_have_attribute("data-connection", "online")
    kiosk.locator('[data-service="pencetakan-ktp-el"]').click()
    expect(kiosk.locator("#screen-detail")).to_be_visible()
    board = watched.open(public, "/display/")
    expect(board.locator("body")).to_have_attribute("data-connection", "online")
    board.mouse.click(960, 600)  # sound on: the silent clip (a data: URL) plays
    survey = watched.open(public, "/survey")
    settle(survey)
    booking = watched.open(public, "/booking/")  # online booking (off: it says so)
    settle(booking)

    # the desk: logged in at Loket 1, a call on it (the board hears it: the call's audio address)
    desk_page = watched.open(watched.watch(contexts(base, viewport=DESK)))
    log_in_at_counter(desk_page, "pelayanan", "Loket 1")
    desk_page.click("#call-next")
    expect(desk_page.locator("#berkas-number")).to_have_text(number)
    expect(board.locator("#flash-number")).to_have_text(number)
    settle(desk_page)
    settle(board)
    register = watched.open(desk_page.context, "/reports/register")
    expect(register.locator("h1")).to_have_text("BUKU HARIAN PELAYANAN")

    admin = watched.watch(contexts(base, viewport=DESK))
    token = admin.request.get("/api/csrf").json()["csrf_token"]
    assert admin.request.post(
        "/api/login", data={"username": "admin", "password": "loket123"}, headers={"X-CSRFToken": token}
    ).ok
    token = admin.request.get("/api/csrf").json()["csrf_token"]
    assert admin.request.post("/api/session", data={"role": "admin"}, headers={"X-CSRFToken": token}).ok
    for path in ADMIN_PAGES:
        page = watched.open(admin, path)
        expect(page.locator("#page")).to_be_visible()
        settle(page)

    assert watched.violations() == []
    assert [m for m in watched.console if "Content Security Policy" in m or "Refused to" in m] == []
    assert watched.errors == []
