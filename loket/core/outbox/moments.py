"""Which ticket events make a message to the resident, written in the event's own transaction.

A message exists only when the resident opted in with a number (Ticket.phone). Its idempotency key is
the event's (office and event id), so the same event never makes two messages, and every try of the
message carries the key to the gateway.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from loket.core.context import Context
from loket.core.qr import STATUS_PATH
from loket.core.settings import hours_lines
from loket.core.states import PENDING_BRING, PENDING_LABELS, PendingReason, TicketState
from loket.core.store import Counter, OutboxMessage, Ticket

from .texts import render

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
#: Not finished: a later message of the same resident waits for it.
OPEN_STATES = (PENDING, SENDING)


def moment_of(kind: str, ticket: Ticket, extra: dict[str, Any]) -> str | None:
    """The moment an event is, if it is one a resident hears of (a recall is not a second message)."""
    if kind == "ticket.called" and not extra.get("recall"):
        return "called"
    if kind == "ticket.pended":
        return "pending"
    if kind == "ticket.ready" or (kind == "ticket.resumed" and ticket.state == TicketState.READY.value):
        return "ready"
    return None


def status_link(loket: Context, ticket: Ticket) -> str:
    """The ticket's status page, as its printed QR carries it."""
    return loket.public_base() + STATUS_PATH + loket.signer.short(ticket.id, ticket.service_day, ticket.number)


def _values(loket: Context, moment: str, ticket: Ticket, counter: Counter | None) -> dict[str, dict[str, str]]:
    sop = loket.catalog.get(ticket.service_code)
    name = sop.name.model_dump() if sop else {"id": ticket.service_code, "en": ticket.service_code}
    link = status_link(loket, ticket)
    values = {"number": _both(ticket.number), "service": name, "link": _both(link)}
    if moment == "called":
        values["counter"] = _both(counter.name if counter else "loket")
    elif moment == "pending":
        reason = PendingReason(ticket.pending_reason or PendingReason.OTHER.value)
        values["reason"] = PENDING_LABELS[reason]
        values["bring"] = PENDING_BRING[reason]
    elif moment == "ready":
        hours = loket.effective_settings.pickup_hours_in_force()
        values["hours"] = {
            lang: "; ".join(hours_lines(hours, lang)) or ("jam layanan kantor" if lang == "id" else "office hours")
            for lang in ("id", "en")
        }
    return values


def _both(text: str) -> dict[str, str]:
    return {"id": text, "en": text}


def on_event(
    loket: Context,
    s: Session,
    kind: str,
    ticket: Ticket,
    counter: Counter | None,
    event_id: int | None,
    extra: dict[str, Any],
) -> OutboxMessage | None:
    """Write the message an event makes, if any, in the event's transaction (`s`); None when it makes none."""
    moment = moment_of(kind, ticket, extra)
    if moment is None or not ticket.phone or event_id is None:
        return None
    text = render(moment, _values(loket, moment, ticket, counter))
    now = loket.clock.now()
    message = OutboxMessage(
        idempotency_key=f"{loket.signer.office}:ev{event_id}:phone",
        ordering_key=f"ticket:{ticket.id}",
        moment=moment,
        channel="phone",
        address=ticket.phone,
        text_id=text["id"],
        text_en=text["en"],
        state=PENDING,
        attempts=0,
        next_attempt_at=now,
        ticket_id=ticket.id,
        created_at=now,
        updated_at=now,
    )
    s.add(message)
    return message


def purge_addresses(s: Session, cutoff: datetime, idle_tickets: Any) -> int:
    """Blank the numbers of residents whose berkas is idle since `cutoff` (UU 27/2022): on their tickets and on
    every message written before then; a message still undelivered then is given up. Returns messages blanked."""
    s.execute(update(Ticket).where(Ticket.id.in_(idle_tickets), Ticket.phone.is_not(None)).values(phone=None))
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
