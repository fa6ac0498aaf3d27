"""Each channel's daily cost cap and its health: what the worker checks before it sends, and the admin sees.

- The cap (set by the admin, per channel name "http", "sms", "smtp"): at most `max_per_day` messages, and/or
  at most `cap_rupiah` spent at `price_rupiah` a message, per service day. A message is counted when a worker
  claims it (in the claim's transaction, on the day's row locked FOR UPDATE on PostgreSQL; SQLite has one
  writer), so concurrent workers can never take more than the cap together. A try that fails gives its count
  back (the gateway's idempotency key makes a later try of the same message one message); a worker that
  dies mid-send keeps it (counted twice at worst: the cap errs on the office's side).
- A message over the cap is not lost: it stays pending and is claimed the next day, or as soon as the admin
  raises the cap. Staff get one alert per channel per day when the cap is reached.
- Health: the last success, the last failure (and its error), and since when the channel is failing; the
  first failure after a success raises one staff alert ("the channel is down").
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from loket.core.accounts import acting
from loket.core.context import Context
from loket.core.errors import NotAllowed, NotFound
from loket.core.events import Event
from loket.core.messages import _
from loket.core.roles import Actor, Role
from loket.core.store import EventRecord, OutboxChannelDay, OutboxChannelState, OutboxMessage, Setting

from .moments import OPEN_STATES
from .webhooks import WEBHOOK

#: The names a channel may have (caps are kept per name, whether or not it is configured now).
CHANNEL_NAMES = ("http", "sms", "smtp")
KEY = "outbox"


class ChannelCap(BaseModel):
    """One channel's daily cap; None: no limit of that kind."""

    model_config = ConfigDict(extra="forbid")
    max_per_day: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    price_rupiah: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    cap_rupiah: Annotated[int, Field(ge=0, le=1_000_000_000)] | None = None

    def allows(self, used: int) -> bool:
        """Whether one more message after `used` today stays within the cap."""
        over_count = self.max_per_day is not None and used + 1 > self.max_per_day
        over_money = self.cap_rupiah is not None and (used + 1) * (self.price_rupiah or 0) > self.cap_rupiah
        return not (over_count or over_money)


class OutboxCaps(BaseModel):
    model_config = ConfigDict(extra="forbid")
    caps: dict[str, ChannelCap] = Field(default_factory=dict)


def read_caps(s: Session) -> OutboxCaps:
    row = s.get(Setting, KEY)
    return OutboxCaps.model_validate(row.value) if row else OutboxCaps()


def write_cap(s: Session, name: str, cap: ChannelCap, at: datetime, user_id: int | None) -> dict[str, Any]:
    """Store one channel's cap; returns the one before (for the audit log)."""
    row = s.get(Setting, KEY)
    caps = read_caps(s)
    before = caps.caps.get(name, ChannelCap()).model_dump()
    caps.caps[name] = cap
    value = caps.model_dump(mode="json")
    if row is None:
        s.add(Setting(key=KEY, value=value, updated_at=at, updated_by=user_id))
    else:
        row.value, row.updated_at, row.updated_by = value, at, user_id
    return before


def _insert(s: Session, table: Any, **values: Any) -> None:
    """INSERT ... ON CONFLICT DO NOTHING: the row exists afterwards, whoever made it."""
    insert = pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
    s.execute(insert(table).values(**values).on_conflict_do_nothing())


def capped_names(s: Session, day: date, names: list[str]) -> set[str]:
    """The channels whose cap today's count has reached (a read: no lock)."""
    caps = read_caps(s).caps
    rows = s.execute(
        select(OutboxChannelDay.name, OutboxChannelDay.used).where(
            OutboxChannelDay.day == day, OutboxChannelDay.name.in_(names)
        )
    )
    used: dict[str, int] = {name: count for name, count in rows}
    return {n for n in names if n in caps and not caps[n].allows(used.get(n, 0))}


def reserve(loket: Context, s: Session, name: str, day: date) -> tuple[bool, dict[str, Any] | None]:
    """Count one message on `name` today if the cap allows (the day's row locked until commit).

    Returns (taken, alert): the alert payload when the cap is reached and staff were not told yet today."""
    cap = read_caps(s).caps.get(name) or ChannelCap()
    _insert(s, OutboxChannelDay, name=name, day=day, used=0, capped_alerted=False)
    query = select(OutboxChannelDay).where(OutboxChannelDay.name == name, OutboxChannelDay.day == day)
    if loket.store.is_postgres:
        query = query.with_for_update()
    row = s.scalars(query).one()
    if cap.allows(row.used):
        row.used += 1
        return True, None
    if row.capped_alerted:
        return False, None
    row.capped_alerted = True
    payload = {"reason": "channel_capped", "channel": name, "count": row.used}
    s.add(EventRecord(at=loket.clock.now(), kind="kiosk.alert", payload=payload))
    return False, payload


