"""The resident's status page through the test client: only a signed code opens it, never a name or NIK."""

from __future__ import annotations

import re
from datetime import date

import pytest

from loket.app import socketio
from loket.core import status as status_core
from loket.core.settings import OfficeSettings, write_settings
from loket.core.store import Ticket
from tests.fixtures.web import KTP, issue, make_app, staff_of

NAME, NIK = "Siti Aminah", "3201014101900003"


def code_of(ticket: dict) -> str:
    """The signed code in a kiosk answer's QR (the status URL's last part)."""
    url = ticket["qr"]
    assert re.fullmatch(r"https?://[^/]+/s/T1\.\d+\.[A-Za-z0-9_-]{16}", url), url
    return url.rsplit("/", 1)[1]


def altered(code: str) -> str:
    """The code with one character of its signature changed."""
    last = code[-1]
    return code[:-1] + ("A" if last != "A" else "B")


def test_a_valid_code_opens_the_status_without_the_applicants_name_or_nik(client, staff):
    ticket = issue(client)
    code = code_of(ticket)
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    called = desk.post("/api/counter/call-next").get_json()["ticket"]
    desk.post(f"/api/staff/tickets/{called['id']}/start")
    r = desk.post(f"/api/staff/tickets/{called['id']}/applicant", {"name": NAME, "nik": NIK})
    assert r.status_code == 200, r.get_json()
    r = client.get(f"/api/status/{code}")
    data = r.get_json()
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    assert data["number"] == ticket["number"] and data["state"] == "serving" and data["counter"] == "Loket 1"
    assert [s["status"] for s in data["steps"]] == ["current", "next", "next"]
    page = client.get(f"/s/{code}")
    assert page.status_code == 200 and ticket["number"] in page.get_data(as_text=True)
    for body in (r.get_data(as_text=True), page.get_data(as_text=True)):
        assert NAME not in body and NIK not in body and "applicant" not in body
    assert "<script>" not in page.get_data(as_text=True)  # CSP: no inline script runs
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_a_waiting_ticket_says_how_many_are_ahead_and_when_it_may_be_called(client):
    first, second = issue(client), issue(client)
    data = client.get(f"/api/status/{code_of(second)}").get_json()
    assert data["state"] == "waiting" and data["ahead"] == 1 and data["estimate_basis"] == "sop"
    assert data["estimate_minutes"] >= 1 and re.fullmatch(r"\d\d:\d\d", data["estimate_at"])
    assert client.get(f"/api/status/{code_of(first)}").get_json()["ahead"] == 0


REFUSED = "Kode tidak dikenal"


def test_an_altered_forged_or_foreign_code_gets_one_plain_refusal(client, tmp_path, demo_database):
    ticket = issue(client)
    code = code_of(ticket)
    other = make_app(tmp_path / "other", demo_database, SECRET_KEY="another-office-secret", kiosk=None)
    foreign = other.extensions["loket"].signer.short(1, date.today(), ticket["number"])
    ticket_id = int(code.split(".")[1])
    bad = [
        altered(code),
        code.lower(),
        code + "x",
        f"T1.{ticket_id + 1}.{code.rsplit('.', 1)[1]}",  # another ticket's id under this one's signature
        f"T1.0{ticket_id}.{code.rsplit('.', 1)[1]}",  # the same id spelled otherwise
        foreign,
        "LKT1:dukcapil:20261130:1:B-001.AAAA",
        "XX1:anything",
    ]
    answers = set()
    for c in bad:
        page = client.get(f"/s/{c}")
        body = page.get_data(as_text=True)
        assert page.status_code == 404 and REFUSED in body and "Unknown code" in body, c
        assert ticket["number"] not in body and "tanda tangan" not in body, c
        api = client.get(f"/api/status/{c}")
        assert api.status_code == 404, c
        answers.add((api.get_json()["error"], api.get_json()["message"]))
    assert answers == {("not_found", "Alamat tidak ada.")}  # nothing tells a forged code from an unknown one
    other.extensions["loket"].store.dispose()


@pytest.mark.parametrize("guess", ["B-001", "b1", "1", "T1.1", "T1.1.", "LKT1", "%20"])
def test_no_page_opens_by_number_or_id(client, guess):
    issue(client)
    assert client.get(f"/s/{guess}").status_code == 404
    assert client.get(f"/api/status/{guess}").status_code == 404


def test_the_old_plain_code_still_opens_the_page(client, app):
    ticket = issue(client)
    loket = app.extensions["loket"]
    with loket.store.read() as s:
        row = s.get(Ticket, int(code_of(ticket).split(".")[1]))
        plain = loket.signer.sign(row.id, row.service_day, row.number)
    assert client.get(f"/api/status/{plain}").get_json()["number"] == ticket["number"]


