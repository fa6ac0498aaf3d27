"""Online booking in the domain, on SQLite and PostgreSQL: seats never oversold, one booking per NIK and
service, the opening time, the priority share, cancel, no-show release and its limit, the codes."""

from __future__ import annotations

import threading
from datetime import date, time

import pytest
from sqlalchemy import func, select

from loket.core.booking import operations as booking
from loket.core.booking.config import BookingConfig, ServiceBooking, write_config
from loket.core.errors import InvalidCode, NotFound
from loket.core.nik import InvalidNik
from loket.core.store import Booking, BookingSlot

TUESDAY = date(2026, 11, 24)  # the clock fixture stands at Monday 2026-11-23 08:00 in Jakarta
WEDNESDAY = date(2026, 11, 25)
SERVICE = "penerbitan-kia"


def nik(n: int) -> str:
    """A valid synthetic NIK (Kota Bandung, born 1 January 1990), distinct per n (1..9999)."""
    return f"327301010190{n:04d}"


def configure(loket, **rule) -> ServiceBooking:
    service = ServiceBooking(**rule)
    config = BookingConfig(enabled=True, services={SERVICE: service}, **rule.pop("_office", {}))
    with loket.store.transaction() as s:
        write_config(s, config, loket.clock.now(), None)
    return service


def set_office(loket, **office) -> None:
    with loket.store.transaction() as s:
        current = booking.read_config(s)
        write_config(s, current.model_copy(update=office), loket.clock.now(), None)


def test_a_booking_gets_a_short_code_and_a_signed_qr_that_find_it(loket):
    configure(loket)
    made = booking.book(loket, SERVICE, TUESDAY, time(9, 0), nik(1), phone="0812-3456-7890")
    assert len(made.code) == 8 and not set(made.code) & set("0O1I")
    assert made.qr.startswith("LKB1:test-office:20261124:" + made.code + ".")
    assert booking.find_booking(loket, made.code.lower()).id == made.id
    assert booking.find_booking(loket, made.qr).id == made.id
    view = booking.booking_view(loket, booking.find_booking(loket, made.qr))
    assert view["start"] == "09:00" and view["status"] == "booked" and view["requirements"]
    assert "nik" not in view and "phone" not in view
    desk = booking.booking_view(loket, booking.find_booking(loket, made.code), personal=True)
    assert desk["nik"] == nik(1) and desk["phone"] == "081234567890"


def test_an_altered_or_forged_qr_is_refused(loket):
    configure(loket)
    made = booking.book(loket, SERVICE, TUESDAY, time(9, 0), nik(1))
    altered = made.qr.replace(made.code, made.code[::-1])
    with pytest.raises(InvalidCode):
        booking.find_booking(loket, altered)
    with pytest.raises(InvalidCode):
        booking.find_booking(loket, made.qr + "x")
    with pytest.raises(NotFound):
        booking.find_booking(loket, "23456789")


def test_an_invalid_nik_is_refused(loket):
    configure(loket)
    with pytest.raises(InvalidNik):
        booking.book(loket, SERVICE, TUESDAY, time(9, 0), "1234567890123456")


def _race(n: int, attempt) -> list[object]:
    """Run `attempt(i)` in n threads released at once; each result or exception, in order."""
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = attempt(i)
        except Exception as exc:  # the race's outcome is what the test reads
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_many_residents_racing_for_the_last_seats_never_overbook(loket):
    configure(loket, seats_per_slot=6, walk_in_percent=50, priority_percent=0)  # 3 seats online
    results = _race(24, lambda i: booking.book(loket, SERVICE, TUESDAY, time(9, 0), nik(i + 1)))
    made = [r for r in results if isinstance(r, booking.Made)]
    full = [r for r in results if isinstance(r, booking.BookingFull)]
    assert len(made) == 3 and len(full) == 21, results
    with loket.store.read() as s:
        assert s.scalar(select(func.count()).select_from(Booking).where(Booking.status == "booked")) == 3
        assert s.scalar(select(BookingSlot.taken)) == 3


