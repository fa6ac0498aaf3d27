"""The walk-in share of a bookable service (issue 13), on SQLite and PostgreSQL with a fixed clock: the seats
kept for walk-ins, the online seats nobody holds once their slot started, a booking's tickets not counted,
the office's quota beside it, a service not bookable unchanged, two kiosks racing for the last seat."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time

import pytest
from sqlalchemy import event

from loket.core import admin as ops
from loket.core.accounts import create_user
from loket.core.booking import admin as booking_admin
from loket.core.booking import operations as booking
from loket.core.booking.config import BookingConfig, ServiceBooking, write_config
from loket.core.clock import FrozenClock
from loket.core.errors import ServiceUnavailable
from loket.core.roles import Actor, Role
from loket.core.tickets import issuing

KIA = "penerbitan-kia"  # bookable in these tests
KTP = "pencetakan-ktp-el"  # never bookable here
MONDAY = datetime(2026, 11, 23).date()
#: Four slots of 30 minutes, 08:00-10:00, 4 seats each: 2 online and 2 kept for walk-ins (8 kept in all).
RULE = {
    "hours": {"mon": {"open": "08:00", "close": "10:00"}},
    "slot_minutes": 30,
    "seats_per_slot": 4,
    "walk_in_percent": 50,
    "priority_percent": 0,
    "release_after_minutes": 15,
    "check_in_late_minutes": 15,
}


def nik(n: int) -> str:
    return f"327301010190{n:04d}"


@pytest.fixture
def clock():
    # 07:00 in Jakarta on Monday: booking for today is open (since Sunday 07:00), no slot has started.
    return FrozenClock(datetime(2026, 11, 23, 0, 0, tzinfo=UTC))


@pytest.fixture
def admin(loket):
    user = create_user(loket.store, loket.clock, "admin", "Admin", "password123", [Role.ADMIN])
    return Actor(user.id, Role.ADMIN)


def bookable(loket, **changes) -> ServiceBooking:
    rule = ServiceBooking.model_validate({**RULE, **changes})
    with loket.store.transaction() as s:
        write_config(s, BookingConfig(enabled=True, services={KIA: rule}), loket.clock.now(), None)
    return rule


def at(clock, hh: int, mm: int = 0) -> None:
    """Move the frozen clock to hh:mm on Monday in Jakarta (UTC+7)."""
    clock._now = datetime(2026, 11, 23, hh - 7, mm, tzinfo=UTC)


def seen(loket, code=KIA) -> dict:
    """The availability the kiosk's overview shows, checked against the ticket's own path (one service)."""
    (overview,) = issuing.services_overview(loket, code)
    with loket.store.read() as s:
        own = issuing.availability(loket, s, loket.catalog.get(code), loket.settings)
    assert own.as_dict() == overview["availability"]
    return overview["availability"]


def issue_n(loket, n: int, code=KIA, source="kiosk") -> None:
    for _ in range(n):
        issuing.issue(loket, code, source=source)


def refusal(loket, code=KIA) -> ServiceUnavailable:
    with pytest.raises(ServiceUnavailable) as err:
        issuing.issue(loket, code)
    return err.value


def test_the_share_grows_as_slots_start_with_their_unheld_online_seats(loket, clock):
    bookable(loket)
    booking.book(loket, KIA, MONDAY, time(8, 0), nik(1))
    booking.book(loket, KIA, MONDAY, time(8, 30), nik(2))
    booking.book(loket, KIA, MONDAY, time(8, 30), nik(3))  # 08:30 fully booked
    booking.book(loket, KIA, MONDAY, time(9, 0), nik(4))
    booking.cancel(loket, booking.book(loket, KIA, MONDAY, time(9, 30), nik(5)).code)  # given back
    expected = {
        # time: (seats now, of them freed, later, next_at)
        (7, 0): (8, 0, 1 + 0 + 1 + 2, "08:00"),
        (8, 0): (9, 1, 0 + 1 + 2, "09:00"),  # 08:00: one online seat never booked
        (8, 10): (9, 1, 3, "09:00"),  # the 08:00 booking still holds its seat (released at 08:15)
        (8, 30): (9, 1, 3, "09:00"),  # 08:30 was full
        (9, 0): (10, 2, 2, "09:30"),
        (9, 30): (12, 4, 0, None),  # the cancelled seat counts like a never-booked one
        (11, 0): (12, 4, 0, None),
    }
    for (hh, mm), (seats, freed, later, next_at) in expected.items():
        at(clock, hh, mm)
        walk_in = seen(loket)["walk_in"]
        assert (walk_in["seats"], walk_in["kept"], walk_in["freed"], walk_in["later"], walk_in["next_at"]) == (
            seats,
            8,
            freed,
            later,
            next_at,
        ), (hh, mm)
        assert seen(loket)["remaining"] == seats and seen(loket)["limit"] == seats


def test_a_released_no_show_seat_becomes_a_walk_in_seat(loket, clock):
    bookable(loket, seats_per_slot=3, walk_in_percent=33)  # 2 online, 1 kept per slot: 4 kept
    booking.book(loket, KIA, MONDAY, time(8, 0), nik(1))
    booking.book(loket, KIA, MONDAY, time(8, 0), nik(2))
    at(clock, 8, 5)
    assert seen(loket)["walk_in"]["seats"] == 4  # both 08:00 bookings still hold their seats
    issue_n(loket, 4)
    assert refusal(loket).code == "walk_in_full"
    at(clock, 8, 15)
    assert booking.release_no_shows(loket) == 2
    assert seen(loket)["walk_in"] == {"seats": 6, "kept": 4, "freed": 2, "later": 6, "next_at": "08:30"}
    issue_n(loket, 2)  # the two seats the no-shows gave back
    assert refusal(loket).code == "walk_in_full"


def test_a_bookings_tickets_are_not_counted_against_the_walk_in_share(loket, clock):
    bookable(loket)
    at(clock, 8, 0)  # 08:00 started: 8 kept + its 2 online seats = 10
    issue_n(loket, 3, source="booking")  # a booking's check-in at the kiosk (its seat is the booking's)
    issue_n(loket, 4)  # kiosk
    issue_n(loket, 2, source="walk_in")  # the counter's walk-in
    a = seen(loket)
    assert a["issued_today"] == 6 and a["remaining"] == 4
    with loket.store.read() as s:
        assert issuing.issued_today(loket, s)[KIA] == 6
    issue_n(loket, 4)
    assert refusal(loket).code == "walk_in_full"


def test_the_refusal_says_when_the_next_walk_in_number_comes_or_to_book_another_day(loket, clock, admin):
    bookable(loket)
    booking.book(loket, KIA, MONDAY, time(8, 0), nik(1))
    booking.book(loket, KIA, MONDAY, time(8, 0), nik(2))
    booking.book(loket, KIA, MONDAY, time(8, 30), nik(3))
    issue_n(loket, 8)
    err = refusal(loket)
    assert err.code == "walk_in_full"
    assert err.label["id"] == (
        "Kuota antrean langsung (walk-in) Penerbitan Kartu Identitas Anak (KIA) hari ini sudah habis. "
        "Nomor berikutnya tersedia pukul 08:30 bila masih ada kursi yang tidak dipesan online."
    )
    assert err.label["en"].startswith("Today's walk-in quota for") and "08:30" in err.label["en"]
    a = seen(loket)
    assert (a["ok"], a["reason"], a["next_at"], a["walk_in"]["next_at"]) == (False, "walk_in_full", "08:30", "08:30")
    # Issuing closes at 08:30: the next free seat comes too late today.
    ops.update_settings(loket, admin, {"hours": {"mon": {"open": "07:00", "close": "08:30"}}})
    assert "pesan antrean online untuk hari lain" in refusal(loket).label["id"]
    a = seen(loket)
    assert (a["next_at"], a["walk_in"]["next_at"]) == (None, "08:30")  # after issuing closes: not offered
    ops.update_settings(loket, admin, {"hours": {"mon": {"open": "07:00", "close": "15:00"}}})
    # Every online seat ahead booked: nothing frees later, book another day.
    for n, start in enumerate([time(8, 30), time(9, 0), time(9, 0), time(9, 30), time(9, 30)], start=10):
        booking.book(loket, KIA, MONDAY, start, nik(n))
    err = refusal(loket)
    assert err.label["id"] == (
        "Kuota antrean langsung (walk-in) Penerbitan Kartu Identitas Anak (KIA) hari ini sudah habis. "
        "Silakan pesan antrean online untuk hari lain."
    )
    assert "book online for another day" in err.label["en"]


def test_the_office_quota_and_the_walk_in_share_the_smaller_wins(loket, clock, admin):
    bookable(loket)
    ops.update_settings(loket, admin, {"services": {KIA: {"quota": 5}}})
    a = seen(loket)
    assert (a["quota"], a["walk_in"]["seats"], a["limit"], a["remaining"]) == (5, 8, 5, 5)
    issue_n(loket, 5)
    assert refusal(loket).code == "quota_full"
    ops.update_settings(loket, admin, {"services": {KIA: {"quota": 10}}})
    a = seen(loket)
    assert (a["quota"], a["walk_in"]["seats"], a["limit"], a["remaining"]) == (10, 8, 8, 3)
    issue_n(loket, 3)
    assert refusal(loket).code == "walk_in_full"
    at(clock, 9, 30)  # every slot started, nothing booked: 8 + 8 freed, but the quota is 10
    assert seen(loket)["limit"] == 10
    issue_n(loket, 2)
    assert refusal(loket).code == "quota_full"


def test_a_service_not_bookable_today_is_as_before(loket, clock, admin):
    bookable(loket)
    ops.update_settings(loket, admin, {"services": {KTP: {"quota": 2}}})
    a = seen(loket, KTP)
    assert a["walk_in"] is None and (a["quota"], a["limit"], a["remaining"]) == (2, 2, 2)
    issue_n(loket, 2, KTP)
    assert refusal(loket, KTP).code == "quota_full"
    # The bookable service on a day without booking hours (Tuesday): no share, no limit.
    clock.advance(days=1)
    a = seen(loket)
    assert a["ok"] is True and a["walk_in"] is None and a["limit"] is None
    issue_n(loket, 12)


def _statements(loket, fn) -> list[str]:
    """The SQL statements `fn` sends (transaction control left out)."""
    sent: list[str] = []

    def count(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE", "PRAGMA", "SELECT PG_")):
            sent.append(statement)

    event.listen(loket.store.engine, "before_cursor_execute", count)
    try:
        fn()
    finally:
        event.remove(loket.store.engine, "before_cursor_execute", count)
    return sent


def test_the_kiosk_ticket_costs_one_query_more_when_bookable_and_none_when_not(loket, clock):
    loket.kept_seconds = 3600.0  # the rules stay read for the whole test, however slow the machine
    issuing.issue(loket, KTP), issuing.issue(loket, KIA)  # warm: settings, catalog, sequences
    before = _statements(loket, lambda: issuing.issue(loket, KIA))
    assert len(_statements(loket, lambda: issuing.issue(loket, KTP))) == len(before)
    bookable(loket)
    seen(loket)  # the booking rules read once, kept like the office settings
    not_bookable = _statements(loket, lambda: issuing.issue(loket, KTP))
    assert len(not_bookable) == len(before) and not any("booking_slots" in st for st in before + not_bookable)
    assert len(_statements(loket, lambda: issuing.issue(loket, KIA))) == len(before) + 1


def test_two_kiosks_racing_for_the_last_walk_in_seat_get_one_ticket(loket, clock):
    bookable(loket)
    # Each round: one walk-in seat left, two kiosks tap at once. 08:00, 08:30 and 09:00 each free 2 seats.
    for hh, mm in [(7, 0), (8, 0), (8, 30), (9, 0)]:
        at(clock, hh, mm)
        issue_n(loket, seen(loket)["remaining"] - 1)
        barrier = threading.Barrier(2)
        results: list[object] = [None, None]

        def kiosk(i: int, barrier: threading.Barrier = barrier, results: list[object] = results) -> None:
            barrier.wait()
            try:
                results[i] = issuing.issue(loket, KIA, issuer=f"kiosk-{i}").ticket.number
            except ServiceUnavailable as exc:
                results[i] = exc.code

        threads = [threading.Thread(target=kiosk, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert results.count("walk_in_full") == 1 and None not in results, results
        assert seen(loket)["remaining"] == 0


def test_the_admin_sees_per_weekday_what_the_rules_come_to_and_the_kiosk_agrees(loket):
    bookable(loket, priority_percent=50)
    seats = booking_admin.current_config(loket)["seats"][KIA]
    assert seats["mon"] == {"slots": 4, "seats": 16, "online": 8, "priority": 4, "walk_in": 8}
    assert seats["tue"] is None and set(seats) == {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
    assert seen(loket)["walk_in"]["kept"] == seats["mon"]["walk_in"]
