"""The pickup hours through the JSON: the admin sets them (checked, audited), a ready berkas's status page shows
them, and the pickup slip prints them."""

from __future__ import annotations

from tests.fixtures.web import Staff, issue, staff_of

PICKUP = {d: {"open": "13:00", "close": "15:00"} for d in ("mon", "tue", "wed", "thu", "fri")}


def put_settings(app, changes: dict):
    admin = staff_of(app)("admin", "admin")
    return admin.client.put("/api/admin/settings", json=changes, headers=admin.csrf()), admin


def test_the_admin_sets_the_pickup_hours_and_a_ready_berkas_shows_them(client, app, staff):
    code = issue(client)["qr"].rsplit("/", 1)[1]
    r, admin = put_settings(app, {"pickup_hours": PICKUP})
    assert r.status_code == 200 and r.get_json()["pickup_hours"]["fri"] == {"open": "13:00:00", "close": "15:00:00"}
    entries = admin.client.get("/api/admin/audit?kind=settings.changed").get_json()["entries"]
    assert entries[0]["summary"] == "pickup_hours"  # audited like the other settings
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    operator = staff("operator", "operator", "Ruang Operator")
    tid = desk.post("/api/counter/call-next").get_json()["ticket"]["id"]
    for who, action in ((desk, "start"), (desk, "advance"), (operator, "start"), (operator, "advance")):
        assert who.post(f"/api/staff/tickets/{tid}/{action}").status_code == 200, action
    data = client.get(f"/api/status/{code}").get_json()
    assert data["state"] == "ready"
    assert [(h["day"]["id"], h["open"], h["close"]) for h in data["pickup"]["hours"]] == [
        (day, "13:00", "15:00") for day in ("Senin", "Selasa", "Rabu", "Kamis", "Jumat")
    ]


def test_wrong_pickup_hours_are_refused_by_field(app):
    r, _admin = put_settings(app, {"pickup_hours": {"mon": {"open": "15:00", "close": "08:00"}}})
    assert r.status_code == 400
    assert any(p["field"].startswith("pickup_hours.mon") for p in r.get_json()["problems"]), r.get_json()


def test_the_pickup_slip_prints_the_pickup_hours(client, app, tmp_path):
    put_settings(app, {"pickup_hours": {**PICKUP, "fri": {"open": "08:00", "close": "11:00"}}})
    desk = Staff(app.test_client()).login("pelayanan", "pelayanan", "Loket 1")
    lost = client.post("/api/tickets", json={"service": "dokumen-hilang-rusak"}).get_json()
    lost_id = desk.post("/api/scan", {"code": lost["qr"]}).get_json()["ticket"]["id"]
    assert desk.post(f"/api/staff/tickets/{lost_id}/pickup-slip").status_code == 200
    [slip] = (tmp_path / "tickets").glob("*slip-*.bin")
    printed = slip.read_bytes()
    assert b"Jam pengambilan dokumen:" in printed
    assert b"Senin-Kamis 13:00-15:00" in printed and b"Jumat 08:00-11:00" in printed