def test_the_counter_scan_takes_the_status_url_the_compact_code_and_the_old_plain_code(client, staff, app):
    ticket = issue(client)
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    url = ticket["qr"]
    code = code_of(ticket)
    loket = app.extensions["loket"]
    by_url = desk.post("/api/scan", {"code": url}).get_json()["ticket"]
    plain = by_url["code"]
    assert plain.startswith("LKT1:")
    other_host = "http://10.1.2.3:8080/loket/s/" + code  # the server moved: the signature still counts
    for scanned in (url, f"  {url}\n", code, plain, other_host):
        r = desk.post("/api/scan", {"code": scanned})
        assert r.status_code == 200 and r.get_json()["ticket"]["number"] == ticket["number"], scanned
    for forged in (url[:-1] + ("A" if url[-1] != "A" else "B"), "http://example.com/s/B-001", "https://x/"):
        r = desk.post("/api/scan", {"code": forged})
        assert r.status_code == 400 and r.get_json()["error"] == "invalid_code", forged
    assert loket.signer.verify(plain).ticket_id == by_url["id"]


def test_the_scanner_agent_and_the_survey_take_the_status_url(client, staff, tmp_path, demo_database):
    app = make_app(tmp_path / "agent", demo_database, SCANNER_TOKEN="tok")
    c = app.test_client()
    ticket = issue(c)
    desk = staff_of(app)("pelayanan", "pelayanan", "Loket 1")
    counters = desk.client.get("/api/counters").get_json()["counters"]
    counter_id = next(x["id"] for x in counters if x["name"] == "Loket 1")
    r = c.post(
        "/api/scanner/scan",
        json={"code": ticket["qr"], "counter_id": counter_id},
        headers={"Authorization": "Bearer tok"},
    )
    assert r.status_code == 200 and r.get_json()["ticket"]["number"] == ticket["number"]
    r = c.get(f"/api/survey/ticket/{ticket['qr']}")
    assert r.status_code == 409 and r.get_json()["error"] != "invalid_code"  # found; just not done yet
    app.extensions["loket"].store.dispose()


def test_the_page_is_rate_limited_per_address(tmp_path, demo_database):
    app = make_app(tmp_path, demo_database, STATUS_RATE_LIMIT="3 per minute")
    c = app.test_client()
    code = code_of(issue(c))
    answers = [c.get(f"/api/status/{code}").status_code for _ in range(3)] + [c.get(f"/s/{code}").status_code]
    assert answers == [200, 200, 200, 429]
    app.extensions["loket"].store.dispose()


def walk(desk, operator, ticket_id):
    desk.post(f"/api/staff/tickets/{ticket_id}/start")
    desk.post(f"/api/staff/tickets/{ticket_id}/advance")
    operator.post(f"/api/staff/tickets/{ticket_id}/start")
    return operator.post(f"/api/staff/tickets/{ticket_id}/advance").get_json()["ticket"]


def test_the_steps_pending_returned_and_ready_as_the_resident_sees_them(client, staff, app):
    ticket = issue(client)
    code = code_of(ticket)
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    operator = staff("operator", "operator", "Ruang Operator")
    tid = desk.post("/api/counter/call-next").get_json()["ticket"]["id"]
    desk.post(f"/api/staff/tickets/{tid}/start")
    r = desk.post(f"/api/staff/tickets/{tid}/return", {"missing": ["fotokopi-kk"], "note": "catatan petugas"})
    assert r.status_code == 200, r.get_json()
    data = client.get(f"/api/status/{code}").get_json()
    assert data["state"] == "returned" and [m["key"] for m in data["missing"]] == ["fotokopi-kk"]
    assert "catatan petugas" not in str(data)  # staff notes stay with staff
    desk.post(f"/api/staff/tickets/{tid}/resume")
    assert desk.post("/api/counter/call-next").get_json()["ticket"]["id"] == tid
    desk.post(f"/api/staff/tickets/{tid}/start")
    desk.post(f"/api/staff/tickets/{tid}/advance")
    data = client.get(f"/api/status/{code}").get_json()
    assert data["state"] == "in_process" and [s["status"] for s in data["steps"]] == ["done", "current", "next"]
    assert data["steps"][0]["done_on"] == data["day"]
    assert data["wait"] == "stay"  # no pickup slip: the KTP-el is printed and handed over the same visit
    operator.post(f"/api/staff/tickets/{tid}/start")
    operator.post(f"/api/staff/tickets/{tid}/pend", {"reason": "data_problem"})
    data = client.get(f"/api/status/{code}").get_json()
    assert data["pending"]["reason"] == "data_problem" and "perubahan data" in data["pending"]["bring"]["id"]
    operator.post(f"/api/staff/tickets/{tid}/resume")
    operator.post(f"/api/staff/tickets/{tid}/start")
    assert operator.post(f"/api/staff/tickets/{tid}/advance").get_json()["ticket"]["state"] == "ready"
    data = client.get(f"/api/status/{code}").get_json()
    assert data["state"] == "ready" and data["pickup"] == {"hours": None} and data["pending"] is None
    assert [s["status"] for s in data["steps"]] == ["done", "done", "current"]


