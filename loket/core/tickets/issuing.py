"""Issuing tickets: at the kiosk or at the counter (walk-in), within the office's hours, quotas and stock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Date, String, bindparam, func, insert, literal, literal_column, null, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from loket.core.accounts import acting_at_counter
from loket.core.booking import walkin
from loket.core.booking.operations import normal_email, normal_phone
from loket.core.catalog import Sop
from loket.core.context import Context
from loket.core.disruptions import TITIP, stops_tickets, titip_fits, titip_offered
from loket.core.errors import ServiceUnavailable
from loket.core.events import Event
from loket.core.messages import _, texts
from loket.core.roles import Actor
from loket.core.settings import OfficeSettings
from loket.core.states import QUEUED, Priority, TicketState, check_transition
from loket.core.store import NEXT_NUMBER, BookingSlot, Direct, StepVisit, Ticket, UTCDateTime

from .queue import busy_counters_by_role, estimate, recent_first_steps, waiting_by_role_and_service
from .records import (
    open_visit,
    queue_key,
    record_event,
    require_step_role,
    service,
    set_state,
    ticket_by_id,
    waiting_by_service,
)
from .views import Outcome, TicketView, VisitView, ticket_view

S = TicketState

#: The source of a booking's check-in ticket (loket.core.checkin): its seat was counted when booked,
#: so it neither needs nor takes a place of the day's quota.
CHECK_IN_SOURCE = "booking"


@dataclass(frozen=True)
class Availability:
    """Whether the kiosk may issue a ticket for a service now, and if not, why in plain words."""

    ok: bool
    reason: str | None = None  # closed | outside_hours | quota_full | walk_in_full
    message: dict[str, str] | None = None
    quota: int | None = None
    #: Today's tickets counted against the quota and the walk-in share (not a booking's, not voided ones).
    issued_today: int = 0
    #: For a service bookable today, its walk-in share as of now (booking/walkin.py); None otherwise.
    walk_in: walkin.WalkInShare | None = None
    #: Walk-in share used up: when ("HH:MM", office time) a walk-in number may come again today (a slot with a
    #: free online seat starts before issuing closes), else None.
    next_at: str | None = None

    @property
    def limit(self) -> int | None:
        """How many tickets may be issued today as of now: the office's quota or the walk-in share, the smaller."""
        limits = [n for n in (self.quota, self.walk_in.seats if self.walk_in else None) if n is not None]
        return min(limits) if limits else None

    @property
    def remaining(self) -> int | None:
        """Tickets left now under today's quota and walk-in share (None: neither)."""
        limit = self.limit
        return None if limit is None else max(0, limit - self.issued_today)

    def as_dict(self) -> dict[str, Any]:
        """The verdict as JSON for the kiosk."""
        return {
            "ok": self.ok,
            "reason": self.reason,
            "message": self.message,
            "quota": self.quota,
            "issued_today": self.issued_today,
            "limit": self.limit,
            "remaining": self.remaining,
            "walk_in": self.walk_in.as_dict() if self.walk_in else None,
            "next_at": self.next_at,
        }


#: Tickets that count against a quota and the walk-in share: a booking's check-in issues its ticket on the
#: booking's seat, and a voided ticket nobody held gives its place back.
_COUNTED = (Ticket.source != CHECK_IN_SOURCE, Ticket.state != S.VOIDED.value)

#: A bookable service's day in one statement (the one query issue 13 adds to the kiosk's ticket): the made
#: slots' seats, and one row without a start carrying today's counted tickets.
_DAY_SEATS = union_all(
    select(BookingSlot.starts_at, BookingSlot.capacity, BookingSlot.taken).where(
        BookingSlot.service_code == bindparam("service", type_=String),
        BookingSlot.day == bindparam("day", type_=Date),
    ),
    select(null().cast(UTCDateTime), func.count(), literal(0)).where(
        Ticket.service_day == bindparam("day", type_=Date),
        Ticket.service_code == bindparam("service", type_=String),
        *_COUNTED,
    ),
)


