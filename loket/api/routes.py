"""The JSON API the pages use (documented in docs/api.md). Thin: each route calls one core operation."""

from __future__ import annotations

import hmac
import io
from datetime import date
from typing import Any

import segno
from flask import Blueprint, Response, current_app, jsonify, request, session
from flask_login import current_user, login_user, logout_user
from pydantic import ValidationError

from loket.core.accounts import authenticate, get_counter, list_counters
from loket.core.errors import NotAllowed
from loket.core.roles import REGISTER_ROLES, ROLE_LABELS, Role
from loket.core.service import Actor, Loket, Outcome
from loket.core.states import PENDING_LABELS, PRIORITY_LABELS
from loket.web.auth import LoginUser, current_actor, staff_required
from loket.web.extensions import csrf, limiter
from loket.web.realtime import publish, voice_reading

bp = Blueprint("api", __name__, url_prefix="/api")


def loket() -> Loket:
    return current_app.extensions["loket"]


def body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


def printers():
    return current_app.extensions["printers"]


def qr_svg(payload: str) -> str:
    """The QR code as an SVG data URI (error correction M survives a crumpled ticket)."""
    return segno.make(payload, error="m", micro=False).svg_data_uri(scale=6, border=2)


def done(outcome: Outcome, status: int = 200):
    publish(outcome.events)
    return jsonify(ticket=outcome.ticket.staff() if outcome.ticket else None), status


# ---- public: services and tickets ------------------------------------


