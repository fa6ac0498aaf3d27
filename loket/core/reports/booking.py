"""Online booking in the reports (issue 13): what became of the bookings, tickets booked versus walk-in,
and how much of the online capacity was booked and attended, per service and local hour.

Definitions (docs/reports.md, "Booking online"):

* A report covers the bookings *for* the slots of its days (`Booking.day`, the office's day the resident was
  to come), whenever they were made, and the tickets issued on its days (`Ticket.service_day`).
* No-show rate = no-shows / (checked in + no-shows): bookings still booked or cancelled are not judged.
* Tickets by source: "booking" (issued by a booking's check-in) is *booked*; "kiosk" and "walk_in" (the
  counter's walk-in) are *walk-in*; any other source is counted apart.
* A seat is *booked* by a booking in state booked, checked_in or no_show (a cancelled one gave its seat
  back before the slot); it is *attended* when the booking checked in. Both are shown over the *capacity
  offered*: the seats of the slots' rows (`BookingSlot.capacity`, frozen when the slot's first booking was
  made) and, for the slots nobody booked (no row), the online seats of the booking rules in force at the slot's start.
* Hours are the office's local hours of the slot's start (the time zone's offset of each day, in SQL).

Everything is aggregated in SQL (GROUP BY); Python adds up grouped rows, never one row per booking.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Date, Integer, and_, case, cast, func, literal_column, select
from sqlalchemy.sql.elements import ColumnElement

from loket.core.booking.admin import AUDIT_KIND
from loket.core.booking.config import BookingConfig, ServiceBooking, config_in_force
from loket.core.booking.operations import BOOKED, CANCELLED, CHECKED_IN, NO_SHOW
from loket.core.context import Context
from loket.core.messages import _, texts
from loket.core.store import Booking, BookingSlot, EventRecord, Ticket

from .compute import MAX_DAYS, Share, _service_label, _service_order

#: Ticket sources: issued by a booking's check-in, or by a resident who came without one.
BOOKED_SOURCE = "booking"
WALK_IN_SOURCES = ("kiosk", "walk_in")
#: Booking states whose seat counts as booked (a cancelled booking gave its seat back before the slot).
SEAT_STATES = (BOOKED, CHECKED_IN, NO_SHOW)
STATES = (BOOKED, CANCELLED, CHECKED_IN, NO_SHOW)


@dataclass
class HourFigures:
    """The online seats of one local hour of slot starts: offered, booked, attended, left unused by a no-show."""

    hour: int
    capacity: int = 0
    #: Of `capacity`: seats of slots nobody booked, counted from the booking rules (no slot row).
    from_rules: int = 0
    booked: int = 0
    attended: int = 0
    no_show: int = 0

    def add(self, other: HourFigures) -> None:
        self.capacity += other.capacity
        self.from_rules += other.from_rules
        self.booked += other.booked
        self.attended += other.attended
        self.no_show += other.no_show

    def as_dict(self) -> dict[str, Any]:
        return {
            "hour": self.hour,
            "label": f"{self.hour:02d}:00",
            "capacity": self.capacity,
            "from_rules": self.from_rules,
            "booked": self.booked,
            "attended": self.attended,
            "no_show": self.no_show,
            "booked_ratio": Share(self.booked, self.capacity).as_dict(),
            "attended_ratio": Share(self.attended, self.capacity).as_dict(),
        }


@dataclass
class BookingRow:
    """One service, or all services (key "all"): bookings by state, tickets by source, seats by hour."""

    key: str
    label: dict[str, str]
    states: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    priority: int = 0  # bookings made by priority residents (any state)
    issued: int = 0  # tickets issued
    booked_tickets: int = 0
    walk_in_tickets: int = 0
    other_tickets: int = 0
    hours: dict[int, HourFigures] = field(default_factory=dict)

    def hour(self, hour: int) -> HourFigures:
        found = self.hours.get(hour)
        if found is None:
            found = self.hours[hour] = HourFigures(hour)
        return found

    @property
    def made(self) -> int:
        return sum(self.states.values())

    @property
    def no_show_rate(self) -> Share:
        judged = self.states[CHECKED_IN] + self.states[NO_SHOW]
        return Share(self.states[NO_SHOW], judged)

    @property
    def seats(self) -> HourFigures:
        total = HourFigures(-1)
        for h in self.hours.values():
            total.add(h)
        return total

    def hour_list(self) -> list[HourFigures]:
        """Every hour from the first to the last with seats offered or booked (empty hours in between too)."""
        used = [h for h, f in self.hours.items() if f.capacity or f.booked]
        if not used:
            return []
        return [self.hours.get(h) or HourFigures(h) for h in range(min(used), max(used) + 1)]

    def as_dict(self) -> dict[str, Any]:
        seats = self.seats
        return {
            "key": self.key,
            "label": self.label,
            "made": self.made,
            "cancelled": self.states[CANCELLED],
            "checked_in": self.states[CHECKED_IN],
            "no_show": self.states[NO_SHOW],
            "booked": self.states[BOOKED],
            "priority": self.priority,
            "no_show_rate": self.no_show_rate.as_dict(),
            "tickets": {
                "issued": self.issued,
                "booked": self.booked_tickets,
                "walk_in": self.walk_in_tickets,
                "other": self.other_tickets,
                "booked_share": Share(self.booked_tickets, self.issued).as_dict(),
                "walk_in_share": Share(self.walk_in_tickets, self.issued).as_dict(),
            },
            "seats": {k: v for k, v in seats.as_dict().items() if k not in ("hour", "label")},
            "hours": [h.as_dict() for h in self.hour_list()],
        }


@dataclass(frozen=True)
class BookingReport:
    start: date
    end: date
    timezone: str
    total: BookingRow
    services: list[BookingRow]

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "timezone": self.timezone,
            "seat_states": list(SEAT_STATES),
            "walk_in_sources": list(WALK_IN_SOURCES),
            "booked_source": BOOKED_SOURCE,
            "total": self.total.as_dict(),
            "services": [r.as_dict() for r in self.services],
        }


# ---- the office's local hour, in SQL -------------------------------------------------------


def _days(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def _offset_minutes(ctx: Context, day: date) -> int:
    """The office's UTC offset on a day, in minutes, taken at local noon (office hours; DST changes at night)."""
    offset = datetime.combine(day, time(12), ctx.clock.tz).utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


