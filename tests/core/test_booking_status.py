"""A booking on the resident's status page, on SQLite and PostgreSQL: its QR's URL-safe signed code opens it (and
the older LKB1 payload), a kiosk scanner reading that URL finds the booking, nothing else opens it, its states in
plain words, and once checked in its ticket, live, up to "siap diambil" with the pickup hours."""

from __future__ import annotations

import re
from datetime import date, time

import pytest

from loket.core import status
from loket.core.accounts import create_counter, create_user
from loket.core.booking import operations as booking
from loket.core.booking.codes import BookingSigner, looks_like_booking
from loket.core.booking.config import BookingConfig, ServiceBooking, write_config
from loket.core.booking_status import booking_status  # registers the booking codes
from loket.core.errors import InvalidCode
from loket.core.roles import Actor, Role
from loket.core.tickets import flow, issuing, queue

TUESDAY = date(2026, 11, 24)  # the clock fixture stands at Monday 2026-11-23 08:00 in Jakarta
KTP = "pencetakan-ktp-el"  # Petugas Pelayanan -> Operator -> hand-over
NIK = "3273010101900001"


@pytest.fixture
def made(loket):
    with loket.store.transaction() as s:
        write_config(s, BookingConfig(enabled=True, services={KTP: ServiceBooking()}), loket.clock.now(), None)
    return booking.book(loket, KTP, TUESDAY, time(9, 0), NIK, phone="081234567890")


def code_of(loket, made) -> str:
    return booking.booking_view(loket, booking.find_booking(loket, made.code))["status_code"]


def test_the_booking_qr_carries_a_url_safe_signed_code_that_opens_the_booking(loket, made):
    code = code_of(loket, made)
    assert re.fullmatch(r"B1\.[2-9A-HJKMNP-Z]{8}\.[A-Za-z0-9_-]{16}", code) and made.code in code
    found = status.resolve(loket, f"http://192.168.1.10:5000/s/{code}")
    data = found.data
    assert data["kind"] == "booking" and data["number"] == made.code and data["state"] == "booked"
    assert data["service"] == KTP and data["day"] == "2026-11-24" and data["today"] is False
    assert data["booking"]["start"] == "09:00" and data["booking"]["end"] == "09:15"
    assert data["booking"]["check_in"]["opens"] == "08:30" and data["booking"]["check_in"]["closes"] == "09:15"
    assert [r["key"] for r in data["booking"]["requirements"]] and data["steps"] == []
    said = "Check-in di kios pada hari booking, mulai pukul 08:30 sampai 09:15: pindai QR ini."
    assert data["headline"]["id"] == said
    assert data["headline"]["en"].startswith("Check in at the kiosk on the day of your booking, between 08:30")
    assert NIK not in str(data) and "0812" not in str(data)  # no NIK, no phone
    assert found.room == f"booking:{made.id}"
    assert status.resolve(loket, made.qr).data["number"] == made.code  # the older LKB1 payload still opens it


def test_a_kiosk_scanner_reading_the_booking_qr_finds_the_booking(loket, made):
    code = code_of(loket, made)
    for scanned in (f"http://192.168.1.10:5000/s/{code}", f"  https://antrean.example.go.id/s/{code}\n", code):
        assert booking.find_booking(loket, scanned).id == made.id, scanned
    assert booking.find_booking(loket, made.qr).id == made.id  # the older payload
    assert booking.find_booking(loket, made.code.lower()).id == made.id  # typed
    url = f"http://192.168.1.10:5000/s/{code}"
    assert looks_like_booking(url) and looks_like_booking(code) and looks_like_booking(made.qr)  # not a ticket's
    assert not looks_like_booking(made.code) and not looks_like_booking("http://192.168.1.10:5000/s/T1.7.abc")


