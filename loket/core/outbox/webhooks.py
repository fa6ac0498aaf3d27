"""Webhooks for other systems (issue 14): signed events to a Mal Pelayanan Publik hub, a city app, a dashboard.

- A subscription (table webhook_subscriptions) names a URL, a secret ("whsec_...") and the event types it wants.
- An event writes one delivery per active subscription that wants it into the outbox (`outbox_messages`,
  channel "webhook", no address), in the event's own transaction: never lost. Its idempotency key is the
  `webhook-id` header of every try, so a receiver drops a repeat.
- The outbox's worker delivers it like a message to a resident (claim, lease, backoff, order per ordering key:
  one subscription's events of one ticket or booking arrive in order) through `WebhookSender`, which signs each
  try per the Standard Webhooks spec (`webhook-id`, `webhook-timestamp`, `webhook-signature`).
- No personal data in a payload: a ticket's number, service, state, step, station, times, the office; a
  booking's id, service, slot and state. Never a name, NIK, phone number or booking code.
"""

from __future__ import annotations

import base64
import json
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, get_args

import requests
from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.orm import Session
from standardwebhooks import Webhook

from loket.core.context import Context
from loket.core.store import EventRecord, OutboxMessage, WebhookSubscription

from .channels import RETRY_STATUSES, Delivery, OutgoingMessage
from .moments import OPEN_STATES, PENDING

WEBHOOK = "webhook"

#: The event types a subscription may ask for, in the order the admin page lists them (the admin API's
#: validation takes the type itself: subscriptions.py).
EventType = Literal[
    "ticket.issued",
    "ticket.called",
    "ticket.step_done",
    "ticket.pending",
    "ticket.ready",
    "ticket.done",
    "booking.made",
    "booking.cancelled",
]
EVENT_TYPES: tuple[str, ...] = get_args(EventType)
#: The ticket events (core/tickets, records.record_event) that are a webhook event, by their kind in the log.
TICKET_KINDS = {
    "ticket.issued": "ticket.issued",
    "ticket.called": "ticket.called",
    "ticket.advanced": "ticket.step_done",
    "ticket.pended": "ticket.pending",
    "ticket.ready": "ticket.ready",
    "ticket.done": "ticket.done",
}
#: What of an event's own details may leave the office (a pending reason is a code such as "siak_down").
TICKET_EXTRAS = ("recall", "reason")
#: The only keys a ticket's and a booking's `data` carry (tests assert no other key appears).
TICKET_KEYS = frozenset(
    {"office", "ticket_id", "number", "service_code", "service_day", "state", "step", "role", "station", "at"}
    | set(TICKET_EXTRAS)
)
BOOKING_KEYS = frozenset({"office", "booking_id", "service_code", "day", "starts_at", "ends_at", "status", "at"})


def new_secret() -> str:
    """A fresh signing secret as the Standard Webhooks libraries take it: "whsec_" and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else None


def ticket_event_type(kind: str, state: str) -> str | None:
    """The webhook event a ticket event is, if any (a berkas resumed straight to pickup is "ready" again)."""
    if kind == "ticket.resumed" and state == "ready":
        return "ticket.ready"
    return TICKET_KINDS.get(kind)


def _enqueue(
    loket: Context, s: Session | Connection, event_type: str, data: dict[str, Any], key: str, order: str
) -> int:
    """One delivery per active subscription wanting `event_type`, in the caller's transaction; how many."""
    subs = [sub_id for sub_id, wanted in _active_subscriptions(loket) if event_type in wanted]
    if not subs:
        return 0
    now = loket.clock.now()
    body = {"type": event_type, "timestamp": _iso(now), "data": data}
    rows = [
        {
            "idempotency_key": f"msg_{key}_s{sub_id}"[:120],
            "ordering_key": f"wh{sub_id}:{order}"[:80],
            "moment": event_type,
            "channel": WEBHOOK,
            "address": None,
            "text_id": "",
            "text_en": "",
            "state": PENDING,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
            "updated_at": now,
            "subscription_id": sub_id,
            "payload": body,
        }
        for sub_id in subs
    ]
    s.execute(insert(OutboxMessage), rows)
    return len(rows)


def _active_subscriptions(loket: Context) -> tuple[tuple[int, frozenset[str]], ...]:
    """(id, events wanted) of the active subscriptions, kept in the process (`Context.kept`): every ticket event
    asks, and subscriptions change rarely (a change here applies at once, in another process within seconds)."""

    def load() -> tuple[tuple[int, frozenset[str]], ...]:
        with loket.store.read() as s:
            rows = s.execute(
                select(WebhookSubscription.id, WebhookSubscription.events).where(WebhookSubscription.active.is_(True))
            ).all()
        return tuple((sub_id, frozenset(wanted or ())) for sub_id, wanted in rows)

    return loket.kept("webhook-subscriptions", WebhookSubscription, load)


