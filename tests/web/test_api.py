"""The JSON API: public kiosk calls, staff actions, roles and signed codes."""

from __future__ import annotations

import pytest

KTP = "pencetakan-ktp-el"


def issue(client, service=KTP, priority=None):
    r = client.post("/api/tickets", json={"service": service, "priority": priority})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def test_services_list_every_sop_with_requirements_and_mismatch(client):
    data = client.get("/api/services").get_json()
    services = {s["code"]: s for s in data["services"]}
    assert len(services) == 13
    ktp = services[KTP]
    assert ktp["name"]["id"].startswith("Pencetakan KTP-el") and ktp["name"]["en"]
    assert next(r["key"] for r in ktp["requirements"]) == "fotokopi-kk"
    assert all(r["note"] for r in ktp["requirements"])
    assert ktp["target_minutes"] == 5 and ktp["waiting"] == 0
    akta = services["permohonan-akta-kelahiran"]
    assert (akta["seed_total_minutes"], akta["steps_total_minutes"], akta["total_mismatch"]) == (20, 23, True)
    assert {p["code"] for p in data["priorities"]} == {"lansia", "disabilitas", "ibu_hamil", "anak", "korban_bencana"}


def test_issue_returns_number_signed_qr_and_place(client):
    first = issue(client)
    second = issue(client, priority="lansia")
    assert first["number"] == "B-001" and first["ahead"] == 0
    assert second["number"] == "B-002" and second["ahead"] == 0 and second["priority"] is True
    assert first["qr"].startswith("LKT1:") and first["qr_svg"].startswith("data:image/svg+xml")
    assert client.get(f"/api/services/{KTP}").get_json()["waiting"] == 2


def test_issue_refuses_unknown_service_and_priority(client):
    assert client.post("/api/tickets", json={"service": "nope"}).status_code == 404
    r = client.post("/api/tickets", json={"service": KTP, "priority": "vip"})
    assert r.status_code == 400 and "prioritas" in r.get_json()["message"]
    assert client.post("/api/tickets", json={}).status_code == 400


def test_public_status_has_no_personal_or_staff_data(client):
    t = issue(client, priority="ibu_hamil")
    data = client.get(f"/api/tickets/{t['number']}").get_json()
    assert data["state"] == "waiting" and data["state_label"]["id"] == "Menunggu dipanggil"
    assert data["ahead"] == 0
    assert not {"code", "id", "visits", "priority_reason", "state_note", "missing"} & set(data)
    assert client.get("/api/tickets/Z-999").status_code == 404


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


def test_a_step_of_another_role_is_refused(client, staff):
    t = issue(client)
    op = staff("operator", "operator", "Ruang Operator")
    ticket_id = op.post("/api/scan", {"code": t["qr"]}).get_json()["ticket"]["id"]
    r = op.post(f"/api/staff/tickets/{ticket_id}/start")
    assert r.status_code == 403 and "Petugas Pelayanan" in r.get_json()["message"]


def test_forged_code_is_refused_with_a_clear_message(client, staff):
    t = issue(client)
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    forged = t["qr"].replace(":B-001.", ":B-002.")
    r = desk.post("/api/scan", {"code": forged})
    assert r.status_code == 400 and "tidak sah" in r.get_json()["message"]
    r = desk.post("/api/scan", {"code": "LKT1:dukcapil:20261123:1:B-001"})
    assert r.status_code == 400


def test_full_ktp_flow_over_the_api(client, staff):
    t = issue(client)
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    called = desk.post("/api/counter/call-next").get_json()["ticket"]
    assert called["number"] == t["number"] and called["counter"] == "Loket 1"
    tid = called["id"]
    assert desk.post(f"/api/staff/tickets/{tid}/start").status_code == 200
    r = desk.post(f"/api/staff/tickets/{tid}/advance").get_json()["ticket"]
    assert r["state"] == "in_process" and r["current_role"] == "operator"
    op = staff("operator", "operator", "Ruang Operator")
    assert [w["id"] for w in op.client.get("/api/worklist").get_json()["tickets"]] == [tid]
    assert op.post(f"/api/staff/tickets/{tid}/start").status_code == 200
    assert op.post(f"/api/staff/tickets/{tid}/advance").get_json()["ticket"]["state"] == "ready"
    again = desk.post("/api/counter/call-next").get_json()["ticket"]
    assert again["id"] == tid
    desk.post(f"/api/staff/tickets/{tid}/start")
    final = desk.post(f"/api/staff/tickets/{tid}/hand-over").get_json()["ticket"]
    assert final["state"] == "done" and len(final["visits"]) == 3
    assert client.get(f"/api/tickets/{t['number']}").get_json()["state"] == "done"
    assert desk.post("/api/counter/call-next").get_json()["ticket"] is None


@pytest.mark.parametrize("action", ["advance", "no-show", "resume"])
def test_illegal_action_is_a_409_and_changes_nothing(client, staff, action):
    t = issue(client)
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    tid = desk.post("/api/scan", {"code": t["number"]}).get_json()["ticket"]["id"]
    r = desk.post(f"/api/staff/tickets/{tid}/{action}")
    assert r.status_code == 409
    assert client.get(f"/api/tickets/{t['number']}").get_json()["state"] == "waiting"


def test_pend_needs_a_known_reason(client, staff):
    issue(client)
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    tid = desk.post("/api/counter/call-next").get_json()["ticket"]["id"]
    desk.post(f"/api/staff/tickets/{tid}/start")
    assert desk.post(f"/api/staff/tickets/{tid}/pend", {"reason": "lazy"}).status_code == 400
    r = desk.post(f"/api/staff/tickets/{tid}/pend", {"reason": "not_in_siak"})
    assert r.get_json()["ticket"]["pending_label"]["id"] == "Data tidak ada di SIAK"
