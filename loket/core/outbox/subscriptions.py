"""The admin's webhook subscriptions and their deliveries (issue 14): list, make, change, delete, rotate the
secret (shown once), send a test event, list recent deliveries and try one again."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import delete, select, update

from loket.core.accounts import acting
from loket.core.context import Context
from loket.core.errors import Conflict, NotAllowed, NotFound
from loket.core.messages import _
from loket.core.roles import Actor, Role
from loket.core.store import EventRecord, OutboxMessage, User, WebhookSubscription

from .moments import FAILED, PENDING
from .webhooks import EVENT_TYPES, WEBHOOK, EventType, enqueue_test, new_secret


class SubscriptionInput(BaseModel):
    """A subscription as the admin sets it: a name, the receiver's URL, the events it wants, on or off."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=80)
    url: str = Field(min_length=8, max_length=500)
    events: list[EventType] = Field(min_length=1)
    active: bool = True

    @field_validator("name", "url")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.lower().startswith(("http://", "https://")) or any(ch.isspace() for ch in value):
            raise ValueError("URL must start with http:// or https://")
        return value


def subscription_data(sub: WebhookSubscription, *, secret: bool = False) -> dict[str, Any]:
    """A subscription as the admin pages see it; the secret only when just made or rotated."""
    data: dict[str, Any] = {
        "id": sub.id,
        "name": sub.name,
        "url": sub.url,
        "events": [e for e in EVENT_TYPES if e in (sub.events or [])],
        "active": sub.active,
        "created_at": sub.created_at.isoformat(),
        "updated_at": sub.updated_at.isoformat(),
        # its deliveries' health (webhooks.record_outcome): the alert stands until a delivery gets through
        "failures": sub.failures or 0,
        "failing_since": sub.failing_since.isoformat() if sub.failing_since else None,
        "alerted_at": sub.alerted_at.isoformat() if sub.alerted_at else None,
        "last_error": sub.last_error,
    }
    if secret:
        data["secret"] = sub.secret
    return data


def _get(s: Any, subscription_id: int) -> WebhookSubscription:
    sub = s.get(WebhookSubscription, subscription_id)
    if sub is None:
        raise NotFound(_("Langganan webhook tidak ada."))
    return sub


#: The audit log's kinds for the admin's changes (core/admin.AUDIT_KINDS lists them); never the secret in them.
AUDIT_KINDS = ("webhook.created", "webhook.updated", "webhook.secret_rotated", "webhook.deleted")


def _admin(s: Any, actor: Actor) -> User:
    user, _counter = acting(s, actor)
    if actor.role is not Role.ADMIN:
        raise NotAllowed(_("Hanya admin yang dapat mengubah pengaturan."))
    return user


def _audit(s: Any, loket: Context, user: User, kind: str, before: Any, after: Any) -> None:
    summary = (after or before)["name"]
    payload = {"summary": summary, "before": before, "after": after}
    s.add(EventRecord(at=loket.clock.now(), kind=kind, officer_id=user.id, payload=payload))


def list_subscriptions(loket: Context) -> list[dict[str, Any]]:
    with loket.store.read() as s:
        return [subscription_data(x) for x in s.scalars(select(WebhookSubscription).order_by(WebhookSubscription.id))]


