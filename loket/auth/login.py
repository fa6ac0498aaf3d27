"""Staff login (Flask-Login) and the role checks every staff endpoint uses."""

from __future__ import annotations

import hmac
from functools import wraps

from flask import request, session
from flask_login import UserMixin, current_user

from loket.core.accounts import StaffUser, get_user
from loket.core.errors import NotAllowed
from loket.core.messages import _
from loket.core.roles import Actor, Role, may_change
from loket.extensions import login_manager
from loket.http import NotLoggedIn
from loket.services import loket


class LoginUser(UserMixin):
    """Flask-Login's view of a staff account."""

    def __init__(self, staff: StaffUser):
        self.staff = staff
        # "<user id>:<password fingerprint>": a password reset ends every session made before it.
        self.id = f"{staff.id}:{staff.session_key}"

    @property
    def is_active(self) -> bool:
        return self.staff.active


@login_manager.user_loader
def _load_user(user_id: str) -> LoginUser | None:
    uid, _sep, key = user_id.partition(":")
    if not uid.isdigit():
        return None
    staff = get_user(loket().store, int(uid))
    if staff is None or not staff.active or not hmac.compare_digest(key, staff.session_key):
        return None
    return LoginUser(staff)


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


def staff_required(*roles: Role):
    """Require a logged-in officer with a chosen role (one of `roles`, if given)."""

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
            if request.method not in SAFE_METHODS and not may_change(actor.role):
                raise NotAllowed(_("Peran Anda hanya membaca, tidak mengubah."))
            return view(actor, *args, **kwargs)

        inner.staff_roles = roles  # read by the authorisation test that walks every endpoint
        return inner

    return wrap
