"""What the kiosk may promise: hours, closures, quotas, blanko stock and the estimated wait."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from loket.core import admin as ops
from loket.core.accounts import create_counter, create_user
from loket.core.errors import InvalidInput, NotAllowed, NotFound, ServiceUnavailable
from loket.core.roles import Actor, Role
from loket.core.settings import office_settings
from loket.core.tickets import flow, issuing, queue

KTP = "pencetakan-ktp-el"
KIA = "penerbitan-kia"
WEEK = {d: {"open": "08:00", "close": "15:00"} for d in ("mon", "tue", "wed", "thu", "fri")}


@pytest.fixture
def admin(loket):
    user = create_user(loket.store, loket.clock, "admin", "Admin", "password123", [Role.ADMIN])
    return Actor(user.id, Role.ADMIN)


def overview(loket, code):
    return next(o for o in issuing.services_overview(loket) if o["code"] == code)


def test_quota_stops_issuing_with_a_plain_message(loket, admin):
    ops.update_settings(loket, admin, {"services": {KTP: {"quota": 2}}})
    issuing.issue(loket, KTP)
    assert overview(loket, KTP)["availability"]["remaining"] == 1
    issuing.issue(loket, KTP)
    state = overview(loket, KTP)["availability"]
    assert state["ok"] is False and state["reason"] == "quota_full" and state["remaining"] == 0
    with pytest.raises(ServiceUnavailable, match=r"Kuota .* sudah habis") as err:
        issuing.issue(loket, KTP)
    assert err.value.code == "quota_full"
    assert issuing.issue(loket, KIA).ticket.number.endswith("001")  # other services are unaffected


def test_quota_holds_under_concurrent_kiosks(loket, admin):
    ops.update_settings(loket, admin, {"services": {KTP: {"quota": 10}}})
    start = threading.Barrier(8)

    def kiosk(_):
        start.wait()
        ok = 0
        for _ in range(4):
            try:
                issuing.issue(loket, KTP)
                ok += 1
            except ServiceUnavailable:
                pass
        return ok

    with ThreadPoolExecutor(8) as pool:
        assert sum(pool.map(kiosk, range(8))) == 10


def test_closed_service_and_opening_hours(loket, admin, clock):
    ops.update_settings(loket, admin, {"services": {KIA: {"closed": True, "closed_reason": "Printer KIA rusak."}}})
    with pytest.raises(ServiceUnavailable, match=r"ditutup hari ini\. Printer KIA rusak\."):
        issuing.issue(loket, KIA)
    # The clock starts at 08:00 Monday in Jakarta.
    ops.update_settings(loket, admin, {"hours": WEEK})
    assert issuing.issue(loket, KTP).ticket
    clock.advance(hours=7)  # 15:00: closed for the day
    with pytest.raises(ServiceUnavailable, match="sudah ditutup pukul 15:00") as err:
        issuing.issue(loket, KTP)
    assert err.value.code == "outside_hours"
    clock.advance(hours=16, minutes=30)  # Tuesday 07:30
    with pytest.raises(ServiceUnavailable, match="dibuka pukul 08:00"):
        issuing.issue(loket, KTP)
    clock.advance(days=4, hours=1)  # Saturday 08:30
    with pytest.raises(ServiceUnavailable, match="tidak ada pelayanan"):
        issuing.issue(loket, KTP)


def test_blanko_status_is_shown_and_out_of_stock_means_suket(loket, admin):
    assert overview(loket, KTP)["blanko"] is None  # not tracked until the office sets it
    ops.update_settings(loket, admin, {"blanko_stock": 40})
    assert overview(loket, KTP)["blanko"]["out"] is False
    assert overview(loket, KIA)["blanko"] is None  # KIA does not use KTP-el blanks
    ops.update_settings(loket, admin, {"blanko_stock": 0})
    assert overview(loket, KTP)["blanko"]["out"] is True
    assert "Surat Keterangan" in issuing.blanko_notice(loket, KTP)["id"]
    assert issuing.issue(loket, KTP).ticket  # the ticket is still issued: the resident gets a Suket


def test_settings_are_admin_only_validated_and_audited(loket, admin):
    desk = create_user(loket.store, loket.clock, "desk", "Desk", "password123", [Role.PELAYANAN])
    with pytest.raises(NotAllowed):
        ops.update_settings(loket, Actor(desk.id, Role.PELAYANAN), {"blanko_stock": 5})
    with pytest.raises(InvalidInput):
        ops.update_settings(loket, admin, {"hours": {"mon": {"open": "15:00", "close": "08:00"}}})
    with pytest.raises(InvalidInput):
        ops.update_settings(loket, admin, {"hours": {"funday": {"open": "08:00", "close": "09:00"}}})
    with pytest.raises(NotFound):
        ops.update_settings(loket, admin, {"services": {"no-such": {"quota": 1}}})
    assert office_settings(loket.store).blanko_stock is None  # nothing half-saved
    out = ops.update_settings(loket, admin, {"blanko_stock": 12, "running_text": "Selamat datang"})
    assert out[0].kind == "settings.changed"
    assert out[0].payload["changed"] == ["blanko_stock", "running_text"]


def test_estimate_uses_sop_targets_then_real_service_times(loket, clock):
    user = create_user(loket.store, loket.clock, "desk", "Desk", "password123", [Role.PELAYANAN])
    desk = Actor(user.id, Role.PELAYANAN, create_counter(loket.store, "Loket 1", 1, [Role.PELAYANAN]).id)
    for _ in range(4):
        issuing.issue(loket, KTP)
    first = overview(loket, KTP)
    assert (first["ahead"], first["estimate_minutes"], first["estimate_basis"]) == (4, 8, "sop")  # 4 x 2 min
    for _ in range(3):  # three residents served in 6 minutes each
        t = queue.call_next(loket, desk).ticket.id
        flow.start(loket, desk, t)
        clock.advance(minutes=6)
        flow.advance(loket, desk, t)
    later = overview(loket, KTP)
    assert (later["ahead"], later["estimate_minutes"], later["estimate_basis"]) == (1, 6, "history")


def test_services_sharing_a_queue_show_the_same_wait(loket):
    """Issue 15: one person ahead at the front desk read as 2, 3, 5 and 10 minutes on four tiles.

    The person ahead takes their own service's time (KIA: no target, 5 minutes by default), whichever
    tile a resident looks at; a service with another first desk keeps its own queue.
    """
    issuing.issue(loket, KIA)
    seen = issuing.services_overview(loket)
    front = {o["code"]: o for o in seen if loket.catalog.get(o["code"]).steps[0].role == Role.PELAYANAN}
    assert {KTP, KIA, "dokumen-hilang-rusak", "permohonan-akta-kelahiran"} <= set(front)
    assert {(o["ahead"], o["estimate_minutes"], o["estimate_basis"]) for o in front.values()} == {(1, 5, "sop")}
    issuing.issue(loket, "permohonan-akta-kelahiran")  # 10 minutes at the desk: (5 + 10) for two people
    seen = issuing.services_overview(loket)
    assert {o["estimate_minutes"] for o in seen if o["code"] in front} == {15}
    others = [o for o in seen if o["code"] not in front]
    assert all(o["ahead"] == 0 and o["estimate_minutes"] == 0 for o in others)