def _offset_expr(ctx: Context, day_column: Any, start: date, end: date) -> ColumnElement[Any]:
    """The offset of each row's local day as an SQL expression: a constant, or a CASE over the runs of days
    with one offset (a zone with daylight saving time)."""
    runs: list[list[Any]] = []
    for day in _days(start, end):
        offset = _offset_minutes(ctx, day)
        if runs and runs[-1][2] == offset:
            runs[-1][1] = day
        else:
            runs.append([day, day, offset])
    if len(runs) == 1:
        return literal_column(str(runs[0][2]), Integer)
    # Literals, not bound parameters: PostgreSQL matches the GROUP BY's expression to the SELECT's by its text.
    return case(
        *((and_(day_column >= _date(a), day_column <= _date(b)), literal_column(str(m), Integer)) for a, b, m in runs),
        else_=literal_column(str(runs[-1][2]), Integer),
    )


def _date(day: date) -> ColumnElement[Any]:
    return literal_column(f"'{day.isoformat()}'", Date)


def _local_hour(ctx: Context, moment: Any, day_column: Any, start: date, end: date) -> ColumnElement[int]:
    """The office's local hour of a UTC instant column (stored naive), in SQL on SQLite and PostgreSQL."""
    offset = _offset_expr(ctx, day_column, start, end)
    if ctx.store.engine.dialect.name == "postgresql":
        shifted = moment + offset * literal_column("interval '1 minute'")
        return cast(func.extract("hour", shifted), Integer)
    # SQLite: the stored text "YYYY-MM-DD HH:MM:SS.ffffff" with the modifier "<offset> minutes".
    modifier = func.printf(literal_column("'%d minutes'"), offset)
    return cast(func.strftime(literal_column("'%H'"), moment, modifier), Integer)


# ---- the booking rules in force, from the audit trail -------------------------------------


