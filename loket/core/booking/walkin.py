"""The walk-in share of a bookable service's day: how many tickets the kiosk and the counter's walk-in may
issue today beside the online bookings (issue 13; the priority share is inside the online seats, UU 25/2009
art. 29).

A service is *bookable today* when booking is on, the service is listed and enabled, and its booking hours
give today at least one slot. Each slot has ``seats_per_slot`` seats, ``online_seats`` of them offered
online, the rest kept for residents who come without booking. For the day, as of now::

    walk-in share = Σ over today's slots of (seats_per_slot − online seats of the slot)      "kept"
                  + Σ over the slots already started of (online seats nobody holds)          "freed"

- The online seats of a slot are its ``BookingSlot.capacity`` once someone booked it (the rule in force at
  that first booking), else today's rule's ``online_seats``; a slot never booked has all of them free.
- "Nobody holds": never booked, cancelled, or released as a no-show. ``BookingSlot.taken`` counts only the
  live bookings (booked or checked in), so these are ``capacity − taken``. Once a slot has started nobody
  can book it any more, so its free seats stay free: they go to walk-ins. A booking still unclaimed holds
  its seat until it is released (due ``release_after_minutes`` after the start, done by the cron's
  ``flask release-no-shows`` or by the next booking); then that seat counts too.
- So the share only grows during the day: the whole "kept" part from the opening, and at each slot's start
  (and at each release) a few more. ``later`` is what the slots still ahead could add if nobody books them,
  and ``next_at`` the start of the next slot that has a free online seat: when the kiosk may issue again.
- A resident who started booking a slot just before it starts may take its seat a moment after a kiosk
  counted that seat as free (the booking checks the time before its transaction): one seat too many per
  booking in flight at that instant, rare. The kiosks themselves never overshoot (issuing.new_ticket counts under the
  number sequence's row lock).
- A ``BookingSlot`` row whose start is not one of today's slots (the office changed the slot length after
  someone booked) is left out: its residents keep their booking, the share follows today's rule.

The tickets counted against it are today's tickets of the service issued at the kiosk or as walk-ins at
the counter; those a booking's check-in issued (source "booking": their seat is the booking's) and voided
ones are not (``loket.core.tickets.issuing``). The office's own daily quota of the service caps the same
count: the smaller of the two wins. A service not bookable today has only the office's quota, as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from loket.core.context import Context
from loket.core.store import BookingSlot

from .config import ServiceBooking
from .operations import config

#: A made slot's seats by its start (UTC): (online capacity, taken by live bookings).
SlotSeats = Mapping[datetime, tuple[int, int]]


@dataclass(frozen=True)
class WalkInShare:
    """A bookable service's walk-in seats today as of a moment (see the module's docstring)."""

    #: Seats for walk-ins now: kept + freed.
    seats: int
    #: Seats kept for walk-ins in every slot of the day (seats_per_slot − online seats, summed).
    kept: int
    #: Online seats of the slots already started that nobody holds.
    freed: int
    #: Online seats still free in the slots ahead: walk-ins' once their slot starts, if nobody books them.
    later: int
    #: The start (UTC) of the next slot with a free online seat; None when no slot ahead has one.
    next_at: datetime | None
    #: The same in office time, "HH:MM".
    next_local: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "seats": self.seats,
            "kept": self.kept,
            "freed": self.freed,
            "later": self.later,
            "next_at": self.next_local,
        }


def bookable_today(ctx: Context, code: str, day: date) -> tuple[ServiceBooking, list[time]] | None:
    """The service's booking rule and today's slot starts (local), if the service is bookable today; no query
    (the rules are kept in memory like the office settings)."""
    rule = config(ctx).service(code)
    if rule is None:
        return None
    starts = rule.slot_starts(day)
    return (rule, starts) if starts else None


def share(
    ctx: Context, rule: ServiceBooking, day: date, starts: Iterable[time], made: SlotSeats, now: datetime
) -> WalkInShare:
    """The walk-in share of the day as of `now`, from the rule, the day's slot starts and the made slots."""
    kept = freed = later = 0
    next_at: datetime | None = None
    for start in starts:
        at = datetime.combine(day, start, ctx.clock.tz).astimezone(UTC)
        online, taken = made.get(at, (rule.online_seats, 0))
        kept += max(0, rule.seats_per_slot - online)
        free = max(0, online - taken)
        if at <= now:
            freed += free
        else:
            later += free
            if free and next_at is None:
                next_at = at
    local = f"{ctx.clock.local(next_at):%H:%M}" if next_at else None
    return WalkInShare(kept + freed, kept, freed, later, next_at, local)


def slot_seats(s: Session, codes: Iterable[str], day: date) -> dict[str, dict[datetime, tuple[int, int]]]:
    """The made slots of these services on a day, per service (one query for them all)."""
    out: dict[str, dict[datetime, tuple[int, int]]] = {}
    wanted = list(codes)
    if not wanted:
        return out
    rows = s.execute(
        select(BookingSlot.service_code, BookingSlot.starts_at, BookingSlot.capacity, BookingSlot.taken).where(
            BookingSlot.day == day, BookingSlot.service_code.in_(wanted)
        )
    ).all()
    for code, starts_at, capacity, taken in rows:
        out.setdefault(code, {})[starts_at] = (capacity, taken)
    return out
