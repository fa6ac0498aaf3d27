"""The disruption JSON and its Socket.IO event: the admin and the head of office switch it, nobody else; every
kind of page hears the whole list at once; the page and the public list show it after a reload."""

from __future__ import annotations

from flask_socketio import SocketIOTestClient

from loket.extensions import socketio
from tests.fixtures.web import issue

KTP = "pencetakan-ktp-el"


def heard(client: SocketIOTestClient) -> list[dict]:
    return [m["args"][0] for m in client.get_received() if m["name"] == "disruption.changed"]


def test_the_head_of_office_switches_it_and_every_page_hears_it(app, client, staff):
    ticket = issue(client)
    code = ticket["qr"].rsplit("/", 1)[1]
    board = socketio.test_client(app, auth={"channel": "board"})
    kiosk = socketio.test_client(app, auth={"channel": "display"})
    status = socketio.test_client(app, auth={"channel": "status", "code": code})
    for c in (board, kiosk, status):
        assert c.is_connected()
        c.get_received()
    kepala = staff("kepala", "kepala")
    r = kepala.post(
        "/api/disruptions",
        {"scope": "service", "service_code": KTP, "reason": "siak", "note": "Server pusat", "offers": {"book": False}},
    )
    assert r.status_code == 201, r.get_json()
    shown = r.get_json()["disruption"]
    assert shown["offers"] == {"ticket": True, "book": False, "titip": False}
    for c in (board, kiosk, status):
        (payload,) = heard(c)
        assert [d["id"] for d in payload["disruptions"]] == [shown["id"]]
        assert payload["disruptions"][0]["reason_label"] == {
            "id": "Server SIAK tidak dapat diakses",
            "en": "The SIAK server cannot be reached",
        }
    after_reload = client.get("/api/disruptions").get_json()
    assert [d["id"] for d in after_reload["disruptions"]] == [shown["id"]]
    assert after_reload["booking_url"].endswith("/booking/")
    assert "Gangguan Layanan" in kepala.client.get("/gangguan").get_data(as_text=True)
    (row,) = kepala.client.get("/api/disruptions/history").get_json()["disruptions"]
    assert row["started_by"] and row["ended_at"] is None

    admin = staff("admin", "admin")
    assert admin.post(f"/api/disruptions/{shown['id']}/end").status_code == 200
    for c in (board, kiosk, status):
        assert heard(c) == [{"disruptions": []}]
    assert client.get("/api/disruptions").get_json()["disruptions"] == []
    assert admin.post(f"/api/disruptions/{shown['id']}/end").status_code == 409


def test_no_one_else_switches_it_and_bad_input_is_refused(client, staff):
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    assert desk.post("/api/disruptions", {"scope": "office", "reason": "power"}).status_code == 403
    assert client.post("/api/disruptions", json={"scope": "office", "reason": "power"}).status_code in (400, 401)
    admin = staff("admin", "admin")
    r = admin.post("/api/disruptions", {"scope": "office", "reason": "flood"})
    assert r.status_code == 400
    r = admin.post("/api/disruptions", {"scope": "service", "service_code": "nope", "reason": "power"})
    assert r.status_code == 400 and r.get_json()["problems"][0]["field"] == "service_code"
    assert client.get("/api/disruptions").get_json()["disruptions"] == []
