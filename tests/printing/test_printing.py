"""Tickets on paper: printed once, failures reported and alerted, reprints, slips and previews."""

from __future__ import annotations

import io
from urllib.parse import urlparse

import pytest
from PIL import Image

from loket.app import create_app, socketio
from loket.core.store import Ticket
from loket.hardware.printer.emulator import NetworkPrinterEmulator
from loket.hardware.printer.readback import decode_qr_image, native_qr_payloads, qr_payloads, raster_images
from tests.fixtures.database import copy_sqlite
from tests.fixtures.web import Staff, make_app, staff_of

KTP = "pencetakan-ktp-el"


@pytest.fixture
def emulator():
    with NetworkPrinterEmulator() as emu:
        yield emu


@pytest.fixture
def kiosk_app(tmp_path, emulator, demo_database):
    """An app whose kiosk 'lobby' prints to a network printer played by a TCP listener."""
    app = make_app(
        tmp_path,
        demo_database,
        TESTING=False,  # as this app always ran: errors answer as in production
        KIOSK_PRINTERS=f"lobby=network:{emulator.address}",
        PRINTER_TIMEOUT=1,
        kiosk="lobby",
    )
    yield app
    app.extensions["loket"].store.dispose()


def printed(app) -> None:
    """Wait until every queued print job ran (printing is off the request path)."""
    app.extensions["print_queues"].wait_idle()


def kiosk_socket(app):
    """The paired kiosk's page over Socket.IO: it hears print.outcome for its own tickets."""
    return socketio.test_client(app, auth={"channel": "display", "kiosk_token": app.config["TEST_KIOSK_TOKEN"]})


def outcomes(socket) -> list[dict]:
    return [e["args"][0] for e in socket.get_received() if e["name"] == "print.outcome"]


def tickets_in_db(app) -> int:
    with app.extensions["loket"].store.read() as s:
        return s.query(Ticket).count()


def test_default_file_printer_gets_a_ticket_whose_qr_scans(client, app, tmp_path):
    r = client.post("/api/tickets", json={"service": KTP})
    data = r.get_json()
    assert r.status_code == 201 and data["print"]["state"] == "queued"
    printed(app)
    [binary] = (tmp_path / "tickets").glob("*.bin")
    assert qr_payloads(binary.read_bytes()) == [data["qr"]]
    assert b"B-001" in binary.read_bytes()


def test_network_printer_prints_the_kiosk_ticket(kiosk_app, emulator):
    client = kiosk_app.test_client()
    kiosk = kiosk_socket(kiosk_app)
    data = client.post("/api/tickets", json={"service": KTP, "kiosk": "lobby"}).get_json()
    assert data["print"]["state"] == "queued" and data["print"]["printer"] == f"network:{emulator.address}"
    printed(kiosk_app)
    assert outcomes(kiosk) == [
        {"number": "B-001", "ok": True, "printer": f"network:{emulator.address}", "reason": None, "message": None}
    ]
    emulator.close()
    [job] = emulator.jobs
    assert qr_payloads(job) == [data["qr"]] and b"NOMOR ANTREAN" in job


@pytest.mark.parametrize("mode", ["refuse", "hangup", "paper_out", "cover_open", "silent"])
def test_failed_printer_still_issues_exactly_one_ticket_and_alerts_staff(kiosk_app, emulator, staff, mode):
    if mode == "refuse":
        emulator.close()
    else:
        emulator.mode = mode
    staff_client = staff("pelayanan", "pelayanan", "Loket 1")
    staff_socket = socketio.test_client(kiosk_app, flask_test_client=staff_client.client, auth={"channel": "staff"})
    client = kiosk_app.test_client()
    kiosk = kiosk_socket(kiosk_app)
    r = client.post("/api/tickets", json={"service": KTP, "kiosk": "lobby"})
    data = r.get_json()
    assert r.status_code == 201, data
    assert data["number"] == "B-001" and data["qr"]
    printed(kiosk_app)
    [outcome] = outcomes(kiosk)
    assert outcome["number"] == "B-001" and outcome["ok"] is False and outcome["reason"] and outcome["message"]
    assert tickets_in_db(kiosk_app) == 1
    alerts = staff_client.client.get("/api/staff/alerts").get_json()["printer_failures"]
    assert alerts[0]["number"] == "B-001" and alerts[0]["kiosk"] == "lobby"
    pushed = [e for e in staff_socket.get_received() if e["name"] == "printer.failed"]
    assert pushed and pushed[0]["args"][0]["number"] == "B-001"
    # the next resident gets the next number: nothing was issued twice or lost
    assert client.post("/api/tickets", json={"service": KTP, "kiosk": "lobby"}).get_json()["number"] == "B-002"


@pytest.fixture
def staff(kiosk_app):
    return staff_of(kiosk_app)


