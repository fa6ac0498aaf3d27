"""The admin's webhook subscriptions (issue 14): the page and its JSON (/api/admin/webhooks*), admin role only.

Each route calls one operation of core/outbox/subscriptions; the secret is in the answer only when a
subscription is made or its secret rotated.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from loket.auth import staff_required
from loket.core.outbox import subscriptions as ops
from loket.core.outbox.subscriptions import SubscriptionInput
from loket.core.outbox.webhooks import EVENT_TYPES
from loket.core.roles import Actor, Role
from loket.http import body
from loket.openapi import api
from loket.services import loket

from .routes import page

bp = Blueprint("admin_webhooks", __name__)

ONE = {"type": "object", "required": ["subscription"]}


@bp.get("/admin/webhooks")
def webhooks_page():
    return page(
        "table_page.html", "webhooks", heading="Webhook", script="webhooks.js", webhook_events=list(EVENT_TYPES)
    )


@bp.get("/api/admin/webhooks")
@api(
    "Webhook subscriptions and their recent deliveries",
    query={"limit": {"type": "integer", "minimum": 1, "maximum": 500, "description": "default 100"}},
    answers={200: {"type": "object", "required": ["subscriptions", "deliveries", "events"]}},
)
@staff_required(Role.ADMIN)
def webhook_list(actor: Actor):
    limit = request.args.get("limit", "100")
    return jsonify(
        subscriptions=ops.list_subscriptions(loket()),
        deliveries=ops.recent_deliveries(loket(), limit=int(limit) if limit.isdecimal() else 100),
        events=list(EVENT_TYPES),
    )


@bp.post("/api/admin/webhooks")
@api("A new webhook subscription (its secret is shown this once)", body=SubscriptionInput, answers={201: ONE})
@staff_required(Role.ADMIN)
def webhook_create(actor: Actor):
    return jsonify(subscription=ops.create_subscription(loket(), actor, body())), 201


@bp.put("/api/admin/webhooks/<int:subscription_id>")
@api("Change a webhook subscription", body=SubscriptionInput, answers={200: ONE}, errors=(404,))
@staff_required(Role.ADMIN)
def webhook_update(actor: Actor, subscription_id: int):
    return jsonify(subscription=ops.update_subscription(loket(), actor, subscription_id, body()))


@bp.post("/api/admin/webhooks/<int:subscription_id>/rotate")
@api("A new secret for a subscription (shown this once)", answers={200: ONE}, errors=(404,))
@staff_required(Role.ADMIN)
def webhook_rotate(actor: Actor, subscription_id: int):
    return jsonify(subscription=ops.rotate_secret(loket(), actor, subscription_id))


@bp.post("/api/admin/webhooks/<int:subscription_id>/test")
@api("Send a test event to a subscription", answers={202: {"type": "object"}}, errors=(404, 409))
@staff_required(Role.ADMIN)
def webhook_test(actor: Actor, subscription_id: int):
    return jsonify(webhook_id=ops.send_test(loket(), subscription_id)), 202


@bp.delete("/api/admin/webhooks/<int:subscription_id>")
@api("Delete a webhook subscription and its deliveries", answers={200: {"type": "object"}}, errors=(404,))
@staff_required(Role.ADMIN)
def webhook_delete(actor: Actor, subscription_id: int):
    ops.delete_subscription(loket(), actor, subscription_id)
    return jsonify(ok=True)


@bp.post("/api/admin/webhooks/deliveries/<int:delivery_id>/retry")
@api("Try a webhook delivery again now (same webhook-id)", answers={200: {"type": "object"}}, errors=(404, 409))
@staff_required(Role.ADMIN)
def webhook_retry(actor: Actor, delivery_id: int):
    return jsonify(delivery=ops.retry_delivery(loket(), delivery_id))
