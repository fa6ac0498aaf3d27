"""Shared fixtures: a store on SQLite and on PostgreSQL, a frozen clock, the catalog."""

from __future__ import annotations

import os
import socket
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from loket.core.catalog import load_catalog
from loket.core.clock import FrozenClock
from loket.core.qr import CodeSigner
from loket.core.service import Loket, Policy
from loket.core.store import Store

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("LOKET_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(autouse=True)
def _no_outside_network(monkeypatch):
    """Fail any test that reaches beyond this machine by accident."""
    real_connect = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (
            host.startswith("127.") or host in ("localhost", "::1") or host.startswith("/")
        ):
            raise RuntimeError(f"test tried to reach {address!r}; only loopback is allowed")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing():
    """Argon2 at its lowest cost in this test process: hashes still verify, users are created faster.

    Production keeps argon2-cffi's defaults; the browser tests' servers run with those.
    """
    from argon2 import PasswordHasher

    import loket.core.accounts

    real = loket.core.accounts._hasher
    loket.core.accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    loket.core.accounts._hasher = real


@pytest.fixture(scope="session")
def catalog():
    return load_catalog(ROOT / "loket" / "sops")


@pytest.fixture(scope="session")
def pg_database_url():
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    name = f"loket_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        pytest.fail(f"PostgreSQL is required for these tests ({PG_ADMIN_URL}): {exc}")
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    """An empty store on each backend; every core test runs against both."""
    if request.param == "sqlite":
        s = Store(f"sqlite:///{tmp_path / 'loket.db'}")
        s.create_all()
    else:
        s = Store(request.getfixturevalue("pg_database_url"))
        s.drop_all()
        s.create_all()
    yield s
    s.dispose()


@pytest.fixture
def clock():
    # 08:00 in Jakarta, a Monday.
    return FrozenClock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))


@pytest.fixture
def loket(store, catalog, clock):
    return Loket(store, catalog, CodeSigner("test-secret", "test-office"), clock, Policy())