def test_staff_reprint_after_the_printer_recovers(kiosk_app, emulator, staff):
    emulator.mode = "paper_out"
    client = kiosk_app.test_client()
    kiosk = kiosk_socket(kiosk_app)
    data = client.post("/api/tickets", json={"service": KTP, "kiosk": "lobby"}).get_json()
    printed(kiosk_app)
    assert [o["reason"] for o in outcomes(kiosk)] == ["paper_out"]
    emulator.mode = "ok"  # paper loaded
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    ticket_id = desk.post("/api/scan", {"code": data["qr"]}).get_json()["ticket"]["id"]
    r = desk.post(f"/api/staff/tickets/{ticket_id}/reprint", {"kiosk": "lobby"})
    assert r.status_code == 200 and r.get_json()["print"]["ok"] is True
    emulator.close()
    assert [qr_payloads(j) for j in emulator.jobs if b"NOMOR ANTREAN" in j] == [[data["qr"]]]
    assert tickets_in_db(kiosk_app) == 1


def test_reprint_needs_staff(client):
    data = client.post("/api/tickets", json={"service": KTP}).get_json()
    token = client.get("/api/csrf").get_json()["csrf_token"]
    r = client.post("/api/staff/tickets/1/reprint", json={}, headers={"X-CSRFToken": token})
    assert r.status_code == 401 and data["number"] == "B-001"


def test_pickup_slip_only_where_the_sop_gives_one(client, app, tmp_path):
    desk = Staff(app.test_client()).login("pelayanan", "pelayanan", "Loket 1")
    ktp = client.post("/api/tickets", json={"service": KTP}).get_json()
    lost = client.post("/api/tickets", json={"service": "dokumen-hilang-rusak"}).get_json()
    ktp_id = desk.post("/api/scan", {"code": ktp["qr"]}).get_json()["ticket"]["id"]
    lost_id = desk.post("/api/scan", {"code": lost["qr"]}).get_json()["ticket"]["id"]
    assert desk.post(f"/api/staff/tickets/{ktp_id}/pickup-slip").status_code == 409
    r = desk.post(f"/api/staff/tickets/{lost_id}/pickup-slip")
    assert r.status_code == 200 and r.get_json()["print"]["ok"]
    slips = [p for p in (tmp_path / "tickets").glob("*slip-*.bin")]
    assert len(slips) == 1 and b"SLIP PENGAMBILAN" in slips[0].read_bytes()
    assert qr_payloads(slips[0].read_bytes()) == [lost["qr"]]


def test_ticket_and_slip_carry_the_office_s_waiting_area_and_ready_date(client, app, tmp_path):
    """Issue 15: the ticket says where to wait; the slip when the document should be ready (working days)."""
    from datetime import timedelta

    from loket.hardware.printer.layout import indonesian_date

    admin = Staff(app.test_client()).login("admin", "admin")
    rules = {"waiting_area": "Ruang tunggu lantai 2", "services": {"dokumen-hilang-rusak": {"ready_in_days": 2}}}
    assert admin.client.put("/api/admin/settings", json=rules, headers=admin.csrf()).status_code == 200
    desk = Staff(app.test_client()).login("pelayanan", "pelayanan", "Loket 1")
    lost = client.post("/api/tickets", json={"service": "dokumen-hilang-rusak"}).get_json()
    printed(app)
    [ticket] = [p.read_bytes() for p in (tmp_path / "tickets").glob("*ticket-*.bin")]
    assert b"Tunggu di: Ruang tunggu lantai 2" in ticket and b"Berlaku hanya hari ini" in ticket
    lost_id = desk.post("/api/scan", {"code": lost["qr"]}).get_json()["ticket"]["id"]
    assert desk.post(f"/api/staff/tickets/{lost_id}/pickup-slip").status_code == 200
    [slip] = [p.read_bytes() for p in (tmp_path / "tickets").glob("*slip-*.bin")]
    loket = app.extensions["loket"]
    day = loket.clock.local(loket.clock.now()).date()
    for _ in range(2):  # no hours set: Monday to Friday are working days
        day += timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
    assert f"Perkiraan selesai: {indonesian_date(day)}".encode() in slip.replace(b"\n", b" ")
    assert b"Berkas diterima:" in slip and b"Jam pengambilan dokumen:" in slip


def test_preview_png_needs_the_signed_code_and_scans(client):
    data = client.post("/api/tickets", json={"service": KTP, "priority": "lansia"}).get_json()
    assert client.get(f"/api/tickets/preview.png?code={data['number']}").status_code == 400
    r = client.get("/api/tickets/preview.png", query_string={"code": data["qr"]})
    assert r.status_code == 200 and r.mimetype == "image/png"
    assert decode_qr_image(Image.open(io.BytesIO(r.data))) == [data["qr"]]


