"""Need to know (UU 27/2022): which staff endpoint shows an applicant's name and NIK to which role.

The roles that keep or sign the buku harian see the applicant; the operator and the scanning
officer see it only for the one berkas at their own step, never through a list or search.
"""

from __future__ import annotations

from loket.app import socketio
from loket.core.roles import REGISTER_ROLES, Role
from tests.auth.test_authorisation import STATIONS, fill, staff_endpoints

KTP = "pencetakan-ktp-el"  # pelayanan -> operator -> pelayanan
NIK = "3273011205900001"
NAME = "Siti Aminah Rahasia"


def shows(response) -> bool:
    data = response.get_data()
    return NIK.encode() in data or NAME.encode() in data


def recorded_berkas(client, staff):
    """A KTP berkas whose applicant the front desk recorded, then sent to the operator's step."""
    number = client.post("/api/tickets", json={"service": KTP}).get_json()["number"]
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    ticket = desk.post("/api/counter/call-next").get_json()["ticket"]
    desk.post(f"/api/staff/tickets/{ticket['id']}/start")
    assert desk.post(f"/api/staff/tickets/{ticket['id']}/applicant", {"name": NAME, "nik": NIK}).status_code == 200
    moved = desk.post(f"/api/staff/tickets/{ticket['id']}/advance").get_json()["ticket"]
    assert moved["current_role"] == "operator" and moved["applicant"] is not None  # pelayanan keeps the register
    return ticket["id"], number, ticket["code"]


def officer_of(staff, role: Role):
    return staff(role.value, role.value, STATIONS.get(role) or ("Loket 2" if role is Role.PELAYANAN else None))


def test_each_role_sees_the_applicant_only_where_it_needs_to(app, client, staff):
    tid, number, code = recorded_berkas(client, staff)
    gets = [rule for method, rule, _ in staff_endpoints(app) if method == "GET"]
    for role in Role:
        officer = officer_of(staff, role)
        register_role = role in REGISTER_ROLES
        at_own_step = role is Role.OPERATOR  # the berkas is at the operator's step now
        single = [officer.client.get(f"/api/staff/tickets/{tid}")]
        if role is not Role.KEPALA:  # reads only: the scan is a POST, refused (tests/auth)
            single += [officer.post("/api/scan", {"code": number}), officer.post("/api/scan", {"code": code})]
        for r in single:
            assert r.status_code == 200, (role, r.get_json())
            assert shows(r) == (register_role or at_own_step), f"{role} single view: {r.get_json()}"
            if not (register_role or at_own_step):
                assert r.get_json()["ticket"]["applicant"] is None
                assert r.get_json()["ticket"]["applicant_hidden"] is True
        # every list, search, report and page of the staff API, as this role: no bulk path
        for rule in gets:
            r = officer.client.get(fill(rule, tid))
            if r.status_code != 200 or rule == "/api/staff/tickets/<site_id:ticket_id>":
                continue
            if rule == "/api/register":  # the buku harian itself: only its keepers reach it
                assert register_role
                continue
            assert not shows(r), f"{role} sees the applicant on GET {rule}"
        if not register_role:  # the printable buku harian and the register export stay shut
            assert officer.client.get("/reports/register").status_code == 403
            assert officer.client.get("/api/register?format=csv").status_code == 403


def test_the_operator_loses_sight_once_the_berkas_leaves_its_step(client, staff):
    tid, number, _code = recorded_berkas(client, staff)
    operator = officer_of(staff, Role.OPERATOR)
    work = operator.client.get("/api/worklist").get_json()["tickets"]
    assert [t["id"] for t in work] == [tid] and work[0]["applicant"] is None  # a list: never the names
    assert shows(operator.client.get(f"/api/staff/tickets/{tid}"))
    started = operator.post(f"/api/staff/tickets/{tid}/start")
    assert shows(started)  # working it: the answer names the applicant
    advanced = operator.post(f"/api/staff/tickets/{tid}/advance")
    assert advanced.status_code == 200 and not shows(advanced)  # now at the front desk's step
    assert not shows(operator.client.get(f"/api/staff/tickets/{tid}"))
    assert not shows(operator.post("/api/scan", {"code": number}))
    scan = officer_of(staff, Role.SCAN)
    assert not shows(scan.client.get(f"/api/staff/tickets/{tid}"))


def test_the_scanner_agent_push_carries_no_applicant(app, client, staff):
    app.config["SCANNER_TOKEN"] = "tok-123"
    _tid, _number, code = recorded_berkas(client, staff)
    desk = officer_of(staff, Role.OPERATOR)
    counters = desk.client.get("/api/counters").get_json()["counters"]
    room = next(c["id"] for c in counters if c["name"] == "Ruang Operator")
    listener = socketio.test_client(app, flask_test_client=desk.client, auth={"channel": "staff"})
    try:
        listener.get_received()
        r = client.post(
            "/api/scanner/scan", json={"code": code, "counter_id": room}, headers={"Authorization": "Bearer tok-123"}
        )
        assert r.status_code == 200 and not shows(r)
        pushed = [m for m in listener.get_received() if m["name"] == "scanner.scan"]
        assert pushed and NIK not in str(pushed) and NAME not in str(pushed)
    finally:
        listener.disconnect()
