"""A booking's status page through the test client: the booking page's QR is the status URL, the page shows the
booking (never the NIK or phone), only the signed code opens it, and the live connection hears its changes."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from loket.app import socketio
from loket.core.booking import operations as booking_ops
from loket.core.clock import FrozenClock
from loket.core.tickets import issuing
from tests.fixtures.web import make_app, staff_of

KTP = "pencetakan-ktp-el"
NIK = "3273010101900001"
TUESDAY = "2026-11-24"


@pytest.fixture
def booking_app(tmp_path, demo_database):
    clock = FrozenClock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))  # Monday 08:00 in Jakarta
    app = make_app(tmp_path, demo_database, clock=clock, PUBLIC_URL="http://192.168.1.10:5000")
    admin = staff_of(app)("admin", "admin")
    r = admin.client.put("/api/admin/booking", json={"enabled": True, "services": {KTP: {}}}, headers=admin.csrf())
    assert r.status_code == 200, r.get_json()
    yield app
    app.extensions["loket"].store.dispose()


def book(client) -> dict:
    r = client.post(
        "/api/booking", json={"service": KTP, "day": TUESDAY, "start": "09:00", "nik": NIK, "phone": "0812 3456 7890"}
    )
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def test_the_booking_qr_is_its_status_page_which_shows_the_booking(booking_app):
    client = booking_app.test_client()
    made = book(client)
    assert re.fullmatch(r"http://192\.168\.1\.10:5000/s/B1\.[A-Z2-9]{8}\.[A-Za-z0-9_-]{16}", made["qr"]), made["qr"]
    path = "/s/" + made["qr"].rsplit("/", 1)[1]
    page = client.get(path)
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and made["code"] in body and "Kode booking" in body
    data = client.get("/api/status/" + made["status_code"]).get_json()
    assert data["kind"] == "booking" and data["state"] == "booked" and data["booking"]["start"] == "09:00"
    for text in (body, str(data)):
        assert NIK not in text and "0812" not in text and "081234567890" not in text
    assert client.get(f"/api/booking/{made['code']}").get_json()["qr"] == made["qr"]  # the booking page's QR


def test_the_typed_short_code_and_a_forged_code_open_no_status_page(booking_app):
    client = booking_app.test_client()
    made = book(client)
    code = made["status_code"]
    for bad in (made["code"], code[:-1] + ("A" if code[-1] != "A" else "B"), code.replace("B1.", "B2.")):
        assert client.get(f"/s/{bad}").status_code == 404, bad
        answer = client.get(f"/api/status/{bad}").get_json()
        assert (answer["error"], answer["message"]) == ("not_found", "Alamat tidak ada."), bad


def test_the_page_hears_its_booking_cancelled_then_follows_the_ticket_it_checked_in_with(booking_app):
    client = booking_app.test_client()
    loket = booking_app.extensions["loket"]
    made = book(client)
    page = socketio.test_client(booking_app, auth={"channel": "status", "code": made["status_code"]})
    assert page.is_connected() and page.get_received() == []
    assert client.post(f"/api/booking/{made['code']}/cancel").status_code == 200
    assert [e["name"] for e in page.get_received()] == ["status.changed"]
    assert client.get("/api/status/" + made["status_code"]).get_json()["state"] == "cancelled"
    page.disconnect()

    again = book(client)
    loket.clock.advance(hours=24, minutes=40)  # Tuesday 08:40, in the check-in window
    ticket = issuing.issue(loket, KTP).ticket
    with loket.store.transaction() as s:
        assert booking_ops.mark_checked_in(s, _id(loket, again), ticket.id, loket.clock.now())
    data = client.get("/api/status/" + again["status_code"]).get_json()
    assert data["kind"] == "ticket" and data["number"] == ticket.number and data["state"] == "waiting"
    page = socketio.test_client(booking_app, auth={"channel": "status", "code": again["status_code"]})
    desk = staff_of(booking_app)("pelayanan", "pelayanan", "Loket 1")
    assert desk.post("/api/counter/call-next").get_json()["ticket"]["id"] == ticket.id
    assert "status.changed" in [e["name"] for e in page.get_received()]  # joined the ticket's room
    page.disconnect()


def _id(loket, made: dict) -> int:
    return booking_ops.find_booking(loket, made["code"]).id


def test_the_booking_status_says_kios_and_lists_what_to_bring_with_its_notes(booking_app):
    client = booking_app.test_client()
    made = book(client)
    data = client.get("/api/status/" + made["status_code"]).get_json()
    assert "di kios " in data["headline"]["id"] and "kiosk" not in data["headline"]["id"]  # KBBI: kios
    assert data["headline"]["en"].startswith("Check in at the kiosk")
    (kk,) = [r for r in data["booking"]["requirements"] if r["key"] == "fotokopi-kk"]
    assert kk["note"] == {"id": "KK yang masih berlaku, satu lembar.", "en": "The current KK, one copy."}
