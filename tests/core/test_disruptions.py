"""Disruption mode (gangguan), on SQLite and PostgreSQL: who may switch it, the residents it tells (once per
ticket per disruption, in its transaction), the audit log, and the reports: its minutes apart, its overlap
left out of SOP compliance (exact figures worked out by hand below).

The day (Monday 23 November 2026, Asia/Jakarta), for the reports:

    KTP = pencetakan-ktp-el: pelayanan 2 min -> operator 3 min -> pelayanan hand-over (no target)
    E   = dokumen-hilang-rusak: pelayanan 3 min -> operator 2 min -> scan 5 min -> hand-over

    08:00  T1 KTP issued.  08:01 Ani calls and starts T1
    08:02  the head of office switches KTP into disruption (SIAK)
    08:06  Ani advances T1: reception 5:00, of which 4:00 in the disruption -> judged 1:00 <= 2:00 (within)
    08:07  the admin ends the KTP disruption (5 minutes). Citra starts T1; 08:10 advances: 3:00 (within)
    08:10  Ani calls T1, starts; 08:11 hands over (1:00, no target). T1 done: 5+3+1 = 9:00 of service,
           judged 1+3+1 = 5:00 <= 5:00 (within); without the exclusion 9:00 > 5:00
    08:20  T2 E issued. 08:21 Ani calls and starts T2
    08:22  the whole office in disruption (network)
    08:23  E in disruption too (power), ended 08:24: inside the office's, so counted once
    08:25  Ani advances T2: 4:00, of which 3:00 in a disruption -> judged 1:00 <= 3:00 (within)
    08:30  the office's disruption ends (8 minutes)
    08:31  Citra starts T2; 08:32 KIA in disruption (another service: no effect on E), still on at the end
    08:35  Citra advances T2: 4:00 > 2:00 (over by 2:00)
    08:45  the report: steps within 3 of 4 (without the exclusion 1 of 4), berkas within 1 of 1 (0 of 1),
           mean over target of judged steps (0 + 0 + 0 + 120) / 4 = 30 s (without: (180 + 0 + 60 + 120) / 4 = 90),
           service times unchanged: 300, 180, 60, 240, 240 s (mean 204)
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from loket.core import disruptions
from loket.core.accounts import create_counter, create_user
from loket.core.admin import audit_log
from loket.core.errors import Conflict, InvalidInput, NotAllowed, ServiceUnavailable
from loket.core.reports import build_report, build_report_full, disruption_rows
from loket.core.roles import Actor, Role
from loket.core.store import OutboxMessage
from loket.core.tickets import flow, issuing, queue

KTP = "pencetakan-ktp-el"
E = "dokumen-hilang-rusak"
KIA = "penerbitan-kia"
DAY = date(2026, 11, 23)
PHONE = "081234567890"


def at(clock, hhmm: str, day: date = DAY) -> None:
    h, m = (int(p) for p in hhmm.split(":"))
    target = datetime(day.year, day.month, day.day, h, m, tzinfo=clock.tz).astimezone(UTC)
    assert target >= clock.now(), hhmm
    clock.advance(seconds=(target - clock.now()).total_seconds())


@pytest.fixture
def people(loket):
    store, clock = loket.store, loket.clock
    ani = create_user(store, clock, "ani", "Ani", "password123", [Role.PELAYANAN])
    citra = create_user(store, clock, "citra", "Citra", "password123", [Role.OPERATOR])
    admin = create_user(store, clock, "admin", "Admin", "password123", [Role.ADMIN])
    kepala = create_user(store, clock, "kepala", "Bu Kepala", "password123", [Role.KEPALA])
    loket1 = create_counter(store, "Loket 1", 1, [Role.PELAYANAN])
    loket.public_base = lambda: "http://antrean.example"
    return {
        "ani": Actor(ani.id, Role.PELAYANAN, loket1.id),
        "citra": Actor(citra.id, Role.OPERATOR, None),
        "admin": Actor(admin.id, Role.ADMIN),
        "kepala": Actor(kepala.id, Role.KEPALA),
    }


def messages(loket, moment="disruption") -> list[OutboxMessage]:
    with loket.store.read() as s:
        return list(s.scalars(select(OutboxMessage).where(OutboxMessage.moment == moment).order_by(OutboxMessage.id)))


def test_the_residents_waiting_for_the_service_are_told_once_per_disruption(loket, people):
    waiting = issuing.issue(loket, KTP, phone=PHONE).ticket
    issuing.issue(loket, KTP)  # no number given: nobody to tell
    other = issuing.issue(loket, E, phone="089912345678").ticket  # another service
    back = datetime(2026, 11, 23, 10, 30, tzinfo=loket.clock.tz).astimezone(UTC)
    shown, events = disruptions.start(
        loket, people["kepala"], "service", "siak", service_code=KTP, note="Server pusat", expected_back=back
    )
    assert [e.kind for e in events] == ["disruption.changed"]
    assert events[0].payload["disruptions"] == [shown]
    assert shown["reason_label"]["id"] == "Server SIAK tidak dapat diakses"
    assert shown["offers"] == {"ticket": True, "book": True, "titip": False}  # leaving the berkas: the office opts in
    (told,) = messages(loket)
    assert told.ticket_id == waiting.id and told.address == PHONE and told.state == "pending"
    assert "Pencetakan KTP-el" in told.text_id and "sekitar pukul 10:30" in told.text_id
    assert "Server SIAK tidak dapat diakses" in told.text_id and "around 10:30" in told.text_en
    assert f"http://antrean.example/s/{loket.signer.short(waiting.id, DAY, waiting.number)}" in told.text_id
    # The same disruption again is refused (nobody told twice); another one tells the residents again.
    with pytest.raises(Conflict):
        disruptions.start(loket, people["admin"], "service", "network", service_code=KTP)
    assert len(messages(loket)) == 1
    disruptions.end(loket, people["admin"], shown["id"])
    office, _events = disruptions.start(loket, people["admin"], "office", "power")
    assert [(m.ticket_id, m.idempotency_key) for m in messages(loket)] == [
        (waiting.id, f"test-office:disruption{shown['id']}:t{waiting.id}:phone"),
        (waiting.id, f"test-office:disruption{office['id']}:t{waiting.id}:phone"),
        (other.id, f"test-office:disruption{office['id']}:t{other.id}:phone"),
    ]
    assert [d["id"] for d in disruptions.current(loket)] == [office["id"]]


def test_who_may_switch_it_and_what_is_checked(loket, people):
    with pytest.raises(NotAllowed):
        disruptions.start(loket, people["ani"], "office", "siak")
    with pytest.raises(InvalidInput) as refused:
        disruptions.start(
            loket, people["admin"], "service", "flood", service_code="nope", expected_back=loket.clock.now()
        )
    assert {p["field"] for p in refused.value.problems} == {"service_code", "reason", "expected_back"}
    issuing.issue(loket, KTP)
    shown, _ = disruptions.start(loket, people["admin"], "office", "other", offers={"ticket": False})
    assert shown["offers"] == {"ticket": False, "book": True, "titip": False}
    with pytest.raises(ServiceUnavailable) as stopped:  # the office gives no ticket meanwhile
        issuing.issue(loket, KTP)
    assert stopped.value.code == "disrupted"
    with pytest.raises(NotAllowed):
        disruptions.end(loket, people["citra"], shown["id"])
    loket.clock.advance(minutes=12)
    ended, _ = disruptions.end(loket, people["kepala"], shown["id"])
    assert ended["ended_at"] == loket.clock.now().isoformat()
    with pytest.raises(Conflict):
        disruptions.end(loket, people["admin"], shown["id"])
    assert disruptions.current(loket) == []
    assert issuing.issue(loket, KTP).ticket.number == "B-002"
    (row,) = disruptions.history(loket)
    assert (row["started_by"], row["ended_by"], row["minutes"]) == ("Admin", "Bu Kepala", 12.0)
    log = audit_log(loket)
    assert [e["kind"] for e in log] == ["disruption.ended", "disruption.started"]
    assert log[0]["officer"]["username"] == "kepala" and log[1]["officer"]["username"] == "admin"


@pytest.fixture
def day(loket, clock, people):
    ani, citra, admin, kepala = people["ani"], people["citra"], people["admin"], people["kepala"]
    at(clock, "08:00")
    t1 = issuing.issue(loket, KTP).ticket.id
    at(clock, "08:01")
    assert queue.call_next(loket, ani).ticket.id == t1
    flow.start(loket, ani, t1)
    at(clock, "08:02")
    ktp, _ = disruptions.start(loket, kepala, "service", "siak", service_code=KTP)
    at(clock, "08:06")
    flow.advance(loket, ani, t1)
    at(clock, "08:07")
    disruptions.end(loket, admin, ktp["id"])
    flow.start(loket, citra, t1)
    at(clock, "08:10")
    flow.advance(loket, citra, t1)
    assert queue.call_next(loket, ani).ticket.id == t1
    flow.start(loket, ani, t1)
    at(clock, "08:11")
    flow.hand_over(loket, ani, t1)
    at(clock, "08:20")
    t2 = issuing.issue(loket, E).ticket.id
    at(clock, "08:21")
    assert queue.call_next(loket, ani).ticket.id == t2
    flow.start(loket, ani, t2)
    at(clock, "08:22")
    office, _ = disruptions.start(loket, admin, "office", "network")
    at(clock, "08:23")
    inside, _ = disruptions.start(loket, admin, "service", "power", service_code=E)
    at(clock, "08:24")
    disruptions.end(loket, admin, inside["id"])
    at(clock, "08:25")
    flow.advance(loket, ani, t2)
    at(clock, "08:30")
    disruptions.end(loket, kepala, office["id"])
    at(clock, "08:31")
    flow.start(loket, citra, t2)
    at(clock, "08:32")
    disruptions.start(loket, admin, "service", "other", service_code=KIA)
    at(clock, "08:35")
    flow.advance(loket, citra, t2)
    at(clock, "08:45")
    return t1, t2


def _compliance(report):
    total = report.total.as_dict()
    return total["steps"], total["berkas"], total["over"], total["service"]


def test_the_minutes_inside_a_disruption_are_left_out_of_compliance(loket, clock, day):
    expected = (
        {"within": 3, "total": 4, "ratio": 0.75},
        {"within": 1, "total": 1, "ratio": 1.0},
        30.0,
        {"n": 5, "mean": 204.0, "median": 240.0, "p90": 300.0},
    )
    assert _compliance(build_report_full(loket, DAY)) == expected
    assert _compliance(build_report(loket, DAY)) == expected  # today: the live arrays
    steps = {r.key: r.as_dict() for r in build_report(loket, DAY).steps}
    assert steps[f"{KTP}#1"]["steps"] == {"within": 1, "total": 1, "ratio": 1.0}
    assert steps[f"{E}#1"]["steps"] == {"within": 1, "total": 1, "ratio": 1.0}
    assert steps[f"{E}#2"]["steps"] == {"within": 0, "total": 1, "ratio": 0.0}
    assert steps[f"{E}#2"]["over"] == 120.0
    # The next day the past day comes from its stored summary: the same figures.
    clock.advance(days=1)
    assert _compliance(build_report(loket, DAY)) == expected
    assert _compliance(build_report(loket, DAY)) == expected  # read back from the summary
    assert _compliance(build_report_full(loket, DAY)) == expected


def test_the_disruptions_are_reported_apart_with_their_minutes(loket, clock, day):
    rows = disruption_rows(loket, DAY, DAY)
    assert [(r["scope"], r["service_code"], r["reason"], r["minutes"], r["ended_at"] is None) for r in rows] == [
        ("service", KTP, "siak", 5.0, False),
        ("office", None, "network", 8.0, False),
        ("service", E, "power", 1.0, False),
        ("service", KIA, "other", 13.0, True),  # still on at 08:45
    ]
    assert disruption_rows(loket, DAY + timedelta(days=1), DAY + timedelta(days=1)) == []
    assert disruption_rows(loket, DAY - timedelta(days=1), DAY - timedelta(days=1)) == []


def test_the_expected_time_back_is_read_on_the_office_clock(loket):
    # 08:00 in Jakarta: 10:30 is today's, 07:15 has passed (tomorrow's).
    assert disruptions.back_at(loket, "10:30") == datetime(2026, 11, 23, 3, 30, tzinfo=UTC)
    assert disruptions.back_at(loket, "07:15") == datetime(2026, 11, 24, 0, 15, tzinfo=UTC)


def test_a_disruption_switched_on_by_another_process_stops_tickets_within_the_kept_seconds(loket, people):
    """Every ticket asks whether a disruption stops it, so the disruptions in force are kept in the process: a
    switch in this process applies at once (test above), one made by another process within `kept_seconds`."""
    issuing.issue(loket, KTP)  # the process now keeps "no disruption"
    with loket.store.engine.begin() as conn:  # another process switches the office off: nothing here hears of it
        conn.exec_driver_sql(
            "INSERT INTO disruptions (site, scope, reason, offers, started_at) "
            "VALUES ('', 'office', 'siak', '{\"ticket\": false, \"book\": true}', CURRENT_TIMESTAMP)"
        )
    loket.kept_seconds = 3600.0
    assert issuing.issue(loket, KTP).ticket.number == "B-002"  # kept: not yet known here
    loket.kept_seconds = 0  # ... the kept seconds have passed
    with pytest.raises(ServiceUnavailable) as stopped:
        issuing.issue(loket, KTP)
    assert stopped.value.code == "disrupted"