def give_back(s: Session, name: str, day: date) -> None:
    """A try that did not send gives its count back."""
    s.execute(
        update(OutboxChannelDay)
        .where(OutboxChannelDay.name == name, OutboxChannelDay.day == day, OutboxChannelDay.used > 0)
        .values(used=OutboxChannelDay.used - 1)
    )


def record_outcome(
    loket: Context, s: Session, name: str, ok: bool, detail: str = "", channel_fault: bool = True
) -> dict[str, Any] | None:
    """Note a try's outcome on the channel; the alert payload when this failure starts an outage.

    `channel_fault`: the channel failed (down, 5xx, timeout, log-in refused), not just this one message (a
    number or address refused for good: that message's own alert says so, the channel is not "down")."""
    now = loket.clock.now()
    _insert(s, OutboxChannelState, name=name)
    state = OutboxChannelState
    if ok:
        s.execute(update(state).where(state.name == name).values(last_success_at=now, failing_since=None))
        return None
    s.execute(update(state).where(state.name == name).values(last_failure_at=now, last_error=detail[:500]))
    if not channel_fault:
        return None
    # Only the worker whose UPDATE sets failing_since raises the alert: one per outage, across workers.
    started = s.execute(
        update(state)
        .where(state.name == name, state.failing_since.is_(None))
        .values(failing_since=now)
        .returning(state.name)
    ).one_or_none()
    if started is None:
        return None
    payload = {"reason": "channel_down", "channel": name, "detail": detail[:200]}
    s.add(EventRecord(at=now, kind="kiosk.alert", payload=payload))
    return payload


def health(loket: Context, routes: dict[str, str]) -> dict[str, Any]:
    """Each channel's state for the admin page: configured or not, kinds it takes, today's count and cost
    against its cap, last success and failure, the messages waiting for it. `routes`: kind -> channel name."""
    today = loket.clock.today()
    with loket.store.read() as s:
        caps = read_caps(s).caps
        states = {r.name: r for r in s.scalars(select(OutboxChannelState))}
        days = s.execute(select(OutboxChannelDay.name, OutboxChannelDay.used).where(OutboxChannelDay.day == today))
        used: dict[str, int] = {name: count for name, count in days}
        open_rows = s.execute(
            select(OutboxMessage.channel, func.count())
            .where(OutboxMessage.state.in_(OPEN_STATES))
            .group_by(OutboxMessage.channel)
        )
        waiting: dict[str, int] = {kind: int(count) for kind, count in open_rows}
    channels = []
    for name in CHANNEL_NAMES:
        cap = caps.get(name, ChannelCap())
        state = states.get(name)
        kinds = sorted(k for k, n in routes.items() if n == name)
        count = used.get(name, 0)
        channels.append(
            {
                "name": name,
                "configured": bool(kinds),
                "kinds": kinds,
                "cap": cap.model_dump(),
                "today_count": count,
                "today_cost_rupiah": count * (cap.price_rupiah or 0),
                "capped": not cap.allows(count),
                "queue": sum([waiting.get(k, 0) for k in kinds]),
                "last_success_at": _iso(state.last_success_at if state else None),
                "last_failure_at": _iso(state.last_failure_at if state else None),
                "last_error": state.last_error if state else None,
                "failing_since": _iso(state.failing_since if state else None),
            }
        )
    # a webhook delivery waits for its subscription, not for a residents' channel (webhooks.health says how long)
    unrouted = {k: n for k, n in waiting.items() if k not in routes and k != WEBHOOK}
    return {"day": today.isoformat(), "channels": channels, "waiting_without_channel": unrouted}


def set_cap(loket: Context, actor: Actor, name: str, cap: ChannelCap) -> list[Event]:
    """The admin sets a channel's daily cap (audited). Messages held back by the old cap go out on the next
    round if the new one allows them; reaching the new cap alerts staff again."""
    with loket.store.transaction() as s:
        user, _counter = acting(s, actor)
        if actor.role is not Role.ADMIN:
            raise NotAllowed(_("Hanya admin yang dapat mengubah pengaturan."))
        if name not in CHANNEL_NAMES:
            raise NotFound(_("Saluran pesan tidak dikenal."))
        before = write_cap(s, name, cap, loket.clock.now(), user.id)
        s.execute(
            update(OutboxChannelDay)
            .where(OutboxChannelDay.name == name, OutboxChannelDay.day == loket.clock.today())
            .values(capped_alerted=False)
        )
        after = cap.model_dump()
        s.add(
            EventRecord(
                at=loket.clock.now(),
                kind="outbox.cap_changed",
                officer_id=user.id,
                payload={"summary": f"cap {name}", "channel": name, "before": before, "after": after},
            )
        )
    return [Event("outbox.cap_changed", {"channel": name}, officer_id=user.id)]


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None
