"""The hub's roll-up (issue 16, docs/sites.md "The hub's views"): every report per site and for all sites together.

Two sites each work on their own database through Loket's own code (a varied history, then today's desks, survey
answers, bookings and a disruption), their rows tagged and numbered as a site's are; the hub holds copies of both
(tests/sites/hub.py). At the hub:

* a site's report is exactly what that site computes on its own rows (the report, the booking use, the IKM, the buku
  harian, the live hall);
* the report for all sites is the full computation over every row, and its counts are the sums of the sites';
* a site cut off for days that delivers a closed day's rows late: the day's cached summary is made again and equals
  a full computation.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, func, select

from loket.core.clock import FrozenClock
from loket.core.context import Policy
from loket.core.migrate import upgrade
from loket.core.qr import CodeSigner
from loket.core.register import register_rows
from loket.core.reports import build_report, build_report_full, live_dashboard
from loket.core.reports.booking import booking_report
from loket.core.service import Loket
from loket.core.store import ReportDay, Store, Ticket
from loket.core.survey import survey_report
from tests.core.test_report_days import FIRST, TODAY
from tests.fixtures.database import PG_ADMIN_URL, _create_pg_database, copy_sqlite

from .hub import TUESDAY, copy_rows, copy_users, make_site, register_sites, widen_hub

YESTERDAY = TODAY - timedelta(days=1)
#: The day site B's link was cut (its rows of that day arrive partly, then the rest days later).
CUT = date(2026, 11, 18)
PERIODS = {
    "a past day": (date(2026, 11, 10), date(2026, 11, 10)),
    "past days": (FIRST, YESTERDAY),
    "past days and today": (FIRST, TODAY),
    "today": (TODAY, TODAY),
}
COUNTS = (
    "issued",
    "served",
    "cancelled",
    "visits",
    "calls",
    "started",
    "finished",
    "handed_over",
    "no_shows",
    "returns",
)


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory, schema_template, catalog, _cheap_password_hashing):
    folder = tmp_path_factory.mktemp("sites")
    a = make_site(folder, schema_template, catalog, "kec-a", 1, "Kecamatan Arjasari", seed=21)
    b = make_site(folder, schema_template, catalog, "kec-b", 2, "Kecamatan Baleendah", seed=22)
    return a, b


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_hub(request, tmp_path, schema_template, catalog, _pg_admin, two_sites):
    """The hub's database (its unique constraints widened by site), the sites registered, no site rows yet."""
    if request.param == "sqlite":
        url = copy_sqlite(schema_template, tmp_path / "hub.db")
    else:
        admin, names = _pg_admin
        names.append(_create_pg_database(admin))
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{names[-1]}"
        upgrade(url)
    engine = create_engine(url)
    widen_hub(engine)
    engine.dispose()
    store = Store(url)
    clock = FrozenClock(two_sites[0].loket.clock.now())
    hub = Loket(store, catalog, CodeSigner("test-secret", "test-office"), clock, Policy())
    copy_users(two_sites[0], hub)
    register_sites(hub, list(two_sites))
    yield hub
    store.dispose()


@pytest.fixture
def hub(empty_hub, two_sites):
    for site in two_sites:
        copy_rows(site, empty_hub)
    return empty_hub


def _reopen(site):
    """The site's Loket on its (tagged, renumbered) database."""
    loket = site.loket
    return Loket(Store(f"sqlite:///{site.path}"), loket.catalog, loket.signer, loket.clock, Policy())


@pytest.fixture(scope="module")
def own(two_sites):
    sites = {s.code: _reopen(s) for s in two_sites}
    yield sites
    for loket in sites.values():
        loket.store.dispose()


@pytest.mark.parametrize("period", PERIODS.values(), ids=list(PERIODS))
def test_a_site_at_the_hub_is_what_it_computes_itself(hub, own, period):
    start, end = period
    for code, site in own.items():
        expected = build_report(site, start, end).as_dict()
        assert build_report(hub, start, end, code).as_dict() == expected  # from the hub's per-site summaries
        assert build_report(hub, start, end, code).as_dict() == expected  # read back
        assert build_report_full(hub, start, end, code).as_dict() == expected
        assert expected["total"]["issued"] >= 5


@pytest.mark.parametrize("period", PERIODS.values(), ids=list(PERIODS))
def test_all_sites_is_every_row_and_the_sum_of_the_sites(hub, own, period):
    start, end = period
    everything = build_report(hub, start, end).as_dict()
    assert everything == build_report_full(hub, start, end).as_dict()
    assert build_report(hub, start, end).as_dict() == everything  # read back from the summaries
    parts = [build_report(site, start, end).as_dict() for site in own.values()]
    for key in COUNTS:
        assert everything["total"][key] == sum(p["total"][key] for p in parts), key
    for key in ("steps", "berkas"):
        for figure in ("within", "total"):
            assert everything["total"][key][figure] == sum(p["total"][key][figure] for p in parts)
    for key in ("wait", "service", "elapsed", "step_wait"):
        assert everything["total"][key]["n"] == sum(p["total"][key]["n"] for p in parts)
    assert everything["total"]["pendings"] == {
        r: sum(p["total"]["pendings"][r] for p in parts) for r in everything["total"]["pendings"]
    }
    services = {s["key"]: s["issued"] for s in everything["services"]}
    summed: dict[str, int] = {}
    for p in parts:
        for s in p["services"]:
            summed[s["key"]] = summed.get(s["key"], 0) + s["issued"]
    assert services == summed
    days = {d["key"]: d["issued"] for d in everything["days"]}
    assert days == {k: sum(d["issued"] for p in parts for d in p["days"] if d["key"] == k) for k in days}
    assert len(everything["counters"]) == sum(len(p["counters"]) for p in parts)  # each site's own counters
    if start == end:  # one day: the hall's queue is the sum of the two halls, sample by sample
        queues = [{q["time"]: q["waiting"] for q in p["queue"]} for p in parts]
        assert {q["time"]: q["waiting"] for q in everything["queue"]} == {
            t: sum(q.get(t, 0) for q in queues) for t in {t for q in queues for t in q}
        }


