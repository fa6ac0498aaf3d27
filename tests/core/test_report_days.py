"""The report from per-day summaries equals the full computation from raw rows, and closed days are not redone.

The history below is written straight into the tables (as bench/reports.py does), with what the
operations make over many days: several SOPs, pendings with and without their event, returns,
no-shows (some called back later), cancellations, voided tickets, officers and counters, back-office
steps and hand-overs on the next day, berkas still open days later, and today's live queue.
Times carry microseconds, so exactness of means, medians and p90 is really tested.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select, update

from loket.core.accounts import create_counter, create_user
from loket.core.clock import FrozenClock
from loket.core.context import Policy
from loket.core.qr import CodeSigner
from loket.core.reports import build_report, build_report_full
from loket.core.reports import days as report_days
from loket.core.roles import Role
from loket.core.service import Loket
from loket.core.store import EventRecord, ReportDay, StepVisit, Ticket

TODAY = date(2026, 11, 23)
FIRST = date(2026, 11, 2)
EDITED = date(2026, 11, 16)
JAKARTA = timedelta(hours=7)


def _moment(day: date, hour: float, rng: random.Random) -> datetime:
    """A local time of `day` (Asia/Jakarta) as aware UTC, with microseconds."""
    local = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(hours=hour)
    return local - JAKARTA + timedelta(microseconds=rng.randint(0, 999_999))


def write_history(loket, now: datetime, per_day: int = 14, seed: int = 12) -> None:
    """Varied tickets from FIRST to TODAY (today's stop at `now`)."""
    rng = random.Random(seed)
    store = loket.store
    officers = [
        create_user(store, loket.clock, f"u{i}", name, "password123", [Role.PELAYANAN, Role.OPERATOR]).id
        for i, name in enumerate(("Ani", "Budi", "Citra", "ani"))  # two officers whose names differ only in case
    ]
    counters = [create_counter(store, f"Loket {n}", n, [Role.PELAYANAN]).id for n in (1, 2, 3)]
    sops = [s for s in loket.catalog if not s.draft] + [loket.catalog.get("perekaman-ktp-el")]
    day = FIRST
    while day <= TODAY:
        with store.transaction() as s:
            for i in range(per_day):
                sop = rng.choice(sops)
                hour = 23.4 if i == 0 else rng.uniform(7.5, 15.5)  # the first of each day: late, its work next day
                issued = _moment(day, hour, rng)
                if issued >= now:
                    continue
                steps = sop.snapshot()
                if sop.code == "pencetakan-ktp-el" and day >= EDITED:  # the office edited this SOP's targets
                    steps[0]["target_minutes"], steps[1]["target_minutes"] = 4, 5
                t = Ticket(
                    service_day=day,
                    prefix=sop.prefix,
                    seq=i + 1,
                    number=f"{sop.prefix}-{i + 1:03d}",
                    service_code=sop.code,
                    steps=steps,
                    state="waiting",
                    step_index=0,
                    current_role=sop.steps[0].role.value,
                    queue_key=issued.timestamp(),
                    queued_at=issued,
                    issued_at=issued,
                    version=1,
                )
                s.add(t)
                s.flush()
                _walk(s, t, sop, issued, now, rng, officers, counters)
        day += timedelta(days=1)


def _walk(s, t, sop, issued, now, rng, officers, counters) -> None:
    """Take one ticket through its steps with random fates until `now`."""
    moment = issued
    index = 0
    fate = rng.random()
    if fate < 0.05:
        t.state, t.closed_at = "voided", issued + timedelta(minutes=rng.uniform(5, 90))
        return
    if fate < 0.1:
        t.state, t.closed_at = "cancelled", issued + timedelta(minutes=rng.uniform(1, 30))
        return
    visits = 0
    while index < len(sop.steps) and visits < 12:
        visits += 1
        step = sop.steps[index]
        present = step.resident_present
        entered = moment
        wait = timedelta(seconds=rng.expovariate(1 / 600), microseconds=rng.randint(0, 999_999))
        called = entered + wait if present and rng.random() > 0.05 else None  # a walk-in served without a call
        started = (called or entered + wait) + timedelta(seconds=rng.randint(5, 90))
        target_minutes = t.steps[index]["target_minutes"]
        target = (target_minutes or 4) * 60
        ended = started + timedelta(seconds=abs(rng.gauss(target, target / 2)), microseconds=rng.randint(0, 999_999))
        visit = StepVisit(
            ticket_id=t.id,
            step_index=index,
            role=step.role.value,
            target_minutes=target_minutes,
            officer_id=rng.choice([*officers, None]) if rng.random() > 0.1 else None,
            counter_id=rng.choice(counters) if present else None,
            entered_at=entered,
        )
        s.add(visit)
        if entered >= now:
            visit.entered_at = now - timedelta(seconds=1)
            t.state = "waiting" if present else "in_process"
            return
        if (called or started) >= now:
            t.state = "waiting" if present else "in_process"  # still waiting for this step
            return
        visit.called_at = called
        roll = rng.random()
        if present and called and roll < 0.07:
            visit.ended_at, visit.outcome = called + timedelta(minutes=3), "no_show"
            t.state = "no_show"
            if rng.random() < 0.5:  # called back later (maybe days later): a new visit of the same step
                moment = visit.ended_at + timedelta(hours=rng.choice([1, 30]))
                continue
            t.closed_at = None
            return
        visit.started_at = started
        if ended >= now:
            t.state = "serving"
            return
        visit.ended_at = ended
        if roll < 0.14:
            visit.outcome = "pended"
            if rng.random() < 0.8:  # sometimes the event is missing: the reason is then "other"
                reason = rng.choice(["not_in_siak", "data_problem", "network_down"])
                s.add(EventRecord(at=ended, kind="ticket.pended", ticket_id=t.id, payload={"reason": reason}))
            t.state = "pending"
            if rng.random() < 0.3:
                return  # stays pending
            moment = ended + timedelta(hours=rng.choice([0.5, 26]))
            continue
        if roll < 0.19 and index == 0:
            visit.outcome = "returned"
            t.state = "returned"
            moment = ended + timedelta(minutes=40)
            continue
        if roll < 0.21:
            visit.outcome = "cancelled"
            t.state, t.closed_at = "cancelled", ended
            return
        visit.outcome = "advanced"
        moment = ended + timedelta(seconds=rng.randint(0, 600))
        if index == 0 and t.issued_at.hour >= 16:  # issued late (after 23:00 local): the back office goes on tomorrow
            moment += timedelta(hours=9)
        index += 1
    if index >= len(sop.steps):
        t.state, t.closed_at = "done", moment
    else:
        t.state = "pending"


@pytest.fixture
def history(loket, clock):
    clock.advance(hours=2.5)  # 10:30 in Jakarta, today
    write_history(loket, clock.now())
    return loket


PERIODS = {
    "a past day": (date(2026, 11, 10), date(2026, 11, 10)),
    "past days": (date(2026, 11, 2), date(2026, 11, 22)),
    "past days and today": (date(2026, 11, 2), date(2026, 11, 23)),
    "today": (TODAY, TODAY),
}


def _same(loket, start: date, end: date) -> None:
    fast = build_report(loket, start, end).as_dict()
    full = build_report_full(loket, start, end).as_dict()
    assert fast == full


def _summaries(loket) -> int:
    with loket.store.read() as s:
        return s.scalar(select(func.count()).select_from(ReportDay))


def test_history_is_varied(history):
    report = build_report_full(history, FIRST, TODAY)
    total = report.total
    assert total.issued > 250
    assert total.no_shows and total.returns and total.cancelled and total.states["voided"]
    assert all(total.pendings[r] for r in ("not_in_siak", "data_problem", "network_down", "other"))
    assert total.states["pending"] and total.states["no_show"] and total.states["waiting"]  # open berkas
    assert len(report.officers) == 4 and len(report.counters) == 3 and len(report.services) >= 5
    assert total.wait.n and total.step_wait.n and total.service.n and total.elapsed.n and total.over

    def first_step(report):
        return next(r for r in report.steps if r.key == "pencetakan-ktp-el#1").extra["target_minutes"]

    assert first_step(report) == 4  # the edited SOP: the last berkas's snapshot
    assert first_step(build_report_full(history, FIRST, EDITED - timedelta(days=1))) == 2


@pytest.mark.parametrize("period", PERIODS)
def test_the_report_from_summaries_equals_the_full_one(history, period):
    start, end = PERIODS[period]
    _same(history, start, end)  # cold: the summaries are made now
    assert _summaries(history) == (0 if start == TODAY else (min(end, TODAY - timedelta(days=1)) - start).days + 1)
    _same(history, start, end)  # warm: read from them
    _same(history, FIRST, TODAY)  # some summarized, some made now, today live


def test_every_single_day_and_the_whole_range_agree_warm(history):
    _same(history, FIRST, TODAY)
    day = FIRST
    while day <= TODAY:
        _same(history, day, day)
        day += timedelta(days=1)


@pytest.mark.parametrize("few_ids", [report_days.FEW_IDS, 0], ids=["by id", "by state"])
def test_a_berkas_still_open_when_its_day_was_summed_is_summed_again_when_it_changes(
    history, clock, monkeypatch, few_ids
):
    monkeypatch.setattr(report_days, "FEW_IDS", few_ids)
    _same(history, FIRST, TODAY)
    with history.store.read() as s:
        day = s.scalars(
            select(Ticket.service_day).where(Ticket.service_day < TODAY, Ticket.state.in_(["pending", "no_show"]))
        ).first()
    before = build_report(history, day).total
    with history.store.transaction() as s:
        open_ticket = s.scalars(
            select(Ticket).where(Ticket.service_day == day, Ticket.state.in_(["pending", "no_show"])).limit(1)
        ).one()
        # Today it is worked to the end: a visit at the hand-over, and done.
        now = clock.now()
        s.add(
            StepVisit(
                ticket_id=open_ticket.id,
                step_index=len(open_ticket.steps) - 1,
                role="pelayanan",
                target_minutes=None,
                entered_at=now - timedelta(minutes=20),
                called_at=now - timedelta(minutes=10),
                started_at=now - timedelta(minutes=9),
                ended_at=now - timedelta(minutes=5),
                outcome="advanced",
            )
        )
        open_ticket.state, open_ticket.closed_at = "done", now - timedelta(minutes=5)
    after = build_report(history, day).total
    assert after.served == before.served + 1 and after.visits == before.visits + 1
    with history.store.read() as s:
        still_open = s.scalars(select(ReportDay.open_versions).where(ReportDay.day == day)).one()
    assert open_ticket.id not in {tid for tid, _version in still_open}  # now done: among the final berkas
    _same(history, day, day)
    _same(history, FIRST, TODAY)


def test_a_closed_day_is_never_summed_again(history):
    day = date(2026, 11, 12)
    summed = build_report(history, day).as_dict()
    with history.store.read() as s:
        made = s.scalars(select(ReportDay.made_at).where(ReportDay.day == day)).one()
    # The day's final berkas lose their visits in the raw rows: a recomputation would see it at once.
    with history.store.transaction() as s:
        final = select(Ticket.id).where(Ticket.service_day == day, Ticket.state.in_(["done", "cancelled", "voided"]))
        s.execute(delete(StepVisit).where(StepVisit.ticket_id.in_(final)))
        s.execute(update(Ticket).where(Ticket.id.in_(final)).values(service_code="akta-kematian"))
    assert build_report_full(history, day).as_dict() != summed
    assert build_report(history, day).as_dict() == summed
    with history.store.read() as s:
        assert s.scalars(select(ReportDay.made_at).where(ReportDay.day == day)).one() == made


def test_a_summary_of_another_format_is_made_again(history, monkeypatch):
    day = date(2026, 11, 12)
    build_report(history, day)
    with history.store.transaction() as s:
        s.execute(delete(StepVisit).where(StepVisit.ticket_id.in_(select(Ticket.id).where(Ticket.service_day == day))))
    stale = build_report(history, day).as_dict()
    assert stale != build_report_full(history, day).as_dict()  # kept, as above
    monkeypatch.setattr(report_days, "VERSION", report_days.VERSION + 1)
    _same(history, day, day)
    with history.store.read() as s:
        assert s.scalars(select(ReportDay.version).where(ReportDay.day == day)).one() == report_days.VERSION


def test_a_summary_made_in_another_time_zone_is_made_again(history, clock):
    _same(history, FIRST, TODAY)
    # The office moves its clock to WITA: hours, days' ends and the queue's samples all move.
    wita = Loket(
        history.store,
        history.catalog,
        CodeSigner("test-secret", "test-office"),
        FrozenClock(clock.now(), "Asia/Makassar"),
        Policy(),
    )
    _same(wita, FIRST, TODAY)


def write_live_edges(loket) -> None:
    """Today's berkas at the edges of the live part's definitions (reports/days.py `live_parts`).

    A berkas and a step exactly at their targets, a walk-in not called at its first step but called at
    its second, two pauses of one berkas by two officers with different reasons (one event missing), and
    two officers whose names differ only in case, whose first and last visits interleave.
    """
    store, clock = loket.store, loket.clock
    dewi = create_user(store, clock, "dewi1", "Dewi", "password123", [Role.PELAYANAN, Role.OPERATOR]).id
    dewi2 = create_user(store, clock, "dewi2", "dewi", "password123", [Role.PELAYANAN, Role.OPERATOR]).id
    counter = create_counter(store, "Loket 9", 9, [Role.PELAYANAN]).id
    sop = loket.catalog.get("pencetakan-ktp-el")  # targets 2, 3 and none minutes; the second step in the back office
    day_start = datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=UTC) - JAKARTA
    seconds = timedelta(seconds=1)

    def ticket(s, seq: int, minute: int) -> Ticket:
        issued = day_start + timedelta(hours=7, minutes=minute, microseconds=250_000)  # 07:xx, before the rest of today
        t = Ticket(
            service_day=TODAY,
            prefix=sop.prefix,
            seq=900 + seq,
            number=f"{sop.prefix}-{900 + seq}",
            service_code=sop.code,
            steps=sop.snapshot(),
            state="in_process",
            step_index=0,
            current_role=sop.steps[0].role.value,
            queue_key=issued.timestamp(),
            queued_at=issued,
            issued_at=issued,
            version=1,
        )
        s.add(t)
        s.flush()
        return t

    def visit(s, t, index, entered, called, started, ended, outcome, officer=None, counter_id=None) -> datetime:
        s.add(
            StepVisit(
                ticket_id=t.id,
                step_index=index,
                role=sop.steps[index].role.value,
                target_minutes=t.steps[index]["target_minutes"],
                officer_id=officer,
                counter_id=counter_id,
                entered_at=entered,
                called_at=called,
                started_at=started,
                ended_at=ended,
                outcome=outcome,
            )
        )
        return ended or entered

    with store.transaction() as s:
        # Exactly at target: 120 s at the first step (2 minutes), 180 s at the second (3), 0 s at the last.
        t = ticket(s, 1, 0)
        at = t.issued_at
        at = visit(s, t, 0, at, at + 60 * seconds, at + 90 * seconds, at + 210 * seconds, "advanced", dewi, counter)
        at = visit(s, t, 1, at, None, at + 30 * seconds, at + 210 * seconds, "advanced", dewi2)
        at = visit(s, t, 2, at, at + 60 * seconds, at + 70 * seconds, at + 70 * seconds, "advanced", dewi, counter)
        t.state, t.closed_at = "done", at
        # A walk-in served at the first step without a call, called at the second.
        t = ticket(s, 2, 5)
        at = t.issued_at
        at = visit(s, t, 0, at, None, at + 30 * seconds, at + 100 * seconds, "advanced", dewi2, counter)
        at = visit(s, t, 1, at, at + 20 * seconds, at + 40 * seconds, at + 200 * seconds, "advanced", dewi)
        visit(s, t, 2, at, None, None, None, None)
        t.state = "waiting"
        # Paused twice at the first step by two officers for two reasons, a third time with no event, then on.
        t = ticket(s, 3, 10)
        at = t.issued_at
        for officer, reason in ((dewi, "not_in_siak"), (dewi2, "network_down"), (dewi2, None)):
            ended = visit(s, t, 0, at, at + 30 * seconds, at + 60 * seconds, at + 200 * seconds, "pended", officer)
            if reason:
                s.add(EventRecord(at=ended, kind="ticket.pended", ticket_id=t.id, payload={"reason": reason}))
            at = ended + 600 * seconds
        at = visit(s, t, 0, at, at + 30 * seconds, at + 60 * seconds, at + 100 * seconds, "advanced", dewi, counter)
        visit(s, t, 1, at, None, None, None, None)


