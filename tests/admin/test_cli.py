"""The admin's commands (flask create-user, create-counter, set-password) go through the same
validated, audited operations as the admin pages: bad input is refused and nothing is saved;
every change is in the audit log, naming the command that made it."""

from __future__ import annotations

from loket.core import admin as ops


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def audit(app, kind: str) -> list[dict]:
    return ops.audit_log(app.extensions["loket"], kind=kind)


def can_log_in(client, username: str, password: str) -> bool:
    token = client.get("/api/csrf").get_json()["csrf_token"]
    r = client.post("/api/login", json={"username": username, "password": password}, headers={"X-CSRFToken": token})
    return r.status_code == 200


def usernames(app) -> set[str]:
    return {u["username"] for u in ops.list_users(app.extensions["loket"])}


def test_create_user_refuses_what_the_admin_page_refuses_and_saves_nothing(app):
    result = run(app, "create-user", "Budi Santoso", "--name", "B", "--role", "juru-sulap", "--password", "short")
    assert result.exit_code != 0
    for field in ("username", "full_name", "password", "roles"):
        assert f"{field}:" in result.output, result.output
    assert "budi santoso" not in usernames(app) and "Budi Santoso" not in usernames(app)
    assert audit(app, "user.created") == []


def test_create_user_refuses_a_taken_username(app):
    result = run(app, "create-user", "admin", "--name", "Admin Dua", "--role", "admin", "--password", "rahasia123")
    assert result.exit_code != 0 and "username:" in result.output
    assert audit(app, "user.created") == []


def test_a_user_made_on_the_command_line_can_log_in_and_is_in_the_audit_log(app, client):
    result = run(
        app, "create-user", "budi", "--name", "Budi Santoso", "--role", "pelayanan", "--role", "pendukung",
        "--password", "rahasia123",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert can_log_in(client, "budi", "rahasia123")
    [entry] = audit(app, "user.created")
    assert entry["summary"] == "budi" and entry["after"]["roles"] == ["pelayanan", "pendukung"]
    assert entry["officer"] is None and entry["via"] == "flask create-user"


def test_create_counter_refuses_unknown_services_and_roles_and_logs_what_it_makes(app):
    bad = run(app, "create-counter", "Loket 9", "--number", "9", "--role", "admin", "--service", "sulap")
    assert bad.exit_code != 0 and "roles:" in bad.output and "services:" in bad.output, bad.output
    assert audit(app, "counter.created") == []

    good = run(app, "create-counter", "Loket 9", "--number", "9", "--role", "pelayanan", "--service", "penerbitan-kia")
    assert good.exit_code == 0, good.output
    [entry] = audit(app, "counter.created")
    assert entry["after"]["services"] == ["penerbitan-kia"] and entry["via"] == "flask create-counter"
    assert "Loket 9" in run(app, "list-counters").output


def test_set_password_refuses_a_short_one_and_logs_the_change_without_the_password(app, client):
    short = run(app, "set-password", "pelayanan", "--password", "pendek")
    assert short.exit_code != 0 and "password:" in short.output
    assert run(app, "set-password", "nobody", "--password", "rahasia123").exit_code != 0
    assert audit(app, "user.password_reset") == []

    assert run(app, "set-password", "pelayanan", "--password", "rahasia123").exit_code == 0
    assert can_log_in(client, "pelayanan", "rahasia123") and not can_log_in(client, "pelayanan", "loket123")
    [entry] = audit(app, "user.password_reset")
    assert entry["summary"] == "pelayanan" and entry["via"] == "flask set-password"
    assert "rahasia123" not in str(entry)
