"""The desk's badge of a booked ticket (issue 13): GET /api/desk/ticket/<id>/booking answers the booking a ticket
was checked in with. Its slot for every officer; the NIK given at booking for the front desk only, never for the
operator or the scanning officer (not even at their own step), and for nobody once purged."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from loket.core.booking.operations import purge_bookings
from loket.core.clock import FrozenClock
from loket.core.roles import BOOKING_DESK_ROLES, Role
from tests.auth.test_authorisation import STATIONS
from tests.fixtures.web import make_app, staff_of

SERVICE = "penerbitan-kia"  # pelayanan -> pendukung -> operator -> pelayanan
MONDAY = "2026-11-23"
NIK = "3273010101900001"


@pytest.fixture
def clock():
    return FrozenClock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))  # Monday 08:00 in Jakarta


@pytest.fixture
def office(tmp_path, demo_database, clock):
    app = make_app(tmp_path, demo_database, clock=clock)
    admin = staff_of(app)("admin", "admin")
    body = {"enabled": True, "services": {SERVICE: {"seats_per_slot": 10}}}
    assert admin.client.put("/api/admin/booking", json=body, headers=admin.csrf()).status_code == 200
    yield app
    app.extensions["loket"].store.dispose()


def booked_ticket(app, clock) -> dict:
    """A booking for 08:30 checked in at the kiosk at 08:20; the front desk (Loket 1) calls its ticket."""
    made = app.test_client().post(
        "/api/booking", json={"service": SERVICE, "day": MONDAY, "start": "08:30", "nik": NIK}
    )
    assert made.status_code == 201, made.get_json()
    clock.advance(minutes=20)
    assert app.test_client().post("/api/checkin", json={"code": made.get_json()["code"]}).status_code == 201
    return staff_of(app)("pelayanan", "pelayanan", "Loket 1").post("/api/counter/call-next").get_json()["ticket"]


def officer(app, role: Role):
    return staff_of(app)(role.value, role.value, STATIONS.get(role) or ("Loket 2" if role is Role.PELAYANAN else None))


def badge(client, ticket_id: int):
    r = client.get(f"/api/desk/ticket/{ticket_id}/booking")
    assert r.status_code == 200, r.get_json()
    return r


def test_the_front_desk_gets_the_slot_and_the_nik_given_at_booking(office, clock):
    ticket = booked_ticket(office, clock)
    assert ticket["source"] == "booking"  # the staff view says so: the page asks for the badge only then
    desk = officer(office, Role.PELAYANAN)
    assert badge(desk.client, ticket["id"]).get_json()["booking"] == {
        "day": MONDAY,
        "start": "08:30",
        "end": "08:45",
        "nik": NIK,
        "nik_hidden": False,
        "purged": False,
    }
    assert badge(officer(office, Role.PENDUKUNG).client, ticket["id"]).get_json()["booking"]["nik"] == NIK


def test_every_other_role_sees_the_badge_but_never_the_nik(office, clock):
    ticket = booked_ticket(office, clock)
    for role in Role:
        r = badge(officer(office, role).client, ticket["id"])
        if role in BOOKING_DESK_ROLES:
            assert NIK in r.get_data(as_text=True)
            continue
        assert NIK not in r.get_data(as_text=True), role
        assert r.get_json()["booking"] == {
            "day": MONDAY,
            "start": "08:30",
            "end": "08:45",
            "nik": None,
            "nik_hidden": True,
            "purged": False,
        }, role


def test_the_operator_does_not_get_it_even_with_the_berkas_at_its_own_step(office, clock):
    """The operator sees the applicant of the berkas in hand (sees_applicant), but the booking's NIK is the front
    desk's only: it is what the desk types the applicant from, checked against the KTP/KK."""
    tid = booked_ticket(office, clock)["id"]
    desk = officer(office, Role.PELAYANAN)
    desk_at_1 = staff_of(office)("pelayanan", "pelayanan", "Loket 1")
    assert desk_at_1.post(f"/api/staff/tickets/{tid}/start").status_code == 200
    assert desk_at_1.post(f"/api/staff/tickets/{tid}/advance").status_code == 200
    support = officer(office, Role.PENDUKUNG)
    assert support.post(f"/api/staff/tickets/{tid}/start").status_code == 200
    moved = support.post(f"/api/staff/tickets/{tid}/advance").get_json()["ticket"]
    assert moved["current_role"] == "operator"
    operator = officer(office, Role.OPERATOR)
    assert operator.post(f"/api/staff/tickets/{tid}/start").status_code == 200
    r = badge(operator.client, tid)
    assert NIK not in r.get_data(as_text=True) and r.get_json()["booking"]["nik_hidden"] is True
    assert badge(desk.client, tid).get_json()["booking"]["nik"] == NIK


def test_a_purged_booking_gives_no_nik(office, clock):
    tid = booked_ticket(office, clock)["id"]
    clock.advance(hours=1)  # 09:20: the slot (08:30-08:45) is over
    assert purge_bookings(office.extensions["loket"], 0) == 1
    r = badge(officer(office, Role.PELAYANAN).client, tid)
    assert NIK not in r.get_data(as_text=True)
    assert r.get_json()["booking"]["nik"] is None and r.get_json()["booking"]["purged"] is True


def test_a_walk_in_has_no_booking_and_strangers_get_nothing(office, clock):
    number = office.test_client().post("/api/tickets", json={"service": SERVICE}).get_json()
    desk = officer(office, Role.PELAYANAN)
    called = desk.post("/api/counter/call-next").get_json()["ticket"]
    assert called["number"] == number["number"] and called["source"] != "booking"
    tid = called["id"]
    assert badge(desk.client, tid).get_json() == {"booking": None}
    assert desk.client.get("/api/desk/ticket/9999/booking").status_code == 404
    assert office.test_client().get(f"/api/desk/ticket/{tid}/booking").status_code == 401
