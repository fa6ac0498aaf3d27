"""Counter work beyond the happy path: transfers, walk-ins, applicants' personal data and its purge."""

from __future__ import annotations

import pytest

from loket.core import admin as ops
from loket.core.accounts import create_counter, create_user
from loket.core.errors import IllegalTransition, NotAllowed
from loket.core.nik import InvalidNik
from loket.core.roles import Actor, Role
from loket.core.states import TicketState as S
from loket.core.tickets import flow, issuing, queue, views

KTP = "pencetakan-ktp-el"
NIK = "3273011205900001"


@pytest.fixture
def desks(loket):
    user = create_user(loket.store, loket.clock, "desk", "Desk Officer", "password123", [Role.PELAYANAN])
    op = create_user(loket.store, loket.clock, "op", "Operator", "password123", [Role.OPERATOR])
    ids = [create_counter(loket.store, f"Loket {i}", i, [Role.PELAYANAN]).id for i in (1, 2, 3)]
    actors = [Actor(user.id, Role.PELAYANAN, i) for i in ids]
    return actors, Actor(op.id, Role.OPERATOR, None)


def test_transfer_to_another_counter_only_that_counter_calls_it(loket, desks):
    (one, two, three), _ = desks
    first = issuing.issue(loket, KTP).ticket.id
    second = issuing.issue(loket, KTP).ticket.id
    assert queue.call_next(loket, one).ticket.id == first
    moved = flow.transfer(loket, one, first, counter_id=three.counter_id)
    assert moved.ticket.state is S.WAITING and moved.events[0].kind == "ticket.transferred"
    assert queue.call_next(loket, two).ticket.id == second  # Loket 2 does not take the transferred one
    assert queue.call_next(loket, three).ticket.id == first
    assert [v.outcome for v in views.get(loket, first).visits] == ["transferred", None]


def test_transfer_to_another_service_keeps_the_number(loket, desks):
    (one, *_), _ = desks
    t = issuing.issue(loket, KTP).ticket
    flow.start(loket, one, t.id)
    moved = flow.transfer(loket, one, t.id, service_code="penerbitan-kia").ticket
    assert moved.number == t.number and moved.service_code == "penerbitan-kia"
    assert [s["role"] for s in moved.steps] == ["pelayanan", "pendukung", "operator", "pelayanan"]
    with pytest.raises(NotAllowed):
        flow.transfer(loket, one, t.id)


def test_walk_in_is_issued_and_served_in_one_go(loket, desks):
    (one, *_), _ = desks
    out = issuing.serve_walk_in(loket, one, KTP, priority="lansia")
    assert out.ticket.state is S.SERVING and out.ticket.counter_name == "Loket 1"
    assert [e.kind for e in out.events] == ["ticket.issued", "ticket.started"]


def test_applicant_is_recorded_for_staff_only_and_never_in_events(loket, desks):
    (one, *_), operator = desks
    t = issuing.issue(loket, KTP).ticket.id
    with pytest.raises(IllegalTransition):
        flow.record_applicant(loket, one, t, "Siti Aminah", NIK)  # not being served yet
    flow.start(loket, one, t)
    with pytest.raises(InvalidNik):
        flow.record_applicant(loket, one, t, "Siti Aminah", "1234")
    with pytest.raises(NotAllowed):
        flow.record_applicant(loket, operator, t, "Siti Aminah", NIK)
    out = flow.record_applicant(loket, one, t, "  Siti   Aminah ", NIK)
    assert out.ticket.staff()["applicant"] == {"name": "Siti Aminah", "nik": NIK}
    assert "applicant" not in out.ticket.public() and NIK not in str(out.ticket.public())
    assert NIK not in str(out.events[0].payload) and "Siti" not in str(out.events[0].payload)
    assert NIK not in str(views.display_state(loket))


def test_personal_data_is_purged_after_the_retention_period(loket, desks, clock):
    (one, *_), _ = desks
    t = issuing.issue(loket, KTP).ticket.id
    flow.start(loket, one, t)
    flow.record_applicant(loket, one, t, "Budi", NIK)
    flow.cancel(loket, one, t, "resident left")
    clock.advance(days=10)
    assert ops.purge_applicants(loket, older_than_days=30) == 0
    clock.advance(days=30)
    assert ops.purge_applicants(loket, older_than_days=30) == 1
    view = views.get(loket, t)
    assert view.applicant is None and view.number.startswith("B-")  # the register row stays


