"""The kiosk's public JSON API: the services, issuing a ticket, a ticket's public status."""

from __future__ import annotations

from urllib.parse import quote

from tests.fixtures.web import holder_status, issue

KTP = "pencetakan-ktp-el"


def test_services_list_every_sop_with_requirements_and_mismatch(client):
    data = client.get("/api/services").get_json()
    services = {s["code"]: s for s in data["services"]}
    assert len(services) == 13
    ktp = services[KTP]
    assert ktp["name"]["id"].startswith("Pencetakan KTP-el") and ktp["name"]["en"]
    assert next(r["key"] for r in ktp["requirements"]) == "fotokopi-kk"
    assert all(r["note"] for r in ktp["requirements"])
    assert ktp["target_minutes"] == 5 and ktp["waiting"] == 0
    akta = services["permohonan-akta-kelahiran"]
    assert (akta["seed_total_minutes"], akta["steps_total_minutes"], akta["total_mismatch"]) == (20, 23, True)
    assert [p["code"] for p in data["priorities"]] == [  # UU 25/2009 art. 29, and a mother with a baby (issue 15)
        "lansia",
        "disabilitas",
        "ibu_hamil",
        "ibu_anak",
        "anak",
        "korban_bencana",
    ]
    mother = next(p for p in data["priorities"] if p["code"] == "ibu_anak")
    assert mother["label"] == {"id": "Ibu dengan bayi/anak kecil", "en": "Mother with a baby or small child"}
    assert issue(client, priority="ibu_anak")["priority"] is True


def test_issue_returns_number_signed_qr_and_place(client):
    first = issue(client)
    second = issue(client, priority="lansia")
    assert first["number"] == "B-001" and first["ahead"] == 0
    assert second["number"] == "B-002" and second["ahead"] == 0 and second["priority"] is True
    assert "/s/T1." in first["qr"] and first["qr"].startswith("http")  # the status page's address (issue 13)
    assert first["status_url"] == first["qr"]
    assert "qr_svg" not in first, "the kiosk draws the QR from the code: no picture is made per ticket"
    assert client.get(f"/api/services/{KTP}").get_json()["waiting"] == 2


def test_issue_refuses_unknown_service_and_priority(client):
    assert client.post("/api/tickets", json={"service": "nope"}).status_code == 404
    r = client.post("/api/tickets", json={"service": KTP, "priority": "vip"})
    assert r.status_code == 400 and "prioritas" in r.get_json()["message"]
    assert client.post("/api/tickets", json={}).status_code == 400


def test_public_status_has_no_personal_or_staff_data(client):
    t = issue(client, priority="ibu_hamil")
    data = client.get(holder_status(t)).get_json()
    assert data["state"] == "waiting" and data["state_label"]["id"] == "Menunggu dipanggil"
    assert data["ahead"] == 0
    assert not {"code", "id", "visits", "priority_reason", "state_note", "missing"} & set(data)
    assert client.get("/api/tickets/Z-999").status_code == 404


def test_the_public_status_by_number_needs_the_tickets_own_code(client, staff):
    """No enumeration by number (issue 13): the number alone, a forged code or another ticket's code answer
    as an unknown number does; the holder's code (compact, plain or the status URL) opens it; staff need none."""
    mine, other = issue(client), issue(client)
    code = mine["qr"].rsplit("/", 1)[1]
    unknown = client.get("/api/tickets/Z-999").get_json()
    for asked in (
        f"/api/tickets/{mine['number']}",
        f"/api/tickets/{mine['number']}?code=",
        f"/api/tickets/{mine['number']}?code={code[:-1]}{'A' if code[-1] != 'A' else 'B'}",
        f"/api/tickets/{mine['number']}?code={other['qr'].rsplit('/', 1)[1]}",
    ):
        r = client.get(asked)
        assert r.status_code == 404 and r.get_json() == unknown, asked
    assert client.get(f"/api/tickets/{mine['number']}?code={quote(mine['qr'], safe='')}").status_code == 200
    assert client.get(holder_status(mine)).get_json()["number"] == mine["number"]
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    assert desk.client.get(f"/api/tickets/{other['number']}").get_json()["number"] == other["number"]
