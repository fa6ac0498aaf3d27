"""The kiosk's public JSON API: the services, issuing a ticket, a ticket's public status."""

from __future__ import annotations

from tests.fixtures.web import issue

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
    assert {p["code"] for p in data["priorities"]} == {"lansia", "disabilitas", "ibu_hamil", "anak", "korban_bencana"}


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
    data = client.get(f"/api/tickets/{t['number']}").get_json()
    assert data["state"] == "waiting" and data["state_label"]["id"] == "Menunggu dipanggil"
    assert data["ahead"] == 0
    assert not {"code", "id", "visits", "priority_reason", "state_note", "missing"} & set(data)
    assert client.get("/api/tickets/Z-999").status_code == 404
