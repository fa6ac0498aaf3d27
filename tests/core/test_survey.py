"""The SKM: IKM arithmetic (PermenPANRB 14/2017) against a hand-worked example; storage and the report."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from loket.core.accounts import create_counter, create_user
from loket.core.errors import InvalidCode
from loket.core.roles import Actor, Role
from loket.core.states import TicketState
from loket.core.store import SurveyResponse, Ticket
from loket.core.survey import (
    ELEMENT_KEYS,
    InvalidResponse,
    SurveyRefused,
    check_ticket,
    grade_of,
    ikm,
    submit_response,
    survey_report,
)
from loket.core.tickets import flow, issuing, queue
from loket.core.tickets.views import TicketView


def response(*ratings: int) -> dict[str, int]:
    return dict(zip(ELEMENT_KEYS, ratings, strict=True))


def test_hand_worked_example():
    # Four respondents. Column sums per element, worked by hand:
    #   persyaratan 4+3+3+4 = 14 -> NRR 3.50     prosedur 3+3+3+3 = 12 -> 3.00
    #   waktu       2+3+2+3 = 10 -> 2.50         biaya    4+4+4+4 = 16 -> 4.00
    #   produk      3+4+3+4 = 14 -> 3.50         kompetensi 3+3+4+4 = 14 -> 3.50
    #   perilaku    4+4+4+3 = 15 -> 3.75         pengaduan  2+2+3+3 = 10 -> 2.50
    #   sarana      3+2+3+3 = 11 -> 2.75
    # Sum of NRR = 29.00; mean 29/9 = 3.2222; IKM = 80.56 -> B (Baik).
    # The regulation's tables: 29.00 x 0.111 x 25 = 80.475 -> 80.48 (half up).
    rows = [
        response(4, 3, 2, 4, 3, 3, 4, 2, 3),
        response(3, 3, 3, 4, 4, 3, 4, 2, 2),
        response(3, 3, 2, 4, 3, 4, 4, 3, 3),
        response(4, 3, 3, 4, 4, 4, 3, 3, 3),
    ]
    result = ikm(rows)
    assert result.responses == 4
    assert result.nrr == {
        "persyaratan": 3.5,
        "prosedur": 3.0,
        "waktu": 2.5,
        "biaya": 4.0,
        "produk": 3.5,
        "kompetensi": 3.5,
        "perilaku": 3.75,
        "pengaduan": 2.5,
        "sarana": 2.75,
    }
    assert result.ikm == 80.56
    assert result.ikm_regulation == 80.48
    assert (result.grade, result.label["id"]) == ("B", "Baik")


@pytest.mark.parametrize(
    ("value", "grade"),
    [(100, "A"), (88.31, "A"), (88.30, "B"), (76.61, "B"), (76.60, "C"), (65.00, "C"), (64.99, "D"), (25, "D")],
)
def test_grade_boundaries(value, grade):
    assert grade_of(value)[0] == grade


def test_all_fours_is_100_and_all_ones_is_25():
    assert ikm([response(*[4] * 9)]).ikm == 100
    assert ikm([response(*[1] * 9)]).ikm == 25
    assert ikm([]) is None


@pytest.mark.parametrize(
    "bad",
    [
        {k: 4 for k in ELEMENT_KEYS[:8]},
        {**{k: 4 for k in ELEMENT_KEYS}, "extra": 4},
        {**{k: 4 for k in ELEMENT_KEYS}, "waktu": 5},
        {**{k: 4 for k in ELEMENT_KEYS}, "waktu": 0},
        {**{k: 4 for k in ELEMENT_KEYS}, "waktu": True},
    ],
)
def test_incomplete_or_out_of_range_responses_are_refused(bad):
    with pytest.raises(InvalidResponse):
        ikm([bad])


# ---- storage: one anonymous response per handed-over ticket (SQLite and PostgreSQL) -------

KTP = "pencetakan-ktp-el"
KIA = "penerbitan-kia"
ALL_FOUR = {k: 4 for k in ELEMENT_KEYS}


@pytest.fixture
def desk(loket):
    """A front-desk officer at Loket 1 and an operator in the back office."""
    users = {
        role: create_user(loket.store, loket.clock, role.value, f"Officer {role.value}", "password123", [role])
        for role in (Role.PELAYANAN, Role.OPERATOR)
    }
    loket_1 = create_counter(loket.store, "Loket 1", 1, [Role.PELAYANAN])
    room = create_counter(loket.store, "Ruang Operator", 9, [Role.OPERATOR])
    return {
        "desk": Actor(users[Role.PELAYANAN].id, Role.PELAYANAN, loket_1.id),
        "operator": Actor(users[Role.OPERATOR].id, Role.OPERATOR, room.id),
    }


def serve_to_done(loket, desk) -> TicketView:
    """A KTP-el printing ticket through the front desk and the operator to hand-over."""
    ticket = issuing.issue(loket, KTP).ticket
    queue.call_next(loket, desk["desk"])
    flow.start(loket, desk["desk"], ticket.id)
    flow.advance(loket, desk["desk"], ticket.id)
    flow.start(loket, desk["operator"], ticket.id)
    flow.advance(loket, desk["operator"], ticket.id)
    queue.call_next(loket, desk["desk"])
    flow.start(loket, desk["desk"], ticket.id)
    done = flow.hand_over(loket, desk["desk"], ticket.id).ticket
    assert done.state is TicketState.DONE
    return done


def test_a_comment_loses_its_control_characters(loket, desk):
    """They went into the IKM report's XLSX export, which openpyxl refuses (a server error)."""
    ticket = serve_to_done(loket, desk)
    submit_response(loket, ticket.number, ALL_FOUR, "Antrean\x01 cepat\x1f\x7f")
    [row] = stored_rows(loket)
    assert row.comment == "Antrean cepat"


