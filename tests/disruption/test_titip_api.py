"""Titip berkas (leaving the berkas during a disruption, issue 14), through the web as the kiosk, the front desk,
the operator and the admin use it: the kiosk gives a receipt ticket only while a disruption offers it and for a
service whose later steps need no resident; the ticket stands in no hall queue; the front desk receives the
documents (scan, checklist, "Terima Berkas Titipan"); the berkas waits at the operator's step, pended with reason
"disruption", until the disruption ends, then goes on by itself; the resident hears of it and of "ready"."""

from __future__ import annotations

from sqlalchemy import select

from loket.core.store import EventRecord, OutboxMessage, Ticket
from tests.fixtures.web import KTP

PEREKAMAN = "perekaman-ktp-el"  # its operator step needs the resident (photo, fingerprints): cannot be left


def titip(client, service=KTP, phone=None):
    return client.post("/api/tickets", json={"service": service, "source": "titip", "phone": phone})


def row(app, ticket_id: int) -> Ticket:
    with app.extensions["loket"].store.read() as s:
        return s.get(Ticket, ticket_id)


def moments(app, ticket_id: int) -> list[str]:
    with app.extensions["loket"].store.read() as s:
        return list(
            s.scalars(
                select(OutboxMessage.moment).where(OutboxMessage.ticket_id == ticket_id).order_by(OutboxMessage.id)
            )
        )


def status_of(client, ticket: dict) -> dict:
    return client.get("/api/status/" + ticket["qr"].rsplit("/", 1)[1]).get_json()


def test_a_left_berkas_is_received_waits_for_the_service_and_goes_on_without_the_resident(app, client, staff):
    # No disruption, or one that does not offer it: no titip ticket.
    r = titip(client)
    assert r.status_code == 409 and r.get_json()["error"] == "titip_unavailable"
    admin = staff("admin", "admin")
    r = admin.post(
        "/api/disruptions",
        {"scope": "service", "service_code": KTP, "reason": "siak", "offers": {"ticket": False, "titip": True}},
    )
    assert r.status_code == 201, r.get_json()
    disruption = r.get_json()["disruption"]
    assert disruption["offers"] == {"ticket": False, "book": True, "titip": True}
    services = {s["code"]: s for s in client.get("/api/services").get_json()["services"]}
    assert services[KTP]["titip_fits"] is True and services[PEREKAMAN]["titip_fits"] is False

    # The kiosk: no ordinary ticket meanwhile (the office's choice), but a receipt for a left berkas.
    assert client.post("/api/tickets", json={"service": KTP}).status_code == 409
    r = titip(client, phone="081234567890")
    assert r.status_code == 201, r.get_json()
    ticket = r.get_json()
    assert ticket["titip"] == {"messages": True} and ticket["ahead"] is None
    assert [req["key"] for req in ticket["requirements"]][:1] == ["fotokopi-kk"]  # what to hand in, from the SOP
    assert status_of(client, ticket)["titip"] == "hand_in"

    # It stands in no hall queue: "call next" at the front desk does not call it; the desk finds it by its QR.
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    assert desk.client.get("/api/counter/queue").get_json()["count"] == 0
    assert desk.post("/api/counter/call-next").status_code in (200, 404)
    found = desk.post("/api/scan", {"code": ticket["qr"]}).get_json()["ticket"]
    assert found["number"] == ticket["number"] and found["state"] == "in_process" and found["source"] == "titip"
    assert found["number"] in [w["number"] for w in desk.client.get("/api/worklist").get_json()["tickets"]]
    tid = found["id"]

    # The front desk opens it, ticks the documents handed in, and receives it: it waits at the operator's step.
    assert desk.post(f"/api/staff/tickets/{tid}/start").status_code == 200
    assert desk.post(f"/api/staff/tickets/{tid}/documents", {"have": ["fotokopi-kk"]}).status_code == 200
    r = desk.post(f"/api/staff/tickets/{tid}/advance")
    assert r.status_code == 200, r.get_json()
    received = r.get_json()["ticket"]
    assert (received["state"], received["pending_reason"], received["current_role"]) == (
        "pending",
        "disruption",
        "operator",
    )
    seen = status_of(client, ticket)
    assert seen["titip"] == "left" and seen["pending"]["reason"] == "disruption"
    assert "Tidak perlu membawa" in seen["pending"]["bring"]["id"]
    assert moments(app, tid) == ["pending"]  # the resident hears it was received and waits for the service

    # The operator sees it waiting and cannot work it while the service is down.
    operator = staff("operator", "operator", "Ruang Operator")
    work = operator.client.get("/api/worklist").get_json()["tickets"]
    assert [(w["number"], w["state"]) for w in work] == [(ticket["number"], "pending")]
    assert operator.post(f"/api/staff/tickets/{tid}/start").status_code == 409

    # The service is back: the berkas goes on by itself into the operator's work list, then to pickup.
    assert admin.post(f"/api/disruptions/{disruption['id']}/end").status_code == 200
    back = row(app, tid)
    assert (back.state, back.pending_reason, back.current_role) == ("in_process", None, "operator")
    with app.extensions["loket"].store.read() as s:
        kinds = list(s.scalars(select(EventRecord.kind).where(EventRecord.ticket_id == tid).order_by(EventRecord.id)))
    assert kinds[-1] == "ticket.resumed"
    assert operator.post(f"/api/staff/tickets/{tid}/start").status_code == 200
    r = operator.post(f"/api/staff/tickets/{tid}/advance")
    assert r.get_json()["ticket"]["state"] == "ready"
    assert moments(app, tid) == ["pending", "ready"]  # told when it is ready, with the pickup hours

    # Reports: the berkas left during the disruption are counted apart, and no resident waited for it.
    report = admin.client.get("/api/reports/summary").get_json()
    (dis,) = report["disruptions"]
    assert (dis["titip"], dis["titip_received"], dis["titip_waiting"]) == (1, 1, 0)
    assert report["total"]["wait"]["n"] == 0  # never called from the hall: no resident's waiting


def test_titip_is_refused_for_a_service_whose_later_steps_need_the_resident(app, client, staff):
    admin = staff("admin", "admin")
    r = admin.post("/api/disruptions", {"scope": "office", "reason": "network", "offers": {"titip": True}})
    assert r.status_code == 201
    r = titip(client, service=PEREKAMAN)
    assert r.status_code == 409 and r.get_json()["error"] == "titip_unavailable"
    assert "kehadiran" in r.get_json()["message"]
    r = titip(client)  # the office's disruption covers KTP printing, which fits
    assert r.status_code == 201 and r.get_json()["titip"] == {"messages": False}


def test_a_berkas_received_after_the_service_is_back_goes_straight_on(app, client, staff):
    admin = staff("admin", "admin")
    d = admin.post(
        "/api/disruptions", {"scope": "service", "service_code": KTP, "reason": "power", "offers": {"titip": True}}
    ).get_json()["disruption"]
    ticket = titip(client).get_json()
    assert admin.post(f"/api/disruptions/{d['id']}/end").status_code == 200
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    tid = desk.post("/api/scan", {"code": ticket["qr"]}).get_json()["ticket"]["id"]
    assert desk.post(f"/api/staff/tickets/{tid}/start").status_code == 200
    moved = desk.post(f"/api/staff/tickets/{tid}/advance").get_json()["ticket"]
    assert (moved["state"], moved["current_role"]) == ("in_process", "operator")
