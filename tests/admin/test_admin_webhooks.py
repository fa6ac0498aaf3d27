"""The admin's webhook pages through Flask's test client: make a subscription (its secret shown once), a test
event reaches a real receiver on 127.0.0.1 signed (Standard Webhooks), deliveries listed with state, tries and
last answer, a failed one tried again, the secret rotated, switched off, deleted; the admin role only."""

from __future__ import annotations

import pytest

from loket.core.outbox import worker
from loket.outbox import routes
from tests.outbox.receiver import start_receiver

POLICY = worker.OutboxPolicy(max_attempts=1)


@pytest.fixture
def admin(staff):
    return staff("admin", "admin")


@pytest.fixture
def receiver():
    r = start_receiver()
    yield r
    r.close()


def deliver(app):
    with app.app_context():
        return worker.deliver_due(app.extensions["loket"], routes(app), "test-worker", POLICY)


def send(officer, method, url, json=None):
    return officer.client.open(url, method=method, json=json, headers=officer.csrf())


def test_the_admin_makes_tests_and_manages_a_subscription(app, admin, receiver):
    assert admin.client.get("/admin/webhooks").status_code == 200
    r = admin.post("/api/admin/webhooks", {"name": "MPP Kota", "url": receiver.url, "events": ["ticket.called"]})
    assert r.status_code == 201, r.get_json()
    sub = r.get_json()["subscription"]
    receiver.secret = sub["secret"]
    listed = admin.client.get("/api/admin/webhooks").get_json()
    assert listed["subscriptions"][0]["name"] == "MPP Kota" and "secret" not in listed["subscriptions"][0]
    assert "ticket.issued" in listed["events"]

    receiver.down = True
    assert admin.post(f"/api/admin/webhooks/{sub['id']}/test").status_code == 202
    deliver(app)
    (failed,) = admin.client.get("/api/admin/webhooks").get_json()["deliveries"]
    assert (failed["state"], failed["attempts"], failed["last_status"]) == ("failed", 1, 503)
    assert failed["event"] == "webhook.test" and "503" in failed["last_error"]

    receiver.down = False
    r = admin.post(f"/api/admin/webhooks/deliveries/{failed['id']}/retry")
    assert r.status_code == 200 and r.get_json()["delivery"]["state"] == "pending"
    deliver(app)
    (sent,) = admin.client.get("/api/admin/webhooks").get_json()["deliveries"]
    assert (sent["state"], sent["last_status"], sent["webhook_id"]) == ("sent", 200, failed["webhook_id"])
    assert list(receiver.taken) == [failed["webhook_id"]] and receiver.bad_signatures == 0
    assert admin.post(f"/api/admin/webhooks/deliveries/{sent['id']}/retry").status_code == 409

    rotated = admin.post(f"/api/admin/webhooks/{sub['id']}/rotate").get_json()["subscription"]
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != sub["secret"]
    receiver.secret = rotated["secret"]
    admin.post(f"/api/admin/webhooks/{sub['id']}/test")
    deliver(app)
    assert len(receiver.taken) == 2 and receiver.bad_signatures == 0

    r = send(
        admin,
        "PUT",
        f"/api/admin/webhooks/{sub['id']}",
        {"name": sub["name"], "url": sub["url"], "events": sub["events"], "active": False},
    )
    assert r.status_code == 200 and r.get_json()["subscription"]["active"] is False
    assert admin.post(f"/api/admin/webhooks/{sub['id']}/test").status_code == 409
    assert send(admin, "DELETE", f"/api/admin/webhooks/{sub['id']}").status_code == 200
    audit = admin.client.get("/api/admin/audit").get_json()["entries"]
    kinds = [e["kind"] for e in audit if e["kind"].startswith("webhook.")]
    assert kinds == ["webhook.deleted", "webhook.updated", "webhook.secret_rotated", "webhook.created"]
    assert sub["secret"] not in str(audit) and rotated["secret"] not in str(audit)
    assert admin.client.get("/api/admin/webhooks").get_json() == {
        "subscriptions": [],
        "deliveries": [],
        "events": listed["events"],
    }


def test_bad_input_names_its_field_and_saves_nothing(admin):
    r = admin.post("/api/admin/webhooks", {"name": "X", "url": "ftp://example", "events": ["ticket.nope"]})
    assert r.status_code == 400
    assert {p["field"] for p in r.get_json()["problems"]} >= {"url", "events[0]"}
    assert admin.client.get("/api/admin/webhooks").get_json()["subscriptions"] == []


def test_only_the_admin_sees_or_changes_webhooks(staff):
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    assert desk.client.get("/api/admin/webhooks").status_code == 403
    assert desk.post("/api/admin/webhooks", {"name": "X", "url": "http://x.example", "events": []}).status_code == 403
