"""Reports for the admin and the head of office: counts, times, SOP compliance, and the hall right now.

Every definition used here is written out in docs/reports.md; the short version:

* A report covers the berkas *issued* on the service days of its period (the buku harian's rule),
  and everything that happened to them, even on a later day.
* Waiting time of a ticket: issued_at until the first call (called_at) at its first step.
  Waiting time of a step visit: entered_at until called_at, or started_at for a step nobody calls.
* Service time of a step visit: started_at until ended_at, whatever the outcome.
* A step is within target when its visit ended "advanced" and service time <= the visit's target.
* A berkas is within target when it is done and the sum of its visits' service times <= the sum of the
  step targets frozen into the ticket at issue.
* Disruptions (gangguan): for compliance (within target, time over target, berkas within target) a
  visit's service time leaves out the seconds it overlaps a disruption of its service or of the whole
  office; the service-time statistics themselves keep the real time. The disruptions' minutes are
  listed apart (`disruption_rows`).
* Median is the middle value (mean of the two middle ones for an even count);
  p90 is the nearest-rank percentile: the value at rank ceil(0.9 x n) in ascending order.
* Bottleneck: the step with the largest mean time over target (max(0, service - target), averaged
  over its finished visits); none when no step runs over on average.
"""

from __future__ import annotations

import io
import json
import statistics
from bisect import bisect_left, bisect_right
from collections import Counter as Tally
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from sqlalchemy import ColumnElement, Text, cast, select

from loket.core.context import Context
from loket.core.disruptions import intervals, merged_for, overlap_seconds, report_rows
from loket.core.messages import _, texts
from loket.core.roles import ROLE_LABELS, Role
from loket.core.spreadsheet import append_row, bold, csv_text, workbook
from loket.core.states import PENDING_LABELS, PendingReason, TicketState
from loket.core.store import Counter, EventRecord, StepVisit, Ticket, User

#: Minutes between two samples of the queue-length series.
QUEUE_STEP_MINUTES = 15
#: The longest period one report may cover (a year and a day).
MAX_DAYS = 366

REASONS = [r.value for r in PendingReason]

#: Named tables (title, header, rows): what an export holds.
Tables = Sequence[tuple[str, list[str], list[list[Any]]]]


# ---- small statistics ----------------------------------------------------------


