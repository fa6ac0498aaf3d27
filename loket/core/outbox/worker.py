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
- Routes: with `Routes` only rows of a kind some channel takes are claimed ("phone", "email"); the others
  wait in the outbox (shown on the admin page) until a channel for them is configured. Each claim is counted
  against its channel's daily cap in the claim's transaction (`limits.reserve`); a channel over its cap is
  not claimed from until the next day or a higher cap. Each outcome updates the channel's health, and the
  first failure after a success raises a staff alert (`limits.record_outcome`).
- Webhooks: each try's outcome updates its subscription's health; failing tries in a row (or a delivery kept
  waiting too long) raise one staff alert for the admin, and the next success clears it
  (`webhooks.record_outcome`).
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import aliased

from loket.core.context import Context
from loket.core.events import Event
from loket.core.store import EventRecord, OutboxMessage, Ticket

from . import limits, webhooks
from .channels import Channel, Delivery, OutgoingMessage, Routes
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
    #: A webhook subscription alerts the admin after this many failed tries in a row, or when its oldest
    #: delivery not yet through is this many minutes old (webhooks.record_outcome); a success clears it.
    webhook_alert_failures: int = 5
    webhook_alert_minutes: float = 30.0


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
    loket: Context,
    worker: str,
    policy: OutboxPolicy,
    limit: int | None = None,
    routes: Routes | None = None,
    events: list[Event] | None = None,
) -> list[OutgoingMessage]:
    """Mark up to `limit` due messages "sending" for this worker and return them (at most one per resident).

    With `routes`: only kinds a channel takes, each counted against its channel's cap (a cap reached: the
    message stays pending; its staff alert, once a day, is added to `events`)."""
    now = loket.clock.now()
    today = loket.clock.today()
    earlier = aliased(M)
    blocked = exists().where(earlier.ordering_key == M.ordering_key, earlier.id < M.id, earlier.state.in_(OPEN_STATES))
    with loket.store.read() as s:  # nothing due (the usual case): no write transaction (SQLite's lock) at all
        condition = and_(_due(now), ~blocked)
        if routes is not None:
            capped = limits.capped_names(s, today, sorted({r.name for r in routes.by_kind.values()}))
            kinds = [k for k in routes.kinds if routes.name_of(k) not in capped]
            condition = and_(condition, M.channel.in_(kinds))
        if s.scalar(select(M.id).where(condition).limit(1)) is None:
            return []
    query = select(M.id, M.ordering_key, M.channel).where(condition).order_by(M.id).limit(limit or policy.batch)
    if loket.store.is_postgres:
        query = query.with_for_update(skip_locked=True, of=M)
    claimed: list[OutgoingMessage] = []
    with loket.store.transaction() as s:
        seen: set[str] = set()
        full: set[str] = set()  # channels whose cap this claim reached
        for message_id, ordering_key, kind in s.execute(query).all():
            if ordering_key in seen:  # two of one resident due at once: the later one waits for the earlier
                continue
            seen.add(ordering_key)
            # a webhook (another system's) is never counted against a cap nor the residents' channels' health
            route = routes.name_of(kind) if routes is not None and kind != WEBHOOK else ""
            if route:
                if route in full:
                    continue
                taken, alert = limits.reserve(loket, s, route, today)
                if not taken:  # over the cap: it stays pending, for tomorrow or a higher cap
                    full.add(route)
                    if alert is not None and events is not None:
                        events.append(Event("kiosk.alert", dict(alert, at=now.isoformat())))
                    continue
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
                .returning(M.id, M.idempotency_key, M.address, M.text_id, M.text_en, M.moment)
            ).one_or_none()
            if route and (done is None or not done.address):  # not sent after all: its count goes back
                limits.give_back(s, route, today)
            # purged meanwhile: nobody left to send it to (a webhook has no address: its subscription has the URL)
            if done is not None and not done.address and kind != WEBHOOK:
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
                        kind=kind,
                        route=route,
                        counted_on=today if route else None,
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
        held = select(M.attempts, M.ticket_id).where(mine)
        if loket.store.is_postgres:  # held until commit: a worker reclaiming it after its lease skips it meanwhile,
            held = held.with_for_update()  # so this outcome (and its count given back) is recorded once
        row = s.execute(held).one_or_none()
        if row is None:  # the lease ran out and another worker took it: its outcome counts
            return "", []
        attempts, ticket_id = row
        common = {"claimed_by": None, "claimed_until": None, "updated_at": now}
        alerts: list[Event] = []
        if message.route:
            down = limits.record_outcome(
                loket, s, message.route, delivery.ok, _redacted(delivery.detail), channel_fault=delivery.retry
            )
            if down is not None:
                alerts.append(Event("kiosk.alert", dict(down, at=now.isoformat())))
            if not delivery.ok and message.counted_on is not None:
                limits.give_back(s, message.route, message.counted_on)
        # another system's: its subscription's health, the admin's alert (not when it was switched off meanwhile)
        if message.kind == WEBHOOK and (delivery.ok or not delivery.detail.startswith("subscription ")):
            changed = webhooks.record_outcome(
                loket,
                s,
                message.id,
                delivery.ok,
                delivery.detail,
                after_failures=policy.webhook_alert_failures,
                after_minutes=policy.webhook_alert_minutes,
            )
            if changed is not None:
                kind = "kiosk.alert" if changed["reason"] == webhooks.FAILING else webhooks.RECOVERED
                alerts.append(Event(kind, dict(changed, at=now.isoformat())))
        if delivery.ok:
            s.execute(update(M).where(mine).values(state=SENT, sent_at=now, last_error=None, **common))
            return SENT, alerts
        if delivery.retry and attempts < policy.max_attempts:
            wait = timedelta(seconds=backoff_seconds(attempts, policy, rng))
            s.execute(
                update(M)
                .where(mine)
                .values(state=PENDING, next_attempt_at=now + wait, last_error=delivery.detail, **common)
            )
            return PENDING, alerts
        s.execute(update(M).where(mine).values(state=FAILED, last_error=delivery.detail, **common))
        if message.kind == WEBHOOK:  # another system's failure: the admin's list of deliveries shows it
            return FAILED, alerts
        number = s.scalar(select(Ticket.number).where(Ticket.id == ticket_id)) if ticket_id else None
        # The staff's alert list (counter desk): the channel failed; no number or text of the resident in it.
        payload = {
            "reason": "message_failed",
            "number": number,
            "moment": message.moment,
            "detail": _redacted(delivery.detail)[:200],
        }
        s.add(EventRecord(at=now, kind="kiosk.alert", ticket_id=ticket_id, payload=payload))
        return FAILED, [*alerts, Event("kiosk.alert", dict(payload, at=now.isoformat()), ticket_id)]


#: A gateway's error text may echo the resident's number: 8 or more digits (spaces, dashes, a +) are hidden.
_DIGITS = re.compile(r"\+?\d[\d\s().-]{6,}\d")


def _redacted(text: str) -> str:
    """The gateway's error as staff see it in an alert: without a phone number it may have repeated."""
    return _DIGITS.sub("[nomor]", text)


def deliver_due(
    loket: Context, channel: Channel | Routes, worker: str, policy: OutboxPolicy, rng: random.Random | None = None
) -> Round:
    """One round: claim a batch, send each through its kind's channel, record each outcome.

    A bare `Channel` is the phone channel (named "http") alone."""
    routes = channel if isinstance(channel, Routes) else Routes.single(channel)
    result = Round()
    for message in claim(loket, worker, policy, routes=routes, events=result.events):
        try:
            delivery = routes.by_kind[message.kind].channel.send(message)
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
    channel: Channel | Routes,
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
