"""Calling a specific number out of turn (logged with a reason, announced like any call), the queue a counter
sees, and the step timer that keeps waiting apart from service."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from loket.core.accounts import create_counter, create_user
from loket.core.errors import InvalidInput, NotAllowed
from loket.core.register import register_rows
from loket.core.reports import build_report
from loket.core.reports.compute import build_report_full
from loket.core.roles import Actor, Role
from loket.core.states import TicketState as S
from loket.core.store import EventRecord
from loket.core.tickets import flow, issuing, queue, views

KTP = "pencetakan-ktp-el"  # front desk 2 min, operator 3, hand-over


@pytest.fixture
def desk(loket):
    user = create_user(loket.store, loket.clock, "desk", "Desk Officer", "password123", [Role.PELAYANAN])
    one = create_counter(loket.store, "Loket 1", 1, [Role.PELAYANAN]).id
    return Actor(user.id, Role.PELAYANAN, one)


def test_a_specific_number_is_called_with_a_reason_announced_and_logged(loket, desk):
    first = issuing.issue(loket, KTP).ticket
    second = issuing.issue(loket, KTP).ticket
    out = queue.call_number(loket, desk, second.id, "missed_call", "  datang  terlambat ")
    assert out.ticket.state is S.CALLED and out.ticket.counter_name == "Loket 1"
    # the board hears it as a call; the reason stays in the log, never in what is published
    assert [e.kind for e in out.events] == ["ticket.called"]
    assert "note" not in out.events[0].payload and "reason" not in out.events[0].payload
    with loket.store.read() as s:
        logged = s.scalars(select(EventRecord).where(EventRecord.kind == queue.CALLED_BY_NUMBER)).one()
        assert logged.ticket_id == second.id and logged.officer_id == desk.user_id
        assert logged.payload["reason"] == "missed_call" and logged.payload["note"] == "datang terlambat"
    assert views.get(loket, second.id).visits[-1].called_at is not None
    rows = {r.number: r for r in register_rows(loket, loket.clock.today())}
    assert rows[second.number].calls_out_of_turn == ["08:00 Desk Officer: Terlewat saat dipanggil (datang terlambat)"]
    assert rows[first.number].calls_out_of_turn == []
    # the first still waits, and is the next one called
    assert queue.counter_queue(loket, desk)[0] == 1
    assert queue.call_next(loket, desk).ticket.id == first.id


def test_calling_a_number_needs_a_known_reason_and_a_waiting_ticket(loket, desk):
    t = issuing.issue(loket, KTP).ticket
    with pytest.raises(InvalidInput):
        queue.call_number(loket, desk, t.id, "because")
    with pytest.raises(InvalidInput):
        queue.call_number(loket, desk, t.id, "other", "   ")  # "other" needs the officer's words
    queue.call_number(loket, desk, t.id, "other", "kepala seksi minta")
    with pytest.raises(NotAllowed):
        queue.call_number(loket, desk, t.id, "missed_call")  # called already: recall it instead


def test_the_counter_queue_lists_numbers_in_calling_order_without_names(loket, desk):
    plain = issuing.issue(loket, KTP).ticket
    elder = issuing.issue(loket, KTP, priority="lansia").ticket
    count, waiting = queue.counter_queue(loket, desk)
    assert count == 2
    assert [w["number"] for w in waiting] == [elder.number, plain.number]  # priority first, as call_next
    assert waiting[0]["priority"] is True and waiting[1]["priority"] is False
    assert all("applicant" not in w and "name" not in w for w in waiting)
    assert queue.counter_queue(loket, Actor(desk.user_id, Role.PELAYANAN, None)) == (0, [])


def test_waiting_and_service_are_timed_apart(loket, desk):
    t = issuing.issue(loket, KTP).ticket
    loket.clock.advance(minutes=30)  # waits half an hour: the step's target is 2 minutes
    queue.call_next(loket, desk)
    loket.clock.advance(minutes=1)
    called = views.get(loket, t.id)
    assert called.step_wait_seconds == 31 * 60  # still waiting until the officer starts
    assert called.step_service_seconds is None
    assert called.overdue is False  # just called: not "over target"
    assert called.staff()["step_service_seconds"] is None
    flow.start(loket, desk, t.id)
    loket.clock.advance(minutes=1)
    serving = views.get(loket, t.id)
    assert serving.step_wait_seconds == 31 * 60 and serving.step_service_seconds == 60
    assert serving.overdue is False
    loket.clock.advance(minutes=2)
    assert views.get(loket, t.id).overdue is True  # 3 minutes of service against a 2-minute target
    flow.advance(loket, desk, t.id)
    visit = views.get(loket, t.id).visits[0]
    assert visit.wait_seconds == 30 * 60 and visit.service_seconds == 3 * 60
    # the reports: the step's waiting and its service apart, the target judged on the service alone
    for report in (build_report(loket, loket.clock.today()), build_report_full(loket, loket.clock.today())):
        step = next(r for r in report.steps if r.key == f"{KTP}#1")
        assert step.step_wait.mean == 30 * 60  # waiting: arrived -> called
        assert step.service.mean == 3 * 60  # service: started -> passed on
        assert (step.steps.within, step.steps.total) == (0, 1)
