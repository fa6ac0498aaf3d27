"""Tickets nobody holds: the front desk sees today's unclaimed tickets and voids them with a reason."""

from __future__ import annotations

from loket.core.store import EventRecord
from tests.fixtures.web import holder_status, issue

KTP = "pencetakan-ktp-el"


def unclaimed(desk) -> list[dict]:
    r = desk.client.get("/api/staff/unclaimed")
    assert r.status_code == 200, r.get_json()
    return r.get_json()["tickets"]


def void(desk, ticket_id, reason="Tidak ada yang memegang tiket ini"):
    return desk.post(f"/api/staff/tickets/{ticket_id}/void", {"reason": reason})


def test_the_front_desk_voids_unclaimed_tickets_and_the_quota_comes_back(app, client, staff, display):
    admin = staff("admin", "admin")
    r = admin.client.put("/api/admin/settings", json={"services": {KTP: {"quota": 3}}}, headers=admin.csrf())
    assert r.status_code == 200, r.get_json()
    first, second, third = issue(client), issue(client), issue(client)
    assert client.post("/api/tickets", json={"service": KTP}).get_json()["error"] == "quota_full"
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    assert desk.post("/api/counter/call-next").get_json()["ticket"]["number"] == first["number"]  # claimed

    listed = unclaimed(desk)
    assert [t["number"] for t in listed] == [second["number"], third["number"]]
    assert listed[0]["issuer"] == "kiosk:kiosk-test" and listed[0]["printed"] is True

    display.get_received()
    r = void(desk, listed[0]["id"])
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["ticket"]["state"] == "voided"
    assert [t["number"] for t in unclaimed(desk)] == [third["number"]]
    # the display hears it, without the reason
    pushed = [e["args"][0] for e in display.get_received() if e["name"] == "ticket.voided"]
    assert pushed and pushed[0]["number"] == second["number"] and "reason" not in pushed[0]
    # the public status says so; the quota counts it no more
    status = client.get(holder_status(second)).get_json()
    assert status["state"] == "voided" and status["state_label"]["id"] == "Dibatalkan petugas (tidak diambil)"
    assert issue(client)["number"] == "B-004"
    # audited: who, when, why
    with app.extensions["loket"].store.read() as s:
        kinds = {e.kind: e for e in s.query(EventRecord).filter(EventRecord.ticket_id == listed[0]["id"])}
    assert kinds["ticket.voided"].officer_id is not None
    assert kinds["ticket.void_reason"].payload["reason"] == "Tidak ada yang memegang tiket ini"


def test_a_called_ticket_is_not_voided_here(client, staff):
    t = issue(client)
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    ticket_id = desk.post("/api/counter/call-next").get_json()["ticket"]["id"]
    r = void(desk, ticket_id)
    assert r.status_code in (403, 409) and r.get_json()["error"] in ("ticket_claimed", "illegal_transition")
    assert client.get(holder_status(t)).get_json()["state"] == "called"


def test_a_reason_is_needed(client, staff):
    issue(client)
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    ticket_id = unclaimed(desk)[0]["id"]
    for reason in ("", "   ", None, 12, "x" * 201):
        r = void(desk, ticket_id, reason)
        assert r.status_code == 400 and r.get_json()["problems"][0]["field"] == "reason", reason


def test_only_the_front_desk_and_the_admin_void(client, staff):
    issue(client)
    admin = staff("admin", "admin")
    ticket_id = unclaimed(admin)[0]["id"]
    for username in ("kepala", "operator"):
        other = staff(username, username)
        assert other.client.get("/api/staff/unclaimed").status_code == 403
        assert void(other, ticket_id).status_code == 403
    assert void(admin, ticket_id).status_code == 200
