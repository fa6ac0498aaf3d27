"""Logging in and taking a desk over the JSON API: anonymous users, the CSRF token, wrong passwords, roles not held."""

from __future__ import annotations

from tests.fixtures.web import issue


def test_staff_endpoints_refuse_anonymous_users(client):
    t = issue(client)
    for url in ["/api/counter/call-next", "/api/scan", "/api/staff/tickets/1/start"]:
        r = client.post(url, json={})  # no CSRF token either: that is checked first
        assert (r.status_code, r.get_json()["error"]) == (400, "csrf"), url
    token = client.get("/api/csrf").get_json()["csrf_token"]
    for url in ["/api/counter/call-next", "/api/scan", "/api/staff/tickets/1/start"]:
        r = client.post(url, json={"code": t["qr"]}, headers={"X-CSRFToken": token})
        assert r.status_code == 401, url
    assert client.get("/api/worklist").status_code == 401


def test_staff_post_without_csrf_token_is_refused(staff):
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    assert desk.client.post("/api/counter/call-next", json={}).status_code == 400


def test_wrong_login_and_role_not_held(staff, client):
    token = client.get("/api/csrf").get_json()["csrf_token"]
    r = client.post("/api/login", json={"username": "pelayanan", "password": "wrong"}, headers={"X-CSRFToken": token})
    assert r.status_code == 401
    op = staff("operator")
    r = op.post("/api/session", {"role": "pelayanan", "counter_id": None})
    assert r.status_code == 403
    counters = op.client.get("/api/counters").get_json()["counters"]
    loket1 = next(c["id"] for c in counters if c["name"] == "Loket 1")
    assert op.post("/api/session", {"role": "operator", "counter_id": loket1}).status_code == 403
