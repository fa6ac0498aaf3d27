"""Staff sessions: log in and out, who am I, choose a role and counter, labels, the CSRF token."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request, session
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf
from pydantic import BaseModel

from loket.core.accounts import authenticate, get_counter, list_counters
from loket.core.errors import LoketError, NotAllowed, NotFound
from loket.core.messages import _
from loket.core.roles import ROLE_LABELS, Role
from loket.core.states import PENDING_LABELS, PRIORITY_LABELS
from loket.core.tickets import queue
from loket.extensions import limiter
from loket.http import BadRequest, Id, body, config_limit, parsed
from loket.openapi import LABEL, MAYBE_TEXT, TEXT, api, obj
from loket.realtime import publish
from loket.services import loket

from .login import LoginUser, current_actor, login_required_json

bp = Blueprint("auth", __name__)


class WrongLogin(LoketError):
    status = 401
    code = "bad_login"


#: Who is logged in: `{"user": null}` when nobody is.
ME_ANSWER = obj(
    ["user"],
    user={"anyOf": [obj(["id", "username", "full_name"], id={"type": "integer"}, username=TEXT), {"type": "null"}]},
    roles={"type": "array", "items": obj(["code", "label"], code=TEXT, label=LABEL)},
    role=MAYBE_TEXT,
    counter={"anyOf": [obj(["id", "name", "number"], id={"type": "integer"}, name=TEXT), {"type": "null"}]},
)


class Credentials(BaseModel):
    username: str = ""
    password: str = ""


@bp.post("/api/login")
@api(body=Credentials, auth="csrf", answers={200: ME_ANSWER}, errors=(401, 429))
@limiter.limit(config_limit("LOGIN_RATE_LIMIT"))
def login():
    data = Credentials.model_validate(body() or request.form.to_dict())
    user = authenticate(loket().store, data.username, data.password)
    if user is None:
        raise WrongLogin(_("Nama pengguna atau kata sandi salah."))
    session.clear()
    login_user(LoginUser(user))
    return jsonify(me())


@bp.post("/api/logout")
@api("Log out (ends the session's station)", auth="csrf", answers={200: {"type": "object", "required": ["ok"]}})
def logout():
    leaving = current_actor()
    if leaving is not None:
        publish(queue.close_station(loket(), leaving))
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


@bp.get("/api/me")
@api("Who is logged in, in which role and at which counter", answers={200: ME_ANSWER})
def whoami():
    return jsonify(me())


@bp.get("/api/counters")
@api("The active counters", auth="session", answers={200: {"type": "object", "required": ["counters"]}})
def counters():
    login_required_json()
    return jsonify(
        counters=[
            {"id": c.id, "name": c.name, "number": c.number, "roles": list(c.roles), "services": list(c.services)}
            for c in list_counters(loket().store)
            if c.active
        ]
    )


class Station(BaseModel):
    role: str = ""
    counter_id: Id | None = None


@bp.post("/api/session")
@api(body=Station, auth="session", answers={200: ME_ANSWER}, errors=(403, 404))
def choose_station():
    """Choose the role to work in and, for hall-facing work, the counter: {"role", "counter_id"}."""
    login_required_json()
    data = parsed(Station)
    try:
        role = Role(data.role)
    except ValueError:
        raise BadRequest(_("Peran tidak dikenal.")) from None
    if not current_user.staff.has_role(role):
        raise NotAllowed(_("Anda tidak memiliki peran ini."))
    counter_id = data.counter_id
    if counter_id is not None:
        counter = get_counter(loket().store, counter_id)
        if counter is None or not counter.active:
            raise NotFound(_("Loket tidak ada."))
        if not counter.serves_role(role):
            raise NotAllowed(_("%(counter)s tidak melayani peran ini.", counter=counter.name))
    leaving = current_actor()
    if leaving is not None and leaving.counter_id is not None:
        publish(queue.close_station(loket(), leaving))
    session["role"] = role.value
    session["counter_id"] = counter_id
    publish(queue.open_station(loket(), current_actor()))
    return jsonify(me())


@bp.get("/api/labels")
@api("Labels of roles, pending reasons and priorities, in both languages")
def labels():
    return jsonify(
        roles={r.value: lbl for r, lbl in ROLE_LABELS.items()},
        pending_reasons={r.value: lbl for r, lbl in PENDING_LABELS.items()},
        priorities={p.value: lbl for p, lbl in PRIORITY_LABELS.items()},
    )


@bp.get("/api/csrf")
@api("The CSRF token for staff writes", answers={200: {"type": "object", "required": ["csrf_token"]}})
def csrf_token():
    return jsonify(csrf_token=generate_csrf())