def _rule_history(ctx: Context, site: str | None = None) -> tuple[BookingConfig, list[tuple[datetime, BookingConfig]]]:
    """The rules before any audited change, and each audited change in order (`booking.config_changed`; of `site`'s
    audit trail when given)."""
    query = select(EventRecord.at, EventRecord.payload).where(EventRecord.kind == AUDIT_KIND)
    if site is not None:
        query = query.where(EventRecord.site == site)
    with ctx.store.read() as s:
        current = config_in_force(s, ctx.scope)
        changes = s.execute(query.order_by(EventRecord.at, EventRecord.id)).all()
    history: list[tuple[datetime, BookingConfig]] = []
    first: BookingConfig | None = None
    for at, payload in changes:
        try:
            if first is None:
                first = BookingConfig.model_validate((payload or {}).get("before") or {})
            history.append((at, BookingConfig.model_validate((payload or {}).get("after") or {})))
        except ValidationError:
            continue  # a change written by another version's format: the rules before it stay
    return (first if first is not None else current), history


def _slot_hours(rule: ServiceBooking, day: date, cache: dict[tuple[int, int], dict[int, int]]) -> dict[int, int]:
    """How many slots the rule starts in each local hour of the day (by weekday: the rule's hours are)."""
    key = (id(rule), day.weekday())
    found = cache.get(key)
    if found is None:
        found = defaultdict(int)
        for start in rule.slot_starts(day):
            found[start.hour] += 1
        cache[key] = found = dict(found)
    return found


def _slot_hours_between(
    ctx: Context, rule: ServiceBooking, day: date, since: datetime, until: datetime, *, first: bool
) -> dict[int, int]:
    """Like _slot_hours, for the slots starting after `since` (or at it, for the day's first rules) up to `until`."""
    found: dict[int, int] = defaultdict(int)
    for start in rule.slot_starts(day):
        at = datetime.combine(day, start, ctx.clock.tz).astimezone(UTC)
        if since < at <= until or (first and at == since):
            found[start.hour] += 1
    return dict(found)


# ---- the report ---------------------------------------------------------------------------


def booking_report(ctx: Context, start: date, end: date | None = None, site: str | None = None) -> BookingReport:
    """Bookings, tickets by source and seat use of the days start..end (inclusive); see the module's docstring.

    `site`: of that site only. None: of every site; where the rows of the period come from several sites (the hub,
    issue 16), the sum of each site's report, so the seats offered from the rules are counted per site."""
    end = end or start
    if end < start:
        raise ValueError("the period ends before it starts")
    if (end - start).days + 1 > MAX_DAYS:
        raise ValueError(f"a report covers at most {MAX_DAYS} days")
    if site is None:
        codes = _sites(ctx, start, end)
        if len(codes) > 1:
            return _summed(ctx, start, end, [booking_report(ctx, start, end, code) for code in codes])
    return _site_report(ctx, start, end, site)


def _sites(ctx: Context, start: date, end: date) -> list[str]:
    """The sites with bookings, slots or tickets on the days start..end."""
    with ctx.store.read() as s:
        found = set(s.scalars(select(Booking.site).where(Booking.day >= start, Booking.day <= end).distinct()))
        found |= set(
            s.scalars(select(BookingSlot.site).where(BookingSlot.day >= start, BookingSlot.day <= end).distinct())
        )
        found |= set(
            s.scalars(select(Ticket.site).where(Ticket.service_day >= start, Ticket.service_day <= end).distinct())
        )
    return sorted(found)


def _summed(ctx: Context, start: date, end: date, reports: list[BookingReport]) -> BookingReport:
    """Several sites' reports added up, service by service."""
    rows: dict[str, BookingRow] = {}
    for report in reports:
        for r in report.services:
            into = rows.get(r.key)
            if into is None:
                into = rows[r.key] = BookingRow(r.key, r.label)
            _add(into, r)
    total = BookingRow("all", texts(_("Semua layanan")))
    for r in rows.values():
        _add(total, r)
    services = sorted(rows.values(), key=lambda r: _service_order(ctx, r.key))
    return BookingReport(start, end, str(ctx.clock.tz), total, services)


