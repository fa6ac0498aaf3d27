"""Online booking: the page a resident books on from home, and its JSON (/api/booking/*).

Public: no session, CSRF-exempt (nothing to forge on anyone's behalf: a booking needs its holder's NIK,
a cancel its code). Limited per address and per device (the page's random id, header X-Loket-Device);
with the office's challenge switched on, a booking needs a solved proof-of-work (ALTCHA protocol).
Each route calls one operation of core.booking.
"""

from __future__ import annotations

from datetime import date, time

from flask import Blueprint, current_app, jsonify, render_template, request
from flask_limiter.util import get_remote_address
from pydantic import BaseModel, Field

from loket.auth import staff_required
from loket.core import checkin
from loket.core.booking import operations as booking
from loket.core.booking.challenge import create_challenge, verify_solution
from loket.core.errors import NotFound
from loket.core.messages import _
from loket.core.roles import BOOKING_DESK_ROLES, Actor
from loket.core.states import PRIORITY_LABELS
from loket.extensions import csrf, limiter, socketio
from loket.http import config_limit, limit_off, parsed
from loket.office import office_name
from loket.openapi import MAYBE_TEXT, TEXT, api, obj
from loket.public_url import status_url
from loket.realtime.publish import status_room
from loket.services import loket

bp = Blueprint(
    "booking", __name__, template_folder="templates", static_folder="static", static_url_path="/booking/static"
)


def device_key() -> str:
    """The page's own random id (kept in its storage) with the address: a per-device count behind one NAT."""
    device = (request.headers.get("X-Loket-Device") or "")[:64]
    return f"{get_remote_address()}|{device}"


# ---- the page ----------------------------------------------------------------------------


@bp.get("/booking/")
def page():
    return render_template("booking/index.html", office_name=office_name())


# ---- what can be booked ---------------------------------------------------------------------


@bp.get("/api/booking/services")
@api("Services open for online booking, with what to bring")
@limiter.limit(config_limit("BOOKING_READ_RATE_LIMIT"), exempt_when=limit_off("BOOKING_READ_RATE_LIMIT"))
def services():
    cfg = booking.config(loket())
    return jsonify(
        enabled=cfg.enabled,
        challenge=cfg.challenge,
        services=booking.bookable_services(loket()),
        priorities=[{"code": p.value, "label": lbl} for p, lbl in PRIORITY_LABELS.items()],
        office={"name": office_name()},
    )


@bp.get("/api/booking/services/<code>/days")
@api("The days a service may be booked for, and their free seats", errors=(404,))
@limiter.limit(config_limit("BOOKING_READ_RATE_LIMIT"), exempt_when=limit_off("BOOKING_READ_RATE_LIMIT"))
def days(code: str):
    return jsonify(days=booking.days(loket(), code))


@bp.get("/api/booking/services/<code>/days/<day>")
@api("A day's slots of a service with their free seats", errors=(404,))
@limiter.limit(config_limit("BOOKING_READ_RATE_LIMIT"), exempt_when=limit_off("BOOKING_READ_RATE_LIMIT"))
def slots(code: str, day: str):
    return jsonify(slots=booking.slots(loket(), code, _day(day)))


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise NotFound(_("Tanggal tidak sah.")) from None


@bp.get("/api/booking/challenge")
@api("A proof-of-work challenge (ALTCHA protocol) when the office switched it on")
@limiter.limit(config_limit("BOOKING_READ_RATE_LIMIT"), exempt_when=limit_off("BOOKING_READ_RATE_LIMIT"))
def challenge():
    cfg = booking.config(loket())
    if not cfg.challenge:
        return jsonify(challenge=None)
    return jsonify(
        challenge=create_challenge(current_app.config["SECRET_KEY"], loket().clock.now(), cfg.challenge_max_number)
    )


# ---- booking, viewing, cancelling --------------------------------------------------------------