@pytest.mark.parametrize("period", ["today", "past days and today"])
def test_todays_edge_cases_live_equal_the_full_report(history, period):
    write_live_edges(history)
    _same(history, *PERIODS[period])
    report = build_report_full(history, TODAY)
    dewis = [r for r in report.officers if r.label["id"].lower() == "dewi"]
    assert [r.label["id"] for r in dewis] == ["Dewi", "dewi"]  # by first visit, as their names tie
    assert dewis[0].pendings["not_in_siak"] == 1 and dewis[1].pendings["network_down"] == 1
    assert dewis[1].pendings["other"] == 1


@pytest.mark.parametrize("few_ids", [report_days.FEW_IDS, 0], ids=["by id", "by state"])
def test_only_a_day_whose_open_berkas_moved_is_summed_again(history, clock, monkeypatch, few_ids):
    monkeypatch.setattr(report_days, "FEW_IDS", few_ids)  # the open berkas' versions read either way (_versions)
    _same(history, FIRST, TODAY)
    stored: list[set] = []
    real = report_days._store

    def spy(loket, summaries):
        stored.append(set(summaries))
        return real(loket, summaries)

    monkeypatch.setattr(report_days, "_store", spy)
    _same(history, FIRST, TODAY)
    assert not any(stored)  # warm: the open berkas of every day are as they were summed
    with history.store.transaction() as s:
        moved = s.scalars(
            select(Ticket).where(Ticket.service_day < TODAY, Ticket.state == "pending").order_by(Ticket.id).limit(1)
        ).one()
        day = moved.service_day
        moved.state = "waiting"  # back in the queue: still open, its version moves
    _same(history, FIRST, TODAY)
    assert [keys for keys in stored if keys] == [{(moved.site, day)}]
    stored.clear()
    _same(history, FIRST, TODAY)
    assert not any(stored)


