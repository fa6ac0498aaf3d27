"""Issue 16's proof: a hub and two sites, each its own PostgreSQL 15 server on this machine, replicating for real.

Site A's link to the hub is cut (a TCP proxy that refuses and drops connections, both ways) while A keeps issuing and
serving tickets; once it is restored the hub catches up by itself, and holds every row of both sites exactly once,
without the residents' personal data, with the reports' totals the sum of the sites' own.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text

from loket.core import admin as ops
from loket.core.accounts import create_counter, create_user
from loket.core.clock import FrozenClock
from loket.core.demo import DEMO_COUNTERS, DEMO_PASSWORD, DEMO_USERS
from loket.core.migrate import upgrade
from loket.core.reports import build_report
from loket.core.reports.booking import booking_report
from loket.core.roles import CommandLine
from loket.core.sites import replication
from loket.core.sites.ids import TAGGED_TABLES, site_number_of
from loket.core.survey import ELEMENT_KEYS, survey_report
from tests.fixtures.pgcluster import Cluster, Link, wait_for
from tests.fixtures.web import issue, make_app, staff_of

KTP = "pencetakan-ktp-el"
KIA = "penerbitan-kia"
MONDAY = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 08:00 in Jakarta
TUESDAY = "2026-11-24"
SITES = {"kec_a": 1, "kec_b": 2}
#: How long replication may take to arrive or catch up before the test fails (polled, never slept through).
PATIENCE = 120.0


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, Cluster]]:
    """The hub and two sites, each its own PostgreSQL server, migrated by Loket's own migrations."""
    clusters = {name: Cluster(name) for name in ("hub", *SITES)}
    try:
        for cluster in clusters.values():
            cluster.start()
            upgrade(cluster.url())
        yield clusters
    finally:
        for cluster in clusters.values():
            cluster.stop()


def served_to_done(app, clock, kind: str = KTP, survey: bool = True) -> dict:
    """A KTP-el ticket from the kiosk through the front desk and the operator to hand-over, as the desks do it, and
    the resident's survey answer (unless not `survey`)."""
    client, staff = app.test_client(), staff_of(app)
    issue(client, kind)
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    operator = staff("operator", "operator", "Ruang Operator")
    clock.advance(minutes=3)
    tid = desk.post("/api/counter/call-next").get_json()["ticket"]["id"]
    for officer, action in [(desk, "start"), (desk, "advance"), (operator, "start"), (operator, "advance")]:
        clock.advance(minutes=2)
        assert officer.post(f"/api/staff/tickets/{tid}/{action}").status_code == 200
    assert desk.post("/api/counter/call-next").get_json()["ticket"]["id"] == tid
    desk.post(f"/api/staff/tickets/{tid}/start")
    done = desk.post(f"/api/staff/tickets/{tid}/hand-over").get_json()["ticket"]
    assert done["state"] == "done"
    if not survey:
        return done
    answers = {k: 4 for k in ELEMENT_KEYS}
    r = client.post("/api/survey", json={"code": done["number"], "answers": answers, "source": "tablet"})
    assert r.status_code == 201, r.get_json()
    return done


def called_only(app, clock) -> None:
    """A ticket issued and called to Loket 2: still open at the site when the hub is compared."""
    issue(app.test_client())
    clock.advance(minutes=1)
    assert staff_of(app)("pelayanan", "pelayanan", "Loket 2").post("/api/counter/call-next").get_json()["ticket"]


def booked(app, n: int) -> None:
    """The admin opens KIA bookings and a resident books a slot with their NIK and phone."""
    admin = staff_of(app)("admin", "admin")
    r = admin.client.put("/api/admin/booking", json={"enabled": True, "services": {KIA: {}}}, headers=admin.csrf())
    assert r.status_code == 200, r.get_json()
    r = app.test_client().post(
        "/api/booking",
        json={"service": KIA, "day": TUESDAY, "start": "09:00", "nik": f"327301010190{n:04d}", "phone": "081234567890"},
    )
    assert r.status_code == 201, r.get_json()


