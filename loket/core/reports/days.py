"""The report from per-day summaries: a past day's finished berkas are summed once, never again.

A report covers the berkas issued on its days and everything that ever happened to them
(docs/reports.md). A berkas in a final state (done, cancelled, voided) can never change, so a past
day's final berkas are summed once into a `ReportDay` row. The berkas of that day still open at that
moment (pending, a no-show that may come back, ...) are listed in the row and read from the raw rows
each time, as is every berkas of today (and of any later day).

A summary keeps, per group (everything, a service, a step, an officer, a counter, an hour of issue):
the counts, the exact sum of each duration (an integer: the float seconds x 2**80; every duration is a
whole number of microseconds, so this is exact), and the durations themselves as int64 microseconds.
Means come from the exact sums (what `statistics.fmean`'s correctly rounded `fsum` gives), medians and
p90 from the merged durations (numpy.partition): the figures are exactly those of `build_report_full`.
The queue series keeps the hall's arrival and departure instants of the day. Stored (format 3), a group's counts and
exact sums are one int64 row, so a period's days are summed with a few array operations (`_merged`).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import BigInteger, DateTime, String, Text, cast, delete, func, insert, select, type_coerce
from sqlalchemy.exc import IntegrityError

from loket.core.context import Context
from loket.core.disruptions import intervals, merged_for
from loket.core.messages import _, texts
from loket.core.roles import ROLE_LABELS, Role
from loket.core.states import FINAL, PendingReason, TicketState
from loket.core.store import EventRecord, ReportDay, StepVisit, Ticket

from .compute import (
    MAX_DAYS,
    QUEUE_STEP_MINUTES,
    REASONS,
    Report,
    Row,
    Share,
    Stats,
    _bottleneck,
    _floor,
    _names,
    _service_label,
    _service_order,
    _Ticket,
    in_period,
    load_tickets,
)

#: The summaries' format: a summary made by another version is made again. 2: disruptions left out of compliance.
#: 3: each group's figures as an int64 row (`_encode`); a summary of format 2 is read and stored again as 3.
VERSION = 3
#: Older formats read as the one of the same figures they only encode differently (stored again in it, without
#: reading any ticket).
SAME_FIGURES = {2: 3}
#: Days read or summed per query when summaries are made (a cold year: 118 MiB of extra memory with 10, 171 with 31).
CHUNK_DAYS = 10
#: Open tickets read per query (an IN list).
CHUNK_IDS = 500
#: Up to this many open tickets of a period's summaries are read by id; more, by their open state (`_versions`).
FEW_IDS = 4 * CHUNK_IDS

_DAY_MINUTES = 24 * 60
_SCALE = 2.0**80  # a duration's seconds x 2**80 is an integer: see the module's docstring
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
STATS = ("wait", "step_wait", "service", "elapsed")
COUNTS = (
    "issued",
    "served",
    "visits",
    "calls",
    "started",
    "finished",
    "handed_over",
    "no_shows",
    "returns",
    "judged",
    "within",
    "berkas",
    "berkas_within",
    "over_n",
    "over_sum",
)


def _us(moment: datetime) -> int:
    return (moment - _EPOCH) // _US


def _exact(seconds: float) -> int:
    """The float exactly, as an integer number of 2**-80 seconds."""
    return int(seconds * _SCALE)


# ---- a group's figures, mergeable ------------------------------------------------------


class _Group:
    """The figures of one group in one part of a report: added up across days and parts."""

    __slots__ = ("counts", "first", "last", "pendings", "states", "sums", "values")

    def __init__(self) -> None:
        self.counts = dict.fromkeys(COUNTS, 0)
        self.states: dict[str, int] = {}
        self.pendings: dict[str, int] = {}
        # Chunks of durations in microseconds: the first an int list this part fills, then int64 arrays or lists.
        self.values: dict[str, list[Any]] = {k: [[]] for k in STATS}
        self.sums = dict.fromkeys(STATS, 0)
        self.first: list[Any] | None = None  # order key of the group's first visit (officers and counters)
        self.last: list[Any] | None = None  # [order key, what the full report takes from its last member]

    def add(self, other: _Group) -> None:
        for k, n in other.counts.items():
            self.counts[k] += n
        for k, n in other.states.items():
            self.states[k] = self.states.get(k, 0) + n
        for k, n in other.pendings.items():
            self.pendings[k] = self.pendings.get(k, 0) + n
        for k in STATS:
            self.values[k].extend(other.values[k])
            self.sums[k] += other.sums[k]
        if other.first is not None and (self.first is None or other.first < self.first):
            self.first = other.first
        if other.last is not None and (self.last is None or other.last[0] > self.last[0]):
            self.last = other.last

    def duration(self, stat: str, us: int, exact: int) -> None:
        self.values[stat][0].append(us)
        self.sums[stat] += exact

    def stats(self, stat: str) -> Stats:
        data = _flat(self.values[stat])
        n = len(data)
        if not n:
            return Stats()
        mid = n // 2
        rank = max(1, -(-90 * n // 100)) - 1
        picks = sorted({mid, rank, mid - 1 if n % 2 == 0 else mid})
        part = np.partition(data, picks)

        def at(i: int) -> float:
            return int(part[i]) / 1_000_000  # what timedelta.total_seconds() gives

        median = at(mid) if n % 2 else (at(mid - 1) + at(mid)) / 2
        return Stats(n, (self.sums[stat] / 2**80) / n, median, at(rank))


@dataclass
class _Hall:
    """One day's visits of steps the resident attends, for the queue series (microseconds)."""

    entered: list[Any] = field(default_factory=list)  # chunks: int lists or int64 arrays
    left: list[Any] = field(default_factory=list)
    never_left: int = 0  # visits with no call, start or end yet
    horizon: int | None = None  # the last moment anything happened to the day's berkas on that day
    tickets: int = 0

    def add(self, other: _Hall) -> None:
        self.entered.extend(other.entered)
        self.left.extend(other.left)
        self.never_left += other.never_left
        self.tickets += other.tickets
        if other.horizon is not None and (self.horizon is None or other.horizon > self.horizon):
            self.horizon = other.horizon


@dataclass
class _Part:
    """The figures of some berkas of one service day."""

    groups: dict[str, _Group] = field(default_factory=dict)
    hall: _Hall = field(default_factory=_Hall)

    def group(self, key: str) -> _Group:
        g = self.groups.get(key)
        if g is None:
            g = self.groups[key] = _Group()
        return g

    def add(self, other: _Part) -> None:
        for key, g in other.groups.items():
            self.group(key).add(g)
        self.hall.add(other.hall)


