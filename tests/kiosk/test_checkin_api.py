"""Check-in of an online booking at the kiosk: its ticket printed as any kiosk ticket, a retry answering the same
ticket, outside the window the times and the walk-in, the camera's frames decoded on the server."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import cv2
import numpy as np
import pytest

from loket.core.clock import FrozenClock
from loket.core.store import Ticket
from loket.hardware.scanner.synthetic import camera_look, cluttered_background, paste, qr_image
from tests.fixtures.web import make_app, staff_of

SERVICE = "penerbitan-kia"
MONDAY = "2026-11-23"


@pytest.fixture
def clock():
    return FrozenClock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))  # Monday 08:00 in Jakarta


@pytest.fixture
def office(tmp_path, demo_database, clock):
    app = make_app(tmp_path, demo_database, clock=clock)
    yield app
    app.extensions["loket"].store.dispose()


def configure(app, **rule):
    admin = staff_of(app)("admin", "admin")
    body = {"enabled": True, "services": {SERVICE: {"seats_per_slot": 10, **rule}}}
    r = admin.client.put("/api/admin/booking", json=body, headers=admin.csrf())
    assert r.status_code == 200, r.get_json()


def book(app, start: str, n: int = 1) -> dict:
    r = app.test_client().post(
        "/api/booking", json={"service": SERVICE, "day": MONDAY, "start": start, "nik": f"327301010190{n:04d}"}
    )
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def check_in(client, code: str, key: str | None = None, **headers):
    if key:
        headers["Idempotency-Key"] = key
    return client.post("/api/checkin", json={"code": code}, headers=headers)


def tickets(app) -> list[Ticket]:
    with app.extensions["loket"].store.read() as s:
        return list(s.query(Ticket))


def test_a_paired_kiosk_checks_in_a_booking_and_prints_its_ticket_once(office, clock, tmp_path):
    configure(office)
    made = book(office, "08:30")
    clock.advance(minutes=20)  # 08:20: the window opened at 08:00
    kiosk = office.test_client()
    first = check_in(kiosk, made["qr"], key="tap-checkin-1")
    assert first.status_code == 201, first.get_json()
    ticket = first.get_json()
    assert ticket["number"] == "F-001" and ticket["service"] == SERVICE and ticket["ahead"] == 0
    assert ticket["booking"] == {
        "code": made["code"],
        "day": MONDAY,
        "start": "08:30",
        "end": "08:45",
        "status": "checked_in",
    }
    assert ticket["qr"] == ticket["status_url"] and ticket["requirements"] and ticket["replayed"] is False
    office.extensions["print_queues"].wait_idle()
    assert len(list((tmp_path / "tickets").glob("*.bin"))) == 1
    retry = check_in(kiosk, made["qr"], key="tap-checkin-1")
    assert retry.status_code == 200 and retry.get_json()["number"] == "F-001" and retry.get_json()["replayed"]
    assert retry.get_json()["print"]["state"] == "replayed" and retry.get_json()["print"]["ok"] is True
    again = check_in(kiosk, made["code"].lower(), key="tap-checkin-2")  # typed on the pad, another tap
    assert again.status_code == 200 and again.get_json()["number"] == "F-001"
    office.extensions["print_queues"].wait_idle()
    assert len(list((tmp_path / "tickets").glob("*.bin"))) == 1, "printed once"
    (row,) = tickets(office)
    assert row.source == "booking" and row.issuer == "kiosk:kiosk-test"
    assert office.test_client().get(f"/api/booking/{made['code']}").get_json()["status"] == "checked_in"


def test_too_early_explains_the_window_in_both_languages_and_the_walk_in_is_a_normal_ticket(office):
    configure(office, check_in_early_minutes=30)
    made = book(office, "10:00")
    kiosk = office.test_client()
    r = check_in(kiosk, made["code"])
    assert r.status_code == 409
    data = r.get_json()
    assert data["error"] == "checkin_early" and data["walk_in"] is True
    assert data["message"] == "Booking Anda untuk pukul 10:00. Check-in untuk booking Anda dibuka pukul 09:30."
    assert data["label"]["en"] == "Your booking is for 10:00. Check-in for your booking opens at 09:30."
    assert data["window"] == {"opens": "09:30", "closes": "10:15", "state": "early"}
    assert data["booking"]["service"] == SERVICE and data["booking"]["start"] == "10:00"
    english = check_in(kiosk, made["code"], **{"X-Loket-Lang": "en"}).get_json()
    assert english["message"].startswith("Your booking is for 10:00.")
    walk_in = kiosk.post("/api/tickets", json={"service": data["booking"]["service"]})
    assert walk_in.status_code == 201 and [t.source for t in tickets(office)] == ["kiosk"]


def test_unknown_and_forged_codes_are_refused_plainly(office):
    configure(office)
    kiosk = office.test_client()
    assert check_in(kiosk, "23456789").status_code == 404
    assert check_in(kiosk, "").status_code == 400
    forged = check_in(kiosk, f"LKB1:other-office:20261123:23456789.{'x' * 20}")
    assert forged.status_code == 400 and forged.get_json()["error"] == "invalid_code"


def test_the_camera_frame_is_decoded_on_the_server_into_the_booking_code(office):
    configure(office)
    made = book(office, "08:30")
    kiosk = office.test_client()
    frame = paste(cluttered_background(5), qr_image(made["qr"], 220), 500, 200)
    jpeg = cv2.imencode(".jpg", camera_look(frame, 5), [cv2.IMWRITE_JPEG_QUALITY, 80])[1].tobytes()
    post = lambda data: kiosk.post("/api/checkin/frame", data=data, headers={"Content-Type": "image/jpeg"})  # noqa: E731
    assert post(jpeg).get_json() == {"found": True, "code": made["qr"]}
    ticket_qr = paste(cluttered_background(5), qr_image("https://example.org/s/T1.abc", 220), 500, 200)
    other = cv2.imencode(".jpg", ticket_qr)[1].tobytes()
    assert post(other).get_json() == {"found": False, "code": None}, "a QR that is no booking is not answered"
    assert post(b"not an image").status_code == 400
    # A tiny PNG of 6000 x 6000 pixels (36 MP, under PIL's own bomb limit) is refused before it is unpacked.
    huge = cv2.imencode(".png", np.zeros((6000, 6000), np.uint8), [cv2.IMWRITE_PNG_COMPRESSION, 9])[1].tobytes()
    assert len(huge) < 2 * 1024 * 1024 and post(huge).status_code == 400
    assert post(b"\xff" * (2 * 1024 * 1024 + 1)).status_code == 413  # the body's own bound


def test_the_kiosk_page_offers_check_in_only_when_booking_is_on(office):
    def page_config() -> dict:
        page = office.test_client().get("/kiosk/").get_data(as_text=True)
        raw = page.split('id="kiosk-config">', 1)[1].split("</script>", 1)[0]
        return json.loads(raw)["checkin"]

    assert page_config()["enabled"] is False
    configure(office)
    checkin = page_config()
    assert checkin == {"enabled": True, "alphabet": "23456789ABCDEFGHJKMNPQRSTUVWXYZ", "length": 8}


def test_an_unpaired_device_is_held_to_the_unpaired_limit_and_refused_when_only_paired_kiosks_may(
    tmp_path, demo_database
):
    app = make_app(tmp_path, demo_database, kiosk=None, UNPAIRED_TICKET_RATE="1 per 10 minutes")
    phone = app.test_client()
    assert check_in(phone, "23456789").status_code == 404  # booking off: no such booking, but counted
    held = check_in(phone, "23456789")
    assert held.status_code == 429 and held.get_json()["error"] == "kiosk_not_paired_limit"
    app.extensions["loket"].store.dispose()
    strict = make_app(tmp_path / "strict", demo_database, kiosk=None, UNPAIRED_TICKET_RATE="")
    phone = strict.test_client()
    assert check_in(phone, "23456789").get_json()["error"] == "kiosk_not_paired"
    frame = phone.post("/api/checkin/frame", data=b"x", headers={"Content-Type": "image/jpeg"})
    assert frame.status_code == 403 and frame.get_json()["error"] == "kiosk_not_paired"
    strict.extensions["loket"].store.dispose()


def test_the_bookings_open_status_page_hears_the_check_in_and_then_shows_the_ticket(office, clock):
    from loket.app import socketio

    configure(office)
    made = book(office, "08:30")
    clock.advance(minutes=20)
    page = socketio.test_client(office, auth={"channel": "status", "code": made["status_code"]})
    assert page.is_connected() and page.get_received() == []
    assert check_in(office.test_client(), made["qr"], key="tap-status-1").status_code == 201
    assert "status.changed" in [e["name"] for e in page.get_received()]  # the page re-reads at once
    data = office.test_client().get("/api/status/" + made["status_code"]).get_json()
    assert data["kind"] == "ticket" and data["number"] == "F-001"
    assert check_in(office.test_client(), made["qr"], key="tap-status-2").status_code == 200  # a second scan: a replay
    assert "status.changed" not in [e["name"] for e in page.get_received()]  # nothing changed, nothing told
    page.disconnect()


def test_a_regular_ticket_after_a_refused_check_in_cancels_todays_booking_in_the_same_tap(office, tmp_path):
    configure(office, check_in_early_minutes=30)
    made = book(office, "10:00")
    kiosk = office.test_client()
    refused = check_in(kiosk, made["code"]).get_json()
    assert refused["walk_in_note"] == {
        "id": "Booking Anda untuk pukul 10:00 akan dibatalkan dan Anda mendapat nomor antrean biasa.",
        "en": "Your booking for 10:00 will be cancelled and you get a regular queue number.",
    }
    body = {"code": made["code"], "walk_in": True}
    r = kiosk.post("/api/checkin", json=body, headers={"Idempotency-Key": "tap-checkin-w1"})
    assert r.status_code == 201, r.get_json()
    ticket = r.get_json()
    assert ticket["service"] == SERVICE and ticket["booking"]["status"] == "cancelled"
    assert [t.source for t in tickets(office)] == ["kiosk"]
    retry = kiosk.post("/api/checkin", json=body, headers={"Idempotency-Key": "tap-checkin-w1"})
    assert retry.status_code == 200 and retry.get_json()["number"] == ticket["number"]
    assert len(tickets(office)) == 1
    status = office.test_client().get(f"/api/booking/{made['code']}").get_json()
    assert status["status"] == "cancelled"
    office.extensions["print_queues"].wait_idle()
    assert len(list((tmp_path / "tickets").glob("*.bin"))) == 1, "printed once"