def stored_rows(loket) -> list[SurveyResponse]:
    with loket.store.read() as s:
        return list(s.scalars(select(SurveyResponse)))


def test_a_response_is_stored_anonymously_and_the_ticket_marked(loket, desk):
    ticket = serve_to_done(loket, desk)
    assert check_ticket(loket, ticket.number).number == ticket.number
    rated = submit_response(loket, ticket.number, {**ALL_FOUR, "waktu": 2}, "  Antrean\n cepat  ", "tablet")
    assert (rated.number, rated.service_code) == (ticket.number, KTP)

    [row] = stored_rows(loket)
    assert row.service_day == ticket.service_day and row.service_code == KTP
    assert row.answers == {**ALL_FOUR, "waktu": 2}
    assert (row.comment, row.source) == ("Antrean cepat", "tablet")
    # Nothing in the row leads back to the ticket, the resident, the officer or the time of day.
    assert set(SurveyResponse.__table__.columns.keys()) == {
        "id",
        "service_day",
        "service_code",
        "answers",
        "comment",
        "source",
        "site",  # the office it was given at (issue 16), not the resident
    }
    with loket.store.read() as s:
        assert s.get(Ticket, ticket.id).surveyed is True


def test_the_signed_qr_text_works_like_the_number(loket, desk):
    ticket = serve_to_done(loket, desk)
    assert check_ticket(loket, ticket.code).number == ticket.number
    submit_response(loket, ticket.code, ALL_FOUR)
    with pytest.raises(SurveyRefused) as refused:
        submit_response(loket, ticket.number.lower().replace("-", ""), ALL_FOUR)  # "b001", typed
    assert refused.value.code == "already_rated"
    forged = ticket.code[:-3] + ("AAA" if not ticket.code.endswith("AAA") else "BBB")
    with pytest.raises(InvalidCode):
        check_ticket(loket, forged)


