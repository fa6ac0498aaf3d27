"""Delivering the outbox: claim due messages, send them, mark them sent or try again later.

- Claim: in one short transaction, the due messages (pending and due, or "sending" whose claim's lease ran
  out: its worker crashed) whose resident has no earlier message still open are marked "sending" with this
  worker's name and a lease. PostgreSQL skips rows another worker is claiming (`FOR UPDATE SKIP LOCKED`);
  SQLite has one writer at a time (BEGIN IMMEDIATE), and the UPDATE repeats the condition anyway.
- Send: outside any transaction (a slow gateway never holds the database), with the message's idempotency key.
- Finish: sent; or back to pending with exponential backoff and jitter; after `max_attempts` (or an answer
  that no retry can change) failed, with a staff alert.
- Order per resident: a message is never claimed while an earlier one of its resident is pending or sending,
  so a resident never gets "ready" before "pending", even across workers, retries and crashes.
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import ColumnElement, and_, exists, or_, select, update
from sqlalchemy.orm import aliased

from loket.core.context import Context
from loket.core.events import Event
from loket.core.store import EventRecord, OutboxMessage, Ticket

from .channels import Channel, Delivery, OutgoingMessage
from .moments import FAILED, OPEN_STATES, PENDING, SENDING, SENT
from .webhooks import WEBHOOK

M = OutboxMessage


@dataclass(frozen=True)
class OutboxPolicy:
    """How the worker tries: set by configuration (LOKET_OUTBOX_*)."""

    retry_base_seconds: float = 5.0
    retry_cap_seconds: float = 900.0
    max_attempts: int = 8
    #: A claimed message not finished in this time is taken again by another worker (its worker died).
    lease_seconds: float = 120.0
    batch: int = 20


@dataclass
class Round:
    """What one round of delivery did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    events: list[Event] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed


def backoff_seconds(attempts: int, policy: OutboxPolicy, rng: random.Random | None = None) -> float:
    """The wait after the n-th failed try: doubling from the base up to the cap, half of it random (jitter)."""
    delay = min(policy.retry_cap_seconds, policy.retry_base_seconds * 2 ** max(0, attempts - 1))
    return delay / 2 + (rng or random).random() * delay / 2


def _due(now):  # type: ignore[no-untyped-def]
    return or_(
        and_(M.state == PENDING, M.next_attempt_at <= now),
        and_(M.state == SENDING, M.claimed_until < now),
    )


def claim(
    loket: Context, worker: str, policy: OutboxPolicy, limit: int | None = None, channels: Collection[str] | None = None
) -> list[OutgoingMessage]:
    """Mark up to `limit` due messages "sending" for this worker and return them (at most one per resident);
    only rows of `channels` (the kinds this worker can send, outbox/webhooks.Routed) when given, else every
    message to a resident."""
    now = loket.clock.now()
    earlier = aliased(M)
    blocked = exists().where(earlier.ordering_key == M.ordering_key, earlier.id < M.id, earlier.state.in_(OPEN_STATES))
    # A kind with no channel here waits in the outbox; a plain channel sends residents' messages, no webhook.
    other: ColumnElement[bool] = M.channel.not_in(list(channels)) if channels is not None else M.channel == WEBHOOK
    held = blocked | other
    query = select(M.id, M.ordering_key).where(_due(now), ~held).order_by(M.id).limit(limit or policy.batch)
    if loket.store.is_postgres:
        query = query.with_for_update(skip_locked=True, of=M)
    with loket.store.read() as s:  # nothing due (the usual case): no write transaction (SQLite's lock) at all
        if s.scalar(select(M.id).where(_due(now), ~held).limit(1)) is None:
            return []
    claimed: list[OutgoingMessage] = []
    with loket.store.transaction() as s:
        seen: set[str] = set()
        for message_id, ordering_key in s.execute(query).all():
            if ordering_key in seen:  # two of one resident due at once: the later one waits for the earlier
                continue
            seen.add(ordering_key)
            done = s.execute(
                update(M)
                .where(M.id == message_id, _due(now))
                .values(
                    state=SENDING,
                    claimed_by=worker,
                    claimed_until=now + timedelta(seconds=policy.lease_seconds),
                    attempts=M.attempts + 1,
                    updated_at=now,
                )
                .returning(M.id, M.idempotency_key, M.address, M.text_id, M.text_en, M.moment, M.channel)
            ).one_or_none()
            # purged meanwhile: nobody left to send it to (a webhook delivery has no address: its subscription)
            if done is not None and not done.address and done.channel != WEBHOOK:
                s.execute(
                    update(M).where(M.id == done.id).values(state=FAILED, last_error="no address", claimed_by=None)
                )
            elif done is not None:
                claimed.append(
                    OutgoingMessage(
                        done.id,
                        done.idempotency_key,
                        done.address or "",
                        done.text_id,
                        done.text_en,
                        done.moment,
                        done.channel,
                    )
                )
    return claimed


