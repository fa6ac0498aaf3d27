"""Titip berkas (issue 14): a berkas left behind during a disruption, and what happens to it when the service is back.

The kiosk issues a ticket of source "titip" only while a disruption in force offers it, for a service whose later
steps need no resident (disruptions.titip_fits; issuing.issue). The ticket is a receipt: it stands in no hall
queue (in_process at the front desk's step, found by scanning its QR). The front desk opens it, ticks the
documents handed in and passes it on (flow.advance): while its service is still down it waits at its first
back-office step, pended with reason "disruption" (flow._titip_waits), and the resident hears so. When the
disruption ends (`end_disruption`), every berkas pended for that reason at a back-office step goes on into its
step's work list by itself (`release`), at the front; from there it moves as any berkas, and the resident is
told when it is ready for pickup.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from loket.core import disruptions
from loket.core.context import Context
from loket.core.events import Event
from loket.core.messages import _
from loket.core.roles import Actor
from loket.core.states import PendingReason, TicketState, check_transition
from loket.core.store import Disruption, Ticket

from .records import enter_step, put_at_front, queue_state_for_step, record_event, set_state

S = TicketState


def end_disruption(loket: Context, actor: Actor, disruption_id: int) -> tuple[dict[str, Any], list[Event]]:
    """End a disruption in force and, in the same transaction, release the berkas that waited for it."""
    return disruptions.end(loket, actor, disruption_id, then=lambda s, d: release(loket, s, d))


def release(loket: Context, s: Session, d: Disruption) -> list[Event]:
    """The service is back: every berkas waiting for it at a back-office step (pended with reason "disruption")
    goes on into its step's work list, at the front, unless another disruption of its service or of the office
    still holds. One event each ("ticket.resumed")."""
    which = select(Ticket).where(
        Ticket.state == S.PENDING.value, Ticket.pending_reason == PendingReason.DISRUPTION.value
    )
    if d.service_code is not None:
        which = which.where(Ticket.service_code == d.service_code)
    now = loket.clock.now()
    events = []
    for ticket in s.scalars(which.order_by(Ticket.queued_at, Ticket.id)).all():
        target = queue_state_for_step(ticket)
        if target is not S.IN_PROCESS or disruptions.disrupted(s, ticket.service_code):
            continue  # a step that needs the resident is resumed by the desk, when they are there
        check_transition(S.PENDING, target, _("lanjutkan"))
        set_state(loket, ticket, target, now)
        put_at_front(ticket, now)
        ticket.pending_reason = None
        ticket.state_note = None
        enter_step(ticket, now)
        events.append(record_event(loket, s, "ticket.resumed", ticket, None, None, after_disruption=d.id))
    return events