@bp.get("/services")
def services():
    """Every service: what to bring, steps, targets, and whether and how long the queue is now."""
    loket().refresh_catalog()  # a kiosk told of an SOP edit made on another process sees it now
    overview = {o["code"]: o for o in loket().services_overview()}
    out = [service_data(sop, overview[sop.code]) for sop in loket().catalog]
    settings = loket().settings()
    return jsonify(
        services=out,
        priorities=[{"code": p.value, "label": lbl} for p, lbl in PRIORITY_LABELS.items()],
        office={
            "name": settings.office_name or current_app.config["OFFICE_NAME"],
            "running_text": settings.running_text,
            "blanko_stock": settings.blanko_stock,
        },
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


@bp.get("/services/<code>")
def service(code: str):
    sop = loket().catalog.get(code)
    if sop is None:
        return jsonify(error="not_found", message="Layanan tidak ada. (No such service.)"), 404
    overview = next(o for o in loket().services_overview() if o["code"] == code)
    return jsonify(service_data(sop, overview))


def _config_limit(key: str):
    return lambda: current_app.config[key] or "1000000 per second"


@bp.post("/tickets")
@csrf.exempt  # public kiosk endpoint: no session, nothing to forge on behalf of anyone
@limiter.limit(_config_limit("TICKET_RATE_LIMIT"))
def issue_ticket():
    """Issue a ticket: {"service": code, "priority": reason or null}."""
    data = body()
    code = data.get("service")
    if not isinstance(code, str) or not code:
        return jsonify(error="bad_request", message="Pilih layanan. (Choose a service.)"), 400
    priority = data.get("priority") or None
    if priority is not None and priority not in {p.value for p in PRIORITY_LABELS}:
        return jsonify(error="bad_request", message="Jenis prioritas tidak dikenal. (Unknown priority.)"), 400
    outcome = loket().issue(code, priority, source=data.get("source") or "kiosk")
    publish(outcome.events)
    t = outcome.ticket
    sop = loket().catalog.get(t.service_code)
    # The ticket exists now, whatever the printer does: print once, report, never re-issue.
    kiosk = str(data.get("kiosk") or "") or None
    printed = print_ticket(t, printers().for_kiosk(kiosk), kind="ticket", kiosk=kiosk)
    notice = loket().blanko_notice(t.service_code)
    return jsonify(
        print=printed.as_dict(),
        notice=notice,
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


def print_ticket(t, printer, *, kind: str, kiosk: str | None = None, user_id: int | None = None):
    """Render and send one ticket or slip; record the result (a failure alerts staff)."""
    from loket.web.printing import render, send, ticket_content

    content = ticket_content(loket(), t, current_app.config["OFFICE_NAME"])
    result = send(printer, render(content, printer, kind="slip" if kind == "slip" else "ticket"))
    publish(loket().record_print(t.id, kind, result.ok, result.printer, result.reason, kiosk, user_id))
    return result


@bp.get("/tickets/preview.png")
def ticket_preview():
    """The printed ticket as a picture; needs the ticket's signed code (from its QR), not just its number."""
    from loket.web.printing import render, ticket_content

    view = loket().find_by_code(request.args.get("code", ""))
    printer = printers().for_kiosk(request.args.get("kiosk"))
    kind = "slip" if request.args.get("kind") == "slip" else "ticket"
    job = render(
        ticket_content(loket(), view, current_app.config["OFFICE_NAME"]), printer, kind=kind, with_preview=True
    )
    buffer = io.BytesIO()
    job.preview.save(buffer, format="PNG")
    return Response(buffer.getvalue(), mimetype="image/png", headers={"Cache-Control": "no-store"})


@bp.get("/voice/call.wav")
def call_wav():
    """The chime and the spoken call for a number and a counter, made offline and cached."""
    from loket.core.speech import Reading, call_sentence

    number = request.args.get("number", "")
    try:
        counter = int(request.args.get("counter", ""))
        sentence = call_sentence(number, counter, Reading(voice_reading()), recall=request.args.get("recall") == "1")
    except ValueError:
        return jsonify(error="bad_request", message="Nomor atau loket tidak sah. (Invalid number or counter.)"), 400
    if not 0 < counter < 1000 or len(number) > 12:
        return jsonify(error="bad_request", message="Nomor atau loket tidak sah. (Invalid number or counter.)"), 400
    data = current_app.extensions["call_audio"].get(sentence)
    return Response(data, mimetype="audio/wav", headers={"Cache-Control": "public, max-age=86400"})


@bp.get("/tickets/<number>")
def ticket_status(number: str):
    """The public status of today's ticket: never a name, NIK or staff note."""
    return jsonify(loket().public_status(number))


@bp.get("/display/state")
def display_state():
    from loket.web.pages import display_state as full_state

    return jsonify(full_state())


# ---- staff: session, counter and role -----------------------------------


@bp.post("/login")
@limiter.limit(_config_limit("LOGIN_RATE_LIMIT"))
def login():
    data = body() or request.form
    user = authenticate(loket().store, str(data.get("username", "")), str(data.get("password", "")))
    if user is None:
        return jsonify(error="bad_login", message="Nama pengguna atau kata sandi salah. (Wrong login.)"), 401
    session.clear()
    login_user(LoginUser(user))
    return jsonify(me())


@bp.post("/logout")
def logout():
    leaving = current_actor()
    if leaving is not None:
        publish(loket().close_station(leaving))
    logout_user()
    session.clear()
    return jsonify(ok=True)


def me() -> dict[str, Any]:
    if not current_user.is_authenticated:
        return {"user": None}
    staff = current_user.staff
    counter = get_counter(loket().store, session["counter_id"]) if session.get("counter_id") else None
    return {
        "user": {"id": staff.id, "username": staff.username, "full_name": staff.full_name},
        "roles": [{"code": r.value, "label": ROLE_LABELS[r]} for r in staff.roles],
        "role": session.get("role"),
        "counter": {"id": counter.id, "name": counter.name, "number": counter.number} if counter else None,
    }


@bp.get("/me")
def whoami():
    return jsonify(me())


@bp.get("/counters")
def counters():
    if not current_user.is_authenticated:
        return jsonify(error="unauthorized", message="Silakan masuk. (Please log in.)"), 401
    return jsonify(
        counters=[
            {"id": c.id, "name": c.name, "number": c.number, "roles": list(c.roles), "services": list(c.services)}
            for c in list_counters(loket().store)
            if c.active
        ]
    )


@bp.post("/session")
def choose_station():
    """Choose the role to work in and, for hall-facing work, the counter: {"role", "counter_id"}."""
    if not current_user.is_authenticated:
        return jsonify(error="unauthorized", message="Silakan masuk. (Please log in.)"), 401
    data = body()
    try:
        role = Role(data.get("role"))
    except ValueError:
        return jsonify(error="bad_request", message="Peran tidak dikenal. (Unknown role.)"), 400
    if not current_user.staff.has_role(role):
        raise NotAllowed("Anda tidak memiliki peran ini. (You do not hold this role.)")
    counter_id = data.get("counter_id")
    if counter_id is not None:
        counter = get_counter(loket().store, int(counter_id))
        if counter is None or not counter.active:
            return jsonify(error="not_found", message="Loket tidak ada. (No such counter.)"), 404
        if not counter.serves_role(role):
            raise NotAllowed(f"{counter.name} tidak melayani peran ini. (Counter does not serve this role.)")
    leaving = current_actor()
    if leaving is not None and leaving.counter_id is not None:
        publish(loket().close_station(leaving))
    session["role"] = role.value
    session["counter_id"] = int(counter_id) if counter_id is not None else None
    publish(loket().open_station(current_actor()))
    return jsonify(me())


@bp.get("/labels")
def labels():
    return jsonify(
        roles={r.value: lbl for r, lbl in ROLE_LABELS.items()},
        pending_reasons={r.value: lbl for r, lbl in PENDING_LABELS.items()},
        priorities={p.value: lbl for p, lbl in PRIORITY_LABELS.items()},
    )


# ---- staff: the work ----------------------------------------------------


@bp.post("/counter/call-next")
@staff_required()
def call_next(actor: Actor):
    outcome = loket().call_next(actor)
    if outcome.ticket is None:
        return jsonify(ticket=None, message="Tidak ada antrean. (Nobody is waiting.)")
    return done(outcome)


@bp.get("/counter/current")
@staff_required()
def counter_current(actor: Actor):
    tickets = loket().counter_tickets(actor.counter_id) if actor.counter_id else []
    return jsonify(tickets=[t.staff() for t in tickets])


@bp.get("/worklist")
@staff_required()
def worklist(actor: Actor):
    return jsonify(tickets=[t.staff() for t in loket().work_list(actor.role)])


@bp.post("/scan")
@staff_required()
def scan(actor: Actor):
    """Load a berkas by its scanned QR payload or a typed ticket number: {"code"}."""
    code = str(body().get("code", "")).strip()
    if not code:
        return jsonify(error="bad_request", message="Kode kosong. (Empty code.)"), 400
    return jsonify(ticket=loket().find(code).staff())


@bp.get("/staff/tickets/<int:ticket_id>")
@staff_required()
def staff_ticket(actor: Actor, ticket_id: int):
    return jsonify(ticket=loket().get(ticket_id).staff())


ACTIONS = {
    "recall": lambda a, t, d: loket().recall(a, t),
    "start": lambda a, t, d: loket().start(a, t),
    "advance": lambda a, t, d: loket().advance(a, t, d.get("note")),
    "hand-over": lambda a, t, d: loket().hand_over(a, t),
    "pend": lambda a, t, d: loket().pend(a, t, str(d.get("reason", "")), d.get("note")),
    "resume": lambda a, t, d: loket().resume(a, t),
    "return": lambda a, t, d: loket().return_for_documents(a, t, list(d.get("missing") or []), d.get("note")),
    "no-show": lambda a, t, d: loket().no_show(a, t),
    "cancel": lambda a, t, d: loket().cancel(a, t, d.get("note")),
    "applicant": lambda a, t, d: loket().record_applicant(a, t, str(d.get("name", "")), str(d.get("nik", ""))),
    "transfer": lambda a, t, d: loket().transfer(
        a, t, int(d["counter_id"]) if d.get("counter_id") is not None else None, d.get("service") or None
    ),
}


@bp.post("/counter/walk-in")
@staff_required()
def walk_in(actor: Actor):
    """Serve a resident who has no ticket: {"service", "priority"}; a ticket is issued and started here."""
    data = body()
    return done(loket().serve_walk_in(actor, str(data.get("service", "")), data.get("priority") or None))


@bp.post("/scan/frame")
@staff_required()
def scan_frame(actor: Actor):
    """A webcam frame from the counter page (JPEG or PNG body): decode its QR and load the berkas."""
    import cv2
    import numpy as np

    from loket.hardware.scanner.decode import decode

    raw = request.get_data(cache=False)
    if not raw or len(raw) > 8 * 1024 * 1024:
        return jsonify(error="bad_request", message="Gambar kosong atau terlalu besar. (Empty or too large.)"), 400
    frame = cv2.imdecode(np.frombuffer(raw, np.uint8), cv2.IMREAD_COLOR)
    if frame is None:
        return jsonify(error="bad_request", message="Gambar tidak terbaca. (Unreadable image.)"), 400
    codes = decode(frame)
    if not codes:
        return jsonify(ticket=None, found=False)
    return jsonify(ticket=loket().find(codes[0]).staff(), found=True)


@bp.post("/scanner/scan")
@csrf.exempt  # the scanner agent is a program with a token, not a browser with a session
@limiter.limit(_config_limit("PIN_RATE_LIMIT"), exempt_when=lambda: _scanner_token_ok())
def scanner_scan():
    """A code read by the scanner agent for a counter: {"code", "counter_id"}; the counter page loads it."""
    if not _scanner_token_ok():
        return jsonify(error="unauthorized", message="Token pemindai salah. (Wrong scanner token.)"), 401
    data = body()
    try:
        counter_id = int(data.get("counter_id"))
    except (TypeError, ValueError):
        return jsonify(error="bad_request", message="counter_id diperlukan. (counter_id is required.)"), 400
    if get_counter(loket().store, counter_id) is None:
        return jsonify(error="not_found", message="Loket tidak ada. (No such counter.)"), 404
    ticket = loket().find(str(data.get("code", ""))).staff()
    from loket.web.realtime import to_counter

    to_counter(counter_id, "scanner.scan", {"ticket": ticket})
    return jsonify(ticket={"number": ticket["number"], "state": ticket["state"]})


def _scanner_token_ok() -> bool:
    expected = current_app.config.get("SCANNER_TOKEN") or ""
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(expected) and hmac.compare_digest(given, expected)


@bp.get("/register")
@staff_required(*REGISTER_ROLES)
def register(actor: Actor):
    """The buku harian of a day (?day=YYYY-MM-DD, default today) as JSON, CSV or XLSX (?format=)."""
    from loket.core.register import register_csv, register_rows, register_xlsx

    try:
        day = date.fromisoformat(request.args.get("day") or loket().clock.today().isoformat())
    except ValueError:
        return jsonify(error="bad_request", message="Tanggal tidak sah. (Invalid date.)"), 400
    rows = register_rows(loket(), day)
    fmt = request.args.get("format", "json")
    name = f"buku-harian-{day.isoformat()}"
    if fmt == "csv":
        return Response(
            register_csv(rows),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if fmt == "xlsx":
        title = f"Buku Harian {current_app.config['OFFICE_NAME']} - {day.isoformat()}"
        return Response(
            register_xlsx(rows, title),
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


@bp.post("/staff/tickets/<int:ticket_id>/<action>")
@staff_required()
def ticket_action(actor: Actor, ticket_id: int, action: str):
    """One staff action on a berkas; the role and counter come from the session."""
    handler = ACTIONS.get(action)
    if handler is None:
        return jsonify(error="not_found", message="Aksi tidak dikenal. (Unknown action.)"), 404
    try:
        return done(handler(actor, ticket_id, body()))
    except ValueError as exc:  # an unknown pending reason or similar bad input
        return jsonify(error="bad_request", message=f"Nilai tidak sah. (Invalid value: {exc})"), 400


@bp.post("/staff/tickets/<int:ticket_id>/reprint")
@staff_required()
def reprint(actor: Actor, ticket_id: int):
    """Print a ticket again, on a kiosk's printer ({"kiosk"}) or this counter's."""
    return print_for_staff(actor, ticket_id, "ticket")


@bp.post("/staff/tickets/<int:ticket_id>/pickup-slip")
@staff_required()
def pickup_slip(actor: Actor, ticket_id: int):
    """Print the slip pengambilan, once the berkas reached the SOP step that gives one."""
    view = loket().get(ticket_id)
    if not view.gives_pickup_slip:
        return jsonify(
            error="no_pickup_slip",
            message="Tahap SOP ini tidak memberikan slip pengambilan. (This SOP step gives no pickup slip.)",
        ), 409
    return print_for_staff(actor, ticket_id, "slip")


def print_for_staff(actor: Actor, ticket_id: int, kind: str):
    view = loket().get(ticket_id)
    kiosk = body().get("kiosk")
    if kiosk:
        printer = printers().for_kiosk(kiosk)
    else:
        counter = get_counter(loket().store, actor.counter_id) if actor.counter_id else None
        printer = printers().for_counter(counter.name if counter else None)
    result = print_ticket(view, printer, kind=kind, kiosk=kiosk, user_id=actor.user_id)
    if not result.ok:
        return jsonify(print=result.as_dict(), error="print_failed", message=result.message), 502
    return jsonify(print=result.as_dict())


@bp.get("/staff/alerts")
@staff_required()
def alerts(actor: Actor):
    """Today's printer failures, so staff can help the resident and reprint."""
    return jsonify(printer_failures=loket().printer_alerts())


@bp.get("/admin/settings")
@staff_required(Role.ADMIN)
def get_settings(actor: Actor):
    return jsonify(loket().settings().model_dump(mode="json"))


@bp.put("/admin/settings")
@staff_required(Role.ADMIN)
def put_settings(actor: Actor):
    """Change office settings: hours, service closures and quotas, blanko stock, texts."""
    try:
        outcome = loket().update_settings(actor, body())
    except ValidationError as exc:
        from loket.core.admin import validation_problems

        return jsonify(
            error="invalid", message="Pengaturan tidak sah. (Invalid settings.)", problems=validation_problems(exc)
        ), 400
    publish(outcome.events)
    return jsonify(loket().settings().model_dump(mode="json"))


@bp.post("/kiosk/unlock")
@csrf.exempt  # the kiosk has no staff session; the PIN is the credential, and it is rate-limited
@limiter.limit(_config_limit("PIN_RATE_LIMIT"))
def kiosk_unlock():
    """Open the kiosk's settings panel with the staff PIN: {"pin", "kiosk"}."""
    check_kiosk_pin()
    kiosk = str(body().get("kiosk") or "") or None
    return jsonify(
        ok=True, kiosk=kiosk, printer=printers().for_kiosk(kiosk).describe(), kiosks=sorted(printers().kiosks)
    )


@bp.post("/kiosk/test-print")
@csrf.exempt
@limiter.limit(_config_limit("PIN_RATE_LIMIT"))
def kiosk_test_print():
    """Print a test slip on this kiosk's printer (PIN required): {"pin", "kiosk"}."""
    from loket.web.printing import send, test_job

    check_kiosk_pin()
    printer = printers().for_kiosk(str(body().get("kiosk") or "") or None)
    result = send(printer, test_job(printer, current_app.config["OFFICE_NAME"], loket().clock))
    return jsonify(print=result.as_dict()), (200 if result.ok else 502)


def check_kiosk_pin() -> None:
    expected = current_app.config.get("KIOSK_PIN") or ""
    if not expected:
        raise NotAllowed("Pengaturan kiosk dinonaktifkan (LOKET_KIOSK_PIN belum diatur). (Kiosk settings disabled.)")
    if not hmac.compare_digest(str(body().get("pin", "")), expected):
        raise NotAllowed("PIN salah. (Wrong PIN.)")


@bp.get("/csrf")
def csrf_token():
    from flask_wtf.csrf import generate_csrf

    return jsonify(csrf_token=generate_csrf())
