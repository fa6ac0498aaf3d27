"""An app on its own copy of an SQLite database migrated once per session (Alembic), with demo staff."""

from __future__ import annotations

import pytest

from loket.app import create_app, socketio


@pytest.fixture
def app(tmp_path, demo_database):
    app = create_app(
        {
            "DATABASE_URL": demo_database,
            "SECRET_KEY": "test-secret",
            "TESTING": True,
            "PRINTER": f"file:{tmp_path / 'tickets'}",
        },
        instance_path=str(tmp_path / "instance"),
    )
    yield app
    app.extensions["loket"].store.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


class Staff:
    """Logs a test client in as a demo officer, with the CSRF token the pages send."""

    def __init__(self, client):
        self.client = client
        self.token = None

    def csrf(self) -> dict:
        if self.token is None:
            self.token = self.client.get("/api/csrf").get_json()["csrf_token"]
        return {"X-CSRFToken": self.token}

    def post(self, url, json=None):
        return self.client.post(url, json=json or {}, headers=self.csrf())

    def login(self, username: str, role: str | None = None, counter: str | None = None):
        r = self.post("/api/login", {"username": username, "password": "loket123"})
        assert r.status_code == 200, r.get_json()
        self.token = None  # the session was renewed
        if role:
            counter_id = None
            if counter:
                counters = self.client.get("/api/counters").get_json()["counters"]
                counter_id = next(c["id"] for c in counters if c["name"] == counter)
            r = self.post("/api/session", {"role": role, "counter_id": counter_id})
            assert r.status_code == 200, r.get_json()
        return self


@pytest.fixture
def staff(app):
    def make(username: str, role: str | None = None, counter: str | None = None) -> Staff:
        return Staff(app.test_client()).login(username, role, counter)

    return make


@pytest.fixture
def display(app):
    """A display connected over Flask-SocketIO's test client."""
    c = socketio.test_client(app, auth={"channel": "display"})
    yield c
    if c.is_connected():
        c.disconnect()
