"""The admin API over HTTP: SOP edits reach the kiosk API and the sockets; problems name their fields."""

from __future__ import annotations

import io
import zipfile

import pytest

from loket.app import socketio

KIA = "penerbitan-kia"


@pytest.fixture
def admin(staff):
    return staff("admin", "admin")


def put(officer, url, json):
    return officer.client.put(url, json=json, headers=officer.csrf())


def kiosk_service(client, code):
    return next(s for s in client.get("/api/services").get_json()["services"] if s["code"] == code)


def test_editing_an_sop_changes_the_kiosk_api_and_tells_every_screen(app, client, admin):
    screen = socketio.test_client(app, auth={"channel": "display"})
    screen.get_received()
    sop = admin.client.get(f"/api/admin/sops/{KIA}").get_json()["sop"]
    sop["requirements"][0]["text"]["id"] = "Fotokopi akta kelahiran (dilegalisir)"
    r = put(admin, f"/api/admin/sops/{KIA}", {"sop": sop})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["source"] == "edited"
    texts = [q["text"]["id"] for q in kiosk_service(client, KIA)["requirements"]]
    assert texts[0] == "Fotokopi akta kelahiran (dilegalisir)"
    assert "settings.changed" in [m["name"] for m in screen.get_received()]
    screen.disconnect()


def test_problems_are_structured_and_nothing_is_saved(client, admin):
    sop = admin.client.get(f"/api/admin/sops/{KIA}").get_json()["sop"]
    before = kiosk_service(client, KIA)
    sop["prefix"] = "ab"
    r = put(admin, f"/api/admin/sops/{KIA}", {"sop": sop})
    assert r.status_code == 400
    assert r.get_json()["problems"][0]["field"] == "prefix"
    assert kiosk_service(client, KIA) == before
    r = put(admin, "/api/admin/settings", {"calls_before_no_show": 0})
    assert r.status_code == 400
    assert r.get_json()["problems"][0]["field"] == "calls_before_no_show"


def test_new_service_yaml_export_and_zip_import(client, admin):
    text = admin.client.get(f"/api/admin/sops/{KIA}/yaml").get_data(as_text=True)
    assert f"code: {KIA}" in text
    new = text.replace(f"code: {KIA}", "code: aktivasi-ikd").replace("prefix: ", "prefix: N\n# was: ", 1)
    r = admin.post("/api/admin/sops", {"yaml": new})
    assert r.status_code == 201, r.get_json()
    assert kiosk_service(client, "aktivasi-ikd")["prefix"] == "N"
    assert admin.post("/api/admin/sops", {"yaml": new}).status_code == 400  # the code exists now

    export = admin.client.get("/api/admin/sops/export")
    assert export.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(export.data)).namelist()
    assert any(n.endswith("aktivasi-ikd.yaml") for n in names)
    r = admin.client.post(
        "/api/admin/sops/import",
        data={"files": (io.BytesIO(export.data), "sop.zip")},
        headers=admin.csrf(),
        content_type="multipart/form-data",
    )
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["created"] == []
    r = admin.client.delete("/api/admin/sops/aktivasi-ikd", headers=admin.csrf())
    assert r.status_code == 200 and r.get_json()["source_after"] is None


def test_counters_users_devices_and_the_audit_log(app, staff, admin):
    r = admin.post("/api/admin/counters", {"name": "Loket 8", "number": 8, "roles": ["pelayanan"]})
    assert r.status_code == 201, r.get_json()
    r = admin.post(
        "/api/admin/users", {"username": "budi", "full_name": "Budi", "password": "password-budi", "roles": ["scan"]}
    )
    assert r.status_code == 201, r.get_json()
    user_id = r.get_json()["user"]["id"]
    assert admin.post(f"/api/admin/users/{user_id}/password", {"password": "loket123"}).status_code == 200
    staff("budi", "scan")  # logs in with the new password
    assert put(admin, f"/api/admin/users/{user_id}", {"active": False}).status_code == 200
    r = admin.post("/api/login", {"username": "budi", "password": "loket123"})
    assert r.status_code == 401
    r = admin.post("/api/admin/devices", {"kind": "kiosk", "name": "lobby1", "printer": "usb:0x0416:0x5011"})
    assert r.status_code == 201, r.get_json()
    entries = admin.client.get("/api/admin/audit").get_json()["entries"]
    kinds = [e["kind"] for e in entries]
    assert kinds[:5] == ["device.created", "user.updated", "user.password_reset", "user.created", "counter.created"]
    assert all(e["officer"]["username"] == "admin" for e in entries[:5])


def test_a_deactivated_officer_loses_an_open_session(staff, admin):
    scan = staff("scan", "scan")
    users = admin.client.get("/api/admin/users").get_json()["users"]
    scan_id = next(u["id"] for u in users if u["username"] == "scan")
    assert put(admin, f"/api/admin/users/{scan_id}", {"active": False}).status_code == 200
    assert scan.client.get("/api/worklist").status_code == 401