def _part(loket: Context, day: date, tickets: Iterable[_Ticket]) -> _Part:
    """Sum some berkas of one day exactly as `compute._row` and `queue_series` read them."""
    part = _Part()
    day_end = _us(loket.clock.day_start(day + timedelta(days=1)))
    hall = part.hall
    entered: list[int] = []
    left: list[int] = []
    hall.entered.append(entered)
    hall.left.append(left)
    for t in tickets:
        hall.tickets += 1
        tkey = [_us(t.issued_at), t.id]
        hour = loket.clock.local(t.issued_at).hour
        ticket_groups = [part.group("all"), part.group(f"svc:{t.service}"), part.group(f"hour:{hour}")]
        wait = t.wait
        elapsed = t.elapsed
        if wait is not None:
            first_call = min(v.called_at for v in t.visits if v.step_index == 0 and v.called_at)
            wait_us, wait_exact = _us(first_call) - tkey[0], _exact(wait)
        if elapsed is not None:
            elapsed_us, elapsed_exact = _us(t.closed_at) - tkey[0], _exact(elapsed)  # type: ignore[arg-type]
        for g in ticket_groups:
            c = g.counts
            c["issued"] += 1
            c["served"] += t.done
            g.states[t.state] = g.states.get(t.state, 0) + 1
            if t.within is not None:
                c["berkas"] += 1
                c["berkas_within"] += t.within
            if wait is not None:
                g.duration("wait", wait_us, wait_exact)
            if elapsed is not None:
                g.duration("elapsed", elapsed_us, elapsed_exact)
        service_group = ticket_groups[1]
        if service_group.last is None or tkey > service_group.last[0]:
            service_group.last = [tkey, t.target_seconds]
        for position, v in enumerate(t.visits):
            vkey = [*tkey, position]
            step_group = part.group(f"step:{t.service}#{v.step_index}")
            groups = [*ticket_groups, step_group]
            if v.officer_id is not None:
                groups.append(part.group(f"off:{v.officer_id}"))
            if v.counter_id is not None:
                groups.append(part.group(f"ctr:{v.counter_id}"))
            step = t.steps[v.step_index] if v.step_index < len(t.steps) else {}
            if step_group.last is None or vkey > step_group.last[0]:
                step_group.last = [
                    vkey,
                    {
                        "role": v.role,
                        "action": step.get("action"),
                        "target_minutes": step.get("target_minutes"),
                        "resident_present": bool(step.get("resident_present")),
                    },
                ]
            step_wait = v.wait
            service = v.service_seconds
            within = v.within
            over_exact = _exact(v.over) if within is not None else 0  # type: ignore[arg-type]
            entered_us = _us(v.entered_at)
            if step_wait is not None:
                step_wait_us, step_wait_exact = _us(v.called_at or v.started_at) - entered_us, _exact(step_wait)  # type: ignore[arg-type]
            if service is not None:
                service_us, service_exact = _us(v.ended_at) - _us(v.started_at), _exact(service)  # type: ignore[arg-type]
            for g in groups:
                c = g.counts
                c["visits"] += 1
                if within is not None:
                    c["judged"] += 1
                    c["within"] += within
                    c["over_n"] += 1
                    c["over_sum"] += over_exact
                if v.outcome == "advanced":
                    c["finished"] += 1
                    c["handed_over"] += v.last_step
                elif v.outcome == "pended":
                    if v.reason in REASONS:
                        g.pendings[v.reason] = g.pendings.get(v.reason, 0) + 1
                elif v.outcome == "no_show":
                    c["no_shows"] += 1
                elif v.outcome == "returned":
                    c["returns"] += 1
                if v.called_at:
                    c["calls"] += 1
                if v.started_at:
                    c["started"] += 1
                if step_wait is not None:
                    g.duration("step_wait", step_wait_us, step_wait_exact)
                if service is not None:
                    g.duration("service", service_us, service_exact)
            for g in groups[3:]:
                if g.first is None or vkey < g.first:
                    g.first = vkey
            for m in (v.entered_at, v.called_at, v.started_at, v.ended_at):
                if m:
                    at = _us(m)
                    if at < day_end and (hall.horizon is None or at > hall.horizon):
                        hall.horizon = at
            if step.get("resident_present"):
                entered.append(entered_us)
                if v.queue_end is None:
                    hall.never_left += 1
                else:
                    left.append(_us(v.queue_end))
    return part


# ---- the live days, at once ---------------------------------------------------------------------

_NAT = np.iinfo(np.int64).min  # a missing moment, as datetime64's NaT reads in int64
_NAIVE = DateTime()  # the stored naive UTC, without the aware wrapper made per value (UTCDateTime)
_OUTCOMES = {"advanced": 1, "pended": 2, "no_show": 3, "returned": 4}


_NAIVE_EPOCH = datetime(1970, 1, 1)


def _moment(column: Any, dialect: str) -> Any:
    """A datetime column selected in the form `_instants` turns into microseconds fastest.

    SQLite stores the text SQLAlchemy wrote ("2026-11-23 01:02:03.123456"), which numpy parses at once;
    PostgreSQL gives the microseconds itself (extract is exact: numeric since version 14, and before it a
    double whose error at today's epoch is under a microsecond, which the cast rounds away); any other
    database gives naive datetimes, converted in Python (numpy's own conversion of datetime objects is
    several times slower still).
    """
    if dialect == "sqlite":
        return type_coerce(column, String)
    if dialect == "postgresql":
        return cast(func.extract("epoch", column) * 1_000_000, BigInteger)
    return type_coerce(column, _NAIVE)


