"""Every page and API call checks the officer's roles as they are in the database now, not at log-in."""

from __future__ import annotations


def user_id(admin, username: str) -> int:
    users = admin.client.get("/api/admin/users").get_json()["users"]
    return next(u["id"] for u in users if u["username"] == username)


def set_roles(admin, username: str, roles: list[str]) -> None:
    r = admin.client.put(f"/api/admin/users/{user_id(admin, username)}", json={"roles": roles}, headers=admin.csrf())
    assert r.status_code == 200, r.get_json()


def test_a_removed_role_is_refused_at_once_on_pages_and_apis(staff):
    admin = staff("admin", "admin")
    set_roles(admin, "register", ["register", "operator"])
    officer = staff("register", "register", "Ruang Register")
    assert officer.client.get("/reports/register").status_code == 200
    assert officer.client.get("/api/register").status_code == 200
    assert officer.client.get("/api/worklist").status_code == 200

    set_roles(admin, "register", ["operator"])  # the admin takes the register role away

    assert officer.client.get("/reports/register").status_code == 403  # the printable buku harian
    assert officer.client.get("/api/register").status_code == 403
    assert officer.client.get("/api/register?format=xlsx").status_code == 403
    r = officer.client.get("/api/worklist")
    assert r.status_code == 403 and r.get_json()["error"] == "no_role"
    assert officer.client.get("/api/me").get_json()["role"] is None
    # the role the account still holds can be chosen again in the same session
    assert officer.post("/api/session", {"role": "operator", "counter_id": None}).status_code == 200
    assert officer.client.get("/api/worklist").status_code == 200
    assert officer.client.get("/reports/register").status_code == 403


def test_a_removed_admin_role_closes_the_admin_api(staff):
    admin = staff("admin", "admin")
    set_roles(admin, "kepala", ["kepala", "admin"])
    second = staff("kepala", "admin")
    assert second.client.get("/api/admin/users").status_code == 200
    set_roles(admin, "kepala", ["kepala"])
    assert second.client.get("/api/admin/users").status_code == 403
    assert second.post("/api/admin/counters", {"name": "X", "number": 9, "roles": ["pelayanan"]}).status_code == 403