def _add(total: BookingRow, r: BookingRow) -> None:
    for k, n in r.states.items():
        total.states[k] = total.states.get(k, 0) + n
    total.priority += r.priority
    total.issued += r.issued
    total.booked_tickets += r.booked_tickets
    total.walk_in_tickets += r.walk_in_tickets
    total.other_tickets += r.other_tickets
    for hour, f in r.hours.items():
        total.hour(hour).add(f)


def _site_report(ctx: Context, start: date, end: date, site: str | None) -> BookingReport:
    rows: dict[str, BookingRow] = {}

    def row(code: str) -> BookingRow:
        found = rows.get(code)
        if found is None:
            found = rows[code] = BookingRow(code, _service_label(ctx, code))
        return found

    booking_hour = _local_hour(ctx, Booking.starts_at, Booking.day, start, end).label("hour")
    slot_hour = _local_hour(ctx, BookingSlot.starts_at, BookingSlot.day, start, end).label("hour")
    with ctx.store.read() as s:
        bookings = s.execute(
            select(
                Booking.service_code,
                booking_hour,
                Booking.status,
                func.count(),
                func.count(Booking.priority),
            )
            .where(Booking.day >= start, Booking.day <= end, *_of(Booking.site, site))
            .group_by(Booking.service_code, booking_hour, Booking.status)
        ).all()
        slots = s.execute(
            select(BookingSlot.service_code, BookingSlot.day, slot_hour, func.count(), func.sum(BookingSlot.capacity))
            .where(BookingSlot.day >= start, BookingSlot.day <= end, *_of(BookingSlot.site, site))
            .group_by(BookingSlot.service_code, BookingSlot.day, slot_hour)
        ).all()
        first_slot_days = dict(
            s.execute(
                select(BookingSlot.service_code, func.min(BookingSlot.day))
                .where(*_of(BookingSlot.site, site))
                .group_by(BookingSlot.service_code)
            )
            .tuples()
            .all()
        )
        tickets = s.execute(
            select(Ticket.service_code, Ticket.source, func.count())
            .where(Ticket.service_day >= start, Ticket.service_day <= end, *_of(Ticket.site, site))
            .group_by(Ticket.service_code, Ticket.source)
        ).all()

    for code, hour, status, n, priority in bookings:
        r = row(code)
        r.states[status] = r.states.get(status, 0) + n
        r.priority += priority
        if status in SEAT_STATES:
            h = r.hour(int(hour))
            h.booked += n
            h.attended += n if status == CHECKED_IN else 0
            h.no_show += n if status == NO_SHOW else 0

    made: dict[tuple[str, date, int], int] = {}
    for code, day, hour, n, capacity in slots:
        made[(code, day, int(hour))] = n
        row(code).hour(int(hour)).capacity += int(capacity or 0)

    # The slots nobody booked have no row: their seats come from the rules in force when each slot started (the
    # last moment it could be booked): a day whose booking was switched on, off or changed during it counts each
    # of its slots under the rules of that slot's start.
    before, history = _rule_history(ctx, site)
    today = ctx.clock.today()
    cache: dict[tuple[int, int], dict[int, int]] = {}
    i = 0
    config = before
    audited = False
    for day in _days(start, end):
        day_start = ctx.clock.day_start(day)
        day_end = ctx.clock.day_start(day + timedelta(days=1))
        while i < len(history) and history[i][0] <= day_start:
            config = history[i][1]
            audited = True
            i += 1
        segments = [(day_start, config, audited)]
        j = i
        while j < len(history) and history[j][0] < day_end:  # changes during the day (rare: the slow path)
            segments.append((history[j][0], history[j][1], True))
            j += 1
        offered: dict[tuple[str, int], list[int]] = {}  # (service, hour) -> [slots, seats]
        for part, (seg_from, seg_config, seg_audited) in enumerate(segments):
            seg_to = segments[part + 1][0] if part + 1 < len(segments) else day_end
            for code, rule in seg_config.services.items():
                if seg_config.service(code) is None or ctx.catalog.get(code) is None:
                    continue
                if day > today + timedelta(days=rule.days_ahead):
                    continue  # not offered yet
                if not seg_audited and (code not in first_slot_days or day < first_slot_days[code]):
                    continue  # before any audited change: only from the first day the service was booked for
                if len(segments) == 1:
                    hours = _slot_hours(rule, day, cache)
                else:
                    hours = _slot_hours_between(ctx, rule, day, seg_from, seg_to, first=part == 0)
                for hour, n in hours.items():
                    got = offered.setdefault((code, hour), [0, 0])
                    got[0] += n
                    got[1] += n * rule.online_seats
        for (code, hour), (n, seats) in offered.items():
            missing = n - made.get((code, day, hour), 0)
            if missing > 0:
                h = row(code).hour(hour)
                extra = round(missing * seats / n)
                h.capacity += extra
                h.from_rules += extra

    for code, source, n in tickets:
        r = row(code)
        r.issued += n
        if source == BOOKED_SOURCE:
            r.booked_tickets += n
        elif source in WALK_IN_SOURCES:
            r.walk_in_tickets += n
        else:
            r.other_tickets += n

    total = BookingRow("all", texts(_("Semua layanan")))
    for r in rows.values():
        _add(total, r)
    services = sorted(rows.values(), key=lambda r: _service_order(ctx, r.key))
    return BookingReport(start, end, str(ctx.clock.tz), total, services)


