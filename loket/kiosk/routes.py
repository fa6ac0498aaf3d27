"""The kiosk: the page a resident uses to take a ticket, and its JSON (services, tickets, staff PIN).

Public: no session. POST /api/tickets and the PIN endpoints are CSRF-exempt and rate-limited per address.
"""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request, url_for
from pydantic import BaseModel, Field

from loket.auth import current_actor
from loket.core import checkin
from loket.core.admin import paired_kiosk
from loket.core.booking.codes import ALPHABET, LENGTH, looks_like_booking, normal_short_code
from loket.core.booking.operations import config as booking_config
from loket.core.catalog import LIFE_EVENTS, SERVICE_GROUPS
from loket.core.disruptions import TITIP, titip_fits
from loket.core.errors import LoketError, NotAllowed, NotFound
from loket.core.golive import record_test_print
from loket.core.messages import _
from loket.core.speech import service_sentence
from loket.core.states import PRIORITY_LABELS
from loket.core.tickets import issuing, prints, views
from loket.core.tickets.views import Outcome
from loket.extensions import csrf, limiter, socketio
from loket.http import (
    BadRequest,
    Failed,
    TooManyRequests,
    allows_camera,
    body_limit,
    config_limit,
    error_response,
    limit_off,
    parsed,
)
from loket.office import office_name
from loket.openapi import BINARY, LABEL, MAYBE_INT, MAYBE_LABEL, MAYBE_TEXT, TEXT, api, obj
from loket.outbox import route_names
from loket.printing import ASK, printers, queue_ticket, render, send, test_job, ticket_content
from loket.public_url import status_url
from loket.realtime import publish
from loket.realtime.publish import status_room
from loket.services import loket

from . import guard

bp = Blueprint("kiosk", __name__, template_folder="templates", static_folder="static", static_url_path="/kiosk/static")


# ---- pages ---------------------------------------------------------------------------


@bp.get("/")
def index():
    """The server's front door is the kiosk."""
    return redirect(url_for("kiosk.home"))


@bp.get("/kiosk/")
@allows_camera  # checkin.js reads a booking's QR through getUserMedia when there is no scanner
def home():
    rules = booking_config(loket())
    checkin = {
        # The check-in entry shows only where residents can have booked; the pad offers only the code's letters.
        "enabled": any(rules.service(code) for code in rules.services),
        "alphabet": ALPHABET,
        "length": LENGTH,
    }
    return render_template(
        "kiosk/index.html",
        office_name=office_name(),
        kiosk={"groups": SERVICE_GROUPS, "checkin": checkin, "life_events": LIFE_EVENTS},
    )


# ---- services and tickets -------------------------------------------------------------


@bp.get("/api/services")
@api(answers={200: {"type": "object", "required": ["services", "priorities", "office"]}})
def services():
    """Every service: what to bring, steps, targets, and whether and how long the queue is now."""
    loket().refresh_catalog()  # a kiosk told of an SOP edit made on another process sees it now
    overview = {o["code"]: o for o in issuing.services_overview(loket())}
    out = [service_data(sop, overview[sop.code]) for sop in loket().catalog]
    settings = loket().settings
    return jsonify(
        services=out,
        priorities=[{"code": p.value, "label": lbl} for p, lbl in PRIORITY_LABELS.items()],
        office={
            "name": office_name(),
            "running_text": settings.running_text,
            "blanko_stock": settings.blanko_stock,
            # The opt-in number pad: when the office offers it and there is a channel to send with.
            "contact_pad": settings.messages.offer_at_kiosk and "phone" in route_names(current_app.config),
        },
    )


def service_data(sop, overview: dict[str, Any]) -> dict[str, Any]:
    data = sop.model_dump(mode="json")
    data.update(
        steps_total_minutes=sop.steps_total_minutes,
        target_minutes=sop.target_minutes,
        total_mismatch=sop.total_mismatch,
        collected_later=sop.collected_later,
        # disruption mode: whether its berkas can be left behind (titip), when a disruption offers it
        titip_fits=titip_fits(sop.snapshot()),
        **{k: v for k, v in overview.items() if k != "code"},
    )
    return data


@bp.get("/api/services/<code>")
@api("One service (SOP) with its queue now", answers={200: {"type": "object", "required": ["code", "name", "steps"]}})
def service(code: str):
    sop = loket().catalog.get(code)
    if sop is None:
        raise NotFound(_("Layanan tidak ada."))
    (overview,) = issuing.services_overview(loket(), code)
    return jsonify(service_data(sop, overview))


