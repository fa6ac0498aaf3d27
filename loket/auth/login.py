"""Staff login (Flask-Login) and the role checks every staff endpoint uses."""

from __future__ import annotations

from datetime import timedelta
from functools import wraps

from flask import current_app, request, session
from flask_login import UserMixin, current_user

from loket.core.accounts import StaffUser, session_user
from loket.core.errors import NotAllowed
from loket.core.messages import _
from loket.core.roles import Actor, Role, may_change
from loket.extensions import login_manager
from loket.http import NotLoggedIn
from loket.services import loket


class LoginUser(UserMixin):
    """Flask-Login's view of a staff account in one server-side session (core.accounts.open_session)."""

    def __init__(self, staff: StaffUser, session_id: str):
        self.staff = staff
        self.session_id = session_id
        # "<user id>:<session id>", in the signed cookie: log-out, a password reset or a deactivation
        # deletes the session on the server, and the cookie (even a copy) no longer opens anything.
        self.id = f"{staff.id}:{session_id}"

    @property
    def is_active(self) -> bool:
        return self.staff.active


def idle_limit() -> timedelta | None:
    """How long a staff session may go without a request (LOKET_STAFF_SESSION_IDLE_MINUTES; 0: no limit)."""
    minutes = current_app.config.get("STAFF_SESSION_IDLE_MINUTES") or 0
    return timedelta(minutes=minutes) if minutes > 0 else None


@login_manager.user_loader
def _load_user(user_id: str) -> LoginUser | None:
    """The account and its roles as they are in the database now, on every request."""
    uid, _sep, session_id = user_id.partition(":")
    if not uid.isdigit() or not session_id:
        return None
    staff = session_user(loket().store, loket().clock, int(uid), session_id, idle_limit())
    return LoginUser(staff, session_id) if staff is not None else None


@login_manager.unauthorized_handler
def _unauthorized():
    raise NotLoggedIn()


def current_actor() -> Actor | None:
    """The logged-in officer in the role and counter chosen for this session.

    None when the account no longer holds that role: the account is read from the database on
    every request (the user loader), so a role the admin removed stops working at once.
    """
    if not current_user.is_authenticated:
        return None
    role = session.get("role")
    if role is None or not current_user.staff.has_role(role):
        return None
    return Actor(current_user.staff.id, Role(role), session.get("counter_id"))


def login_required_json() -> None:
    """Refuse (401) when nobody is logged in."""
    if not current_user.is_authenticated:
        raise NotLoggedIn(_("Silakan masuk."))


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def staff_required(*roles: Role, head_may_change: bool = False):
    """Require a logged-in officer with a chosen role (one of `roles`, if given).

    A read-only role (the head of office) is refused every request that writes, except on an endpoint
    marked `head_may_change` (switching a disruption on and off: core/disruptions.py).
    """

    def wrap(view):
        @wraps(view)
        def inner(*args, **kwargs):
            if not current_user.is_authenticated:
                raise NotLoggedIn()
            actor = current_actor()
            if actor is None:
                raise NotAllowed(_("Pilih peran dan loket terlebih dahulu."), code="no_role")
            if roles and actor.role not in roles:
                raise NotAllowed(_("Peran Anda tidak boleh melakukan ini."))
            if request.method not in SAFE_METHODS and not may_change(actor.role) and not head_may_change:
                raise NotAllowed(_("Peran Anda hanya membaca, tidak mengubah."))
            return view(actor, *args, **kwargs)

        inner.staff_roles = roles  # read by the authorisation test that walks every endpoint
        inner.head_may_change = head_may_change
        return inner

    return wrap
