"""A regular ticket instead of a refused check-in (the kiosk's "Ambil nomor antrean biasa"), in the domain, on
SQLite and PostgreSQL: today's booking is cancelled in the ticket's own transaction (its seat given back, never
a no-show); another day's stays booked; the office's rule and the walk-in quota hold as for any walk-in."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select

from loket.core import admin as ops
from loket.core.accounts import create_user
from loket.core.booking import operations as booking
from loket.core.checkin import CheckInRefused, check_in, walk_in_instead
from loket.core.errors import ServiceUnavailable
from loket.core.roles import Actor, Role
from loket.core.store import Booking, Ticket
from loket.core.tickets import issuing
from tests.core.test_booking import configure, nik

MONDAY = date(2026, 11, 23)  # the clock fixture stands at Monday 08:00 in Jakarta
TUESDAY = date(2026, 11, 24)
SERVICE = "penerbitan-kia"


def stored(loket, code: str) -> Booking:
    with loket.store.read() as s:
        return s.scalars(select(Booking).where(Booking.code == code)).one()


def tickets(loket) -> list[Ticket]:
    with loket.store.read() as s:
        return list(s.scalars(select(Ticket).order_by(Ticket.id)))


def free_at(loket, day: date, start: str) -> int:
    return next(slot["free"] for slot in booking.slots(loket, SERVICE, day) if slot["start"] == start)


def test_too_early_today_the_regular_ticket_cancels_the_booking_and_gives_its_seat_back(loket, clock):
    configure(loket, seats_per_slot=4, check_in_early_minutes=30, release_after_minutes=15)
    made = booking.book(loket, SERVICE, MONDAY, time(10, 0), nik(1))
    before = free_at(loket, MONDAY, "10:00")
    with pytest.raises(CheckInRefused) as refused:
        check_in(loket, made.code)
    assert refused.value.details["walk_in_note"]["id"] == (
        "Booking Anda untuk pukul 10:00 akan dibatalkan dan Anda mendapat nomor antrean biasa."
    )
    done = walk_in_instead(loket, made.code, issuer="kiosk-1", key="tap-1")
    assert done.ended is True and done.booking.status == booking.CANCELLED
    (ticket,) = tickets(loket)
    assert ticket.source == "kiosk" and ticket.service_code == SERVICE  # a walk-in's ticket, not the booking's
    row = stored(loket, made.code)
    assert row.status == booking.CANCELLED and row.cancelled_at is not None and row.released_at is None
    assert free_at(loket, MONDAY, "10:00") == before + 1  # the seat is free to book again
    clock.advance(minutes=130)  # 10:10 ... past its release time: nothing to release, no no-show counted
    assert booking.release_no_shows(loket) == 0
    assert stored(loket, made.code).status == booking.CANCELLED


def test_a_retry_of_the_same_tap_answers_the_same_ticket(loket, clock):
    configure(loket, check_in_early_minutes=30)
    made = booking.book(loket, SERVICE, MONDAY, time(10, 0), nik(1))
    first = walk_in_instead(loket, made.code, issuer="kiosk-1", key="tap-1")
    again = walk_in_instead(loket, made.code, issuer="kiosk-1", key="tap-1")
    assert again.outcome.replayed and again.outcome.ticket.number == first.outcome.ticket.number
    assert len(tickets(loket)) == 1 and stored(loket, made.code).status == booking.CANCELLED


def test_too_late_today_the_booking_is_cancelled_too(loket, clock):
    configure(loket, check_in_late_minutes=10, release_after_minutes=30)
    made = booking.book(loket, SERVICE, MONDAY, time(8, 15), nik(1))
    clock.advance(minutes=30)  # 08:30: the window closed at 08:25, not yet released
    done = walk_in_instead(loket, made.code, issuer="kiosk-1", key="tap-1")
    assert done.ended and stored(loket, made.code).status == booking.CANCELLED
    assert booking.release_no_shows(loket) == 0


def test_another_days_booking_stays_valid(loket, clock):
    configure(loket, check_in_early_minutes=30)
    made = booking.book(loket, SERVICE, TUESDAY, time(9, 0), nik(1))
    with pytest.raises(CheckInRefused) as refused:
        check_in(loket, made.code)
    assert refused.value.details["walk_in_note"]["id"] == (
        "Booking Anda untuk Selasa, 24-11-2026 tetap berlaku. Anda mendapat nomor antrean biasa."
    )
    assert refused.value.details["walk_in_note"]["en"].startswith("Your booking for Tuesday, 24-11-2026 stays valid")
    done = walk_in_instead(loket, made.code, issuer="kiosk-1", key="tap-1")
    assert done.ended is False and len(tickets(loket)) == 1
    assert stored(loket, made.code).status == booking.BOOKED


def test_where_the_office_allows_no_regular_ticket_the_booking_is_untouched(loket, clock):
    configure(loket, check_in_early_minutes=30, walk_in_when_outside_window=False)
    made = booking.book(loket, SERVICE, MONDAY, time(10, 0), nik(1))
    with pytest.raises(CheckInRefused):
        walk_in_instead(loket, made.code, issuer="kiosk-1", key="tap-1")
    assert tickets(loket) == [] and stored(loket, made.code).status == booking.BOOKED


def test_inside_the_window_it_is_the_check_in(loket, clock):
    configure(loket, check_in_early_minutes=30)
    made = booking.book(loket, SERVICE, MONDAY, time(8, 15), nik(1))
    done = walk_in_instead(loket, made.code, issuer="kiosk-1", key="tap-1")
    assert done.ended is False and done.booking.status == booking.CHECKED_IN
    assert tickets(loket)[0].source == "booking"


def test_the_walk_in_quota_holds_and_a_refused_ticket_leaves_the_booking_booked(loket, clock):
    user = create_user(loket.store, loket.clock, "admin", "Admin", "password123", [Role.ADMIN])
    configure(loket, check_in_early_minutes=30)
    made = booking.book(loket, SERVICE, MONDAY, time(10, 0), nik(1))
    ops.update_settings(loket, Actor(user.id, Role.ADMIN), {"services": {SERVICE: {"quota": 1}}})
    issuing.issue(loket, SERVICE)  # the day's one ticket is gone
    with pytest.raises(ServiceUnavailable):
        walk_in_instead(loket, made.code, issuer="kiosk-1", key="tap-1")
    assert stored(loket, made.code).status == booking.BOOKED  # rolled back with the ticket
    assert len(tickets(loket)) == 1
