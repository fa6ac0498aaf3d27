"""Messages to residents, on SQLite and PostgreSQL: written with their event, delivered in order, tried again
with backoff, given up with a staff alert, taken over after a crashed worker's lease, purged with the rest."""

from __future__ import annotations

import random
import threading
from datetime import date, time

import pytest
from sqlalchemy import func, select

from loket.core import admin as ops
from loket.core.accounts import create_counter, create_user
from loket.core.booking import operations as booking
from loket.core.checkin import check_in
from loket.core.errors import InvalidInput
from loket.core.outbox import worker
from loket.core.outbox.channels import Delivery, RecordingChannel
from loket.core.roles import Actor, Role
from loket.core.store import EventRecord, OutboxMessage, Ticket
from loket.core.tickets import flow, issuing, queue
from loket.core.tickets.records import record_event
from tests.core.test_booking import configure, nik

KTP = "pencetakan-ktp-el"  # front desk -> operator -> hand-over at the front desk
PHONE = "081234567890"
OTHER = "089912345678"
POLICY = worker.OutboxPolicy(retry_base_seconds=10, retry_cap_seconds=60, max_attempts=3, lease_seconds=30)
PICKUP = {"mon": {"open": "13:00", "close": "15:00"}, "tue": {"open": "13:00", "close": "15:00"}}


@pytest.fixture
def staff(loket):
    desk_user = create_user(loket.store, loket.clock, "desk", "Desk", "password123", [Role.PELAYANAN])
    op_user = create_user(loket.store, loket.clock, "op", "Operator", "password123", [Role.OPERATOR])
    admin = create_user(loket.store, loket.clock, "admin", "Admin", "password123", [Role.ADMIN])
    desk = create_counter(loket.store, "Loket 3", 3, [Role.PELAYANAN])
    back = create_counter(loket.store, "Ruang Operator", 9, [Role.OPERATOR])
    loket.public_base = lambda: "http://antrean.example"
    # These tests follow the worker through the moments of one berkas; "N orang lagi" has its own tests
    # (tests/core/test_resident_messages.py).
    ops.update_settings(loket, Actor(admin.id, Role.ADMIN), {"messages": {"moments": {"ahead": {"enabled": False}}}})
    return (
        Actor(desk_user.id, Role.PELAYANAN, desk.id),
        Actor(op_user.id, Role.OPERATOR, back.id),
        Actor(admin.id, Role.ADMIN),
    )


def messages(loket) -> list[OutboxMessage]:
    with loket.store.read() as s:
        return list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def through_the_berkas(loket, staff, phone: str | None = PHONE) -> int:
    """Called, pending at the operator, resumed, ready for pickup: the three moments of this step."""
    desk, operator, _admin = staff
    t = issuing.issue(loket, KTP, phone=phone).ticket.id
    queue.call_next(loket, desk)
    queue.recall(loket, desk, t)  # a second call of the same number is no second message
    flow.start(loket, desk, t)
    flow.advance(loket, desk, t)
    flow.start(loket, operator, t)
    flow.pend(loket, operator, t, "data_problem")
    flow.resume(loket, operator, t)
    flow.start(loket, operator, t)
    flow.advance(loket, operator, t)  # to the hand-over: ready for pickup
    return t


def test_each_moment_of_a_berkas_writes_one_message_with_the_status_link(loket, staff):
    ops.update_settings(loket, staff[2], {"pickup_hours": PICKUP})
    t = through_the_berkas(loket, staff)
    called, pending, ready = messages(loket)
    assert [m.moment for m in (called, pending, ready)] == ["called", "pending", "ready"]
    assert {m.address for m in (called, pending, ready)} == {PHONE}
    assert all(m.state == "pending" and m.ordering_key == f"ticket:{t}" for m in (called, pending, ready))
    assert "silakan menuju Loket 3" in called.text_id and "please go to Loket 3" in called.text_en
    assert "Data bermasalah" in pending.text_id and "akta, buku nikah" in pending.text_id
    assert "Senin-Selasa 13:00-15:00" in ready.text_id and "Monday-Tuesday 13:00-15:00" in ready.text_en
    link = f"http://antrean.example/s/{loket.signer.short(t, loket.clock.today(), 'B-001')}"
    assert all(link in m.text_id and link in m.text_en for m in (called, pending, ready))
    assert len({m.idempotency_key for m in (called, pending, ready)}) == 3
    # no personal data in the event log: the number stays on the ticket and the message
    with loket.store.read() as s:
        assert not any(PHONE in str(e.payload) for e in s.scalars(select(EventRecord)))