#: A ticket as the resident may see it (GET /api/tickets/<number>).
PUBLIC_TICKET = obj(
    ["number", "service", "service_name", "priority", "state", "state_label", "counter", "ahead", "issued_at"],
    number=TEXT,
    service=TEXT,
    service_name=LABEL,
    priority={"type": "boolean"},
    state=TEXT,
    state_label=LABEL,
    pending_reason=MAYBE_TEXT,
    pending_label=MAYBE_LABEL,
    step=MAYBE_INT,
    steps=MAYBE_INT,
    counter=MAYBE_TEXT,
    counter_number=MAYBE_INT,
    ahead=MAYBE_INT,
    issued_at={"type": "string", "format": "date-time"},
)

#: A ticket just issued (POST /api/tickets); `print` says what the printer did.
ISSUED_TICKET = obj(
    ["number", "service", "service_name", "priority", "ahead", "qr", "issued_at", "status_url", "print"],
    number=TEXT,
    service=TEXT,
    service_name=LABEL,
    priority={"type": "boolean"},
    ahead=MAYBE_INT,  # null for a left berkas (titip): it stands in no queue
    qr=TEXT,
    issued_at={"type": "string", "format": "date-time"},
    requirements={"type": "array"},
    status_url=TEXT,
    print={"type": "object"},
    notice={"type": ["object", "null"]},
    titip={"type": "object", "description": "A left berkas (titip): {messages: a number was given}"},
)


class TicketRequest(BaseModel):
    """A resident's tap on the kiosk."""

    service: str = Field("", description="The service's code (GET /api/services)")
    priority: str | None = Field(
        None, description="lansia, disabilitas, ibu_hamil, ibu_anak, anak, korban_bencana or null"
    )
    source: str | None = Field(
        None,
        max_length=20,
        description="kiosk (default), or titip: leave the berkas (only while a disruption offers it)",
    )
    kiosk: str | None = Field(None, description="The kiosk's name: its printer prints the ticket")
    phone: str | None = Field(
        None, max_length=30, description="Optional: the resident's mobile number for messages (08…, +628…, 628…)"
    )


@bp.post("/api/tickets")
@api(
    body=TicketRequest,
    answers={201: ISSUED_TICKET},
    errors=(404, 409, 429),
)
@csrf.exempt  # public kiosk endpoint: no session, nothing to forge on behalf of anyone
@limiter.limit(config_limit("TICKET_RATE_LIMIT"), exempt_when=limit_off("TICKET_RATE_LIMIT"))
@limiter.limit(guard.unpaired_rate, exempt_when=guard.is_paired, on_breach=guard.unpaired_breach)
def issue_ticket():
    """Issue a ticket: {"service": code, "priority": reason or null}.

    Headers: X-Loket-Kiosk-Token (a paired kiosk's code; see guard.py) and Idempotency-Key (one per
    tap: a retry of the tap answers 200 with the ticket the first try made).
    """
    device = guard.paired()
    if device is None:
        guard.refuse_unpaired()
    key = guard.idempotency_key()
    data = parsed(TicketRequest)
    code = data.service
    if not code:
        raise BadRequest(_("Pilih layanan."))
    priority = data.priority or None
    if priority is not None and priority not in {p.value for p in PRIORITY_LABELS}:
        raise BadRequest(_("Jenis prioritas tidak dikenal."))
    # An impossible number is refused (422, field "phone") before any ticket is written: the pad says why.
    outcome = issuing.issue(
        loket(), code, priority, source=data.source or "kiosk", issuer=guard.issuer(), key=key, phone=data.phone
    )
    titip = outcome.ticket.source == TITIP
    extra = {"titip": {"messages": bool(data.phone)}} if titip else {}
    return ticket_answer(outcome, device, device or data.kiosk or None, **extra)


