"""Fairness to residents (issue 15), on SQLite and PostgreSQL, with a frozen clock:

- no-show only after the office's number of calls AND its minimum minutes since the first call;
- a resumed pended berkas goes to the front of its step's queue (or to the counter where it was pended);
- a returned resident back with the missing documents goes to the front, the same or a later day;
- a no-show who turns up late joins the back.
"""

from __future__ import annotations

import pytest

from loket.core.accounts import create_counter, create_user
from loket.core.errors import NotAllowed
from loket.core.roles import Actor, Role
from loket.core.settings import OfficeSettings, write_settings
from loket.core.states import TicketState as S
from loket.core.status import ticket_status
from loket.core.tickets import flow, issuing, queue, views

KTP = "pencetakan-ktp-el"
HILANG = "dokumen-hilang-rusak"


@pytest.fixture
def desks(loket):
    """Two front-desk counters (Loket 1, Loket 2) with one officer each."""
    one = create_user(loket.store, loket.clock, "desk1", "Officer One", "password123", [Role.PELAYANAN])
    two = create_user(loket.store, loket.clock, "desk2", "Officer Two", "password123", [Role.PELAYANAN])
    c1 = create_counter(loket.store, "Loket 1", 1, [Role.PELAYANAN])
    c2 = create_counter(loket.store, "Loket 2", 2, [Role.PELAYANAN])
    return Actor(one.id, Role.PELAYANAN, c1.id), Actor(two.id, Role.PELAYANAN, c2.id)


def office(loket, **values) -> None:
    with loket.store.transaction() as s:
        write_settings(s, OfficeSettings.model_validate(values), loket.clock.now(), None)


def issue(loket, code=KTP, priority=None) -> int:
    loket.clock.advance(seconds=30)  # residents arrive one after another
    return issuing.issue(loket, code, priority).ticket.id


def order_called(loket, desk, n: int) -> list[int]:
    """Who the counter calls next, n times (each call served and finished at once)."""
    out = []
    for _ in range(n):
        called = queue.call_next(loket, desk).ticket
        assert called is not None
        out.append(called.id)
        flow.start(loket, desk, called.id)
        flow.pend(loket, desk, called.id, "other", "test: out of the way")
    return out


# ---- no-show spacing ------------------------------------------------------------------------


def test_no_show_is_refused_until_the_minimum_minutes_since_the_first_call(loket, desks, clock):
    desk, _ = desks
    t = issue(loket)
    assert queue.call_next(loket, desk).ticket.id == t  # first call at 08:00:30 Jakarta
    first = clock.now()
    clock.advance(seconds=10)
    queue.recall(loket, desk, t)
    clock.advance(seconds=10)
    queue.recall(loket, desk, t)  # three calls within 20 s: the walk's resident in the toilet
    with pytest.raises(NotAllowed, match=r"mulai pukul 08:03 \(3 menit setelah panggilan pertama\)") as refused:
        flow.no_show(loket, desk, t)
    assert refused.value.code == "no_show_too_early"
    view = views.get(loket, t)
    assert view.state is S.CALLED and view.no_show_from is not None
    assert (view.no_show_from - first).total_seconds() == 180
    assert view.staff()["no_show_from"] == view.no_show_from.isoformat()
    clock.advance(seconds=180 - 20 - 1)  # one second short of three minutes
    with pytest.raises(NotAllowed, match="mulai pukul 08:03"):
        flow.no_show(loket, desk, t)
    clock.advance(seconds=1)
    assert flow.no_show(loket, desk, t).ticket.state is S.NO_SHOW


def test_the_office_sets_the_calls_and_the_minutes(loket, desks, clock):
    desk, _ = desks
    office(loket, calls_before_no_show=2, no_show_min_minutes=5)
    t = issue(loket)
    queue.call_next(loket, desk)
    clock.advance(minutes=6)
    with pytest.raises(NotAllowed, match="Panggil 2 kali"):  # the time passed, but one call is not enough
        flow.no_show(loket, desk, t)
    queue.recall(loket, desk, t)
    assert flow.no_show(loket, desk, t).ticket.state is S.NO_SHOW

    u = issue(loket)
    queue.call_next(loket, desk)
    queue.recall(loket, desk, u)
    clock.advance(minutes=4, seconds=59)
    with pytest.raises(NotAllowed, match="5 menit setelah panggilan pertama"):
        flow.no_show(loket, desk, u)
    clock.advance(seconds=1)
    assert flow.no_show(loket, desk, u).ticket.state is S.NO_SHOW

    office(loket, calls_before_no_show=1, no_show_min_minutes=0)  # 0: no minimum
    w = issue(loket)
    queue.call_next(loket, desk)
    assert flow.no_show(loket, desk, w).ticket.state is S.NO_SHOW