def test_nothing_but_the_signed_code_opens_the_page(loket, made):
    code = code_of(loket, made)
    foreign = BookingSigner("another-secret", "test-office").short(made.code)
    mac = code.rsplit(".", 1)[1]
    other = booking.book(loket, KTP, TUESDAY, time(10, 0), "3273010101900002")
    for bad in (
        made.code,  # the typed short code: the page's live connection is not rate-limited
        made.code.lower(),
        code[:-1] + ("A" if code[-1] != "A" else "B"),
        code.lower(),
        code + "x",
        foreign,
        f"B1.{other.code}.{mac}",  # another booking under this one's signature
        f"B1.{made.code}",
        made.qr[:-1] + ("A" if made.qr[-1] != "A" else "B"),
    ):
        with pytest.raises(InvalidCode):
            status.resolve(loket, bad)
    for bad in (code[:-1] + ("A" if code[-1] != "A" else "B"), foreign, f"B1.{other.code}.{mac}"):
        with pytest.raises(InvalidCode):
            booking.find_booking(loket, bad)
        with pytest.raises(InvalidCode):
            booking.find_booking(loket, "http://192.168.1.10:5000/s/" + bad)


def test_the_check_in_window_and_the_end_of_a_booking_in_plain_words(loket, made, clock):
    code = code_of(loket, made)
    clock.advance(hours=24, minutes=10)  # Tuesday 08:10: the day, before the window
    data = status.resolve(loket, code).data
    assert data["today"] is True and data["headline"]["id"].startswith("Check-in di kios hari ini mulai pukul 08:30")
    clock.advance(minutes=30)  # 08:40
    assert status.resolve(loket, code).data["headline"]["id"] == (
        "Silakan check-in sekarang di kios, paling lambat pukul 09:15: pindai QR ini."
    )
    clock.advance(minutes=36)  # 09:16: late, not yet released
    assert "sudah lewat (pukul 09:15)" in status.resolve(loket, code).data["headline"]["id"]
    clock.advance(minutes=10)
    booking.release_no_shows(loket)
    data = status.resolve(loket, code).data
    assert data["state"] == "no_show" and data["state_label"]["id"] == "Tidak hadir (slot dilepas)"
    assert data["headline"]["en"].startswith("This booking was released")
    other = booking.book(loket, KTP, date(2026, 11, 25), time(9, 0), "3273010101900002")
    booking.cancel(loket, other.code)
    data = status.resolve(loket, code_of(loket, other)).data
    assert data["state"] == "cancelled" and data["headline"]["id"] == "Booking ini sudah dibatalkan."


def test_once_checked_in_the_page_follows_its_ticket_to_siap_diambil(loket, made, clock):
    code = code_of(loket, made)
    clock.advance(hours=24, minutes=40)  # Tuesday 08:40: in the window
    ticket = issuing.issue(loket, KTP).ticket  # what the kiosk's check-in issues, in its own transaction
    with loket.store.transaction() as s:
        assert booking.mark_checked_in(s, made.id, ticket.id, clock.now())
    found = status.resolve(loket, code)
    assert found.room == f"ticket:{ticket.id}"  # the page's live connection joins the ticket's room now
    assert found.data["kind"] == "ticket" and found.data["number"] == ticket.number
    assert found.data["state"] == "waiting" and found.data["ahead"] == 0
    desk_user = create_user(loket.store, loket.clock, "desk", "Desk", "password123", [Role.PELAYANAN])
    op_user = create_user(loket.store, loket.clock, "op", "Op", "password123", [Role.OPERATOR])
    desk = Actor(desk_user.id, Role.PELAYANAN, create_counter(loket.store, "Loket 1", 1, [Role.PELAYANAN]).id)
    operator = Actor(op_user.id, Role.OPERATOR, create_counter(loket.store, "Ruang Operator", 9, [Role.OPERATOR]).id)
    assert queue.call_next(loket, desk).ticket.id == ticket.id
    flow.start(loket, desk, ticket.id)
    flow.advance(loket, desk, ticket.id)
    flow.start(loket, operator, ticket.id)
    flow.advance(loket, operator, ticket.id)
    data = booking_status(loket, code).data
    assert data["state"] == "ready" and data["pickup"] is not None
    assert [s["status"] for s in data["steps"]] == ["done", "done", "current"]
