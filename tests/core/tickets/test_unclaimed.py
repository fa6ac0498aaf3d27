"""Voided tickets nobody held: out of the queue and the quota count, shown as voided in status and reports."""

from __future__ import annotations

import pytest

from loket.core import admin as ops
from loket.core.accounts import create_user
from loket.core.errors import NotAllowed, ServiceUnavailable
from loket.core.reports import build_report
from loket.core.roles import Actor, Role
from loket.core.tickets import issuing, unclaimed, views

KTP = "pencetakan-ktp-el"


@pytest.fixture
def desk(loket):
    user = create_user(loket.store, loket.clock, "ani", "Ani", "password123", [Role.PELAYANAN, Role.ADMIN])
    return Actor(user.id, Role.PELAYANAN)


def test_a_voided_ticket_leaves_the_queue_and_the_quota_and_reports_say_voided(loket, desk):
    ops.update_settings(loket, Actor(desk.user_id, Role.ADMIN), {"services": {KTP: {"quota": 2}}})
    first = issuing.issue(loket, KTP).ticket
    issuing.issue(loket, KTP)
    with pytest.raises(ServiceUnavailable):
        issuing.issue(loket, KTP)  # the quota is used up
    outcome = unclaimed.void(loket, desk, first.id, "diambil beruntun")
    assert outcome.events[0].kind == "ticket.voided" and outcome.events[0].public
    status = views.public_status(loket, first.number, first.status_code)
    assert status["state"] == "voided" and status["state_label"]["en"] == "Voided by staff (not collected)"
    assert [t["number"] for t in unclaimed.unclaimed(loket, desk)] == ["B-002"]
    # the place comes back under the quota: B-003 is issued
    assert issuing.issue(loket, KTP).ticket.number == "B-003"
    total = build_report(loket, loket.clock.today()).as_dict()["total"]
    assert total["issued"] == 3 and total["states"]["voided"] == 1 and total["states"]["waiting"] == 2


def test_the_head_of_office_only_reads(loket):
    user = create_user(loket.store, loket.clock, "kepala", "Kepala", "password123", [Role.KEPALA])
    ticket = issuing.issue(loket, KTP).ticket
    with pytest.raises(NotAllowed):
        unclaimed.void(loket, Actor(user.id, Role.KEPALA), ticket.id, "x")
    with pytest.raises(NotAllowed):
        unclaimed.unclaimed(loket, Actor(user.id, Role.KEPALA))
