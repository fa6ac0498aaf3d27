"""Guessing passwords: only failed log-ins count, per account and client address, and per address;
the client's real address behind a reverse proxy only with the opt-in LOKET_PROXY_FIX."""

from __future__ import annotations

import pytest

from tests.fixtures.web import make_app


def machine(app, address: str, **headers):
    """A browser at `address` (as the server's socket sees it), with a CSRF token."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address

    def login(username: str, password: str) -> int:
        token = client.get("/api/csrf", headers=headers).get_json()["csrf_token"]  # renewed by each log-in
        body = {"username": username, "password": password}
        return client.post("/api/login", json=body, headers={"X-CSRFToken": token, **headers}).status_code

    return login


@pytest.fixture
def limited_app(tmp_path, demo_database):
    app = make_app(
        tmp_path,
        demo_database,
        LOGIN_RATE_LIMIT="10 per minute",
        LOGIN_ADDRESS_RATE_LIMIT="30 per minute",
        RATELIMIT_STORAGE_URI="memory://",
    )
    yield app
    app.extensions["loket"].store.dispose()


def test_guesses_lock_one_account_on_one_machine_only(limited_app):
    attacker = machine(limited_app, "10.0.0.66")
    assert [attacker("operator", f"salah-{i}") for i in range(10)] == [401] * 10
    assert attacker("operator", "salah-lagi") == 429
    assert attacker("operator", "loket123") == 429  # this account, from this machine, waits
    # the officer at their own desk logs in with the right password
    assert machine(limited_app, "10.0.0.12")("operator", "loket123") == 200
    # other accounts still log in from the guessing machine
    assert attacker("scan", "loket123") == 200


def test_correct_log_ins_never_count(limited_app):
    desk = machine(limited_app, "10.0.0.12")
    assert [desk("operator", "loket123") for _ in range(15)] == [200] * 15
    assert [desk("operator", f"salah-{i}") for i in range(9)] == [401] * 9  # a slip or two stay free
    assert desk("operator", "loket123") == 200


def test_one_machine_guessing_many_accounts_is_stopped(limited_app):
    attacker = machine(limited_app, "10.0.0.66")
    users = ["pelayanan", "pendukung", "operator", "scan", "bidang", "register", "admin", "kepala"]
    codes = [attacker(users[i % len(users)], f"salah-{i}") for i in range(31)]
    assert codes[:30] == [401] * 30 and codes[30] == 429
    assert machine(limited_app, "10.0.0.12")("admin", "loket123") == 200


@pytest.fixture
def proxied_app(tmp_path, demo_database):
    app = make_app(tmp_path, demo_database, LOGIN_RATE_LIMIT="3 per minute", PROXY_FIX=1)
    yield app
    app.extensions["loket"].store.dispose()


def test_behind_the_proxy_each_client_has_its_own_limit(proxied_app):
    proxy = "127.0.0.1"  # every request comes from the proxy's socket
    attacker = machine(proxied_app, proxy, **{"X-Forwarded-For": "192.168.1.66"})
    assert [attacker("operator", "salah") for _ in range(4)] == [401, 401, 401, 429]
    desk = machine(proxied_app, proxy, **{"X-Forwarded-For": "192.168.1.12"})
    assert desk("operator", "loket123") == 200


def test_without_proxy_fix_forwarded_headers_are_ignored(tmp_path, demo_database):
    app = make_app(tmp_path, demo_database, LOGIN_RATE_LIMIT="3 per minute")
    try:
        one = machine(app, "127.0.0.1", **{"X-Forwarded-For": "192.168.1.66"})
        assert [one("operator", "salah") for _ in range(3)] == [401] * 3
        other = machine(app, "127.0.0.1", **{"X-Forwarded-For": "192.168.1.12"})
        assert other("operator", "loket123") == 429  # a client cannot name its own address
    finally:
        app.extensions["loket"].store.dispose()