class BookingRequest(BaseModel):
    """A resident's booking."""

    service: str = Field(max_length=60, description="The service's code (GET /api/booking/services)")
    day: date = Field(description="YYYY-MM-DD")
    start: time = Field(description="The slot's start, HH:MM (office time)")
    nik: str = Field(max_length=40, description="The resident's NIK, 16 digits")
    phone: str | None = Field(None, max_length=30, description="Optional Indonesian mobile number, for messages")
    email: str | None = Field(None, max_length=254, description="Optional e-mail address, for messages")
    priority: str | None = Field(
        None, max_length=30, description="lansia, disabilitas, ibu_hamil, ibu_anak, anak, korban_bencana or null"
    )
    challenge: str | None = Field(None, max_length=2000, description="The solved challenge (when switched on)")


@bp.post("/api/booking")
@api(
    body=BookingRequest,
    answers={201: {"type": "object", "required": ["code", "qr", "status"]}},
    errors=(400, 404, 409, 429),
)
@csrf.exempt
@limiter.limit(config_limit("BOOKING_RATE_LIMIT"), exempt_when=limit_off("BOOKING_RATE_LIMIT"))
@limiter.limit(
    config_limit("BOOKING_DEVICE_RATE_LIMIT"), key_func=device_key, exempt_when=limit_off("BOOKING_DEVICE_RATE_LIMIT")
)
def create():
    """Book a slot: 201 with the booking; 409 "full" (penuh), "already_booked", "booking_closed", "no_show_blocked"."""
    data = parsed(BookingRequest)
    solved = None
    if booking.config(loket()).challenge:
        solved = verify_solution(current_app.config["SECRET_KEY"], data.challenge, loket().clock.now())
    made = booking.book(
        loket(),
        data.service,
        data.day,
        data.start,
        data.nik,
        phone=data.phone,
        email=data.email,
        priority=data.priority or None,
        issuer=f"addr:{get_remote_address()}"[:80],
        challenge=solved,
    )
    return jsonify(_shown(booking.booking_view(loket(), made.booking))), 201


@bp.get("/api/booking/<code>")
@api("A booking by its short code or QR payload (no NIK, no phone)", errors=(400, 404))
@limiter.limit(config_limit("BOOKING_READ_RATE_LIMIT"), exempt_when=limit_off("BOOKING_READ_RATE_LIMIT"))
def view(code: str):
    return jsonify(_shown(booking.booking_view(loket(), booking.find_booking(loket(), code))))


@bp.post("/api/booking/<code>/cancel")
@api("The holder cancels a booking with its code", errors=(400, 404, 409))
@csrf.exempt
@limiter.limit(config_limit("BOOKING_RATE_LIMIT"), exempt_when=limit_off("BOOKING_RATE_LIMIT"))
def cancel(code: str):
    cancelled = booking.cancel(loket(), code)
    socketio.emit("status.changed", {}, to=status_room(f"booking:{cancelled.id}"))  # its status page, if open
    return jsonify(_shown(booking.booking_view(loket(), cancelled)))


@bp.get("/api/desk/booking/<code>")
@api("A booking with its holder's NIK and phone, for the front desk", errors=(400, 404))
@staff_required(*BOOKING_DESK_ROLES)
def desk_view(actor: Actor, code: str):
    return jsonify(_shown(booking.booking_view(loket(), booking.find_booking(loket(), code), personal=True)))


TICKET_BOOKING = obj(
    ["day", "start", "end", "nik", "nik_hidden", "purged"],
    day=TEXT,
    start=TEXT,
    end=TEXT,
    nik=MAYBE_TEXT,
    nik_hidden={"type": "boolean"},
    purged={"type": "boolean"},
)


@bp.get("/api/desk/ticket/<site_id:ticket_id>/booking")
@api(
    "The online booking a ticket was checked in with (null for any other ticket): its slot; "
    "the NIK given at booking for the front desk only",
    answers={200: obj(["booking"], booking={"anyOf": [TICKET_BOOKING, {"type": "null"}]})},
    errors=(404,),
)
@staff_required()
def ticket_booking(actor: Actor, ticket_id: int):
    return jsonify(booking=checkin.ticket_booking(loket(), ticket_id, actor.role))


def _shown(view: dict) -> dict:
    """A booking's view with its QR: the address of its status page, which a kiosk's scanner also checks in."""
    url = status_url(view["status_code"])
    return dict(view, qr=url, status_url=url)