def _instants(values: list[Any], dialect: str) -> Any:
    """The values of `_moment` columns as int64 microseconds since the epoch (NULL: _NAT)."""
    if dialect == "sqlite":
        return np.array(values, dtype="datetime64[us]").astype(np.int64)
    if dialect == "postgresql":
        return np.array([_NAT if v is None else v for v in values], dtype=np.int64)
    epoch, us = _NAIVE_EPOCH, _US
    return np.array([_NAT if v is None else (v - epoch) // us for v in values], dtype=np.int64)


def _exacts(us: Any) -> list[int]:
    """`_exact(us / 1e6)` of each: the same float (int64 / 1e6 is correctly rounded, as int / int), times 2**80."""
    return list(map(int, (us / 1_000_000 * _SCALE).tolist()))


def live_parts(loket: Context, since: date, end: date, site: str | None = None) -> dict[tuple[str, date], _Part]:
    """`_part` of every day since..end, for all its berkas: the same figures, from a few columns at once.

    Today is never summarized, so this runs for every report that includes today: rather than making a
    `_Ticket` and `_Visit` per row and adding each visit to each of its groups in Python, it reads the
    columns it needs (naive datetimes, converted to microseconds by numpy), derives every visit's figures
    as arrays, and sums each group with a few array operations. Keyed by (site, day): at the hub, each site's
    berkas apart (`site`: of that site only).
    """
    which = in_period(since, end, site)
    dialect = loket.store.engine.dialect.name
    with loket.store.read() as s:
        tickets = s.execute(
            select(
                Ticket.id,
                Ticket.service_code,
                Ticket.service_day,
                Ticket.state,
                _moment(Ticket.issued_at, dialect),
                _moment(Ticket.closed_at, dialect),
                cast(Ticket.steps, Text),
                Ticket.site,
            )
            .where(which)
            .order_by(Ticket.issued_at, Ticket.id)
        ).all()
        if not tickets:
            return {}
        period_ids = select(Ticket.id).where(which)
        visits = s.execute(
            select(
                StepVisit.ticket_id,
                StepVisit.step_index,
                StepVisit.role,
                StepVisit.target_minutes,
                StepVisit.officer_id,
                StepVisit.counter_id,
                _moment(StepVisit.entered_at, dialect),
                _moment(StepVisit.called_at, dialect),
                _moment(StepVisit.started_at, dialect),
                _moment(StepVisit.ended_at, dialect),
                StepVisit.outcome,
            )
            .where(StepVisit.ticket_id.in_(period_ids))
            .order_by(StepVisit.id)
        ).all()
        # As `compute.load_tickets`: the n-th pended visit of a berkas has the reason of its n-th pended event.
        reasons: dict[int, list[str | None]] = {}
        for ticket_id, payload in s.execute(
            select(EventRecord.ticket_id, EventRecord.payload)
            .where(EventRecord.kind == "ticket.pended", EventRecord.ticket_id.in_(period_ids))
            .order_by(EventRecord.id)
        ):
            reasons.setdefault(ticket_id, []).append((payload or {}).get("reason"))
    by_ticket: dict[int, list[Any]] = {}
    for v in visits:
        by_ticket.setdefault(v[0], []).append(v)
    by_day: dict[tuple[str, date], list[Any]] = {}
    for t in tickets:
        by_day.setdefault((t[7], t[2]), []).append(t[:7])
    # As `compute._exclude_disruptions`: a visit's seconds inside a disruption (of its own site) are not judged. A
    # visit of these days starts after its ticket was issued and ends by now.
    spans = {
        code: intervals(loket, loket.clock.day_start(since), loket.clock.now() + timedelta(days=1), code)
        for code in {key[0] for key in by_day}
    }
    return {
        key: _live_part(loket, key[1], rows, by_ticket, reasons, dialect, spans[key[0]]) for key, rows in by_day.items()
    }


def _live_part(
    loket: Context,
    day: date,
    tickets: list[Any],
    by_ticket: dict[int, list[Any]],
    reasons: dict[int, list[Any]],
    dialect: str,
    spans: dict[str | None, list[tuple[datetime, datetime]]] | None = None,
) -> _Part:
    """`_part(loket, day, tickets)` from rows: ticket rows in report order, their visit rows in id order."""
    snapshots: dict[str, tuple[list[dict[str, Any]], int | None]] = {}
    # Per ticket.
    t_ids: list[int] = []
    t_codes: list[str] = []
    t_states: list[str] = []
    issued: list[Any] = []
    closed: list[Any] = []
    t_targets: list[int | None] = []
    t_steps: list[list[dict[str, Any]]] = []
    t_first: list[int] = [0]  # where each ticket's visits begin (and the last one's end) in report order
    for tid, code, _day, state, t_issued, t_closed, steps_text in tickets:
        snapshot = snapshots.get(steps_text)
        if snapshot is None:
            steps = json.loads(steps_text)
            targets = [s["target_minutes"] for s in steps if s.get("target_minutes") is not None]
            snapshot = snapshots[steps_text] = (steps, sum(targets) * 60 if targets else None)
        t_ids.append(tid)
        t_codes.append(code)
        t_states.append(state)
        issued.append(t_issued)
        closed.append(t_closed)
        t_steps.append(snapshot[0])
        t_targets.append(snapshot[1])
        t_first.append(t_first[-1] + len(by_ticket.get(tid, ())))
    # Per visit, in report order (ticket, then id): the order of `_part`'s visit keys.
    rows = [v for tid in t_ids for v in by_ticket.get(tid, ())]
    n_tickets = len(t_ids)
    n_visits = len(rows)
    columns: list[Any] = list(zip(*rows, strict=True)) if rows else [()] * 11
    _, v_index, v_role, v_target, v_officer, v_counter, *v_moments, v_outcomes = columns
    v_ticket = [ti for ti in range(n_tickets) for _ in range(t_first[ti + 1] - t_first[ti])]
    v_position = [vi - t_first[ti] for vi, ti in enumerate(v_ticket)]
    v_outcome = [_OUTCOMES.get(o, 0) for o in v_outcomes]
    v_present = [
        index < len(t_steps[ti]) and bool(t_steps[ti][index].get("resident_present"))
        for ti, index in zip(v_ticket, v_index, strict=True)
    ]
    v_last = [index == len(t_steps[ti]) - 1 for ti, index in zip(v_ticket, v_index, strict=True)]
    # As `compute.load_tickets`: the n-th pended visit of a berkas has the reason of its n-th pended event.
    v_reason: dict[int, str | None] = {}
    other = PendingReason.OTHER.value
    for vi, kind in enumerate(v_outcome):
        if kind == 2:
            queue = reasons.get(t_ids[v_ticket[vi]])
            v_reason[vi] = queue.pop(0) if queue else other
    part = _Part()

    # ---- every visit's figures, as arrays
    tix = np.array(v_ticket, dtype=np.int64)
    entered, called, started, ended = (_instants(m, dialect) for m in v_moments)
    has_call, has_start, has_end = called != _NAT, started != _NAT, ended != _NAT
    outcome = np.array(v_outcome, dtype=np.int8)
    finished = outcome == 1
    step_index = np.array(v_index, dtype=np.int64)
    target = np.array([-1 if t is None else t for t in v_target], dtype=np.int64)
    present = np.array(v_present, dtype=bool)
    has_wait = has_call | has_start
    step_wait = np.where(has_wait, np.where(has_call, called, started) - entered, 0)
    has_service = has_start & has_end
    service_us = np.where(has_service, ended - started, 0)
    service = service_us / 1_000_000  # what timedelta.total_seconds() gives
    # `_Visit.excluded`: the microseconds inside the merged disruptions of its service and of the office.
    excluded_us = np.zeros(n_visits, dtype=np.int64)
    if spans:
        v_codes = [t_codes[ti] for ti in v_ticket]
        for code in set(v_codes):
            merged = merged_for(spans, code)
            if not merged:
                continue
            sel = np.array([i for i, c in enumerate(v_codes) if c == code], dtype=np.int64)
            sel = sel[has_service[sel]]
            for off, on in merged:
                lo = np.maximum(started[sel], _us(off))
                hi = np.minimum(ended[sel], _us(on))
                excluded_us[sel] += np.maximum(0, hi - lo)
    judged_service = service - excluded_us / 1_000_000
    judged = finished & (target >= 0) & has_service
    limit = target * 60
    within = judged & (judged_service <= limit)
    over = np.where(judged, np.maximum(0.0, judged_service - limit), 0.0)
    over_exact = np.array(list(map(int, (over * _SCALE).tolist())), dtype=object)
    step_wait_exact = np.array(_exacts(step_wait), dtype=object)
    service_exact = np.array(_exacts(service_us), dtype=object)
    handed = finished & np.array(v_last, dtype=bool)

    # ---- every ticket's figures
    issued_us = _instants(issued, dialect)
    closed_us = _instants(closed, dialect)
    done = np.array([state == TicketState.DONE.value for state in t_states], dtype=bool)
    first_call = np.full(n_tickets, np.iinfo(np.int64).max, dtype=np.int64)
    at_first = (step_index == 0) & has_call
    np.minimum.at(first_call, tix[at_first], called[at_first])
    has_ticket_wait = first_call != np.iinfo(np.int64).max
    ticket_wait = np.where(has_ticket_wait, first_call - issued_us, 0)
    has_elapsed = done & (closed_us != _NAT)
    elapsed = np.where(has_elapsed, closed_us - issued_us, 0)
    ticket_wait_exact = np.array(_exacts(ticket_wait), dtype=object)
    elapsed_exact = np.array(_exacts(elapsed), dtype=object)
    services = np.where(has_service, judged_service, 0.0).tolist()
    serviced = has_service.tolist()
    berkas_within: list[int] = []  # 1 within, 0 not, -1 not judged
    for ti in range(n_tickets):
        if not done[ti] or t_targets[ti] is None:
            berkas_within.append(-1)
            continue
        a, b = t_first[ti], t_first[ti + 1]
        # `_Ticket.judged_seconds`: the same floats added in the same order.
        total = sum(services[i] for i in range(a, b) if serviced[i])
        berkas_within.append(int(total <= t_targets[ti]))
    berkas = np.array(berkas_within, dtype=np.int8)
    hours = [loket.clock.local(_EPOCH + at * _US).hour for at in issued_us.tolist()]

    def tkey(ti: int) -> list[Any]:
        return [int(issued_us[ti]), t_ids[ti]]

    def vkey(vi: int) -> list[Any]:
        return [*tkey(v_ticket[vi]), v_position[vi]]

    def add_visits(g: _Group, idx: Any) -> None:
        c = g.counts
        c["visits"] += len(idx)
        judged_here = idx[judged[idx]]
        c["judged"] += len(judged_here)
        c["within"] += int(within[idx].sum())
        c["over_n"] += len(judged_here)
        c["over_sum"] += sum(over_exact[judged_here].tolist())
        kinds = outcome[idx]
        c["finished"] += int((kinds == 1).sum())
        c["handed_over"] += int(handed[idx].sum())
        c["no_shows"] += int((kinds == 3).sum())
        c["returns"] += int((kinds == 4).sum())
        c["calls"] += int(has_call[idx].sum())
        c["started"] += int(has_start[idx].sum())
        for vi in idx[kinds == 2].tolist():
            reason = v_reason.get(vi)
            if reason in REASONS:
                g.pendings[reason] = g.pendings.get(reason, 0) + 1
        waits = idx[has_wait[idx]]
        g.values["step_wait"] = [step_wait[waits]]
        g.sums["step_wait"] += sum(step_wait_exact[waits].tolist())
        served = idx[has_service[idx]]
        g.values["service"] = [service_us[served]]
        g.sums["service"] += sum(service_exact[served].tolist())

    def add_tickets(g: _Group, tis: Any) -> None:
        c = g.counts
        c["issued"] += len(tis)
        c["served"] += int(done[tis].sum())
        judged_berkas = berkas[tis]
        c["berkas"] += int((judged_berkas >= 0).sum())
        c["berkas_within"] += int((judged_berkas == 1).sum())
        for ti in tis.tolist():
            g.states[t_states[ti]] = g.states.get(t_states[ti], 0) + 1
        waits = tis[has_ticket_wait[tis]]
        g.values["wait"] = [ticket_wait[waits]]
        g.sums["wait"] += sum(ticket_wait_exact[waits].tolist())
        ends = tis[has_elapsed[tis]]
        g.values["elapsed"] = [elapsed[ends]]
        g.sums["elapsed"] += sum(elapsed_exact[ends].tolist())

    def by(codes: list[Any]) -> Iterator[tuple[Any, Any]]:
        """Each code that occurs, with the positions (ascending) that hold it."""
        seen: dict[Any, list[int]] = {}
        for i, code in enumerate(codes):
            seen.setdefault(code, []).append(i)
        for code, positions in seen.items():
            yield code, np.array(positions, dtype=np.int64)

    all_tickets = np.arange(n_tickets, dtype=np.int64)
    all_visits = np.arange(n_visits, dtype=np.int64)
    everything = part.group("all")
    add_tickets(everything, all_tickets)
    add_visits(everything, all_visits)
    v_codes = [t_codes[ti] for ti in v_ticket]
    v_hours = [hours[ti] for ti in v_ticket]
    visits_of: dict[str, dict[Any, Any]] = {
        "svc": dict(by(v_codes)),
        "hour": dict(by(v_hours)),
    }
    for prefix, codes in (("svc", t_codes), ("hour", hours)):
        for code, tis in by(codes):
            g = part.group(f"{prefix}:{code}")
            add_tickets(g, tis)
            idx = visits_of[prefix].get(code)
            if idx is not None:
                add_visits(g, idx)
            if prefix == "svc":
                g.last = [tkey(int(tis[-1])), t_targets[int(tis[-1])]]
    # Groups of visits: a step of a service, an officer, a counter (`first` and `last` are visit keys).
    step_codes = [f"{t_codes[ti]}#{index}" for ti, index in zip(v_ticket, v_index, strict=True)]
    for prefix, codes in (("step", step_codes), ("off", v_officer), ("ctr", v_counter)):
        for code, idx in by(codes):
            if code is None:
                continue
            g = part.group(f"{prefix}:{code}")
            add_visits(g, idx)
            g.first = vkey(int(idx[0]))
            if prefix == "step":
                vi = int(idx[-1])
                steps = t_steps[v_ticket[vi]]
                step = steps[v_index[vi]] if v_index[vi] < len(steps) else {}
                g.last = [
                    vkey(vi),
                    {
                        "role": v_role[vi],
                        "action": step.get("action"),
                        "target_minutes": step.get("target_minutes"),
                        "resident_present": bool(step.get("resident_present")),
                    },
                ]

    # ---- the hall
    hall = part.hall
    hall.tickets = n_tickets
    queue_end = np.where(has_call, called, np.where(has_start, started, ended))
    left = present & (queue_end != _NAT)
    hall.entered = [entered[present]]
    hall.left = [queue_end[left]]
    hall.never_left = int((present & (queue_end == _NAT)).sum())
    day_end = _us(loket.clock.day_start(day + timedelta(days=1)))
    moments = np.concatenate([entered, called, started, ended])
    moments = moments[(moments != _NAT) & (moments < day_end)]
    hall.horizon = int(moments.max()) if len(moments) else None
    return part


# ---- stored summaries -------------------------------------------------------------------
#
# Format 3: a part's figures are one int64 row per group (the counts, the states, the pending reasons, each exact
# sum as three 40-bit limbs, and where the group's durations of each kind lie in the part's durations), stored ahead
# of the durations themselves; the group keys, the first and last visits' order keys and the hall's few numbers stay
# in a small compressed JSON. A year of rows is summed with a few array operations (`_merged`) instead of decoding
# and adding a JSON document per group and day. Format 2 (a JSON document of every group) is still read.

_PLAIN = [k for k in COUNTS if k != "over_sum"]
_STATES = [s.value for s in TicketState]
_SUMS = [*STATS, "over_sum"]
_LIMB = 40
_MASK = (1 << _LIMB) - 1
_FIGURES = len(_PLAIN) + len(_STATES) + len(REASONS) + 3 * len(_SUMS)  # the columns that add up
_WIDTH = _FIGURES + 2 * len(STATS)  # then [start, end) of each kind of duration


def _encode(part: _Part) -> tuple[dict[str, Any], Any, Any]:
    """A part as (its keys, first and last keys and hall as JSON-able data, its int64 rows, its durations)."""
    keys = list(part.groups)
    rows: list[list[int]] = []
    chunks: list[Any] = []
    offset = 0
    ends: dict[str, list[Any]] = {}

    def slot(data: Any) -> list[int]:
        nonlocal offset
        chunks.append(data)
        offset += len(data)
        return [offset - len(data), offset]

    for key in keys:
        g = part.groups[key]
        row = [g.counts[k] for k in _PLAIN]
        row += [g.states.get(s, 0) for s in _STATES]
        row += [g.pendings.get(r, 0) for r in REASONS]
        for k in _SUMS:
            x = g.counts["over_sum"] if k == "over_sum" else g.sums[k]
            row += [x & _MASK, (x >> _LIMB) & _MASK, x >> (2 * _LIMB)]
        for k in STATS:
            row += slot(_flat(g.values[k]))
        rows.append(row)
        if g.first is not None or g.last is not None:
            ends[key] = [g.first, g.last]
    hall = part.hall
    figures = {
        "keys": keys,
        "ends": ends,
        "hall": {
            "entered": slot(_flat(hall.entered)),
            "left": slot(_flat(hall.left)),
            "never_left": hall.never_left,
            "horizon": hall.horizon,
            "tickets": hall.tickets,
        },
    }
    matrix = np.array(rows, dtype=np.int64).reshape(len(keys), _WIDTH)
    values = np.concatenate(chunks).astype(np.int64, copy=False) if offset else np.empty(0, dtype=np.int64)
    return figures, matrix, values


def _dump(part: _Part) -> tuple[bytes, bytes]:
    """A part as stored: (compressed JSON of its keys and hall, its int64 rows followed by its durations)."""
    figures, matrix, values = _encode(part)
    data = np.concatenate([matrix.ravel(), values]).astype("<i8", copy=False)
    return zlib.compress(json.dumps(figures, separators=(",", ":")).encode(), 1), data.tobytes()


def _sum_of(row: Any, k: str) -> int:
    at = len(_PLAIN) + len(_STATES) + len(REASONS) + 3 * _SUMS.index(k)
    return int(row[at]) + (int(row[at + 1]) << _LIMB) + (int(row[at + 2]) << (2 * _LIMB))


def _group_of(row: Any) -> _Group:
    """A group from its summed row (its durations are set apart)."""
    g = _Group()
    counts = row[: len(_PLAIN)].tolist()
    g.counts = dict(zip(_PLAIN, counts, strict=True))
    g.counts["over_sum"] = _sum_of(row, "over_sum")
    at = len(_PLAIN)
    g.states = {s: n for s, n in zip(_STATES, row[at : at + len(_STATES)].tolist(), strict=True) if n}
    at += len(_STATES)
    g.pendings = {r: n for r, n in zip(REASONS, row[at : at + len(REASONS)].tolist(), strict=True) if n}
    g.sums = {k: _sum_of(row, k) for k in STATS}
    return g


class _Doc:
    """A part as stored (format 3): its group rows and durations as arrays, summed by `_merged`."""

    def __init__(self, figures: dict[str, Any], matrix: Any, values: Any) -> None:
        self.keys: list[str] = figures["keys"]
        self.ends: dict[str, list[Any]] = figures["ends"]
        self.hall_data: dict[str, Any] = figures["hall"]
        self.matrix = matrix
        self.values = values

    @classmethod
    def read(cls, figures: bytes, durations: bytes, version: int = 3) -> _Doc:
        if version == 2:
            return cls.of(_read_v2(figures, durations))
        data = json.loads(zlib.decompress(figures))
        stored = np.frombuffer(durations, dtype="<i8")
        cells = len(data["keys"]) * _WIDTH
        return cls(data, stored[:cells].reshape(-1, _WIDTH), stored[cells:])

    @classmethod
    def of(cls, part: _Part) -> _Doc:
        return cls(*_encode(part))

    @property
    def tickets(self) -> int:
        return int(self.hall_data["tickets"])

    def hall(self) -> _Hall:
        h, values = self.hall_data, self.values
        (a, b), (c, d) = h["entered"], h["left"]
        return _Hall(
            [values[a:b]],
            [values[c:d]],
            h["never_left"],
            h["horizon"],
            h["tickets"],
        )

    def part(self) -> _Part:
        part = _Part()
        for r, key in enumerate(self.keys):
            row = self.matrix[r]
            g = part.groups[key] = _group_of(row)
            for i, k in enumerate(STATS):
                a, b = int(row[_FIGURES + 2 * i]), int(row[_FIGURES + 2 * i + 1])
                g.values[k] = [[], self.values[a:b]]
            g.first, g.last = self.ends.get(key, (None, None))
        part.hall = self.hall()
        return part


def _read_v2(figures: bytes, durations: bytes) -> _Part:
    """A part stored in format 2 (a JSON document of every group, then its durations)."""
    data = json.loads(zlib.decompress(figures))
    values = np.frombuffer(durations, dtype="<i8")
    part = _Part()
    for key, doc in data["groups"].items():
        g = part.group(key)
        for k, n in doc["c"].items():
            g.counts[k] += n
        g.states = dict(doc["st"])
        g.pendings = dict(doc["p"])
        for k, (a, b) in doc["v"].items():
            g.values[k] = [[], values[a:b]]
        for k, n in doc["s"].items():
            g.sums[k] += n
        g.first, g.last = doc["f"], doc["l"]
    h = data["hall"]
    part.hall = _Hall(
        [values[slice(*h["entered"])]], [values[slice(*h["left"])]], h["never_left"], h["horizon"], h["tickets"]
    )
    return part


class _Lazy:
    """A group's durations of one kind, slices of the parts' durations: gathered only when its statistics are computed
    (the parts' durations are not copied into one array first: a year's are ~40 MB)."""

    __slots__ = ("docs", "lengths", "sources", "starts")

    def __init__(self, sources: list[Any], docs: Any, starts: Any, lengths: Any) -> None:
        self.sources, self.docs, self.starts, self.lengths = sources, docs, starts, lengths

    def __len__(self) -> int:
        return int(self.lengths.sum())

    def array(self) -> Any:
        sources = self.sources
        pieces = [
            sources[d][a : a + n]
            for d, a, n in zip(self.docs.tolist(), self.starts.tolist(), self.lengths.tolist(), strict=True)
        ]
        return pieces[0] if len(pieces) == 1 else np.concatenate(pieces)


def _merged(
    docs: list[tuple[Key, _Doc]],
) -> tuple[dict[str, _Group], dict[date, _Group], dict[date, list[_Hall]]]:
    """Every group of these parts summed, each day's "all" group summed, and each day's halls (one per site)."""
    index: dict[Any, int] = {}
    matrices: list[Any] = []
    targets: list[list[int]] = []
    numbers: list[Any] = []  # each row's part, by its place in `sources`
    sources: list[Any] = []
    hall_at: list[tuple[Key, _Doc]] = []
    for (site, day), doc in docs:
        at = [index.setdefault(k, len(index)) for k in doc.keys]
        matrices.append(doc.matrix)
        targets.append(at)
        numbers.append(np.full(len(at), len(sources), dtype=np.int64))
        if "all" in doc.keys:  # the day's own row
            r = doc.keys.index("all")
            matrices.append(doc.matrix[r : r + 1])
            targets.append([index.setdefault(("day", day), len(index))])
            numbers.append(np.full(1, len(sources), dtype=np.int64))
        hall_at.append(((site, day), doc))
        sources.append(doc.values)
    if not docs:
        return {}, {}, {}
    matrix = np.concatenate(matrices)
    target = np.fromiter((t for at in targets for t in at), dtype=np.int64, count=len(matrix))
    number = np.concatenate(numbers)
    order = np.argsort(target, kind="stable")
    matrix, target, number = matrix[order], target[order], number[order]
    starts = np.flatnonzero(np.r_[True, target[1:] != target[:-1]])
    stops = np.r_[starts[1:], len(target)]
    totals = np.add.reduceat(matrix[:, :_FIGURES], starts, axis=0)
    keys = list(index)
    groups: dict[str, _Group] = {}
    days_all: dict[date, _Group] = {}
    for j, (a, b) in enumerate(zip(starts.tolist(), stops.tolist(), strict=True)):
        g = _group_of(totals[j])
        for i, k in enumerate(STATS):
            begin = matrix[a:b, _FIGURES + 2 * i]
            lengths = matrix[a:b, _FIGURES + 2 * i + 1] - begin
            kept = lengths > 0
            g.values[k] = [_Lazy(sources, number[a:b][kept], begin[kept], lengths[kept])] if kept.any() else [[]]
        key = keys[int(target[a])]
        if isinstance(key, tuple):
            days_all[key[1]] = g
        else:
            groups[key] = g
    for _key, doc in hall_at:
        for key, (first, last) in doc.ends.items():
            g = groups[key]
            if first is not None and (g.first is None or first < g.first):
                g.first = first
            if last is not None and (g.last is None or last[0] > g.last[0]):
                g.last = last
    site_halls: dict[Key, _Hall] = {}
    for key, doc in hall_at:
        site_halls.setdefault(key, _Hall()).add(doc.hall())
    halls: dict[date, list[_Hall]] = {}
    for (_site, day), hall in site_halls.items():  # in the order of the sites
        halls.setdefault(day, []).append(hall)
    return groups, days_all, halls


@dataclass
class _Summary:
    """A past day of one site as stored: its final berkas, and its open berkas with their ticket versions."""

    final: _Part | _Doc
    open: _Part | _Doc
    versions: dict[int, int]  # open ticket id -> its version when summed
    #: What it counted: the site's tickets of the day and the largest id among them (late rows move them).
    counted: tuple[int, int] = (0, 0)
    #: Stored in an older format of the same figures (SAME_FIGURES): stored again in this one.
    older: bool = False


#: (site, day): one site's berkas of one service day.
Key = tuple[str, date]


def _counted(loket: Context, start: date, end: date, site: str | None) -> dict[Key, tuple[int, int]]:
    """Per site and day of start..end: how many tickets, and the largest id among them.

    At the hub a site's rows arrive by replication, and a site cut off for days delivers a closed day's tickets
    late: a summary that counted fewer is made again. (At a single office or a site no ticket is ever issued on a
    past day; the same check also sees one written there by hand.)"""
    with loket.store.read() as s:
        rows = s.execute(
            select(Ticket.service_day, Ticket.site, func.count(), func.max(Ticket.id))
            .where(in_period(start, end, site))
            .group_by(Ticket.service_day, Ticket.site)  # in the order of ix_ticket_day_site: no sort
        ).all()
    return {(code, day): (int(n), int(last)) for day, code, n, last in rows}


def _summaries(
    loket: Context, start: date, end: date, site: str | None, counted: dict[Key, tuple[int, int]]
) -> dict[Key, _Summary]:
    """The stored summaries of the past days start..end that are of this format and time zone, and counted the
    tickets there are now."""
    zone = str(loket.clock.tz)
    found: dict[Key, _Summary] = {}
    query = select(
        ReportDay.site,
        ReportDay.day,
        ReportDay.version,
        ReportDay.timezone,
        ReportDay.figures,
        ReportDay.durations,
        ReportDay.open_versions,
        ReportDay.open_figures,
        ReportDay.open_durations,
        ReportDay.tickets,
        ReportDay.last_ticket_id,
    ).where(ReportDay.day >= start, ReportDay.day <= end)
    if site is not None:
        query = query.where(ReportDay.site == site)
    with loket.store.read() as s:
        for code, day, version, timezone, figures, durations, versions, open_figures, open_durations, n, last in _rows(
            s, query
        ):
            key = (code, day)
            what = (n, last)
            readable = version == VERSION or SAME_FIGURES.get(version) == VERSION
            if readable and timezone == zone and counted.get(key) == what:
                found[key] = _Summary(
                    _Doc.read(figures, durations, version),
                    _Doc.read(open_figures, open_durations, version),
                    {tid: v for tid, v in versions},
                    what,
                    older=version != VERSION,
                )
    return found


def _rows(s: Any, query: Any) -> Iterator[tuple[Any, ...]]:
    """The query's rows, a month of them at a time (PostgreSQL's driver would otherwise hold the whole year's result
    beside the arrays made of it).

    On PostgreSQL in binary: a year's durations are ~40 MB, which the text protocol sends as twice as many hex digits
    for psycopg to decode (~400 ms of wall time and ~150 ms of CPU, against ~150 and ~50 in binary)."""
    if s.get_bind().dialect.name != "postgresql" or s.get_bind().dialect.driver != "psycopg":
        yield from s.execute(query.execution_options(yield_per=31))
        return
    compiled = query.compile(dialect=s.get_bind().dialect)
    driver = s.connection().connection.driver_connection
    with driver.cursor(name="loket_report_days", binary=True) as cursor:
        cursor.itersize = 31
        cursor.execute(str(compiled), compiled.params)
        yield from cursor


def _split(
    loket: Context,
    day: date,
    tickets: list[_Ticket],
    final: _Part | None = None,
    counted: tuple[int, int] | None = None,
) -> _Summary:
    """A day's berkas summed: the final ones (added to `final`), the open ones apart with their versions.

    `counted`: what the day's summary counts (by default, these tickets: every ticket of the site and day)."""
    done = [t for t in tickets if TicketState(t.state) in FINAL]
    still_open = [t for t in tickets if TicketState(t.state) not in FINAL]
    part = _part(loket, day, done)
    if final is not None:
        final.add(part)
        part = final
    if counted is None:
        counted = (len(tickets), max((t.id for t in tickets), default=0))
    return _Summary(part, _part(loket, day, still_open), {t.id: t.version for t in still_open}, counted)


def _store(loket: Context, summaries: dict[Key, _Summary]) -> dict[Key, _Summary]:
    """Write the summaries (replacing any of those days); a concurrent writer of the same days wins.

    Returns them as stored: compact arrays rather than lists of Python ints (a year of them is large).
    """
    if not summaries:
        return {}
    now = loket.clock.now()
    rows: list[dict[str, Any]] = []
    for (site, day), summary in summaries.items():
        figures, durations = _dump(_as_part(summary.final))
        open_figures, open_durations = _dump(_as_part(summary.open))
        rows.append(
            {
                "site": site,
                "day": day,
                "version": VERSION,
                "timezone": str(loket.clock.tz),
                "made_at": now,
                "figures": figures,
                "durations": durations,
                "open_versions": sorted([tid, v] for tid, v in summary.versions.items()),
                "open_figures": open_figures,
                "open_durations": open_durations,
                "tickets": summary.counted[0],
                "last_ticket_id": summary.counted[1],
            }
        )
    by_site: dict[str, list[date]] = {}
    for site, day in summaries:
        by_site.setdefault(site, []).append(day)
    try:
        with loket.store.transaction() as s:
            for site, days in by_site.items():
                s.execute(delete(ReportDay).where(ReportDay.site == site, ReportDay.day.in_(days)))
            s.execute(insert(ReportDay), rows)
    except IntegrityError:
        pass  # another process stored the same days meanwhile: its figures are the same
    return {
        (row["site"], row["day"]): _Summary(
            _Doc.read(row["figures"], row["durations"], row["version"]),
            _Doc.read(row["open_figures"], row["open_durations"], row["version"]),
            summaries[(row["site"], row["day"])].versions,
            summaries[(row["site"], row["day"])].counted,
        )
        for row in rows
    }


def _as_part(source: _Part | _Doc) -> _Part:
    return source.part() if isinstance(source, _Doc) else source


def _by_day(tickets: list[_Ticket]) -> dict[date, list[_Ticket]]:
    by_day: dict[date, list[_Ticket]] = {}
    for t in tickets:
        by_day.setdefault(t.day, []).append(t)
    return by_day


def _versions(loket: Context, ids: list[int], start: date, end: date, site: str | None) -> dict[int, int]:
    """The current version of these berkas (the open ones of the summaries of start..end) that are still open.

    A few (a short period): by primary key, CHUNK_IDS at a time. Many (a long period): one query of the period's open
    states (`ix_ticket_queue_cover` begins with the state) rather than IN lists that SQLAlchemy compiles each time (a
    year: ~8,600 ids in 18 lists, ~100 ms, against ~20-80 ms), though it reads the open berkas of every day on SQLite.
    Either way a berkas a summary counted open and now final is missing from the answer, so its day is stale, as is
    one whose version moved (a berkas final when summed never changes, nor is any berkas issued on a past day)."""
    still_open = sorted(state.value for state in TicketState if state not in FINAL)
    found: dict[int, int] = {}
    with loket.store.read() as s:
        if len(ids) <= FEW_IDS:
            for i in range(0, len(ids), CHUNK_IDS):
                rows = s.execute(
                    select(Ticket.id, Ticket.version).where(
                        Ticket.id.in_(ids[i : i + CHUNK_IDS]), Ticket.state.in_(still_open)
                    )
                )
                found.update({tid: version for tid, version in rows})
            return found
        rows = s.execute(
            select(Ticket.id, Ticket.version).where(Ticket.state.in_(still_open), in_period(start, end, site))
        )
        return {tid: version for tid, version in rows}


def day_parts(loket: Context, start: date, end: date, site: str | None = None) -> dict[Key, list[_Part | _Doc]]:
    """Each site's and day's figures: a past day from its summary (made or brought up to date if needed), later days
    live. `site`: that site's only; None: every site's (at a single office or a site, its one code)."""
    today = loket.clock.today()
    parts: dict[Key, list[_Part | _Doc]] = {}
    last_past = min(end, today - timedelta(days=1))
    if start <= last_past:
        counted = _counted(loket, start, last_past, site)
        stored = _summaries(loket, start, last_past, site, counted)
        # A day whose open berkas all kept their version is as summed; one whose open berkas moved is
        # brought up to date from those berkas alone (no berkas is ever issued on a past day).
        now = _versions(loket, [tid for summary in stored.values() for tid in summary.versions], start, last_past, site)
        stale = {
            day: summary
            for day, summary in stored.items()
            if any(now.get(tid) != version for tid, version in summary.versions.items())
        }
        ids = [tid for summary in stale.values() for tid in summary.versions]
        fresh: dict[Key, list[_Ticket]] = {key: [] for key in stale}
        for i in range(0, len(ids), CHUNK_IDS):
            for t in load_tickets(loket, Ticket.id.in_(ids[i : i + CHUNK_IDS])):
                fresh[(t.site, t.day)].append(t)
        updated = {
            key: _split(loket, key[1], fresh[key], _as_part(stale[key].final), stale[key].counted) for key in stale
        }
        stored.update(_store(loket, updated))
        # A summary of an older format, as read: stored again in this one (its figures as they are, no ticket read).
        stored.update(_store(loket, {key: summary for key, summary in stored.items() if summary.older}))
        # Days (of a site) with tickets and no valid summary: never summed, or tickets came late (the hub).
        missing_by_site: dict[str, list[date]] = {}
        for code, day in sorted(counted):
            if (code, day) not in stored:
                missing_by_site.setdefault(code, []).append(day)
        for code, missing in missing_by_site.items():
            while missing:
                # Consecutive missing days, at most CHUNK_DAYS of them: one query each.
                run = [missing[0]]
                while len(run) < min(CHUNK_DAYS, len(missing)) and missing[len(run)] == run[-1] + timedelta(days=1):
                    run.append(missing[len(run)])
                tickets = _by_day(load_tickets(loket, in_period(run[0], run[-1], code)))
                made = {(code, day): _split(loket, day, tickets.get(day, [])) for day in run}
                stored.update(_store(loket, made))
                del tickets, made
                missing = missing[len(run) :]
        for key, summary in stored.items():
            parts[key] = [summary.final, summary.open]
    if end >= today:
        for key, part in live_parts(loket, max(start, today), end, site).items():
            parts[key] = [part]
    return parts


# ---- the report -------------------------------------------------------------------------


def _row(key: str, label: dict[str, str], g: _Group, **extra: Any) -> Row:
    c = g.counts
    issued = c["issued"]
    return Row(
        key=key,
        label=label,
        issued=issued,
        served=c["served"],
        cancelled=g.states.get(TicketState.CANCELLED.value, 0),
        states={s.value: g.states.get(s.value, 0) for s in TicketState} if issued else {},
        visits=c["visits"],
        calls=c["calls"],
        started=c["started"],
        finished=c["finished"],
        handed_over=c["handed_over"],
        no_shows=c["no_shows"],
        returns=c["returns"],
        pendings={r: g.pendings.get(r, 0) for r in REASONS},
        wait=g.stats("wait"),
        step_wait=g.stats("step_wait"),
        service=g.stats("service"),
        elapsed=g.stats("elapsed"),
        steps=Share(c["within"], c["judged"]),
        berkas=Share(c["berkas_within"], c["berkas"]),
        over=(c["over_sum"] / 2**80) / c["over_n"] if c["over_n"] else None,
        extra=extra,
    )


def _series(
    loket: Context, days: dict[date, list[_Hall]], step_minutes: int = QUEUE_STEP_MINUTES
) -> list[dict[str, Any]]:
    """`compute.queue_series` from each day's hall instants, one hall per site (the same figures, without the
    visits)."""
    now = loket.clock.now()
    n_days = 0
    # Per slot, by its minute of the day ("HH:MM" sorts as the minute does): summed over the days.
    waiting = np.zeros(_DAY_MINUTES, dtype=np.int64)  # residents waiting at it
    most = np.full(_DAY_MINUTES, np.iinfo(np.int64).min, dtype=np.int64)  # the most within it on any day that has it
    seen = np.zeros(_DAY_MINUTES, dtype=np.int64)  # the days that have it
    for day in sorted(days):
        day_end = loket.clock.day_start(day + timedelta(days=1))
        entered_parts: list[Any] = []
        left_parts: list[Any] = []
        lasts: list[int] = []
        site_halls = days[day]
        for hall in site_halls:
            site_entered = _flat(hall.entered)
            if not len(site_entered):
                continue
            site_left = _flat(hall.left)
            horizon_us = _us(now) if now < day_end else hall.horizon
            assert horizon_us is not None  # a day with a hall visit has a moment before its end
            # The last sample: the last moment someone still waited, no later than the (site's) horizon.
            ends = [min(int(site_left.max()), horizon_us)] if len(site_left) else []
            lasts.append(max([*ends, horizon_us] if hall.never_left else ends))
            entered_parts.append(site_entered)
            left_parts.append(site_left)
            if now >= day_end and len(site_halls) > 1 and hall.never_left:
                # Never called on a past day: waiting until its own site's horizon (issue 16), as compute does.
                left_parts.append(np.full(hall.never_left, horizon_us + 1, dtype=np.int64))
        if not entered_parts:
            n_days += 1
            continue
        entered_us = np.sort(_flat(entered_parts))
        left_us = np.sort(_flat(left_parts))
        last_us = max(lasts)
        entered = entered_us / 1_000_000  # what datetime.timestamp() gives
        left = left_us / 1_000_000
        moment = _floor(loket.clock.local(_EPOCH + int(entered_us[0]) * _US), step_minutes)
        last_local = loket.clock.local(_EPOCH + last_us * _US)
        slots, at, until = _samples(moment, last_local, step_minutes)
        counts = np.searchsorted(entered, at, "right") - np.searchsorted(left, at, "right")
        # The line rises only when someone arrives: the most in [slot, slot + step) is at a sample or an arrival.
        at_arrival = np.searchsorted(entered, entered, "right") - np.searchsorted(left, entered, "right")
        lo = np.searchsorted(entered, at, "right")
        hi = np.searchsorted(entered, until, "left")
        # The arrivals of slot i are entered[lo[i]:hi[i]]; the slots' ranges are disjoint and in order.
        peaks_arr = counts.copy()
        arrival = np.arange(len(entered))
        slot_of = np.searchsorted(lo, arrival, "right") - 1
        inside = (slot_of >= 0) & (arrival < hi[np.maximum(slot_of, 0)])
        np.maximum.at(peaks_arr, slot_of[inside], at_arrival[inside])
        n_days += 1
        # Integers: their sum is the same in any order (a slot twice in one day, past midnight, counts twice too).
        np.add.at(waiting, slots, counts)
        np.maximum.at(most, slots, peaks_arr)
        np.add.at(seen, slots, 1)
    # A day without a slot counts 0 there, as `compute.queue_series` does.
    had = np.flatnonzero(seen)
    peaks = np.where(seen[had] == n_days, most[had], np.maximum(most[had], 0)).tolist()
    # int / int as Python divides it: the sums are far below 2**53, so float64's division is the same correctly
    # rounded quotient.
    means = (waiting[had] / n_days).tolist() if n_days else []
    return [
        {"time": f"{m // 60:02d}:{m % 60:02d}", "waiting": mean, "peak": peak}
        for m, mean, peak in zip(had.tolist(), means, peaks, strict=True)
    ]


def _samples(moment: datetime, last: datetime, step_minutes: int) -> tuple[Any, Any, Any]:
    """The sample slots from `moment` to `last` (local, same zone): minutes of the day, instants, a step later.

    As `compute.queue_series` steps local wall time; where the zone's offset is the same from the first
    sample to a step after the last (always, in a zone without daylight saving), the instants are
    spaced evenly and are computed at once rather than one datetime at a time.
    """
    step = timedelta(minutes=step_minutes)
    n = (last.replace(tzinfo=None) - moment.replace(tzinfo=None)) // step + 1 if moment <= last else 0
    if n and not moment.fold and moment.utcoffset() == (moment + n * step).utcoffset():
        first = moment.hour * 60 + moment.minute
        slots = (first + np.arange(n, dtype=np.int64) * step_minutes) % _DAY_MINUTES
        at = moment.timestamp() + np.arange(n, dtype=np.int64).astype(np.float64) * (step_minutes * 60)
        return slots, at, at + step_minutes * 60
    labels: list[int] = []
    ats: list[float] = []
    untils: list[float] = []
    while moment <= last:
        labels.append(moment.hour * 60 + moment.minute)
        ats.append(moment.timestamp())
        untils.append((moment + step).timestamp())
        moment += step
    return np.array(labels, dtype=np.int64), np.array(ats, dtype=np.float64), np.array(untils, dtype=np.float64)


def _flat(chunks: list[Any]) -> Any:
    arrays = [
        c if isinstance(c, np.ndarray) else c.array() if isinstance(c, _Lazy) else np.asarray(c, dtype=np.int64)
        for c in chunks
        if len(c)
    ]
    if len(arrays) == 1:
        return arrays[0]
    return np.concatenate(arrays) if arrays else np.empty(0, dtype=np.int64)


def _tickets(source: _Part | _Doc) -> int:
    return source.tickets if isinstance(source, _Doc) else source.hall.tickets


def build_report(loket: Context, start: date, end: date | None = None, site: str | None = None) -> Report:
    """The report of the berkas issued on the service days start..end (inclusive), from the day summaries; of the
    berkas issued at `site`, or at every site (None).

    The same report as `build_report_full`, figure for figure. At the hub, every site's days are summed apart and
    added up here.
    """
    end = end or start
    if end < start:
        raise ValueError("the period ends before it starts")
    if (end - start).days + 1 > MAX_DAYS:
        raise ValueError(f"a report covers at most {MAX_DAYS} days")
    parts = {key: ps for key, ps in day_parts(loket, start, end, site).items() if any(_tickets(p) for p in ps)}
    users, counters = _names(loket)
    # Today's (and any later day's) live parts in the stored form, then everything summed at once.
    docs = [(key, p if isinstance(p, _Doc) else _Doc.of(p)) for key, ps in sorted(parts.items()) for p in ps]
    del parts
    groups, days_all, halls = _merged(docs)
    del docs
    empty = _Group()

    total = _row("all", texts(_("Semua layanan")), groups.get("all", empty))

    steps: list[Row] = []
    step_rows: dict[str, list[Row]] = {}
    step_keys: list[tuple[str, int, _Group]] = []
    for key, g in groups.items():
        if key.startswith("step:") and g.counts["visits"]:
            code, number = key[5:].rsplit("#", 1)
            step_keys.append((code, int(number), g))
    for code, index, g in sorted(step_keys, key=lambda k: (_service_order(loket, k[0]), k[1])):
        info = g.last[1]  # type: ignore[index]
        role = info["role"]
        service_name = _service_label(loket, code)
        row = _row(
            f"{code}#{index + 1}",
            {
                "id": f"{service_name['id']} · tahap {index + 1}: {ROLE_LABELS[Role(role)]['id']}",
                "en": f"{service_name['en']} · step {index + 1}: {ROLE_LABELS[Role(role)]['en']}",
            },
            g,
            service_code=code,
            service_name=service_name,
            step=index + 1,
            role=role,
            role_label=ROLE_LABELS[Role(role)],
            action=info["action"],
            target_minutes=info["target_minutes"],
            resident_present=info["resident_present"],
        )
        steps.append(row)
        step_rows.setdefault(code, []).append(row)

    services: list[Row] = []
    codes = [key[4:] for key, g in groups.items() if key.startswith("svc:") and g.counts["issued"]]
    for code in sorted(codes, key=lambda c: _service_order(loket, c)):
        g = groups[f"svc:{code}"]
        sop = loket.catalog.get(code)
        neck = _bottleneck(step_rows.get(code, []))
        services.append(
            _row(
                code,
                _service_label(loket, code),
                g,
                prefix=sop.prefix if sop else None,
                target_minutes=(g.last[1] or 0) // 60 or None,  # type: ignore[index]
                sop_target_minutes=sop.target_minutes if sop else None,
                total_mismatch=bool(sop and sop.total_mismatch),
                bottleneck_step=neck.extra["step"] if neck else None,
            )
        )

    def by_first(prefix: str) -> list[tuple[int, _Group]]:
        found = [(int(k[len(prefix) :]), g) for k, g in groups.items() if k.startswith(prefix) and g.counts["visits"]]
        return sorted(found, key=lambda kg: kg[1].first)  # type: ignore[arg-type,return-value]

    officers = [
        _row(f"officer:{uid}", {"id": users.get(uid, f"#{uid}"), "en": users.get(uid, f"#{uid}")}, g, id=uid)
        for uid, g in by_first("off:")
    ]
    officers.sort(key=lambda r: r.label["id"].lower())
    counter_rows = [
        _row(
            f"counter:{cid}",
            {"id": counters.get(cid, (f"#{cid}", 0))[0], "en": counters.get(cid, (f"#{cid}", 0))[0]},
            g,
            id=cid,
            number=counters.get(cid, ("", 0))[1],
        )
        for cid, g in by_first("ctr:")
    ]
    counter_rows.sort(key=lambda r: (r.extra["number"], r.label["id"]))

    days = [
        _row(day.isoformat(), {"id": day.isoformat(), "en": day.isoformat()}, days_all[day]) for day in sorted(days_all)
    ]

    hours = []
    issued_hours = [int(k[5:]) for k, g in groups.items() if k.startswith("hour:") and g.counts["issued"]]
    if issued_hours:
        for hour in range(min(issued_hours), max(issued_hours) + 1):
            label = f"{hour:02d}:00"
            hours.append(_row(label, {"id": label, "en": label}, groups.get(f"hour:{hour}", empty), hour=hour))

    return Report(
        start=start,
        end=end,
        generated_at=loket.clock.now(),
        timezone=str(loket.clock.tz),
        total=total,
        services=services,
        steps=steps,
        officers=officers,
        counters=counter_rows,
        days=days,
        hours=hours,
        queue=_series(loket, halls),
        bottleneck=_bottleneck(steps),
    )


__all__ = ["VERSION", "build_report", "day_parts"]
