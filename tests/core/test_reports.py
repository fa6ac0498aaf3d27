"""Report figures checked against a day of tickets with known times, worked out by hand below.

The day (Monday 23 November 2026, office time Asia/Jakarta), driven through the real operations:

    KTP = pencetakan-ktp-el (B-): pelayanan 2 min -> operator 3 min (back office) -> pelayanan hand-over
    E   = dokumen-hilang-rusak (E-): pelayanan 3 min -> operator 2 min -> scan 5 min -> pelayanan hand-over
    Ani at Loket 1 and Budi at Loket 2 (Petugas Pelayanan); Citra, operator, with no counter.

    08:00     T1 B-001 issued
    08:02     Ani calls T1                         T1 waited 2:00
    08:03     Ani starts T1
    08:05     T2 B-002 issued; Ani advances T1     T1 reception 2:00 (target 2: within)
    08:06     Budi calls and starts T2             T2 waited 1:00
    08:07     Citra starts T1                      operator step waited 2:00
    08:09     Citra advances T1                    T1 operator 2:00 (target 3: within); ready for hand-over
    08:10     Budi advances T2                     T2 reception 4:00 (over by 2:00)
    08:11     T3 E-001 issued
    08:12     Ani calls (T1, ready since 08:09) and starts; hand-over at 08:12:30 (0:30). T1 done:
              service 2:00+2:00+0:30 = 4:30 <= 5:00 (within); issue->done 12:30
    08:13     Citra starts T2                      waited 3:00
    08:14     T4 B-003 issued
    08:16     Budi calls T3 and starts             T3 waited 5:00
    08:17     Citra advances T2                    T2 operator 4:00 (over by 1:00); ready
    08:19     Budi advances T3                     T3 reception 3:00 (target 3: within)
    08:21     Ani calls T4 (T4 queued 08:14, before T2's 08:17)        T4 waited 7:00
    08:22     Budi calls T2 and starts             hand-over step waited 5:00
    08:22:30  Ani recalls T4 (2nd call)
    08:23     Budi hands T2 over (1:00). T2 done: 4:00+4:00+1:00 = 9:00 > 5:00; issue->done 18:00
    08:23:30  Ani recalls T4 (3rd call)
    08:24     Ani marks T4 no-show
    08:25     Citra starts T3                      waited 6:00 (since 08:19)
    08:30     Citra pends T3: not in SIAK          5:00 of work
    09:05     T5 E-002 issued
    09:07     Ani calls T5 (waited 2:00); 09:08 starts
    09:10     Ani returns T5 (documents missing) after 2:00; T6 B-004 issued
    09:12     Budi calls and starts T6             waited 2:00
    09:13     Budi advances T6                     1:00 (within)
    09:14     Citra starts T6 (waited 1:00); 09:15 pends it: network down (1:00 of work)
    09:25     Citra resumes T6; 09:26 starts (waited 1:00); 09:28 advances (2:00, within)
    09:31     Ani calls T6 (ready since 09:28: waited 3:00) and starts; 09:32 hands over (1:00).
              T6 done: 1:00+1:00+2:00+1:00 = 5:00 <= 5:00 (within, on the boundary); issue->done 22:00
    09:35     T7 B-005 issued (still waiting at the end)
    09:36     T8 E-003 issued; 09:40 Ani cancels it (never called)
    09:45     the report is made
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from loket.core.accounts import create_counter, create_user
from loket.core.reports import build_report, live_dashboard, parse_period, percentile, report_csv, report_xlsx
from loket.core.roles import Actor, Role
from loket.core.tickets import flow, issuing, queue, views

KTP = "pencetakan-ktp-el"
E = "dokumen-hilang-rusak"
DAY = date(2026, 11, 23)


def stats(n, mean, median, p90):
    return {"n": n, "mean": mean, "median": median, "p90": p90}


def share(within, total):
    return {"within": within, "total": total, "ratio": within / total if total else None}


def reasons(**counts):
    return {"not_in_siak": 0, "data_problem": 0, "network_down": 0, "other": 0, "disruption": 0, **counts}


def at(clock, hhmm: str) -> None:
    """Move the frozen clock forward to this office time on DAY (never backwards)."""
    parts = [int(p) for p in hhmm.split(":")]
    h, m, sec = [*parts, 0][:3]
    target = datetime(DAY.year, DAY.month, DAY.day, h, m, sec, tzinfo=clock.tz).astimezone(UTC)
    assert target >= clock.now(), hhmm
    clock.advance(seconds=(target - clock.now()).total_seconds())


@pytest.fixture
def day(loket, clock):
    """The day above, played through the real operations; returns the people and tickets."""
    store = loket.store
    ani = create_user(store, clock, "ani", "Ani", "password123", [Role.PELAYANAN])
    budi = create_user(store, clock, "budi", "Budi", "password123", [Role.PELAYANAN])
    citra = create_user(store, clock, "citra", "Citra", "password123", [Role.OPERATOR])
    loket1 = create_counter(store, "Loket 1", 1, [Role.PELAYANAN])
    loket2 = create_counter(store, "Loket 2", 2, [Role.PELAYANAN])
    a = Actor(ani.id, Role.PELAYANAN, loket1.id)
    b = Actor(budi.id, Role.PELAYANAN, loket2.id)
    o = Actor(citra.id, Role.OPERATOR, None)
    t = {}

    def call(actor, expected):
        got = queue.call_next(loket, actor).ticket
        assert got.id == t[expected], f"{expected} expected, {got.number} called"

    at(clock, "08:00")
    t["T1"] = issuing.issue(loket, KTP).ticket.id
    at(clock, "08:02")
    call(a, "T1")
    at(clock, "08:03")
    flow.start(loket, a, t["T1"])
    at(clock, "08:05")
    t["T2"] = issuing.issue(loket, KTP).ticket.id
    flow.advance(loket, a, t["T1"])
    at(clock, "08:06")
    call(b, "T2")
    flow.start(loket, b, t["T2"])
    at(clock, "08:07")
    flow.start(loket, o, t["T1"])
    at(clock, "08:09")
    flow.advance(loket, o, t["T1"])
    at(clock, "08:10")
    flow.advance(loket, b, t["T2"])
    at(clock, "08:11")
    t["T3"] = issuing.issue(loket, E).ticket.id
    at(clock, "08:12")
    call(a, "T1")
    flow.start(loket, a, t["T1"])
    at(clock, "08:12:30")
    flow.hand_over(loket, a, t["T1"])
    at(clock, "08:13")
    flow.start(loket, o, t["T2"])
    at(clock, "08:14")
    t["T4"] = issuing.issue(loket, KTP).ticket.id
    at(clock, "08:16")
    call(b, "T3")
    flow.start(loket, b, t["T3"])
    at(clock, "08:17")
    flow.advance(loket, o, t["T2"])
    at(clock, "08:19")
    flow.advance(loket, b, t["T3"])
    at(clock, "08:21")
    call(a, "T4")
    at(clock, "08:22")
    call(b, "T2")
    flow.start(loket, b, t["T2"])
    at(clock, "08:22:30")
    queue.recall(loket, a, t["T4"])
    at(clock, "08:23")
    flow.hand_over(loket, b, t["T2"])
    at(clock, "08:23:30")
    queue.recall(loket, a, t["T4"])
    at(clock, "08:24")
    flow.no_show(loket, a, t["T4"])
    at(clock, "08:25")
    flow.start(loket, o, t["T3"])
    at(clock, "08:30")
    flow.pend(loket, o, t["T3"], "not_in_siak")
    at(clock, "09:05")
    t["T5"] = issuing.issue(loket, E).ticket.id
    at(clock, "09:07")
    call(a, "T5")
    at(clock, "09:08")
    flow.start(loket, a, t["T5"])
    at(clock, "09:10")
    flow.return_for_documents(loket, a, t["T5"], ["surat-kehilangan-polisi"])
    t["T6"] = issuing.issue(loket, KTP).ticket.id
    at(clock, "09:12")
    call(b, "T6")
    flow.start(loket, b, t["T6"])
    at(clock, "09:13")
    flow.advance(loket, b, t["T6"])
    at(clock, "09:14")
    flow.start(loket, o, t["T6"])
    at(clock, "09:15")
    flow.pend(loket, o, t["T6"], "network_down")
    at(clock, "09:25")
    flow.resume(loket, o, t["T6"])
    at(clock, "09:26")
    flow.start(loket, o, t["T6"])
    at(clock, "09:28")
    flow.advance(loket, o, t["T6"])
    at(clock, "09:31")
    call(a, "T6")
    flow.start(loket, a, t["T6"])
    at(clock, "09:32")
    flow.hand_over(loket, a, t["T6"])
    at(clock, "09:35")
    t["T7"] = issuing.issue(loket, KTP).ticket.id
    at(clock, "09:36")
    t["T8"] = issuing.issue(loket, E).ticket.id
    at(clock, "09:40")
    flow.cancel(loket, a, t["T8"])
    at(clock, "09:45")
    return {"ani": ani, "budi": budi, "citra": citra, "loket1": loket1, "loket2": loket2, "tickets": t}


def test_percentile_is_nearest_rank():
    values = list(range(1, 21))  # 1..20
    assert percentile(values, 90) == 18  # rank ceil(0.9 x 20) = 18
    assert percentile([5, 1, 3], 90) == 5  # rank ceil(2.7) = 3
    assert percentile(list(range(10)), 90) == 8  # rank 9 exactly: no float error
    assert percentile([], 90) is None


def test_the_totals_of_the_day(loket, day):
    r = build_report(loket, DAY).as_dict()
    total = r["total"]
    assert (r["start"], r["end"], r["timezone"]) == ("2026-11-23", "2026-11-23", "Asia/Jakarta")
    assert total["issued"] == 8
    assert total["served"] == 3
    assert total["cancelled"] == 1
    assert total["no_shows"] == 1
    assert total["returns"] == 1
    assert total["pendings"] == reasons(not_in_siak=1, network_down=1)
    assert total["pendings_total"] == 2
    assert {k: v for k, v in total["states"].items() if v} == {
        "done": 3,
        "waiting": 1,
        "no_show": 1,
        "returned": 1,
        "pending": 1,
        "cancelled": 1,
    }
    # ticket waits (issue -> first call): 2:00, 1:00, 7:00, 2:00 (KTP); 5:00, 2:00 (E)
    assert total["wait"] == stats(6, 190, 120, 420)
    # 13 timed visits: 30 60 60 60 60 120 120 120 120 180 240 240 300 s
    assert total["service"]["n"] == 13
    assert total["service"]["mean"] == pytest.approx(1710 / 13)
    assert total["service"]["median"] == 120
    assert total["service"]["p90"] == 240  # rank ceil(11.7) = 12, not the maximum (300)
    # finished steps with a target: T1 x2, T6 x2, T3 within; T2 x2 over
    assert total["steps"] == share(5, 7)
    # done berkas: T1 4:30, T6 5:00 within 5:00; T2 9:00 over
    assert total["berkas"] == share(2, 3)
    assert total["elapsed"] == stats(3, 1050, 1080, 1320)


def test_per_service(loket, day):
    services = {row["key"]: row for row in build_report(loket, DAY).as_dict()["services"]}
    assert list(services) == [KTP, E]  # the catalog's order
    ktp, e = services[KTP], services[E]
    assert ktp["label"]["id"] == "Pencetakan KTP-el atau Surat Keterangan"
    assert (ktp["issued"], ktp["served"], ktp["cancelled"], ktp["no_shows"], ktp["returns"]) == (5, 3, 0, 1, 0)
    assert ktp["pendings"] == reasons(network_down=1)
    assert ktp["wait"] == stats(4, 180, 120, 420)
    assert ktp["service"] == stats(10, 111, 90, 240)
    assert ktp["steps"] == share(4, 6)
    assert ktp["berkas"] == share(2, 3)
    assert ktp["elapsed"] == stats(3, 1050, 1080, 1320)
    assert ktp["target_minutes"] == 5 and ktp["sop_target_minutes"] == 5
    assert ktp["bottleneck_step"] == 1

    assert (e["issued"], e["served"], e["cancelled"], e["no_shows"], e["returns"]) == (3, 0, 1, 0, 1)
    assert e["pendings"] == reasons(not_in_siak=1)
    assert e["wait"] == stats(2, 210, 210, 300)
    assert e["service"] == stats(3, 200, 180, 300)
    assert e["steps"] == share(1, 1)
    assert e["berkas"] == share(0, 0)
    assert e["elapsed"] == stats(0, None, None, None)
    assert e["target_minutes"] == 10 and e["sop_target_minutes"] == 10
    assert e["bottleneck_step"] is None


def test_per_step_where_the_time_goes_and_the_bottleneck(loket, day):
    report = build_report(loket, DAY).as_dict()
    steps = {row["key"]: row for row in report["steps"]}
    assert list(steps) == [f"{KTP}#1", f"{KTP}#2", f"{KTP}#3", f"{E}#1", f"{E}#2"]

    reception = steps[f"{KTP}#1"]
    assert (reception["role"], reception["target_minutes"], reception["visits"]) == ("pelayanan", 2, 5)
    assert reception["step_wait"] == stats(4, 180, 120, 420)
    assert reception["service"] == stats(3, 140, 120, 240)
    assert (reception["finished"], reception["no_shows"]) == (3, 1)
    assert reception["steps"] == share(2, 3)
    assert reception["over"] == 40  # (0 + 120 + 0) / 3

    operator = steps[f"{KTP}#2"]
    assert (operator["role"], operator["target_minutes"], operator["visits"]) == ("operator", 3, 4)
    assert operator["step_wait"] == stats(4, 105, 90, 180)  # 2:00, 3:00, 1:00, 1:00
    assert operator["service"] == stats(4, 135, 120, 240)  # 2:00, 4:00, 1:00 (pended), 2:00
    assert operator["finished"] == 3
    assert operator["pendings"] == reasons(network_down=1)
    assert operator["steps"] == share(2, 3)
    assert operator["over"] == 20  # (0 + 60 + 0) / 3

    hand_over = steps[f"{KTP}#3"]
    assert (hand_over["target_minutes"], hand_over["visits"], hand_over["finished"]) == (None, 3, 3)
    assert hand_over["handed_over"] == 3
    assert hand_over["step_wait"] == stats(3, 220, 180, 300)
    assert hand_over["service"] == stats(3, 50, 60, 60)
    assert hand_over["steps"] == share(0, 0)
    assert hand_over["over"] is None

    e1 = steps[f"{E}#1"]
    assert (e1["target_minutes"], e1["visits"], e1["finished"], e1["returns"]) == (3, 3, 1, 1)
    assert e1["step_wait"] == stats(2, 210, 210, 300)
    assert e1["service"] == stats(2, 150, 150, 180)
    assert e1["steps"] == share(1, 1)
    assert e1["over"] == 0

    e2 = steps[f"{E}#2"]
    assert (e2["target_minutes"], e2["visits"], e2["finished"]) == (2, 1, 0)
    assert e2["step_wait"] == stats(1, 360, 360, 360)
    assert e2["service"] == stats(1, 300, 300, 300)
    assert e2["pendings"] == reasons(not_in_siak=1)
    assert e2["steps"] == share(0, 0)
    assert e2["over"] is None  # it never finished: nothing to judge

    # the largest mean time over target: KTP reception (0:40) beats the KTP operator (0:20)
    assert report["bottleneck"]["key"] == f"{KTP}#1"


def test_per_officer_and_per_counter(loket, day):
    report = build_report(loket, DAY).as_dict()
    officers = {row["label"]["id"]: row for row in report["officers"]}
    assert list(officers) == ["Ani", "Budi", "Citra"]

    ani = officers["Ani"]  # T1 reception, T1 hand-over, T4 (no-show), T5 (returned), T6 hand-over
    assert (ani["visits"], ani["calls"], ani["started"], ani["finished"], ani["handed_over"]) == (5, 5, 4, 3, 2)
    assert (ani["no_shows"], ani["returns"], ani["pendings_total"]) == (1, 1, 0)
    assert ani["step_wait"] == stats(5, 204, 180, 420)  # 2:00 3:00 7:00 2:00 3:00
    assert ani["service"] == stats(4, 82.5, 90, 120)  # 2:00 0:30 2:00 1:00
    assert ani["steps"] == share(1, 1)

    budi = officers["Budi"]  # T2 reception, T3 reception, T6 reception, T2 hand-over
    assert (budi["visits"], budi["calls"], budi["started"], budi["finished"], budi["handed_over"]) == (4, 4, 4, 4, 1)
    assert (budi["no_shows"], budi["returns"], budi["pendings_total"]) == (0, 0, 0)
    assert budi["step_wait"] == stats(4, 195, 210, 300)  # 1:00 5:00 2:00 5:00
    assert budi["service"] == stats(4, 135, 120, 240)  # 4:00 3:00 1:00 1:00
    assert budi["steps"] == share(2, 3)

    citra = officers["Citra"]  # the operator: nobody is called, the wait runs until she starts
    assert (citra["visits"], citra["calls"], citra["started"], citra["finished"], citra["handed_over"]) == (
        5,
        0,
        5,
        3,
        0,
    )
    assert citra["pendings"] == reasons(not_in_siak=1, network_down=1)
    assert citra["step_wait"] == stats(5, 156, 120, 360)  # 2:00 3:00 6:00 1:00 1:00
    assert citra["service"] == stats(5, 168, 120, 300)  # 2:00 4:00 5:00 1:00 2:00
    assert citra["steps"] == share(2, 3)

    # counters: the back office works at no counter, so only the two lokets appear, with their officers' figures
    counters = {row["label"]["id"]: row for row in report["counters"]}
    assert list(counters) == ["Loket 1", "Loket 2"]
    for counter, officer in (("Loket 1", ani), ("Loket 2", budi)):
        row = counters[counter]
        for key in ("visits", "calls", "started", "finished", "handed_over", "no_shows", "returns", "pendings"):
            assert row[key] == officer[key], (counter, key)
        for key in ("step_wait", "service", "steps"):
            assert row[key] == officer[key], (counter, key)


def test_waits_by_hour_and_queue_length_through_the_day(loket, day):
    report = build_report(loket, DAY).as_dict()
    hours = {row["key"]: row for row in report["hours"]}
    assert list(hours) == ["08:00", "09:00"]  # by the office's local hour of issue
    assert hours["08:00"]["issued"] == 4 and hours["08:00"]["wait"] == stats(4, 225, 210, 420)  # 2, 1, 5, 7 min
    assert hours["09:00"]["issued"] == 4 and hours["09:00"]["wait"] == stats(2, 120, 120, 120)  # 2, 2 min

    # residents waiting for a call at each quarter hour:
    # 08:00 T1 | 08:15 T3 (08:11-08:16) and T4 (08:14-08:21) | 09:30 T6 ready (09:28-09:31) | 09:45 T7
    # and the most at any moment of each quarter (hall visits: T1 08:00-08:02, T2 08:05-08:06,
    # T1 ready 08:09-08:12, T3 08:11-08:16, T4 08:14-08:21, T2 ready 08:17-08:22, T5 09:05-09:07,
    # T6 09:10-09:12, T6 ready 09:28-09:31, T7 09:35-, T8 09:36-09:40):
    # 08:00-08:15 2 (08:11: T1 ready + T3) | 08:15-08:30 2 | 09:00-09:15 1 | 09:15-09:30 1 (T6 ready)
    # | 09:30-09:45 2 (09:36: T7 + T8) | 09:45 1 (T7)
    assert report["queue"] == [
        {"time": "08:00", "waiting": 1, "peak": 2},
        {"time": "08:15", "waiting": 2, "peak": 2},
        {"time": "08:30", "waiting": 0, "peak": 0},
        {"time": "08:45", "waiting": 0, "peak": 0},
        {"time": "09:00", "waiting": 0, "peak": 1},
        {"time": "09:15", "waiting": 0, "peak": 1},
        {"time": "09:30", "waiting": 1, "peak": 2},
        {"time": "09:45", "waiting": 1, "peak": 1},
    ]
    assert report["queue_step_minutes"] == 15
    days = report["days"]
    assert [d["key"] for d in days] == ["2026-11-23"]
    assert {k: days[0][k] for k in ("issued", "served", "wait", "steps", "berkas")} == {
        k: report["total"][k] for k in ("issued", "served", "wait", "steps", "berkas")
    }


def test_a_range_adds_the_days_and_averages_the_queue(loket, day, clock):
    ani = Actor(day["ani"].id, Role.PELAYANAN, day["loket1"].id)
    clock.advance(days=1)  # Tuesday 09:45
    clock.advance(minutes=-15)  # 09:30
    t = issuing.issue(loket, KTP).ticket.id
    clock.advance(minutes=4)  # called at 09:34: waited 4:00
    queue.call_next(loket, ani)
    clock.advance(minutes=11)  # the report at 09:45 on Tuesday
    report = build_report(loket, DAY, DAY + timedelta(days=1)).as_dict()
    assert [d["key"] for d in report["days"]] == ["2026-11-23", "2026-11-24"]
    tuesday = report["days"][1]
    assert (tuesday["issued"], tuesday["served"], tuesday["wait"]) == (1, 0, stats(1, 240, 240, 240))
    assert report["total"]["issued"] == 9
    assert report["total"]["wait"] == stats(7, (1140 + 240) / 7, 120, 420)
    # Tuesday: 1 waiting at 09:30. Monday is past now: its last activity was the 09:40 cancellation,
    # so its series ends at 09:30 (T7, never called, no longer counts at 09:45). Each sample: mean of the two days.
    assert {q["time"]: q["peak"] for q in report["queue"]} == {  # the highest of the two days
        "08:00": 2,
        "08:15": 2,
        "08:30": 0,
        "08:45": 0,
        "09:00": 1,
        "09:15": 1,
        "09:30": 2,
    }
    waiting = {q["time"]: q["waiting"] for q in report["queue"]}
    assert waiting == {
        "08:00": 0.5,
        "08:15": 1.0,
        "08:30": 0.0,
        "08:45": 0.0,
        "09:00": 0.0,
        "09:15": 0.0,
        "09:30": 1.0,
    }
    assert views.get(loket, t).state.value == "called"


def test_an_empty_day_has_zeros_and_no_figures(loket):
    report = build_report(loket, DAY).as_dict()
    assert report["total"]["issued"] == 0
    assert report["total"]["wait"] == stats(0, None, None, None)
    assert report["total"]["steps"] == share(0, 0)
    assert report["services"] == [] and report["queue"] == [] and report["bottleneck"] is None


def test_exports_hold_the_same_figures(loket, day):
    report = build_report(loket, DAY)
    sections = {}
    current = None
    for row in csv.reader(io.StringIO(report_csv(report))):
        if row and row[0].startswith("# "):
            current = row[0][2:]
            sections[current] = []
        elif row:
            sections[current].append(row)
    assert list(sections) == ["Ringkasan", "Layanan", "Tahapan", "Petugas", "Loket", "Harian", "Per jam", "Antrean"]
    summary = dict(sections["Ringkasan"][1:])
    assert summary["Diterbitkan"] == "8" and summary["Selesai"] == "3"
    assert summary["Waktu tunggu rata-rata (menit)"] == "3.17"  # 190 s
    assert summary["Tahapan sesuai target (%)"] == "71.4"  # 5 of 7
    assert summary["Berkas sesuai target (%)"] == "66.7"
    assert summary["Tahap hambatan"].startswith("Pencetakan KTP-el atau Surat Keterangan · tahap 1")
    header, *rows = sections["Layanan"]
    ktp = dict(zip(header, rows[0], strict=True))
    assert ktp["Layanan"] == "Pencetakan KTP-el atau Surat Keterangan"
    assert (ktp["Diterbitkan"], ktp["Selesai"], ktp["Tidak hadir"]) == ("5", "3", "1")
    assert ktp["Tertunda: Jaringan terganggu"] == "1"
    assert ktp["Waktu tunggu p90 (menit)"] == "7.0"
    assert ktp["Waktu layanan median (menit)"] == "1.5"
    assert rows[-1][0] == "Semua layanan"
    assert sections["Antrean"][1:3] == [["08:00", "1.0", "2"], ["08:15", "2.0", "2"]]

    book = load_workbook(io.BytesIO(report_xlsx(report, "Disdukcapil Kota Contoh")))
    assert book.sheetnames == ["Ringkasan", "Layanan", "Tahapan", "Petugas", "Loket", "Harian", "Per jam", "Antrean"]
    sheet = book["Petugas"]
    assert "Disdukcapil Kota Contoh" in sheet["A1"].value and "2026-11-23" in sheet["A1"].value
    header = [c.value for c in sheet[2]]
    ani = dict(zip(header, [c.value for c in sheet[3]], strict=True))
    assert ani["Petugas"] == "Ani"
    assert (ani["Dipanggil"], ani["Tidak hadir"], ani["Dikembalikan"]) == (5, 1, 1)
    assert ani["Waktu layanan rata-rata (menit)"] == 1.38  # 82.5 s
    assert ani["Tahapan sesuai target (%)"] == 100.0


def test_the_live_dashboard_shows_waiting_open_idle_and_overdue(loket, day, clock):
    a = Actor(day["ani"].id, Role.PELAYANAN, day["loket1"].id)
    b = Actor(day["budi"].id, Role.PELAYANAN, day["loket2"].id)
    o = Actor(day["citra"].id, Role.OPERATOR, None)
    queue.open_station(loket, a)
    queue.open_station(loket, b)
    queue.open_station(loket, o)  # no counter: nothing to show
    live = live_dashboard(loket)
    assert [(c["name"], c["open"], c["idle"]) for c in live["counters"]] == [
        ("Loket 1", True, True),
        ("Loket 2", True, True),
    ]
    assert live["counters"][0]["officers"][0]["name"] == "Ani"
    assert [(w["number"], w["service"]) for w in live["waiting"]] == [("B-005", KTP)]
    assert live["services"] == [
        {"code": KTP, "name": live["services"][0]["name"], "waiting": 1, "longest_seconds": 600.0}
    ]
    assert live["today"]["issued"] == 8 and live["overdue"] == []

    # Budi calls T7 (Loket 2 busy), leaves; a new berkas sits with the operator past its 3 minutes
    clock.advance(minutes=1)
    queue.call_next(loket, b)
    t9 = issuing.issue(loket, KTP).ticket.id
    queue.call_next(loket, a)
    flow.start(loket, a, t9)
    flow.advance(loket, a, t9)
    flow.start(loket, o, t9)
    clock.advance(minutes=4)
    queue.close_station(loket, b)
    live = live_dashboard(loket)
    assert [(c["name"], c["open"], c["idle"]) for c in live["counters"]] == [
        ("Loket 1", True, True),
        ("Loket 2", False, False),
    ]
    assert live["counters"][1]["tickets"] == [{"number": "B-005", "state": "called", "service": KTP}]
    assert live["waiting"] == []
    assert [(o["number"], o["step"], o["role"], o["elapsed_seconds"]) for o in live["overdue"]] == [
        ("B-006", 2, "operator", 240.0)
    ]


def test_the_period_is_read_from_day_or_from_and_to():
    today = DAY
    assert parse_period(None, None, None, today) == (DAY, DAY)
    assert parse_period("2026-11-20", None, None, today) == (date(2026, 11, 20),) * 2
    assert parse_period(None, "2026-11-01", "2026-11-30", today) == (date(2026, 11, 1), date(2026, 11, 30))
    for bad in (("x", None, None), (None, "2026-11-30", "2026-11-01"), (None, "2025-01-01", "2026-11-30")):
        with pytest.raises(ValueError):
            parse_period(*bad, today)


def test_an_officer_is_open_at_one_counter_only_and_never_when_deactivated(loket, day):
    from loket.core import admin as ops
    from loket.core.accounts import create_user

    boss = create_user(loket.store, loket.clock, "boss", "Boss", "password123", [Role.ADMIN])
    queue.open_station(loket, Actor(day["ani"].id, Role.PELAYANAN, day["loket1"].id))
    queue.open_station(loket, Actor(day["ani"].id, Role.PELAYANAN, day["loket2"].id))  # logs in at Loket 2 too
    live = live_dashboard(loket)
    assert [(c["name"], c["open"]) for c in live["counters"]] == [("Loket 1", False), ("Loket 2", True)]
    queue.open_station(loket, Actor(day["budi"].id, Role.PELAYANAN, day["loket1"].id))
    ops.update_staff(loket, Actor(boss.id, Role.ADMIN), day["budi"].id, {"active": False})
    live = live_dashboard(loket)
    assert [(c["name"], c["open"]) for c in live["counters"]] == [("Loket 1", False), ("Loket 2", True)]