def percentile(values: Iterable[float], p: int) -> float | None:
    """The nearest-rank percentile: the value at rank ceil(p/100 x n) of the sorted values."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, -(-p * len(ordered) // 100))  # integer ceil: no float error at 0.9 x 10
    return ordered[rank - 1]


@dataclass(frozen=True)
class Stats:
    """Count, mean, median and p90 of some durations, in seconds."""

    n: int = 0
    mean: float | None = None
    median: float | None = None
    p90: float | None = None

    @classmethod
    def of(cls, values: Iterable[float]) -> Stats:
        data = list(values)
        if not data:
            return cls()
        return cls(len(data), statistics.fmean(data), statistics.median(data), percentile(data, 90))

    def as_dict(self) -> dict[str, Any]:
        return {"n": self.n, "mean": self.mean, "median": self.median, "p90": self.p90}


@dataclass(frozen=True)
class Share:
    """How many of some things were within their target, out of how many."""

    within: int = 0
    total: int = 0

    @property
    def ratio(self) -> float | None:
        return self.within / self.total if self.total else None

    def as_dict(self) -> dict[str, Any]:
        return {"within": self.within, "total": self.total, "ratio": self.ratio}


# ---- what is loaded ------------------------------------------------------------


@dataclass
class _Visit:
    """One step visit as the report reads it; derived figures are computed once (reports read them often)."""

    ticket_id: int
    service: str
    step_index: int
    role: str
    target_minutes: int | None
    officer_id: int | None
    counter_id: int | None
    entered_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    ended_at: datetime | None
    outcome: str | None
    resident_present: bool
    last_step: bool
    reason: str | None = None  # for a pended visit: why
    #: Seconds of its service time inside a disruption of its service or of the office: not judged.
    excluded: float = 0.0

    @cached_property
    def wait(self) -> float | None:
        end = self.called_at or self.started_at
        return (end - self.entered_at).total_seconds() if end else None

    @cached_property
    def service_seconds(self) -> float | None:
        if self.started_at and self.ended_at:
            return (self.ended_at - self.started_at).total_seconds()
        return None

    @cached_property
    def judged_seconds(self) -> float | None:
        """The service time compliance judges: without the seconds inside a disruption."""
        if self.service_seconds is None:
            return None
        return self.service_seconds - self.excluded

    @cached_property
    def finished(self) -> bool:
        return self.outcome == "advanced"

    @cached_property
    def within(self) -> bool | None:
        """Only a finished step with a target is judged."""
        if not self.finished or self.target_minutes is None or self.judged_seconds is None:
            return None
        return self.judged_seconds <= self.target_minutes * 60

    @cached_property
    def over(self) -> float | None:
        if self.within is None:
            return None
        return max(0.0, self.judged_seconds - self.target_minutes * 60)  # type: ignore[operator]

    @cached_property
    def queue_end(self) -> datetime | None:
        """When the resident stopped waiting in the hall for this step (None: still waiting)."""
        return self.called_at or self.started_at or self.ended_at


@dataclass
class _Ticket:
    id: int
    service: str
    day: date
    state: str
    issued_at: datetime
    closed_at: datetime | None
    steps: list[dict[str, Any]]
    visits: list[_Visit] = field(default_factory=list)
    version: int = 0  # the row's version: it changes whenever the ticket does (reports/days.py)
    site: str = ""  # the site it was issued at (issue 16): '' at a single office

    @cached_property
    def wait(self) -> float | None:
        """Issued until the first call at the first step; None if never called there."""
        calls = [v.called_at for v in self.visits if v.step_index == 0 and v.called_at]
        return (min(calls) - self.issued_at).total_seconds() if calls else None

    @cached_property
    def done(self) -> bool:
        return self.state == TicketState.DONE.value

    @cached_property
    def target_seconds(self) -> int | None:
        targets: list[int] = [s["target_minutes"] for s in self.steps if s.get("target_minutes") is not None]
        return sum(targets) * 60 if targets else None

    @cached_property
    def service_seconds(self) -> float:
        return sum(v.service_seconds for v in self.visits if v.service_seconds is not None)

    @cached_property
    def judged_seconds(self) -> float:
        """Its visits' service times without the seconds inside a disruption (compliance)."""
        return sum(v.judged_seconds for v in self.visits if v.judged_seconds is not None)

    @cached_property
    def within(self) -> bool | None:
        if not self.done or self.target_seconds is None:
            return None
        return self.judged_seconds <= self.target_seconds

    @cached_property
    def elapsed(self) -> float | None:
        if not self.done or self.closed_at is None:
            return None
        return (self.closed_at - self.issued_at).total_seconds()


# ---- one row of a report table -------------------------------------------------


@dataclass(frozen=True)
class Row:
    """The figures of one group: a service, a step, an officer, a counter, a day, or everything.

    Ticket figures (issued, served, wait, berkas, elapsed) belong to groups of whole berkas
    (everything, a service, a day); step figures belong to every group.
    """

    key: str
    label: dict[str, str]
    issued: int = 0
    served: int = 0
    cancelled: int = 0
    states: dict[str, int] = field(default_factory=dict)
    visits: int = 0
    calls: int = 0
    started: int = 0
    finished: int = 0
    handed_over: int = 0
    no_shows: int = 0
    returns: int = 0
    pendings: dict[str, int] = field(default_factory=dict)
    wait: Stats = Stats()  # tickets: issued -> first call
    step_wait: Stats = Stats()  # visits: entered -> called or started
    service: Stats = Stats()  # visits: started -> ended
    elapsed: Stats = Stats()  # done tickets: issued -> closed
    steps: Share = Share()
    berkas: Share = Share()
    over: float | None = None  # mean seconds over target of finished steps with a target
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pendings_total(self) -> int:
        return sum(self.pendings.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "issued": self.issued,
            "served": self.served,
            "cancelled": self.cancelled,
            "states": self.states,
            "visits": self.visits,
            "calls": self.calls,
            "started": self.started,
            "finished": self.finished,
            "handed_over": self.handed_over,
            "no_shows": self.no_shows,
            "returns": self.returns,
            "pendings": self.pendings,
            "pendings_total": self.pendings_total,
            "wait": self.wait.as_dict(),
            "step_wait": self.step_wait.as_dict(),
            "service": self.service.as_dict(),
            "elapsed": self.elapsed.as_dict(),
            "steps": self.steps.as_dict(),
            "berkas": self.berkas.as_dict(),
            "over": self.over,
            **self.extra,
        }


