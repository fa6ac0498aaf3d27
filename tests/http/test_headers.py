"""Security headers on every answer: CSP with a nonce for the one inline script, no framing, no sniffing,
a narrow Permissions-Policy (the desk and the kiosk's check-in alone may use the camera), and Secure cookies +
HSTS behind TLS."""

from __future__ import annotations

import re

import pytest

from tests.fixtures.web import make_app

PAGES = [
    "/kiosk/",
    "/display/",
    "/counter/",
    "/admin/",
    "/admin/sops",
    "/admin/sops/new",
    "/admin/sops/pencetakan-ktp-el",
    "/admin/counters",
    "/admin/users",
    "/admin/devices",
    "/admin/audit",
    "/reports/",
    "/reports/live",
    "/survey",
    "/survey/report",
]


def csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] if " " in d else "" for d in policy.split("; ")}


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_the_headers_and_its_import_map_the_nonce(client, path):
    r = client.get(path)
    assert r.status_code == 200, path
    policy = csp(r)
    assert policy["frame-ancestors"] == "'none'" and r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "same-origin"
    assert policy["object-src"] == "'none'" and policy["default-src"] == "'self'"
    assert "'unsafe-inline'" not in r.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in r.headers["Content-Security-Policy"]
    html = r.get_data(as_text=True)
    [nonce] = re.findall(r'<script type="importmap" nonce="([^"]+)">', html)
    assert policy["script-src"] == f"'self' 'nonce-{nonce}'"
    for tag in re.findall(r"<script\b[^>]*>", html):  # every script is a file, data, or carries the nonce
        assert "src=" in tag or 'type="application/json"' in tag or f'nonce="{nonce}"' in tag, tag
    assert not re.search(r"\son[a-z]+=", html), "an inline event handler"
    camera = "camera=(self)" if path in ("/counter/", "/kiosk/") else "camera=()"
    assert camera in r.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in r.headers


def test_the_nonce_is_new_on_every_answer(client):
    first, second = (csp(client.get("/kiosk/"))["script-src"] for _ in range(2))
    assert first != second


def test_json_and_files_are_not_sniffed_nor_framed(client):
    for path in ("/api/services", "/api/display/state", "/static/js/request.js"):
        r = client.get(path)
        r.close()  # a file is streamed
        assert r.headers["X-Content-Type-Options"] == "nosniff", path
        assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]


def test_the_printable_register_has_no_inline_handler(staff):
    officer = staff("pelayanan", "pelayanan", "Loket 1")
    r = officer.client.get("/reports/register")
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "no-store"  # names and NIKs stay out of the staff PC's cache
    html = r.get_data(as_text=True)
    nonce = csp(r)["style-src"].split("'nonce-")[1].rstrip("'")
    assert f'<style nonce="{nonce}">' in html
    assert not re.search(r"\son[a-z]+=|\sstyle=", html)


def test_secure_cookies_and_hsts_behind_tls(tmp_path, demo_database, monkeypatch):
    monkeypatch.setenv("LOKET_SECURE_COOKIES", "1")
    app = make_app(tmp_path, demo_database)
    try:
        client = app.test_client()
        r = client.get("/api/csrf", base_url="https://loket.example")
        cookie = r.headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie
        assert r.headers["Strict-Transport-Security"].startswith("max-age=")
    finally:
        app.extensions["loket"].store.dispose()


def test_no_secure_flag_on_a_plain_http_lan_by_default(client):
    r = client.get("/api/csrf")
    assert "Secure" not in r.headers["Set-Cookie"]
