"""Staff sessions live on the server: log-out, a password reset or a deactivation ends them, copies included."""

from __future__ import annotations

import pytest

from loket.core.store import StaffSession, User, select
from tests.fixtures.web import make_app, staff_of


def copy_of(app, officer):
    """Another browser holding a copy of the officer's session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", officer.client.get_cookie("session").value)
    return thief


def user_id(admin, username: str) -> int:
    users = admin.client.get("/api/admin/users").get_json()["users"]
    return next(u["id"] for u in users if u["username"] == username)


def test_a_copied_cookie_stops_working_at_log_out(app, staff):
    officer = staff("operator", "operator", "Ruang Operator")
    thief = copy_of(app, officer)
    assert thief.get("/api/worklist").status_code == 200  # the copy works while the session is open
    assert officer.post("/api/logout").status_code == 200
    r = thief.get("/api/worklist")
    assert r.status_code == 401, r.get_json()
    assert thief.get("/api/me").get_json()["user"] is None
    assert officer.client.get("/api/worklist").status_code == 401


def test_logging_in_again_ends_the_session_it_replaces(app, staff):
    officer = staff("operator", "operator")
    thief = copy_of(app, officer)
    officer.login("operator", "operator")
    assert officer.client.get("/api/worklist").status_code == 200
    assert thief.get("/api/worklist").status_code == 401


def test_the_session_table_holds_a_digest_not_the_cookie_id(app, staff):
    officer = staff("operator", "operator")
    with app.extensions["loket"].store.read() as s:
        rows = s.scalars(select(StaffSession)).all()
    assert len(rows) == 1 and len(rows[0].id) == 64
    assert rows[0].id not in officer.client.get_cookie("session").value


def test_a_password_reset_ends_every_session_of_that_account_only(app, staff):
    first, second = staff("operator", "operator"), staff("operator", "operator")
    other = staff("scan", "scan")
    admin = staff("admin", "admin")
    uid = user_id(admin, "operator")
    r = admin.client.post(
        f"/api/admin/users/{uid}/password", json={"password": "baru-sekali-123"}, headers=admin.csrf()
    )
    assert r.status_code == 200, r.get_json()
    assert first.client.get("/api/worklist").status_code == 401
    assert second.client.get("/api/worklist").status_code == 401
    assert other.client.get("/api/worklist").status_code == 200
    assert admin.client.get("/api/admin/users").status_code == 200


def test_deactivating_an_account_ends_its_sessions(app, staff):
    officer = staff("scan", "scan")
    admin = staff("admin", "admin")
    uid = user_id(admin, "scan")
    r = admin.client.put(f"/api/admin/users/{uid}", json={"active": False}, headers=admin.csrf())
    assert r.status_code == 200
    admin.client.put(f"/api/admin/users/{uid}", json={"active": True}, headers=admin.csrf())  # back on
    assert officer.client.get("/api/worklist").status_code == 401  # a new log-in is needed


@pytest.fixture
def idle_app(tmp_path, demo_database, clock):
    app = make_app(tmp_path, demo_database, clock=clock, STAFF_SESSION_IDLE_MINUTES=30)
    yield app
    app.extensions["loket"].store.dispose()


def test_a_session_idle_past_the_limit_ends(idle_app, clock):
    officer = staff_of(idle_app)("operator", "operator")
    clock.advance(minutes=25)
    assert officer.client.get("/api/worklist").status_code == 200  # activity: the idle time starts again
    clock.advance(minutes=25)
    assert officer.client.get("/api/worklist").status_code == 200
    clock.advance(minutes=31)
    assert officer.client.get("/api/worklist").status_code == 401


def test_idle_sessions_are_cleared_at_the_next_log_in(idle_app, clock):
    staff_of(idle_app)("operator", "operator")
    clock.advance(minutes=31)
    staff_of(idle_app)("scan", "scan")
    with idle_app.extensions["loket"].store.read() as s:
        assert len(s.scalars(select(StaffSession)).all()) == 1


def test_a_staff_page_live_connection_ends_with_its_log_in(app, staff):
    """Log-out cuts the page's own Socket.IO connection at once, and a copy's connection too: it hears
    no more staff events (ticket numbers, alerts) once the log-in is gone."""
    from loket.app import socketio
    from loket.realtime import staff_sockets

    officer = staff("pelayanan", "pelayanan", "Loket 1")
    thief = copy_of(app, officer)
    own = socketio.test_client(app, flask_test_client=officer.client, auth={"channel": "staff"})
    copied = socketio.test_client(app, flask_test_client=thief, auth={"channel": "staff"})
    assert own.is_connected() and copied.is_connected()
    assert officer.post("/api/logout").status_code == 200
    assert not own.is_connected() and not copied.is_connected()
    assert staff_sockets(app).sweep() == 0


def test_a_session_ended_elsewhere_loses_its_live_connection_at_the_next_check(app, staff):
    """A password reset made by another process (here: straight in the database) is found by the check."""
    from loket.app import socketio
    from loket.realtime import staff_sockets

    officer = staff("operator", "operator")
    other = staff("pelayanan", "pelayanan", "Loket 1")
    live = socketio.test_client(app, flask_test_client=officer.client, auth={"channel": "staff"})
    stays = socketio.test_client(app, flask_test_client=other.client, auth={"channel": "staff"})
    assert staff_sockets(app).sweep() == 0 and live.is_connected()
    with app.extensions["loket"].store.transaction() as s:
        operator_id = s.scalar(select(User.id).where(User.username == "operator"))
        s.execute(StaffSession.__table__.delete().where(StaffSession.user_id == operator_id))
    assert staff_sockets(app).sweep() == 1
    assert not live.is_connected() and stays.is_connected()
    stays.disconnect()


@pytest.mark.parametrize("auth", ["staff", ["channel", "staff"], 42])
def test_a_socket_auth_that_is_no_object_is_a_display(app, auth):
    from loket.app import socketio

    client = socketio.test_client(app, auth=auth)
    assert client.is_connected()
    assert client.get_received()[0]["name"] == "display.state"
    client.disconnect()
