"""The staff counter: its page and the JSON of the work (call, scan, act on a berkas), and the buku harian.

Staff only (a session with a chosen role), except POST /api/scanner/scan: the scanner agent
(python -m loket.hardware.scanner) sends it with its token and the counter page receives the berkas.
"""

from __future__ import annotations

import hmac
from datetime import date

from flask import Blueprint, Response, abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from pydantic import BaseModel, Field

from loket.auth import current_actor, staff_required
from loket.core.accounts import get_counter
from loket.core.errors import NotFound
from loket.core.messages import _
from loket.core.register import register_csv, register_rows, register_xlsx
from loket.core.roles import CANCEL_ANY_STEP_ROLES, REGISTER_ROLES, Actor, Role
from loket.core.tickets import contacts, flow, issuing, queue, unclaimed, views
from loket.core.tickets.views import Outcome
from loket.extensions import csrf, limiter
from loket.http import BadRequest, NotLoggedIn, SiteRowId, allows_camera, body_limit, config_limit, parsed, translate
from loket.office import office_name, site_arg, sites
from loket.openapi import BINARY, LABEL, MAYBE_TEXT, TEXT, api, obj
from loket.printing import print_for_staff
from loket.realtime import publish, to_counter
from loket.services import loket

bp = Blueprint(
    "counter", __name__, template_folder="templates", static_folder="static", static_url_path="/counter/static"
)

MAX_FRAME_BYTES = 8 * 1024 * 1024

#: Roles that always work at a hall counter: the desk offers them no back-office place.
HALL_ROLES = (Role.PELAYANAN, Role.PENDUKUNG)


@bp.get("/counter/")
@allows_camera  # camera.js reads QR codes through getUserMedia
def desk():
    """The page: log in, choose loket and role, call, scan and advance."""
    constants = {
        "hall_roles": list(HALL_ROLES),
        "register_roles": list(REGISTER_ROLES),
        "cancel_any_step_roles": list(CANCEL_ANY_STEP_ROLES),
        "void_roles": list(unclaimed.VOID_ROLES),
        # a list, in the office's order ("other" last): the page's JSON would sort a mapping's keys
        "call_reasons": [{"code": code, "label": label} for code, label in queue.CALL_REASONS.items()],
    }
    return render_template("counter/desk.html", office_name=office_name(), desk=constants)


#: The answer of a staff action: the berkas as staff see it.
STAFF_TICKET = obj(
    ["id", "number", "service", "service_name", "state", "state_label", "current_role", "call_count"],
    id={"type": "integer"},
    number=TEXT,
    code=TEXT,
    service=TEXT,
    service_name=LABEL,
    state=TEXT,
    state_label=LABEL,
    current_role=TEXT,
    call_count={"type": "integer"},
    counter=MAYBE_TEXT,
    missing={"type": "array", "items": TEXT},
    state_note=MAYBE_TEXT,
)
TICKET_ANSWER = obj(["ticket"], ticket={"anyOf": [STAFF_TICKET, {"type": "null"}]})
TICKETS_ANSWER = obj(["tickets"], tickets={"type": "array", "items": STAFF_TICKET})


def done(actor: Actor, outcome: Outcome, status: int = 200):
    """Publish what an action changed and answer the berkas as this officer may see it."""
    publish(outcome.events)
    return jsonify(ticket=views.for_officer(outcome.ticket, actor.role) if outcome.ticket else None), status


# ---- calling and the work lists ---------------------------------------------------------


@bp.post("/api/counter/call-next")
@api(answers={200: TICKET_ANSWER}, errors=(409,))
@staff_required()
def call_next(actor: Actor):
    outcome = queue.call_next(loket(), actor)
    if outcome.ticket is None:
        return jsonify(ticket=None, message=translate(_("Tidak ada antrean.")))
    return done(actor, outcome)


@bp.get("/api/counter/current")
@api("Tickets called to or served at this counter", answers={200: TICKETS_ANSWER})
@staff_required()
def counter_current(actor: Actor):
    tickets = views.counter_tickets(loket(), actor.counter_id) if actor.counter_id else []
    return jsonify(tickets=[views.for_officer(t, actor.role, one_berkas=False) for t in tickets])


@bp.get("/api/worklist")
@api("Berkas at this role's step, oldest first", answers={200: TICKETS_ANSWER})
@staff_required()
def worklist(actor: Actor):
    work = views.work_list(loket(), actor.role)
    return jsonify(tickets=[views.for_officer(t, actor.role, one_berkas=False) for t in work])