def issue(
    loket: Context,
    service_code: str,
    priority: str | None = None,
    source: str = "kiosk",
    *,
    issuer: str | None = None,
    key: str | None = None,
    phone: str | None = None,
    email: str | None = None,
) -> Outcome:
    """Give a resident a numbered ticket for a service (`phone`: their number for messages, if they gave one).

    With a `key` (the kiosk's Idempotency-Key, one per tap), a retry of the same tap by the same
    `issuer` today returns the ticket the first try made (Outcome.replayed, no events), also when
    both tries run at once: the unique key lets one of them in, the other reads its ticket. A retry
    is rare, so the ticket is written first and the key's unique index finds the retry (its
    transaction, number included, rolls back), instead of a read before every ticket.
    """
    if source != TITIP and stops_tickets(loket, service_code):  # a disruption, and no ticket meanwhile
        raise ServiceUnavailable(
            _("Layanan ini sedang gangguan; nomor antrean tidak diberikan sementara."), code="disrupted"
        )
    try:
        with loket.store.transaction() as s:
            if source == TITIP:  # leaving the berkas: only while a disruption offers it, for a service that fits
                _titip_allowed(loket, s, service_code)
            # A retry, or a concurrent try, with the same key fails at the insert, before the answer.
            view, events = new_ticket(
                loket,
                s,
                service_code,
                priority,
                source,
                issuer=issuer,
                key=key,
                phone=normal_phone(phone),
                email=normal_email(email),
            )
        loket.store.issued()  # committed (PostgreSQL keeps the queue's counts on the index: store.py)
        return Outcome(view, events)
    except IntegrityError:
        replay = ticket_for_key(loket, issuer, key) if key is not None else None
        if replay is None:
            raise
        return replay


def _titip_allowed(loket: Context, s: Session, service_code: str) -> None:
    """Refuse a left berkas (titip) unless a disruption in force offers it and the service's steps allow it."""
    sop = service(loket, service_code)
    if not titip_offered(s, service_code):
        raise ServiceUnavailable(
            _("Titip berkas hanya tersedia selama gangguan, bila kantor menawarkannya."), code="titip_unavailable"
        )
    if not titip_fits(sop.snapshot()):
        raise ServiceUnavailable(
            _("Berkas layanan ini tidak dapat dititipkan: tahap berikutnya memerlukan kehadiran Anda."),
            code="titip_unavailable",
        )


def ticket_for_key(loket: Context, issuer: str | None, key: str) -> Outcome | None:
    """Today's ticket already issued for this issuer's key, as a replayed outcome, or None."""
    with loket.store.read() as s:
        ticket = s.scalar(
            select(Ticket).where(
                Ticket.service_day == loket.clock.today(),
                Ticket.issuer == issuer,
                Ticket.idempotency_key == key,
            )
        )
        if ticket is None:
            return None
        return Outcome(ticket_view(loket, s, ticket, with_ahead=True), [], replayed=True)


def serve_walk_in(loket: Context, actor: Actor, service_code: str, priority: str | None = None) -> Outcome:
    """A resident without a ticket at the counter: issue one and start serving at once."""
    now = loket.clock.now()
    with loket.store.transaction() as s:
        user, counter = acting_at_counter(s, actor)
        issued, events = new_ticket(loket, s, service_code, priority, "walk_in")
        ticket = ticket_by_id(s, issued.id)
        require_step_role(ticket, actor)
        check_transition(S.WAITING, S.SERVING, "layani langsung")
        set_state(loket, ticket, S.SERVING, now, keep_queue=True)
        ticket.counter = counter
        visit = open_visit(ticket, now)
        visit.started_at = now
        visit.officer = user
        visit.counter = counter
        events.append(record_event(loket, s, "ticket.started", ticket, counter, user))
        return Outcome(ticket_view(loket, s, ticket), events)


_NEXT_NUMBER = Direct(NEXT_NUMBER)