def test_one_resident_racing_for_many_slots_gets_one_booking(loket):
    configure(loket, seats_per_slot=10)
    starts = [time(8, 0), time(8, 15), time(8, 30), time(8, 45), time(9, 0), time(9, 15), time(9, 30), time(9, 45)]
    results = _race(len(starts), lambda i: booking.book(loket, SERVICE, TUESDAY, starts[i], nik(7)))
    made = [r for r in results if isinstance(r, booking.Made)]
    refused = [r for r in results if isinstance(r, booking.AlreadyBooked)]
    assert len(made) == 1 and len(refused) == len(starts) - 1, results
    with loket.store.read() as s:
        assert s.scalar(select(func.count()).select_from(Booking)) == 1
        assert s.scalar(select(func.sum(BookingSlot.taken))) == 1  # the refused ones gave their seat back


def test_a_second_booking_for_the_same_service_is_refused_until_the_first_is_cancelled(loket):
    configure(loket)
    first = booking.book(loket, SERVICE, TUESDAY, time(9, 0), nik(1))
    with pytest.raises(booking.AlreadyBooked):
        booking.book(loket, SERVICE, TUESDAY, time(10, 0), nik(1))
    booking.cancel(loket, first.code)
    booking.book(loket, SERVICE, TUESDAY, time(10, 0), nik(1))


def test_booking_for_a_day_opens_at_seven_the_day_before(loket, clock):
    configure(loket)
    with pytest.raises(booking.BookingClosed) as refused:
        booking.book(loket, SERVICE, WEDNESDAY, time(9, 0), nik(1))
    assert "24-11-2026 pukul 07:00" in refused.value.message
    assert [d["state"] for d in booking.days(loket, SERVICE)][:3] == ["open", "open", "not_yet"]
    clock.advance(hours=23)  # Tuesday 07:00
    booking.book(loket, SERVICE, WEDNESDAY, time(9, 0), nik(1))


def test_a_closed_weekday_and_a_past_slot_cannot_be_booked(loket):
    configure(loket)
    with pytest.raises(NotFound):
        booking.book(loket, SERVICE, date(2026, 11, 29), time(9, 0), nik(1))  # a Sunday: no slots
    with pytest.raises(booking.BookingClosed):
        booking.book(loket, SERVICE, date(2026, 11, 23), time(8, 0), nik(1))  # starts now


def test_the_priority_share_is_kept_for_priority_residents(loket):
    rule = configure(loket, seats_per_slot=8, walk_in_percent=50, priority_percent=25)
    assert (rule.online_seats, rule.priority_seats) == (4, 1)
    for i in range(3):
        booking.book(loket, SERVICE, TUESDAY, time(9, 0), nik(i + 1))
    with pytest.raises(booking.BookingFull):
        booking.book(loket, SERVICE, TUESDAY, time(9, 0), nik(4))
    (slot,) = [s for s in booking.slots(loket, SERVICE, TUESDAY) if s["start"] == "09:00"]
    assert (slot["free"], slot["free_regular"]) == (1, 0)
    booking.book(loket, SERVICE, TUESDAY, time(9, 0), nik(5), priority="lansia")
    with pytest.raises(booking.BookingFull):
        booking.book(loket, SERVICE, TUESDAY, time(9, 0), nik(6), priority="lansia")


def test_cancelling_frees_the_seat(loket):
    configure(loket, seats_per_slot=2, walk_in_percent=50, priority_percent=0)  # one seat online
    made = booking.book(loket, SERVICE, TUESDAY, time(9, 0), nik(1))
    with pytest.raises(booking.BookingFull):
        booking.book(loket, SERVICE, TUESDAY, time(9, 0), nik(2))
    assert booking.cancel(loket, made.qr).status == "cancelled"
    booking.book(loket, SERVICE, TUESDAY, time(9, 0), nik(2))
    with pytest.raises(booking.Conflict):
        booking.cancel(loket, made.code)  # once