def _dump_v2(part):
    """How format 2 stored a part (before `days._encode`): a JSON document of every group, then the durations."""
    import json
    import zlib

    import numpy as np

    chunks, offset = [], 0

    def slot(values):
        nonlocal offset
        chunks.append(values)
        offset += len(values)
        return [offset - len(values), offset]

    groups = {}
    for key, g in part.groups.items():
        groups[key] = {
            "c": {k: n for k, n in g.counts.items() if n},
            "st": g.states,
            "p": g.pendings,
            "v": {k: slot(report_days._flat(g.values[k]).tolist()) for k in report_days.STATS if g.values[k]},
            "s": {k: n for k, n in g.sums.items() if n},
            "f": g.first,
            "l": g.last,
        }
    hall = part.hall
    figures = {
        "groups": groups,
        "hall": {
            "entered": slot(report_days._flat(hall.entered).tolist()),
            "left": slot(report_days._flat(hall.left).tolist()),
            "never_left": hall.never_left,
            "horizon": hall.horizon,
            "tickets": hall.tickets,
        },
    }
    values = np.fromiter((x for c in chunks for x in c), dtype="<i8", count=offset)
    return zlib.compress(json.dumps(figures, separators=(",", ":")).encode(), 1), values.tobytes()


def test_summaries_of_format_2_are_read_and_stored_again_without_reading_tickets(history, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(report_days, "VERSION", 2)
        m.setattr(report_days, "_dump", _dump_v2)
        build_report(history, FIRST, TODAY)
    with history.store.read() as s:
        assert set(s.scalars(select(ReportDay.version))) == {2}
    summed: list[date] = []
    real = report_days._split

    def spy(loket, day, *args, **kwargs):
        summed.append(day)
        return real(loket, day, *args, **kwargs)

    monkeypatch.setattr(report_days, "_split", spy)
    _same(history, FIRST, TODAY)
    assert summed == []  # converted as read, not summed again from the tickets
    with history.store.read() as s:
        assert set(s.scalars(select(ReportDay.version))) == {report_days.VERSION}
    _same(history, FIRST, TODAY)
    _same(history, date(2026, 11, 10), date(2026, 11, 10))
    assert summed == []