def test_work_list_puts_overdue_berkas_first_and_times_the_step(loket, desks, clock):
    (one, *_), operator = desks
    first = issuing.issue(loket, KTP).ticket.id
    second = issuing.issue(loket, KTP).ticket.id
    flow.start(loket, one, first)
    flow.advance(loket, one, first)  # arrives at the operator at 0:00 and waits
    clock.advance(minutes=1)
    flow.start(loket, one, second)
    flow.advance(loket, one, second)  # arrives at 1:00
    clock.advance(minutes=1, seconds=30)
    flow.start(loket, operator, second)  # the operator picks up the newer one at 2:30
    clock.advance(minutes=2)  # 4:30: the older one has waited 4.5 min at a 3-minute step, but only waited
    listed = views.work_list(loket, Role.OPERATOR)
    assert [v.id for v in listed] == [first, second]  # oldest first: waiting is not "over target"
    assert not listed[0].overdue and listed[0].step_wait_seconds == 270 and listed[0].step_service_seconds is None
    assert not listed[1].overdue and listed[1].step_service_seconds == 120 and listed[1].step_wait_seconds == 90
    clock.advance(minutes=1, seconds=30)  # 6:00: the newer one has been worked on 3.5 min
    listed = views.work_list(loket, Role.OPERATOR)
    assert [v.id for v in listed] == [second, first]
    assert listed[0].overdue and listed[0].step_service_seconds == 210 and listed[0].step_elapsed_seconds == 210
    assert not listed[1].overdue and listed[1].step_elapsed_seconds == 360
    assert listed[0].staff()["step_target_minutes"] == 3 and listed[0].staff()["overdue"] is True


def _served_with_applicant(loket, desk):
    t = issuing.issue(loket, KTP).ticket.id
    flow.start(loket, desk, t)
    flow.record_applicant(loket, desk, t, "Budi", NIK)
    return t


def _left_in(loket, desk, state: str) -> int:
    """A berkas whose applicant was recorded, left in `state`."""
    t = _served_with_applicant(loket, desk)
    if state == "pending":
        flow.pend(loket, desk, t, "other", "menunggu tanda tangan")
    elif state == "returned":
        flow.return_for_documents(loket, desk, t, ["fotokopi-kk"])
    elif state == "no_show":
        flow.return_for_documents(loket, desk, t, ["fotokopi-kk"])
        flow.resume(loket, desk, t)
        assert queue.call_next(loket, desk).ticket.id == t
        for _ in range(views.get(loket, t).calls_before_no_show - 1):
            queue.recall(loket, desk, t)
        loket.clock.advance(minutes=loket.effective_settings.no_show_min_minutes)
        flow.no_show(loket, desk, t)
    elif state == "cancelled":
        flow.cancel(loket, desk, t, "resident left")
    elif state == "in_process":
        flow.advance(loket, desk, t)
    assert views.get(loket, t).state.value == state
    return t


@pytest.mark.parametrize("state", ["serving", "pending", "returned", "no_show", "in_process", "cancelled"])
def test_personal_data_of_every_berkas_is_purged_on_its_last_activity(loket, desks, clock, state):
    (one, *_), _ = desks
    t = _left_in(loket, one, state)
    clock.advance(days=31)
    assert ops.purge_applicants(loket, older_than_days=30) == 1
    assert views.get(loket, t).applicant is None
    assert views.get(loket, t).state.value == state  # the berkas itself stays


def test_a_berkas_touched_within_the_period_keeps_its_applicant(loket, desks, clock):
    (one, *_), _ = desks
    t = _left_in(loket, one, "pending")
    clock.advance(days=25)
    flow.resume(loket, one, t)  # activity on day 25: the period counts from here
    clock.advance(days=25)
    assert ops.purge_applicants(loket, older_than_days=30) == 0
    assert views.get(loket, t).applicant is not None
    clock.advance(days=6)
    assert ops.purge_applicants(loket, older_than_days=30) == 1


def test_the_head_of_office_changes_nothing_in_the_domain_either(loket):
    head = create_user(loket.store, loket.clock, "kadis", "Kepala Dinas", "password123", [Role.KEPALA])
    counter = create_counter(loket.store, "Loket 1", 1, [Role.PELAYANAN, Role.KEPALA])
    t = issuing.issue(loket, KTP).ticket.id
    for actor in (Actor(head.id, Role.KEPALA, None), Actor(head.id, Role.KEPALA, counter.id)):
        with pytest.raises(NotAllowed, match="hanya membaca"):
            flow.cancel(loket, actor, t, "coba")
        with pytest.raises(NotAllowed, match="hanya membaca"):
            queue.call_next(loket, actor)
    assert views.get(loket, t).state is S.WAITING


def test_the_documents_the_front_desk_ticked_travel_with_the_berkas(loket, desks, clock):
    (one, *_), operator = desks
    t = issuing.issue(loket, KTP).ticket.id
    assert views.get(loket, t).checked is None  # nothing ticked yet
    with pytest.raises(NotAllowed):  # only while the berkas is being served
        flow.check_documents(loket, one, t, ["fotokopi-kk"])
    flow.start(loket, one, t)
    with pytest.raises(NotAllowed):  # only documents of the service's list
        flow.check_documents(loket, one, t, ["ijazah"])
    flow.check_documents(loket, one, t, ["dokumen-perubahan-data"])
    ticked = flow.check_documents(loket, one, t, ["fotokopi-kk"])  # the last checklist counts
    assert ticked.events == []  # nothing for the boards
    flow.advance(loket, one, t)
    with pytest.raises(NotAllowed):  # the operator's step is not the front desk's
        flow.check_documents(loket, one, t, [])
    seen = views.get(loket, t).checked  # the operator opens the berkas: what was checked, by whom, when
    assert seen == {"have": ["fotokopi-kk"], "by": "Desk Officer", "at": clock.now().isoformat()}
    flow.start(loket, operator, t)
    assert flow.advance(loket, operator, t).ticket.checked == seen  # the hand-over desk sees it too
