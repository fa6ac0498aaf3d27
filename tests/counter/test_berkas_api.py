"""A berkas over the JSON API at the counters: its steps, the roles that may take them, signed codes."""

from __future__ import annotations

import pytest

from tests.fixtures.web import holder_status, issue

KTP = "pencetakan-ktp-el"


def test_a_step_of_another_role_is_refused(client, staff):
    t = issue(client)
    op = staff("operator", "operator", "Ruang Operator")
    ticket_id = op.post("/api/scan", {"code": t["qr"]}).get_json()["ticket"]["id"]
    r = op.post(f"/api/staff/tickets/{ticket_id}/start")
    assert r.status_code == 403 and "Petugas Pelayanan" in r.get_json()["message"]


def test_forged_code_is_refused_with_a_clear_message(client, staff):
    t = issue(client)
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    plain = desk.post("/api/scan", {"code": t["qr"]}).get_json()["ticket"]["code"]  # the older LKT1: form
    url = t["qr"]  # the status page's address, as printed now
    for forged in (plain.replace(":B-001.", ":B-002."), url[:-1] + ("A" if url[-1] != "A" else "B")):
        r = desk.post("/api/scan", {"code": forged})
        assert r.status_code == 400 and "tidak sah" in r.get_json()["message"], forged
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
    assert client.get(holder_status(t)).get_json()["state"] == "done"
    assert desk.post("/api/counter/call-next").get_json()["ticket"] is None


@pytest.mark.parametrize("action", ["advance", "no-show", "resume"])
def test_illegal_action_is_a_409_and_changes_nothing(client, staff, action):
    t = issue(client)
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    tid = desk.post("/api/scan", {"code": t["number"]}).get_json()["ticket"]["id"]
    r = desk.post(f"/api/staff/tickets/{tid}/{action}")
    assert r.status_code == 409
    assert client.get(holder_status(t)).get_json()["state"] == "waiting"


def test_pend_needs_a_known_reason(client, staff):
    issue(client)
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    tid = desk.post("/api/counter/call-next").get_json()["ticket"]["id"]
    desk.post(f"/api/staff/tickets/{tid}/start")
    assert desk.post(f"/api/staff/tickets/{tid}/pend", {"reason": "lazy"}).status_code == 400
    r = desk.post(f"/api/staff/tickets/{tid}/pend", {"reason": "not_in_siak"})
    assert r.get_json()["ticket"]["pending_label"]["id"] == "Data tidak ada di SIAK"


def test_the_checklist_ticked_at_the_front_desk_is_seen_at_the_next_stations(client, staff):
    issue(client)
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    tid = desk.post("/api/counter/call-next").get_json()["ticket"]["id"]
    desk.post(f"/api/staff/tickets/{tid}/start")
    r = desk.post(f"/api/staff/tickets/{tid}/documents", {"have": ["fotokopi-kk"]})
    assert r.status_code == 200 and r.get_json()["ticket"]["checked"]["have"] == ["fotokopi-kk"]
    assert desk.post(f"/api/staff/tickets/{tid}/documents", {"have": ["nope"]}).status_code == 403
    desk.post(f"/api/staff/tickets/{tid}/advance")
    op = staff("operator", "operator", "Ruang Operator")
    checked = op.client.get(f"/api/staff/tickets/{tid}").get_json()["ticket"]["checked"]
    assert checked["have"] == ["fotokopi-kk"] and checked["by"] and checked["at"]
    assert op.post(f"/api/staff/tickets/{tid}/documents", {"have": []}).status_code == 403  # not being served
