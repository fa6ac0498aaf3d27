"""The booking report (core/reports/booking.py) against bookings and tickets worked out by hand, on both databases.

The clock stands at Monday 2026-11-23 08:00 in Jakarta (UTC+7). Penerbitan KIA is bookable on Tuesday and
Wednesday, 06:30-09:30 in 30-minute slots of 4 seats, half kept for walk-ins: 2 online seats a slot, none kept
for priority. A day's slots start 06:30 | 07:00 07:30 | 08:00 08:30 | 09:00: per local hour 1 | 2 | 2 | 1 slots,
2 | 4 | 4 | 2 seats, 12 a day. The 06:30 slot starts at 23:30 UTC on the day before: its hour is 6, not 23.

Booked on Monday 08:00 (the slot rows are made then; the other slots have no row):

    b1 Tue 06:30  checks in                    b5 Tue 08:00  no-show (released at 08:15)
    b2 Tue 06:30  no-show (released)           b6 Tue 08:30  priority (lansia), checks in
    b3 Tue 07:00  cancelled on Monday          b7 Wed 09:00  still booked when the report is made
    b4 Tue 07:00  checks in

Tickets on Tuesday: the three check-ins (source "booking"), two kiosk walk-ins and one counter walk-in for KIA,
one kiosk ticket for Pencetakan KTP-el (not bookable).

Monday..Wednesday, per local hour (capacity = rows' seats + seats of slots with no row, from the rules):

    hour  capacity                          booked (booked|checked_in|no_show)  attended  no-show
    06    Tue row 2 + Wed rules 2 = 4       b1 b2 = 2                           1         1
    07    Tue row 2 + Tue 07:30 rules 2     b4 = 1 (b3 cancelled)               1         0
          + Wed rules 4 = 8
    08    Tue rows 2+2 + Wed rules 4 = 8    b5 b6 = 2                           1         1
    09    Tue rules 2 + Wed row 2 = 4       b7 = 1                              0         0
    all   24 (of which from rules 14)       6 (25 %)                            3 (12.5 %)  2

Bookings: made 7, cancelled 1, checked in 3, no-show 2, still booked 1, priority 1; no-show rate 2 / (3 + 2) = 40 %.
Tickets: KIA 6 issued, 3 booked (50 %), 3 walk-in; KTP 1 walk-in; all 7, booked 3/7, walk-in 4/7.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time

from openpyxl import load_workbook

from loket.core.accounts import create_user
from loket.core.booking import operations as booking
from loket.core.booking.admin import update_config
from loket.core.booking.config import BookingConfig, ServiceBooking, write_config
from loket.core.reports import build_report, report_csv, report_xlsx
from loket.core.reports.booking import booking_report, booking_tables
from loket.core.roles import Actor, Role
from loket.core.tickets import issuing

MONDAY, TUESDAY, WEDNESDAY = date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25)
KIA = "penerbitan-kia"
KTP = "pencetakan-ktp-el"
HOURS = {"open": "06:30", "close": "09:30"}
RULE = {
    "hours": {"tue": HOURS, "wed": HOURS},
    "slot_minutes": 30,
    "seats_per_slot": 4,
    "priority_percent": 0,
    "opens_days_before": 2,
}


def nik(n: int) -> str:
    return f"327301010190{n:04d}"


def share(within, total):
    return {"within": within, "total": total, "ratio": within / total if total else None}


def at(clock, day: date, hh: int, mm: int) -> None:
    target = datetime.combine(day, time(hh, mm), clock.tz).astimezone(UTC)
    assert target >= clock.now()
    clock.advance(seconds=(target - clock.now()).total_seconds())


def play(loket, clock) -> None:
    """The bookings and tickets of the module's docstring."""
    book = booking.book
    b1 = book(loket, KIA, TUESDAY, time(6, 30), nik(1))
    book(loket, KIA, TUESDAY, time(6, 30), nik(2))
    b3 = book(loket, KIA, TUESDAY, time(7, 0), nik(3))
    b4 = book(loket, KIA, TUESDAY, time(7, 0), nik(4))
    book(loket, KIA, TUESDAY, time(8, 0), nik(5))
    b6 = book(loket, KIA, TUESDAY, time(8, 30), nik(6), priority="lansia")
    book(loket, KIA, WEDNESDAY, time(9, 0), nik(7))
    booking.cancel(loket, b3.code)
    at(clock, TUESDAY, 8, 0)
    for made in (b1, b4, b6):
        ticket = issuing.issue(loket, KIA, source="booking").ticket.id
        with loket.store.transaction() as s:
            assert booking.mark_checked_in(s, made.id, ticket, clock.now())
    for source in ("kiosk", "kiosk", "walk_in"):
        issuing.issue(loket, KIA, source=source)
    issuing.issue(loket, KTP)
    at(clock, TUESDAY, 10, 0)
    assert booking.release_no_shows(loket) == 2  # b2 and b5