@bp.get("/api/counter/queue")
@api(
    "Who waits for this counter and role, in calling order: how many, and the first 50 (no names)",
    answers={200: obj(["count", "tickets"], count={"type": "integer"}, tickets={"type": "array"})},
)
@staff_required()
def counter_queue(actor: Actor):
    count, tickets = queue.counter_queue(loket(), actor)
    return jsonify(count=count, tickets=tickets)


class WalkIn(BaseModel):
    service: str = ""
    priority: str | None = None


@bp.post("/api/counter/walk-in")
@api(body=WalkIn, answers={200: TICKET_ANSWER}, errors=(404, 409))
@staff_required()
def walk_in(actor: Actor):
    """Serve a resident who has no ticket: {"service", "priority"}; a ticket is issued and started here."""
    data = parsed(WalkIn)
    return done(actor, issuing.serve_walk_in(loket(), actor, data.service, data.priority or None))


# ---- finding a berkas: typed, scanned at the counter, or by the scanner agent -------------


class Scan(BaseModel):
    code: str = Field("", description="A scanned QR payload, or a ticket number of today typed")


@bp.post("/api/scan")
@api(body=Scan, answers={200: TICKET_ANSWER}, errors=(404,))
@staff_required()
def scan(actor: Actor):
    """Load a berkas by its scanned QR payload or a typed ticket number: {"code"}."""
    code = parsed(Scan).code.strip()
    if not code:
        raise BadRequest(_("Kode kosong."))
    return jsonify(ticket=views.for_officer(views.find(loket(), code), actor.role))


@bp.post("/api/scan/frame")
@body_limit("SCAN_FRAME_MAX_BYTES")
@api(
    body=BINARY,
    body_type="image/jpeg",
    answers={200: {"type": "object", "required": ["ticket", "found"]}},
    errors=(404,),
)
@staff_required()
def scan_frame(actor: Actor):
    """A webcam frame from the counter page (JPEG or PNG body): decode its QR and load the berkas."""
    raw = request.get_data(cache=False)
    if not raw or len(raw) > MAX_FRAME_BYTES:
        raise BadRequest(_("Gambar kosong atau terlalu besar."))
    # OpenCV and the QR readers (~50 MiB with numpy) load with the first frame a counter page sends, not with
    # the app: a process serving boards never holds them (docs/performance.md, Boards; tests/test_app_imports.py).
    from loket.hardware.scanner.decode import decode_image  # noqa: PLC0415

    codes = decode_image(raw)
    if codes is None:
        raise BadRequest(_("Gambar tidak terbaca."))
    if not codes:
        return jsonify(ticket=None, found=False)
    return jsonify(ticket=views.for_officer(views.find(loket(), codes[0]), actor.role), found=True)


class ScannerScan(BaseModel):
    code: str = Field("", description="The signed code read from a ticket's QR")
    counter_id: SiteRowId | None = Field(None, description="The counter whose page loads the berkas")


@bp.post("/api/scanner/scan")
@api(
    body=ScannerScan,
    auth="scanner",
    answers={200: {"type": "object", "required": ["ticket"]}},
    errors=(404, 429),
)
@csrf.exempt  # the scanner agent is a program with a token, not a browser with a session
@limiter.limit(config_limit("PIN_RATE_LIMIT"), exempt_when=lambda: _scanner_token_ok())
def scanner_scan():
    """A code read by the scanner agent for a counter: {"code", "counter_id"}; the counter page loads it."""
    if not _scanner_token_ok():
        raise NotLoggedIn(_("Token pemindai salah."))
    data = parsed(ScannerScan)
    counter_id = data.counter_id
    if counter_id is None:
        raise BadRequest(_("counter_id diperlukan."))
    if get_counter(loket().store, counter_id) is None:
        raise NotFound(_("Loket tidak ada."))
    # Every page at the counter hears it, whatever its role: no applicant; the page asks for the
    # berkas again (GET /api/staff/tickets/<id>) and sees what its own role may.
    ticket = views.for_officer(views.find(loket(), data.code), None)
    to_counter(counter_id, "scanner.scan", {"ticket": ticket})
    return jsonify(ticket={"number": ticket["number"], "state": ticket["state"]})


