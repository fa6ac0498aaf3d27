"""Staff sessions: log in and out, who am I, choose a role and counter, labels, the CSRF token."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request, session
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf
from pydantic import BaseModel

from loket.core.accounts import authenticate, end_session, get_counter, list_counters, open_session
from loket.core.errors import LoketError, NotAllowed, NotFound
from loket.core.messages import _
from loket.core.roles import ROLE_LABELS, Role
from loket.core.states import PENDING_LABELS, PRIORITY_LABELS
from loket.core.tickets import queue
from loket.extensions import limiter
from loket.http import BadRequest, SiteRowId, body, config_limit, parsed
from loket.openapi import LABEL, MAYBE_TEXT, TEXT, api, obj
from loket.realtime import publish, staff_sockets
from loket.services import loket

from .login import LoginUser, current_actor, idle_limit, login_required_json

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


def _login_failed(response) -> bool:
    """Only failed log-ins count against the limits: an office's many correct log-ins never lock it."""
    return response.status_code == WrongLogin.status


def _username_and_address() -> str:
    """The limit on guessing one account's password: per account AND per client address.

    Guesses from one machine lock that account there only; its officer still logs in from
    another machine. The address is the client's real one behind a proxy with LOKET_PROXY_FIX.
    """
    username = str((body() or request.form).get("username", ""))
    return f"{username.strip().lower()[:60]}@{get_remote_address()}"


@bp.post("/api/login")
@api(body=Credentials, auth="csrf", answers={200: ME_ANSWER}, errors=(401, 429))
@limiter.limit(config_limit("LOGIN_RATE_LIMIT"), key_func=_username_and_address, deduct_when=_login_failed)
@limiter.limit(config_limit("LOGIN_ADDRESS_RATE_LIMIT"), deduct_when=_login_failed)  # many accounts, one machine
def login():
    data = Credentials.model_validate(body() or request.form.to_dict())
    user = authenticate(loket().store, data.username, data.password)
    if user is None:
        raise WrongLogin(_("Nama pengguna atau kata sandi salah."))
    if current_user.is_authenticated:  # logging in again over an open session: the old one ends
        end_session(loket().store, current_user.session_id)
    session.clear()
    login_user(LoginUser(user, open_session(loket().store, loket().clock, user.id, idle_limit())))
    return jsonify(me())


@bp.post("/api/logout")
@api("Log out (ends the session's station)", auth="csrf", answers={200: {"type": "object", "required": ["ok"]}})
def logout():
    leaving = current_actor()
    if leaving is not None:
        publish(queue.close_station(loket(), leaving))
    if current_user.is_authenticated:
        end_session(loket().store, current_user.session_id)  # a copy of the cookie no longer works
        staff_sockets(current_app._get_current_object()).end(current_user.session_id)  # nor its live pages
    logout_user()
    session.clear()
    return jsonify(ok=True)


def me() -> dict[str, Any]:
    if not current_user.is_authenticated:
        return {"user": None}
    staff = current_user.staff
    actor = current_actor()  # None once the admin took the chosen role away
    counter = get_counter(loket().store, actor.counter_id) if actor and actor.counter_id else None
    return {
        "user": {"id": staff.id, "username": staff.username, "full_name": staff.full_name},
        "roles": [{"code": r.value, "label": ROLE_LABELS[r]} for r in staff.roles],
        "role": actor.role.value if actor else None,
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
    counter_id: SiteRowId | None = None


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
