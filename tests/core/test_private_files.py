"""The database file, the secret key and the instance folder are their owner's alone from the first byte."""

from __future__ import annotations

import os
import stat

import pytest

from loket.app import create_app
from loket.core.migrate import upgrade
from loket.core.store import Store


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def no_narrowing(monkeypatch):
    """An everyday umask, and chmod does nothing: a file that is written first and narrowed after stays open."""
    old = os.umask(0o022)
    monkeypatch.setattr(os, "chmod", lambda *args, **kwargs: None)
    yield
    os.umask(old)


def test_a_fresh_instance_is_private(tmp_path, monkeypatch, no_narrowing):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    instance = tmp_path / "instance"
    app = create_app({"TESTING": True}, instance_path=str(instance))
    try:
        upgrade(app.config["DATABASE_URL"])
        app.extensions["loket"].store.engine.connect().close()
        assert mode(instance) == 0o700
        assert mode(instance / "secret_key") == 0o600
        assert len((instance / "secret_key").read_text()) > 40
        assert sorted(p.name for p in instance.iterdir() if p.name.startswith(".secret_key")) == []
        assert mode(instance / "loket.db") == 0o600
        for extra in ("loket.db-wal", "loket.db-shm"):
            if (instance / extra).exists():
                assert mode(instance / extra) == 0o600, extra
    finally:
        app.extensions["loket"].store.dispose()
    # a second start reads the same key
    again = create_app({"TESTING": True}, instance_path=str(instance))
    assert again.config["SECRET_KEY"] == app.config["SECRET_KEY"]
    again.extensions["loket"].store.dispose()


def test_a_new_sqlite_database_is_private(tmp_path, no_narrowing):
    store = Store(f"sqlite:///{tmp_path / 'office.db'}")
    store.create_all()
    store.dispose()
    assert mode(tmp_path / "office.db") == 0o600


def test_files_an_earlier_version_left_readable_are_narrowed_at_start(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "secret_key").write_text("an-old-key-made-before-this-version-0123456789")
    (instance / "loket.db").write_bytes(b"")
    for path in (instance / "secret_key", instance / "loket.db"):
        path.chmod(0o644)
    app = create_app({"TESTING": True}, instance_path=str(instance))
    app.extensions["loket"].store.dispose()
    assert app.config["SECRET_KEY"] == "an-old-key-made-before-this-version-0123456789"
    assert mode(instance / "secret_key") == 0o600
    assert mode(instance / "loket.db") == 0o600
