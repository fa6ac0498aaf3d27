"""Shared fixtures: a store on SQLite and on PostgreSQL, a frozen clock, the catalog."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import uuid
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from loket.core.catalog import load_catalog
from loket.core.clock import FrozenClock
from loket.core.migrate import upgrade
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


def _create_pg_database(admin) -> str:
    name = f"loket_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        pytest.fail(f"PostgreSQL is required for these tests ({PG_ADMIN_URL}): {exc}")
    return name


@pytest.fixture(scope="session")
def _pg_admin():
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    names: list[str] = []
    yield admin, names
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def pg_database_url(_pg_admin):
    """A fresh, empty PostgreSQL database for this test session (a test may drop its schema), dropped at the end."""
    admin, names = _pg_admin
    names.append(_create_pg_database(admin))
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{names[-1]}"


@pytest.fixture(scope="session")
def pg_store_url(_pg_admin):
    """A PostgreSQL database migrated once for this session; the `store` fixture empties it before each test."""
    admin, names = _pg_admin
    names.append(_create_pg_database(admin))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{names[-1]}"
    upgrade(url)
    return url


def copy_sqlite(template: Path, target: Path) -> str:
    """Copy a closed, checkpointed SQLite template to `target`; returns its URL."""
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def _checkpointed(path: Path) -> Path:
    """Fold the WAL into the main file so that copying the file alone copies everything."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    return path


@pytest.fixture(scope="session")
def schema_template(tmp_path_factory) -> Path:
    """An SQLite file with the schema built once by the Alembic migrations and no rows."""
    path = tmp_path_factory.mktemp("templates") / "schema.db"
    upgrade(f"sqlite:///{path}")
    return _checkpointed(path)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory, schema_template, _cheap_password_hashing) -> Path:
    """An SQLite file migrated once with the demo counters and officers (password loket123)."""
    from loket.app import create_app
    from loket.core.demo import ensure_demo

    folder = tmp_path_factory.mktemp("demo-template")
    url = copy_sqlite(schema_template, folder / "demo.db")
    app = create_app(
        {"DATABASE_URL": url, "SECRET_KEY": "test-secret", "TESTING": True, "PRINTER": f"file:{folder / 'tickets'}"},
        instance_path=str(folder / "instance"),
    )
    list(ensure_demo(app.extensions["loket"]))
    app.extensions["loket"].store.dispose()
    return _checkpointed(folder / "demo.db")


@pytest.fixture(scope="session")
def served_template(tmp_path_factory) -> Path:
    """An SQLite file made once as an office makes it, `flask init-db` then `flask demo-setup`.

    The servers that tests start (gunicorn, in production's configuration) each copy it, so the
    demo officers carry argon2-cffi's default cost, as a real install's do.
    """
    import subprocess
    import sys

    path = tmp_path_factory.mktemp("served-template") / "loket.db"
    env = dict(
        os.environ, DATABASE_URL=f"sqlite:///{path}", SECRET_KEY="template", LOKET_SOP_DIR=str(ROOT / "loket" / "sops")
    )
    for command in ("init-db", "demo-setup"):
        subprocess.run(
            [str(Path(sys.executable).parent / "flask"), "--app", "loket.app", command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    return _checkpointed(path)


@pytest.fixture
def demo_database(tmp_path, demo_template) -> str:
    """The URL of this test's own copy of the migrated database with the demo staff."""
    return copy_sqlite(demo_template, tmp_path / "loket.db")


def _empty_every_table(engine) -> None:
    """TRUNCATE every table but Alembic's, restarting the ids, in one statement."""
    with engine.begin() as conn:
        tables = conn.scalars(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")
        ).all()
        quoted = ", ".join(f'"{t}"' for t in tables)
        conn.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path, schema_template):
    """An empty store on each backend; every core test runs against both.

    The schema is built once per session; each test gets a copied SQLite file, or the
    PostgreSQL database with every table emptied and its ids restarted.
    """
    if request.param == "sqlite":
        s = Store(copy_sqlite(schema_template, tmp_path / "loket.db"))
    else:
        s = Store(request.getfixturevalue("pg_store_url"))
        _empty_every_table(s.engine)
    yield s
    s.dispose()


@pytest.fixture
def clock():
    # 08:00 in Jakarta, a Monday.
    return FrozenClock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))


@pytest.fixture
def loket(store, catalog, clock):
    return Loket(store, catalog, CodeSigner("test-secret", "test-office"), clock, Policy())
