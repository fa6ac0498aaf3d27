"""Browser tests: a real Loket server (gunicorn, as in production) and headless Debian Chromium."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import copy_sqlite

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("LOKET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
START_SECONDS = 30
FLASH_SECONDS, FLASH_BUSY_SECONDS = 6, 3  # a display shows a call this long at least (less when more wait)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


class LoketServer:
    """Loket under gunicorn on a free port, on its own copy of a fresh database with the demo counters and users.

    `database` is the SQLite file `flask init-db` and `flask demo-setup` made once per session.
    """

    def __init__(self, folder: Path, database: Path, **extra_env: str):
        self.folder = folder
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / "server.log"
        self.process: subprocess.Popen | None = None
        self.env = dict(
            os.environ,
            DATABASE_URL=f"sqlite:///{folder / 'loket.db'}",
            SECRET_KEY="e2e-secret",
            LOKET_SOP_DIR=str(ROOT / "loket" / "sops"),
            LOKET_OFFICE_NAME="Disdukcapil Kota Contoh",
            LOKET_PRINTER=f"file:{folder / 'tickets'}",
            # Every page here comes from 127.0.0.1: per-address limits would only make runs flaky.
            LOKET_LOGIN_RATE_LIMIT="",
            LOKET_TICKET_RATE_LIMIT="",
            LOKET_SURVEY_RATE_LIMIT="",
        )
        self.env.pop("SOCKETIO_MESSAGE_QUEUE", None)  # one process: no Redis needed
        self.env.update(extra_env)
        copy_sqlite(database, folder / "loket.db")

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "--worker-class", "gthread", "--threads", "32", "-w", "1",
                    "--bind", f"127.0.0.1:{self.port}",
                    "--graceful-timeout", "5",
                    "--no-control-socket",  # the default socket path is shared with any other gunicorn here
                    "loket.wsgi:app",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so a crash can be simulated whole
            )  # fmt: skip
        deadline = time.monotonic() + START_SECONDS
        while not _answers(f"{self.base}/api/services"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop(crash=True)
                pytest.fail(f"Loket server did not start:\n{self.log_path.read_text(errors='replace')}")
            time.sleep(0.1)

    def stop(self, crash: bool = False) -> None:
        """Stop the server; crash=True kills it at once, as a power cut or a network drop would."""
        process, self.process = self.process, None
        if process is None:
            return
        if crash:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def stop_the_clock(page) -> None:
    """Pause the page's (installed) clock a moment ahead: its timers wait until the test moves it on.

    The page's time keeps running while the request travels, so on a busy machine the moment
    chosen can already be past; then a later one is tried.
    """
    from playwright.sync_api import Error

    for _ in range(5):
        try:
            page.clock.pause_at(page.evaluate("Date.now()") / 1000 + 0.25)
            return
        except Error as exc:
            if "to the past" not in str(exc):
                raise
    pytest.fail("could not pause the page clock")


def until_no_call_is_shown(page, calls: int) -> None:
    """Move a muted display's clock on, a second at a time, until no call fills the screen.

    `calls` calls take at most 3 s each while another waits and 6 s for the last; a flash
    still on screen after that is stuck. The clock stands still meanwhile, so only the
    seconds the test moves count.
    """
    from playwright.sync_api import expect

    flash = page.locator("#call-flash")
    stop_the_clock(page)
    for _ in range(FLASH_BUSY_SECONDS * (calls - 1) + FLASH_SECONDS):
        if flash.is_hidden():
            break
        page.clock.run_for(1_000)
    expect(flash).to_be_hidden()
    page.clock.resume()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, served_template) -> Iterator[str]:
    """The base URL of a Loket server shared by the browser tests that need no state of their own.

    A test here must neither depend on what the others leave (tickets waiting, officers logged in)
    nor leave anything another could notice: no settings, SOP, counter or user changes. A test
    that needs an empty queue, exact ticket numbers or totals, or settings takes its own server.
    """
    server = LoketServer(tmp_path_factory.mktemp("loket-e2e"), served_template)
    server.start()
    try:
        yield server.base
    finally:
        server.stop()


@pytest.fixture
def own_server(tmp_path, served_template) -> Iterator[LoketServer]:
    """A Loket server for one test that stops and starts it."""
    server = LoketServer(tmp_path, served_template)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def server_factory(tmp_path, served_template) -> Iterator[Callable[..., LoketServer]]:
    """server_factory(**env): a started Loket server for one test, with extra environment settings."""
    servers: list[LoketServer] = []

    def _make(**extra_env: str) -> LoketServer:
        folder = tmp_path / f"server{len(servers)}"
        folder.mkdir()
        server = LoketServer(folder, served_template, **extra_env)
        servers.append(server)
        server.start()
        return server

    yield _make
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium (never `playwright install`: no download at test time)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; run scripts/setup.sh or set LOKET_CHROMIUM")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser, live_server) -> Iterator[Callable]:
    """open_page(path, viewport, fake_clock=False): a page in its own browser context (own cookies, own session).

    A path is relative to the shared server; a full URL goes elsewhere.
    """
    contexts = []

    def _open(path: str, viewport: dict[str, int], *, fake_clock: bool = False):
        context = browser.new_context(viewport=viewport, base_url=live_server)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        if fake_clock:
            page.clock.install()  # timers run normally until the test moves the clock on
        page.goto(path)
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """test-artifacts/: screenshots to look at after a run (gitignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
