"""Webhooks for other systems (issue 14), on SQLite and PostgreSQL, against a real receiver on 127.0.0.1 that
verifies every signature with the Standard Webhooks library: a berkas and a booking deliver their events,
without personal data; the receiver down for a while then up: every event arrives, none twice (webhook-id);
each subscription gets only what it asked for; the residents' channel never takes a webhook delivery."""

from __future__ import annotations

import json
from datetime import time

import pytest
from sqlalchemy import select

from loket.core.booking import operations as booking
from loket.core.outbox import subscriptions as subs
from loket.core.outbox import worker
from loket.core.outbox.channels import Delivery, RecordingChannel, Route, Routes
from loket.core.outbox.webhooks import BOOKING_KEYS, TICKET_KEYS, WebhookSender
from loket.core.roles import Actor, Role
from loket.core.store import OutboxMessage, User
from loket.core.tickets import flow, issuing, queue
from tests.core.test_booking import SERVICE, TUESDAY, configure, nik
from tests.core.test_outbox import KTP, PHONE, POLICY, staff  # noqa: F401  (the fixture)
from tests.outbox.receiver import start_receiver

ALL = [
    "ticket.issued",
    "ticket.called",
    "ticket.step_done",
    "ticket.pending",
    "ticket.ready",
    "ticket.done",
    "booking.made",
    "booking.cancelled",
]
PERSONAL = ("name", "nik", "phone", "code", "address", "email")


@pytest.fixture
def receiver():
    r = start_receiver()
    yield r
    r.close()


def admin_of(loket) -> Actor:
    with loket.store.read() as s:
        return Actor(s.scalar(select(User.id).where(User.username == "admin")), Role.ADMIN)


def subscribe(loket, receiver, events=ALL, name="Mal Pelayanan Publik"):
    made = subs.create_subscription(loket, admin_of(loket), {"name": name, "url": receiver.url, "events": events})
    receiver.secret = made["secret"]
    assert made["secret"].startswith("whsec_")
    return made


PATIENT = worker.OutboxPolicy(retry_base_seconds=10, retry_cap_seconds=60, max_attempts=100, lease_seconds=30)


def deliver_all(loket, rounds: int = 50, policy: worker.OutboxPolicy = PATIENT) -> worker.Round:
    """Rounds of the worker with the webhook channel until nothing is due (bounded)."""
    total = worker.Round()
    sender = Routes({"webhook": Route("webhook", WebhookSender(loket, timeout=5))})
    for _ in range(rounds):
        done = worker.deliver_due(loket, sender, "w1", policy)
        if not done.handled:
            break
        total.sent += done.sent
        total.retried += done.retried
        total.failed += done.failed
    return total


def a_whole_berkas(loket, staff) -> int:  # noqa: F811
    desk, operator, _admin = staff
    t = issuing.issue(loket, KTP, phone=PHONE).ticket.id
    queue.call_next(loket, desk)
    flow.start(loket, desk, t)
    flow.advance(loket, desk, t)  # step done: to the operator
    flow.start(loket, operator, t)
    flow.pend(loket, operator, t, "network_down")
    flow.resume(loket, operator, t)
    flow.start(loket, operator, t)
    flow.advance(loket, operator, t)  # ready for pickup
    queue.call_next(loket, desk)
    flow.start(loket, desk, t)
    flow.advance(loket, desk, t)  # handed over: done
    return t


def test_a_berkas_and_a_booking_deliver_signed_events_without_personal_data(loket, staff, receiver):  # noqa: F811
    subscribe(loket, receiver)
    configure(loket)
    made = booking.book(loket, SERVICE, TUESDAY, time(9, 0), nik(7), phone="0812-3456-7890")
    booking.cancel(loket, made.code)
    t = a_whole_berkas(loket, staff)

    done = deliver_all(loket)

    assert receiver.bad_signatures == 0 and not receiver.duplicates
    got = list(receiver.taken.values())
    assert done.sent == len(got)
    # In order per ticket and per booking (the outbox's ordering key), not across them.
    assert [p["type"] for p in got if p["type"].startswith("booking.")] == ["booking.made", "booking.cancelled"]
    assert [p["type"] for p in got if p["type"].startswith("ticket.")] == [
        "ticket.issued",
        "ticket.called",
        "ticket.step_done",
        "ticket.pending",
        "ticket.ready",
        "ticket.called",
        "ticket.done",
    ]
    for p in got:
        assert set(p) == {"type", "timestamp", "data"}
        allowed = BOOKING_KEYS if p["type"].startswith("booking.") else TICKET_KEYS
        assert set(p["data"]) <= allowed, p
        text = json.dumps(p)
        assert nik(7) not in text and "3456" not in text and PHONE not in text and made.code not in text
        assert not any(key in p["data"] for key in PERSONAL)
    ticket_events = [p["data"] for p in got if p["type"].startswith("ticket.")]
    assert {d["ticket_id"] for d in ticket_events} == {t} and {d["number"] for d in ticket_events} == {"B-001"}
    assert ticket_events[1]["station"] == "Loket 3" and ticket_events[3]["reason"] == "network_down"
    made_event = next(p for p in got if p["type"] == "booking.made")
    assert made_event["data"]["booking_id"] == made.id and made_event["data"]["service_code"] == SERVICE