def _row(key: str, label: dict[str, str], tickets: list[_Ticket], visits: list[_Visit], **extra: Any) -> Row:
    # One pass over the visits and one over the tickets: a year's report has hundreds of thousands.
    judged = within = calls = started = finished = handed_over = no_shows = returns = 0
    overs: list[float] = []
    step_waits: list[float] = []
    service: list[float] = []
    pendings = {r: 0 for r in REASONS}
    for v in visits:
        if v.within is not None:
            judged += 1
            within += v.within
            overs.append(v.over)  # type: ignore[arg-type]  # set whenever within is
        outcome = v.outcome
        if outcome == "advanced":
            finished += 1
            handed_over += v.last_step
        elif outcome == "pended":
            if v.reason in pendings:
                pendings[v.reason] += 1
        elif outcome == "no_show":
            no_shows += 1
        elif outcome == "returned":
            returns += 1
        if v.called_at:
            calls += 1
        if v.started_at:
            started += 1
        if (w := v.wait) is not None:
            step_waits.append(w)
        if (d := v.service_seconds) is not None:
            service.append(d)
    berkas = berkas_within = served = 0
    waits: list[float] = []
    elapsed: list[float] = []
    for t in tickets:
        served += t.done
        if t.within is not None:
            berkas += 1
            berkas_within += t.within
        if (w := t.wait) is not None:
            waits.append(w)
        if (e := t.elapsed) is not None:
            elapsed.append(e)
    states = Tally(t.state for t in tickets)
    return Row(
        key=key,
        label=label,
        issued=len(tickets),
        served=served,
        cancelled=states.get(TicketState.CANCELLED.value, 0),
        states={s.value: states.get(s.value, 0) for s in TicketState} if tickets else {},
        visits=len(visits),
        calls=calls,
        started=started,
        finished=finished,
        handed_over=handed_over,
        no_shows=no_shows,
        returns=returns,
        pendings=pendings,
        wait=Stats.of(waits),
        step_wait=Stats.of(step_waits),
        service=Stats.of(service),
        elapsed=Stats.of(elapsed),
        steps=Share(within, judged),
        berkas=Share(berkas_within, berkas),
        over=statistics.fmean(overs) if overs else None,
        extra=extra,
    )


# ---- the report ----------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    generated_at: datetime
    timezone: str
    total: Row
    services: list[Row]
    steps: list[Row]
    officers: list[Row]
    counters: list[Row]
    days: list[Row]
    hours: list[Row]
    queue: list[dict[str, Any]]
    bottleneck: Row | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "generated_at": self.generated_at.isoformat(),
            "timezone": self.timezone,
            "queue_step_minutes": QUEUE_STEP_MINUTES,
            "total": self.total.as_dict(),
            "services": [r.as_dict() for r in self.services],
            "steps": [r.as_dict() for r in self.steps],
            "officers": [r.as_dict() for r in self.officers],
            "counters": [r.as_dict() for r in self.counters],
            "days": [r.as_dict() for r in self.days],
            "hours": [r.as_dict() for r in self.hours],
            "queue": self.queue,
            "bottleneck": self.bottleneck.as_dict() if self.bottleneck else None,
            "pending_labels": {r.value: lbl for r, lbl in PENDING_LABELS.items()},
        }


def _load(loket: Context, start: date, end: date, site: str | None = None) -> list[_Ticket]:
    """The berkas issued on the service days start..end (at `site`, or at every site), with their visits, in the
    report's order."""
    return load_tickets(loket, in_period(start, end, site))


def in_period(start: date, end: date, site: str | None = None) -> ColumnElement[bool]:
    """The tickets of the service days start..end; of one site, or of every site (None: at the hub, all of them)."""
    which = (Ticket.service_day >= start) & (Ticket.service_day <= end)
    return which if site is None else which & (Ticket.site == site)


