"""Which ticket events make a message to the resident, written in the event's own transaction.

A message exists only when the resident opted in with a number (Ticket.phone). Its idempotency key is
the event's (office and event id), so the same event never makes two messages, and every try of the
message carries the key to the gateway.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Connection, Table, and_, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from loket.core.contact import render
from loket.core.context import Context
from loket.core.qr import STATUS_PATH
from loket.core.settings import DAY_NAMES, WEEKDAYS, hours_lines
from loket.core.states import PENDING_BRING, PENDING_LABELS, QUEUED, PendingReason, TicketState
from loket.core.store import Booking, Counter, OutboxMessage, Ticket

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
#: Not finished: a later message of the same resident waits for it.
OPEN_STATES = (PENDING, SENDING)

#: Events after which the people ahead in a queue may have fallen to N ("N orang lagi"): someone left it.
_QUEUE_MOVES = frozenset({"ticket.called", "ticket.transferred", "ticket.cancelled", "ticket.no_show"})


def moment_of(kind: str, ticket: Ticket, extra: dict[str, Any]) -> str | None:
    """The moment an event is, if it is one a resident hears of (a recall is not a second message)."""
    if kind == "ticket.called" and not extra.get("recall"):
        return "called"
    if kind == "ticket.pended":
        return "pending"
    if kind == "ticket.returned":
        return "returned"
    if kind == "ticket.ready" or (kind == "ticket.resumed" and ticket.state == TicketState.READY.value):
        return "ready"
    return None


def status_link(loket: Context, ticket: Ticket) -> str:
    """The ticket's status page at this server (at a site: its short HMAC code, not the printed QR's longer one)."""
    return loket.public_base() + STATUS_PATH + loket.signer.local_short(ticket.id, ticket.service_day, ticket.number)


def _service_name(loket: Context, code: str) -> dict[str, str]:
    sop = loket.catalog.get(code)
    return sop.name.model_dump() if sop else {"id": code, "en": code}


def _values(loket: Context, moment: str, ticket: Ticket, counter: Counter | None) -> dict[str, dict[str, str]]:
    values = {
        "number": _both(ticket.number),
        "service": _service_name(loket, ticket.service_code),
        "link": _both(status_link(loket, ticket)),
    }
    if moment == "called":
        values["counter"] = _both(counter.name if counter else "loket")
    elif moment == "pending":
        reason = PendingReason(ticket.pending_reason or PendingReason.OTHER.value)
        values["reason"] = PENDING_LABELS[reason]
        values["bring"] = PENDING_BRING[reason]
    elif moment == "returned":
        sop = loket.catalog.get(ticket.service_code)
        labels = {r.key: r.text.model_dump() for r in sop.requirements} if sop else {}
        missing = [labels.get(key, {"id": key, "en": key}) for key in ticket.missing or []]
        values["missing"] = {lang: "; ".join(m[lang] for m in missing) or "-" for lang in ("id", "en")}
    elif moment == "ready":
        hours = loket.effective_settings.pickup_hours_in_force()
        values["hours"] = {
            lang: "; ".join(hours_lines(hours, lang)) or ("jam layanan kantor" if lang == "id" else "office hours")
            for lang in ("id", "en")
        }
    return values


def _both(text: str) -> dict[str, str]:
    return {"id": text, "en": text}


def contacts(phone: str | None, email: str | None) -> list[tuple[str, str]]:
    """Where a resident's messages go: (channel, address), the number first."""
    return [(channel, address) for channel, address in (("phone", phone), ("email", email)) if address]


def _message(
    loket: Context, key: str, ordering: str, moment: str, channel: str, address: str, text: dict[str, str], **ids: Any
) -> dict[str, Any]:
    now = loket.clock.now()
    return {
        "idempotency_key": f"{loket.signer.office}:{key}:{channel}",
        "ordering_key": ordering,
        "moment": moment,
        "channel": channel,
        "address": address,
        "text_id": text["id"],
        "text_en": text["en"],
        "state": PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "updated_at": now,
        "ticket_id": ids.get("ticket_id"),
        "booking_id": ids.get("booking_id"),
    }


def _insert_once(s: Session | Connection, rows: list[dict[str, Any]]) -> int:
    """Insert the messages whose idempotency key is new; a key already written is left as it is (never twice)."""
    if not rows:
        return 0
    table = cast("Table", OutboxMessage.__table__)
    dialect = (s.bind if isinstance(s, Session) else s).dialect.name  # type: ignore[union-attr]
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(table).values(rows).on_conflict_do_nothing(index_elements=["idempotency_key"])
    return len(s.execute(statement.returning(table.c.id)).all())  # rowcount is -1 on some drivers