def rows(engine, table: str, site: str | None = None) -> dict[int, tuple]:
    """A table's rows by id (only `site`'s when given), without the personal columns the hub never receives."""
    hidden = replication.PERSONAL_COLUMNS.get(table, ())
    with engine.connect() as conn:
        result = conn.execute(text(f"SELECT * FROM {table}" + (" WHERE site = :s" if site else "")), {"s": site})
        keep = [i for i, name in enumerate(result.keys()) if name not in hidden]
        names = list(result.keys())
        return {r[names.index("id")]: tuple(r[i] for i in keep) for r in result}


def report_counts(report) -> dict[str, int]:
    """The report's totals that add up across sites (counts; medians and shares do not add)."""
    t = report.total
    counts = {
        "issued": t.issued,
        "served": t.served,
        "cancelled": t.cancelled,
        "visits": t.visits,
        "calls": t.calls,
        "started": t.started,
        "finished": t.finished,
        "handed_over": t.handed_over,
        "no_shows": t.no_shows,
        "returns": t.returns,
        "wait.n": t.wait.n,
        "service.n": t.service.n,
        "elapsed.n": t.elapsed.n,
        "steps.within": t.steps.within,
        "steps.total": t.steps.total,
        "berkas.within": t.berkas.within,
        "berkas.total": t.berkas.total,
    }
    counts.update({f"state.{k}": v for k, v in t.states.items()})
    return counts


def int_leaves(value, path: str = "") -> dict[str, int]:
    """Every integer in a report's JSON (bools and floats left out), by its path."""
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in int_leaves(item, f"{path}.{key}").items()}
    if isinstance(value, list):
        return {k: v for i, item in enumerate(value) for k, v in int_leaves(item, f"{path}[{i}]").items()}
    return {path: value} if isinstance(value, int) and not isinstance(value, bool) else {}


def added(*counts: dict[str, int]) -> dict[str, int]:
    total: dict[str, int] = {}
    for c in counts:
        for k, v in c.items():
            total[k] = total.get(k, 0) + v
    return total