def create_subscription(loket: Context, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    """A new subscription with a fresh secret, returned this once; audited."""
    given = SubscriptionInput.model_validate(data)
    now = loket.clock.now()
    with loket.store.transaction() as s:
        user = _admin(s, actor)
        sub = WebhookSubscription(
            name=given.name,
            url=given.url,
            secret=new_secret(),
            events=list(given.events),
            active=given.active,
            created_at=now,
            updated_at=now,
        )
        s.add(sub)
        s.flush()
        _audit(s, loket, user, "webhook.created", None, subscription_data(sub))
        return subscription_data(sub, secret=True)


def update_subscription(loket: Context, actor: Actor, subscription_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """Change a subscription (its secret stays); audited. Switched off, its waiting deliveries are given up
    when tried."""
    given = SubscriptionInput.model_validate(data)
    with loket.store.transaction() as s:
        user = _admin(s, actor)
        sub = _get(s, subscription_id)
        before = subscription_data(sub)
        sub.name, sub.url, sub.events, sub.active = given.name, given.url, list(given.events), given.active
        sub.updated_at = loket.clock.now()
        _audit(s, loket, user, "webhook.updated", before, subscription_data(sub))
        return subscription_data(sub)


def rotate_secret(loket: Context, actor: Actor, subscription_id: int) -> dict[str, Any]:
    """A new secret (returned this once); deliveries tried from now on are signed with it; audited."""
    with loket.store.transaction() as s:
        user = _admin(s, actor)
        sub = _get(s, subscription_id)
        sub.secret = new_secret()
        sub.updated_at = loket.clock.now()
        _audit(s, loket, user, "webhook.secret_rotated", None, subscription_data(sub))
        return subscription_data(sub, secret=True)


def delete_subscription(loket: Context, actor: Actor, subscription_id: int) -> None:
    """Remove a subscription and its deliveries (one a worker holds now is dropped when it finishes); audited."""
    with loket.store.transaction() as s:
        user = _admin(s, actor)
        sub = _get(s, subscription_id)
        _audit(s, loket, user, "webhook.deleted", subscription_data(sub), None)
        s.execute(delete(OutboxMessage).where(OutboxMessage.subscription_id == subscription_id))
        s.delete(sub)


def send_test(loket: Context, subscription_id: int) -> str:
    """A "webhook.test" event to one subscription (on or off: the admin checks the receiver); its webhook-id."""
    with loket.store.transaction() as s:
        sub = _get(s, subscription_id)
        if not sub.active:
            raise Conflict(_("Langganan ini nonaktif: aktifkan dahulu untuk mengirim uji."))
        return enqueue_test(loket, s, subscription_id)


def delivery_data(m: OutboxMessage) -> dict[str, Any]:
    return {
        "id": m.id,
        "webhook_id": m.idempotency_key,
        "subscription_id": m.subscription_id,
        "event": m.moment,
        "state": m.state,
        "attempts": m.attempts,
        "last_status": m.last_status,
        "last_error": m.last_error,
        "created_at": m.created_at.isoformat(),
        "next_attempt_at": m.next_attempt_at.isoformat(),
        "sent_at": m.sent_at.isoformat() if m.sent_at else None,
    }


def recent_deliveries(loket: Context, subscription_id: int | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """The newest webhook deliveries (of one subscription, or all), with their state and last answer."""
    query = select(OutboxMessage).where(OutboxMessage.channel == WEBHOOK)
    if subscription_id is not None:
        query = query.where(OutboxMessage.subscription_id == subscription_id)
    query = query.order_by(OutboxMessage.id.desc()).limit(max(1, min(limit, 500)))
    with loket.store.read() as s:
        return [delivery_data(m) for m in s.scalars(query)]


def retry_delivery(loket: Context, delivery_id: int) -> dict[str, Any]:
    """Try a failed (or waiting) delivery again now, with a fresh count of tries; the same webhook-id."""
    now = loket.clock.now()
    with loket.store.transaction() as s:
        m = s.get(OutboxMessage, delivery_id)
        if m is None or m.channel != WEBHOOK:
            raise NotFound(_("Pengiriman webhook tidak ada."))
        if m.state not in (FAILED, PENDING):
            raise Conflict(_("Pengiriman ini sedang dikirim atau sudah terkirim."))
        s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == delivery_id, OutboxMessage.state.in_((FAILED, PENDING)))
            .values(state=PENDING, attempts=0, next_attempt_at=now, updated_at=now)
        )
        s.refresh(m)
        return delivery_data(m)
