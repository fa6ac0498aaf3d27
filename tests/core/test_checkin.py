"""Check-in at the kiosk in the domain, on SQLite and PostgreSQL: only inside the booking's window, the ticket
placed in line at its slot's start, outside the quota, and one ticket per booking however often it is scanned."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import func, select

from loket.core import admin as ops
from loket.core.accounts import create_user
from loket.core.booking import operations as booking
from loket.core.checkin import CheckedIn, CheckInRefused, check_in, ticket_booking
from loket.core.errors import InvalidCode, NotFound, ServiceUnavailable
from loket.core.roles import Actor, Role
from loket.core.store import Ticket
from loket.core.tickets import issuing
from tests.core.test_booking import _race, configure, nik

MONDAY = date(2026, 11, 23)  # the clock fixture stands at Monday 08:00 in Jakarta
SERVICE = "penerbitan-kia"


@pytest.fixture
def admin(loket):
    user = create_user(loket.store, loket.clock, "admin", "Admin", "password123", [Role.ADMIN])
    return Actor(user.id, Role.ADMIN)


def book(loket, start: time, n: int = 1, **extra) -> booking.Made:
    return booking.book(loket, SERVICE, MONDAY, start, nik(n), **extra)


def tickets(loket) -> list[Ticket]:
    with loket.store.read() as s:
        return list(s.scalars(select(Ticket).order_by(Ticket.id)))


def test_too_early_says_when_check_in_opens_and_offers_a_walk_in(loket, clock):
    configure(loket, check_in_early_minutes=30)
    made = book(loket, time(9, 0))
    with pytest.raises(CheckInRefused) as refused:
        check_in(loket, made.code)
    assert refused.value.code == "checkin_early" and refused.value.status == 409
    assert "Check-in untuk booking Anda dibuka pukul 08:30." in refused.value.message
    assert refused.value.details["window"] == {"opens": "08:30", "closes": "09:15", "state": "early"}
    assert refused.value.details["booking"]["start"] == "09:00" and refused.value.details["booking"]["today"] is True
    assert refused.value.details["walk_in"] is True
    assert tickets(loket) == []


def test_too_late_says_so_and_the_walk_in_follows_the_office_rule(loket, clock):
    configure(loket, check_in_late_minutes=10, release_after_minutes=30, walk_in_when_outside_window=False)
    made = book(loket, time(8, 30))
    clock.advance(minutes=41)  # 08:41: the window closed at 08:40
    with pytest.raises(CheckInRefused) as refused:
        check_in(loket, made.qr)
    assert refused.value.code == "checkin_late"
    assert "Batas check-in sudah lewat (pukul 08:40)" in refused.value.message
    assert refused.value.details["walk_in"] is False


def test_a_cancelled_or_released_booking_cannot_check_in(loket, clock):
    configure(loket, seats_per_slot=10, check_in_late_minutes=10, release_after_minutes=15)
    cancelled = book(loket, time(8, 30), 1)
    released = book(loket, time(8, 30), 2)
    booking.cancel(loket, cancelled.code)
    with pytest.raises(CheckInRefused) as refused:
        check_in(loket, cancelled.code)
    assert refused.value.code == "booking_not_active" and "dibatalkan" in refused.value.message
    clock.advance(minutes=46)  # 08:46: released at 08:45
    assert booking.release_no_shows(loket) == 1
    with pytest.raises(CheckInRefused) as refused:
        check_in(loket, released.code)
    assert refused.value.code == "booking_not_active" and refused.value.details["booking"]["status"] == "no_show"
    assert tickets(loket) == []


def test_inside_the_window_the_ticket_stands_in_line_at_the_slot_start(loket, clock):
    configure(loket, check_in_late_minutes=15)
    made = book(loket, time(8, 30))
    clock.advance(minutes=35)  # 08:35: a walk-in takes a ticket before the booked resident arrives
    walk_in = issuing.issue(loket, SERVICE).ticket
    clock.advance(minutes=5)  # 08:40
    done = check_in(loket, made.code, issuer="kiosk:lobby")
    assert isinstance(done, CheckedIn) and not done.outcome.replayed
    ticket = done.outcome.ticket
    assert ticket is not None and ticket.ahead == 0  # the slot (08:30) comes before the walk-in (08:35)
    rows = {t.id: t for t in tickets(loket)}
    assert rows[ticket.id].source == "booking" and rows[walk_in.id].source == "kiosk"
    assert rows[ticket.id].queue_key == made.booking.starts_at.timestamp() < rows[walk_in.id].queue_key
    found = booking.find_booking(loket, made.code)
    assert found.status == "checked_in" and found.ticket_id == ticket.id and done.booking.ticket_id == ticket.id


def test_an_early_arrival_stands_in_line_at_its_arrival_before_walk_ins_who_come_after(loket, clock):
    configure(loket, check_in_early_minutes=30)
    made = book(loket, time(8, 30))
    clock.advance(minutes=26)  # 08:26: inside the window, before the slot
    ticket = check_in(loket, made.code).outcome.ticket
    clock.advance(minutes=1)  # 08:27: a walk-in comes after the booked resident
    walk_in = issuing.issue(loket, SERVICE).ticket
    assert ticket is not None and walk_in is not None and walk_in.ahead == 1  # behind the booked resident
    rows = {t.id: t for t in tickets(loket)}
    assert rows[ticket.id].queue_key == clock.now().timestamp() - 60 < rows[walk_in.id].queue_key


def test_a_booking_whose_ticket_was_called_or_finished_is_not_checked_in_again(loket, clock):
    configure(loket, check_in_late_minutes=15)
    made = book(loket, time(8, 30))
    clock.advance(minutes=20)
    first = check_in(loket, made.code).outcome.ticket
    assert first is not None
    assert check_in(loket, made.code).outcome.replayed  # still waiting: the same ticket, shown again
    with loket.store.transaction() as s:
        s.get(Ticket, first.id).state = "done"  # served and handed over
    with pytest.raises(CheckInRefused) as refused:
        check_in(loket, made.code)
    assert refused.value.code == "booking_used" and first.number in refused.value.message
    assert refused.value.details["walk_in"] is False and len(tickets(loket)) == 1


def test_a_priority_booking_keeps_its_head_start(loket, clock):
    configure(loket, check_in_late_minutes=15)
    made = book(loket, time(8, 30), priority="lansia")
    clock.advance(minutes=35)
    ticket = check_in(loket, made.code).outcome.ticket
    assert ticket is not None and ticket.priority == "lansia"
    head_start = loket.policy.priority_head_start_minutes * 60
    assert head_start > 0
    (row,) = tickets(loket)
    assert row.queue_key == made.booking.starts_at.timestamp() - head_start


def test_check_in_neither_needs_nor_takes_a_place_of_the_quota_but_a_closed_service_stays_closed(loket, clock, admin):
    configure(loket, seats_per_slot=10)
    first, second, third = (book(loket, time(8, 30), n) for n in (1, 2, 3))
    ops.update_settings(loket, admin, {"services": {SERVICE: {"quota": 1}}})
    clock.advance(minutes=20)
    assert check_in(loket, first.code).outcome.ticket is not None
    issuing.issue(loket, SERVICE)  # the check-in took no place: the day's one walk-in ticket is still there
    with pytest.raises(ServiceUnavailable):
        issuing.issue(loket, SERVICE)
    assert check_in(loket, second.code).outcome.ticket is not None  # the booked seat was counted when booked
    (overview,) = issuing.services_overview(loket, SERVICE)
    assert overview["availability"]["issued_today"] == 1 and overview["waiting"] == 3
    ops.update_settings(loket, admin, {"services": {SERVICE: {"closed": True}}})
    with pytest.raises(ServiceUnavailable):
        check_in(loket, third.code)
    assert booking.find_booking(loket, third.code).status == "booked"  # rolled back with the refusal


def test_a_second_scan_answers_the_same_ticket(loket, clock):
    configure(loket)
    made = book(loket, time(8, 30))
    clock.advance(minutes=20)
    first = check_in(loket, made.qr, issuer="kiosk:a", key="tap-1")
    again = check_in(loket, made.code, issuer="kiosk:b", key="tap-2")
    retry = check_in(loket, made.qr, issuer="kiosk:a", key="tap-1")
    assert first.outcome.ticket and again.outcome.ticket and retry.outcome.ticket
    assert again.outcome.replayed and retry.outcome.replayed and not again.outcome.events
    assert first.outcome.ticket.number == again.outcome.ticket.number == retry.outcome.ticket.number
    assert len(tickets(loket)) == 1


def test_concurrent_scans_of_one_booking_make_one_ticket(loket, clock):
    configure(loket)
    made = book(loket, time(8, 30))
    clock.advance(minutes=20)
    results = _race(12, lambda i: check_in(loket, made.code if i % 2 else made.qr, issuer=f"kiosk:{i}"))
    assert all(isinstance(r, CheckedIn) for r in results), results
    assert sum(not r.outcome.replayed for r in results) == 1  # type: ignore[union-attr]
    assert len({r.outcome.ticket.number for r in results}) == 1  # type: ignore[union-attr]
    with loket.store.read() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 1


def test_an_unknown_or_malformed_code_is_refused(loket):
    configure(loket)
    with pytest.raises(NotFound):
        check_in(loket, "23456789")
    with pytest.raises(InvalidCode):
        check_in(loket, "hello")
    with pytest.raises(InvalidCode):
        check_in(loket, "LKB1:test-office:20261123:23456789.forged")


def test_a_checked_in_ticket_names_its_booking_and_only_the_front_desk_its_nik(loket, clock):
    configure(loket)
    made = book(loket, time(8, 30), phone="081234567890")
    clock.advance(minutes=20)
    ticket = check_in(loket, made.code).outcome.ticket
    assert ticket is not None and ticket.source == "booking"
    desk = ticket_booking(loket, ticket.id, Role.PELAYANAN)
    assert desk == {
        "day": "2026-11-23",
        "start": "08:30",
        "end": "08:45",
        "nik": nik(1),
        "nik_hidden": False,
        "purged": False,
    }
    assert "phone" not in str(desk)  # the badge needs the slot and the NIK, not the number
    for role in (Role.OPERATOR, Role.SCAN, Role.BIDANG, Role.REGISTER, Role.ADMIN, Role.KEPALA, None):
        seen = ticket_booking(loket, ticket.id, role)
        assert seen is not None and seen["nik"] is None and seen["nik_hidden"] is True, role
    walk_in = issuing.issue(loket, SERVICE).ticket
    assert walk_in is not None and ticket_booking(loket, walk_in.id, Role.PELAYANAN) is None
    with pytest.raises(NotFound):
        ticket_booking(loket, 9999, Role.PELAYANAN)
    clock.advance(hours=1)
    assert booking.purge_bookings(loket, 0) == 1
    assert ticket_booking(loket, ticket.id, Role.PELAYANAN) == dict(desk, nik=None, purged=True)