def ticket_answer(outcome: Outcome, device: str | None, kiosk: str | None, **extra: Any) -> tuple[Response, int]:
    """A ticket the kiosk just issued (or a retry found): published, printed once on the kiosk's printer, answered.

    The ticket exists now, whatever the printer does: print once, off the request path (the outcome
    reaches a paired kiosk's page as print.outcome), report, never re-issue. A retry prints nothing more.
    """
    publish(outcome.events)
    if not outcome.replayed:
        guard.issued(device)
    t = outcome.ticket
    sop = loket().catalog.get(t.service_code)
    if outcome.replayed:  # the first try's print, as far as it is known
        done = prints.last_print(loket(), t.id)
        printed = {"state": "replayed", "ok": None, "printer": None, "reason": None, "message": None, **(done or {})}
    else:
        pairing = guard.paired_device()  # it knows the paired kiosk's printer: no second read
        printer = printers().for_kiosk(kiosk, spec=pairing.printer if pairing and pairing.name == kiosk else ASK)
        printed = queue_ticket(loket(), t, printer, office_name(), kiosk=kiosk, paired=device)
    url = status_url(t.status_code)  # what the printed QR carries: the status page's address
    return jsonify(
        print=printed,
        notice=issuing.blanko_notice(loket(), t.service_code),
        number=t.number,
        service=t.service_code,
        service_name=t.service_name,
        priority=t.priority is not None,
        ahead=t.ahead,
        qr=url,
        issued_at=t.issued_at.isoformat(),
        requirements=[r.model_dump(mode="json") for r in sop.requirements] if sop else [],
        status_url=url,
        replayed=outcome.replayed,
        **extra,
    ), (200 if outcome.replayed else 201)


# ---- help for residents: the front desk called, the service read aloud -------------------


class HelpRequest(BaseModel):
    """A resident pressed "Bantuan" on the kiosk."""

    kiosk: str | None = Field(None, max_length=40, description="The kiosk's name (a paired kiosk's own name wins)")


@bp.post("/api/kiosk/help")
@api(body=HelpRequest, answers={200: obj(["ok", "alerted"], ok={"type": "boolean"}, alerted={"type": "boolean"})})
@csrf.exempt  # public kiosk endpoint: it only raises a staff alert, rate-limited
@limiter.limit(config_limit("KIOSK_HELP_RATE_LIMIT"), exempt_when=limit_off("KIOSK_HELP_RATE_LIMIT"))
def kiosk_help():
    """Alert the front desk that a resident at this kiosk needs help: a staff alert (kiosk.alert, reason help)
    with the kiosk's name. One alert per kiosk per LOKET_KIOSK_HELP_EVERY; a press within it answers
    alerted=false (the desk already knows)."""
    kiosk = guard.paired() or parsed(HelpRequest).kiosk or guard.address()
    return jsonify(ok=True, alerted=guard.help_alert(kiosk))


@bp.get("/api/kiosk/voice/<code>.wav")
@api(answers={200: ("audio/wav", BINARY)}, errors=(404,))
@limiter.limit(config_limit("KIOSK_VOICE_RATE_LIMIT"), exempt_when=limit_off("KIOSK_VOICE_RATE_LIMIT"))
def service_voice(code: str):
    """A service read aloud in Indonesian by the board's offline voice (chime, name, what it is for, what to
    bring), cached like the calls. Only the catalog's services: nobody makes the server say anything else."""
    sop = loket().catalog.get(code)
    if sop is None:
        raise NotFound(_("Layanan tidak ada."))
    bring = [r.text.id for r in sop.requirements if not r.optional]
    data = current_app.extensions["call_audio"].get(service_sentence(sop.name.id, sop.summary.id, bring))
    return Response(data, mimetype="audio/wav", headers={"Cache-Control": "public, max-age=3600"})


# ---- check-in of an online booking ----------------------------------------------------


class CheckInRequest(BaseModel):
    """A booking at the kiosk: its QR's payload (a scanner types it) or its short code typed on the pad."""

    code: str = Field("", max_length=300, description="The booking QR's payload (LKB1:...) or its 8-character code")
    kiosk: str | None = Field(None, description="The kiosk's name: its printer prints the ticket")
    walk_in: bool = Field(
        False,
        description="After a refused check-in: a regular ticket instead (today's booking is cancelled with it, "
        "another day's stays valid)",
    )


#: A check-in's ticket: a kiosk ticket, with the booking it came from.
CHECKED_IN_TICKET = obj(
    [*ISSUED_TICKET["required"], "booking"],
    **ISSUED_TICKET["properties"],
    booking=obj(["code", "day", "start", "end"], code=TEXT, day=TEXT, start=TEXT, end=TEXT, status=TEXT),
)