def test_the_pickup_hours_and_the_office_notice_come_from_the_settings(client, app):
    code = code_of(issue(client))  # before the hours: today may be outside them
    loket = app.extensions["loket"]
    assert status_core.service_hours(loket) is None
    hours = {"mon": {"open": "08:00", "close": "15:00"}, "fri": {"open": "08:00", "close": "11:00"}}
    with loket.store.transaction() as s:
        notice = "Layanan KIA pindah ke lantai 2"
        write_settings(s, OfficeSettings(running_text=notice, hours=hours), loket.clock.now(), None)
    data = client.get(f"/api/status/{code}").get_json()
    assert data["notice"] == notice and data["disruption"] is None
    assert status_core.service_hours(loket) == [
        {"day": {"id": "Senin", "en": "Monday"}, "open": "08:00", "close": "15:00"},
        {"day": {"id": "Jumat", "en": "Friday"}, "open": "08:00", "close": "11:00"},
    ]


def test_the_page_hears_its_own_ticket_change_and_only_that_the_queue_moved_for_others(client, staff, app):
    mine, other = issue(client), issue(client)
    page = socketio.test_client(app, auth={"channel": "status", "code": code_of(mine)})
    assert page.is_connected()
    assert page.get_received() == []  # nothing on connect: the page has its data
    forged = socketio.test_client(app, auth={"channel": "status", "code": altered(code_of(mine))})
    assert not forged.is_connected()
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    called = desk.post("/api/counter/call-next").get_json()["ticket"]
    assert called["number"] == mine["number"]
    got = page.get_received()
    assert [e["name"] for e in got] == ["status.changed", "status.queue"] and all(e["args"] == [{}] for e in got)
    other_page = socketio.test_client(app, auth={"channel": "status", "code": code_of(other)})
    desk.post(f"/api/staff/tickets/{called['id']}/start")
    assert [e["name"] for e in other_page.get_received()] == ["status.queue"]
    assert "status.changed" in [e["name"] for e in page.get_received()]
    for c in (page, other_page):
        c.disconnect()


def test_a_new_scheme_plugs_into_the_registry(client, app):
    def booking(loket, code):
        if code != "LKB1:demo.signed":
            raise status_core.refused()
        return status_core.Status({"kind": "booking", "number": "BK-7", "state": "booked", "steps": []}, "booking:7")

    real = status_core.RESOLVERS.get("LKB1")  # online booking's own (loket.core.booking_status)
    status_core.register("LKB1", booking)
    try:
        assert client.get("/api/status/LKB1:demo.signed").get_json()["kind"] == "booking"
        assert client.get("/api/status/LKB1:demo.forged").status_code == 404
    finally:
        del status_core.RESOLVERS["LKB1"]
        if real is not None:
            status_core.register("LKB1", real)
    assert client.get("/api/status/LKB1:demo.signed").status_code == 404


def test_the_printed_address_is_the_public_url_when_set_else_a_reachable_one(tmp_path, demo_database):
    app = make_app(tmp_path, demo_database, PUBLIC_URL="http://192.168.1.10:5000/")
    c = app.test_client()
    assert issue(c)["qr"].startswith("http://192.168.1.10:5000/s/T1.")
    app.config["PUBLIC_URL"] = ""
    from loket.public_url import lan_address

    lan = lan_address()
    for host, expected in (
        ("localhost:5000", f"http://{lan}:5000/s/"),  # a kiosk on the server itself: the phone needs the LAN address
        ("127.0.0.1:8000", f"http://{lan}:8000/s/"),
        ("evil.example:5000", f"http://{lan}:5000/s/"),  # a Host header is not trusted to name the printed site
    ):
        qr = c.post("/api/tickets", json={"service": KTP}, headers={"Host": host}).get_json()["qr"]
        assert qr.startswith(expected), (host, qr)
    app.extensions["loket"].store.dispose()


def test_only_a_berkas_with_a_pickup_slip_tells_the_resident_they_need_not_wait(client, staff):
    """dokumen-hilang-rusak: the first step gives a pickup slip, the document is collected on a later visit."""
    code = code_of(issue(client, "dokumen-hilang-rusak"))
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    tid = desk.post("/api/counter/call-next").get_json()["ticket"]["id"]
    desk.post(f"/api/staff/tickets/{tid}/start")
    assert client.get(f"/api/status/{code}").get_json()["wait"] is None  # being served: nothing to say
    desk.post(f"/api/staff/tickets/{tid}/advance")
    data = client.get(f"/api/status/{code}").get_json()
    assert data["state"] == "in_process" and data["wait"] == "away"
