"""Booking operations: each a short function taking the context, one transaction each.

Capacity is the database's job: a seat is taken by a conditional UPDATE of the slot's row
(``taken < capacity``), and one active booking per NIK and service is a partial unique index; so
concurrent requests on SQLite or PostgreSQL, in one process or several, never oversell.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from time import monotonic
from typing import Any, cast

from sqlalchemy import Connection, CursorResult, Date, String, Table, bindparam, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from loket.core import contact
from loket.core.context import Context
from loket.core.errors import Conflict, InvalidCode, InvalidInput, LoketError, NotFound, ServiceUnavailable, problem
from loket.core.messages import _, texts
from loket.core.nik import parse_nik
from loket.core.outbox import moments, webhooks
from loket.core.qr import STATUS_PATH, OtherSiteCode, code_in
from loket.core.settings import DAY_NAMES, WEEKDAYS
from loket.core.states import PRIORITY_LABELS, Priority
from loket.core.store import Booking, BookingSlot, Setting, UTCDateTime

from .challenge import Solved, refused
from .codes import BookingCode, BookingSigner, looks_like_booking, new_short_code, normal_short_code
from .config import BookingConfig, ServiceBooking, config_in_force
from .config import read_config as read_config  # the office's own row (tests read it)

BOOKED, CANCELLED, CHECKED_IN, NO_SHOW = "booked", "cancelled", "checked_in", "no_show"

STATUS_LABELS = {
    BOOKED: texts(_("Terpesan")),
    CANCELLED: texts(_("Dibatalkan")),
    CHECKED_IN: texts(_("Sudah check-in")),
    NO_SHOW: texts(_("Tidak hadir (slot dilepas)")),
}


class BookingFull(LoketError):
    """No seat left in the slot (for this resident: the priority seats are kept for priority residents)."""

    status = 409
    code = "full"


class AlreadyBooked(Conflict):
    code = "already_booked"


class NoShowBlocked(LoketError):
    status = 409
    code = "no_show_blocked"


class BookingClosed(ServiceUnavailable):
    code = "booking_closed"


# ---- the office's rules -------------------------------------------------------------


def config(ctx: Context) -> BookingConfig:
    """The booking rules in force (kept like the office settings; this process's changes apply at once)."""

    def load() -> BookingConfig:
        with ctx.store.read() as s:
            return config_in_force(s, ctx.scope)

    return ctx.kept("booking-config", Setting, load)


def signer(ctx: Context) -> BookingSigner:
    return ctx.kept(
        ("booking-signer", ctx.signer.office),
        Setting,
        lambda: BookingSigner(*ctx.signer.secrets(), keys=ctx.signer.keys),
    )


def _rule(ctx: Context, service: str) -> ServiceBooking:
    rule = config(ctx).service(service)
    if rule is None or ctx.catalog.get(service) is None:
        raise NotFound(_("Layanan ini tidak dapat dipesan online."))
    return rule


def _local(ctx: Context, day: date, at: time) -> datetime:
    return datetime.combine(day, at, ctx.clock.tz).astimezone(UTC)


def bookable_services(ctx: Context) -> list[dict[str, Any]]:
    """The services open for online booking, with what to bring (from the catalog)."""
    cfg = config(ctx)
    out = []
    for sop in ctx.catalog:
        rule = cfg.service(sop.code)
        if rule is None:
            continue
        out.append(
            {
                "code": sop.code,
                "name": sop.name.model_dump(),
                "group": sop.group,
                "requirements": [r.model_dump(mode="json") for r in sop.requirements],
                "conditions": [c.model_dump() for c in sop.conditions],
                "slot_minutes": rule.slot_minutes,
            }
        )
    return out


def _day_state(ctx: Context, rule: ServiceBooking, day: date) -> tuple[str, datetime]:
    """("open" | "not_yet" | "closed" | "past" | "too_far", when booking opens (UTC)) for a day."""
    today = ctx.clock.today()
    opens = rule.opens_for(day).replace(tzinfo=ctx.clock.tz).astimezone(UTC)
    if day < today:
        return "past", opens
    if day > today + timedelta(days=rule.days_ahead):
        return "too_far", opens
    if not rule.slot_starts(day):
        return "closed", opens
    if ctx.clock.now() < opens:
        return "not_yet", opens
    return "open", opens


def days(ctx: Context, service: str) -> list[dict[str, Any]]:
    """Today and the days ahead a service may be booked for: open or not yet, and the free seats of each."""
    rule = _rule(ctx, service)
    today = ctx.clock.today()
    wanted = [today + timedelta(days=n) for n in range(rule.days_ahead + 1)]
    with ctx.store.read() as s:
        rows = s.execute(
            select(BookingSlot.day, func.sum(BookingSlot.taken), func.count())
            .where(BookingSlot.service_code == service, BookingSlot.day.in_(wanted))
            .group_by(BookingSlot.day)
        ).all()
    taken = {d: (int(t or 0), int(n)) for d, t, n in rows}
    out = []
    for day in wanted:
        state, opens = _day_state(ctx, rule, day)
        if state == "closed":
            continue
        starts = [t for t in rule.slot_starts(day) if _local(ctx, day, t) > ctx.clock.now()]
        if not starts:
            continue
        seats = len(starts) * rule.online_seats
        used, _n = taken.get(day, (0, 0))
        out.append(
            {"day": day.isoformat(), "state": state, "opens_at": opens.isoformat(), "free": max(0, seats - used)}
        )
    return out


#: Seats taken or given back by this process (book, cancel, release): a day's slot listing read before is stale.
_seat_changes = 0
#: (service, day, minute, changes) -> (when read, the listing): in the morning rush nearly every resident reads the
#: day's slots before booking; between two bookings here (and for at most a second for another process's) the
#: listing is the same, so it is read once. A booking itself is always decided by the database, never by this.
_listings: dict[tuple[Any, ...], tuple[float, list[dict[str, Any]]]] = {}
LISTING_SECONDS = 1.0


def _changed() -> None:
    global _seat_changes
    _seat_changes += 1


def slots(ctx: Context, service: str, day: date) -> list[dict[str, Any]]:
    """The day's slots of a service still ahead, with their free seats (regular and priority)."""
    rule = _rule(ctx, service)
    key = (id(ctx), service, day, ctx.clock.now().replace(second=0, microsecond=0), _seat_changes)
    hit = _listings.get(key)
    if hit is not None and monotonic() - hit[0] < LISTING_SECONDS:
        return hit[1]
    listing = _read_slots(ctx, rule, service, day)
    if len(_listings) >= 256:
        _listings.clear()
    _listings[key] = (monotonic(), listing)
    return listing


def _read_slots(ctx: Context, rule: ServiceBooking, service: str, day: date) -> list[dict[str, Any]]:
    state, _opens = _day_state(ctx, rule, day)
    with ctx.store.read() as s:
        made = {
            r.starts_at: r
            for r in s.scalars(select(BookingSlot).where(BookingSlot.service_code == service, BookingSlot.day == day))
        }
    out = []
    for start in rule.slot_starts(day):
        at = _local(ctx, day, start)
        if at <= ctx.clock.now():
            continue
        row = made.get(at)
        capacity = row.capacity if row else rule.online_seats
        priority_seats = row.priority_seats if row else rule.priority_seats
        taken, regular = (row.taken, row.regular_taken) if row else (0, 0)
        free = max(0, capacity - taken)
        out.append(
            {
                "start": start.strftime("%H:%M"),
                "end": (datetime.combine(day, start) + timedelta(minutes=rule.slot_minutes)).strftime("%H:%M"),
                "starts_at": at.isoformat(),
                "free": free,
                "free_regular": max(0, min(free, capacity - priority_seats - regular)),
                "bookable": state == "open",
            }
        )
    return out


# ---- booking ------------------------------------------------------------------------


def normal_phone(raw: str | None) -> str | None:
    """An optional Indonesian mobile number in its one stored form ("08..."; typed 08, +628 or 628), None when
    blank; InvalidInput in plain words when it cannot be a mobile number (loket.core.contact)."""
    try:
        return contact.normal_phone(raw)
    except contact.BadContact as exc:
        raise InvalidInput([problem("phone", exc.message)]) from None


def normal_email(raw: str | None) -> str | None:
    """An optional e-mail address for messages, None when blank; InvalidInput when it is not one."""
    try:
        return contact.normal_email(raw)
    except contact.BadContact as exc:
        raise InvalidInput([problem("email", exc.message)]) from None


@dataclass(frozen=True)
class Made:
    """A booking just made: its short code and the QR's signed payload."""

    id: int
    code: str
    qr: str
    #: The row as committed (detached): its view needs no second read.
    booking: Booking


# The booking's statements, built once: text (or a Core insert) has a trivial cache key, where an ORM
# select built per call spent more CPU on building, its cache key and its result than the database did.

_SLOT_ID = text("SELECT id FROM booking_slots WHERE service_code = :service AND starts_at = :starts_at").bindparams(
    bindparam("starts_at", type_=UTCDateTime), bindparam("service", type_=String)
)

_ACTIVE = text("SELECT id FROM bookings WHERE nik = :nik AND service_code = :service AND status = :booked").bindparams(
    bindparam("nik", type_=String), bindparam("service", type_=String), bindparam("booked", BOOKED, type_=String)
)

#: The NIK's recent no-shows, newest first (the no-show limit).
_NO_SHOWS = (
    text(
        "SELECT released_at FROM bookings WHERE nik = :nik AND status = :no_show AND released_at >= :since "
        "ORDER BY released_at DESC"
    )
    .bindparams(
        bindparam("nik", type_=String),
        bindparam("no_show", NO_SHOW, type_=String),
        bindparam("since", type_=UTCDateTime),
    )
    .columns(released_at=UTCDateTime)
)

#: A few bookings whose release time passed (index ix_booking_due), oldest first.
_DUE = text(
    "SELECT id, slot_id, priority FROM bookings WHERE status = :booked AND release_at <= :now "
    "ORDER BY release_at LIMIT :limit"
).bindparams(bindparam("booked", BOOKED, type_=String), bindparam("now", type_=UTCDateTime))

_BOOKINGS = cast("Table", Booking.__table__)
_INSERT_BOOKING = insert(_BOOKINGS).returning(_BOOKINGS.c.id)

_ENSURE_SLOT = text(
    "INSERT INTO booking_slots (service_code, day, starts_at, capacity, priority_seats, taken, regular_taken) "
    "VALUES (:service, :day, :starts_at, :capacity, :priority_seats, 0, 0) "
    "ON CONFLICT (service_code, starts_at) DO NOTHING"
).bindparams(
    bindparam("starts_at", type_=UTCDateTime), bindparam("service", type_=String), bindparam("day", type_=Date)
)

#: Take one seat if one is left: the row's lock (PostgreSQL) or the write lock (SQLite) makes it atomic,
#: and PostgreSQL re-checks the WHERE on the row a concurrent writer just committed.
_TAKE_SEAT = text(
    "UPDATE booking_slots SET taken = taken + 1, regular_taken = regular_taken + :regular "
    "WHERE id = :id AND taken < capacity AND (:regular = 0 OR regular_taken < capacity - priority_seats)"
)

_GIVE_SEAT = text(
    "UPDATE booking_slots SET taken = taken - 1, regular_taken = regular_taken - :regular WHERE id = :id AND taken > 0"
)


#: Spend a solved challenge: a second use, committed or still in flight in another transaction (PostgreSQL
#: waits for it), inserts nothing. ON CONFLICT DO NOTHING rather than an IntegrityError: book() reads those.
_SPEND_CHALLENGE = text(
    "INSERT INTO used_challenges (challenge, expires_at) VALUES (:challenge, :expires_at) "
    "ON CONFLICT (challenge) DO NOTHING"
).bindparams(bindparam("expires_at", type_=UTCDateTime), bindparam("challenge", type_=String))

#: A few expired challenges forgotten per spend (the check refuses them anyway), oldest first.
_PURGE_CHALLENGES = text(
    "DELETE FROM used_challenges WHERE challenge IN "
    "(SELECT challenge FROM used_challenges WHERE expires_at < :now ORDER BY expires_at LIMIT :limit)"
).bindparams(bindparam("now", type_=UTCDateTime))


def _spend_challenge(s: Connection, solved: Solved, now: datetime) -> None:
    """First in the booking's transaction (holding no other lock while a twin waits): once per challenge."""
    spent = s.execute(_SPEND_CHALLENGE, {"challenge": solved.challenge, "expires_at": solved.expires_at})
    if spent.rowcount != 1:
        raise refused()
    s.execute(_PURGE_CHALLENGES, {"now": now, "limit": 20})


def book(
    ctx: Context,
    service: str,
    day: date,
    start: time,
    nik: str,
    *,
    phone: str | None = None,
    email: str | None = None,
    priority: str | None = None,
    issuer: str | None = None,
    challenge: Solved | None = None,
) -> Made:
    """Book a seat in a slot for a resident, or say plainly why not (full, already booked, closed, blocked).

    `challenge`, a verified solution (challenge.verify_solution), is spent with the booking: if the booking
    fails it stays good for another try; once booked, it books nothing else.
    """
    rule = _rule(ctx, service)
    holder = parse_nik(nik, ctx.clock.today()).nik
    phone = normal_phone(phone)
    email = normal_email(email)
    if priority is not None and priority not in {p.value for p in Priority}:
        raise NotFound(_("Jenis prioritas tidak dikenal."))
    if start not in rule.slot_starts(day):
        raise NotFound(_("Jam ini bukan slot layanan."))
    state, opens = _day_state(ctx, rule, day)
    starts_at = _local(ctx, day, start)
    if state == "not_yet":
        local = ctx.clock.local(opens)
        on, at = local.strftime("%d-%m-%Y"), local.strftime("%H:%M")
        raise BookingClosed(_("Pemesanan untuk hari itu dibuka %(day)s pukul %(at)s.", day=on, at=at))
    if state != "open" or starts_at <= ctx.clock.now():
        raise BookingClosed(_("Slot ini tidak dapat dipesan lagi."))
    cfg = config(ctx)
    for _attempt in range(3):
        try:
            return _book_once(
                ctx, cfg, rule, service, day, starts_at, holder, (phone, email), priority, issuer, challenge
            )
        except IntegrityError as exc:
            if "code" in str(exc.orig).lower() and "nik" not in str(exc.orig).lower():
                continue  # two random short codes met (about 1 in 10^11): draw another
            raise AlreadyBooked(_("NIK ini sudah punya booking aktif untuk layanan ini.")) from None
    raise Conflict(_("Silakan coba lagi."))


def _book_once(
    ctx: Context,
    cfg: BookingConfig,
    rule: ServiceBooking,
    service: str,
    day: date,
    starts_at: datetime,
    nik: str,
    contact_of: tuple[str | None, str | None],
    priority: str | None,
    issuer: str | None,
    challenge: Solved | None,
) -> Made:
    now = ctx.clock.now()
    with ctx.store.transaction() as session:
        # Core statements only: on the session's connection, without the ORM session's layer per statement.
        s = session.connection()
        if challenge is not None:
            _spend_challenge(s, challenge, now)
        _release_due(s, ctx, limit=50)
        _check_no_show_limit(s, cfg, nik, now)
        if s.scalar(_ACTIVE, {"nik": nik, "service": service}) is not None:
            raise AlreadyBooked(_("NIK ini sudah punya booking aktif untuk layanan ini."))
        slot = {"service": service, "starts_at": starts_at}
        slot_id = s.scalar(_SLOT_ID, slot)
        if slot_id is None:  # the slot's first booking makes its row (or finds the one a twin just made)
            seats = {"day": day, "capacity": rule.online_seats, "priority_seats": rule.priority_seats}
            s.execute(_ENSURE_SLOT, {**slot, **seats})
            slot_id = s.scalar(_SLOT_ID, slot)
        regular = 0 if priority else 1
        taken = s.execute(_TAKE_SEAT, {"id": slot_id, "regular": regular})
        if taken.rowcount != 1:
            raise BookingFull(_("Penuh: slot ini sudah habis. Silakan pilih jam atau hari lain."))
        row = {
            "code": new_short_code(),
            "service_code": service,
            "slot_id": slot_id,
            "day": day,
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(minutes=rule.slot_minutes),
            "release_at": starts_at + timedelta(minutes=rule.release_after_minutes),
            "nik": nik,
            "phone": contact_of[0],
            "email": contact_of[1],
            "priority": priority,
            "status": BOOKED,
            "issuer": issuer,
            "created_at": now,
        }
        # A Core INSERT ... RETURNING (the ORM's unit of work cost more than the rest of the booking); the
        # answer's row is built from the same values, outside the session.
        booking = Booking(id=s.scalar(_INSERT_BOOKING, row), **row)
        webhooks.on_booking(ctx, s, "booking.made", booking)  # other systems hear of it, in this transaction
        # "Booking berhasil" to the resident, in the booking's transaction (when they left a contact).
        booked_messages(ctx, s, booking)
        made = Made(booking.id, booking.code, signer(ctx).sign(day, booking.code), booking)
    _changed()
    return made


def booking_link(ctx: Context, code: str) -> str:
    """The booking's status page at this server, for messages (at a site: its short HMAC code, one SMS)."""
    return ctx.public_base() + STATUS_PATH + signer(ctx).local_short(code)


def booked_messages(ctx: Context, s: Connection, booking: Booking) -> None:
    """ "Booking berhasil" to the resident who left a number or e-mail, in the booking's transaction."""
    if booking.phone or booking.email:
        moments.on_booking(ctx, s, "booked", booking, booking_link(ctx, booking.code))


def send_reminders(ctx: Context, day: date | None = None) -> int:
    """The reminder the day before, to every booking still booked for `day` (default: tomorrow) with a contact.
    Once per booking (its message's key): run again, by the CLI or the worker's tick, it writes nothing new."""
    day = day or ctx.clock.today() + timedelta(days=1)
    with ctx.store.transaction() as s:
        due = s.scalars(
            select(Booking).where(
                Booking.day == day,
                Booking.status == BOOKED,
                (Booking.phone.is_not(None)) | (Booking.email.is_not(None)),
            )
        ).all()
        return sum(moments.on_booking(ctx, s, "reminder", b, booking_link(ctx, b.code)) for b in due)


def _check_no_show_limit(s: Connection, cfg: BookingConfig, nik: str, now: datetime) -> None:
    if cfg.no_show_limit <= 0:
        return
    since = now - timedelta(days=cfg.no_show_window_days)
    released = s.scalars(_NO_SHOWS, {"nik": nik, "since": since}).all()
    if len(released) >= cfg.no_show_limit:
        until = cast(datetime, released[0]) + timedelta(days=cfg.no_show_block_days)
        if now < until:
            until_text = until.strftime("%d-%m-%Y")
            raise NoShowBlocked(
                _(
                    "NIK ini %(n)s kali tidak hadir dalam %(days)s hari; "
                    "booking online dapat dipakai lagi mulai %(until)s.",
                    n=len(released),
                    days=cfg.no_show_window_days,
                    until=until_text,
                )
            )


# ---- finding, cancelling, releasing ---------------------------------------------------


def find_booking(ctx: Context, typed: str) -> Booking:
    """The booking of a typed short code or a scanned QR (its status URL, or a signed code: verified strictly).
    Another site's genuine code, whose booking is not here, raises OtherSiteCode (what the code says)."""
    typed = code_in(typed)  # the booking QR's status URL (.../s/B1....) carries its code
    if looks_like_booking(typed):
        with ctx.store.read() as s:
            booking = booking_by_claim(ctx, s, signer(ctx).claim(typed))
    else:
        normal = normal_short_code(typed)
        if normal is None:
            raise InvalidCode(_("Kode booking tidak sah (8 huruf/angka)."))
        with ctx.store.read() as s:
            booking = s.scalar(select(Booking).where(Booking.code == normal))
    if booking is None:
        raise NotFound(_("Booking tidak ditemukan."))
    return booking


def booking_by_claim(ctx: Context, s: Session | Connection, claimed: BookingCode) -> Booking | None:
    """The booking a verified code names, among the rows of the site that signed it (this server's own for an
    office's HMAC code); None when it is not here. A genuine code of another site whose booking is not in this
    database (only the hub holds every site's) raises OtherSiteCode."""
    mine = not claimed.site or claimed.site == ctx.signer.site
    whose = Booking.site.in_(("", ctx.signer.site)) if mine else Booking.site == claimed.site
    booking = s.scalar(select(Booking).where(Booking.code == claimed.code, whose))
    if booking is None and not mine and claimed.day is not None:
        name = ctx.signer.site_name(claimed.site)
        raise OtherSiteCode(
            _(
                "Booking dari %(site)s untuk tanggal %(day)s (kode %(code)s). Booking ini sah, "
                "tetapi check-in dilakukan di %(site)s.",
                site=name,
                day=f"{claimed.day:%d-%m-%Y}",
                code=claimed.code,
            ),
            kind="booking",
            site=claimed.site,
            site_name=name,
            day=claimed.day,
            number=claimed.code,
        )
    return booking


def cancel(ctx: Context, typed: str) -> Booking:
    """The holder cancels with the code: the seat is free again at once. Only a booking still booked."""
    found = find_booking(ctx, typed)
    with ctx.store.transaction() as s:
        done = cast(
            "CursorResult[Any]",
            s.execute(
                update(Booking)
                .where(Booking.id == found.id, Booking.status == BOOKED)
                .values(status=CANCELLED, cancelled_at=ctx.clock.now())
            ),
        )
        if done.rowcount != 1:
            raise Conflict(_("Booking ini tidak dapat dibatalkan lagi."))
        s.execute(_GIVE_SEAT, {"id": found.slot_id, "regular": 0 if found.priority else 1})
        cancelled = cast(Booking, s.get(Booking, found.id))
        webhooks.on_booking(ctx, s, "booking.cancelled", cancelled)
    _changed()
    return cancelled


def _release_due(s: Session | Connection, ctx: Context, limit: int) -> int:
    now = ctx.clock.now()
    due = s.execute(_DUE, {"now": now, "limit": limit}).all()
    n = 0
    for booking_id, slot_id, priority in due:
        done = cast(
            "CursorResult[Any]",
            s.execute(
                update(Booking)
                .where(Booking.id == booking_id, Booking.status == BOOKED)
                .values(status=NO_SHOW, released_at=now)
            ),
        )
        if done.rowcount == 1:
            s.execute(_GIVE_SEAT, {"id": slot_id, "regular": 0 if priority else 1})
            n += 1
    return n


def release_no_shows(ctx: Context, limit: int = 1000) -> int:
    """Release every unclaimed booking whose release time passed: a no-show counted against its NIK, the
    seat given back (walk-ins may use it). Run periodically, and on each booking for a few."""
    with ctx.store.transaction() as s:
        released = _release_due(s, ctx, limit)
    if released:
        _changed()
    return released


# ---- what the kiosk's check-in and the status page need ------------------------------------


@dataclass(frozen=True)
class CheckInWindow:
    """When a booking may check in at the kiosk, and where `now` stands: "early", "open", "late" or "closed"
    (not booked any more); `walk_in` says whether the kiosk may give a walk-in ticket outside it."""

    opens_at: datetime
    closes_at: datetime
    state: str
    walk_in: bool


def check_in_window(ctx: Context, booking: Booking) -> CheckInWindow:
    """The booking's check-in window under the service's rules (the office's early/late minutes)."""
    rule = config(ctx).services.get(booking.service_code) or ServiceBooking()
    opens = booking.starts_at - timedelta(minutes=rule.check_in_early_minutes)
    closes = booking.starts_at + timedelta(minutes=rule.check_in_late_minutes)
    now = ctx.clock.now()
    if booking.status != BOOKED:
        state = "closed"
    elif now < opens:
        state = "early"
    elif now > closes:
        state = "late"
    else:
        state = "open"
    return CheckInWindow(opens, closes, state, rule.walk_in_when_outside_window)


def mark_checked_in(s: Session, booking_id: int, ticket_id: int, at: datetime) -> bool:
    """In the check-in's own transaction (with the ticket it issues): booked -> checked_in, once.

    False when the booking was no longer booked (cancelled, released, checked in by a concurrent scan):
    the caller then rolls back its ticket."""
    done = cast(
        "CursorResult[Any]",
        s.execute(
            update(Booking)
            .where(Booking.id == booking_id, Booking.status == BOOKED)
            .values(status=CHECKED_IN, checked_in_at=at, ticket_id=ticket_id)
        ),
    )
    return done.rowcount == 1


def booking_view(ctx: Context, booking: Booking, *, personal: bool = False) -> dict[str, Any]:
    """A booking as its holder sees it (no NIK or phone); `personal=True` adds them for the front desk only."""
    sop = ctx.catalog.get(booking.service_code)
    window = check_in_window(ctx, booking)
    local = ctx.clock.local
    view: dict[str, Any] = {
        "code": booking.code,
        "status_code": signer(ctx).short(booking.code, booking.day),  # the booking QR: <public base>/s/<status_code>
        "service": booking.service_code,
        "service_name": sop.name.model_dump() if sop else {"id": booking.service_code, "en": booking.service_code},
        "requirements": [r.model_dump(mode="json") for r in sop.requirements] if sop else [],
        "day": booking.day.isoformat(),
        "start": f"{local(booking.starts_at):%H:%M}",
        "end": f"{local(booking.ends_at):%H:%M}",
        "starts_at": booking.starts_at.isoformat(),
        "status": booking.status,
        "status_label": STATUS_LABELS[booking.status],
        "priority": booking.priority is not None,
        "priority_label": PRIORITY_LABELS.get(Priority(booking.priority)) if booking.priority else None,
        "check_in": {
            "opens": f"{local(window.opens_at):%H:%M}",
            "closes": f"{local(window.closes_at):%H:%M}",
            "state": window.state,
            "walk_in": window.walk_in,
        },
        "release_at": booking.release_at.isoformat(),
        "ticket_id": booking.ticket_id,
    }
    if personal:
        view.update(nik=booking.nik, phone=booking.phone)
    return view


def purge_bookings(ctx: Context, older_than_days: int) -> int:
    """Blank the NIK and phone of bookings over (their slot) more than N days ago, as for applicants (UU 27/2022)."""
    now = ctx.clock.now()
    cutoff = now - timedelta(days=older_than_days)
    with ctx.store.transaction() as s:
        done = cast(
            "CursorResult[Any]",
            s.execute(
                update(Booking)
                .where(Booking.ends_at < cutoff, Booking.status != BOOKED, Booking.purged_at.is_(None))
                .values(nik=None, phone=None, email=None, purged_at=now)
            ),
        )
        return done.rowcount or 0


# ---- a regular ticket instead of a refused check-in ------------------------------------------


def walk_in_note(ctx: Context, booking: Booking) -> dict[str, str] | None:
    """What a regular ticket taken instead of this booking's refused check-in does to the booking, for the
    kiosk to say before the tap: today's booking is ended (end_for_walk_in), another day's stays valid.
    None when the booking is no longer booked (the ticket changes nothing)."""
    if booking.status != BOOKED:
        return None
    if booking.day == ctx.clock.today():
        start = f"{ctx.clock.local(booking.starts_at):%H:%M}"  # as the refusal above it
        return texts(
            _(
                "Booking Anda untuk pukul %(start)s akan dibatalkan dan Anda mendapat nomor antrean biasa.",
                start=start,
            )
        )
    names = DAY_NAMES[WEEKDAYS[booking.day.weekday()]]
    day = {"id": f"{names[0]}, {booking.day:%d-%m-%Y}", "en": f"{names[1]}, {booking.day:%d-%m-%Y}"}
    return texts(_("Booking Anda untuk %(day)s tetap berlaku. Anda mendapat nomor antrean biasa.", day=day))


def end_for_walk_in(s: Session, booking: Booking, at: datetime) -> bool:
    """In the regular ticket's own transaction: today's booking, refused at check-in, is cancelled (not a
    no-show: the resident came, and the reports count it as cancelled, not judged) and its seat given back,
    as a cancellation by its holder. False when it was no longer booked (a concurrent tap or the release)."""
    done = cast(
        "CursorResult[Any]",
        s.execute(
            update(Booking)
            .where(Booking.id == booking.id, Booking.status == BOOKED)
            .values(status=CANCELLED, cancelled_at=at)
        ),
    )
    if done.rowcount != 1:
        return False
    s.execute(_GIVE_SEAT, {"id": booking.slot_id, "regular": 0 if booking.priority else 1})
    return True


def seats_changed() -> None:
    """After end_for_walk_in's transaction: the slots' listings are read again (a seat is free)."""
    _changed()
