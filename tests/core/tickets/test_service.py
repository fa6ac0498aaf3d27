"""The operations on a berkas, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from loket.core.accounts import create_counter, create_user
from loket.core.catalog import Catalog
from loket.core.errors import IllegalTransition, InvalidCode, NotAllowed, NotFound
from loket.core.qr import CodeSigner
from loket.core.roles import Actor, Role
from loket.core.service import Loket, Policy
from loket.core.states import TicketState as S
from loket.core.store import Ticket

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
    a = loket.issue(KTP).ticket
    b = loket.issue(KTP).ticket
    other = loket.issue("penerbitan-kia").ticket
    assert (a.number, b.number) == ("B-001", "B-002")
    assert other.number.endswith("-001") and other.number[0] != "B"
    clock.advance(days=1)
    c = loket.issue(KTP).ticket
    assert c.number == "B-001"
    # yesterday's tickets are kept, not deleted
    with loket.store.read() as s:
        assert s.query(Ticket).count() == 4


def test_issue_records_the_first_step_and_place_in_queue(loket):
    first = loket.issue(KTP).ticket
    second = loket.issue(KTP).ticket
    assert first.state is S.WAITING and first.current_role == "pelayanan"
    assert (first.ahead, second.ahead) == (0, 1)
    assert first.steps[1]["role"] == "operator" and first.steps[1]["target_minutes"] == 3


def test_issue_unknown_service_or_priority_is_refused(loket):
    with pytest.raises(NotFound):
        loket.issue("no-such-service")
    with pytest.raises(ValueError):
        loket.issue(KTP, priority="vip")


def test_full_ktp_printing_flow_with_timed_steps(loket, staff, clock):
    issued = loket.issue(KTP)
    assert [e.kind for e in issued.events] == ["ticket.issued"]
    clock.advance(minutes=4)
    called = loket.call_next(staff["desk"])
    assert called.ticket.number == issued.ticket.number and called.ticket.state is S.CALLED
    assert called.events[0].payload["counter"] == "Loket 1" and called.events[0].payload["counter_number"] == 1
    t = called.ticket.id
    loket.start(staff["desk"], t)
    clock.advance(minutes=2)
    after_desk = loket.advance(staff["desk"], t).ticket
    assert after_desk.state is S.IN_PROCESS and after_desk.current_role == "operator"
    assert [v.id for v in loket.work_list(Role.OPERATOR)] == [t]
    loket.start(staff["operator"], t)
    clock.advance(minutes=5)  # over the 3-minute target
    ready = loket.advance(staff["operator"], t)
    assert ready.ticket.state is S.READY and ready.events[0].kind == "ticket.ready"
    again = loket.call_next(staff["desk2"]).ticket
    assert again.id == t and again.counter_name == "Loket 2"
    loket.start(staff["desk2"], t)
    done = loket.hand_over(staff["desk2"], t)
    assert done.ticket.state is S.DONE and done.events[0].kind == "ticket.done"
    visits = loket.get(t).visits
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
    regular = loket.issue(KTP).ticket
    clock.advance(minutes=5)
    lansia = loket.issue(KTP, priority="lansia").ticket
    assert lansia.ahead == 0  # a priority ticket goes ahead of a 5-minute-old regular one
    assert loket.call_next(staff["desk"]).ticket.id == lansia.id
    # A regular ticket that has waited longer than the head start goes before a new priority one.
    old = loket.issue(KTP).ticket
    clock.advance(minutes=31)
    late_priority = loket.issue(KTP, priority="ibu_hamil").ticket
    order = [loket.call_next(staff["desk2"]).ticket.id for _ in range(3)]
    assert order == [regular.id, old.id, late_priority.id]


def test_call_next_respects_role_and_counter_services(loket, staff, catalog):
    create_counter(loket.store, "Loket KIA", 3, [Role.PELAYANAN], services=["penerbitan-kia"])
    kia_desk = Actor(staff["desk"].user_id, Role.PELAYANAN, 4)
    loket.issue(KTP)
    assert loket.call_next(kia_desk).ticket is None
    assert loket.call_next(staff["operator"]).ticket is None  # operators are not called from the hall
    kia = loket.issue("penerbitan-kia").ticket
    assert loket.call_next(kia_desk).ticket.id == kia.id


def test_wrong_role_is_refused_and_nothing_changes(loket, staff):
    t = loket.issue(KTP).ticket.id
    with pytest.raises(NotAllowed):
        loket.start(staff["operator"], t)
    with pytest.raises(NotAllowed):  # user does not hold the role it claims
        loket.start(Actor(staff["operator"].user_id, Role.PELAYANAN, None), t)
    with pytest.raises(NotAllowed):  # counter does not serve the role
        loket.call_next(Actor(staff["operator"].user_id, Role.OPERATOR, staff["desk"].counter_id))
    assert loket.get(t).state is S.WAITING


def test_illegal_transition_raises_and_changes_nothing(loket, staff):
    t = loket.issue(KTP).ticket.id
    with pytest.raises(IllegalTransition):
        loket.advance(staff["desk"], t)
    with pytest.raises(IllegalTransition):
        loket.no_show(staff["desk"], t)
    with pytest.raises(IllegalTransition):
        loket.resume(staff["desk"], t)
    loket.start(staff["desk"], t)
    with pytest.raises(IllegalTransition):
        loket.resume(staff["desk"], t)  # a berkas being served is not "resumed" back into the queue
    view = loket.get(t)
    assert view.state is S.SERVING and view.step_index == 0 and len(view.visits) == 1


def test_recall_counts_calls_and_no_show(loket, staff):
    loket.issue(KTP)
    t = loket.call_next(staff["desk"]).ticket.id
    out = loket.recall(staff["desk"], t)
    assert out.ticket.call_count == 2 and out.events[0].payload["recall"] is True
    with pytest.raises(NotAllowed):
        loket.recall(staff["desk2"], t)  # called at Loket 1, not Loket 2
    with pytest.raises(NotAllowed, match="Panggil 3 kali"):
        loket.no_show(staff["desk"], t)  # the office's rule: three calls first
    loket.recall(staff["desk"], t)
    gone = loket.no_show(staff["desk"], t)
    assert gone.ticket.state is S.NO_SHOW
    back = loket.resume(staff["desk"], t)  # the resident turned up late
    assert back.ticket.state is S.WAITING


def test_pend_and_resume_in_the_back_office(loket, staff):
    t = loket.issue(KTP).ticket.id
    loket.start(staff["desk"], t)
    loket.advance(staff["desk"], t)
    pended = loket.pend(staff["operator"], t, "network_down", "SIAK offline")
    assert pended.ticket.state is S.PENDING and pended.ticket.pending_reason == "network_down"
    assert pended.ticket.public()["pending_label"]["id"] == "Jaringan terganggu"
    with pytest.raises(ValueError):
        loket.pend(staff["operator"], t, "bored")
    resumed = loket.resume(staff["operator"], t)
    assert resumed.ticket.state is S.IN_PROCESS and resumed.ticket.pending_reason is None
    outcomes = [v.outcome for v in loket.get(t).visits]
    assert outcomes == ["advanced", "pended", None]


def test_return_for_missing_documents_restarts_at_reception(loket, staff):
    t = loket.issue("dokumen-hilang-rusak").ticket.id
    loket.start(staff["desk"], t)
    with pytest.raises(NotAllowed):
        loket.return_for_documents(staff["desk"], t, ["not-a-requirement"])
    returned = loket.return_for_documents(staff["desk"], t, ["surat-kehilangan-polisi"], "no police letter")
    assert returned.ticket.state is S.RETURNED and returned.ticket.missing == ["surat-kehilangan-polisi"]
    back = loket.resume(staff["desk"], t).ticket
    assert back.state is S.WAITING and back.step_index == 0 and back.missing == []


def test_cancel_closes_and_final_states_accept_nothing(loket, staff):
    t = loket.issue(KTP).ticket.id
    out = loket.cancel(staff["desk"], t, "resident left")
    assert out.ticket.state is S.CANCELLED and out.ticket.closed_at is not None
    with pytest.raises(IllegalTransition):
        loket.start(staff["desk"], t)
    with pytest.raises(IllegalTransition):
        loket.cancel(staff["admin"], t)


def test_find_by_signed_code_or_number(loket):
    t = loket.issue(KTP).ticket
    assert loket.find(t.code).id == t.id
    assert loket.find("b1").id == t.id and loket.find("B-001").id == t.id
    forged = t.code[:-3] + ("AAA" if not t.code.endswith("AAA") else "BBB")
    with pytest.raises(InvalidCode, match="tidak sah"):
        loket.find(forged)
    edited = t.code.replace(":B-001", ":B-002")
    with pytest.raises(InvalidCode):
        loket.find(edited)
    elsewhere = CodeSigner("other-secret", "other-office").sign(t.id, t.service_day, t.number)
    with pytest.raises(InvalidCode, match="kantor lain"):
        loket.find(elsewhere)
    with pytest.raises(NotFound):
        loket.find("B-999")


def test_public_status_holds_no_staff_or_personal_fields(loket, staff):
    t = loket.issue(KTP, priority="disabilitas").ticket
    loket.call_next(staff["desk"])
    public = loket.public_status(t.number)
    assert public["state"] == "called" and public["counter"] == "Loket 1"
    assert public["priority"] is True
    assert not {"id", "code", "visits", "priority_reason", "state_note", "missing"} & set(public)


def test_display_state_has_recent_calls_and_each_counter(loket, staff):
    loket.issue(KTP)
    loket.issue(KTP)
    loket.call_next(staff["desk"])
    loket.call_next(staff["desk2"])
    state = loket.display_state()
    assert [c["number"] for c in state["calls"]] == ["B-002", "B-001"]
    by_counter = {c["counter"]: c["number"] for c in state["counters"]}
    assert by_counter["Loket 1"] == "B-001" and by_counter["Loket 2"] == "B-002"
    assert by_counter["Ruang Operator"] is None
    # a berkas worked in the back office never sends anyone in the hall to that room
    t = loket.issue(KTP).ticket.id
    loket.start(staff["desk"], t)
    loket.advance(staff["desk"], t)
    loket.start(staff["operator"], t)
    assert {c["counter"]: c["number"] for c in loket.display_state()["counters"]}["Ruang Operator"] is None


def test_a_ticket_keeps_the_steps_it_was_issued_with_when_the_sop_changes(loket, store, catalog, clock, staff):
    akta = catalog.get("permohonan-akta-kelahiran")
    issued = loket.issue(akta.code).ticket
    # The office cuts the SOP to its first step; tickets already issued must not notice.
    cut = Catalog(tuple(s.model_copy(update={"steps": s.steps[:1]}) if s.code == akta.code else s for s in catalog))
    loket.install_catalog(cut)
    assert len(loket.issue(akta.code).ticket.steps) == 1

    six = [s.role.value for s in akta.steps]
    assert len(six) == 6
    # Read back from the database: by this process, and by another one that only knows the cut SOP.
    assert [s["role"] for s in loket.get(issued.id).steps] == six
    elsewhere = Loket(store, cut, CodeSigner("test-secret", "test-office"), clock, Policy())
    assert [s["role"] for s in elsewhere.get(issued.id).steps] == six
    # And it walks them: done at the front desk, it goes on to the scan room instead of finishing.
    assert loket.call_next(staff["desk"]).ticket.id == issued.id
    loket.start(staff["desk"], issued.id)
    moved = loket.advance(staff["desk"], issued.id).ticket
    assert (moved.step_index, moved.current_role, moved.state) == (1, "scan", S.IN_PROCESS)
    seen = elsewhere.get(issued.id).staff()
    assert (seen["step"], seen["steps"], seen["current_role"]) == (2, 6, "scan")
