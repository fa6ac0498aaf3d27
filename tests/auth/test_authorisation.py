"""Every staff endpoint, tried anonymously and with every wrong role: each must refuse clearly."""

from __future__ import annotations

import re

from loket.core.roles import STEP_ROLES, Role
from tests.fixtures.web import holder_status

KTP = "pencetakan-ktp-el"

#: Step actions: only the role of the ticket's current step may do them (plus admin for cancel).
STEP_ACTIONS = [
    "recall",
    "start",
    "advance",
    "hand-over",
    "pend",
    "resume",
    "return",
    "no-show",
    "applicant",
    "transfer",
]


def staff_endpoints(app):
    """(method, rule, roles) for every route behind staff_required, found from the URL map."""
    out = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if hasattr(view, "staff_roles"):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                out.append((method, rule.rule, view.staff_roles))
    return out


def fill(rule: str, ticket_id: int) -> str:
    """A concrete URL for a rule: numbers for <int:...> parts, a word for the others."""
    rule = rule.replace("<action>", "start")
    rule = re.sub(r"<(int|site_id):[a-z_]+>", str(ticket_id), rule)
    return re.sub(r"<(?:[a-z]+:)?[a-z_]+>", "x", rule)


def test_the_walk_finds_the_staff_endpoints(app):
    rules = {r for _, r, _ in staff_endpoints(app)}
    assert {"/api/counter/call-next", "/api/scan", "/api/admin/settings", "/api/register"} <= rules
    assert len(rules) >= 12


def test_every_staff_endpoint_refuses_anonymous_users(app, client):
    ticket_id = 1
    client.post("/api/tickets", json={"service": KTP})
    token = client.get("/api/csrf").get_json()["csrf_token"]
    for method, rule, _ in staff_endpoints(app):
        r = client.open(fill(rule, ticket_id), method=method, json={}, headers={"X-CSRFToken": token})
        assert r.status_code == 401, f"{method} {rule} answered {r.status_code} to an anonymous user"
        assert r.get_json()["message"]


def test_endpoints_with_a_role_list_refuse_every_role_outside_it(app, staff):
    for role in STEP_ROLES:
        officer = staff(role.value, role.value)
        for method, rule, roles in staff_endpoints(app):
            if roles and role not in roles:
                r = officer.client.open(fill(rule, 1), method=method, json={}, headers=officer.csrf())
                assert r.status_code == 403, f"{role} got {r.status_code} on {method} {rule}"


#: The demo station of each role but the front desk's; the head of office and the admin have none.
STATIONS = {
    Role.PENDUKUNG: "Loket 3",
    Role.OPERATOR: "Ruang Operator",
    Role.SCAN: "Ruang Scan",
    Role.BIDANG: "Ruang Bidang",
    Role.REGISTER: "Ruang Register",
}


def test_step_actions_refuse_every_role_but_the_steps(app, client, staff):
    ticket = client.post("/api/tickets", json={"service": KTP}).get_json()  # first step: Petugas Pelayanan
    officers = {role: staff(role.value, role.value, STATIONS.get(role)) for role in Role if role is not Role.PELAYANAN}
    for action in STEP_ACTIONS:
        for role, officer in officers.items():
            r = officer.post(f"/api/staff/tickets/1/{action}", {"reason": "other", "missing": ["fotokopi-kk"]})
            assert r.status_code == 403, f"{role} got {r.status_code} on {action}"
            if role is Role.KEPALA:  # reads, changes nothing: refused before any step rule
                expected = {
                    "id": "Peran Anda hanya membaca, tidak mengubah.",
                    "en": "Your role reads only; it changes nothing.",
                }
            elif action == "recall" and role not in STATIONS:
                expected = {"id": "Pilih loket terlebih dahulu.", "en": "Choose a counter first."}  # a call needs one
            else:
                expected = {
                    "id": "Tahap ini dikerjakan oleh Petugas Pelayanan, bukan peran Anda.",
                    "en": "This step belongs to the Front desk officer, not to your role.",
                }
            assert r.get_json()["message"] == expected["id"], (role, action)
            assert r.get_json()["label"] == expected, (role, action)
    assert client.get(holder_status(ticket)).get_json()["state"] == "waiting"  # nothing changed


def test_a_role_the_user_does_not_hold_cannot_be_chosen(staff):
    for role in Role:
        others = [r for r in Role if r is not role]
        officer = staff(role.value)
        for other in others:
            assert officer.post("/api/session", {"role": other.value}).status_code == 403


def test_the_head_of_office_reads_but_never_administers(app, staff):
    kepala = staff("kepala", "kepala")
    admin_only = [(m, r) for m, r, roles in staff_endpoints(app) if tuple(roles) == (Role.ADMIN,)]
    assert len(admin_only) >= 15
    for method, rule in admin_only:
        r = kepala.client.open(fill(rule, 1), method=method, json={}, headers=kepala.csrf())
        assert r.status_code == 403, f"kepala got {r.status_code} on {method} {rule}"


def test_the_head_of_office_is_refused_every_staff_endpoint_that_writes(app, client, staff):
    client.post("/api/tickets", json={"service": KTP})
    kepala = staff("kepala", "kepala")
    # Switching a disruption on and off is the one change the head of office makes (core/disruptions.py).
    views = app.view_functions
    allowed = {r.rule for r in app.url_map.iter_rules() if getattr(views[r.endpoint], "head_may_change", False)}
    assert allowed == {"/api/disruptions", "/api/disruptions/<site_id:disruption_id>/end"}
    writes = [(m, r) for m, r, _ in staff_endpoints(app) if m not in ("GET", "HEAD") and r not in allowed]
    assert ("POST", "/api/staff/tickets/<site_id:ticket_id>/reprint") in writes
    for method, rule in writes:
        r = kepala.client.open(fill(rule, 1), method=method, json={}, headers=kepala.csrf())
        assert r.status_code == 403, f"kepala got {r.status_code} on {method} {rule}"
    printed = kepala.post("/api/staff/tickets/1/reprint", {"kiosk": "lobby"})
    assert printed.status_code == 403
    assert printed.get_json()["message"] == "Peran Anda hanya membaca, tidak mengubah."
    # reading stays open to the head of office
    assert kepala.client.get("/api/reports/live").status_code == 200
