"""The kiosk's services overview, a few grouped queries for all services, says what service-by-service queries say."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from loket.core import admin as ops
from loket.core.accounts import create_counter, create_user
from loket.core.clock import FrozenClock
from loket.core.roles import Actor, Role
from loket.core.tickets import flow, issuing, queue, unclaimed

from .overview_reference import services_overview as reference

KTP = "pencetakan-ktp-el"  # first step 2 min in the SOP
KIA = "penerbitan-kia"  # first step without a target: the default 5 min
HILANG = "dokumen-hilang-rusak"  # first step 3 min
REKAM = "perekaman-ktp-el"  # second step at an operator's counter, the resident present
AKTA = "permohonan-akta-kelahiran"
WEEK = {d: {"open": "08:00", "close": "15:00"} for d in ("mon", "tue", "wed", "thu", "fri")}


@pytest.fixture
def clock():
    # 08:00 in Jakarta on Thursday 5 November 2026: 18 days before the Monday the overview is asked on.
    return FrozenClock(datetime(2026, 11, 5, 1, 0, tzinfo=UTC))


def staff(loket, name, role, services=()):
    user = create_user(loket.store, loket.clock, name, name, "password123", [role])
    return Actor(user.id, role, create_counter(loket.store, f"Loket {name}", user.id, [role], services).id)


def serve_first_steps(loket, clock, desk, code, minutes):
    """Issue and serve one ticket of the service per duration, each first step taking that many minutes."""
    for m in minutes:
        issuing.issue(loket, code)
        ticket = queue.call_next(loket, desk).ticket.id
        flow.start(loket, desk, ticket)
        clock.advance(minutes=m)
        flow.advance(loket, desk, ticket)


def service_bases(loket):
    """Where each service's own time at its first desk comes from (history or its SOP)."""
    codes = [sop.code for sop in loket.catalog]
    with loket.store.read() as s:
        recent = queue.recent_first_steps(loket, s, codes)
    return {sop.code: queue.service_minutes(sop, recent.get(sop.code, ()))[1] for sop in loket.catalog}


def assert_same_as_reference(loket):
    new = issuing.services_overview(loket)
    assert new == reference(loket)
    for item in new:  # GET /api/services/<code>
        assert issuing.services_overview(loket, item["code"]) == [item]
    return {o["code"]: o for o in new}


def test_grouped_overview_agrees_with_the_per_service_queries_in_every_state(loket, clock):
    admin = Actor(create_user(loket.store, loket.clock, "admin", "Admin", "password123", [Role.ADMIN]).id, Role.ADMIN)
    desk_ktp = staff(loket, "ktp", Role.PELAYANAN, [KTP])
    desk_kia = staff(loket, "kia", Role.PELAYANAN, [KIA])
    desk_hilang = staff(loket, "hilang", Role.PELAYANAN, [HILANG])
    desk_akta = staff(loket, "akta", Role.PELAYANAN, [AKTA])
    desk_rekam = staff(loket, "rekam", Role.PELAYANAN, [REKAM])
    operator = staff(loket, "operator", Role.OPERATOR)

    # 18 days before: KIA's first steps, too old to count by then.
    serve_first_steps(loket, clock, desk_kia, KIA, [4, 5, 6])
    # 10 days before (a Friday): three of HILANG, and KTP's slow ones that its last 30 will push out.
    clock.advance(days=8)
    serve_first_steps(loket, clock, desk_hilang, HILANG, [7, 8, 11])
    serve_first_steps(loket, clock, desk_ktp, KTP, [20, 25, 30, 35, 40])
    # Yesterday (Sunday): tickets left waiting, and a counter that called only yesterday.
    clock.advance(days=9)
    for _ in range(4):
        issuing.issue(loket, KTP)
    for _ in range(2):
        issuing.issue(loket, AKTA)
    assert queue.call_next(loket, desk_akta).ticket
    assert_same_as_reference(loket)

    # Today, Monday 08:00 (the clock moved on by the services above; back to 08:00 sharp).
    now = clock.now()
    clock.advance(days=1, hours=8 - clock.local(now).hour, minutes=-clock.local(now).minute)
    assert clock.local(clock.now()).strftime("%a %H:%M") == "Mon 08:00"
    serve_first_steps(loket, clock, desk_ktp, KTP, [1 + i % 5 for i in range(32)])
    serve_first_steps(loket, clock, desk_kia, KIA, [3, 9])
    serve_first_steps(loket, clock, desk_rekam, REKAM, [2, 4])  # both now wait for an operator
    assert queue.call_next(loket, operator).ticket
    waiting_ktp = [issuing.issue(loket, KTP, priority).ticket for priority in (None, "lansia", None, "ibu_hamil", None)]
    unclaimed.void(loket, desk_ktp, waiting_ktp[2].id, "salah")
    for priority in (None, "disabilitas", None):
        issuing.issue(loket, AKTA, priority)
    for _ in range(3):
        issuing.issue(loket, KIA)
    seen = assert_same_as_reference(loket)
    basis = service_bases(loket)  # each service's own time (a queue's estimate mixes the services in it)
    assert basis[KTP] == "history"  # its last 30 of today, not the slow ones of 10 days ago
    assert basis[KIA] == "sop"  # two today, three too old
    assert basis[HILANG] == "history"  # three of 10 days ago
    assert seen[KTP]["estimate_basis"] == "sop"  # KIA and AKTA wait in the same queue, with SOP times only
    assert seen[REKAM]["waiting"] == 1 and seen[KTP]["ahead"] > seen[KTP]["waiting"]  # ahead: every pelayanan ticket

    # Quotas (one reached, counting the voided ticket out), closures with and without a reason, blanko.
    issued_ktp = seen[KTP]["availability"]["issued_today"]
    rules = {
        KTP: {"quota": issued_ktp},
        AKTA: {"quota": 50},
        KIA: {"closed": True, "closed_reason": "Printer KIA rusak."},
        "pengakuan-anak": {"closed": True},
    }
    ops.update_settings(loket, admin, {"services": rules, "blanko_stock": 0})
    seen = assert_same_as_reference(loket)
    assert seen[KTP]["availability"]["reason"] == "quota_full"
    assert (
        seen[AKTA]["availability"]["ok"] is True and seen[AKTA]["availability"]["remaining"] == 50 - 3
    )  # yesterday's two not counted
    assert seen[KIA]["availability"]["reason"] == "closed"

    ops.update_settings(loket, admin, {"hours": WEEK, "blanko_stock": 40})
    assert_same_as_reference(loket)  # within the hours
    clock.advance(hours=15 - clock.local(clock.now()).hour)  # 15:xx: closed for the day
    assert assert_same_as_reference(loket)[AKTA]["availability"]["reason"] == "outside_hours"
    clock.advance(hours=16)  # Tuesday before 08:00: a new day, yesterday's queue no longer counts
    assert assert_same_as_reference(loket)[AKTA]["ahead"] == 0
    clock.advance(days=4, hours=2)  # Saturday: no service; HILANG's history is now 15 days old
    seen = assert_same_as_reference(loket)
    assert service_bases(loket)[HILANG] == "sop"
    assert seen[AKTA]["availability"]["reason"] == "outside_hours"
