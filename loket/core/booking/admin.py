"""The admin changes the booking rules: validated, stored, audited (``booking.config_changed``)."""

from __future__ import annotations

from typing import Any

from loket.core.accounts import acting
from loket.core.context import Context
from loket.core.errors import NotAllowed, NotFound
from loket.core.events import Event
from loket.core.messages import _
from loket.core.roles import Actor, Role
from loket.core.store import EventRecord

from .config import BookingConfig, ServiceBooking, read_config, write_config

AUDIT_KIND = "booking.config_changed"


def current_config(ctx: Context) -> dict[str, Any]:
    """The stored rules, and the rules a service gets when first listed (for the admin page)."""
    with ctx.store.read() as s:
        stored = read_config(s)
    return {
        "config": stored.model_dump(mode="json"),
        "service_defaults": ServiceBooking().model_dump(mode="json"),
    }


def update_config(ctx: Context, actor: Actor, changes: dict[str, Any]) -> list[Event]:
    """Change the booking rules (admin only); the change is in the audit log with before and after."""
    with ctx.store.transaction() as s:
        user, _counter = acting(s, actor)
        if actor.role is not Role.ADMIN:
            raise NotAllowed(_("Hanya admin yang dapat mengubah pengaturan."))
        current = read_config(s)
        merged = BookingConfig.model_validate({**current.model_dump(mode="json"), **changes})
        unknown = set(merged.services) - {sop.code for sop in ctx.catalog}
        if unknown:
            raise NotFound(_("Layanan tidak dikenal."))
        before = write_config(s, merged, ctx.clock.now(), user.id)
        after = merged.model_dump(mode="json")
        changed = sorted(k for k in after if after[k] != before.get(k))
        s.add(
            EventRecord(
                at=ctx.clock.now(),
                kind=AUDIT_KIND,
                officer_id=user.id,
                payload={"summary": ", ".join(changed) or "-", "changed": changed, "before": before, "after": after},
            )
        )
    return [Event("settings.changed", {"changed": ["booking"]}, officer_id=user.id)]
