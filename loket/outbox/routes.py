"""The channels' state and daily caps for the admin: /api/admin/outbox (the admin settings page shows them)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from loket.auth import staff_required
from loket.core.outbox import limits, webhooks
from loket.core.roles import Actor, Role
from loket.http import parsed
from loket.openapi import api
from loket.realtime import publish
from loket.services import loket

bp = Blueprint("outbox", __name__)


def _health() -> dict:
    names = current_app.extensions["outbox_routes"]
    minutes = float(current_app.config.get("OUTBOX_WEBHOOK_ALERT_MINUTES") or 30)
    # the webhook subscriptions' deliveries beside the residents' channels: the admin's alert shows here too
    return dict(limits.health(loket(), names), webhooks=webhooks.health(loket(), minutes))


@bp.get("/api/admin/outbox")
@api(
    "Each message channel: configured or not, today's count against its cap, last success and failure, queue; "
    "each webhook subscription's deliveries: failures in a row, the standing alert, the oldest waiting"
)
@staff_required(Role.ADMIN)
def outbox_state(actor: Actor):
    return jsonify(_health())


@bp.put("/api/admin/outbox/caps/<name>")
@api(body=limits.ChannelCap, errors=(404,))
@staff_required(Role.ADMIN)
def outbox_cap(actor: Actor, name: str):
    """Set one channel's daily cap (messages a day, and/or a price a message and a rupiah cap)."""
    publish(limits.set_cap(loket(), actor, name, parsed(limits.ChannelCap)))
    return jsonify(_health())
