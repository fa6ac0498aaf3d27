"""The test suite's shared fixtures, once each, as plugins; and a guard every test runs under.

- tests/fixtures/database.py: the schema built once per session, each test's own copy, the domain;
- tests/fixtures/web.py: the app on a test's copy, the staff client (logging in at a desk), issuing a ticket;
- tests/fixtures/browser.py: the gunicorn servers (one shared per session), headless Chromium, the desk pages.

The tests mirror the rooms of `loket/`: tests/<room>/ holds a room's tests through Flask's test
client and, in `*_browser.py` files (marked `e2e`), through a real browser.
"""

from __future__ import annotations

import socket

import pytest

pytest_plugins = ["tests.fixtures.database", "tests.fixtures.web", "tests.fixtures.browser"]


@pytest.fixture(autouse=True)
def _no_outside_network(monkeypatch):
    """Fail any test that reaches beyond this machine by accident."""
    real_connect = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (
            host.startswith("127.") or host in ("localhost", "::1") or host.startswith("/")
        ):
            raise RuntimeError(f"test tried to reach {address!r}; only loopback is allowed")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