def load_tickets(loket: Context, which: ColumnElement[bool]) -> list[_Ticket]:
    """The berkas matching `which` (a condition on Ticket), with their visits, ordered by issue."""
    with loket.store.read() as s:
        rows = s.execute(
            select(
                Ticket.id,
                Ticket.service_code,
                Ticket.service_day,
                Ticket.state,
                Ticket.issued_at,
                Ticket.closed_at,
                # The steps as stored text: most tickets share one of a few snapshots, parsed once
                # each below, so a year of tickets does not hold a hundred thousand copies.
                cast(Ticket.steps, Text),
                Ticket.version,
                Ticket.site,
            )
            .where(which)
            .order_by(Ticket.issued_at, Ticket.id)
        ).all()
        snapshots: dict[str, list[dict[str, Any]]] = {}
        tickets = {}
        for r in rows:
            steps = snapshots.get(r[6])
            if steps is None:
                steps = snapshots[r[6]] = json.loads(r[6])
            tickets[r[0]] = _Ticket(r[0], r[1], r[2], r[3], r[4], r[5], steps, version=r[7], site=r[8])
        in_period = select(Ticket.id).where(which)
        visits = s.execute(
            select(
                StepVisit.ticket_id,
                StepVisit.step_index,
                StepVisit.role,
                StepVisit.target_minutes,
                StepVisit.officer_id,
                StepVisit.counter_id,
                StepVisit.entered_at,
                StepVisit.called_at,
                StepVisit.started_at,
                StepVisit.ended_at,
                StepVisit.outcome,
            )
            .where(StepVisit.ticket_id.in_(in_period))
            .order_by(StepVisit.id)
        ).all()
        # The reason of a pause lives in its event; the n-th pended visit of a berkas is its n-th pended event.
        reasons: dict[int, list[str | None]] = defaultdict(list)
        for ticket_id, payload in s.execute(
            select(EventRecord.ticket_id, EventRecord.payload)
            .where(EventRecord.kind == "ticket.pended", EventRecord.ticket_id.in_(in_period))
            .order_by(EventRecord.id)
        ):
            reasons[ticket_id].append((payload or {}).get("reason"))
    for v in visits:
        t = tickets[v.ticket_id]
        step = t.steps[v.step_index] if v.step_index < len(t.steps) else {}
        visit = _Visit(
            v.ticket_id,
            t.service,
            v.step_index,
            v.role,
            v.target_minutes,
            v.officer_id,
            v.counter_id,
            v.entered_at,
            v.called_at,
            v.started_at,
            v.ended_at,
            v.outcome,
            bool(step.get("resident_present")),
            v.step_index == len(t.steps) - 1,
        )
        if visit.outcome == "pended":
            queue = reasons.get(v.ticket_id)
            visit.reason = queue.pop(0) if queue else PendingReason.OTHER.value
        t.visits.append(visit)
    by_site: dict[str, list[_Visit]] = defaultdict(list)
    for t in tickets.values():
        by_site[t.site].extend(t.visits)
    for site, site_visits in by_site.items():
        _exclude_disruptions(loket, site_visits, site)
    return list(tickets.values())


def _exclude_disruptions(loket: Context, visits: list[_Visit], site: str) -> None:
    """Set each served visit's seconds inside a disruption of its service or of the whole office (of its site:
    at the hub, one site's disruption does not touch another's visits)."""
    served = [v for v in visits if v.started_at is not None and v.ended_at is not None]
    starts = [v.started_at for v in served if v.started_at is not None]
    ends = [v.ended_at for v in served if v.ended_at is not None]
    if not starts or not ends:
        return
    spans = intervals(loket, min(starts), max(ends), site)
    if not spans:
        return
    merged: dict[str, list[tuple[datetime, datetime]]] = {}
    for v in served:
        found = merged.get(v.service)
        if found is None:
            found = merged[v.service] = merged_for(spans, v.service)
        if found:
            v.excluded = overlap_seconds(v.started_at, v.ended_at, found)  # type: ignore[arg-type]


def disruption_rows(loket: Context, start: date, end: date, site: str | None = None) -> list[dict[str, Any]]:
    """The disruptions of the period (of `site`, or of every site), with their minutes inside it (reported apart
    from compliance)."""
    return report_rows(loket, start, end, site)


def disruption_tables(loket: Context, rows: list[dict[str, Any]]) -> Tables:
    """The disruptions as an export's table: scope, service, reason, note, start, end, minutes in the period."""

    def local(iso: str | None) -> str:
        return loket.clock.local(datetime.fromisoformat(iso)).strftime("%Y-%m-%d %H:%M") if iso else ""

    return [
        (
            "Gangguan",
            [
                "Lingkup",
                "Layanan",
                "Penyebab",
                "Catatan",
                "Mulai",
                "Berakhir",
                "Menit (dalam periode)",
                "Berkas dititipkan",
                "Titipan diterima loket",
            ],
            [
                [
                    "kantor" if r["scope"] == "office" else "layanan",
                    r["service"]["id"] if r["service"] else "",
                    r["reason_label"]["id"],
                    r["note"],
                    local(r["started_at"]),
                    local(r["ended_at"]) or "masih berlaku",
                    r["minutes"],
                    r.get("titip", 0),
                    r.get("titip_received", 0),
                ]
                for r in rows
            ],
        )
    ]