def _office(loket: Context) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in loket.signer.office)[:40]


def on_ticket_event(
    loket: Context, s: Session, kind: str, ticket: Any, counter: Any, event_id: int | None, extra: dict[str, Any]
) -> int:
    """The deliveries a ticket event makes (called from records.record_event, in the event's transaction)."""
    event_type = ticket_event_type(kind, str(ticket.state))
    if event_type is None or event_id is None:
        return 0
    now = loket.clock.now()
    day = getattr(ticket, "service_day", None) or loket.clock.today()
    data: dict[str, Any] = {
        "office": loket.signer.office,
        "ticket_id": ticket.id,
        "number": ticket.number,
        "service_code": ticket.service_code,
        "service_day": day.isoformat(),
        "state": str(ticket.state),
        "step": ticket.step_index + 1,
        "role": ticket.current_role,
        "station": counter.name if counter is not None else None,
        "at": _iso(now),
    }
    data.update({k: extra[k] for k in TICKET_EXTRAS if k in extra and isinstance(extra[k], (str, bool, int))})
    return _enqueue(loket, s, event_type, data, f"{_office(loket)}_ev{event_id}", f"ticket:{ticket.id}")


def on_booking(loket: Context, s: Session | Connection, event_type: str, booking: Any) -> int:
    """The deliveries a booking made or cancelled makes (core/booking, in its transaction). No NIK, phone or code."""
    now = loket.clock.now()
    data = {
        "office": loket.signer.office,
        "booking_id": booking.id,
        "service_code": booking.service_code,
        "day": booking.day.isoformat(),
        "starts_at": _iso(booking.starts_at),
        "ends_at": _iso(booking.ends_at),
        "status": booking.status,
        "at": _iso(now),
    }
    name = event_type.rsplit(".", 1)[-1]
    return _enqueue(loket, s, event_type, data, f"{_office(loket)}_b{booking.id}_{name}", f"booking:{booking.id}")


def enqueue_test(loket: Context, s: Session, subscription_id: int) -> str:
    """A test event ("webhook.test") for one subscription, whatever events it wants; its webhook-id."""
    now = loket.clock.now()
    token = secrets.token_hex(8)
    key = f"msg_{_office(loket)}_test{token}_s{subscription_id}"
    s.add(
        OutboxMessage(
            idempotency_key=key,
            ordering_key=f"wh{subscription_id}:test:{token}",
            moment="webhook.test",
            channel=WEBHOOK,
            address=None,
            text_id="",
            text_en="",
            state=PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
            updated_at=now,
            subscription_id=subscription_id,
            payload={"type": "webhook.test", "timestamp": _iso(now), "data": {"office": loket.signer.office}},
        )
    )
    return key


def signed_headers(secret: str, webhook_id: str, body: str, at: datetime) -> dict[str, str]:
    """The Standard Webhooks headers of one try."""
    return {
        "Content-Type": "application/json",
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(webhook_id, at, body),
    }


class WebhookSender:
    """The outbox channel for webhook deliveries: reads the delivery's body and subscription, signs, POSTs.

    The signature's timestamp is the real time of the try (receivers refuse one more than 5 minutes off), not
    the office clock. A subscription deleted or switched off meanwhile: the delivery is given up.
    """

    def __init__(self, loket: Context, timeout: float = 10.0):
        self.loket = loket
        self.timeout = timeout
        self.session = requests.Session()

    def send(self, message: OutgoingMessage) -> Delivery:
        with self.loket.store.read() as s:
            sub = WebhookSubscription
            row = s.execute(
                select(OutboxMessage.payload, sub.url, sub.secret, sub.active)
                .join(WebhookSubscription, WebhookSubscription.id == OutboxMessage.subscription_id)
                .where(OutboxMessage.id == message.id)
            ).one_or_none()
        if row is None:
            return Delivery(False, False, "subscription deleted")
        payload, url, secret, active = row
        if not active:
            return Delivery(False, False, "subscription switched off")
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
        headers = signed_headers(secret, message.key, body, datetime.now(UTC))
        try:
            answer = self.session.post(url, data=body.encode(), headers=headers, timeout=self.timeout)
        except requests.RequestException as exc:  # down, refused, timed out: the next try may get through
            self._status(message.id, None)
            return Delivery(False, True, f"{type(exc).__name__}: {exc}"[:500])
        self._status(message.id, answer.status_code)
        if 200 <= answer.status_code < 300:
            return Delivery(True)
        detail = f"HTTP {answer.status_code}: {answer.text[:300]}"
        return Delivery(False, answer.status_code >= 500 or answer.status_code in RETRY_STATUSES, detail)

    def _status(self, message_id: int, status: int | None) -> None:
        with self.loket.store.transaction() as s:
            s.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(last_status=status))


