"""Staff accounts and counters (loket): created by the admin or the CLI."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from loket.core.messages import _

from .clock import Clock
from .errors import LoketError, NotAllowed, NotFound
from .roles import ROLE_LABELS, Actor, Role, may_change
from .store import Counter, StaffSession, Store, User

_hasher = PasswordHasher()


@dataclass(frozen=True)
class StaffUser:
    id: int
    username: str
    full_name: str
    roles: tuple[Role, ...]
    active: bool

    def has_role(self, role: Role | str) -> bool:
        return Role(role) in self.roles


@dataclass(frozen=True)
class CounterInfo:
    id: int
    name: str
    number: int
    roles: tuple[Role, ...]
    services: tuple[str, ...]
    zone: str | None
    active: bool

    def serves_role(self, role: Role | str) -> bool:
        return Role(role) in self.roles

    def serves_service(self, code: str) -> bool:
        return not self.services or code in self.services


def staff_view(user: User) -> StaffUser:
    """The account as the web layer holds it."""
    return StaffUser(user.id, user.username, user.full_name, tuple(Role(r) for r in user.roles), user.active)


def counter_view(counter: Counter) -> CounterInfo:
    """The counter as the web layer holds it."""
    return CounterInfo(
        counter.id,
        counter.name,
        counter.number,
        tuple(Role(r) for r in counter.roles),
        tuple(counter.services),
        counter.zone,
        counter.active,
    )


def _roles(roles: Iterable[str]) -> list[str]:
    try:
        out = sorted({Role(r).value for r in roles})
    except ValueError:
        raise LoketError(_("Peran tidak dikenal.")) from None
    if not out:
        raise LoketError(_("Minimal satu peran."))
    return out


def hash_password(password: str) -> str:
    """The password hashed with argon2."""
    return _hasher.hash(password)


def create_user(
    store: Store, clock: Clock, username: str, full_name: str, password: str, roles: Iterable[str]
) -> StaffUser:
    """Create a staff account with a hashed password."""
    if len(password) < 8:
        raise LoketError(_("Kata sandi minimal 8 karakter."))
    with store.transaction() as s:
        if s.scalar(select(User).where(User.username == username)):
            raise LoketError(_("Nama pengguna '%(username)s' sudah dipakai.", username=username))
        user = User(
            username=username,
            full_name=full_name,
            password_hash=_hasher.hash(password),
            roles=_roles(roles),
            active=True,
            created_at=clock.now(),
        )
        s.add(user)
        s.flush()
        return staff_view(user)


def set_password(store: Store, username: str, password: str) -> None:
    """Set a new password by username (the CLI)."""
    if len(password) < 8:
        raise LoketError(_("Kata sandi minimal 8 karakter."))
    with store.transaction() as s:
        user = s.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFound(_("Pengguna '%(username)s' tidak ada.", username=username))
        user.password_hash = _hasher.hash(password)
        end_all_sessions(s, user.id)


def password_matches(password_hash: str, password: str) -> bool:
    """Whether the password opens this argon2 hash."""
    try:
        return bool(_hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def authenticate(store: Store, username: str, password: str) -> StaffUser | None:
    """The active user with this username and password, or None."""
    with store.read() as s:
        user = s.scalar(select(User).where(User.username == username))
        if user is None or not user.active:
            _hasher.hash(password)  # same cost whether or not the user exists
            return None
        try:
            _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        return staff_view(user)


def get_user(store: Store, user_id: int) -> StaffUser | None:
    """A staff account by id, or None."""
    with store.read() as s:
        user = s.get(User, user_id)
        return staff_view(user) if user else None


# ---- staff sessions: log-ins the server can end ------------------------------------------

#: How often a session's last activity is written (not on every request).
SESSION_TOUCH = timedelta(minutes=1)


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def open_session(store: Store, clock: Clock, user_id: int, idle: timedelta | None = None) -> str:
    """Start a log-in for the account; returns the random session id the signed cookie carries.

    The table keeps only its digest: a copy of the database opens no session. Sessions of any
    account idle past `idle` are cleared on the way (nobody logged them out).
    """
    session_id = secrets.token_urlsafe(32)
    now = clock.now()
    with store.transaction() as s:
        if idle is not None:
            s.execute(delete(StaffSession).where(StaffSession.last_seen_at < now - idle))
        s.add(StaffSession(id=_digest(session_id), user_id=user_id, created_at=now, last_seen_at=now))
    return session_id


def session_user(store: Store, clock: Clock, user_id: int, session_id: str, idle: timedelta | None) -> StaffUser | None:
    """The active account of a session still open (not logged out, reset or idle past `idle`), or None."""
    digest, now = _digest(session_id), clock.now()
    with store.read() as s:
        row = s.get(StaffSession, digest)
        user = s.get(User, user_id)
        if row is None or row.user_id != user_id or user is None or not user.active:
            return None
        if user.password_changed_at is not None and row.created_at < user.password_changed_at:
            return None  # opened before a password reset (made at the hub, for a site's own sessions)
        expired = idle is not None and now - row.last_seen_at > idle
        stale = now - row.last_seen_at > SESSION_TOUCH
        staff = staff_view(user)
    if expired:
        end_session(store, session_id)
        return None
    if stale:
        with store.transaction() as s:
            s.execute(update(StaffSession).where(StaffSession.id == digest).values(last_seen_at=now))
    return staff


def live_sessions(store: Store, clock: Clock, session_ids: set[str], idle: timedelta | None) -> set[str]:
    """Of these session ids, the log-ins still open (not logged out, reset, deactivated or idle past
    `idle`): one read, touching nothing (the staff pages' live connections are checked with it)."""
    if not session_ids:
        return set()
    by_digest = {_digest(sid): sid for sid in session_ids}
    query = (
        select(StaffSession.id)
        .join(User, User.id == StaffSession.user_id)
        .where(StaffSession.id.in_(by_digest), User.active.is_(True))
        .where(User.password_changed_at.is_(None) | (StaffSession.created_at >= User.password_changed_at))
    )
    if idle is not None:
        query = query.where(StaffSession.last_seen_at >= clock.now() - idle)
    with store.read() as s:
        return {by_digest[digest] for digest in s.scalars(query)}


def end_session(store: Store, session_id: str) -> None:
    """End one log-in (log-out): its cookie, even copied, no longer opens anything."""
    with store.transaction() as s:
        s.execute(delete(StaffSession).where(StaffSession.id == _digest(session_id)))


def end_all_sessions(s: Session, user_id: int) -> None:
    """End every log-in of an account (password reset, deactivation), inside the caller's transaction."""
    s.execute(delete(StaffSession).where(StaffSession.user_id == user_id))


def create_counter(
    store: Store,
    name: str,
    number: int,
    roles: Iterable[str],
    services: Iterable[str] = (),
    zone: str | None = None,
) -> CounterInfo:
    """Create a counter (the CLI and the demo)."""
    with store.transaction() as s:
        if s.scalar(select(Counter).where(Counter.name == name)):
            raise LoketError(_("Loket '%(name)s' sudah ada.", name=name))
        counter = Counter(
            name=name, number=number, roles=_roles(roles), services=list(services), zone=zone, active=True
        )
        s.add(counter)
        s.flush()
        return counter_view(counter)


def list_counters(store: Store) -> list[CounterInfo]:
    """Every counter, by number."""
    with store.read() as s:
        return [counter_view(c) for c in s.scalars(select(Counter).order_by(Counter.number, Counter.id))]


def get_counter(store: Store, counter_id: int) -> CounterInfo | None:
    """A counter by id, or None."""
    with store.read() as s:
        counter = s.get(Counter, counter_id)
        return counter_view(counter) if counter else None


def acting(s: Session, actor: Actor, need_counter: bool = False) -> tuple[User, Counter | None]:
    """The actor's user and counter, checked: active, holding the role, at a counter that serves it."""
    user = s.get(User, actor.user_id)
    if user is None or not user.active:
        raise NotAllowed(_("Akun tidak aktif."))
    if actor.role.value not in user.roles:
        raise NotAllowed(_("Anda tidak memiliki peran %(role)s.", role=ROLE_LABELS[actor.role]))
    if not may_change(actor.role):  # every operation that changes something comes through here
        raise NotAllowed(_("Peran Anda hanya membaca, tidak mengubah."))
    counter = s.get(Counter, actor.counter_id) if actor.counter_id is not None else None
    if actor.counter_id is not None and (counter is None or not counter.active):
        raise NotFound(_("Loket tidak ada atau tidak aktif."))
    if counter is not None and actor.role.value not in counter.roles and actor.role is not Role.ADMIN:
        raise NotAllowed(
            _("%(counter)s tidak melayani peran %(role)s.", counter=counter.name, role=ROLE_LABELS[actor.role])
        )
    if need_counter and counter is None:
        raise NotAllowed(_("Pilih loket terlebih dahulu."))
    return user, counter


def acting_at_counter(s: Session, actor: Actor) -> tuple[User, Counter]:
    """The actor's user and counter, when the operation needs a counter (calling, walk-ins)."""
    user, counter = acting(s, actor, need_counter=True)
    assert counter is not None  # acting() raised otherwise
    return user, counter