def test_booking_use_ikm_and_buku_harian_per_site_and_all(hub, own):
    start, end = FIRST, TUESDAY
    parts = {code: booking_report(site, start, end).as_dict() for code, site in own.items()}
    for code, expected in parts.items():
        assert booking_report(hub, start, end, code).as_dict() == expected
    everything = booking_report(hub, start, end).as_dict()
    for key in ("made", "cancelled", "checked_in", "no_show", "booked", "priority"):
        assert everything["total"][key] == sum(p["total"][key] for p in parts.values()), key
    for key in ("issued", "booked", "walk_in", "other"):
        assert everything["total"]["tickets"][key] == sum(p["total"]["tickets"][key] for p in parts.values()), key
    assert everything["total"]["made"] == 3 + 4  # site 1 booked 3, site 2 booked 4
    seats = ("capacity", "booked", "attended", "no_show", "from_rules")
    assert {k: everything["total"]["seats"][k] for k in seats} == {
        k: sum(p["total"]["seats"][k] for p in parts.values()) for k in seats
    }

    ikm = {code: survey_report(site, FIRST, TODAY).as_dict() for code, site in own.items()}
    for code, expected in ikm.items():
        assert survey_report(hub, FIRST, TODAY, site=code).as_dict() == expected
    assert survey_report(hub, FIRST, TODAY).overall.responses == 2 + 3

    for code, site in own.items():
        mine = [(r.number, r.outcome, r.issued) for r in register_rows(site, TODAY)]
        assert [(r.number, r.outcome, r.issued) for r in register_rows(hub, TODAY, code)] == mine
    assert len(register_rows(hub, TODAY)) == sum(len(register_rows(site, TODAY)) for site in own.values())


def test_the_live_hall_per_site_and_in_total(hub, own):
    for code, site in own.items():
        expected = live_dashboard(site)
        at_hub = live_dashboard(hub, code)
        assert at_hub == expected | {"site": code}
    everything = live_dashboard(hub)
    per_site = [live_dashboard(site) for site in own.values()]
    assert (
        everything["waiting_total"]
        == sum(p["waiting_total"] for p in per_site)
        == 3 + 6 + sum(p["waiting_total"] - 3 * n for n, p in enumerate(per_site, start=1))
    )
    assert everything["today"]["issued"] == sum(p["today"]["issued"] for p in per_site)
    assert len(everything["counters"]) == sum(len(p["counters"]) for p in per_site)


def _summaries(loket) -> dict[tuple[str, date], int]:
    with loket.store.read() as s:
        return {(site, day): n for site, day, n in s.execute(select(ReportDay.site, ReportDay.day, ReportDay.tickets))}


def test_a_closed_day_is_made_again_when_a_cut_off_site_delivers_it_late(empty_hub, two_sites, own):
    """Site B's link was cut on CUT at midday: the hub holds B's rows up to then. Its reports sum every past day,
    CUT included (B's half of it). Days later B catches up: the hub's report of those days equals a full computation,
    and B's part equals what B computes itself."""
    hub = empty_hub
    a, b = two_sites
    copy_rows(a, hub)
    with own[b.code].store.read() as s:
        cut_ids = s.scalars(select(Ticket.id).where(Ticket.service_day == CUT).order_by(Ticket.id)).all()
        later = set(s.scalars(select(Ticket.id).where(Ticket.service_day > CUT)))
    held_back = set(cut_ids[len(cut_ids) // 2 :]) | later

    def before_the_cut(table, row):
        if table == "tickets":
            return row["id"] not in held_back
        if table in ("step_visits", "events", "bookings"):
            return row.get("ticket_id") not in held_back
        return True

    copy_rows(b, hub, before_the_cut)
    start, end = FIRST, YESTERDAY
    before = build_report(hub, start, end).as_dict()
    assert before == build_report_full(hub, start, end).as_dict()
    cached = _summaries(hub)
    assert cached[(b.code, CUT)] == len(cut_ids) // 2  # B's half day, summed as it stood
    assert (b.code, CUT + timedelta(days=1)) not in cached

    copy_rows(b, hub)  # the link is back: the rest arrives

    after = build_report(hub, start, end).as_dict()
    assert after == build_report_full(hub, start, end).as_dict()
    assert after["total"]["issued"] > before["total"]["issued"]
    assert _summaries(hub)[(b.code, CUT)] == len(cut_ids)  # made again with every ticket of the day
    assert build_report(hub, CUT, CUT, b.code).as_dict() == build_report(own[b.code], CUT, CUT).as_dict()
    assert build_report(hub, start, end).as_dict() == after  # and read back as made
    with hub.store.read() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == sum(
            site.store.read().__enter__().scalar(select(func.count()).select_from(Ticket)) for site in own.values()
        )