def test_a_second_response_for_the_same_ticket_is_refused(loket, desk):
    ticket = serve_to_done(loket, desk)
    submit_response(loket, ticket.number, ALL_FOUR)
    with pytest.raises(SurveyRefused) as refused:
        submit_response(loket, ticket.number, ALL_FOUR)
    assert refused.value.code == "already_rated" and refused.value.status == 409
    assert "sudah memberi penilaian" in refused.value.message
    with pytest.raises(SurveyRefused):
        check_ticket(loket, ticket.number)
    assert len(stored_rows(loket)) == 1


def test_a_ticket_not_yet_handed_over_or_unknown_is_refused(loket, desk):
    waiting = issuing.issue(loket, KTP).ticket
    for code in (waiting.number, waiting.code):
        with pytest.raises(SurveyRefused) as refused:
            submit_response(loket, code, ALL_FOUR)
        assert refused.value.code == "not_done"
        assert "belum selesai" in refused.value.message
    with pytest.raises(SurveyRefused) as unknown:
        check_ticket(loket, "Z-999")
    assert unknown.value.code == "not_found" and unknown.value.status == 404
    with pytest.raises(SurveyRefused) as incomplete:
        submit_response(loket, serve_to_done(loket, desk).number, {**ALL_FOUR, "sarana": 5})
    assert incomplete.value.code == "invalid"
    assert stored_rows(loket) == []


def test_a_ticket_issued_yesterday_and_handed_over_today_is_found_by_its_number(loket, desk, clock):
    ticket = issuing.issue(loket, KTP).ticket
    clock.advance(days=1)
    issuing.issue(loket, KTP)  # today's B-001: still waiting, same number
    queue.call_next(loket, desk["desk"])  # calls yesterday's first (it has waited longest)
    flow.start(loket, desk["desk"], ticket.id)
    flow.advance(loket, desk["desk"], ticket.id)
    flow.start(loket, desk["operator"], ticket.id)
    flow.advance(loket, desk["operator"], ticket.id)
    queue.call_next(loket, desk["desk"])
    flow.start(loket, desk["desk"], ticket.id)
    flow.hand_over(loket, desk["desk"], ticket.id)
    submit_response(loket, ticket.number, ALL_FOUR)
    [row] = stored_rows(loket)
    assert row.service_day == ticket.service_day  # the day of the service, not of the rating


def test_concurrent_submissions_for_one_ticket_store_exactly_one_response(loket, desk):
    ticket = serve_to_done(loket, desk)
    threads = 8
    start = threading.Barrier(threads)

    def submit(_):
        start.wait()
        try:
            submit_response(loket, ticket.number, ALL_FOUR)
            return "stored"
        except SurveyRefused as exc:
            return exc.code

    with ThreadPoolExecutor(threads) as pool:
        outcomes = list(pool.map(submit, range(threads)))
    assert sorted(outcomes) == ["already_rated"] * (threads - 1) + ["stored"]
    assert len(stored_rows(loket)) == 1


# ---- the report over stored responses -----------------------------------------------------

#: The hand-worked example above: four KTP-el respondents on the first day.
KTP_ROWS = [
    response(4, 3, 2, 4, 3, 3, 4, 2, 3),
    response(3, 3, 3, 4, 4, 3, 4, 2, 2),
    response(3, 3, 2, 4, 3, 4, 4, 3, 3),
    response(4, 3, 3, 4, 4, 4, 3, 3, 3),
]
DAY = date(2026, 11, 23)


@pytest.fixture
def stored(loket):
    """Four KTP-el responses on DAY, two KIA responses the day after, one outside the period before."""
    rows = [(DAY, KTP, r, None) for r in KTP_ROWS]
    rows += [(DAY + timedelta(days=1), KIA, response(*[4] * 9), "Petugas ramah")] * 2
    rows += [(DAY - timedelta(days=1), KTP, response(*[1] * 9), None)]
    with loket.store.transaction() as s:
        for day, code, answers, comment in rows:
            s.add(SurveyResponse(service_day=day, service_code=code, answers=answers, comment=comment, source="kiosk"))
    return loket


