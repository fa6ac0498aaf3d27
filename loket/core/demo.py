"""Demo counters and officers so a fresh install can be tried at once.

`flask demo-setup` (run by `make run` at every start) seeds them once, on a database without any
account, and writes that it did in the audit log (`demo.created`). After that it never seeds again:
a demo counter or user the office renamed or deleted stays so. While an active account still opens
with the demo password, the admin pages warn (`demo_password_accounts`).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from sqlalchemy import exists, select

from . import admin
from .accounts import create_counter, create_user, password_matches
from .context import Context
from .roles import CommandLine, Role
from .sites.rules import Scope
from .store import Counter, EventRecord, User

DEMO_PASSWORD = "loket123"

#: The audit log's record that the demo data was seeded (once per database).
DEMO_CREATED = "demo.created"

DEMO_COUNTERS = [
    ("Loket 1", 1, [Role.PELAYANAN]),
    ("Loket 2", 2, [Role.PELAYANAN]),
    ("Loket 3", 3, [Role.PELAYANAN, Role.PENDUKUNG]),
    ("Ruang Operator", 4, [Role.OPERATOR]),
    ("Ruang Scan", 5, [Role.SCAN]),
    ("Ruang Bidang", 6, [Role.BIDANG]),
    ("Ruang Register", 7, [Role.REGISTER]),
]

DEMO_USERS = [
    ("pelayanan", "Petugas Pelayanan (demo)", [Role.PELAYANAN]),
    ("pendukung", "Petugas Pendukung (demo)", [Role.PENDUKUNG]),
    ("operator", "Operator (demo)", [Role.OPERATOR]),
    ("scan", "Petugas Scan (demo)", [Role.SCAN]),
    ("bidang", "Kepala Seksi (demo)", [Role.BIDANG]),
    ("register", "Petugas Register (demo)", [Role.REGISTER]),
    ("admin", "Admin (demo)", [Role.ADMIN]),
    ("kepala", "Kepala Dinas (demo)", [Role.KEPALA]),
]


#: What `ensure_demo` says when it seeds nothing.
NOT_SEEDED = "demo data: not seeded (done before, or the office has its own accounts)"

#: The kiosk `flask demo-setup` registers and pairs on its first run.
DEMO_KIOSK = "kiosk-demo"


def ensure_demo(loket: Context) -> Iterator[str]:
    """Seed the demo counters and users once: on a database with no account and no earlier seeding.

    An office that renamed or deleted a demo counter or user (or made its own accounts) keeps its
    choice: nothing is re-created on the next start.
    """
    with loket.store.read() as s:
        seeded = s.scalar(select(exists().where(EventRecord.kind == DEMO_CREATED)))
        has_accounts = s.scalar(select(exists().where(User.id.is_not(None))))
        counters = set(s.scalars(select(Counter.name)))
    if seeded or has_accounts or loket.scope is Scope.SITE:  # a site's accounts are the hub's (sites/rules.py)
        yield NOT_SEEDED
        return
    made_counters, made_users = [], []
    for name, number, roles in DEMO_COUNTERS:
        if name not in counters:
            made_counters.append(create_counter(loket.store, name, number, roles).id)
            yield f"counter {name}"
    for username, full_name, roles in DEMO_USERS:
        made_users.append(create_user(loket.store, loket.clock, username, full_name, DEMO_PASSWORD, roles).id)
        yield f"user {username} (password {DEMO_PASSWORD})"
    with loket.store.transaction() as s:
        s.add(
            EventRecord(
                at=loket.clock.now(),
                kind=DEMO_CREATED,
                payload={
                    "summary": f"{len(made_counters)} loket, {len(made_users)} pengguna demo",
                    "before": None,
                    "after": {"counters": made_counters, "users": made_users},
                    "via": "flask demo-setup",
                },
            )
        )


def pair_demo_kiosk(loket: Context) -> tuple[str, str]:
    """Register the demo kiosk (if absent) and pair it: its pairing code (shown once) and its address."""
    who = CommandLine("demo-setup")
    device = admin.get_device(loket, DEMO_KIOSK, "kiosk")
    if device is None:
        device, _events = admin.save_device(loket, who, {"kind": "kiosk", "name": DEMO_KIOSK})
    code, device, _events = admin.pair_device(loket, who, device["id"])
    return code, device["url"]


def demo_password_accounts(loket: Context) -> list[str]:
    """The usernames of active accounts that still open with the demo password.

    Only the accounts demo-setup made are tried (by id, so a renamed one counts; by the demo
    usernames too, for databases seeded before the audit entry existed): argon2 is slow on purpose.
    """
    with loket.store.read() as s:
        made: set[int] = set()
        for payload in s.scalars(select(EventRecord.payload).where(EventRecord.kind == DEMO_CREATED)):
            made.update((payload.get("after") or {}).get("users") or [])
        demo_names = [username for username, _name, _roles in DEMO_USERS]
        rows = s.execute(
            select(User.username, User.password_hash).where(
                User.active.is_(True), User.id.in_(made) | User.username.in_(demo_names)
            )
        ).all()
    return sorted(username for username, password_hash in rows if _opens_with_demo_password(password_hash))


@lru_cache(maxsize=256)
def _opens_with_demo_password(password_hash: str) -> bool:
    """Cached by the hash itself: a new password is a new hash (with its own salt), checked afresh."""
    return password_matches(password_hash, DEMO_PASSWORD)