def _scanner_token_ok() -> bool:
    expected = current_app.config.get("SCANNER_TOKEN") or ""
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    # Bytes, not str: compare_digest refuses a non-ASCII str (a TypeError, a 500) and a header may hold any byte.
    return bool(expected) and hmac.compare_digest(given.encode("utf-8", "surrogateescape"), str(expected).encode())


# ---- acting on a berkas -----------------------------------------------------------------


@bp.get("/api/staff/unclaimed")
@api(
    "Today's tickets nobody holds (issued, never called), for the front desk to void",
    answers={200: obj(["tickets"], tickets={"type": "array", "items": obj(["id", "number"], number=TEXT)})},
)
@staff_required()
def unclaimed_tickets(actor: Actor):
    """Today's tickets nobody holds (issued, never called): the front desk voids them with a reason."""
    return jsonify(tickets=unclaimed.unclaimed(loket(), actor))


@bp.get("/api/staff/tickets/<site_id:ticket_id>")
@api("One berkas, as staff see it", answers={200: TICKET_ANSWER})
@staff_required()
def staff_ticket(actor: Actor, ticket_id: int):
    return jsonify(ticket=views.for_officer(views.get(loket(), ticket_id), actor.role))


@bp.get("/api/staff/tickets/<site_id:ticket_id>/contact")
@api(
    "The resident's number (the front desk's in full, masked for other roles) and each message's delivery state",
    answers={200: {"type": "object", "required": ["phone", "email", "can_edit", "messages"]}},
)
@staff_required()
def ticket_contact(actor: Actor, ticket_id: int):
    return jsonify(contacts.contact_for(loket(), actor, ticket_id))


class NoBody(BaseModel):
    """An action that takes nothing (anything sent is ignored)."""


class Note(BaseModel):
    note: str | None = Field(None, description="The officer's note")


class Pend(Note):
    reason: str = Field("", description="not_in_siak, data_problem, network_down or other")


class Return(Note):
    missing: list[str] = Field([], description="The requirement keys missing")


class Documents(BaseModel):
    have: list[str] = Field([], description="The requirement keys found in the berkas (the checklist)")


class Void(BaseModel):
    reason: str = Field("", description="Why nobody holds the ticket (1 to 200 characters)")


class Applicant(BaseModel):
    name: str = ""
    nik: str = Field("", description="16 digits")


class Phone(BaseModel):
    phone: str | None = Field(None, max_length=30, description="The resident's mobile number; empty or null removes it")


class CallNumber(Note):
    reason: str = Field("", description="Why out of turn: came_back, missed_call, special_need, sent_here or other")


class Transfer(BaseModel):
    counter_id: SiteRowId | None = Field(None, description="To this counter")
    service: str | None = Field(None, description="Or under this service (from reception)")


#: Each action: its body (checked with the model, also its OpenAPI schema) and what it does.
ACTIONS = {
    "recall": (NoBody, lambda a, t, d: queue.recall(loket(), a, t)),
    "call": (CallNumber, lambda a, t, d: queue.call_number(loket(), a, t, d.reason, d.note)),
    "start": (NoBody, lambda a, t, d: flow.start(loket(), a, t)),
    "advance": (Note, lambda a, t, d: flow.advance(loket(), a, t, d.note)),
    "hand-over": (NoBody, lambda a, t, d: flow.hand_over(loket(), a, t)),
    "pend": (Pend, lambda a, t, d: flow.pend(loket(), a, t, d.reason, d.note)),
    "resume": (NoBody, lambda a, t, d: flow.resume(loket(), a, t)),
    "return": (Return, lambda a, t, d: flow.return_for_documents(loket(), a, t, d.missing, d.note)),
    "documents": (Documents, lambda a, t, d: flow.check_documents(loket(), a, t, d.have)),
    "no-show": (NoBody, lambda a, t, d: flow.no_show(loket(), a, t)),
    "cancel": (Note, lambda a, t, d: flow.cancel(loket(), a, t, d.note)),
    "void": (Void, lambda a, t, d: unclaimed.void(loket(), a, t, d.reason)),
    "applicant": (Applicant, lambda a, t, d: flow.record_applicant(loket(), a, t, d.name, d.nik)),
    "phone": (Phone, lambda a, t, d: flow.set_phone(loket(), a, t, d.phone)),
    "transfer": (Transfer, lambda a, t, d: flow.transfer(loket(), a, t, d.counter_id, d.service or None)),
}