def test_display_device_applies_its_subset(client, admin):
    admin.post("/api/admin/devices", {"kind": "display", "name": "tv-ambil", "options": {"pickup": True}})
    r = client.get("/display/?device=tv-ambil")
    assert r.status_code == 302
    assert "view=pickup" in r.headers["Location"]
    assert client.get("/display/?device=unknown").status_code == 200


def test_kiosk_device_printer_is_used_for_its_tickets(app, client, admin):
    from loket.hardware.printer.emulator import NetworkPrinterEmulator
    from loket.hardware.printer.readback import qr_payloads

    with NetworkPrinterEmulator() as printer:
        r = admin.post(
            "/api/admin/devices", {"kind": "kiosk", "name": "lobby1", "printer": f"network:{printer.address}"}
        )
        assert r.status_code == 201, r.get_json()
        code = admin.post(f"/api/admin/devices/{r.get_json()['device']['id']}/pair").get_json()["code"]
        # the kiosk is the paired one, whatever its page says
        r = client.post("/api/tickets", json={"service": KIA, "kiosk": "other"}, headers={"X-Loket-Kiosk-Token": code})
        assert r.status_code == 201, r.get_json()
        assert r.get_json()["print"]["printer"] == f"network:{printer.address}", r.get_json()["print"]
        app.extensions["print_queues"].wait_idle()  # printed off the request path
        printer.close()  # waits for the connection to end
        assert len(printer.jobs) == 1, "the ticket went to the kiosk's own printer"
        assert qr_payloads(printer.jobs[0]) == [r.get_json()["qr"]]


def test_the_web_cannot_point_a_printer_at_a_file(admin):
    for spec in ("file:/etc", "preview:/tmp/x", "device:/dev/sda", "serial:/etc/passwd", "network:a b"):
        r = admin.post("/api/admin/devices", {"kind": "kiosk", "name": "lobby9", "printer": spec})
        assert r.status_code == 400, spec
        assert r.get_json()["problems"][0]["field"] == "printer"


def test_meta_names_the_defaults_an_empty_setting_falls_back_to(app, admin):
    meta = admin.client.get("/api/admin/meta").get_json()
    assert meta["defaults"] == {
        "calls_before_no_show": 3,
        "no_show_min_minutes": 3,
        "resume_to": "front",
        "personal_data_retention_days": 365,
        "voice_reading": "cardinal",
    }
    assert {r["code"] for r in meta["roles"] if not r["step"]} == {"admin", "kepala"}


def test_a_password_reset_ends_the_sessions_made_before_it(staff, admin):
    scan = staff("scan", "scan")
    assert scan.client.get("/api/worklist").status_code == 200
    users = admin.client.get("/api/admin/users").get_json()["users"]
    scan_id = next(u["id"] for u in users if u["username"] == "scan")
    assert admin.post(f"/api/admin/users/{scan_id}/password", {"password": "baru-12345"}).status_code == 200
    assert scan.client.get("/api/worklist").status_code == 401
    assert admin.client.get("/api/admin/users").status_code == 200  # the admin's own session is untouched


def test_settings_texts_have_a_length_limit(admin):
    r = put(admin, "/api/admin/settings", {"office_name": "x" * 121, "running_text": "y" * 501})
    assert r.status_code == 400
    assert {p["field"] for p in r.get_json()["problems"]} == {"office_name", "running_text"}


def test_the_admin_pages_are_told_which_accounts_keep_the_demo_password(staff):
    admin = staff("admin", "admin")
    warned = admin.client.get("/api/admin/warnings").get_json()["demo_password_accounts"]
    assert {"admin", "operator", "kepala"} <= set(warned)
    users = admin.client.get("/api/admin/users").get_json()["users"]
    uid = next(u["id"] for u in users if u["username"] == "operator")
    assert admin.post(f"/api/admin/users/{uid}/password", {"password": "kata-sandi-baru"}).status_code == 200
    assert "operator" not in admin.client.get("/api/admin/warnings").get_json()["demo_password_accounts"]
    assert staff("kepala", "kepala").client.get("/api/admin/warnings").status_code == 403


def test_the_office_sets_the_no_show_minutes_and_where_a_resumed_berkas_goes(client, admin, staff):
    """Issue 15: the settings page's fields, checked on the server; the counter feels them at once."""
    for bad in ({"no_show_min_minutes": 61}, {"no_show_min_minutes": -1}, {"resume_to": "anywhere"}):
        r = put(admin, "/api/admin/settings", bad)
        assert r.status_code == 400 and r.get_json()["problems"][0]["field"] == next(iter(bad)), bad
    ok = put(
        admin, "/api/admin/settings", {"no_show_min_minutes": 0, "resume_to": "same_counter", "calls_before_no_show": 1}
    )
    assert ok.status_code == 200
    saved = admin.client.get("/api/admin/settings").get_json()
    assert (saved["no_show_min_minutes"], saved["resume_to"]) == (0, "same_counter")
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    client.post("/api/tickets", json={"service": "pencetakan-ktp-el"})
    called = desk.post("/api/counter/call-next").get_json()["ticket"]
    assert called["no_show_from"] == called["visits"][-1]["called_at"]  # 0 minutes: no wait after the first call
    assert desk.post(f"/api/staff/tickets/{called['id']}/no-show").status_code == 200