# The kiosk's statements, built once: SQLAlchemy compiles a statement once, but building it again for
# every ticket cost more CPU than running it.
# On SQLite they run straight on the DB-API cursor (store.Direct: SQLAlchemy's execution cost more than them).
_TICKET_KEYS = (
    "service_day",
    "prefix",
    "seq",
    "number",
    "service_code",
    "steps",
    "priority",
    "source",
    "issuer",
    "idempotency_key",
    "phone",
    "email",
    "state",
    "step_index",
    "current_role",
    "queue_key",
    "queued_at",
    "call_count",
    "surveyed",
    "issued_at",
    "version",
)
_INSERT_TICKET = Direct(insert(Ticket).returning(Ticket.id), _TICKET_KEYS)
_INSERT_VISIT = Direct(insert(StepVisit), ("ticket_id", "step_index", "role", "target_minutes", "entered_at"))
#: A new ticket's place: how many wait before it for its step's role, and how many wait for its service.
_PLACE = Direct(
    select(
        func.count().filter(
            Ticket.current_role == bindparam("role"),
            (Ticket.queue_key < bindparam("place"))
            | ((Ticket.queue_key == bindparam("place")) & (Ticket.id < bindparam("id"))),
        ),
        func.count().filter(Ticket.service_code == bindparam("service")),
    ).where(
        # the states written out (an IN list of parameters is expanded per run, which Direct does not do)
        Ticket.state.in_([literal_column(repr(st.value)) for st in sorted(QUEUED)]),
        Ticket.queued_at >= bindparam("day_start"),
    )
)
#: PostgreSQL: the first visit written by the place count's statement (a data-modifying WITH), one round trip less
#: while the number's row is locked (it is held until the commit, so a service's tickets go one at a time across
#: every process). The count reads tickets only: it counts what `_PLACE` counts.
_VISIT_AND_PLACE = Direct(
    _PLACE.statement.add_cte(
        insert(StepVisit)
        .values({key: bindparam(key) for key in ("ticket_id", "step_index", "role", "target_minutes", "entered_at")})
        .cte("first_visit")
    )
)


def new_ticket(
    loket: Context,
    s: Session,
    service_code: str,
    priority: str | None,
    source: str,
    *,
    issuer: str | None = None,
    key: str | None = None,
    queued_as: datetime | None = None,
    quota: bool = True,
    phone: str | None = None,
    email: str | None = None,
) -> tuple[TicketView, list[Event]]:
    """Add today's next ticket of the service, if the service is available; in an open transaction.

    The kiosk's hot path (issue 12): a few SQL statements, no ORM objects. Its number, its row, its first
    step's visit and its event are written; one count gives both its place in line and the service's queue.
    A booking's check-in passes `queued_as` (its slot's start: its place in line, the priority head start
    still applied) and `quota=False` (its seat was counted when booked; closed days and hours still hold).
    """
    sop = service(loket, service_code)
    settings = loket.settings
    prio = Priority(priority).value if priority else None
    now = loket.clock.now()
    day = loket.clock.today()
    conn = s.connection()
    # The sequence row is locked first, so the quota count below cannot race
    # with another kiosk issuing for the same service (PostgreSQL row lock;
    # SQLite holds the database write lock already).
    # The walk-in share below is counted the same way, under the same lock (booking/walkin.py).
    seq = int(_NEXT_NUMBER.run(conn, {"day": day, "prefix": sop.prefix}).fetchone()[0])
    verdict = availability(loket, s, sop, settings, count=quota and settings.rule(sop.code).quota is not None)
    if not verdict.ok and (quota or verdict.reason not in ("quota_full", "walk_in_full")):
        label = verdict.message or texts(_("Layanan tidak tersedia."))
        raise ServiceUnavailable(label["id"], code=verdict.reason, label=label)
    steps = sop.snapshot()
    first = steps[0]
    # A left berkas (titip) never stands in the hall's queue: it waits in the front desk's work list until the
    # resident hands the documents over there (the desk scans its QR), then goes on without the resident.
    initial = S.IN_PROCESS if source == TITIP else S.WAITING
    number = f"{sop.prefix}-{seq:03d}"
    place = queue_key(loket, queued_as or now, prio)
    ticket_id = _INSERT_TICKET.run(
        conn,
        {
            "service_day": day,
            "prefix": sop.prefix,
            "seq": seq,
            "number": number,
            "service_code": sop.code,
            "steps": steps,
            "priority": prio,
            "source": source,
            "issuer": issuer,
            "idempotency_key": key,
            "phone": phone,
            "email": email,
            "state": initial.value,
            "step_index": 0,
            "current_role": first["role"],
            "queue_key": place,
            "queued_at": now,
            "call_count": 0,
            "surveyed": False,
            "issued_at": now,
            "version": 1,
        },
    ).fetchone()[0]
    visit = {
        "ticket_id": ticket_id,
        "step_index": 0,
        "role": first["role"],
        "target_minutes": first["target_minutes"],
        "entered_at": now,
    }
    counted = {
        "role": first["role"],
        "place": place,
        "id": ticket_id,
        "service": sop.code,
        "day_start": loket.clock.day_start(day),
    }
    if conn.dialect.name == "postgresql":
        ahead, waiting = _VISIT_AND_PLACE.run(conn, {**visit, **counted}).fetchone()
    else:
        _INSERT_VISIT.run(conn, visit)
        ahead, waiting = _PLACE.run(conn, counted).fetchone()
    view = TicketView(
        id=ticket_id,
        number=number,
        service_day=day,
        service_code=sop.code,
        service_name=sop.name.model_dump(),
        priority=prio,
        state=initial,
        step_index=0,
        steps=steps,
        current_role=first["role"],
        pending_reason=None,
        state_note=None,
        missing=[],
        counter_name=None,
        counter_number=None,
        call_count=0,
        issued_at=now,
        queued_at=now,
        closed_at=None,
        code=loket.signer.sign(ticket_id, day, number),
        status_code=loket.signer.short(ticket_id, day, number),
        source=source,
        calls_before_no_show=loket.effective_settings.calls_before_no_show,
        as_of=now,
        ahead=ahead if initial is S.WAITING else None,
        visits=[VisitView(0, first["role"], first["target_minutes"], None, None, now, None, None, None, None, None)],
    )
    return view, [record_event(loket, s, "ticket.issued", view, None, None, waiting=waiting)]


