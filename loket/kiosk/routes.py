"""The kiosk: the page a resident uses to take a ticket, and its JSON (services, tickets, staff PIN).

Public: no session. POST /api/tickets and the PIN endpoints are CSRF-exempt and rate-limited per address.
"""

from __future__ import annotations

import hmac
import io
from typing import Any

import segno
from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request, url_for
from pydantic import BaseModel, Field

from loket.core.catalog import SERVICE_GROUPS
from loket.core.errors import NotAllowed, NotFound
from loket.core.messages import _
from loket.core.settings import office_settings
from loket.core.states import PRIORITY_LABELS
from loket.core.tickets import issuing, views
from loket.extensions import csrf, limiter
from loket.http import BadRequest, Failed, config_limit, parsed
from loket.office import office_name
from loket.openapi import BINARY, LABEL, MAYBE_INT, MAYBE_LABEL, MAYBE_TEXT, TEXT, api, obj
from loket.printing import print_ticket, printers, render, send, test_job, ticket_content
from loket.realtime import publish
from loket.services import loket

bp = Blueprint("kiosk", __name__, template_folder="templates", static_folder="static", static_url_path="/kiosk/static")


# ---- pages ---------------------------------------------------------------------------


@bp.get("/")
def index():
    """The server's front door is the kiosk."""
    return redirect(url_for("kiosk.home"))


@bp.get("/kiosk/")
def home():
    return render_template("kiosk/index.html", office_name=office_name(), kiosk={"groups": SERVICE_GROUPS})


# ---- services and tickets -------------------------------------------------------------


@bp.get("/api/services")
@api(answers={200: {"type": "object", "required": ["services", "priorities", "office"]}})
def services():
    """Every service: what to bring, steps, targets, and whether and how long the queue is now."""
    loket().refresh_catalog()  # a kiosk told of an SOP edit made on another process sees it now
    overview = {o["code"]: o for o in issuing.services_overview(loket())}
    out = [service_data(sop, overview[sop.code]) for sop in loket().catalog]
    settings = office_settings(loket().store)
    return jsonify(
        services=out,
        priorities=[{"code": p.value, "label": lbl} for p, lbl in PRIORITY_LABELS.items()],
        office={"name": office_name(), "running_text": settings.running_text, "blanko_stock": settings.blanko_stock},
    )


def service_data(sop, overview: dict[str, Any]) -> dict[str, Any]:
    data = sop.model_dump(mode="json")
    data.update(
        steps_total_minutes=sop.steps_total_minutes,
        target_minutes=sop.target_minutes,
        total_mismatch=sop.total_mismatch,
        **{k: v for k, v in overview.items() if k != "code"},
    )
    return data


@bp.get("/api/services/<code>")
@api("One service (SOP) with its queue now", answers={200: {"type": "object", "required": ["code", "name", "steps"]}})
def service(code: str):
    sop = loket().catalog.get(code)
    if sop is None:
        raise NotFound(_("Layanan tidak ada."))
    overview = next(o for o in issuing.services_overview(loket()) if o["code"] == code)
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
    ["number", "service", "service_name", "priority", "ahead", "qr", "qr_svg", "issued_at", "status_url", "print"],
    number=TEXT,
    service=TEXT,
    service_name=LABEL,
    priority={"type": "boolean"},
    ahead={"type": "integer"},
    qr=TEXT,
    qr_svg=TEXT,
    issued_at={"type": "string", "format": "date-time"},
    requirements={"type": "array"},
    status_url=TEXT,
    print={"type": "object"},
    notice={"type": ["object", "null"]},
)


def qr_svg(payload: str) -> str:
    """The QR code as an SVG data URI (error correction M survives a crumpled ticket)."""
    return segno.make(payload, error="m", micro=False).svg_data_uri(scale=6, border=2)


class TicketRequest(BaseModel):
    """A resident's tap on the kiosk."""

    service: str = Field("", description="The service's code (GET /api/services)")
    priority: str | None = Field(None, description="lansia, disabilitas, ibu_hamil, anak, korban_bencana or null")
    source: str | None = Field(None, max_length=20, description="kiosk (default)")
    kiosk: str | None = Field(None, description="The kiosk's name: its printer prints the ticket")


@bp.post("/api/tickets")
@api(
    body=TicketRequest,
    answers={201: ISSUED_TICKET},
    errors=(404, 409, 429),
)
@csrf.exempt  # public kiosk endpoint: no session, nothing to forge on behalf of anyone
@limiter.limit(config_limit("TICKET_RATE_LIMIT"))
def issue_ticket():
    """Issue a ticket: {"service": code, "priority": reason or null}."""
    data = parsed(TicketRequest)
    code = data.service
    if not code:
        raise BadRequest(_("Pilih layanan."))
    priority = data.priority or None
    if priority is not None and priority not in {p.value for p in PRIORITY_LABELS}:
        raise BadRequest(_("Jenis prioritas tidak dikenal."))
    outcome = issuing.issue(loket(), code, priority, source=data.source or "kiosk")
    publish(outcome.events)
    t = outcome.ticket
    sop = loket().catalog.get(t.service_code)
    # The ticket exists now, whatever the printer does: print once, report, never re-issue.
    kiosk = data.kiosk or None
    printed = print_ticket(loket(), t, printers().for_kiosk(kiosk), office_name(), kind="ticket", kiosk=kiosk)
    return jsonify(
        print=printed.as_dict(),
        notice=issuing.blanko_notice(loket(), t.service_code),
        number=t.number,
        service=t.service_code,
        service_name=t.service_name,
        priority=t.priority is not None,
        ahead=t.ahead,
        qr=t.code,
        qr_svg=qr_svg(t.code),
        issued_at=t.issued_at.isoformat(),
        requirements=[r.model_dump(mode="json") for r in sop.requirements] if sop else [],
        status_url=f"/api/tickets/{t.number}",
    ), 201


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
@api(answers={200: PUBLIC_TICKET})
def ticket_status(number: str):
    """The public status of today's ticket: never a name, NIK or staff note."""
    return jsonify(views.public_status(loket(), number))


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
    kiosk = check_kiosk_pin().kiosk or None
    return jsonify(
        ok=True, kiosk=kiosk, printer=printers().for_kiosk(kiosk).describe(), kiosks=sorted(printers().kiosks)
    )


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
    printer = printers().for_kiosk(check_kiosk_pin().kiosk or None)
    result = send(printer, test_job(printer, office_name(), loket().clock))
    if not result.ok:  # the one error, with the printer's answer beside it (as a staff reprint's)
        raise Failed(result.message or "", code="print_failed", print=result.as_dict())
    return jsonify(print=result.as_dict())


def check_kiosk_pin() -> PinRequest:
    """The request, once its PIN is the kiosk PIN (compared as UTF-8 bytes: any text, never a TypeError)."""
    data = parsed(PinRequest)
    expected = current_app.config.get("KIOSK_PIN") or ""
    if not expected:
        raise NotAllowed(_("Pengaturan kiosk dinonaktifkan (LOKET_KIOSK_PIN belum diatur)."))
    if not hmac.compare_digest(data.pin.encode(), str(expected).encode()):
        raise NotAllowed(_("PIN salah."))
    return data
