"""The JSON API the pages use (documented in docs/api.md). Thin: each route calls one core operation."""

from __future__ import annotations

from typing import Any

import segno
from flask import Blueprint, current_app, jsonify, request, session
from flask_login import current_user, login_user, logout_user

from core.accounts import authenticate, get_counter, list_counters
from core.errors import NotAllowed
from core.roles import ROLE_LABELS, Role
from core.service import Actor, Loket, Outcome
from core.states import PENDING_LABELS, PRIORITY_LABELS
from web.auth import LoginUser, staff_required
from web.extensions import csrf
from web.realtime import publish

bp = Blueprint("api", __name__, url_prefix="/api")


def loket() -> Loket:
    return current_app.extensions["loket"]


def body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


def qr_svg(payload: str) -> str:
    """The QR code as an SVG data URI (error correction M survives a crumpled ticket)."""
    return segno.make(payload, error="m", micro=False).svg_data_uri(scale=6, border=2)


def done(outcome: Outcome, status: int = 200):
    publish(outcome.events)
    return jsonify(ticket=outcome.ticket.staff() if outcome.ticket else None), status


# ---- public: services and tickets ------------------------------------


@bp.get("/services")
def services():
    """Every service with what to bring, its steps, its target time and how many wait now."""
    waiting = loket().waiting_counts()
    out = []
    for sop in loket().catalog:
        data = sop.model_dump(mode="json")
        data.update(
            steps_total_minutes=sop.steps_total_minutes,
            target_minutes=sop.target_minutes,
            total_mismatch=sop.total_mismatch,
            waiting=waiting.get(sop.code, 0),
        )
        out.append(data)
    return jsonify(services=out, priorities=[{"code": p.value, "label": lbl} for p, lbl in PRIORITY_LABELS.items()])


@bp.get("/services/<code>")
def service(code: str):
    sop = loket().catalog.get(code)
    if sop is None:
        return jsonify(error="not_found", message="Layanan tidak ada. (No such service.)"), 404
    data = sop.model_dump(mode="json")
    data.update(
        steps_total_minutes=sop.steps_total_minutes,
        target_minutes=sop.target_minutes,
        total_mismatch=sop.total_mismatch,
        waiting=loket().waiting_counts().get(code, 0),
    )
    return jsonify(data)


@bp.post("/tickets")
@csrf.exempt  # public kiosk endpoint: no session, nothing to forge on behalf of anyone
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
    return jsonify(
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


@bp.get("/tickets/<number>")
def ticket_status(number: str):
    """The public status of today's ticket: never a name, NIK or staff note."""
    return jsonify(loket().public_status(number))


@bp.get("/display/state")
def display_state():
    return jsonify(loket().display_state())


# ---- staff: session, counter and role -----------------------------------


@bp.post("/login")
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
    session["role"] = role.value
    session["counter_id"] = int(counter_id) if counter_id is not None else None
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
}


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


@bp.get("/csrf")
def csrf_token():
    from flask_wtf.csrf import generate_csrf

    return jsonify(csrf_token=generate_csrf())