def configure(loket) -> None:
    with loket.store.transaction() as s:
        config = BookingConfig(enabled=True, services={KIA: ServiceBooking(**RULE)})
        write_config(s, config, loket.clock.now(), None)


def hours_of(row):
    return {
        h["label"]: (h["capacity"], h["from_rules"], h["booked"], h["attended"], h["no_show"]) for h in row["hours"]
    }


def test_bookings_sources_and_seats_per_service_and_local_hour(loket, clock):
    configure(loket)
    play(loket, clock)
    report = booking_report(loket, MONDAY, WEDNESDAY).as_dict()
    assert [s["key"] for s in report["services"]] == [KTP, KIA]  # catalog order
    kia = next(s for s in report["services"] if s["key"] == KIA)
    for row in (kia, report["total"]):
        assert (row["made"], row["cancelled"], row["checked_in"], row["no_show"], row["booked"], row["priority"]) == (
            7,
            1,
            3,
            2,
            1,
            1,
        )
        assert row["no_show_rate"] == share(2, 5)
        assert hours_of(row) == {
            "06:00": (4, 2, 2, 1, 1),
            "07:00": (8, 6, 1, 1, 0),
            "08:00": (8, 4, 2, 1, 1),
            "09:00": (4, 2, 1, 0, 0),
        }
        seats = row["seats"]
        assert (seats["capacity"], seats["from_rules"], seats["booked"], seats["attended"], seats["no_show"]) == (
            24,
            14,
            6,
            3,
            2,
        )
        assert seats["booked_ratio"] == share(6, 24) and seats["attended_ratio"] == share(3, 24)
    assert kia["tickets"] == {
        "issued": 6,
        "booked": 3,
        "walk_in": 3,
        "other": 0,
        "booked_share": share(3, 6),
        "walk_in_share": share(3, 6),
    }
    ktp = report["services"][0]
    assert (ktp["made"], ktp["tickets"]["walk_in"], ktp["hours"], ktp["no_show_rate"]) == (0, 1, [], share(0, 0))
    total = report["total"]["tickets"]
    assert (total["issued"], total["booked_share"], total["walk_in_share"]) == (7, share(3, 7), share(4, 7))

    # Tuesday alone: Wednesday's booking and seats are out.
    tuesday = booking_report(loket, TUESDAY).as_dict()["total"]
    assert (tuesday["made"], tuesday["booked"], tuesday["no_show_rate"]) == (6, 0, share(2, 5))
    assert hours_of(tuesday) == {
        "06:00": (2, 0, 2, 1, 1),
        "07:00": (4, 2, 1, 1, 0),
        "08:00": (4, 0, 2, 1, 1),
        "09:00": (2, 2, 0, 0, 0),
    }


def test_days_count_from_the_audited_rule_change_that_opened_booking(loket, clock):
    """With an audit trail, a day's seats come from the rules in force when it began: here booking was switched on
    on Monday at 08:00, so Monday offers nothing and Tuesday and Wednesday their 12 seats each, unbooked."""
    admin = create_user(loket.store, clock, "admin", "Admin", "password123", [Role.ADMIN])
    update_config(loket, Actor(admin.id, Role.ADMIN, None), {"enabled": True, "services": {KIA: RULE}})
    row = booking_report(loket, MONDAY, WEDNESDAY).as_dict()["total"]
    assert (row["seats"]["capacity"], row["seats"]["from_rules"], row["seats"]["booked"]) == (24, 24, 0)
    assert row["seats"]["booked_ratio"] == share(0, 24)
    # Days past the booking window (today + 7 days) are not offered yet: 1, 2, 8 and 9 December.
    assert booking_report(loket, MONDAY, date(2026, 12, 9)).total.seats.capacity == 24
    # Switched off before Wednesday began: Wednesday offers nothing.
    at(clock, TUESDAY, 12, 0)
    update_config(loket, Actor(admin.id, Role.ADMIN, None), {"enabled": False})
    assert booking_report(loket, MONDAY, WEDNESDAY).as_dict()["total"]["seats"]["capacity"] == 12
    # A month: Tuesday alone offered seats.
    assert booking_report(loket, date(2026, 11, 1), date(2026, 11, 30)).total.seats.capacity == 12