def _of(column: Any, site: str | None) -> list[ColumnElement[bool]]:
    """The condition that a row is of `site` (none for every site)."""
    return [] if site is None else [column == site]


# ---- exports ------------------------------------------------------------------------------


def _pct(share: dict[str, Any]) -> float | str:
    return "" if share["ratio"] is None else round(share["ratio"] * 100, 1)


def booking_tables(report: BookingReport) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The booking report as named tables (title, header, rows), for the CSV and the XLSX."""
    rows = [*report.services, report.total] if report.services else []
    services = []
    for r in rows:
        d = r.as_dict()
        t, seats = d["tickets"], d["seats"]
        services.append(
            [
                r.label["id"],
                d["made"],
                d["cancelled"],
                d["checked_in"],
                d["no_show"],
                d["booked"],
                d["priority"],
                _pct(d["no_show_rate"]),
                t["issued"],
                t["booked"],
                _pct(t["booked_share"]),
                t["walk_in"],
                _pct(t["walk_in_share"]),
                t["other"],
                seats["capacity"],
                seats["from_rules"],
                seats["booked"],
                _pct(seats["booked_ratio"]),
                seats["attended"],
                _pct(seats["attended_ratio"]),
            ]
        )
    hours = []
    for r in rows:
        for h in r.hour_list():
            d = h.as_dict()
            hours.append(
                [
                    r.label["id"],
                    d["label"],
                    d["capacity"],
                    d["from_rules"],
                    d["booked"],
                    _pct(d["booked_ratio"]),
                    d["attended"],
                    _pct(d["attended_ratio"]),
                    d["no_show"],
                ]
            )
    return [
        (
            "Booking online",
            [
                "Layanan",
                "Booking dibuat",
                "Dibatalkan",
                "Check-in",
                "Tidak hadir",
                "Masih terpesan",
                "Prioritas",
                "Tingkat tidak hadir (%)",
                "Nomor diterbitkan",
                "Nomor dari booking",
                "Dari booking (%)",
                "Nomor datang langsung",
                "Datang langsung (%)",
                "Nomor sumber lain",
                "Kursi online ditawarkan",
                "Kursi dihitung dari aturan",
                "Kursi terpesan",
                "Terpesan (%)",
                "Kursi hadir",
                "Hadir (%)",
            ],
            services,
        ),
        (
            "Slot per jam",
            [
                "Layanan",
                "Jam slot",
                "Kursi online ditawarkan",
                "Kursi dihitung dari aturan",
                "Kursi terpesan",
                "Terpesan (%)",
                "Kursi hadir",
                "Hadir (%)",
                "Tidak hadir",
            ],
            hours,
        ),
    ]


__all__ = ["BOOKED_SOURCE", "SEAT_STATES", "WALK_IN_SOURCES", "BookingReport", "booking_report", "booking_tables"]