def _names(loket: Context) -> tuple[dict[int, str], dict[int, tuple[str, int]]]:
    with loket.store.read() as s:
        users = {uid: name for uid, name in s.execute(select(User.id, User.full_name))}
        counters = {cid: (name, num) for cid, name, num in s.execute(select(Counter.id, Counter.name, Counter.number))}
    return users, counters


def _service_label(loket: Context, code: str) -> dict[str, str]:
    sop = loket.catalog.get(code)
    return sop.name.model_dump() if sop else {"id": code, "en": code}


def _service_order(loket: Context, code: str) -> tuple[int, str]:
    sop = loket.catalog.get(code)
    return (sop.order if sop else 10_000, code)


def build_report_full(loket: Context, start: date, end: date | None = None, site: str | None = None) -> Report:
    """The report of the berkas issued on the service days start..end (inclusive), from every raw row; of the
    berkas issued at `site`, or at every site (None: all the rows this database holds; at the hub, every site's).

    The reference: `reports.days.build_report` gives the same report from per-day summaries, and the
    tests check that the two agree figure by figure.
    """
    end = end or start
    if end < start:
        raise ValueError("the period ends before it starts")
    if (end - start).days + 1 > MAX_DAYS:
        raise ValueError(f"a report covers at most {MAX_DAYS} days")
    tickets = _load(loket, start, end, site)
    users, counters = _names(loket)
    visits = [v for t in tickets for v in t.visits]
    tickets_by_id = {t.id: t for t in tickets}

    total = _row("all", texts(_("Semua layanan")), tickets, visits)

    by_service: dict[str, list[_Ticket]] = defaultdict(list)
    for t in tickets:
        by_service[t.service].append(t)

    steps: list[Row] = []
    step_rows: dict[str, list[Row]] = defaultdict(list)
    by_step: dict[tuple[str, int], list[_Visit]] = defaultdict(list)
    for v in visits:
        by_step[(v.service, v.step_index)].append(v)
    for (code, index), at_step in sorted(by_step.items(), key=lambda kv: (_service_order(loket, kv[0][0]), kv[0][1])):
        snapshot = tickets_by_id[at_step[-1].ticket_id].steps
        step = snapshot[index] if index < len(snapshot) else {}
        role = at_step[-1].role
        service_name = _service_label(loket, code)
        row = _row(
            f"{code}#{index + 1}",
            {
                "id": f"{service_name['id']} · tahap {index + 1}: {ROLE_LABELS[Role(role)]['id']}",
                "en": f"{service_name['en']} · step {index + 1}: {ROLE_LABELS[Role(role)]['en']}",
            },
            [],
            at_step,
            service_code=code,
            service_name=service_name,
            step=index + 1,
            role=role,
            role_label=ROLE_LABELS[Role(role)],
            action=step.get("action"),
            target_minutes=step.get("target_minutes"),
            resident_present=bool(step.get("resident_present")),
        )
        steps.append(row)
        step_rows[code].append(row)

    services: list[Row] = []
    for code in sorted(by_service, key=lambda c: _service_order(loket, c)):
        group = by_service[code]
        sop = loket.catalog.get(code)
        neck = _bottleneck(step_rows[code])
        services.append(
            _row(
                code,
                _service_label(loket, code),
                group,
                [v for t in group for v in t.visits],
                prefix=sop.prefix if sop else None,
                target_minutes=(group[-1].target_seconds or 0) // 60 or None,
                sop_target_minutes=sop.target_minutes if sop else None,
                total_mismatch=bool(sop and sop.total_mismatch),
                bottleneck_step=neck.extra["step"] if neck else None,
            )
        )

    officers = [
        _row(f"officer:{uid}", {"id": users.get(uid, f"#{uid}"), "en": users.get(uid, f"#{uid}")}, [], group, id=uid)
        for uid, group in _group(visits, lambda v: v.officer_id)
    ]
    officers.sort(key=lambda r: r.label["id"].lower())
    counter_rows = [
        _row(
            f"counter:{cid}",
            {"id": counters.get(cid, (f"#{cid}", 0))[0], "en": counters.get(cid, (f"#{cid}", 0))[0]},
            [],
            group,
            id=cid,
            number=counters.get(cid, ("", 0))[1],
        )
        for cid, group in _group(visits, lambda v: v.counter_id)
    ]
    counter_rows.sort(key=lambda r: (r.extra["number"], r.label["id"]))

    days = []
    by_day: dict[date, list[_Ticket]] = defaultdict(list)
    for t in tickets:
        by_day[t.day].append(t)
    for day in sorted(by_day):
        group = by_day[day]
        days.append(_row(day.isoformat(), {"id": day.isoformat(), "en": day.isoformat()}, group, _visits(group)))

    hours = []
    by_hour: dict[int, list[_Ticket]] = defaultdict(list)
    for t in tickets:
        by_hour[loket.clock.local(t.issued_at).hour].append(t)
    if by_hour:
        for hour in range(min(by_hour), max(by_hour) + 1):
            group = by_hour.get(hour, [])
            label = f"{hour:02d}:00"
            hours.append(_row(label, {"id": label, "en": label}, group, _visits(group), hour=hour))

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
        queue=queue_series(loket, tickets),
        bottleneck=_bottleneck(steps),
    )


