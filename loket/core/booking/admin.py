"""The admin changes the booking rules: validated, stored, audited (``booking.config_changed``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from loket.core.accounts import acting
from loket.core.context import Context
from loket.core.errors import NotAllowed, NotFound
from loket.core.events import Event
from loket.core.messages import _
from loket.core.roles import Actor, Role
from loket.core.settings import WEEKDAYS
from loket.core.sites.rules import describe, write
from loket.core.store import EventRecord

from .config import BookingConfig, ServiceBooking, config_in_force

AUDIT_KIND = "booking.config_changed"


#: A Monday: the weekdays' seats are counted on the week that starts with it (only the weekday matters).
_A_MONDAY = date(2024, 1, 1)


def seats_per_weekday(config: BookingConfig) -> dict[str, dict[str, dict[str, int] | None]]:
    """Per listed service and weekday, the day's seats under its rules (ServiceBooking.seats_on): what the
    admin's numbers come to, walk-in share included."""
    return {
        code: {day: rule.seats_on(_A_MONDAY + timedelta(days=n)) for n, day in enumerate(WEEKDAYS)}
        for code, rule in config.services.items()
    }


def current_config(ctx: Context) -> dict[str, Any]:
    """The stored rules, the seats per weekday they give, and the rules a service gets when first listed
    (for the admin page)."""
    with ctx.store.read() as s:
        stored = config_in_force(s, ctx.scope)
        rules = describe(s, ctx.scope, "booking")
    return {
        "config": stored.model_dump(mode="json"),
        "seats": seats_per_weekday(stored),
        "service_defaults": ServiceBooking().model_dump(mode="json"),
        "rules": rules,
    }


def update_config(ctx: Context, actor: Actor, changes: dict[str, Any]) -> list[Event]:
    """Change the booking rules (admin only); the change is in the audit log with before and after."""
    with ctx.store.transaction() as s:
        user, _counter = acting(s, actor)
        if actor.role is not Role.ADMIN:
            raise NotAllowed(_("Hanya admin yang dapat mengubah pengaturan."))
        before, after, merged = write(s, ctx.scope, "booking", changes, ctx.clock.now(), user.id)
        assert isinstance(merged, BookingConfig)
        unknown = set(merged.services) - {sop.code for sop in ctx.catalog}
        if unknown:
            raise NotFound(_("Layanan tidak dikenal."))
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