def test_booking_switched_on_during_a_day_offers_that_days_slots_still_ahead(loket, clock):
    """Switched on on Tuesday at 07:45 (as an office does on its first morning): Tuesday's slots from 08:00 on were
    offered (08:00, 08:30, 09:00: 3 slots of 2 online seats), those before were not; the walk found 0 offered."""
    admin = create_user(loket.store, clock, "admin", "Admin", "password123", [Role.ADMIN])
    at(clock, TUESDAY, 7, 45)
    update_config(loket, Actor(admin.id, Role.ADMIN, None), {"enabled": True, "services": {KIA: RULE}})
    booking.book(loket, KIA, TUESDAY, time(9, 0), nik(8))
    row = booking_report(loket, TUESDAY).as_dict()["total"]
    assert (row["seats"]["capacity"], row["seats"]["from_rules"], row["seats"]["booked"]) == (6, 4, 1)
    assert {h["hour"]: h["capacity"] for h in row["hours"]} == {8: 4, 9: 2}


def test_a_day_before_the_first_booked_day_offers_nothing_without_an_audit_trail(loket, clock):
    configure(loket)
    assert booking_report(loket, MONDAY, WEDNESDAY).total.seats.capacity == 0
    booking.book(loket, KIA, WEDNESDAY, time(9, 0), nik(7))
    row = booking_report(loket, MONDAY, WEDNESDAY).as_dict()["total"]
    assert hours_of(row) == {
        "06:00": (2, 2, 0, 0, 0),
        "07:00": (4, 4, 0, 0, 0),
        "08:00": (4, 4, 0, 0, 0),
        "09:00": (2, 0, 1, 0, 0),
    }


def test_the_exports_hold_the_booking_tables(loket, clock):
    configure(loket)
    play(loket, clock)
    report = build_report(loket, MONDAY, WEDNESDAY)
    extra = booking_report(loket, MONDAY, WEDNESDAY)
    text = report_csv(report, booking_tables(extra))
    rows = list(csv.reader(io.StringIO(text)))
    start = rows.index(["# Booking online"])
    header, kia, ktp_or_total = rows[start + 1], rows[start + 3], rows[start + 4]
    assert header[:8] == [
        "Layanan",
        "Booking dibuat",
        "Dibatalkan",
        "Check-in",
        "Tidak hadir",
        "Masih terpesan",
        "Prioritas",
        "Tingkat tidak hadir (%)",
    ]
    assert kia[:8] == ["Penerbitan Kartu Identitas Anak (KIA)", "7", "1", "3", "2", "1", "1", "40.0"]
    assert ktp_or_total[0] == "Semua layanan" and ktp_or_total[9:11] == ["3", "42.9"]
    hours = rows.index(["# Slot per jam"])
    assert rows[hours + 2] == [
        "Penerbitan Kartu Identitas Anak (KIA)",
        "06:00",
        "4",
        "2",
        "2",
        "50.0",
        "1",
        "25.0",
        "1",
    ]
    book = load_workbook(io.BytesIO(report_xlsx(report, "Kantor", booking_tables(extra))))
    sheet = book["Slot per jam"]
    assert [c.value for c in sheet[3]] == ["Penerbitan Kartu Identitas Anak (KIA)", "06:00", 4, 2, 2, 50.0, 1, 25.0, 1]
    assert book["Booking online"]["A3"].value == "Pencetakan KTP-el atau Surat Keterangan"


def test_the_local_hour_follows_daylight_saving_time(store, catalog):
    """Amsterdam moves from UTC+2 to UTC+1 on Sunday 2026-10-25: a 09:00 slot is 07:00 UTC before, 08:00 after."""
    from loket.core.clock import FrozenClock
    from loket.core.context import Policy
    from loket.core.qr import CodeSigner
    from loket.core.service import Loket

    clock = FrozenClock(datetime(2026, 10, 22, 6, 0, tzinfo=UTC), "Europe/Amsterdam")  # Thursday 08:00 in Amsterdam
    office = Loket(store, catalog, CodeSigner("s", "o"), clock, Policy())
    every_day = {d: {"open": "09:00", "close": "10:00"} for d in ("fri", "mon")}
    with store.transaction() as s:
        rule = ServiceBooking(
            hours=every_day, slot_minutes=60, seats_per_slot=2, priority_percent=0, opens_days_before=7
        )
        write_config(s, BookingConfig(enabled=True, services={KIA: rule}), clock.now(), None)
    booking.book(office, KIA, date(2026, 10, 23), time(9, 0), nik(1))  # Friday, UTC+2
    booking.book(office, KIA, date(2026, 10, 26), time(9, 0), nik(2))  # Monday, UTC+1
    row = booking_report(office, date(2026, 10, 23), date(2026, 10, 26)).as_dict()["total"]
    assert hours_of(row) == {"09:00": (2, 0, 2, 0, 0)}