def _visits(tickets: list[_Ticket]) -> list[_Visit]:
    return [v for t in tickets for v in t.visits]


def _group(visits: list[_Visit], key: Callable[[_Visit], int | None]) -> list[tuple[int, list[_Visit]]]:
    groups: dict[int, list[_Visit]] = defaultdict(list)
    for v in visits:
        k = key(v)
        if k is not None:
            groups[k].append(v)
    return list(groups.items())


def _bottleneck(rows: list[Row]) -> Row | None:
    """The step with the largest mean time over target; ties: lower compliance, then SOP order."""
    candidates = [(i, r) for i, r in enumerate(rows) if r.over is not None and r.over > 0]
    if not candidates:
        return None
    return max(candidates, key=lambda ir: (ir[1].over, -(ir[1].steps.ratio or 0), -ir[0]))[1]


#: A past day's never-called visit of one site among several leaves the hall just after its site's horizon.
_AFTER = timedelta(microseconds=1)


def _floor(moment: datetime, minutes: int) -> datetime:
    return moment.replace(minute=moment.minute - moment.minute % minutes, second=0, microsecond=0)


def queue_series(
    loket: Context, tickets: list[_Ticket], step_minutes: int = QUEUE_STEP_MINUTES
) -> list[dict[str, Any]]:
    """Residents waiting in the hall for a call, sampled every `step_minutes` of local time.

    A visit of a step the resident attends counts from entered_at until it is called, started or
    ended (whichever first). One never called counts until the day's horizon: now for today, else the
    last moment anything happened to that day's berkas on that day. Over several days, each sample is
    the mean over the days that had tickets (a day with no sample at that time counts 0).

    `peak` is the most waiting at any moment of the interval [sample, sample + step): a burst between
    two samples shows there. Over several days it is the highest of the days' peaks.
    """
    now = loket.clock.now()
    per_day: dict[date, dict[str, int]] = {}
    per_day_peaks: dict[date, dict[str, int]] = {}
    by_day: dict[date, list[_Ticket]] = defaultdict(list)
    for t in tickets:
        by_day[t.day].append(t)
    for day in sorted(by_day):
        day_end = loket.clock.day_start(day + timedelta(days=1))
        # Each site's hall apart (issue 16): a site's never-called visit counts until its own horizon.
        sites: dict[str, list[_Visit]] = defaultdict(list)
        for t in by_day[day]:
            sites[t.site].extend(t.visits)
        entered_at: list[float] = []
        left_at: list[float] = []
        first: datetime | None = None
        last: datetime | None = None
        for visits in sites.values():
            hall = [v for v in visits if v.resident_present]
            if not hall:
                continue
            if now < day_end:
                horizon = now
            else:
                moments = [m for v in visits for m in (v.entered_at, v.called_at, v.started_at, v.ended_at) if m]
                horizon = max(m for m in moments if m < day_end)
            site_first = min(v.entered_at for v in hall)
            site_last = max(min(v.queue_end or horizon, horizon) for v in hall)
            first = site_first if first is None else min(first, site_first)
            last = site_last if last is None else max(last, site_last)
            entered_at += [v.entered_at.timestamp() for v in hall]
            left_at += [v.queue_end.timestamp() for v in hall if v.queue_end is not None]
            if now >= day_end and len(sites) > 1:
                # Never called on a past day: waiting until this site's horizon, not another site's.
                left_at += [(horizon + _AFTER).timestamp() for v in hall if v.queue_end is None]
        if first is None or last is None:
            per_day[day] = per_day_peaks[day] = {}
            continue
        # Waiting at t: entered_at <= t and not yet queue_end <= t. As a queue_end never comes before
        # its entered_at, that is (how many entered by t) - (how many left by t): two sorted lists.
        entered = sorted(entered_at)
        left = sorted(left_at)

        def waiting_at(t: float, entered: list[float] = entered, left: list[float] = left) -> int:
            return bisect_right(entered, t) - bisect_right(left, t)

        counts: dict[str, int] = {}
        peaks: dict[str, int] = {}
        moment = _floor(loket.clock.local(first), step_minutes)
        last_local = loket.clock.local(last)
        while moment <= last_local:
            at = moment.timestamp()
            until = (moment + timedelta(minutes=step_minutes)).timestamp()
            slot = f"{moment:%H:%M}"
            counts[slot] = waiting_at(at)
            # The most at any moment of [slot, slot + step): the line rises only when someone arrives.
            arrivals = entered[bisect_right(entered, at) : bisect_left(entered, until)]
            peaks[slot] = max([counts[slot], *(waiting_at(t) for t in arrivals)])
            moment += timedelta(minutes=step_minutes)
        per_day[day] = counts
        per_day_peaks[day] = peaks
    slots = sorted({slot for counts in per_day.values() for slot in counts})
    days = len(per_day)
    return [
        {
            "time": slot,
            "waiting": sum(counts.get(slot, 0) for counts in per_day.values()) / days,
            "peak": max(peaks.get(slot, 0) for peaks in per_day_peaks.values()),
        }
        for slot in slots
    ]