@bp.post("/api/checkin")
@api(body=CheckInRequest, answers={200: CHECKED_IN_TICKET, 201: CHECKED_IN_TICKET}, errors=(403, 404, 409, 429))
@csrf.exempt  # public kiosk endpoint, as POST /api/tickets
@limiter.limit(config_limit("TICKET_RATE_LIMIT"), exempt_when=limit_off("TICKET_RATE_LIMIT"))
@limiter.limit(guard.unpaired_rate, exempt_when=guard.is_paired, on_breach=guard.unpaired_breach)
def check_in():
    """Check in an online booking inside its window: {"code"} -> its ticket, printed as any kiosk ticket.

    Outside the window 409 (checkin_early, checkin_late, booking_not_active) with the window's times, the
    slot and whether a walk-in ticket is allowed (then POST /api/tickets for `booking.service`). A second
    scan of the same booking answers 200 with the same ticket. Headers as POST /api/tickets.

    With "walk_in": true (the kiosk's "Ambil nomor antrean biasa" after a refusal whose `walk_in` is true): a
    regular ticket of the booking's service, quota and walk-in share as for any walk-in; a booking of today is
    cancelled in the same transaction (its seat given back, no no-show), another day's stays valid. The
    refusal's `walk_in_note` says which before the tap; the answer's booking.status says what happened.
    """
    device = guard.paired()
    if device is None:
        guard.refuse_unpaired()
    key = guard.idempotency_key()
    data = parsed(CheckInRequest)
    if not data.code.strip():
        raise BadRequest(_("Ketik kode booking atau pindai QR booking."))
    if data.walk_in:
        done: checkin.CheckedIn | checkin.WalkedIn = checkin.walk_in_instead(
            loket(), data.code, issuer=guard.issuer(), key=key
        )
        changed = done.ended
    else:
        done = checkin.check_in(loket(), data.code, issuer=guard.issuer(), key=key)
        changed = not done.outcome.replayed
    b, local = done.booking, loket().clock.local
    if changed:  # the booking's status page, if open, follows (its ticket, or cancelled)
        socketio.emit("status.changed", {}, to=status_room(f"booking:{b.id}"))
    slot = {
        "code": b.code,
        "day": b.day.isoformat(),
        "start": f"{local(b.starts_at):%H:%M}",
        "end": f"{local(b.ends_at):%H:%M}",
        "status": b.status,
    }
    return ticket_answer(done.outcome, device, device or data.kiosk or None, booking=slot)


@bp.post("/api/checkin/frame")
@body_limit("CHECKIN_FRAME_MAX_BYTES")
@api(
    body=BINARY,
    body_type="image/jpeg",
    answers={200: obj(["found", "code"], found={"type": "boolean"}, code=MAYBE_TEXT)},
    errors=(403, 429),
)
@csrf.exempt  # public kiosk endpoint: it only reads a picture, it changes nothing
@limiter.limit(config_limit("CHECKIN_FRAME_RATE_LIMIT"), exempt_when=limit_off("CHECKIN_FRAME_RATE_LIMIT"))
def check_in_frame():
    """A camera frame from the kiosk's check-in screen (JPEG or PNG body): the booking code in it, if any.

    Only what reads as a booking (its signed QR or a short code) is answered; the page then checks it
    in with POST /api/checkin. Decoded by the counter's decoder (loket.hardware.scanner)."""
    if guard.paired() is None:
        guard.refuse_unpaired()
    # OpenCV and the QR readers load with the first frame, not with the app (as at the counter's /api/scan/frame).
    from loket.hardware.scanner.decode import decode_image  # noqa: PLC0415

    codes = decode_image(request.get_data(cache=False))
    if codes is None:
        raise BadRequest(_("Gambar tidak terbaca."))
    found = next((c for c in codes if looks_like_booking(c) or normal_short_code(c)), None)
    return jsonify(found=found is not None, code=found)


class HeldBack(LoketError):
    """An unpaired device took its few tickets: not "wait a moment" (it may be ten minutes), but where to go."""

    status = 429
    code = "kiosk_not_paired_limit"


@bp.errorhandler(429)
def held_back(exc):
    """The unpaired limit says what it is and where to go; every other limit keeps the common answer."""
    if request.endpoint in ("kiosk.issue_ticket", "kiosk.check_in") and not guard.is_paired():
        return error_response(
            HeldBack(
                _(
                    "Perangkat ini bukan kiosk terdaftar, sehingga hanya dapat mengambil beberapa nomor antrean. "
                    "Silakan ambil nomor di kiosk lain atau ke meja informasi."
                )
            )
        )
    return error_response(TooManyRequests(_("Terlalu banyak permintaan. Silakan tunggu sebentar.")))


