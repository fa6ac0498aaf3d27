"""The hub's views through the web (issue 16): ?site= on the reports, the live hall, the IKM and the buku harian; the
list of sites with each link's state and lag (from a fake of pg_stat_subscription); who may read them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from loket.core.clock import FrozenClock
from loket.core.reports import build_report
from loket.core.reports.rollup import Link, link_state
from tests.fixtures.web import make_app

from .web import MORNING, fake_links, fill_hub

DAY = "2026-11-23"


@pytest.fixture
def clock():
    return FrozenClock(MORNING)


@pytest.fixture
def links(clock):
    return fake_links(datetime(2026, 11, 23, 3, 30, tzinfo=UTC))  # the links as read at 10:30


@pytest.fixture
def app(tmp_path, clock, demo_database, links):
    app = make_app(tmp_path, demo_database, clock=clock, HUB=True, SITE_LINK_READER=links, OFFICE_NAME="Hub Kab.")
    fill_hub(app.extensions["loket"], clock)
    clock.advance(seconds=(datetime(2026, 11, 23, 3, 30, tzinfo=UTC) - clock.now()).total_seconds())  # 10:30
    yield app
    app.extensions["loket"].store.dispose()


def test_the_list_of_sites_shows_each_link_s_state_and_lag(staff, links):
    r = staff("kepala", "kepala").client.get("/api/hub/sites")
    assert r.status_code == 200
    data = r.get_json()
    assert data["replication"] is True and data["hub"] is True
    sites = {s["code"]: s for s in data["sites"]}
    assert list(sites) == ["kec-a", "kec-b", "mpp"]  # in the register's order
    a, b, mpp = sites["kec-a"], sites["kec-b"], sites["mpp"]
    assert (a["state"], a["lag_seconds"], a["lag_bytes"], a["cut_since"]) == ("connected", 0.0, 2048, None)
    assert a["tickets_today"] == 5 and a["last_row_local"].startswith("2026-11-23 ")
    assert (b["state"], b["cut_since_local"], b["lag_bytes"]) == ("cut", "09:12", None)
    assert b["lag_seconds"] == 78 * 60  # cut for 1 h 18 min: nothing received since
    assert (mpp["state"], mpp["last_row_at"], mpp["tickets_today"]) == ("never", None, 0)
    assert (mpp["name"], mpp["kind"]) == ("MPP Soreang", "mpp")
    assert links.asked == [["kec-a", "kec-b", "mpp"]]


def test_a_link_whose_first_copy_or_apply_keeps_failing_is_listed_as_an_error(staff, links, clock):
    now = clock.now()
    links.given["mpp"] = Link(True, now - timedelta(seconds=2), now, now, None, "copy", ("events", "tickets"))
    links.given["kec-b"] = Link(False, now - timedelta(seconds=30), now, now, None, "apply")
    sites = {s["code"]: s for s in staff("kepala", "kepala").client.get("/api/hub/sites").get_json()["sites"]}
    mpp, b = sites["mpp"], sites["kec-b"]
    assert (mpp["state"], mpp["error"], mpp["error_tables"], mpp["lag_seconds"]) == (
        "error",
        "copy",
        ["events", "tickets"],
        2.0,
    )
    assert (b["state"], b["error"], b["error_tables"], b["cut_since"]) == ("error", "apply", [], None)
    assert (sites["kec-a"]["state"], sites["kec-a"]["error"]) == ("connected", None)


def test_on_sqlite_without_a_reader_the_list_says_replication_needs_postgresql(app, staff):
    app.config["SITE_LINK_READER"] = None
    data = staff("admin", "admin").client.get("/api/hub/sites").get_json()
    assert data["replication"] is False
    assert [s["state"] for s in data["sites"]] == ["cut", "cut", "never"]  # rows held, but no link to read
    assert all(s["lag_seconds"] is None and s["lag_bytes"] is None for s in data["sites"])
    page = staff("admin", "admin").client.get("/hub/sites").get_data(as_text=True)
    assert "Replikasi memerlukan PostgreSQL" in page


def test_only_the_report_roles_read_the_hub(app, staff):
    assert app.test_client().get("/api/hub/sites").status_code == 401
    assert staff("pelayanan", "pelayanan", "Loket 1").client.get("/api/hub/sites").status_code == 403
    assert staff("pelayanan", "pelayanan", "Loket 1").client.get("/api/hub/halls").status_code == 403


def test_every_report_takes_a_site_or_all_sites(app, staff):
    loket = app.extensions["loket"]
    client = staff("kepala", "kepala").client
    everything = client.get(f"/api/reports/summary?day={DAY}").get_json()
    a = client.get(f"/api/reports/summary?day={DAY}&site=kec-a").get_json()
    b = client.get(f"/api/reports/summary?day={DAY}&site=kec-b").get_json()
    assert (a["site"], b["site"], everything["site"]) == ("kec-a", "kec-b", None)
    assert (a["total"]["issued"], b["total"]["issued"], everything["total"]["issued"]) == (5, 6, 11)
    assert (a["total"]["served"], b["total"]["served"], everything["total"]["served"]) == (2, 1, 3)
    day = date(2026, 11, 23)
    assert a["total"] == build_report(loket, day, day, "kec-a").as_dict()["total"]
    for key in ("within", "total"):
        assert everything["total"]["steps"][key] == a["total"]["steps"][key] + b["total"]["steps"][key]
    assert everything["booking"]["total"]["tickets"]["issued"] == 11
    assert a["booking"]["total"]["tickets"]["issued"] == 5
    r = client.get(f"/api/reports/summary?day={DAY}&site=kec-b&format=csv")
    assert r.status_code == 200 and "laporan-2026-11-23-kec-b.csv" in r.headers["Content-Disposition"]
    unknown = client.get(f"/api/reports/summary?day={DAY}&site=nowhere")
    assert unknown.status_code == 400 and "Lokasi tidak dikenal" in unknown.get_data(as_text=True)
    english = client.get(f"/api/reports/summary?day={DAY}&site=nowhere", headers={"X-Loket-Lang": "en"})
    assert "Unknown site" in english.get_data(as_text=True)

    ikm_a = client.get("/api/survey/report?from=2026-11-01&to=2026-11-23&site=kec-a").get_json()
    ikm = client.get("/api/survey/report?from=2026-11-01&to=2026-11-23").get_json()
    assert (ikm_a["overall"]["responses"], ikm["overall"]["responses"]) == (2, 3)
    assert (ikm_a["site"], ikm["site"]) == ("kec-a", None)
    for page in ("/reports/", "/reports/live", "/survey/report"):
        html = client.get(page).get_data(as_text=True)
        assert '<option value="kec-b">Kecamatan Baleendah</option>' in html, page

    register = staff("admin", "admin").client
    rows_b = register.get(f"/api/register?day={DAY}&site=kec-b").get_json()["rows"]
    rows = register.get(f"/api/register?day={DAY}").get_json()["rows"]
    assert (len(rows_b), len(rows)) == (6, 11)


def test_the_live_hall_per_site_and_all_sites(staff):
    client = staff("kepala", "kepala").client
    everything = client.get("/api/reports/live").get_json()
    b = client.get("/api/reports/live?site=kec-b").get_json()
    assert (b["site"], b["waiting_total"], everything["waiting_total"]) == ("kec-b", 5, 8)
    assert {w["site"] for w in b["waiting"]} == {"kec-b"}
    assert b["today"]["issued"] == 6 and everything["today"]["issued"] == 11
    halls = client.get("/api/hub/halls").get_json()
    by_code = {s["code"]: s for s in halls["sites"]}
    assert [s["code"] for s in halls["sites"]] == ["kec-a", "kec-b", "mpp"]
    assert (by_code["kec-a"]["waiting"], by_code["kec-b"]["waiting"], by_code["mpp"]["waiting"]) == (3, 5, 0)
    assert halls["all"]["waiting"] == 8
    assert {s["code"]: s["waiting"] for s in by_code["kec-b"]["waiting_per_service"]} == {
        "pencetakan-ktp-el": 3,
        "penerbitan-kia": 2,
    }
    assert by_code["kec-a"]["ikm"]["responses"] == 2 and halls["all"]["ikm"]["responses"] == 3
    assert (by_code["kec-a"]["issued"], halls["all"]["issued"]) == (5, 11)
    assert halls["all"]["steps"]["total"] == by_code["kec-a"]["steps"]["total"] + by_code["kec-b"]["steps"]["total"]


def test_a_link_s_state_and_lag_from_its_subscription_status():
    now = datetime(2026, 11, 23, 3, 30, tzinfo=UTC)
    ago = lambda seconds: now - timedelta(seconds=seconds)  # noqa: E731
    # running, spoke 5 s ago, nothing pending: the last message's transfer time
    assert link_state(Link(True, ago(5), ago(5.25), ago(5), 0), now, True) == ("connected", None, 0.25)
    # running, data pending: how long since the hub last confirmed a position
    assert link_state(Link(True, ago(1), ago(1), ago(40), 9000), now, True) == ("connected", None, 40.0)
    # the worker runs but the site has been silent past wal_receiver_timeout: cut since its last message
    assert link_state(Link(True, ago(90), ago(90), ago(90)), now, True) == ("cut", ago(90), 90.0)
    # the worker stopped (the site refused the connection) a moment ago: cut at once
    assert link_state(Link(False, ago(5), ago(5), ago(5)), now, True) == ("cut", ago(5), 5.0)
    # never a message: never synced, unless rows of it are here already (copied another way): cut, since unknown
    assert link_state(None, now, False) == ("never", None, None)
    assert link_state(Link(True, None, None, None), now, False) == ("never", None, None)
    assert link_state(None, now, True) == ("cut", None, None)
    # the first copy or the apply keeps failing: an error, whether the worker runs at this moment or not
    assert link_state(Link(True, ago(3), ago(3), ago(3), None, "copy", ("events",)), now, True) == ("error", None, 3.0)
    assert link_state(Link(False, ago(90), None, None, None, "apply"), now, True) == ("error", None, 90.0)
    assert link_state(Link(True, None, None, None, None, "copy", ("sites",)), now, False) == ("error", None, None)


def test_a_site_holding_the_register_offers_no_site_choice(app, staff):
    """A site's database holds the register too (replicated down for the others' keys), but only its own rows."""
    app.config["HUB"] = False
    client = staff("kepala", "kepala").client
    for page in ("/reports/", "/reports/live", "/survey/report"):
        assert 'value="kec-b"' not in client.get(page).get_data(as_text=True), page
    assert "/hub/sites" not in client.get("/reports/").get_data(as_text=True)
