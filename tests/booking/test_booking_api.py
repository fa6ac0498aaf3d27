"""The booking JSON as a resident's phone and the admin use it: full is 409 "penuh", one booking per NIK and
service, cancel frees the seat, the limits, the challenge, the admin's rules validated and audited."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime

import pytest

from loket.core.clock import FrozenClock
from tests.fixtures.web import make_app, staff_of

SERVICE = "penerbitan-kia"
TUESDAY = "2026-11-24"


def nik(n: int) -> str:
    return f"327301010190{n:04d}"


@pytest.fixture
def booking_app(tmp_path, demo_database):
    clock = FrozenClock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))  # Monday 08:00 in Jakarta
    app = make_app(tmp_path, demo_database, clock=clock)
    yield app
    app.extensions["loket"].store.dispose()


def configure(app, **rule):
    office = {k: rule.pop(k) for k in list(rule) if k in ("challenge", "challenge_max_number", "no_show_limit")}
    admin = staff_of(app)("admin", "admin")
    r = admin.client.put(
        "/api/admin/booking", json={"enabled": True, "services": {SERVICE: rule}, **office}, headers=admin.csrf()
    )
    assert r.status_code == 200, r.get_json()
    return admin


def book(client, n: int, start="09:00", **extra):
    return client.post(
        "/api/booking", json={"service": SERVICE, "day": TUESDAY, "start": start, "nik": nik(n), **extra}
    )


def test_a_resident_sees_the_services_days_and_slots_then_books(booking_app):
    configure(booking_app)
    client = booking_app.test_client()
    services = client.get("/api/booking/services").get_json()
    (kia,) = services["services"]
    assert kia["code"] == SERVICE and kia["requirements"] and services["enabled"] is True
    days = client.get(f"/api/booking/services/{SERVICE}/days").get_json()["days"]
    assert days[1] == {"day": TUESDAY, "state": "open", "opens_at": "2026-11-23T00:00:00+00:00", "free": 24 * 2}
    slots = client.get(f"/api/booking/services/{SERVICE}/days/{TUESDAY}").get_json()["slots"]
    assert slots[4]["start"] == "09:00" and slots[4]["free"] == 2
    r = book(client, 1, phone="0812 3456 7890")
    assert r.status_code == 201, r.get_json()
    made = r.get_json()
    assert made["status"] == "booked" and "nik" not in made
    assert made["qr"] == made["status_url"] and made["qr"].endswith("/s/" + made["status_code"])  # issue 13
    assert client.get(f"/api/booking/{made['code']}").get_json()["start"] == "09:00"
    assert client.get(f"/api/booking/{made['status_code']}").get_json()["code"] == made["code"]


def test_a_full_slot_answers_409_penuh(booking_app):
    configure(booking_app, seats_per_slot=2, walk_in_percent=50, priority_percent=0)
    client = booking_app.test_client()
    assert book(client, 1).status_code == 201
    r = book(client, 2)
    assert r.status_code == 409
    assert r.get_json()["error"] == "full" and r.get_json()["message"].startswith("Penuh")


def test_a_second_booking_for_the_same_nik_and_service_is_refused(booking_app):
    configure(booking_app)
    client = booking_app.test_client()
    assert book(client, 1).status_code == 201
    r = book(client, 1, start="10:00")
    assert r.status_code == 409 and r.get_json()["error"] == "already_booked"


def test_an_invalid_nik_is_refused_plainly(booking_app):
    configure(booking_app)
    r = booking_app.test_client().post(
        "/api/booking", json={"service": SERVICE, "day": TUESDAY, "start": "09:00", "nik": "123"}
    )
    assert r.status_code == 400 and r.get_json()["message"] == "NIK harus 16 angka."


def test_cancelling_with_the_code_frees_the_seat(booking_app):
    configure(booking_app, seats_per_slot=2, walk_in_percent=50, priority_percent=0)
    client = booking_app.test_client()
    made = book(client, 1).get_json()
    assert book(client, 2).status_code == 409
    r = client.post(f"/api/booking/{made['code']}/cancel")
    assert r.status_code == 200 and r.get_json()["status"] == "cancelled"
    assert book(client, 2).status_code == 201


def test_only_the_front_desk_sees_the_nik(booking_app):
    configure(booking_app)
    made = book(booking_app.test_client(), 1).get_json()
    assert booking_app.test_client().get(f"/api/desk/booking/{made['code']}").status_code == 401
    desk = staff_of(booking_app)("pelayanan", "pelayanan", "Loket 1")
    assert desk.client.get(f"/api/desk/booking/{made['code']}").get_json()["nik"] == nik(1)


def test_one_device_is_limited(booking_app):
    configure(booking_app)
    booking_app.config["BOOKING_DEVICE_RATE_LIMIT"] = "3 per minute"
    client = booking_app.test_client()
    answers = []
    for n in range(1, 4):
        r = client.post(
            "/api/booking",
            json={"service": SERVICE, "day": TUESDAY, "start": "09:00", "nik": nik(n)},
            headers={"X-Loket-Device": "phone-a"},
        )
        answers.append(r.status_code)
    r = client.post(
        "/api/booking",
        json={"service": SERVICE, "day": TUESDAY, "start": "10:00", "nik": nik(9)},
        headers={"X-Loket-Device": "phone-a"},
    )
    other = client.post(
        "/api/booking",
        json={"service": SERVICE, "day": TUESDAY, "start": "10:00", "nik": nik(9)},
        headers={"X-Loket-Device": "phone-b"},
    )
    assert answers == [201, 409, 409] and r.status_code == 429 and other.status_code == 201


def test_one_address_is_limited(booking_app):
    configure(booking_app)
    booking_app.config["BOOKING_RATE_LIMIT"] = "2 per minute"
    client = booking_app.test_client()
    codes = [book(client, n, start=f"{9 + n}:00").status_code for n in range(1, 4)]
    assert codes == [201, 201, 429]


def _solve(challenge: dict) -> str:
    for number in range(challenge["maxnumber"] + 1):
        if hashlib.sha256(f"{challenge['salt']}{number}".encode()).hexdigest() == challenge["challenge"]:
            solution = {k: challenge[k] for k in ("algorithm", "challenge", "salt", "signature")}
            return base64.b64encode(json.dumps({**solution, "number": number}).encode()).decode()
    raise AssertionError("unsolvable")


def test_with_the_challenge_on_a_booking_needs_a_solved_proof_of_work(booking_app):
    configure(booking_app, challenge=True, challenge_max_number=1000)
    client = booking_app.test_client()
    assert book(client, 1).get_json()["error"] == "challenge_failed"
    challenge = client.get("/api/booking/challenge").get_json()["challenge"]
    forged = dict(challenge, signature="0" * 64)
    assert book(client, 1, challenge=_solve(forged)).status_code == 400
    solved = _solve(challenge)
    assert book(client, 1, challenge=solved).status_code == 201
    # The same solution again (another NIK, another slot): refused in plain words, each solution books once.
    again = book(client, 2, start="10:00", challenge=solved)
    assert again.status_code == 400 and again.get_json()["error"] == "challenge_failed"
    assert again.get_json()["label"] == {
        "id": "Verifikasi anti-robot gagal atau kedaluwarsa. Silakan coba lagi.",
        "en": "The anti-robot check failed or expired. Please try again.",
    }
    fresh = client.get("/api/booking/challenge").get_json()["challenge"]
    assert book(client, 2, start="10:00", challenge=_solve(fresh)).status_code == 201


def test_the_admin_rules_are_validated_and_audited(booking_app):
    admin = configure(booking_app)
    r = admin.client.put("/api/admin/booking", json={"services": {SERVICE: {"slot_minutes": 1}}}, headers=admin.csrf())
    assert r.status_code == 400 and r.get_json()["problems"][0]["field"] == f"services.{SERVICE}.slot_minutes"
    r = admin.client.put("/api/admin/booking", json={"services": {"no-such": {}}}, headers=admin.csrf())
    assert r.status_code == 404
    audit = admin.client.get("/api/admin/audit?kind=booking.config_changed").get_json()
    entries = audit["entries"] if isinstance(audit, dict) else audit
    assert len(entries) == 1


def test_the_services_carry_what_the_kiosk_shows_with_each_requirement_its_note_and_the_conditions(booking_app):
    configure(booking_app)
    (kia,) = booking_app.test_client().get("/api/booking/services").get_json()["services"]
    assert any(r.get("note") for r in kia["requirements"])
    assert kia["conditions"] and all(set(c) == {"id", "en"} for c in kia["conditions"])
    assert any("gratis" in c["id"] for c in kia["conditions"])


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("08.00-12.00", {"open": "08:00:00", "close": "12:00:00"}),
        ("8-12", {"open": "08:00:00", "close": "12:00:00"}),
        ("08.00\u201312.00", {"open": "08:00:00", "close": "12:00:00"}),
        (" 8.30 s/d 11 ", {"open": "08:30:00", "close": "11:00:00"}),
        ("", None),
    ],
)
def test_the_admin_types_hours_as_people_write_them(booking_app, typed, stored):
    """Indonesian "08.00-12.00", "8-12" or an en dash are hours, not a closed day (they used to be stored as closed)."""
    admin = configure(booking_app)
    r = admin.client.put(
        "/api/admin/booking", json={"services": {SERVICE: {"hours": {"sat": typed}}}}, headers=admin.csrf()
    )
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["config"]["services"][SERVICE]["hours"]["sat"] == stored


@pytest.mark.parametrize("typed", ["08.00", "pagi", "25-26", "12-8"])
def test_hours_that_are_not_hours_are_refused_on_their_field_never_stored_as_closed(booking_app, typed):
    admin = configure(booking_app, hours={"sat": {"open": "08:00", "close": "12:00"}})
    r = admin.client.put(
        "/api/admin/booking", json={"services": {SERVICE: {"hours": {"sat": typed}}}}, headers=admin.csrf()
    )
    assert r.status_code == 400
    assert [p["field"] for p in r.get_json()["problems"]] == [f"services.{SERVICE}.hours.sat"]
    kept = admin.client.get("/api/admin/booking").get_json()["config"]["services"][SERVICE]["hours"]["sat"]
    assert kept == {"open": "08:00:00", "close": "12:00:00"}
