"""Messages to residents (issue 14): the number's one stored form, each moment (written in its event's
transaction, never twice), the admin's texts and switches, and the purge of the contact."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select

from loket.core import admin as ops
from loket.core import contact
from loket.core.accounts import create_counter, create_user
from loket.core.booking import operations as booking
from loket.core.checkin import check_in
from loket.core.errors import InvalidInput, NotAllowed
from loket.core.roles import Actor, Role
from loket.core.settings import office_settings
from loket.core.store import Booking, OutboxMessage, Ticket
from loket.core.tickets import contacts, flow, issuing, queue
from tests.core.test_booking import configure, nik

KTP = "pencetakan-ktp-el"  # front desk -> operator -> hand-over at the front desk
PHONE = "081234567890"


@pytest.fixture
def staff(loket):
    desk_user = create_user(loket.store, loket.clock, "desk", "Desk", "password123", [Role.PELAYANAN])
    op_user = create_user(loket.store, loket.clock, "op", "Operator", "password123", [Role.OPERATOR])
    admin = create_user(loket.store, loket.clock, "admin", "Admin", "password123", [Role.ADMIN])
    desk = create_counter(loket.store, "Loket 3", 3, [Role.PELAYANAN])
    back = create_counter(loket.store, "Ruang Operator", 9, [Role.OPERATOR])
    loket.public_base = lambda: "http://antrean.example"
    return (
        Actor(desk_user.id, Role.PELAYANAN, desk.id),
        Actor(op_user.id, Role.OPERATOR, back.id),
        Actor(admin.id, Role.ADMIN),
    )


def messages(loket, moment: str | None = None) -> list[OutboxMessage]:
    with loket.store.read() as s:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if moment:
            query = query.where(OutboxMessage.moment == moment)
        return list(s.scalars(query))


# ---- the number ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "081234567890",
        "0812-3456-7890",
        "0812 3456 7890",
        "+6281234567890",
        "+62 812 3456 7890",
        "6281234567890",
        "81234567890",
        "(0812) 3456.7890",
    ],
)
def test_every_way_of_writing_a_mobile_number_is_stored_one_way(typed):
    assert contact.normal_phone(typed) == PHONE


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("0812345", "terlalu pendek"),
        ("08123456789012", "terlalu panjang"),
        ("0221234567", "diawali 08"),  # a Bandung landline: no WhatsApp, no SMS
        ("+6512345678", "Indonesia"),  # Singapore
        ("0812abc4567", "hanya berisi angka"),
        ("0801234567", "081 sampai 089"),
    ],
)
def test_an_impossible_number_is_refused_in_plain_words(typed, says):
    with pytest.raises(contact.BadContact) as refused:
        contact.normal_phone(typed)
    assert says in refused.value.message


def test_blank_is_no_number_and_staff_see_it_masked():
    assert contact.normal_phone("  ") is None and contact.normal_phone(None) is None
    assert contact.mask_phone("081234567890") == "0812*****890"
    assert contact.mask_phone("08123456789") == "0812****789"
    assert contact.international(PHONE) == "+6281234567890"
    assert contact.hide_numbers("gateway: 6281234567890 refused") == "gateway: 6281******890 refused"


def test_an_email_address_is_checked_and_kept_with_its_domain_in_lower_case():
    assert contact.normal_email(" Warga@Contoh.ID ") == "Warga@contoh.id"
    with pytest.raises(contact.BadContact):
        contact.normal_email("warga@")


# ---- the moments -----------------------------------------------------------------------


def test_returned_for_documents_says_which_documents_are_missing(loket, staff):
    desk, *_ = staff
    t = issuing.issue(loket, KTP, phone="+62 812 3456 7890").ticket.id
    queue.call_next(loket, desk)
    flow.start(loket, desk, t)
    flow.return_for_documents(loket, desk, t, ["fotokopi-kk"])
    called, returned = messages(loket)
    assert (called.moment, returned.moment) == ("called", "returned")
    assert "Fotokopi Kartu Keluarga (KK)" in returned.text_id and "Photocopy of the family card" in returned.text_en
    assert returned.address == PHONE and returned.channel == "phone"
    assert "http://antrean.example/s/" in returned.text_id


def test_n_people_ahead_is_sent_once_when_the_queue_first_falls_to_n(loket, staff):
    desk, _op, admin = staff
    ops.update_settings(loket, admin, {"messages": {"ahead_n": 2}})
    ids = [issuing.issue(loket, KTP).ticket.id for _ in range(3)]
    mine = issuing.issue(loket, KTP, phone=PHONE).ticket.id  # 3 ahead
    queue.call_next(loket, desk)  # 2 ahead now: the message
    (ahead,) = messages(loket, "ahead")
    assert ahead.ticket_id == mine and "tinggal 2 orang lagi" in ahead.text_id
    assert "2 to go before your turn" in ahead.text_en
    flow.start(loket, desk, ids[0])
    flow.advance(loket, desk, ids[0])
    queue.call_next(loket, desk)  # 1 ahead: no second message
    assert len(messages(loket, "ahead")) == 1
    assert [m.moment for m in messages(loket)] == ["ahead"]  # nobody else left a number


def test_a_moment_switched_off_sends_nothing_and_an_edited_text_is_used(loket, staff):
    desk, _op, admin = staff
    ops.update_settings(
        loket,
        admin,
        {
            "messages": {
                "moments": {
                    "called": {"id": "{number} ke {counter}", "en": "{number} to {counter}"},
                    "ahead": {"enabled": False},
                }
            }
        },
    )
    issuing.issue(loket, KTP)
    issuing.issue(loket, KTP, phone=PHONE)
    queue.call_next(loket, desk)
    assert messages(loket) == []  # "N orang lagi" is off
    queue.call_next(loket, desk)
    (called,) = messages(loket)
    assert (called.text_id, called.text_en) == ("B-002 ke Loket 3", "B-002 to Loket 3")


def test_an_unknown_placeholder_is_refused_with_the_ones_allowed(loket, staff):
    admin = staff[2]
    with pytest.raises(InvalidInput) as refused:  # the settings' own validation, as the admin page shows it
        ops.update_settings(loket, admin, {"messages": {"moments": {"ready": {"id": "Ambil {nama} di {hours}"}}}})
    said = " ".join(str(p["message"]) for p in refused.value.problems)
    assert "Placeholder tidak dikenal: {nama}" in said and "{hours}" in said
    with pytest.raises(ValueError, match="tidak berpasangan"):
        contact.preview("ready", {"id": "Ambil {hours", "en": "x"})
    shown = contact.preview("called", {"id": "{number} ke {counter}", "en": "{number} to {counter}"})
    assert shown == {"id": "B-012 ke Loket 3", "en": "B-012 to Loket 3"}
    assert office_settings(loket.store).messages.moments == {}  # nothing stored from the refused edit


def test_booking_confirmed_goes_to_the_phone_and_the_email_with_the_bookings_status_link(loket, staff):
    configure(loket)
    made = booking.book(
        loket, "penerbitan-kia", date(2026, 11, 24), time(8, 30), nik(1), phone="6281234567890", email="w@contoh.id"
    )
    by_phone, by_mail = messages(loket)
    assert [(m.moment, m.channel, m.address) for m in (by_phone, by_mail)] == [
        ("booked", "phone", PHONE),
        ("booked", "email", "w@contoh.id"),
    ]
    link = "http://antrean.example/s/" + booking.signer(loket).short(made.code)
    assert link in by_phone.text_id and made.code in by_phone.text_id and "Selasa, 24-11-2026" in by_phone.text_id
    assert "08:30" in by_phone.text_en and "Tuesday" in by_phone.text_en
    assert nik(1) not in by_phone.text_id + by_phone.text_en
    booking.book(loket, "penerbitan-kia", date(2026, 11, 24), time(9, 0), nik(2))
    assert len(messages(loket)) == 2  # no contact, no message


def test_the_reminder_the_day_before_is_written_once_per_booking(loket, staff):
    configure(loket, opens_days_before=3)
    kept = booking.book(loket, "penerbitan-kia", date(2026, 11, 24), time(9, 0), nik(1), phone=PHONE)
    gone = booking.book(loket, "penerbitan-kia", date(2026, 11, 24), time(9, 30), nik(2), phone="089912345678")
    booking.book(loket, "penerbitan-kia", date(2026, 11, 25), time(9, 0), nik(3), phone="089912345679")
    booking.cancel(loket, gone.code)
    assert booking.send_reminders(loket) == 1
    assert booking.send_reminders(loket) == 0  # the worker's next tick, or the CLI run again
    (reminder,) = messages(loket, "reminder")
    assert reminder.booking_id == kept.id and "besok Selasa, 24-11-2026 pukul 09:00" in reminder.text_id


def test_the_email_given_at_booking_reaches_the_ticket_and_is_purged_with_the_rest(loket, staff, clock):
    desk, _op, admin = staff
    configure(loket, check_in_late_minutes=15)
    made = booking.book(loket, "penerbitan-kia", date(2026, 11, 23), time(8, 30), nik(1), email="w@contoh.id")
    clock.advance(minutes=35)
    ticket = check_in(loket, made.code).outcome.ticket
    queue.call_next(loket, desk)
    called = messages(loket, "called")[0]
    assert (called.channel, called.address, called.ticket_id) == ("email", "w@contoh.id", ticket.id)
    flow.cancel(loket, admin, ticket.id, "resident withdrew")
    clock.advance(days=40)
    ops.purge_personal_data(loket, admin, default_days=30)
    assert [m.address for m in messages(loket)] == [None, None]
    with loket.store.read() as s:
        assert s.get(Ticket, ticket.id).email is None
        assert s.get(Booking, made.id).email is None


def test_only_the_front_desk_changes_the_number_and_other_roles_see_it_masked(loket, staff):
    desk, operator, _admin = staff
    t = issuing.issue(loket, KTP).ticket.id
    flow.set_phone(loket, desk, t, "+62 812-3456-7890")
    with loket.store.read() as s:
        assert s.get(Ticket, t).phone == PHONE
    with pytest.raises(NotAllowed):
        flow.set_phone(loket, operator, t, "089912345678")
    with pytest.raises(InvalidInput):
        flow.set_phone(loket, desk, t, "0221234567")
    assert contacts.contact_for(loket, desk, t)["phone"] == PHONE
    assert contacts.contact_for(loket, operator, t)["phone"] == "0812*****890"
    flow.set_phone(loket, desk, t, None)
    assert contacts.contact_for(loket, desk, t)["phone"] is None


def test_n_people_ahead_never_says_none_are_left(loket, staff):
    """N=1, and the resident joined with one person ahead (already within N: no message at issue). That person is
    called: the resident is next, and hears the call itself, never "tinggal 0 orang lagi"."""
    desk, _op, admin = staff
    ops.update_settings(loket, admin, {"messages": {"ahead_n": 1}})
    issuing.issue(loket, KTP)
    issuing.issue(loket, KTP, phone=PHONE)  # 1 ahead
    queue.call_next(loket, desk)  # 0 ahead now
    assert messages(loket, "ahead") == []
    queue.call_next(loket, desk)  # their call
    assert [m.moment for m in messages(loket)] == ["called"]