@bp.get("/api/tickets/preview.png")
@api(
    query={
        "code": {"type": "string", "required": True, "description": "The ticket's signed code (its QR)"},
        "kind": {"type": "string", "enum": ["ticket", "slip"]},
        "kiosk": {"type": "string", "description": "The kiosk whose printer's layout is drawn"},
    },
    answers={200: ("image/png", BINARY)},
    errors=(404,),
)
def ticket_preview():
    """The printed ticket as a picture; needs the ticket's signed code (from its QR), not just its number."""
    view = views.find_by_code(loket(), request.args.get("code", ""))
    printer = printers().for_kiosk(request.args.get("kiosk"))
    kind = "slip" if request.args.get("kind") == "slip" else "ticket"
    job = render(ticket_content(loket(), view, office_name()), printer, kind=kind, with_preview=True)
    buffer = io.BytesIO()
    job.preview.save(buffer, format="PNG")
    return Response(buffer.getvalue(), mimetype="image/png", headers={"Cache-Control": "no-store"})


@bp.get("/api/tickets/<number>")
@api(
    query={"code": {**TEXT, "description": "The ticket's signed code (its QR's, or the status URL); staff need none"}},
    answers={200: PUBLIC_TICKET},
    errors=(404,),
)
def ticket_status(number: str):
    """Today's ticket for the holder of its code (never by the number alone): never a name, NIK or staff note."""
    code = None if current_actor() is not None else request.args.get("code", "")
    return jsonify(views.public_status(loket(), number, code))


# ---- the kiosk's staff panel (PIN) ---------------------------------------------------


class PinRequest(BaseModel):
    """The kiosk's staff panel: the PIN, and the kiosk asking."""

    pin: str = ""
    kiosk: str | None = None


@bp.post("/api/kiosk/unlock")
@api(body=PinRequest, answers={200: {"type": "object", "required": ["ok", "printer"]}}, errors=(403, 429))
@csrf.exempt  # the kiosk has no staff session; the PIN is the credential, and it is rate-limited
@limiter.limit(config_limit("PIN_RATE_LIMIT"))
def kiosk_unlock():
    """Open the kiosk's settings panel with the staff PIN: {"pin", "kiosk"}."""
    guard.check_kiosk_pin()  # first: a wrong PIN counts towards the lockout whatever else the body holds
    data = parsed(PinRequest)
    kiosk = guard.paired() or data.kiosk or None
    return jsonify(
        ok=True,
        kiosk=kiosk,
        paired=guard.paired(),
        printer=printers().for_kiosk(kiosk).describe(),
        kiosks=sorted(printers().kiosks),
    )


class PairRequest(PinRequest):
    """The staff panel pairing its kiosk: the PIN and the code the admin's devices page showed."""

    code: str = Field("", description="The pairing code (20 digits)")


@bp.post("/api/kiosk/pair")
@api(body=PairRequest, answers={200: {"type": "object", "required": ["ok", "kiosk"]}}, errors=(403, 429))
@csrf.exempt
@limiter.limit(config_limit("PIN_RATE_LIMIT"))
def kiosk_pair():
    """Check a pairing code typed in the staff panel (PIN required): {"pin", "kiosk", "code"} -> the kiosk's name.

    The page keeps the code and sends it with each ticket request from then on."""
    guard.check_kiosk_pin()
    code = parsed(PairRequest).code
    name = paired_kiosk(loket(), code) if code else None
    if name is None:
        raise NotAllowed(_("Kode pemasangan tidak dikenal."), code="pair_unknown")
    return jsonify(ok=True, kiosk=name)


@bp.post("/api/kiosk/test-print")
@api(
    body=PinRequest,
    answers={200: {"type": "object", "required": ["print"]}},
    errors=(403, 429, 502),
)
@csrf.exempt
@limiter.limit(config_limit("PIN_RATE_LIMIT"))
def kiosk_test_print():
    """Print a test slip on this kiosk's printer (PIN required): {"pin", "kiosk"}; 502 when it fails."""
    guard.check_kiosk_pin()
    printer = printers().for_kiosk(parsed(PinRequest).kiosk or None)
    result = send(printer, test_job(printer, office_name(), loket().clock))
    record_test_print(loket(), result.ok, result.printer, parsed(PinRequest).kiosk or None, result.reason)
    if not result.ok:  # the one error, with the printer's answer beside it (as a staff reprint's)
        raise Failed(result.message or "", code="print_failed", print=result.as_dict())
    return jsonify(print=result.as_dict())