def test_no_number_no_message_and_the_front_desk_can_add_one(loket, staff):
    desk, *_ = staff
    through_the_berkas(loket, staff, phone=None)
    assert messages(loket) == []
    t = issuing.issue(loket, KTP).ticket.id
    with pytest.raises(InvalidInput):
        flow.set_phone(loket, desk, t, "12ab")
    queue.call_next(loket, desk)
    flow.set_phone(loket, desk, t, "0812-3456-7890")
    flow.start(loket, desk, t)
    flow.advance(loket, desk, t)
    assert messages(loket) == []  # on to the operator: no moment for the resident
    with loket.store.read() as s:
        assert s.get(Ticket, t).phone == PHONE


def test_a_message_is_written_in_its_events_transaction_or_not_at_all(loket, staff):
    issuing.issue(loket, KTP, phone=PHONE)
    with pytest.raises(RuntimeError), loket.store.transaction() as s:
        ticket = s.scalars(select(Ticket)).one()
        record_event(loket, s, "ticket.pended", ticket, None, None, reason="other")
        assert s.scalar(select(func.count()).select_from(OutboxMessage)) == 1
        raise RuntimeError("the operation fails after its event")
    assert messages(loket) == []


def test_the_worker_sends_each_message_once_in_order(loket, staff):
    through_the_berkas(loket, staff)
    gateway = RecordingChannel()
    rounds = [worker.deliver_due(loket, gateway, "w1", POLICY) for _ in range(4)]
    assert [r.sent for r in rounds] == [1, 1, 1, 0]  # one per round: each waits for the one before it
    assert [m.moment for m in gateway.sent] == ["called", "pending", "ready"]
    assert [m.key for m in gateway.sent] == [m.idempotency_key for m in messages(loket)]
    assert all(m.state == "sent" and m.attempts == 1 and m.sent_at for m in messages(loket))


def test_a_failed_try_waits_with_backoff_and_holds_back_the_residents_later_messages(loket, staff, clock):
    desk = staff[0]
    first_resident = issuing.issue(loket, KTP, phone=PHONE).ticket.id
    issuing.issue(loket, KTP, phone=OTHER)
    queue.call_next(loket, desk)
    flow.start(loket, desk, first_resident)
    flow.pend(loket, desk, first_resident, "network_down")
    queue.call_next(loket, desk)  # the other resident
    down = RecordingChannel(lambda m: Delivery(False, True, "HTTP 503"))
    first = worker.deliver_due(loket, down, "w1", POLICY, random.Random(1))
    assert (first.sent, first.retried) == (0, 2)
    called = messages(loket)[0]
    assert called.state == "pending" and called.attempts == 1 and called.last_error == "HTTP 503"
    wait = (called.next_attempt_at - clock.now()).total_seconds()
    assert 5 <= wait <= 10  # base 10 s, half of it jitter
    assert worker.deliver_due(loket, down, "w1", POLICY).handled == 0  # not due yet; the later ones wait too
    clock.advance(seconds=10)
    up = RecordingChannel()
    worker.deliver_due(loket, up, "w1", POLICY)
    assert [m.moment for m in up.sent] == ["called", "called"]  # both residents' first message, not yet "pending"
    assert {m.to for m in up.sent} == {PHONE, OTHER}


def test_a_message_is_given_up_after_its_attempts_with_a_staff_alert(loket, staff, clock):
    through_the_berkas(loket, staff)
    # The gateway's error echoes the number (some do): the staff's alert must not.
    down = RecordingChannel(lambda m: Delivery(False, True, f"HTTP 503: cannot reach {m.to}"))
    for _ in range(POLICY.max_attempts):
        worker.deliver_due(loket, down, "w1", POLICY)
        clock.advance(seconds=POLICY.retry_cap_seconds)
    called, pending, _ready = messages(loket)
    assert called.state == "failed" and called.attempts == POLICY.max_attempts
    assert pending.state == "pending"  # a given-up message no longer holds back the next one
    with loket.store.read() as s:
        alerts = s.scalars(select(EventRecord).where(EventRecord.kind == "kiosk.alert")).all()
    # the channel's own alert (down: a channel-wide 503) once, and the given-up message's
    assert sorted(a.payload["reason"] for a in alerts) == ["channel_down", "message_failed"]
    [alert] = [a for a in alerts if a.payload["reason"] == "message_failed"]
    assert alert.payload["number"] == "B-001"
    assert PHONE not in str(alert.payload)
    refused = RecordingChannel(lambda m: Delivery(False, False, "HTTP 400"))
    worker.deliver_due(loket, refused, "w1", POLICY)
    assert messages(loket)[1].state == "failed"  # an answer no retry can change: given up at once