# ---- exports ---------------------------------------------------------------------


def _minutes(seconds: float | None) -> float | str:
    return "" if seconds is None else round(seconds / 60, 2)


def _percent(share: Share) -> float | str:
    return "" if share.ratio is None else round(share.ratio * 100, 1)


def _stats_cells(stats: Stats) -> list[Any]:
    return [_minutes(stats.mean), _minutes(stats.median), _minutes(stats.p90)]


def _stats_header(name: str) -> list[str]:
    return [f"{name} rata-rata (menit)", f"{name} median (menit)", f"{name} p90 (menit)"]


PENDING_HEADER = [f"Tertunda: {PENDING_LABELS[PendingReason(r)]['id']}" for r in REASONS]


def tables(report: Report) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The report as named tables (title, header, rows): what the CSV and the XLSX hold."""
    ticket_header = [
        "Diterbitkan",
        "Selesai",
        "Dibatalkan",
        "Tidak hadir",
        "Dikembalikan",
        *PENDING_HEADER,
        *_stats_header("Waktu tunggu"),
        *_stats_header("Waktu layanan"),
        *_stats_header("Terbit s.d. selesai"),
        "Tahapan sesuai target (%)",
        "Tahapan dinilai",
        "Berkas sesuai target (%)",
        "Berkas dinilai",
    ]

    def ticket_cells(r: Row) -> list[Any]:
        return [
            r.issued,
            r.served,
            r.cancelled,
            r.no_shows,
            r.returns,
            *[r.pendings.get(k, 0) for k in REASONS],
            *_stats_cells(r.wait),
            *_stats_cells(r.service),
            *_stats_cells(r.elapsed),
            _percent(r.steps),
            r.steps.total,
            _percent(r.berkas),
            r.berkas.total,
        ]

    visit_header = [
        "Dipanggil",
        "Dikerjakan",
        "Tahap selesai",
        "Diserahkan",
        "Tidak hadir",
        "Dikembalikan",
        *PENDING_HEADER,
        *_stats_header("Waktu tunggu tahap"),
        *_stats_header("Waktu layanan"),
        "Tahapan sesuai target (%)",
        "Tahapan dinilai",
    ]

    def visit_cells(r: Row) -> list[Any]:
        return [
            r.calls,
            r.started,
            r.finished,
            r.handed_over,
            r.no_shows,
            r.returns,
            *[r.pendings.get(k, 0) for k in REASONS],
            *_stats_cells(r.step_wait),
            *_stats_cells(r.service),
            _percent(r.steps),
            r.steps.total,
        ]

    neck = report.bottleneck
    summary: list[list[Any]] = [
        ["Periode", f"{report.start.isoformat()} s.d. {report.end.isoformat()}"],
        ["Zona waktu", report.timezone],
        ["Diterbitkan", report.total.issued],
        ["Selesai", report.total.served],
        ["Tidak hadir", report.total.no_shows],
        ["Dikembalikan", report.total.returns],
        ["Tertunda", report.total.pendings_total],
        ["Waktu tunggu rata-rata (menit)", _minutes(report.total.wait.mean)],
        ["Waktu layanan rata-rata (menit)", _minutes(report.total.service.mean)],
        ["Tahapan sesuai target (%)", _percent(report.total.steps)],
        ["Berkas sesuai target (%)", _percent(report.total.berkas)],
        ["Tahap hambatan", neck.label["id"] if neck else "-"],
        ["Rata-rata lewat target tahap hambatan (menit)", _minutes(neck.over) if neck else ""],
    ]
    return [
        ("Ringkasan", ["Ukuran", "Nilai"], summary),
        (
            "Layanan",
            ["Layanan", *ticket_header, "Target SOP (menit)", "Tahap hambatan"],
            [
                [r.label["id"], *ticket_cells(r), r.extra["sop_target_minutes"] or "", r.extra["bottleneck_step"] or ""]
                for r in report.services
            ]
            + [[report.total.label["id"], *ticket_cells(report.total), "", ""]],
        ),
        (
            "Tahapan",
            ["Layanan", "Tahap", "Peran", "Target (menit)", *visit_header, "Rata-rata lewat target (menit)"],
            [
                [
                    r.extra["service_name"]["id"],
                    r.extra["step"],
                    r.extra["role_label"]["id"],
                    r.extra["target_minutes"] or "",
                    *visit_cells(r),
                    _minutes(r.over),
                ]
                for r in report.steps
            ],
        ),
        ("Petugas", ["Petugas", *visit_header], [[r.label["id"], *visit_cells(r)] for r in report.officers]),
        ("Loket", ["Loket", *visit_header], [[r.label["id"], *visit_cells(r)] for r in report.counters]),
        ("Harian", ["Tanggal", *ticket_header], [[r.key, *ticket_cells(r)] for r in report.days]),
        (
            "Per jam",
            ["Jam terbit", "Diterbitkan", *_stats_header("Waktu tunggu")],
            [[r.key, r.issued, *_stats_cells(r.wait)] for r in report.hours],
        ),
        (
            "Antrean",
            ["Pukul", "Menunggu", "Puncak dalam 15 menit"],
            [[q["time"], q["waiting"], q["peak"]] for q in report.queue],
        ),
    ]


def report_csv(report: Report, extra: Tables = ()) -> str:
    """Every table of the report, then the `extra` tables (the booking report's: reports/booking.py), in one
    CSV, each under its title, separated by an empty line."""
    lines: list[list[Any]] = []
    for i, (title, header, rows) in enumerate([*tables(report), *extra]):
        if i:
            lines.append([])
        lines += [[f"# {title}"], header, *rows]
    return csv_text(lines)


def report_xlsx(report: Report, office: str, extra: Tables = ()) -> bytes:
    """The report and the `extra` tables as an Excel workbook: one sheet per table, title row, bold frozen
    header."""
    book = workbook()
    book.remove(book.active)
    period = report.start.isoformat() if report.start == report.end else f"{report.start} s.d. {report.end}"
    for title, header, rows in [*tables(report), *extra]:
        sheet = book.create_sheet(title)
        append_row(sheet, [f"Laporan {title} · {office} · {period}"])
        sheet["A1"].font = bold(14)
        append_row(sheet, header)
        for cell in sheet[2]:
            cell.font = bold()
        for row in rows:
            append_row(sheet, row)
        sheet.freeze_panes = "B3"
        for i, name in enumerate(header, start=1):
            sheet.column_dimensions[sheet.cell(2, i).column_letter].width = max(10, min(40, len(name) + 4))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def parse_period(day: str | None, start: str | None, end: str | None, today: date) -> tuple[date, date]:
    """The period from ?day= or ?from=&to= (ISO dates); today by default. ValueError when invalid."""
    if day:
        d = date.fromisoformat(day)
        return d, d
    first = date.fromisoformat(start) if start else today
    last = date.fromisoformat(end) if end else first
    if last < first:
        raise ValueError("the period ends before it starts")
    if (last - first).days + 1 > MAX_DAYS:
        raise ValueError(f"a report covers at most {MAX_DAYS} days")
    return first, last


__all__ = [
    "MAX_DAYS",
    "QUEUE_STEP_MINUTES",
    "Report",
    "Row",
    "Share",
    "Stats",
    "build_report_full",
    "in_period",
    "load_tickets",
    "parse_period",
    "percentile",
    "queue_series",
    "report_csv",
    "report_xlsx",
    "tables",
]