def availability(
    loket: Context,
    s: Session,
    sop: Sop,
    settings: OfficeSettings,
    *,
    count: bool = True,
    issued: int | None = None,
    slots: walkin.SlotSeats | None = None,
) -> Availability:
    """Whether the service issues tickets now: closed today, outside the hours, its quota or its walk-in
    share used up.

    Counted against the office's quota and, for a service bookable today, against the day's walk-in share
    (booking/walkin.py: the seats kept for walk-ins in every slot, plus the online seats nobody holds in
    the slots already started; the smaller limit wins): today's tickets of the service but a booking's
    check-in's (source "booking") and voided ones.

    Without `count` (a service with no quota, when only the verdict matters) today's tickets are not counted,
    unless the service is bookable today; with `issued` (counted already, for every service at once:
    issued_today, and the made slots `slots` for a bookable one) they are not counted again. A bookable
    service costs one query here (its made slots and its count together); one that is not, none more.
    """
    name = sop.name
    rule = settings.rule(sop.code)
    today = loket.clock.today()
    now = loket.clock.now()
    bookable = walkin.bookable_today(loket, sop.code, today)
    if bookable is not None and (issued is None or slots is None):
        made: dict[Any, tuple[int, int]] = {}
        counted = 0
        for starts_at, capacity, taken in s.execute(_DAY_SEATS, {"service": sop.code, "day": today}):
            if starts_at is None:
                counted = int(capacity)
            else:
                made[starts_at] = (capacity, taken)
        issued = counted if issued is None else issued
        slots = made
    if issued is None:
        issued = 0
        if count:
            issued = (
                s.scalar(
                    select(func.count()).where(Ticket.service_day == today, Ticket.service_code == sop.code, *_COUNTED)
                )
                or 0
            )
    share = walkin.share(loket, bookable[0], today, bookable[1], slots or {}, now) if bookable else None
    if rule.closed:
        why = f" {rule.closed_reason}" if rule.closed_reason else ""
        return Availability(
            False,
            "closed",
            {
                "id": f"Layanan {name.id} ditutup hari ini.{why}",
                "en": f"{name.en} is closed today.{why}",
            },
            rule.quota,
            issued,
            share,
        )
    local = loket.clock.local(now)
    hours = settings.hours_on(local) if settings.hours is not None else None
    if settings.hours is not None:
        if hours is None:
            return Availability(
                False,
                "outside_hours",
                {
                    "id": "Hari ini tidak ada pelayanan. Silakan datang pada hari kerja.",
                    "en": "There is no service today. Please come on a working day.",
                },
                rule.quota,
                issued,
                share,
            )
        if local.time() < hours.open:
            return Availability(
                False,
                "outside_hours",
                {
                    "id": f"Pengambilan nomor antrean dibuka pukul {hours.open:%H:%M}.",
                    "en": f"Tickets are issued from {hours.open:%H:%M}.",
                },
                rule.quota,
                issued,
                share,
            )
        if local.time() >= hours.close:
            return Availability(
                False,
                "outside_hours",
                {
                    "id": f"Pengambilan nomor antrean hari ini sudah ditutup pukul {hours.close:%H:%M}. "
                    "Silakan datang kembali pada hari kerja berikutnya.",
                    "en": f"Ticket issuing closed at {hours.close:%H:%M} today. Please come back on the next "
                    "working day.",
                },
                rule.quota,
                issued,
                share,
            )
    if rule.quota is not None and issued >= rule.quota:
        return Availability(
            False,
            "quota_full",
            {
                "id": f"Kuota {name.id} hari ini ({rule.quota} nomor) sudah habis. Silakan datang kembali besok.",
                "en": f"Today's quota for {name.en} ({rule.quota} tickets) is used up. Please come back tomorrow.",
            },
            rule.quota,
            issued,
            share,
        )
    if share is not None and issued >= share.seats:
        later = share.next_at
        if later is not None and hours is not None and loket.clock.local(later).time() >= hours.close:
            later = None  # the next free seat comes after issuing closes today
        at = share.next_local if later is not None else None
        message = (
            _(
                "Kuota antrean langsung (walk-in) %(service)s hari ini sudah habis. Nomor berikutnya tersedia "
                "pukul %(at)s bila masih ada kursi yang tidak dipesan online.",
                service=name.model_dump(),
                at=at,
            )
            if at is not None
            else _(
                "Kuota antrean langsung (walk-in) %(service)s hari ini sudah habis. Silakan pesan antrean "
                "online untuk hari lain.",
                service=name.model_dump(),
            )
        )
        return Availability(False, "walk_in_full", texts(message), rule.quota, issued, share, at)
    return Availability(True, quota=rule.quota, issued_today=issued, walk_in=share)


