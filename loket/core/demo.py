"""Demo counters and officers so a fresh install can be tried at once."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from .accounts import create_counter, create_user
from .context import Context
from .roles import Role
from .store import Counter, User

DEMO_PASSWORD = "loket123"

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


def ensure_demo(loket: Context) -> Iterator[str]:
    """Create whatever demo counter or user does not exist yet."""
    with loket.store.read() as s:
        counters = set(s.scalars(select(Counter.name)))
        users = set(s.scalars(select(User.username)))
    for name, number, roles in DEMO_COUNTERS:
        if name not in counters:
            create_counter(loket.store, name, number, roles)
            yield f"counter {name}"
    for username, full_name, roles in DEMO_USERS:
        if username not in users:
            create_user(loket.store, loket.clock, username, full_name, DEMO_PASSWORD, roles)
            yield f"user {username} (password {DEMO_PASSWORD})"