def test_a_crashed_workers_message_is_taken_over_after_its_lease(loket, staff, clock):
    through_the_berkas(loket, staff)
    taken = worker.claim(loket, "crashed", POLICY)  # claimed, then the process died before it finished
    assert [m.moment for m in taken] == ["called"]
    gateway = RecordingChannel()
    assert worker.deliver_due(loket, gateway, "w2", POLICY).handled == 0  # its lease still runs
    clock.advance(seconds=POLICY.lease_seconds + 1)
    worker.deliver_due(loket, gateway, "w2", POLICY)
    assert [m.key for m in gateway.sent] == [taken[0].key]  # the same key: the gateway can tell it is a retry
    assert worker.finish(loket, "crashed", taken[0], Delivery(True), POLICY) == ("", [])  # too late to count
    called = messages(loket)[0]
    assert called.state == "sent" and called.attempts == 2


def test_the_purge_blanks_the_residents_number_on_the_ticket_and_its_messages(loket, staff, clock):
    t = through_the_berkas(loket, staff)
    worker.deliver_due(loket, RecordingChannel(), "w1", POLICY)
    flow.cancel(loket, staff[2], t, "resident withdrew")
    clock.advance(days=40)
    ops.purge_personal_data(loket, staff[2], default_days=30)
    assert [(m.address, m.state) for m in messages(loket)] == [(None, "sent"), (None, "failed"), (None, "failed")]
    with loket.store.read() as s:
        assert s.get(Ticket, t).phone is None


def test_the_number_given_at_booking_reaches_its_tickets_messages(loket, staff, clock):
    configure(loket, check_in_late_minutes=15)
    made = booking.book(loket, "penerbitan-kia", date(2026, 11, 23), time(8, 30), nik(1), phone="0812 3456 7890")
    clock.advance(minutes=35)
    ticket = check_in(loket, made.code).outcome.ticket
    queue.call_next(loket, staff[0])
    booked, called = messages(loket)  # "booking berhasil" when it was made, then the ticket's call
    assert booked.moment == "booked" and booked.booking_id == made.id and booked.ticket_id is None
    assert called.address == PHONE and called.ticket_id == ticket.id and called.moment == "called"


def test_workers_side_by_side_never_send_one_message_twice(loket, staff):
    desk = staff[0]
    for n in range(12):  # twelve residents, each called and then pending: 24 messages
        t = issuing.issue(loket, KTP, phone=f"08120000{n:04d}").ticket.id
        queue.call_next(loket, desk)
        flow.start(loket, desk, t)
        flow.pend(loket, desk, t, "other")
    gateway = RecordingChannel()
    small = worker.OutboxPolicy(batch=3)

    def work(name: str) -> None:
        for _ in range(40):  # bounded: 24 messages need far fewer rounds
            worker.deliver_due(loket, gateway, name, small)

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    keys = [m.key for m in gateway.sent]
    assert len(keys) == len(set(keys)) == 24
    assert all(m.state == "sent" and m.attempts == 1 for m in messages(loket))
    for phone in {m.to for m in gateway.sent}:
        assert [m.moment for m in gateway.sent if m.to == phone] == ["called", "pending"]


def test_a_message_whose_number_is_gone_is_given_up_not_sent(loket, staff):
    through_the_berkas(loket, staff)
    with loket.store.transaction() as s:
        s.execute(OutboxMessage.__table__.update().values(address=None))
    gateway = RecordingChannel()
    worker.deliver_due(loket, gateway, "w1", POLICY)
    assert gateway.sent == [] and messages(loket)[0].state == "failed"