def test_the_report_matches_the_hand_worked_example_per_period_and_service(stored):
    # The first day alone: exactly the hand-worked example.
    day = survey_report(stored, DAY, DAY)
    assert day.overall.responses == 4
    assert day.overall.result.nrr["perilaku"] == 3.75 and day.overall.result.nrr["sarana"] == 2.75
    assert (day.overall.result.ikm, day.overall.result.ikm_regulation, day.overall.result.grade) == (80.56, 80.48, "B")
    assert day.overall.distribution["waktu"] == [0, 2, 2, 0]  # ratings 2, 3, 2, 3
    assert day.overall.distribution["biaya"] == [0, 0, 0, 4]
    assert [s.service_code for s in day.services] == [KTP]

    # Both days: add two KIA respondents rating 4 everywhere. Column sums grow by 8 each:
    #   22 20 18 24 22 22 23 18 19 = 188 over 6 respondents; sum of NRR = 31.333...
    #   IKM = 188 / 6 / 9 x 25 = 87.037 -> 87.04 (B); regulation: 31.333 x 0.111 x 25 = 86.95.
    both = survey_report(stored, DAY, DAY + timedelta(days=1))
    assert both.overall.responses == 6
    assert both.overall.result.nrr["prosedur"] == pytest.approx(20 / 6)
    assert (both.overall.result.ikm, both.overall.result.ikm_regulation, both.overall.result.grade) == (
        87.04,
        86.95,
        "B",
    )
    per_service = {s.service_code: s for s in both.services}
    assert per_service[KTP].result.ikm == 80.56 and per_service[KTP].responses == 4
    assert per_service[KIA].result.ikm == 100 and per_service[KIA].result.grade == "A"
    assert per_service[KIA].service_name["id"] == "Penerbitan Kartu Identitas Anak (KIA)"
    assert [c[1:] for c in both.comments] == [(KIA, "Petugas ramah")] * 2

    # One service only, and a period with nothing in it.
    kia = survey_report(stored, DAY - timedelta(days=7), DAY + timedelta(days=7), service=KIA)
    assert (kia.overall.responses, kia.overall.result.ikm, kia.overall.result.label["id"]) == (2, 100, "Sangat Baik")
    empty = survey_report(stored.store, DAY + timedelta(days=2), DAY + timedelta(days=9))
    assert empty.overall.result is None and empty.services == [] and empty.as_dict()["overall"]["ikm"] is None


def test_the_report_counts_responses_given_through_submit(loket, desk):
    first, second = serve_to_done(loket, desk), serve_to_done(loket, desk)
    submit_response(loket, first.number, ALL_FOUR)
    submit_response(loket, second.number, {k: 3 for k in ELEMENT_KEYS})
    report = survey_report(loket, first.service_day, first.service_day)
    assert report.overall.responses == 2
    assert report.overall.result.nrr["waktu"] == 3.5
    assert (report.overall.result.ikm, report.overall.result.grade) == (87.5, "B")
    assert report.overall.distribution["sarana"] == [0, 0, 1, 1]
    # Two responses on one day: what a report shows is the count only (they could be recognised).
    shown = report.as_dict()
    assert shown["overall"]["hidden"] is True and shown["overall"]["responses"] == 2
    assert (shown["overall"]["nrr"], shown["overall"]["ikm"], shown["overall"]["distribution"]) == (None, None, None)
    third = serve_to_done(loket, desk)
    submit_response(loket, third.number, ALL_FOUR, "Cepat")
    shown = survey_report(loket, first.service_day, first.service_day).as_dict()
    assert shown["overall"]["hidden"] is False and shown["overall"]["nrr"]["waktu"] == pytest.approx(11 / 3)
    assert shown["overall"]["distribution"]["sarana"] == [0, 0, 1, 2]
    assert shown["comments"] == [{"text": "Cepat"}]  # the words only: no day, no service
