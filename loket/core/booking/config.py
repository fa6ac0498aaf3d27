"""The office's booking rules: per service the slots, seats, days open, when booking opens, the shares
kept for walk-ins and priority residents, no-show release and limits, the check-in window.

Stored as the office setting "booking" (one JSON row, audited as ``booking.config_changed``).
Off until the office switches it on; a service is bookable only when listed with ``enabled``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator
from sqlalchemy.orm import Session

from loket.core.messages import _
from loket.core.settings import WEEKDAYS, Hours
from loket.core.sites.rules import Ruled, Scope, in_force, register
from loket.core.store import Setting

KEY = "booking"


#: One day's hours as an admin types them: "08:00-12:00", "08.00-12.00" (Indonesian), "8-12", an en or em dash,
#: "s/d" or "sampai" between; minutes optional.
_HOURS_TEXT = re.compile(
    r"\s*(\d{1,2})(?:[.:](\d{2}))?\s*(?:-|\u2013|\u2014|s/d|s\.d\.?|sampai)\s*(\d{1,2})(?:[.:](\d{2}))?\s*",
    re.IGNORECASE,
)
#: Words that say a day is closed, typed instead of leaving the box empty.
_CLOSED_WORDS = {"", "tutup", "libur", "closed", "-"}


def _clock(hour: str, minute: str | None) -> str:
    h, m = int(hour), int(minute or 0)
    if h > 23 or m > 59:
        raise ValueError(_("Jam tidak terbaca; tulis mis. 08.00-12.00 (kosong = tutup)."))
    return f"{h:02d}:{m:02d}"


def hours_from_text(value: Any) -> Any:
    """A day's hours given as text (the admin page sends what was typed) as {open, close}; empty or "tutup" is
    closed (None). Text that is not hours is refused, never taken as closed. Anything else passes through."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.lower() in _CLOSED_WORDS:
        return None
    m = _HOURS_TEXT.fullmatch(text)
    if m is None:
        raise ValueError(_("Jam tidak terbaca; tulis mis. 08.00-12.00 (kosong = tutup)."))
    return {"open": _clock(m[1], m[2]), "close": _clock(m[3], m[4])}


#: A day's hours: {open, close}, null (closed) or the text typed ("08.00-12.00", "8-12").
DayHours = Annotated[Hours | None, BeforeValidator(hours_from_text)]


def _default_hours() -> dict[str, Hours | None]:
    office = Hours(open=time(8, 0), close=time(14, 0))
    return {day: (office if day in WEEKDAYS[:5] else None) for day in WEEKDAYS}


