"""Printing for staff: reprint a ticket, print the pickup slip, today's printer failures."""

from __future__ import annotations

from flask import Blueprint, jsonify
from pydantic import BaseModel, Field

from loket.auth.login import staff_required
from loket.core.errors import Conflict
from loket.core.messages import _
from loket.core.roles import Actor
from loket.core.states import TicketState
from loket.core.tickets import prints, views
from loket.http import Failed, parsed
from loket.office import office_name
from loket.openapi import api
from loket.services import loket

from .tickets import print_for_staff

bp = Blueprint("printing", __name__)


class Reprint(BaseModel):
    kiosk: str | None = Field(None, description="Print on this kiosk's printer, else this counter's")


PRINTED = {200: {"type": "object", "required": ["print"]}}


@bp.post("/api/staff/tickets/<site_id:ticket_id>/reprint")
@api(body=Reprint, answers=PRINTED, errors=(502,))
@staff_required()
def reprint(actor: Actor, ticket_id: int):
    """Print a ticket again, on a kiosk's printer ({"kiosk"}) or this counter's."""
    return _print_for_staff(actor, ticket_id, "ticket", parsed(Reprint).kiosk or None)


@bp.post("/api/staff/tickets/<site_id:ticket_id>/pickup-slip")
@api(body=Reprint, answers=PRINTED, errors=(409, 502))
@staff_required()
def pickup_slip(actor: Actor, ticket_id: int):
    """Print the slip pengambilan, once the berkas reached the SOP step that gives one."""
    kiosk = parsed(Reprint).kiosk or None
    if not views.get(loket(), ticket_id).gives_pickup_slip:
        raise Conflict(
            _("Tahap SOP ini tidak memberikan slip pengambilan."),
            code="no_pickup_slip",
        )
    return _print_for_staff(actor, ticket_id, "slip", kiosk)


@bp.post("/api/staff/tickets/<site_id:ticket_id>/return-slip")
@api(body=Reprint, answers=PRINTED, errors=(409, 502))
@staff_required()
def return_slip(actor: Actor, ticket_id: int):
    """Print the slip of a returned berkas again (the documents missing; "Kembalikan" prints it the first time)."""
    kiosk = parsed(Reprint).kiosk or None
    if views.get(loket(), ticket_id).state is not TicketState.RETURNED:
        raise Conflict(_("Slip pengembalian hanya untuk berkas yang dikembalikan."), code="not_returned")
    return _print_for_staff(actor, ticket_id, "return", kiosk)


@bp.get("/api/staff/alerts")
@api(answers={200: {"type": "object", "required": ["printer_failures"]}})
@staff_required()
def alerts(actor: Actor):
    """Today's printer failures, so staff can help the resident and reprint; and today's kiosk alerts."""
    return jsonify(printer_failures=prints.printer_alerts(loket()), kiosk_alerts=prints.kiosk_alerts(loket()))


def _print_for_staff(actor: Actor, ticket_id: int, kind: str, kiosk: str | None):
    view = views.get(loket(), ticket_id)
    result = print_for_staff(loket(), actor, view, office_name(), kind, kiosk)
    if not result.ok:
        raise Failed(result.message or "", code="print_failed", print=result.as_dict())
    return jsonify(print=result.as_dict())