# ---- each subscription's health: the admin's alert when its deliveries keep failing ------------------------------

#: The staff alert's reason (an EventRecord "kiosk.alert", as the residents' channels' "channel_down").
FAILING = "webhook_failing"
#: The record that clears it: a delivery to that subscription got through again.
RECOVERED = "webhook.recovered"


def record_outcome(
    loket: Context, s: Session, message_id: int, ok: bool, detail: str, *, after_failures: int, after_minutes: float
) -> dict[str, Any] | None:
    """Note a try's outcome on its subscription (in the worker's `finish` transaction); the alert payload when this
    failure makes it alert-worthy, or the recovery's when this success clears a standing alert.

    Alert-worthy: `after_failures` failed tries in a row, or its oldest delivery not yet through is older than
    `after_minutes`. One alert per outage across workers (only the UPDATE that sets `alerted_at` raises it); the
    next success clears it (and says so: "webhook.recovered"). A subscription deleted meanwhile: nothing."""
    sub_id = s.scalar(select(OutboxMessage.subscription_id).where(OutboxMessage.id == message_id))
    if sub_id is None:
        return None
    W = WebhookSubscription
    now = loket.clock.now()
    if ok:
        cleared = s.execute(
            update(W)
            .where(W.id == sub_id, W.alerted_at.is_not(None))
            .values(alerted_at=None)
            .returning(W.name, W.failures, W.failing_since)
        ).one_or_none()
        s.execute(update(W).where(W.id == sub_id).values(failures=0, failing_since=None, last_success_at=now))
        if cleared is None:
            return None
        payload = {"reason": RECOVERED, "subscription_id": sub_id, "subscription": cleared.name}
        s.add(EventRecord(at=now, kind=RECOVERED, payload=payload))
        return payload
    s.execute(
        update(W)
        .where(W.id == sub_id)
        .values(
            failures=W.failures + 1,
            failing_since=func.coalesce(W.failing_since, now),
            last_failure_at=now,
            last_error=detail[:500],
        )
    )
    failures, oldest = s.execute(
        select(
            W.failures,
            select(func.min(OutboxMessage.created_at))
            .where(OutboxMessage.subscription_id == sub_id, OutboxMessage.state.in_(OPEN_STATES))
            .scalar_subquery(),
        ).where(W.id == sub_id)
    ).one()
    late = oldest is not None and _aware(oldest) <= now - timedelta(minutes=after_minutes)
    if failures < after_failures and not late:
        return None
    raised = s.execute(
        update(W).where(W.id == sub_id, W.alerted_at.is_(None)).values(alerted_at=now).returning(W.name)
    ).one_or_none()
    if raised is None:  # already alerted for this outage
        return None
    payload = {
        "reason": FAILING,
        "subscription_id": sub_id,
        "subscription": raised.name,
        "count": failures,
        "since": _iso(_aware(oldest)) if late and oldest is not None else None,
        "detail": detail[:200],
    }
    s.add(EventRecord(at=now, kind="kiosk.alert", payload=payload))
    return payload


def _aware(moment: datetime) -> datetime:
    """A subquery's datetime comes back as stored (naive UTC on SQLite): as the columns give it, aware UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def health(loket: Context, after_minutes: float) -> list[dict[str, Any]]:
    """Each subscription's deliveries for the admin: failures in a row, since when, the standing alert, the oldest
    delivery not yet through (and whether it is older than `after_minutes`), the last success and error."""
    now = loket.clock.now()
    W = WebhookSubscription
    with loket.store.read() as s:
        oldest: dict[int | None, datetime] = {
            sub_id: at
            for sub_id, at in s.execute(
                select(OutboxMessage.subscription_id, func.min(OutboxMessage.created_at))
                .where(OutboxMessage.channel == WEBHOOK, OutboxMessage.state.in_(OPEN_STATES))
                .group_by(OutboxMessage.subscription_id)
            )
        }
        subs = s.scalars(select(W).order_by(W.id)).all()
        out = []
        for sub in subs:
            waiting = oldest.get(sub.id)
            waiting = _aware(waiting) if waiting is not None else None
            out.append(
                {
                    "id": sub.id,
                    "name": sub.name,
                    "active": sub.active,
                    "failures": sub.failures or 0,
                    "failing_since": _iso(sub.failing_since),
                    "alerted_at": _iso(sub.alerted_at),
                    "oldest_waiting_at": _iso(waiting),
                    "late": waiting is not None and waiting <= now - timedelta(minutes=after_minutes),
                    "last_success_at": _iso(sub.last_success_at),
                    "last_failure_at": _iso(sub.last_failure_at),
                    "last_error": sub.last_error,
                }
            )
    return out