class ServiceBooking(BaseModel):
    """Booking rules of one service. Seats are per slot: `seats_per_slot` is what the counters serve in a slot,
    of which `walk_in_percent` stays for residents who come without booking."""

    model_config = ConfigDict(extra="forbid")
    enabled: bool = True
    #: Hours slots are offered per weekday (local time); a day missing or null takes no bookings.
    hours: dict[str, DayHours] = Field(default_factory=_default_hours)
    slot_minutes: Annotated[int, Field(ge=5, le=240)] = 15
    seats_per_slot: Annotated[int, Field(ge=1, le=1000)] = 4
    walk_in_percent: Annotated[int, Field(ge=0, le=100)] = 50
    #: Of the online seats, this share (rounded up) only priority residents may take (UU 25/2009 art. 29).
    priority_percent: Annotated[int, Field(ge=0, le=100)] = 25
    days_ahead: Annotated[int, Field(ge=1, le=90)] = 7
    #: Booking for a day opens `opens_days_before` days before it at `opens_at` (office time).
    opens_days_before: Annotated[int, Field(ge=0, le=90)] = 1
    opens_at: time = time(7, 0)
    #: An unclaimed booking is released (no-show) this many minutes after its slot starts.
    release_after_minutes: Annotated[int, Field(ge=0, le=240)] = 15
    #: Check-in at the kiosk from this many minutes before the slot until this many after it starts.
    check_in_early_minutes: Annotated[int, Field(ge=0, le=240)] = 30
    check_in_late_minutes: Annotated[int, Field(ge=0, le=240)] = 15
    #: Outside the window, may the kiosk give a walk-in ticket instead?
    walk_in_when_outside_window: bool = True

    @field_validator("hours")
    @classmethod
    def _weekdays(cls, hours: dict[str, Hours | None]) -> dict[str, Hours | None]:
        unknown = set(hours) - set(WEEKDAYS)
        if unknown:
            raise ValueError(
                _(
                    "Hari tidak dikenal: %(days)s; pakai %(weekdays)s.",
                    days=", ".join(sorted(unknown)),
                    weekdays=", ".join(WEEKDAYS),
                )
            )
        return hours

    @model_validator(mode="after")
    def _release_inside_window(self) -> ServiceBooking:
        if self.release_after_minutes < self.check_in_late_minutes:
            raise ValueError(_("Pelepasan slot tidak boleh sebelum batas terlambat check-in."))
        return self

    @property
    def online_seats(self) -> int:
        """Seats per slot for online booking: the walk-in share taken off (rounded in the walk-ins' favour)."""
        return self.seats_per_slot - -(-self.seats_per_slot * self.walk_in_percent // 100)

    @property
    def priority_seats(self) -> int:
        """Of the online seats, those kept for priority residents (rounded up when the share is not zero)."""
        return -(-self.online_seats * self.priority_percent // 100)

    def hours_on(self, day: date) -> Hours | None:
        return self.hours.get(WEEKDAYS[day.weekday()])

    def slot_starts(self, day: date) -> list[time]:
        """The local start times of the day's slots (none on a closed weekday)."""
        hours = self.hours_on(day)
        if hours is None:
            return []
        out, at = [], datetime.combine(day, hours.open)
        end = datetime.combine(day, hours.close)
        step = timedelta(minutes=self.slot_minutes)
        while at + step <= end:
            out.append(at.time())
            at += step
        return out

    def seats_on(self, day: date) -> dict[str, int] | None:
        """The day's seats under these rules (None: no slots that day): slots, seats in all, of them online
        (of which priority) and kept for walk-ins. Walk-ins also get the online seats nobody holds once
        their slot has started (booking/walkin.py), so `walk_in` is the least they get."""
        slots = len(self.slot_starts(day))
        if not slots:
            return None
        return {
            "slots": slots,
            "seats": slots * self.seats_per_slot,
            "online": slots * self.online_seats,
            "priority": slots * self.priority_seats,
            "walk_in": slots * (self.seats_per_slot - self.online_seats),
        }

    def opens_for(self, day: date) -> datetime:
        """The local moment (naive, office time) booking for `day` opens."""
        return datetime.combine(day - timedelta(days=self.opens_days_before), self.opens_at)


class BookingConfig(BaseModel):
    """The office's whole booking setup."""

    model_config = ConfigDict(extra="forbid")
    #: Online booking as a whole; off, the page says so and nothing can be booked.
    enabled: bool = False
    #: The proof-of-work a resident's browser solves before booking (ALTCHA protocol); off by default.
    challenge: bool = False
    #: How hard the challenge is: the largest number the browser may have to try (about half on average).
    challenge_max_number: Annotated[int, Field(ge=1000, le=10_000_000)] = 50_000
    #: Repeated no-shows: `no_show_limit` in `no_show_window_days` blocks booking for `no_show_block_days`
    #: after the last one (0: no limit).
    no_show_limit: Annotated[int, Field(ge=0, le=50)] = 3
    no_show_window_days: Annotated[int, Field(ge=1, le=365)] = 30
    no_show_block_days: Annotated[int, Field(ge=1, le=365)] = 30
    #: Per service code; a service not listed takes no bookings.
    services: dict[str, ServiceBooking] = Field(default_factory=dict)

    def service(self, code: str) -> ServiceBooking | None:
        rule = self.services.get(code)
        return rule if self.enabled and rule is not None and rule.enabled else None


def read_config(s: Session) -> BookingConfig:
    row = s.get(Setting, KEY)
    return BookingConfig.model_validate(row.value) if row else BookingConfig()


def write_config(s: Session, config: BookingConfig, at: datetime, user_id: int | None) -> dict[str, Any]:
    """Store the config; return the previous value (for the audit trail)."""
    row = s.get(Setting, KEY)
    before = row.value if row else BookingConfig().model_dump(mode="json")
    value = config.model_dump(mode="json")
    if row is None:
        s.add(Setting(key=KEY, value=value, updated_at=at, updated_by=user_id))
    else:
        row.value = value
        row.updated_at = at
        row.updated_by = user_id
    return before


# The hub decides whether residents book online and its limits; each site its own slots and seats (sites/rules.py).
register(Ruled("booking", BookingConfig, overridable=("services",)))


def config_in_force(s: Session, scope: Scope) -> BookingConfig:
    """The booking rules in force here: the office's, or at a site the hub's with its own (sites/rules.py)."""
    value = in_force(s, scope, "booking")
    assert isinstance(value, BookingConfig)
    return value