def test_a_cut_site_keeps_working_and_the_hub_gets_every_row_once_after_the_link_returns(servers, tmp_path):
    hub, clock = servers["hub"], FrozenClock(MONDAY)
    engines = {name: create_engine(c.url()) for name, c in servers.items()}
    # The network between the hub and site A, both ways; site B's is never cut.
    to_a, from_a = Link(servers["kec_a"].port), Link(hub.port)
    apps = {}
    try:
        # The hub: per-site uniqueness, its rules published, the staff accounts made there.
        hub_app = apps["hub"] = make_app(tmp_path / "hub", hub.url(), clock=clock, kiosk=None, SITE="hub", HUB=True)
        assert "loket_rules" in cli(hub_app, "hub", "init", "--code", "hub")
        # By the admin's operation, which writes the audit log: the hub's own rows, in the range no site has.
        for username, full_name, roles in DEMO_USERS:
            data = {"username": username, "full_name": full_name, "roles": list(roles), "password": DEMO_PASSWORD}
            ops.create_staff(hub_app.extensions["loket"], CommandLine("test"), data)

        # Site A was a single office before (its kiosk paired, in the audit log): it becomes site 1 by the commands,
        # keeping those rows' ids and tagging them. Site B starts as a site, set up by the domain's functions.
        # Its accounts were loaded into the hub (here: made in the same order, so with the same ids); they are
        # replaced by the hub's, never kept beside them.
        a = apps["kec_a"] = make_app(tmp_path / "kec_a", servers["kec_a"].url(), clock=clock, SITE="kec_a")
        for username, full_name, roles in DEMO_USERS:
            create_user(a.extensions["loket"].store, clock, username, full_name, DEMO_PASSWORD, roles)
        init_a = ["site", "init", "kec_a", "--number", "1", "--hub-conninfo", hub.conninfo(from_a.port)]
        refused = a.test_cli_runner().invoke(args=init_a)
        assert refused.exit_code != 0 and "--replace-rules" in refused.output
        cli(a, *init_a, "--replace-rules")
        conninfo = servers["kec_a"].conninfo(to_a.port)
        cli(hub_app, "site", "add", "kec_a", "--number", "1", "--name", "Kecamatan A", "--conninfo", conninfo)
        replication.init_site(engines["kec_b"], "kec_b", 2, hub.conninfo())
        add = replication.add_site
        add(engines["hub"], "kec_b", 2, "Kecamatan B", "kecamatan", servers["kec_b"].conninfo(), clock.now())
        for code in SITES:
            replication.wait_synced(engines[code], [replication.rules_subscription_name(code)], PATIENCE)
        replication.wait_synced(engines["hub"], [replication.subscription_name(c) for c in SITES], PATIENCE)
        apps["kec_b"] = make_app(tmp_path / "kec_b", servers["kec_b"].url(), clock=clock, SITE="kec_b")

        for code, app in [("kec_a", a), ("kec_b", apps["kec_b"])]:
            store = app.extensions["loket"].store
            for name, number, roles in DEMO_COUNTERS:
                create_counter(store, name, number, roles)
            # The accounts came from the hub: the officers log in at the site with them.
            booked(app, SITES[code])
            served_to_done(app, clock)
            called_only(app, clock)

        # The cut: the hub's subscription to A cannot connect, A keeps working on its own.
        to_a.cut()
        from_a.cut()
        wait_for(lambda: _state(engines["hub"], "kec_a") == "down", PATIENCE, what="the hub seeing site A down")
        during_cut = served_to_done(apps["kec_a"], clock)
        called_only(apps["kec_a"], clock)
        issue(apps["kec_a"].test_client(), KIA)
        served_to_done(apps["kec_b"], clock)
        with engines["kec_a"].connect() as conn:
            cut_ticket = conn.scalar(text("SELECT id FROM tickets WHERE number = :n"), {"n": during_cut["number"]})
        assert cut_ticket not in rows(engines["hub"], "tickets", "kec_a")
        at_a = replication.site_status(engines["kec_a"], "kec_a")
        assert at_a.retained_bytes and at_a.behind_bytes and at_a.slot_wal_status == "reserved"
        # The hub cannot ask A how much WAL it keeps for it; B answers.
        kept = {s.code: s.retained_bytes for s in replication.hub_status(engines["hub"], ask_sites=True)}
        assert kept["kec_a"] is None and kept["kec_b"] is not None

        # Restored: the hub catches up by itself, from the WAL A's slot kept.
        to_a.restore()
        from_a.restore()
        for code in SITES:
            replication.wait_caught_up(engines[code], replication.subscription_name(code), PATIENCE)
        links = replication.hub_status(engines["hub"], ask_sites=True)
        assert {s.code: s.state for s in links} == {"kec_a": "up", "kec_b": "up"}
        assert all(s.retained_bytes is not None and s.slot_wal_status == "reserved" for s in links)
        assert "kec_a\tup" in cli(hub_app, "site", "status") and "kec_a\tup" in cli(a, "site", "status")

        # Every row of both sites at the hub exactly once (ids are keys: a duplicate could not be there twice).
        for table in TAGGED_TABLES:
            at_sites = {code: rows(engines[code], table) for code in SITES}
            for code, own in at_sites.items():
                assert rows(engines["hub"], table, code) == own, (table, code)
                # Ids in the site's own range; A's rows from before it was a site keep theirs, in range 0.
                assert {site_number_of(i) for i in own} <= {SITES[code], 0 if code == "kec_a" else SITES[code]}
            assert not set(at_sites["kec_a"]) & set(at_sites["kec_b"])
            at_hub = rows(engines["hub"], table)
            hub_own = rows(engines["hub"], table, "hub")
            assert {site_number_of(i) for i in hub_own} <= {replication.HUB_ROWS_NUMBER}, table
            assert len(at_hub) == sum(map(len, at_sites.values())) + len(hub_own), table
        assert len(rows(engines["hub"], "events", "hub")) == len(DEMO_USERS)
        assert len(rows(engines["kec_a"], "tickets")) == 5 and len(rows(engines["hub"], "survey_responses")) == 4
        # Emptying a table at one end never empties the other's copy: TRUNCATE is published by no one.
        for name in engines:
            with engines[name].connect() as conn:
                assert conn.execute(text("SELECT bool_or(pubtruncate) FROM pg_publication")).scalar() is False
        # The residents' personal data stayed at the sites.
        with engines["hub"].connect() as conn:
            assert (
                conn.execute(text("SELECT count(*) FROM bookings WHERE nik IS NOT NULL OR phone IS NOT NULL")).scalar()
                == 0
            )
            assert conn.execute(text("SELECT count(*) FROM bookings")).scalar() == 2

        # The hub's reports over every row are the sum of the sites' own.
        day = clock.today()
        contexts = {name: app.extensions["loket"] for name, app in apps.items()}
        tickets = {name: report_counts(build_report(ctx, day)) for name, ctx in contexts.items()}
        assert tickets["hub"] == added(tickets["kec_a"], tickets["kec_b"])
        assert tickets["hub"]["issued"] == 8 and tickets["hub"]["served"] == 4
        surveys = {name: survey_report(ctx, day, day).overall for name, ctx in contexts.items()}
        assert surveys["hub"].responses == surveys["kec_a"].responses + surveys["kec_b"].responses == 4
        assert surveys["hub"].distribution == {
            k: [a + b for a, b in zip(surveys["kec_a"].distribution[k], surveys["kec_b"].distribution[k], strict=True)]
            for k in ELEMENT_KEYS
        }
        # Bookings made and their tickets add up; the seats offered come from each office's own rules, not from rows.
        bookings = {
            name: {
                k: v
                for k, v in int_leaves(booking_report(ctx, day, day.replace(day=24)).total.as_dict()).items()
                if not k.startswith((".hours", ".seats"))
            }
            for name, ctx in contexts.items()
        }
        assert bookings["hub"] == added(bookings["kec_a"], bookings["kec_b"]) and bookings["hub"][".made"] == 2

        # A site copied afresh (as after a slot lost to max_slot_wal_keep_size) comes back whole, once.
        assert "kec_b" in cli(hub_app, "site", "resync", "kec_b")
        replication.wait_synced(engines["hub"], [replication.subscription_name("kec_b")], PATIENCE)
        for table in TAGGED_TABLES:
            assert rows(engines["hub"], table, "kec_b") == rows(engines["kec_b"], table), table
    finally:
        to_a.cut()
        from_a.cut()
        for app in apps.values():
            app.extensions["loket"].store.dispose()
        for engine in engines.values():
            engine.dispose()


def cli(app, *args: str) -> str:
    """Run a `flask` command on `app`; its output (fails the test if the command does)."""
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _state(engine, code: str) -> str:
    return next(s.state for s in replication.hub_status(engine) if s.code == code)


def test_the_hub_refuses_a_site_that_does_not_publish_yet_and_does_not_register_it(servers):
    """`flask site add` before `flask site init` at the site: a plain refusal, and nothing half-made at the hub."""
    hub, site = servers["hub"], servers["kec_b"]
    admin = create_engine(site.url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE DATABASE not_yet"))
    admin.dispose()
    upgrade(site.url("not_yet"))
    engine = create_engine(hub.url())
    try:
        with pytest.raises(replication.ReplicationError, match="flask site init"):
            replication.add_site(engine, "kec_c", 3, "C", "mpp", site.conninfo(database="not_yet"), MONDAY)
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM sites WHERE code = 'kec_c'")) == 0
            assert conn.scalar(text("SELECT count(*) FROM pg_subscription WHERE subname = 'loket_site_kec_c'")) == 0
    finally:
        engine.dispose()
