"""The operations on a berkas, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from loket.core.accounts import create_counter, create_user
from loket.core.catalog import Catalog
from loket.core.context import Policy
from loket.core.errors import IllegalTransition, InvalidCode, NotAllowed, NotFound
from loket.core.qr import CodeSigner
from loket.core.roles import Actor, Role
from loket.core.service import Loket
from loket.core.states import TicketState as S
from loket.core.store import Ticket
from loket.core.tickets import flow, issuing, queue, views

KTP = "pencetakan-ktp-el"


@pytest.fixture
def staff(loket):
    """One officer per role, a front-desk loket and a back-office room."""
    users = {
        role: create_user(loket.store, loket.clock, role.value, f"Officer {role.value}", "password123", [role])
        for role in Role
    }
    desk = create_counter(loket.store, "Loket 1", 1, [Role.PELAYANAN, Role.PENDUKUNG])
    desk2 = create_counter(loket.store, "Loket 2", 2, [Role.PELAYANAN])
    back = create_counter(loket.store, "Ruang Operator", 9, [Role.OPERATOR])
    return {
        "users": users,
        "desk": Actor(users[Role.PELAYANAN].id, Role.PELAYANAN, desk.id),
        "desk2": Actor(users[Role.PELAYANAN].id, Role.PELAYANAN, desk2.id),
        "operator": Actor(users[Role.OPERATOR].id, Role.OPERATOR, back.id),
        "scan": Actor(users[Role.SCAN].id, Role.SCAN, None),
        "admin": Actor(users[Role.ADMIN].id, Role.ADMIN, None),
    }


def test_numbers_count_from_one_per_prefix_and_day(loket, clock):
    a = issuing.issue(loket, KTP).ticket
    b = issuing.issue(loket, KTP).ticket
    other = issuing.issue(loket, "penerbitan-kia").ticket
    assert (a.number, b.number) == ("B-001", "B-002")
    assert other.number.endswith("-001") and other.number[0] != "B"
    clock.advance(days=1)
    c = issuing.issue(loket, KTP).ticket
    assert c.number == "B-001"
    # yesterday's tickets are kept, not deleted
    with loket.store.read() as s:
        assert s.query(Ticket).count() == 4


def test_issue_records_the_first_step_and_place_in_queue(loket):
    first = issuing.issue(loket, KTP).ticket
    second = issuing.issue(loket, KTP).ticket
    assert first.state is S.WAITING and first.current_role == "pelayanan"
    assert (first.ahead, second.ahead) == (0, 1)
    assert first.steps[1]["role"] == "operator" and first.steps[1]["target_minutes"] == 3


def test_issue_unknown_service_or_priority_is_refused(loket):
    with pytest.raises(NotFound):
        issuing.issue(loket, "no-such-service")
    with pytest.raises(ValueError):
        issuing.issue(loket, KTP, priority="vip")


def test_full_ktp_printing_flow_with_timed_steps(loket, staff, clock):
    issued = issuing.issue(loket, KTP)
    assert [e.kind for e in issued.events] == ["ticket.issued"]
    clock.advance(minutes=4)
    called = queue.call_next(loket, staff["desk"])
    assert called.ticket.number == issued.ticket.number and called.ticket.state is S.CALLED
    assert called.events[0].payload["counter"] == "Loket 1" and called.events[0].payload["counter_number"] == 1
    t = called.ticket.id
    flow.start(loket, staff["desk"], t)
    clock.advance(minutes=2)
    after_desk = flow.advance(loket, staff["desk"], t).ticket
    assert after_desk.state is S.IN_PROCESS and after_desk.current_role == "operator"
    assert [v.id for v in views.work_list(loket, Role.OPERATOR)] == [t]
    flow.start(loket, staff["operator"], t)
    clock.advance(minutes=5)  # over the 3-minute target
    ready = flow.advance(loket, staff["operator"], t)
    assert ready.ticket.state is S.READY and ready.events[0].kind == "ticket.ready"
    again = queue.call_next(loket, staff["desk2"]).ticket
    assert again.id == t and again.counter_name == "Loket 2"
    flow.start(loket, staff["desk2"], t)
    done = flow.hand_over(loket, staff["desk2"], t)
    assert done.ticket.state is S.DONE and done.events[0].kind == "ticket.done"
    visits = views.get(loket, t).visits
    assert [(v.role, v.outcome) for v in visits] == [
        ("pelayanan", "advanced"),
        ("operator", "advanced"),
        ("pelayanan", "advanced"),
    ]
    assert visits[0].service_seconds == 120 and visits[0].within_target is True
    assert visits[1].service_seconds == 300 and visits[1].within_target is False
    assert visits[0].called_at is not None and visits[0].counter == "Loket 1"
    assert visits[1].officer == "Officer operator"


def test_priority_first_but_regular_tickets_are_not_starved(loket, staff, clock):
    regular = issuing.issue(loket, KTP).ticket
    clock.advance(minutes=5)
    lansia = issuing.issue(loket, KTP, priority="lansia").ticket
    assert lansia.ahead == 0  # a priority ticket goes ahead of a 5-minute-old regular one
    assert queue.call_next(loket, staff["desk"]).ticket.id == lansia.id
    # A regular ticket that has waited longer than the head start goes before a new priority one.
    old = issuing.issue(loket, KTP).ticket
    clock.advance(minutes=31)
    late_priority = issuing.issue(loket, KTP, priority="ibu_hamil").ticket
    order = [queue.call_next(loket, staff["desk2"]).ticket.id for _ in range(3)]
    assert order == [regular.id, old.id, late_priority.id]


def test_call_next_respects_role_and_counter_services(loket, staff, catalog):
    create_counter(loket.store, "Loket KIA", 3, [Role.PELAYANAN], services=["penerbitan-kia"])
    kia_desk = Actor(staff["desk"].user_id, Role.PELAYANAN, 4)
    issuing.issue(loket, KTP)
    assert queue.call_next(loket, kia_desk).ticket is None
    assert queue.call_next(loket, staff["operator"]).ticket is None  # operators are not called from the hall
    kia = issuing.issue(loket, "penerbitan-kia").ticket
    assert queue.call_next(loket, kia_desk).ticket.id == kia.id


def test_wrong_role_is_refused_and_nothing_changes(loket, staff):
    t = issuing.issue(loket, KTP).ticket.id
    with pytest.raises(NotAllowed):
        flow.start(loket, staff["operator"], t)
    with pytest.raises(NotAllowed):  # user does not hold the role it claims
        flow.start(loket, Actor(staff["operator"].user_id, Role.PELAYANAN, None), t)
    with pytest.raises(NotAllowed):  # counter does not serve the role
        queue.call_next(loket, Actor(staff["operator"].user_id, Role.OPERATOR, staff["desk"].counter_id))
    assert views.get(loket, t).state is S.WAITING


def test_illegal_transition_raises_and_changes_nothing(loket, staff):
    t = issuing.issue(loket, KTP).ticket.id
    with pytest.raises(IllegalTransition):
        flow.advance(loket, staff["desk"], t)
    with pytest.raises(IllegalTransition):
        flow.no_show(loket, staff["desk"], t)
    with pytest.raises(IllegalTransition):
        flow.resume(loket, staff["desk"], t)
    flow.start(loket, staff["desk"], t)
    with pytest.raises(IllegalTransition):
        flow.resume(loket, staff["desk"], t)  # a berkas being served is not "resumed" back into the queue
    view = views.get(loket, t)
    assert view.state is S.SERVING and view.step_index == 0 and len(view.visits) == 1


def test_recall_counts_calls_and_no_show(loket, staff, clock):
    issuing.issue(loket, KTP)
    t = queue.call_next(loket, staff["desk"]).ticket.id
    out = queue.recall(loket, staff["desk"], t)
    assert out.ticket.call_count == 2 and out.events[0].payload["recall"] is True
    with pytest.raises(NotAllowed):
        queue.recall(loket, staff["desk2"], t)  # called at Loket 1, not Loket 2
    with pytest.raises(NotAllowed, match="Panggil 3 kali"):
        flow.no_show(loket, staff["desk"], t)  # the office's rule: three calls first
    queue.recall(loket, staff["desk"], t)
    clock.advance(minutes=3)  # the calls spread over the office's minimum minutes (tests/core/tickets/test_fairness.py)
    gone = flow.no_show(loket, staff["desk"], t)
    assert gone.ticket.state is S.NO_SHOW
    back = flow.resume(loket, staff["desk"], t)  # the resident turned up late
    assert back.ticket.state is S.WAITING


def test_pend_and_resume_in_the_back_office(loket, staff):
    t = issuing.issue(loket, KTP).ticket.id
    flow.start(loket, staff["desk"], t)
    flow.advance(loket, staff["desk"], t)
    pended = flow.pend(loket, staff["operator"], t, "network_down", "SIAK offline")
    assert pended.ticket.state is S.PENDING and pended.ticket.pending_reason == "network_down"
    assert pended.ticket.public()["pending_label"]["id"] == "Jaringan terganggu"
    with pytest.raises(ValueError):
        flow.pend(loket, staff["operator"], t, "bored")
    resumed = flow.resume(loket, staff["operator"], t)
    assert resumed.ticket.state is S.IN_PROCESS and resumed.ticket.pending_reason is None
    outcomes = [v.outcome for v in views.get(loket, t).visits]
    assert outcomes == ["advanced", "pended", None]


def test_return_for_missing_documents_restarts_at_reception(loket, staff):
    t = issuing.issue(loket, "dokumen-hilang-rusak").ticket.id
    flow.start(loket, staff["desk"], t)
    with pytest.raises(NotAllowed):
        flow.return_for_documents(loket, staff["desk"], t, ["not-a-requirement"])
    returned = flow.return_for_documents(loket, staff["desk"], t, ["surat-kehilangan-polisi"], "no police letter")
    assert returned.ticket.state is S.RETURNED and returned.ticket.missing == ["surat-kehilangan-polisi"]
    back = flow.resume(loket, staff["desk"], t).ticket
    assert back.state is S.WAITING and back.step_index == 0 and back.missing == []


def test_cancel_closes_and_final_states_accept_nothing(loket, staff):
    t = issuing.issue(loket, KTP).ticket.id
    out = flow.cancel(loket, staff["desk"], t, "resident left")
    assert out.ticket.state is S.CANCELLED and out.ticket.closed_at is not None
    with pytest.raises(IllegalTransition):
        flow.start(loket, staff["desk"], t)
    with pytest.raises(IllegalTransition):
        flow.cancel(loket, staff["admin"], t)


def test_find_by_signed_code_or_number(loket):
    t = issuing.issue(loket, KTP).ticket
    assert views.find(loket, t.code).id == t.id
    assert views.find(loket, "b1").id == t.id and views.find(loket, "B-001").id == t.id
    forged = t.code[:-3] + ("AAA" if not t.code.endswith("AAA") else "BBB")
    with pytest.raises(InvalidCode, match="tidak sah"):
        views.find(loket, forged)
    edited = t.code.replace(":B-001", ":B-002")
    with pytest.raises(InvalidCode):
        views.find(loket, edited)
    elsewhere = CodeSigner("other-secret", "other-office").sign(t.id, t.service_day, t.number)
    with pytest.raises(InvalidCode, match="kantor lain"):
        views.find(loket, elsewhere)
    with pytest.raises(NotFound):
        views.find(loket, "B-999")


def test_public_status_holds_no_staff_or_personal_fields(loket, staff):
    t = issuing.issue(loket, KTP, priority="disabilitas").ticket
    queue.call_next(loket, staff["desk"])
    public = views.public_status(loket, t.number, t.status_code)  # as its holder asks
    assert public["state"] == "called" and public["counter"] == "Loket 1"
    assert public["priority"] is True
    assert not {"id", "code", "visits", "priority_reason", "state_note", "missing"} & set(public)


def test_display_state_has_recent_calls_and_each_counter(loket, staff):
    issuing.issue(loket, KTP)
    issuing.issue(loket, KTP)
    queue.call_next(loket, staff["desk"])
    queue.call_next(loket, staff["desk2"])
    state = views.display_state(loket)
    assert [c["number"] for c in state["calls"]] == ["B-002", "B-001"]
    by_counter = {c["counter"]: c["number"] for c in state["counters"]}
    assert by_counter["Loket 1"] == "B-001" and by_counter["Loket 2"] == "B-002"
    assert by_counter["Ruang Operator"] is None
    # a berkas worked in the back office never sends anyone in the hall to that room
    t = issuing.issue(loket, KTP).ticket.id
    flow.start(loket, staff["desk"], t)
    flow.advance(loket, staff["desk"], t)
    flow.start(loket, staff["operator"], t)
    assert {c["counter"]: c["number"] for c in views.display_state(loket)["counters"]}["Ruang Operator"] is None


def test_a_ticket_keeps_the_steps_it_was_issued_with_when_the_sop_changes(loket, store, catalog, clock, staff):
    akta = catalog.get("permohonan-akta-kelahiran")
    issued = issuing.issue(loket, akta.code).ticket
    # The office cuts the SOP to its first step; tickets already issued must not notice.
    cut = Catalog(tuple(s.model_copy(update={"steps": s.steps[:1]}) if s.code == akta.code else s for s in catalog))
    loket.install_catalog(cut)
    assert len(issuing.issue(loket, akta.code).ticket.steps) == 1

    six = [s.role.value for s in akta.steps]
    assert len(six) == 6
    # Read back from the database: by this process, and by another one that only knows the cut SOP.
    assert [s["role"] for s in views.get(loket, issued.id).steps] == six
    elsewhere = Loket(store, cut, CodeSigner("test-secret", "test-office"), clock, Policy())
    assert [s["role"] for s in views.get(elsewhere, issued.id).steps] == six
    # And it walks them: done at the front desk, it goes on to the scan room instead of finishing.
    assert queue.call_next(loket, staff["desk"]).ticket.id == issued.id
    flow.start(loket, staff["desk"], issued.id)
    moved = flow.advance(loket, staff["desk"], issued.id).ticket
    assert (moved.step_index, moved.current_role, moved.state) == (1, "scan", S.IN_PROCESS)
    seen = views.get(elsewhere, issued.id).staff()
    assert (seen["step"], seen["steps"], seen["current_role"]) == (2, 6, "scan")


def test_the_status_page_s_data_by_its_signed_code_only(loket, staff):
    """Issue 13, on both databases: the resident's view by the compact code, the old plain code or the URL."""
    from loket.core import status

    t = issuing.issue(loket, KTP).ticket
    called = queue.call_next(loket, staff["desk"]).ticket
    flow.start(loket, staff["desk"], called.id)
    flow.record_applicant(loket, staff["desk"], called.id, "Siti Aminah", "3201014101900003")
    for code in (t.status_code, t.code, f"http://10.0.0.5:5000/s/{t.status_code}"):
        found = status.resolve(loket, code)
        assert found.room == f"ticket:{t.id}" and found.data["number"] == "B-001"
        assert found.data["state"] == "serving" and found.data["counter"] == "Loket 1"
        assert "Siti" not in str(found.data) and "3201014101900003" not in str(found.data)
    for bad in ("B-001", str(t.id), t.status_code[:-1] + "x", f"T1.{t.id + 1}.{t.status_code.rsplit('.', 1)[1]}"):
        with pytest.raises(InvalidCode):
            status.resolve(loket, bad)