def test_an_unclaimed_booking_is_released_after_its_slot_starts(loket, clock):
    configure(loket, release_after_minutes=15)
    made = booking.book(loket, SERVICE, TUESDAY, time(9, 0), nik(1))
    clock.advance(hours=25, minutes=14)  # Tuesday 09:14
    assert booking.release_no_shows(loket) == 0
    assert booking.check_in_window(loket, booking.find_booking(loket, made.code)).state == "open"
    clock.advance(minutes=1)
    assert booking.release_no_shows(loket) == 1
    found = booking.find_booking(loket, made.code)
    assert found.status == "no_show" and booking.check_in_window(loket, found).state == "closed"
    with loket.store.read() as s:
        assert s.scalar(select(BookingSlot.taken)) == 0


def test_repeated_no_shows_block_booking_for_a_while(loket, clock):
    configure(loket, release_after_minutes=15)
    set_office(loket, no_show_limit=2, no_show_window_days=30, no_show_block_days=7)
    booking.book(loket, SERVICE, TUESDAY, time(9, 0), nik(1))
    clock.advance(hours=26)  # Tuesday 10:00
    assert booking.release_no_shows(loket) == 1
    booking.book(loket, SERVICE, WEDNESDAY, time(9, 0), nik(1))
    clock.advance(hours=24)  # Wednesday 10:00: the second no-show
    with pytest.raises(booking.NoShowBlocked) as refused:
        booking.book(loket, SERVICE, date(2026, 11, 26), time(9, 0), nik(1))  # released on this very call
    assert "02-12-2026" in refused.value.message
    booking.book(loket, SERVICE, date(2026, 11, 26), time(9, 0), nik(2))  # others are not blocked
    clock.advance(days=7)  # Wednesday 2 December 10:00: the block is over
    booking.book(loket, SERVICE, date(2026, 12, 3), time(9, 0), nik(1))


def test_check_in_marks_a_booking_once(loket, clock):
    configure(loket, check_in_early_minutes=30, check_in_late_minutes=10)
    made = booking.book(loket, SERVICE, TUESDAY, time(9, 0), nik(1))
    found = booking.find_booking(loket, made.code)
    assert booking.check_in_window(loket, found).state == "early"
    clock.advance(hours=24, minutes=30)  # Tuesday 08:30
    assert booking.check_in_window(loket, found).state == "open"
    with loket.store.transaction() as s:
        assert booking.mark_checked_in(s, made.id, None, clock.now())  # type: ignore[arg-type]
    with loket.store.transaction() as s:
        assert not booking.mark_checked_in(s, made.id, None, clock.now())  # type: ignore[arg-type]
    assert booking.find_booking(loket, made.code).status == "checked_in"


def test_the_purge_blanks_nik_and_phone_of_old_bookings(loket, clock):
    configure(loket)
    made = booking.book(loket, SERVICE, TUESDAY, time(9, 0), nik(1), phone="081234567890")
    booking.cancel(loket, made.code)
    clock.advance(days=30)
    assert booking.purge_bookings(loket, 40) == 0
    clock.advance(days=20)
    assert booking.purge_bookings(loket, 40) == 1
    desk = booking.booking_view(loket, booking.find_booking(loket, made.code), personal=True)
    assert desk["nik"] is None and desk["phone"] is None and desk["status"] == "cancelled"


def test_the_office_purge_of_personal_data_takes_the_bookings_too(loket, clock):
    from loket.core.admin import purge_personal_data

    configure(loket)
    made = booking.book(loket, SERVICE, TUESDAY, time(9, 0), nik(1), phone="081234567890")
    booking.cancel(loket, made.code)
    clock.advance(days=400)  # past the default retention (365 days)
    purged, _days = purge_personal_data(loket, None)
    assert purged == 1
    assert booking.find_booking(loket, made.code).nik is None