@bp.post("/api/staff/tickets/<site_id:ticket_id>/<action>")
@api(
    answers={200: TICKET_ANSWER},
    errors=(409,),
    variants=("action", {name: model for name, (model, _handler) in ACTIONS.items()}),
)
@staff_required()
def ticket_action(actor: Actor, ticket_id: int, action: str):
    """One staff action on a berkas; the role and counter come from the session."""
    if action not in ACTIONS:
        raise NotFound(_("Aksi tidak dikenal."))
    model, handler = ACTIONS[action]
    data = parsed(model)
    try:
        outcome = handler(actor, ticket_id, data)
    except ValueError:  # an unknown pending reason or similar bad input; never echo the input back
        raise BadRequest(_("Isian tidak sah untuk aksi ini.")) from None
    if action == "return" and outcome.ticket is not None:
        # "Kembalikan" hands the resident the list of what is missing, on this counter's printer (issue 15). The
        # berkas is returned whether or not paper came out: the answer says how printing went (reprint:
        # /api/staff/tickets/<id>/return-slip).
        publish(outcome.events)
        result = print_for_staff(loket(), actor, outcome.ticket, office_name(), "return")
        return jsonify(ticket=views.for_officer(outcome.ticket, actor.role), print=result.as_dict())
    return done(actor, outcome)


# ---- the buku harian ------------------------------------------------------------------


@bp.get("/api/register")
@api(
    "The buku harian of a day",
    query={
        "day": {"type": "string", "format": "date", "description": "YYYY-MM-DD; default today"},
        "format": {"type": "string", "enum": ["json", "csv", "xlsx"]},
        "site": {"type": "string", "description": "one site's code (issue 16); none: every site together"},
    },
    answers={
        200: [
            ("application/json", {"type": "object", "required": ["day", "rows"]}),
            ("text/csv", {"type": "string"}),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", BINARY),
        ]
    },
)
@staff_required(*REGISTER_ROLES)
def register(actor: Actor):
    """The buku harian of a day (?day=YYYY-MM-DD, default today) as JSON, CSV or XLSX (?format=)."""
    try:
        day = date.fromisoformat(request.args.get("day") or loket().clock.today().isoformat())
    except ValueError:
        raise BadRequest(_("Tanggal tidak sah.")) from None
    rows = register_rows(loket(), day, site_arg())
    fmt = request.args.get("format", "json")
    name = f"buku-harian-{day.isoformat()}"
    if fmt == "csv":
        return Response(
            register_csv(rows),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if fmt == "xlsx":
        return Response(
            register_xlsx(rows, f"Buku Harian {office_name()} - {day.isoformat()}"),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    return jsonify(
        day=day.isoformat(),
        rows=[
            {
                "number": r.number,
                "service": r.service,
                "applicant_name": r.applicant_name,
                "nik": r.nik,
                "officer": r.officer,
                "counter": r.counter,
                "issued": r.issued.isoformat(),
                "closed": r.closed.isoformat() if r.closed else None,
                "outcome": r.outcome,
                "calls_out_of_turn": r.calls_out_of_turn,
                "steps": [
                    {
                        "role": st.role,
                        "officer": st.officer,
                        "counter": st.counter,
                        "started": st.started.isoformat() if st.started else None,
                        "ended": st.ended.isoformat() if st.ended else None,
                        "minutes": st.minutes,
                        "target_minutes": st.target_minutes,
                        "outcome": st.outcome,
                    }
                    for st in r.steps
                ],
            }
            for r in rows
        ],
    )


@bp.get("/reports/register")
def register_page():
    """The day's register as a page to print and sign (?day=YYYY-MM-DD); its template is in the reports room."""
    if not current_user.is_authenticated:
        return redirect(url_for("counter.desk"))
    actor = current_actor()
    if actor is None or actor.role not in REGISTER_ROLES:
        abort(403)  # names and NIKs: only for the roles that keep the buku harian
    try:
        day = date.fromisoformat(request.args.get("day") or loket().clock.today().isoformat())
    except ValueError:
        abort(400)
    site = site_arg()
    rows = register_rows(loket(), day, site)
    return render_template(
        "reports/register.html",
        rows=rows,
        day=day,
        site=site,
        sites=sites(),
        office_name=office_name(),
        officer=current_user.staff.full_name,
        done=sum(1 for r in rows if r.closed),
    )
