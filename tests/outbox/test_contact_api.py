"""The resident's number through the web: the kiosk's pad (refused in plain words, before any ticket), the
front desk's field (full for it, masked for other roles), the booking's e-mail, the admin's texts and preview."""

from __future__ import annotations

from loket.core.store import OutboxMessage, Ticket
from tests.fixtures.web import KTP


def tickets(app) -> list[Ticket]:
    with app.extensions["loket"].store.read() as s:
        return list(s.query(Ticket).order_by(Ticket.id))


def test_the_kiosk_refuses_an_impossible_number_before_any_ticket_and_keeps_a_good_one(app, client):
    r = client.post("/api/tickets", json={"service": KTP, "phone": "0221234"})
    assert r.status_code == 400
    (problem,) = r.get_json()["problems"]
    assert problem["field"] == "phone" and "diawali 08" in problem["message"]
    assert tickets(app) == []
    r = client.post("/api/tickets", json={"service": KTP, "phone": "+62 812 3456 7890"})
    assert r.status_code == 201
    assert [t.phone for t in tickets(app)] == ["081234567890"]
    assert "0812" not in str(r.get_json())  # the answer (and the print) carry no number


def test_the_front_desk_changes_the_number_and_the_operator_sees_it_masked(app, client, staff):
    t = client.post("/api/tickets", json={"service": KTP, "phone": "081234567890"}).get_json()
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    called = desk.post("/api/counter/call-next").get_json()["ticket"]
    contact = desk.client.get(f"/api/staff/tickets/{called['id']}/contact").get_json()
    assert contact["phone"] == "081234567890" and contact["can_edit"] is True
    assert [(m["moment"], m["state"], m["attempts"]) for m in contact["messages"]] == [("called", "pending", 0)]
    r = desk.post(f"/api/staff/tickets/{called['id']}/phone", {"phone": "0899-1234-5678"})
    assert r.status_code == 200, r.get_json()
    r = desk.post(f"/api/staff/tickets/{called['id']}/phone", {"phone": "0812"})
    assert r.status_code == 400 and "terlalu pendek" in r.get_json()["problems"][0]["message"]
    operator = staff("operator", "operator", "Ruang Operator")
    seen = operator.client.get(f"/api/staff/tickets/{called['id']}/contact").get_json()
    assert seen["phone"] == "0899*****678" and seen["can_edit"] is False
    r = operator.post(f"/api/staff/tickets/{called['id']}/phone", {"phone": "081234567890"})
    assert r.status_code == 403
    assert t["number"] == called["number"]


def test_the_admin_edits_a_text_refused_with_an_unknown_placeholder_and_previews_it(app, staff):
    admin = staff("admin", "admin")
    bad = {"messages": {"moments": {"called": {"id": "Halo {nama}, ke {counter}"}}}}
    r = admin.client.put("/api/admin/settings", json=bad, headers=admin.csrf())
    assert r.status_code == 400
    assert "Placeholder tidak dikenal: {nama}" in str(r.get_json()["problems"])
    good = {"messages": {"ahead_n": 5, "moments": {"called": {"id": "{number} ke {counter}", "enabled": True}}}}
    r = admin.client.put("/api/admin/settings", json=good, headers=admin.csrf())
    assert r.status_code == 200 and r.get_json()["messages"]["ahead_n"] == 5
    r = admin.post("/api/admin/messages/preview", {"moment": "called", "id": "{number} ke {counter}"})
    assert r.get_json()["id"] == "B-012 ke Loket 3" and "Loket 3" in r.get_json()["en"]
    r = admin.post("/api/admin/messages/preview", {"moment": "ready", "id": "Ambil {jam}"})
    assert r.status_code == 400 and "{jam}" in r.get_json()["message"]
    catalog = admin.client.get("/api/admin/messages").get_json()["moments"]
    assert [m["moment"] for m in catalog] == [
        "booked",
        "reminder",
        "ahead",
        "called",
        "pending",
        "returned",
        "ready",
        "disruption",
    ]


def test_nothing_is_written_for_a_resident_without_a_number(app, client, staff):
    client.post("/api/tickets", json={"service": KTP})
    staff("pelayanan", "pelayanan", "Loket 1").post("/api/counter/call-next")
    with app.extensions["loket"].store.read() as s:
        assert s.query(OutboxMessage).count() == 0


def test_the_reminder_command_writes_each_bookings_reminder_once(tmp_path, demo_database):
    from datetime import UTC, date, datetime, time

    from loket.core.booking import operations as booking
    from loket.core.clock import FrozenClock
    from tests.core.test_booking import configure, nik
    from tests.fixtures.web import make_app

    app = make_app(tmp_path, demo_database, clock=FrozenClock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC)))
    try:
        ctx = app.extensions["loket"]
        configure(ctx, opens_days_before=3)
        booking.book(ctx, "penerbitan-kia", date(2026, 11, 24), time(9, 0), nik(1), phone="081234567890")
        booking.book(ctx, "penerbitan-kia", date(2026, 11, 25), time(9, 0), nik(2), email="w@contoh.id")
        runner = app.test_cli_runner()
        assert "1 pengingat" in runner.invoke(args=["booking-reminders"]).output  # tomorrow's
        assert "0 pengingat" in runner.invoke(args=["booking-reminders"]).output  # never twice
        assert "1 pengingat" in runner.invoke(args=["booking-reminders", "--day", "2026-11-25"]).output
        with ctx.store.read() as s:
            reminders = s.query(OutboxMessage).filter_by(moment="reminder").order_by(OutboxMessage.id).all()
        assert [(m.channel, m.address) for m in reminders] == [("phone", "081234567890"), ("email", "w@contoh.id")]
    finally:
        ctx.store.dispose()
