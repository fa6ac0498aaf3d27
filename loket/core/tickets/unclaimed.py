"""Tickets nobody holds: issued today, never called nor served (a device draining the quota, a kiosk's retry
after a crash, a resident who left). Front-desk officers and the admin see them and void them with a reason;
a voided ticket leaves the queue and the display, no longer counts against the service's quota, and stays in
the reports as voided."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from loket.core.accounts import acting
from loket.core.context import Context
from loket.core.errors import InvalidInput, NotAllowed, problem
from loket.core.messages import _
from loket.core.roles import Actor, Role
from loket.core.states import TicketState, check_transition
from loket.core.store import EventRecord, Ticket

from .records import close_visit, record_event, set_state, ticket_by_id
from .views import Outcome, ticket_view

S = TicketState

#: Who sees and voids unclaimed tickets: the front desk and the admin (the head of office only reads).
VOID_ROLES = (Role.PELAYANAN, Role.ADMIN)
REASON_MAX = 200


def _may_void(actor: Actor) -> None:
    if actor.role not in VOID_ROLES:
        raise NotAllowed(_("Hanya Petugas Pelayanan atau admin yang dapat membatalkan tiket yang tidak diambil."))


def _unclaimed(ticket: Ticket) -> bool:
    """Issued and still waiting at its first step, never called, never started."""
    return (
        ticket.state == S.WAITING.value
        and ticket.step_index == 0
        and ticket.call_count == 0
        and all(v.called_at is None and v.started_at is None for v in ticket.visits)
    )


def unclaimed(loket: Context, actor: Actor) -> list[dict[str, Any]]:
    """Today's unclaimed tickets, oldest first: number, service, when, from where, whether paper came out."""
    _may_void(actor)
    with loket.store.read() as s:
        rows = [
            t
            for t in s.scalars(
                select(Ticket)
                .where(
                    Ticket.service_day == loket.clock.today(),
                    Ticket.state == S.WAITING.value,
                    Ticket.call_count == 0,
                    Ticket.step_index == 0,
                )
                .order_by(Ticket.issued_at, Ticket.id)
            )
            if _unclaimed(t)
        ]
        printed = set(
            s.scalars(
                select(EventRecord.ticket_id).where(
                    EventRecord.kind == "ticket.printed", EventRecord.ticket_id.in_([t.id for t in rows])
                )
            )
        )
        out = []
        for t in rows:
            view = ticket_view(loket, s, t, with_visits=False)
            out.append(
                {
                    "id": t.id,
                    "number": t.number,
                    "service": t.service_code,
                    "service_name": view.service_name,
                    "issued_at": t.issued_at.isoformat(),
                    "source": t.source,
                    "issuer": t.issuer,
                    "printed": t.id in printed,
                }
            )
        return out


def void(loket: Context, actor: Actor, ticket_id: int, reason: object) -> Outcome:
    """Void an unclaimed ticket with a reason (written to the events, shown as voided in reports and status)."""
    _may_void(actor)
    text = reason.strip() if isinstance(reason, str) else ""
    if not text or len(text) > REASON_MAX:
        raise InvalidInput([problem("reason", _("Tulis alasannya (paling banyak 200 karakter)."))])
    now = loket.clock.now()
    with loket.store.transaction() as s:
        user, counter = acting(s, actor)
        ticket = ticket_by_id(s, ticket_id)
        if ticket.service_day != loket.clock.today() or not _unclaimed(ticket):
            check_transition(S(ticket.state), S.VOIDED, _("batalkan tiket yang tidak diambil"))
            raise NotAllowed(
                _("Tiket %(number)s sudah dipanggil atau dilayani: batalkan dari meja loket.", number=ticket.number),
                code="ticket_claimed",
            )
        check_transition(S(ticket.state), S.VOIDED, _("batalkan tiket yang tidak diambil"))
        close_visit(ticket, now, "voided", text)
        set_state(loket, ticket, S.VOIDED, now)
        ticket.state_note = text
        ticket.closed_at = now
        event = record_event(loket, s, "ticket.voided", ticket, counter, user)
        s.add(
            EventRecord(
                at=now,
                kind="ticket.void_reason",
                ticket_id=ticket.id,
                officer_id=user.id if user else None,
                payload={"number": ticket.number, "reason": text},
            )
        )
        return Outcome(ticket_view(loket, s, ticket), [event])