def test_the_receiver_down_for_a_while_then_up_gets_every_event_once(loket, staff, clock, receiver):  # noqa: F811
    subscribe(loket, receiver)
    desk = staff[0]
    for n in range(6):  # six residents issued, the first called: seven events
        issuing.issue(loket, KTP)
        if n == 0:
            queue.call_next(loket, desk)
    with loket.store.read() as s:
        keys = set(s.scalars(select(OutboxMessage.idempotency_key).where(OutboxMessage.channel == "webhook")))
    assert len(keys) == 7

    receiver.down = True
    for _ in range(4):  # four rounds of failures, the clock past each backoff
        done = deliver_all(loket, rounds=1)
        assert done.sent == 0 and done.retried > 0
        clock.advance(seconds=PATIENT.retry_cap_seconds)
    receiver.down = False
    for _ in range(20):
        deliver_all(loket)
        if set(receiver.taken) == keys:
            break
        clock.advance(seconds=PATIENT.retry_cap_seconds)

    assert set(receiver.taken) == keys and not receiver.duplicates and receiver.bad_signatures == 0
    refused = {wid for wid, answer in receiver.tries if answer == 503}
    assert refused and refused <= keys  # the same webhook-id on the failed tries as on the one taken
    with loket.store.read() as s:
        states = set(s.scalars(select(OutboxMessage.state).where(OutboxMessage.channel == "webhook")))
    assert states == {"sent"}


def test_each_subscription_gets_only_its_events_and_a_switched_off_one_none(loket, staff, receiver):  # noqa: F811
    other = start_receiver()
    try:
        subscribe(loket, receiver, events=["ticket.called"])
        off = subs.create_subscription(
            loket, admin_of(loket), {"name": "Dashboard", "url": other.url, "events": ALL, "active": False}
        )
        other.secret = off["secret"]
        issuing.issue(loket, KTP)
        queue.call_next(loket, staff[0])
        deliver_all(loket)
        assert [p["type"] for p in receiver.taken.values()] == ["ticket.called"]
        assert other.tries == []
    finally:
        other.close()


def test_the_residents_channel_never_takes_a_webhook_delivery(loket, staff, receiver):  # noqa: F811
    subscribe(loket, receiver)
    issuing.issue(loket, KTP, phone=PHONE)
    queue.call_next(loket, staff[0])
    phone = RecordingChannel()
    worker.deliver_due(loket, phone, "w-phone", POLICY)
    assert [m.moment for m in phone.sent] == ["called"]  # the resident's message only
    deliver_all(loket)
    assert [p["type"] for p in receiver.taken.values()] == ["ticket.issued", "ticket.called"]


def test_a_rotated_secret_signs_the_next_try_and_a_retry_keeps_the_webhook_id(loket, staff, receiver):  # noqa: F811
    sub = subscribe(loket, receiver)
    issuing.issue(loket, KTP)
    receiver.down = True
    bad = worker.OutboxPolicy(max_attempts=1)
    worker.deliver_due(loket, Routes({"webhook": Route("webhook", WebhookSender(loket))}), "w1", bad)
    (failed,) = subs.recent_deliveries(loket)
    assert failed["state"] == "failed" and failed["last_status"] == 503 and "503" in failed["last_error"]

    receiver.secret = subs.rotate_secret(loket, admin_of(loket), sub["id"])["secret"]
    receiver.down = False
    again = subs.retry_delivery(loket, failed["id"])
    assert again["state"] == "pending" and again["attempts"] == 0
    deliver_all(loket)
    assert list(receiver.taken) == [failed["webhook_id"]] and receiver.bad_signatures == 0
    (sent,) = subs.recent_deliveries(loket)
    assert sent["state"] == "sent" and sent["last_status"] == 200


def test_a_worker_dead_after_sending_means_a_repeat_with_the_same_webhook_id(loket, staff, clock, receiver):  # noqa: F811
    subscribe(loket, receiver, events=["ticket.issued"])
    issuing.issue(loket, KTP)
    sender = WebhookSender(loket, timeout=5)
    (taken,) = worker.claim(loket, "dies", PATIENT, routes=Routes({"webhook": Route("webhook", sender)}))
    assert sender.send(taken).ok  # the receiver took it; the worker dies before recording so
    clock.advance(seconds=PATIENT.lease_seconds + 1)
    deliver_all(loket)  # another worker takes it over after the lease
    assert worker.finish(loket, "dies", taken, Delivery(True), PATIENT) == ("", [])  # too late: not counted
    assert list(receiver.taken) == [taken.key] and receiver.duplicates == [taken.key]
    (row,) = subs.recent_deliveries(loket)
    assert row["state"] == "sent" and row["attempts"] == 2
