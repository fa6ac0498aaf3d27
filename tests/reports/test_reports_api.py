"""The reports API: figures as JSON, CSV and XLSX, the live hall, and who may read them."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time

import pytest
from openpyxl import load_workbook

from loket.core.accounts import list_counters
from loket.core.booking import operations as booking
from loket.core.booking.config import BookingConfig, ServiceBooking, write_config
from loket.core.clock import FrozenClock
from loket.core.roles import STEP_ROLES, Actor, Role
from loket.core.store import User, select
from loket.core.tickets import flow, issuing, queue
from tests.fixtures.web import make_app

KTP = "pencetakan-ktp-el"
KIA = "penerbitan-kia"
DAY = "2026-11-23"


@pytest.fixture
def clock():
    return FrozenClock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))  # 08:00 in Jakarta


@pytest.fixture
def app(tmp_path, clock, demo_database):
    """The app on a frozen clock, so a day of tickets has known times."""
    app = make_app(tmp_path, demo_database, clock=clock, OFFICE_NAME="Disdukcapil Kota Contoh")
    yield app
    app.extensions["loket"].store.dispose()


@pytest.fixture
def day(app, clock):
    """Two KTP tickets: B-001 waits 2 min and is served 3 min (over its 2); B-002 still waits."""
    loket = app.extensions["loket"]
    with loket.store.read() as s:
        officer = s.scalar(select(User).where(User.username == "pelayanan"))
    loket1 = next(c for c in list_counters(loket.store) if c.name == "Loket 1")
    desk = Actor(officer.id, Role.PELAYANAN, loket1.id)
    first = issuing.issue(loket, KTP).ticket.id
    clock.advance(minutes=2)
    queue.call_next(loket, desk)
    flow.start(loket, desk, first)
    clock.advance(minutes=3)
    flow.advance(loket, desk, first)
    issuing.issue(loket, KTP)
    clock.advance(minutes=5)  # 08:10
    queue.open_station(loket, desk)
    return loket


def test_the_summary_gives_the_day_s_figures(staff, day):
    kepala = staff("kepala", "kepala")
    r = kepala.client.get(f"/api/reports/summary?day={DAY}")
    assert r.status_code == 200
    data = r.get_json()
    assert (data["start"], data["end"], data["office"]) == (DAY, DAY, "Disdukcapil Kota Contoh")
    total = data["total"]
    assert (total["issued"], total["served"], total["no_shows"]) == (2, 0, 0)
    assert total["wait"] == {"n": 1, "mean": 120, "median": 120, "p90": 120}
    assert total["service"] == {"n": 1, "mean": 180, "median": 180, "p90": 180}
    assert total["steps"] == {"within": 0, "total": 1, "ratio": 0.0}
    assert data["bottleneck"]["key"] == f"{KTP}#1" and data["bottleneck"]["over"] == 60
    assert [o["label"]["id"] for o in data["officers"]] == ["Petugas Pelayanan (demo)"]
    assert [c["label"]["id"] for c in data["counters"]] == ["Loket 1"]
    assert data["queue"] == [{"time": "08:00", "waiting": 1, "peak": 1}]  # B-001 left at 08:02, B-002 came at 08:05
    # a period: from/to, both days included
    r = kepala.client.get("/api/reports/summary?from=2026-11-22&to=2026-11-23")
    assert r.get_json()["total"]["issued"] == 2 and r.get_json()["start"] == "2026-11-22"
    # today is the default
    assert kepala.client.get("/api/reports/summary").get_json()["start"] == DAY


def test_a_bad_period_is_refused_plainly(staff, day):
    admin = staff("admin", "admin")
    period = "Periode tidak sah: tanggal YYYY-MM-DD, paling lama 366 hari."
    for query, message in (
        ("day=23-11-2026", period),
        ("from=2026-11-23&to=2026-11-01", period),
        ("from=2025-01-01&to=2026-11-23", period),
        ("format=pdf", "Format: json, csv atau xlsx."),
    ):
        r = admin.client.get(f"/api/reports/summary?{query}")
        assert r.status_code == 400, query
        refusal = r.get_json()
        assert refusal["message"] == refusal["label"]["id"] == message, query
        assert refusal["label"]["en"] and refusal["label"]["en"] != message, query


def test_csv_export(staff, day):
    r = staff("admin", "admin").client.get(f"/api/reports/summary?day={DAY}&format=csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert r.headers["Content-Disposition"] == f'attachment; filename="laporan-{DAY}.csv"'
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True))))
    assert rows[0] == ["# Ringkasan"]
    summary = dict(r for r in rows[2:15] if len(r) == 2)
    assert summary["Diterbitkan"] == "2" and summary["Waktu tunggu rata-rata (menit)"] == "2.0"
    assert summary["Tahapan sesuai target (%)"] == "0.0"
    officers = rows.index(["# Petugas"])
    header, officer = rows[officers + 1], rows[officers + 2]
    row = dict(zip(header, officer, strict=True))
    assert row["Petugas"] == "Petugas Pelayanan (demo)"
    assert row["Waktu layanan rata-rata (menit)"] == "3.0"


def test_xlsx_export_opens_with_the_figures(staff, day):
    r = staff("kepala", "kepala").client.get("/api/reports/summary?from=2026-11-20&to=2026-11-23&format=xlsx")
    assert r.status_code == 200
    assert r.headers["Content-Disposition"] == 'attachment; filename="laporan-2026-11-20-sd-2026-11-23.xlsx"'
    book = load_workbook(io.BytesIO(r.data))
    assert book.sheetnames == [
        "Ringkasan",
        "Layanan",
        "Tahapan",
        "Petugas",
        "Loket",
        "Harian",
        "Per jam",
        "Antrean",
        "Booking online",
        "Slot per jam",
        "Gangguan",
    ]
    layanan = book["Layanan"]
    assert layanan["A1"].value == "Laporan Layanan · Disdukcapil Kota Contoh · 2026-11-20 s.d. 2026-11-23"
    header = [c.value for c in layanan[2]]
    ktp = dict(zip(header, [c.value for c in layanan[3]], strict=True))
    assert ktp["Layanan"] == "Pencetakan KTP-el atau Surat Keterangan"
    assert (ktp["Diterbitkan"], ktp["Selesai"]) == (2, 0)
    assert ktp["Waktu tunggu rata-rata (menit)"] == 2.0
    assert ktp["Waktu layanan p90 (menit)"] == 3.0
    assert ktp["Tahapan sesuai target (%)"] == 0.0
    assert ktp["Tahap hambatan"] == 1
    steps = book["Tahapan"]
    step = dict(zip([c.value for c in steps[2]], [c.value for c in steps[3]], strict=True))
    assert (step["Tahap"], step["Peran"], step["Target (menit)"]) == (1, "Petugas Pelayanan", 2)
    assert step["Rata-rata lewat target (menit)"] == 1.0


@pytest.fixture
def booked(day, clock):
    """Penerbitan KIA bookable on Mondays 09:00-10:00 (two 30-minute slots of 2 online seats): two residents book
    09:00, one checks in at once (a "booking" ticket); the other is still booked when the report is made."""
    loket = day
    rule = ServiceBooking(hours={"mon": {"open": "09:00", "close": "10:00"}}, slot_minutes=30, priority_percent=0)
    with loket.store.transaction() as s:
        write_config(s, BookingConfig(enabled=True, services={KIA: rule}), clock.now(), None)
    first = booking.book(loket, KIA, date(2026, 11, 23), time(9, 0), "3273010101900001")
    booking.book(loket, KIA, date(2026, 11, 23), time(9, 0), "3273010101900002")
    ticket = issuing.issue(loket, KIA, source="booking").ticket.id
    with loket.store.transaction() as s:
        assert booking.mark_checked_in(s, first.id, ticket, clock.now())
    return loket


def test_the_summary_and_its_exports_carry_the_booking_figures(staff, booked):
    kepala = staff("kepala", "kepala").client
    data = kepala.get(f"/api/reports/summary?day={DAY}").get_json()["booking"]
    total = data["total"]
    assert (total["made"], total["checked_in"], total["booked"], total["no_show"]) == (2, 1, 1, 0)
    assert total["no_show_rate"] == {"within": 0, "total": 1, "ratio": 0.0}
    assert total["tickets"]["booked_share"] == {"within": 1, "total": 3, "ratio": 1 / 3}  # and the two KTP tickets
    # 09:00 has a row (2 seats), 09:30 none: 2 more from the rules
    assert [(h["label"], h["capacity"], h["booked"], h["attended"]) for h in total["hours"]] == [("09:00", 4, 2, 1)]
    assert [s["key"] for s in data["services"]] == [KTP, KIA]
    rows = list(
        csv.reader(io.StringIO(kepala.get(f"/api/reports/summary?day={DAY}&format=csv").get_data(as_text=True)))
    )
    hours = rows.index(["# Slot per jam"])
    assert rows[hours + 2][:8] == ["Penerbitan Kartu Identitas Anak (KIA)", "09:00", "4", "2", "2", "50.0", "1", "25.0"]


def test_the_live_hall(staff, day):
    live = staff("kepala", "kepala").client.get("/api/reports/live").get_json()
    assert [(w["number"], w["waiting_seconds"]) for w in live["waiting"]] == [("B-002", 300.0)]
    assert live["services"][0]["code"] == KTP and live["services"][0]["waiting"] == 1
    loket1 = next(c for c in live["counters"] if c["name"] == "Loket 1")
    assert (loket1["open"], loket1["idle"]) == (True, True)
    assert loket1["officers"][0]["name"] == "Petugas Pelayanan (demo)"
    assert live["counters_open"] == 1 and live["counters_idle"] == 1
    # B-001 has sat 5 minutes in the operator's work list; the step's target is 3
    assert [(o["number"], o["step"], o["elapsed_seconds"], o["target_minutes"]) for o in live["overdue"]] == [
        ("B-001", 2, 300.0, 3)
    ]
    # waiting and service apart: it only waited (nobody started it), so no officer's clock ran over
    assert [(o["wait_seconds"], o["service_seconds"]) for o in live["overdue"]] == [(300.0, None)]
    assert live["today"]["issued"] == 2


@pytest.mark.parametrize("path", ["/api/reports/summary", "/api/reports/summary?format=xlsx", "/api/reports/live"])
def test_only_admin_and_kepala_may_read_reports(app, client, staff, path):
    assert client.get(path).status_code == 401  # anonymous
    assert staff("kepala").client.get(path).status_code == 403  # logged in, no role chosen yet
    for role in STEP_ROLES:
        r = staff(role.value, role.value).client.get(path)
        assert r.status_code == 403, role
        assert r.get_json()["error"] == "forbidden"
    for username in ("admin", "kepala"):
        assert staff(username, username).client.get(path).status_code == 200


def test_a_disruption_is_reported_apart_and_its_minutes_left_out_of_compliance(app, clock, staff):
    """B-001 is served 08:02-08:05 (3 min against 2); the office is down 08:03-08:06: 2 of its 3 minutes are
    left out, so it is judged on 1:00 (within). The disruption's 3 minutes are listed apart."""
    loket = app.extensions["loket"]
    with loket.store.read() as s:
        officer = s.scalar(select(User).where(User.username == "pelayanan"))
    loket1 = next(c for c in list_counters(loket.store) if c.name == "Loket 1")
    desk = Actor(officer.id, Role.PELAYANAN, loket1.id)
    first = issuing.issue(loket, KTP).ticket.id
    clock.advance(minutes=2)
    queue.call_next(loket, desk)
    flow.start(loket, desk, first)
    clock.advance(minutes=1)
    kepala = staff("kepala", "kepala")
    r = kepala.post("/api/disruptions", {"scope": "office", "reason": "network", "note": "Kabel putus"})
    assert r.status_code == 201
    clock.advance(minutes=2)
    flow.advance(loket, desk, first)
    clock.advance(minutes=1)
    assert kepala.post(f"/api/disruptions/{r.get_json()['disruption']['id']}/end").status_code == 200
    data = kepala.client.get(f"/api/reports/summary?day={DAY}").get_json()
    assert data["total"]["steps"] == {"within": 1, "total": 1, "ratio": 1.0}
    assert data["total"]["service"]["mean"] == 180.0  # the time really spent
    (row,) = data["disruptions"]
    assert (row["scope"], row["reason"], row["minutes"]) == ("office", "network", 3.0)
    rows = list(
        csv.reader(io.StringIO(kepala.client.get(f"/api/reports/summary?day={DAY}&format=csv").get_data(as_text=True)))
    )
    at = rows.index(["# Gangguan"])
    assert dict(zip(rows[at + 1], rows[at + 2], strict=True)) == {
        "Lingkup": "kantor",
        "Layanan": "",
        "Penyebab": "Jaringan terganggu",
        "Catatan": "Kabel putus",
        "Mulai": "2026-11-23 08:03",
        "Berakhir": "2026-11-23 08:06",
        "Menit (dalam periode)": "3.0",
        "Berkas dititipkan": "0",  # none left at the kiosk meanwhile (titip berkas)
        "Titipan diterima loket": "0",
    }