def finish(
    loket: Context,
    worker: str,
    message: OutgoingMessage,
    delivery: Delivery,
    policy: OutboxPolicy,
    rng: random.Random | None = None,
) -> tuple[str, list[Event]]:
    """Record a try's outcome (only while this worker still holds the claim); returns the new state and any alert."""
    now = loket.clock.now()
    mine = and_(M.id == message.id, M.state == SENDING, M.claimed_by == worker)
    with loket.store.transaction() as s:
        row = s.execute(select(M.attempts, M.ticket_id).where(mine)).one_or_none()
        if row is None:  # the lease ran out and another worker took it: its outcome counts
            return "", []
        attempts, ticket_id = row
        common = {"claimed_by": None, "claimed_until": None, "updated_at": now}
        if delivery.ok:
            s.execute(update(M).where(mine).values(state=SENT, sent_at=now, last_error=None, **common))
            return SENT, []
        if delivery.retry and attempts < policy.max_attempts:
            wait = timedelta(seconds=backoff_seconds(attempts, policy, rng))
            s.execute(
                update(M)
                .where(mine)
                .values(state=PENDING, next_attempt_at=now + wait, last_error=delivery.detail, **common)
            )
            return PENDING, []
        s.execute(update(M).where(mine).values(state=FAILED, last_error=delivery.detail, **common))
        if message.channel == WEBHOOK:  # another system's failure: the admin's list of deliveries shows it
            return FAILED, []
        number = s.scalar(select(Ticket.number).where(Ticket.id == ticket_id)) if ticket_id else None
        # The staff's alert list (counter desk): the channel failed; no number or text of the resident in it.
        payload = {
            "reason": "message_failed",
            "number": number,
            "moment": message.moment,
            "detail": _redacted(delivery.detail)[:200],
        }
        s.add(EventRecord(at=now, kind="kiosk.alert", ticket_id=ticket_id, payload=payload))
        return FAILED, [Event("kiosk.alert", dict(payload, at=now.isoformat()), ticket_id)]


#: A gateway's error text may echo the resident's number: 8 or more digits (spaces, dashes, a +) are hidden.
_DIGITS = re.compile(r"\+?\d[\d\s().-]{6,}\d")


def _redacted(text: str) -> str:
    """The gateway's error as staff see it in an alert: without a phone number it may have repeated."""
    return _DIGITS.sub("[nomor]", text)


def deliver_due(
    loket: Context, channel: Channel, worker: str, policy: OutboxPolicy, rng: random.Random | None = None
) -> Round:
    """One round: claim a batch, send each, record each outcome (a `Routed` channel: only the kinds it sends)."""
    result = Round()
    for message in claim(loket, worker, policy, channels=getattr(channel, "names", None)):
        try:
            delivery = channel.send(message)
        except Exception as exc:  # a channel's bug must not stop the worker: the message is tried again
            delivery = Delivery(False, True, f"{type(exc).__name__}: {exc}"[:500])
        state, events = finish(loket, worker, message, delivery, policy, rng)
        result.sent += state == SENT
        result.retried += state == PENDING
        result.failed += state == FAILED
        result.events += events
    return result


def run(
    loket: Context,
    channel: Channel,
    worker: str,
    policy: OutboxPolicy,
    stop: threading.Event,
    poll_seconds: float = 2.0,
    publish: Callable[[list[Event]], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
) -> None:
    """Deliver until `stop` is set: round after round while there is work, else a pause of `poll_seconds`."""
    while not stop.is_set():
        try:
            done = deliver_due(loket, channel, worker, policy)
        except Exception as exc:  # the database away for a moment: try again after the pause
            if on_error is not None:
                on_error(exc)
            stop.wait(poll_seconds)
            continue
        if done.events and publish is not None:
            publish(done.events)
        if not done.handled:
            stop.wait(poll_seconds)