def test_a_call_at_an_earlier_step_does_not_count_for_the_next_step(loket, desks, clock):
    """The minutes run from this step's first call (the hand-over is called anew)."""
    desk, _ = desks
    office(loket, calls_before_no_show=1, no_show_min_minutes=3)
    t = issue(loket)
    queue.call_next(loket, desk)
    clock.advance(minutes=10)
    flow.start(loket, desk, t)
    flow.pend(loket, desk, t, "other")
    flow.resume(loket, desk, t)
    queue.call_next(loket, desk)
    with pytest.raises(NotAllowed, match="3 menit"):
        flow.no_show(loket, desk, t)


# ---- resuming a pended berkas ---------------------------------------------------------------


def test_a_resumed_pended_berkas_goes_to_the_front_of_its_step_s_queue(loket, desks, clock):
    desk, _ = desks
    first = issue(loket)
    queue.call_next(loket, desk)
    flow.start(loket, desk, first)
    flow.pend(loket, desk, first, "network_down")  # SIAK is down: no fault of the resident's
    later = [issue(loket), issue(loket, priority="lansia"), issue(loket)]
    clock.advance(minutes=20)
    back = flow.resume(loket, desk, first).ticket
    assert back.state is S.WAITING
    assert views.get(loket, first).ahead == 0  # nobody before them
    assert order_called(loket, desk, 4) == [first, later[1], later[0], later[2]]


def test_two_resumed_berkas_keep_the_order_they_were_resumed_in(loket, desks, clock):
    desk, _ = desks
    a, b = issue(loket), issue(loket)
    for t in (a, b):
        queue.call_next(loket, desk)
        flow.start(loket, desk, t)
        flow.pend(loket, desk, t, "not_in_siak")
    waiting = issue(loket)
    flow.resume(loket, desk, b)
    clock.advance(seconds=5)
    flow.resume(loket, desk, a)
    assert order_called(loket, desk, 3) == [b, a, waiting]


def test_the_office_may_send_a_resumed_berkas_back_to_the_counter_that_pended_it(loket, desks, clock):
    one, two = desks
    office(loket, resume_to="same_counter")
    t = issue(loket)
    queue.call_next(loket, one)
    flow.start(loket, one, t)
    flow.pend(loket, one, t, "data_problem")
    other = issue(loket)
    flow.resume(loket, one, t)
    assert queue.call_next(loket, two).ticket.id == other  # Loket 2 does not take it
    assert queue.call_next(loket, one).ticket.id == t  # Loket 1, which pended it, calls it first


def test_a_late_no_show_joins_the_back(loket, desks, clock):
    desk, _ = desks
    office(loket, calls_before_no_show=1, no_show_min_minutes=0)
    t = issue(loket)
    queue.call_next(loket, desk)
    flow.no_show(loket, desk, t)
    others = [issue(loket), issue(loket)]
    clock.advance(seconds=10)
    flow.resume(loket, desk, t)
    assert order_called(loket, desk, 3) == [*others, t]


# ---- a returned resident comes back ---------------------------------------------------------


@pytest.mark.parametrize("later_day", [False, True])
def test_a_returned_resident_back_with_the_documents_goes_to_the_front(loket, desks, clock, later_day):
    desk, _ = desks
    t = issue(loket, HILANG)
    queue.call_next(loket, desk)
    flow.start(loket, desk, t)
    out = flow.return_for_documents(loket, desk, t, ["surat-kehilangan-polisi"], "bawa surat polisi")
    assert out.ticket.state is S.RETURNED and out.ticket.missing == ["surat-kehilangan-polisi"]
    if later_day:
        clock.advance(days=1)
    others = [issue(loket), issue(loket, priority="ibu_hamil"), issue(loket)]
    clock.advance(minutes=45)  # home and back with the police letter
    back = flow.resume(loket, desk, t).ticket  # the slip's QR scanned at the front desk
    assert back.state is S.WAITING and back.step_index == 0
    assert views.get(loket, t).ahead == 0
    status = ticket_status(loket, views.get(loket, t).status_code).data
    assert (status["state"], status["ahead"], status["today"]) == ("waiting", 0, True)  # not "for another day"
    assert order_called(loket, desk, 4) == [t, others[1], others[0], others[2]]
