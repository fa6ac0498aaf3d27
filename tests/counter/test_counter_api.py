"""Counter API beyond calling: applicant data, transfers, walk-ins, the buku harian and the scanner agent."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from loket.app import socketio
from tests.fixtures.web import holder_status

KTP = "pencetakan-ktp-el"
NIK = "3273011205900001"


def serve_first(client, staff, counter="Loket 1"):
    t = client.post("/api/tickets", json={"service": KTP}).get_json()
    desk = staff("pelayanan", "pelayanan", counter)
    tid = desk.post("/api/counter/call-next").get_json()["ticket"]["id"]
    desk.post(f"/api/staff/tickets/{tid}/start")
    return t, desk, tid


def test_applicant_is_recorded_validated_and_private(client, staff):
    t, desk, tid = serve_first(client, staff)
    bad = desk.post(f"/api/staff/tickets/{tid}/applicant", {"name": "Siti", "nik": "123"})
    assert bad.status_code == 400 and "16 angka" in bad.get_json()["message"]
    ok = desk.post(f"/api/staff/tickets/{tid}/applicant", {"name": "Siti Aminah", "nik": NIK})
    assert ok.get_json()["ticket"]["applicant"] == {"name": "Siti Aminah", "nik": NIK}
    public = client.get(holder_status(t)).get_data(as_text=True)
    assert NIK not in public and "Siti" not in public
    assert NIK not in client.get("/api/display/state").get_data(as_text=True)


def test_transfer_and_walk_in(client, staff):
    _, desk, tid = serve_first(client, staff)
    counters = desk.client.get("/api/counters").get_json()["counters"]
    loket2 = next(c["id"] for c in counters if c["name"] == "Loket 2")
    moved = desk.post(f"/api/staff/tickets/{tid}/transfer", {"counter_id": loket2}).get_json()["ticket"]
    assert moved["state"] == "waiting"
    other = staff("pelayanan", "pelayanan", "Loket 2")
    assert other.post("/api/counter/call-next").get_json()["ticket"]["id"] == tid
    walk = desk.post("/api/counter/walk-in", {"service": "penerbitan-kia"}).get_json()["ticket"]
    assert walk["state"] == "serving" and walk["counter"] == "Loket 1"


def test_buku_harian_as_json_csv_and_xlsx(client, staff):
    t, desk, tid = serve_first(client, staff)
    desk.post(f"/api/staff/tickets/{tid}/applicant", {"name": "Siti Aminah", "nik": NIK})
    desk.post(f"/api/staff/tickets/{tid}/advance")
    data = desk.client.get("/api/register").get_json()
    [row] = data["rows"]
    assert (row["number"], row["applicant_name"], row["nik"], row["counter"]) == (
        t["number"],
        "Siti Aminah",
        NIK,
        "Loket 1",
    )
    assert row["officer"] == "Petugas Pelayanan (demo)" and row["steps"][0]["role"] == "Petugas Pelayanan"
    text = desk.client.get(f"/api/register?day={data['day']}&format=csv").get_data(as_text=True)
    [header, line] = list(csv.reader(io.StringIO(text)))
    assert header[:5] == ["Tanggal", "Nomor", "Layanan", "Nama pemohon", "NIK"] and line[4] == NIK
    book = load_workbook(io.BytesIO(desk.client.get("/api/register?format=xlsx").data))
    sheet = book.active
    assert sheet["B3"].value == t["number"] and sheet["E3"].value == NIK
    book.close()
    assert client.get("/api/register").status_code == 401  # residents never see it
    assert desk.client.get("/api/register?day=kemarin").status_code == 400


def test_scanner_agent_loads_the_berkas_on_its_counters_page(app, client, staff):
    app.config["SCANNER_TOKEN"] = "agent-secret"
    t = client.post("/api/tickets", json={"service": KTP}).get_json()
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    page = socketio.test_client(app, flask_test_client=desk.client, auth={"channel": "staff"})
    elsewhere = staff("pelayanan", "pelayanan", "Loket 2")
    other_page = socketio.test_client(app, flask_test_client=elsewhere.client, auth={"channel": "staff"})
    counters = desk.client.get("/api/counters").get_json()["counters"]
    loket1 = next(c["id"] for c in counters if c["name"] == "Loket 1")
    wrong = client.post("/api/scanner/scan", json={"code": t["qr"], "counter_id": loket1})
    assert wrong.status_code == 401
    r = client.post(
        "/api/scanner/scan",
        json={"code": t["qr"], "counter_id": loket1},
        headers={"Authorization": "Bearer agent-secret"},
    )
    assert r.status_code == 200 and r.get_json()["ticket"]["number"] == t["number"]
    scans = [e["args"][0] for e in page.get_received() if e["name"] == "scanner.scan"]
    assert scans and scans[0]["ticket"]["number"] == t["number"]
    assert not [e for e in other_page.get_received() if e["name"] == "scanner.scan"]
    forged = client.post(
        "/api/scanner/scan",
        json={"code": t["qr"][:-2] + "xx", "counter_id": loket1},
        headers={"Authorization": "Bearer agent-secret"},
    )
    assert forged.status_code == 400 and "tidak sah" in forged.get_json()["message"]


def test_printable_register_page_for_staff(client, staff):
    t, desk, tid = serve_first(client, staff)
    desk.post(f"/api/staff/tickets/{tid}/applicant", {"name": "Siti Aminah", "nik": NIK})
    page = desk.client.get("/reports/register").get_data(as_text=True)
    assert "BUKU HARIAN PELAYANAN" in page and t["number"] in page and NIK in page and "Mengetahui" in page
    assert client.get("/reports/register").status_code == 302  # not logged in: to the login page


def test_webcam_frame_is_decoded_on_the_server(client, staff):
    import cv2

    from loket.hardware.scanner.synthetic import camera_look, cluttered_background, paste, qr_image, rotated

    t = client.post("/api/tickets", json={"service": KTP}).get_json()
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    frame = paste(cluttered_background(3), rotated(qr_image(t["qr"], 160), 30), 700, 250)
    jpeg = cv2.imencode(".jpg", camera_look(frame, 3), [cv2.IMWRITE_JPEG_QUALITY, 80])[1].tobytes()
    r = desk.client.post("/api/scan/frame", data=jpeg, headers={**desk.csrf(), "Content-Type": "image/jpeg"})
    assert r.status_code == 200 and r.get_json()["ticket"]["number"] == t["number"]
    empty = cv2.imencode(".jpg", cluttered_background(4))[1].tobytes()
    r = desk.client.post("/api/scan/frame", data=empty, headers={**desk.csrf(), "Content-Type": "image/jpeg"})
    assert r.get_json() == {"ticket": None, "found": False}
    r = desk.client.post("/api/scan/frame", data=b"not an image", headers=desk.csrf())
    assert r.status_code == 400


def test_the_buku_harian_is_only_for_the_roles_that_keep_it(staff):
    for role in ("operator", "scan"):
        officer = staff(role, role)
        assert officer.client.get("/api/register").status_code == 403
        assert officer.client.get("/reports/register").status_code == 403
    for role in ("register", "bidang"):
        assert staff(role, role).client.get("/api/register").status_code == 200