def on_event(
    loket: Context,
    s: Session,
    kind: str,
    ticket: Ticket,
    counter: Counter | None,
    event_id: int | None,
    extra: dict[str, Any],
) -> list[OutboxMessage]:
    """Write the messages an event makes, if any, in the event's transaction (`s`): to the ticket's resident,
    and "N orang lagi" to those whose place the event moved up. Returns the ticket's own new messages."""
    if event_id is None:
        return []
    settings = loket.effective_settings.messages
    if kind in _QUEUE_MOVES and settings.enabled("ahead"):
        _ahead_messages(loket, s, ticket.current_role, settings.ahead_n)
    moment = moment_of(kind, ticket, extra)
    if moment is None or not settings.enabled(moment):
        return []
    text = None
    written = []
    for channel, address in contacts(ticket.phone, ticket.email):
        text = text or render(settings.texts(moment), _values(loket, moment, ticket, counter))
        row = _message(
            loket, f"ev{event_id}", f"ticket:{ticket.id}", moment, channel, address, text, ticket_id=ticket.id
        )
        message = OutboxMessage(**row)
        s.add(message)
        written.append(message)
    return written


def _ahead_messages(loket: Context, s: Session, role: str, n: int) -> None:
    """ "N orang lagi" to every resident with a contact in `role`'s queue whose people ahead are now N or fewer,
    once per ticket and step (its key): the first time their place falls to N. One read: the queue's first N+1."""
    s.flush()  # the event's own change (the called ticket out of the queue) counted
    first = s.scalars(
        select(Ticket)
        .where(queued_today(loket), Ticket.current_role == role)
        .order_by(Ticket.queue_key, Ticket.id)
        .limit(n + 1)
    ).all()
    rows = []
    for before, ticket in enumerate(first):
        if ticket.state != TicketState.WAITING.value or not (ticket.phone or ticket.email):
            continue
        if before == 0:  # next in line: "tinggal 0 orang lagi" says nothing; the call itself comes next
            continue
        text = render(
            loket.effective_settings.messages.texts("ahead"),
            {**_values(loket, "ahead", ticket, None), "ahead": _both(str(before))},
        )
        key = f"t{ticket.id}:s{ticket.step_index}:ahead"
        ordering = f"ticket:{ticket.id}"
        for channel, address in contacts(ticket.phone, ticket.email):
            rows.append(_message(loket, key, ordering, "ahead", channel, address, text, ticket_id=ticket.id))
    _insert_once(s, rows)


def queued_today(loket: Context) -> ColumnElement[bool]:
    """Tickets standing in the hall's queue today (as records.queued_today, which this module cannot import)."""
    return and_(
        Ticket.state.in_([st.value for st in QUEUED]),
        Ticket.queued_at >= loket.clock.day_start(loket.clock.today()),
    )


# ---- booking moments ----------------------------------------------------------------------


def booking_values(loket: Context, booking: Booking, link: str) -> dict[str, dict[str, str]]:
    local = loket.clock.local(booking.starts_at)
    day = {lang: f"{DAY_NAMES[WEEKDAYS[local.weekday()]][i]}, {local:%d-%m-%Y}" for i, lang in enumerate(("id", "en"))}
    return {
        "code": _both(booking.code),
        "service": _service_name(loket, booking.service_code),
        "day": day,
        "time": _both(f"{local:%H:%M}"),
        "link": _both(link),
    }


def on_booking(loket: Context, s: Session | Connection, moment: str, booking: Booking, link: str) -> int:
    """Write a booking's message ("booked" or "reminder") in the caller's transaction, once per booking and
    moment (its key): a second call writes nothing. `link`: the booking's status page. Returns messages written."""
    settings = loket.effective_settings.messages
    if not settings.enabled(moment):
        return 0
    targets = contacts(booking.phone, booking.email)
    if not targets:
        return 0
    text = render(settings.texts(moment), booking_values(loket, booking, link))
    ordering = f"booking:{booking.id}"
    rows = [
        _message(loket, f"b{booking.id}:{moment}", ordering, moment, channel, address, text, booking_id=booking.id)
        for channel, address in targets
    ]
    return _insert_once(s, rows)


def purge_addresses(s: Session, cutoff: datetime, idle_tickets: Any) -> int:
    """Blank the numbers of residents whose berkas is idle since `cutoff` (UU 27/2022): on their tickets and on
    every message written before then; a message still undelivered then is given up. Returns messages blanked."""
    s.execute(
        update(Ticket)
        .where(Ticket.id.in_(idle_tickets), or_(Ticket.phone.is_not(None), Ticket.email.is_not(None)))
        .values(phone=None, email=None)
    )
    old = and_(OutboxMessage.address.is_not(None), OutboxMessage.created_at < cutoff)
    s.execute(
        update(OutboxMessage)
        .where(old, OutboxMessage.state.in_(OPEN_STATES))
        .values(state=FAILED, last_error="purged before delivery", claimed_by=None)
    )
    done = s.execute(
        update(OutboxMessage)
        .where(old, or_(OutboxMessage.ticket_id.is_(None), OutboxMessage.ticket_id.in_(idle_tickets)))
        .values(address=None)
    )
    return int(getattr(done, "rowcount", 0) or 0) if isinstance(done, CursorResult) else 0


def messages_of(s: Session, ticket_id: int) -> list[OutboxMessage]:
    """A ticket's messages, oldest first (for staff: their delivery state)."""
    return list(s.scalars(select(OutboxMessage).where(OutboxMessage.ticket_id == ticket_id).order_by(OutboxMessage.id)))