def test_admin_settings_take_effect_at_once(app, client, display):
    admin = Staff(app.test_client()).login("admin", "admin")
    desk = Staff(app.test_client()).login("pelayanan", "pelayanan", "Loket 1")
    assert desk.client.get("/api/admin/settings").status_code == 403
    r = admin.client.put(
        "/api/admin/settings", json={"services": {KTP: {"quota": 1}}, "blanko_stock": 0}, headers=admin.csrf()
    )
    assert r.status_code == 200, r.get_json()
    assert any(e["name"] == "settings.changed" for e in display.get_received())
    first = client.post("/api/tickets", json={"service": KTP}).get_json()
    assert "Surat Keterangan" in first["notice"]["id"]
    services = {s["code"]: s for s in client.get("/api/services").get_json()["services"]}
    assert services[KTP]["availability"]["reason"] == "quota_full"
    assert services[KTP]["blanko"]["out"] is True
    refused = client.post("/api/tickets", json={"service": KTP})
    assert refused.status_code == 409 and "Kuota" in refused.get_json()["message"]
    bad = admin.client.put("/api/admin/settings", json={"blanko_stock": -1}, headers=admin.csrf())
    assert bad.status_code == 400 and bad.get_json()["problems"]


def test_kiosk_settings_need_the_pin_and_are_rate_limited(tmp_path, schema_template):
    url = copy_sqlite(schema_template, tmp_path / "l.db")
    app = create_app(
        {"DATABASE_URL": url, "SECRET_KEY": "t", "KIOSK_PIN": "246810", "PRINTER": f"file:{tmp_path / 'out'}"},
        instance_path=str(tmp_path / "instance"),
    )
    client = app.test_client()
    assert client.post("/api/kiosk/unlock", json={"pin": "000000"}).status_code == 403
    ok = client.post("/api/kiosk/unlock", json={"pin": "246810"})
    assert ok.status_code == 200 and ok.get_json()["printer"].startswith("file:")
    printed = client.post("/api/kiosk/test-print", json={"pin": "246810"})
    assert printed.status_code == 200 and list((tmp_path / "out").glob("*TES-000*.bin"))
    codes = [client.post("/api/kiosk/unlock", json={"pin": "1"}).status_code for _ in range(6)]
    assert codes[-1] == 429  # guessing the PIN is throttled


def test_kiosk_settings_are_disabled_without_a_pin(client):
    r = client.post("/api/kiosk/unlock", json={"pin": ""})
    assert r.status_code == 403 and "LOKET_KIOSK_PIN" in r.get_json()["message"]


def test_an_alert_disappears_once_the_ticket_is_reprinted(kiosk_app, emulator, staff):
    emulator.mode = "cover_open"
    client = kiosk_app.test_client()
    data = client.post("/api/tickets", json={"service": KTP, "kiosk": "lobby"}).get_json()
    printed(kiosk_app)
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    [alert] = desk.client.get("/api/staff/alerts").get_json()["printer_failures"]
    failed = desk.post(f"/api/staff/tickets/{alert['ticket_id']}/reprint", {"kiosk": "lobby"})
    assert failed.status_code == 502 and failed.get_json()["error"] == "print_failed"
    assert "Tutup printer terbuka" in failed.get_json()["message"]
    emulator.mode = "ok"
    assert desk.post(f"/api/staff/tickets/{alert['ticket_id']}/reprint", {"kiosk": "lobby"}).status_code == 200
    assert desk.client.get("/api/staff/alerts").get_json()["printer_failures"] == []
    assert data["number"] == alert["number"]


@pytest.mark.parametrize("paper", [58, 80])
def test_the_printed_qr_is_the_status_url_a_phone_opens_and_the_counter_scans(tmp_path, demo_database, paper):
    """Issue 13: the QR on the ticket and on the pickup slip is <public base>/s/<signed code>, on 58 and 80 mm paper
    (58 mm: a raster the cheap printer draws; 80 mm: the printer's own QR command)."""
    app = make_app(tmp_path, demo_database, PRINTER_PAPER=paper, PUBLIC_URL="http://192.168.1.10:5000")
    client = app.test_client()
    data = client.post("/api/tickets", json={"service": "dokumen-hilang-rusak"}).get_json()
    printed(app)
    [binary] = (tmp_path / "tickets").glob("*.bin")
    raw = binary.read_bytes()
    [payload] = qr_payloads(raw)
    assert payload == data["qr"] and payload.startswith("http://192.168.1.10:5000/s/T1.")
    if paper == 58:
        [image] = raster_images(raw)
        assert image.width <= 384 and decode_qr_image(image) == [payload]
    else:
        assert native_qr_payloads(raw) == [payload]
    assert client.get(urlparse(payload).path).status_code == 200  # the phone's page
    desk = staff_of(app)("pelayanan", "pelayanan", "Loket 1")
    ticket = desk.post("/api/scan", {"code": payload}).get_json()["ticket"]
    assert ticket["number"] == data["number"]
    assert desk.post(f"/api/staff/tickets/{ticket['id']}/pickup-slip").status_code == 200
    [slip] = (tmp_path / "tickets").glob("*slip-*.bin")
    assert qr_payloads(slip.read_bytes()) == [payload]
    app.extensions["loket"].store.dispose()
