"""Disk full or a read-only database: a clear 503 the kiosk understands, never a server error; staff are alerted."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import DBAPIError

from loket.app import socketio
from loket.http import storage_failure
from tests.fixtures.web import make_app, pair_kiosk, staff_of

KTP = "pencetakan-ktp-el"


@pytest.fixture
def read_only(tmp_path, demo_database):
    """The office's database, its kiosk paired, then opened through a read-only connection (as a disk remounted ro)."""
    writable = make_app(tmp_path / "w", demo_database, kiosk=None)
    code = pair_kiosk(writable, "lobby1")
    # Logging in writes the staff session, so the officer logs in before the disk turns read-only.
    session_cookie = staff_of(writable)("pelayanan").client.get_cookie("session").value
    writable.extensions["loket"].store.dispose()
    path = demo_database.removeprefix("sqlite:///")
    app = make_app(tmp_path / "ro", f"sqlite:///file:{path}?mode=ro&uri=true", kiosk=None)
    yield app, code, session_cookie
    app.extensions["loket"].store.dispose()


def test_a_read_only_database_answers_503_with_the_reason_and_alerts_staff(read_only):
    app, code, session_cookie = read_only
    desk = app.test_client()
    desk.set_cookie("session", session_cookie)
    staff_socket = socketio.test_client(app, flask_test_client=desk, auth={"channel": "staff"})
    assert app.test_client().get("/api/services").status_code == 200, "reading still works"
    r = app.test_client().post(
        "/api/tickets", json={"service": KTP}, headers={"X-Loket-Kiosk-Token": code, "X-Loket-Lang": "en"}
    )
    data = r.get_json()
    assert r.status_code == 503, data
    assert data["error"] == "storage_unavailable" and data["reason"] == "read_only"
    assert data["label"]["id"].startswith("Silakan ke meja informasi.")
    assert data["message"].startswith("Please go to the information desk")
    assert "hanya bisa dibaca" in data["label"]["id"]
    [alert] = [e["args"][0] for e in staff_socket.get_received() if e["name"] == "system.alert"]
    assert alert["reason"] == "read_only" and alert["label"]["en"].startswith("Please go to the information desk")
    staff_socket.disconnect()


def test_a_full_sqlite_disk_is_told_as_disk_full(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'full.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x TEXT)")
    with pytest.raises(DBAPIError) as caught, engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA max_page_count = 3")  # the disk holds three pages, and no more
        for _ in range(100):
            conn.exec_driver_sql("INSERT INTO t VALUES (?)", ("x" * 4000,))
    assert "database or disk is full" in str(caught.value)
    assert storage_failure(caught.value) == "disk_full"
    engine.dispose()


def test_postgresql_read_only_and_other_errors(pg_database_url):
    engine = create_engine(pg_database_url)
    with pytest.raises(DBAPIError) as caught, engine.begin() as conn:
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        conn.exec_driver_sql("CREATE TABLE nope (x int)")
    assert storage_failure(caught.value) == "read_only"
    with pytest.raises(DBAPIError) as other, engine.begin() as conn:
        conn.exec_driver_sql("SELECT * FROM no_such_table")
    assert storage_failure(other.value) is None, "any other database error stays a server error"
    engine.dispose()