def blanko(sop: Sop, settings: OfficeSettings) -> dict[str, Any] | None:
    """The KTP-el blank card stock as the kiosk tells it, for a service that uses the cards."""
    if not sop.uses_blanko or settings.blanko_stock is None:
        return None
    out = settings.blanko_stock == 0
    message = (
        {
            "id": "Blanko KTP-el sedang habis. Anda akan menerima Surat Keterangan (Suket) pengganti KTP-el "
            "yang berlaku sah.",
            "en": "KTP-el blank cards are out of stock. You will receive a valid certificate (Suket) instead.",
        }
        if out
        else texts(_("Blanko KTP-el tersedia."))
    )
    return {"stock": settings.blanko_stock, "out": out, "message": message}


def blanko_notice(loket: Context, service_code: str) -> dict[str, str] | None:
    """What to tell a resident about blank cards for this service, if anything."""
    sop = service(loket, service_code)
    stock = blanko(sop, loket.settings)
    return stock["message"] if stock and stock["out"] else None


def issued_today(loket: Context, s: Session) -> dict[str, int]:
    """Today's tickets per service code, as availability() counts them (not a booking's, not voided ones)."""
    rows = s.execute(
        select(Ticket.service_code, func.count())
        .where(Ticket.service_day == loket.clock.today(), *_COUNTED)
        .group_by(Ticket.service_code)
    ).all()
    return {code: n for code, n in rows}


def services_overview(loket: Context, code: str | None = None) -> list[dict[str, Any]]:
    """Per service (or for the one `code`), what a kiosk shows before a ticket: open or not, queue, estimated wait.

    Every kiosk asks for this every 30 s and after each burst of tickets (issue 12), so it is a few grouped
    queries for all services at once, not four per service: today's tickets per service, who waits per
    service and per role, the counters at work per role, and each service's recent first steps; and, when
    some are bookable today, their made booking slots (for the walk-in share), in one more.
    """
    sops = [sop for sop in loket.catalog if code is None or sop.code == code]
    with loket.store.read() as s:
        settings = loket.settings
        issued = issued_today(loket, s)
        today = loket.clock.today()
        bookable = [sop.code for sop in sops if walkin.bookable_today(loket, sop.code, today) is not None]
        slots = walkin.slot_seats(s, bookable, today)
        waiting = waiting_by_service(loket, s)
        by_role = waiting_by_role_and_service(loket, s)
        busy = busy_counters_by_role(loket, s)
        # Every service's: a queue's estimate counts the services of the people in it, not only this one.
        recent = recent_first_steps(loket, s, [sop.code for sop in loket.catalog])
        out = []
        for sop in sops:
            role = sop.steps[0].role.value
            verdict = availability(
                loket, s, sop, settings, issued=issued.get(sop.code, 0), slots=slots.get(sop.code, {})
            )
            in_queue = by_role.get(role, {})
            ahead = sum(in_queue.values())
            minutes, basis = estimate(loket.catalog, in_queue, recent, busy.get(role, 0))
            out.append(
                {
                    "code": sop.code,
                    "waiting": waiting.get(sop.code, 0),
                    "ahead": ahead,
                    "estimate_minutes": minutes,
                    "estimate_basis": basis,
                    "availability": verdict.as_dict(),
                    "blanko": blanko(sop, settings),
                }
            )
        return out
