"""Codes that travel between sites' apps (issue 16): site A's ticket, pickup slip and booking, read at site B (each
its own database, the sites' register filled as the hub's replication fills it) and at the hub; a ticket printed on
58 and 80 mm paper at a site read back; an office's tickets printed before it became a site still scan."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlparse

import pytest
import segno

from loket.core.clock import FrozenClock
from loket.core.sites import keys
from loket.hardware.printer.layout import PAPER, wrap
from loket.hardware.printer.readback import decode_qr_image, native_qr_payloads, qr_payloads, raster_images
from loket.hardware.printer.render import QR_MODULE_DOTS
from tests.fixtures.database import copy_sqlite
from tests.fixtures.web import issue, make_app, staff_of

NAMES = {"kec-a": "Kecamatan Mlati", "kec-b": "Kecamatan Depok"}
MONDAY = "2026-11-23"
SERVICE = "penerbitan-kia"  # bookable
FORGED = "Kode tiket tidak sah: tanda tangan tidak cocok (palsu atau salah ketik)."
#: What the QR of a ticket measured below is, kept for docs/sites.md (printed by `pytest -s`).
MEASURED: dict[int, tuple[int, int, int]] = {}


def monday_clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))  # 08:00 in Jakarta


def fill_register(apps: dict) -> None:
    """Every site's public key in every database's register, as the hub's replication brings it."""
    for app in apps.values():
        for number, (code, other) in enumerate(apps.items(), 1):
            public = other.extensions["loket"].signer.keys.public_key
            keys.set_public_key(app.extensions["loket"].store, code, public, create=(number, NAMES[code]))


@pytest.fixture
def sites(tmp_path, demo_template):
    """Site A's and site B's apps, each on its own database and instance folder (its own key), one clock."""
    clock = monday_clock()
    apps = {}
    for code in NAMES:
        folder = tmp_path / code
        folder.mkdir()
        url = copy_sqlite(demo_template, folder / "loket.db")
        apps[code] = make_app(folder, url, clock=clock, SITE=code, PUBLIC_URL=f"http://{code}.lan:5000")
    fill_register(apps)
    yield apps
    for app in apps.values():
        app.extensions["loket"].store.dispose()


def desk(app):
    return staff_of(app)("pelayanan", "pelayanan", "Loket 1")


def code_of(url: str) -> str:
    return urlparse(url).path.rsplit("/", 1)[1]


def test_site_a_s_ticket_is_verified_at_site_b_which_says_whose_it_is(sites):
    a, b = sites["kec-a"], sites["kec-b"]
    ticket = issue(a.test_client())
    qr = ticket["qr"]
    assert qr.startswith("http://kec-a.lan:5000/s/T2.kec-a.20261123.") and f".{ticket['number']}." in qr
    # at A: the berkas itself
    assert desk(a).post("/api/scan", {"code": qr}).get_json()["ticket"]["number"] == ticket["number"]
    # at B: genuine, A's, with what the code says; no crash, no refusal without a reason
    r = desk(b).post("/api/scan", {"code": qr})
    said = r.get_json()
    assert r.status_code == 400 and said["error"] == "other_site", said
    assert said["other_site"] == {
        "kind": "ticket",
        "site": "kec-a",
        "site_name": "Kecamatan Mlati",
        "day": MONDAY,
        "number": ticket["number"],
    }
    assert said["message"].startswith(f"Tiket dari Kecamatan Mlati: nomor {ticket['number']}, tanggal 23-11-2026.")
    assert said["label"]["en"].startswith("Ticket from Kecamatan Mlati")
    # B's status page (a phone that opened the code at B's address)
    page = b.test_client().get(f"/s/{code_of(qr)}")
    assert page.status_code == 200 and "Tiket dari Kecamatan Mlati" in page.text and ticket["number"] in page.text
    data = b.test_client().get(f"/api/status/{code_of(qr)}").get_json()
    assert (data["kind"], data["of"], data["site_name"], data["number"]) == (
        "other_site",
        "ticket",
        "Kecamatan Mlati",
        ticket["number"],
    )
    # B's survey kiosk cannot rate it (nothing of it is here), and says why
    survey = b.test_client().get(f"/api/survey/ticket/{qr}")
    assert survey.status_code == 400 and survey.get_json()["error"] == "other_site"


def test_a_forged_or_altered_code_is_refused_at_every_site(sites):
    a, b = sites["kec-a"], sites["kec-b"]
    qr = issue(a.test_client())["qr"]
    code = code_of(qr)
    altered = code[:40] + ("x" if code[40] != "x" else "y") + code[41:]
    # B writes a code in A's name with its own key
    b_ticket = code_of(issue(b.test_client())["qr"])
    in_a_s_name = b_ticket.replace("T2.kec-b.", "T2.kec-a.")
    for forged in (altered, in_a_s_name):
        for app in (a, b):
            r = desk(app).post("/api/scan", {"code": forged})
            assert r.status_code == 400 and r.get_json()["message"] == FORGED, r.get_json()
            assert app.test_client().get(f"/s/{forged}").status_code == 404


def test_a_site_whose_key_the_register_lacks_is_named_not_trusted(sites, tmp_path, demo_template):
    c = make_app(tmp_path / "c", copy_sqlite(demo_template, tmp_path / "c.db"), SITE="kec-c")
    try:
        code = code_of(issue(c.test_client())["qr"])
        said = desk(sites["kec-b"]).post("/api/scan", {"code": code}).get_json()
        assert said["error"] == "unknown_site" and "kec-c" in said["message"]
        # once the hub's register brings C's key, B verifies C's codes (no restart: read again within seconds)
        keys.set_public_key(
            sites["kec-b"].extensions["loket"].store,
            "kec-c",
            c.extensions["loket"].signer.keys.public_key,
            create=(3, "MPP"),
        )
        assert desk(sites["kec-b"]).post("/api/scan", {"code": code}).get_json()["other_site"]["site_name"] == "MPP"
    finally:
        c.extensions["loket"].store.dispose()


def test_site_a_s_pickup_slip_is_verified_at_site_b(sites):
    a, b = sites["kec-a"], sites["kec-b"]
    ticket = issue(a.test_client(), service="dokumen-hilang-rusak")
    officer = desk(a)
    found = officer.post("/api/scan", {"code": ticket["qr"]}).get_json()["ticket"]
    assert officer.post(f"/api/staff/tickets/{found['id']}/pickup-slip").status_code == 200
    a.extensions["print_queues"].wait_idle()
    [slip] = (Path(a.config["PRINTER"].removeprefix("file:"))).glob("*slip-*.bin")
    [payload] = qr_payloads(slip.read_bytes())
    assert payload == ticket["qr"]
    said = desk(b).post("/api/scan", {"code": payload}).get_json()
    assert said["other_site"]["number"] == ticket["number"] and said["other_site"]["site"] == "kec-a"


def book(app) -> dict:
    admin = staff_of(app)("admin", "admin")
    body = {"enabled": True, "services": {SERVICE: {"seats_per_slot": 10}}}
    assert admin.client.put("/api/admin/booking", json=body, headers=admin.csrf()).status_code == 200
    r = app.test_client().post(
        "/api/booking", json={"service": SERVICE, "day": MONDAY, "start": "08:30", "nik": "3273010101900001"}
    )
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def test_site_a_s_booking_is_verified_at_site_b_s_kiosk_which_sends_the_resident_to_a(sites):
    a, b = sites["kec-a"], sites["kec-b"]
    made = book(a)
    assert f"/s/B2.kec-a.20261123.{made['code']}." in made["qr"]
    a.extensions["loket"].clock.advance(minutes=20)  # 08:20: the window opened at 08:00 (one clock for both)
    r = b.test_client().post("/api/checkin", json={"code": made["qr"]})
    said = r.get_json()
    assert r.status_code == 400 and said["error"] == "other_site", said
    assert said["other_site"] == {
        "kind": "booking",
        "site": "kec-a",
        "site_name": "Kecamatan Mlati",
        "day": MONDAY,
        "number": made["code"],
    }
    assert said["message"].startswith("Booking dari Kecamatan Mlati untuk tanggal 23-11-2026")
    page = b.test_client().get(f"/s/{code_of(made['qr'])}")
    assert page.status_code == 200 and "Booking dari Kecamatan Mlati" in page.text and made["code"] in page.text
    # the booking page's look-up by the signed code: A's booking at A, "Booking dari" at B
    assert a.test_client().get(f"/api/booking/{made['status_code']}").get_json()["code"] == made["code"]
    assert b.test_client().get(f"/api/booking/{made['status_code']}").get_json()["error"] == "other_site"
    # the typed 8-character code means nothing at B (it names no site)
    assert b.test_client().post("/api/checkin", json={"code": made["code"]}).status_code == 404
    # at A: checked in, its ticket printed
    checked = a.test_client().post("/api/checkin", json={"code": made["qr"]})
    assert checked.status_code == 201, checked.get_json()
    status = a.test_client().get(f"/api/status/{code_of(made['qr'])}").get_json()
    assert status["kind"] == "ticket" and status["number"] == checked.get_json()["number"]


def backup(app, target: Path) -> str:
    """A copy of an app's SQLite database while it is open (its WAL included)."""
    source = app.config["DATABASE_URL"].removeprefix("sqlite:///")
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return f"sqlite:///{target}"


def test_the_hub_which_holds_every_site_s_rows_shows_the_status(sites, tmp_path):
    a = sites["kec-a"]
    ticket = issue(a.test_client())
    made = book(a)
    # the hub's database as replication fills it: A's rows, tagged with A's code (a site's column default)
    url = backup(a, tmp_path / "hub.db")
    with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db, db:
        db.execute("UPDATE tickets SET site = 'kec-a'")
        db.execute("UPDATE bookings SET site = 'kec-a'")
    hub = make_app(tmp_path / "hub", url, clock=monday_clock(), HUB=True, kiosk=None)
    try:
        assert hub.extensions["loket"].signer.site == ""  # the hub signs no site's codes
        data = hub.test_client().get(f"/api/status/{code_of(ticket['qr'])}").get_json()
        assert data["kind"] == "ticket" and data["number"] == ticket["number"] and data["state"] == "waiting"
        page = hub.test_client().get(f"/s/{code_of(ticket['qr'])}")
        assert page.status_code == 200 and ticket["number"] in page.text
        booking = hub.test_client().get(f"/api/status/{code_of(made['qr'])}").get_json()
        assert booking["kind"] == "booking" and booking["number"] == made["code"]
        # a row of the same id that is another site's is not A's ticket
        with hub.extensions["loket"].store.transaction() as s:
            from loket.core.store import Ticket

            s.query(Ticket).update({"site": "kec-b"})
        r = hub.test_client().get(f"/api/status/{code_of(ticket['qr'])}").get_json()
        assert r["kind"] == "other_site"
    finally:
        hub.extensions["loket"].store.dispose()


def test_tickets_printed_before_the_office_became_a_site_still_scan(tmp_path, demo_database):
    before = make_app(tmp_path / "before", demo_database, clock=monday_clock())
    old = issue(before.test_client())
    before.extensions["loket"].store.dispose()
    assert "/s/T1." in old["qr"]
    site = make_app(tmp_path / "after", demo_database, clock=monday_clock(), SITE="kec-a")  # same SECRET_KEY
    try:
        officer = desk(site)
        assert officer.post("/api/scan", {"code": old["qr"]}).get_json()["ticket"]["number"] == old["number"]
        assert site.test_client().get(f"/api/status/{code_of(old['qr'])}").get_json()["number"] == old["number"]
        new = issue(site.test_client())
        assert "/s/T2.kec-a." in new["qr"]
        assert officer.post("/api/scan", {"code": new["qr"]}).get_json()["ticket"]["number"] == new["number"]
    finally:
        site.extensions["loket"].store.dispose()


@pytest.mark.parametrize("paper", [58, 80])
def test_a_site_s_printed_ticket_reads_back_and_scans_at_another_site(sites, tmp_path, demo_template, paper):
    """58 mm: the raster QR a cheap printer draws stays within the paper's 384 dots; 80 mm: the printer's own QR."""
    folder = tmp_path / f"printed-{paper}"
    url = copy_sqlite(demo_template, tmp_path / f"printed-{paper}.db")
    a = make_app(
        folder, url, clock=monday_clock(), SITE="kec-a", PRINTER_PAPER=paper, PUBLIC_URL="http://192.168.1.10:5000"
    )
    try:
        fill_register({"kec-a": a, "kec-b": sites["kec-b"]})
        ticket = issue(a.test_client())
        a.extensions["print_queues"].wait_idle()
        [binary] = (folder / "tickets").glob("*.bin")
        raw = binary.read_bytes()
        [payload] = qr_payloads(raw)
        assert payload == ticket["qr"] and payload.startswith("http://192.168.1.10:5000/s/T2.kec-a.")
        symbol = segno.make(payload, error="m", micro=False, boost_error=False)
        if paper == 58:
            [image] = raster_images(raw)
            assert image.width <= 384 and decode_qr_image(image) == [payload]
        else:
            assert native_qr_payloads(raw) == [payload]
        # 6 dots a module (203 dpi: 8 dots a mm), a module of quiet zone each side on the raster
        dots = (symbol.symbol_size(border=0)[0] + 2) * QR_MODULE_DOTS
        MEASURED[paper] = (len(payload), symbol.version, dots)
        assert symbol.version <= 11 and dots <= 384  # 58 mm: (61 + 2) * 6 = 378 of its 384 dots
        said = desk(sites["kec-b"]).post("/api/scan", {"code": payload}).get_json()
        assert said["other_site"]["number"] == ticket["number"]
        # the address printed under the QR, for typing, is this site's own short one, and opens its page there
        found = desk(a).post("/api/scan", {"code": payload}).get_json()["ticket"]
        typed = a.extensions["loket"].signer.local_short(found["id"], date(2026, 11, 23), ticket["number"])
        assert typed.startswith("T1.") and typed not in payload
        lines = wrap(f"192.168.1.10:5000/s/{typed}", PAPER[paper]["columns"])
        assert all(line.encode() in raw for line in lines) and len(lines) <= 2
        assert a.test_client().get(f"/api/status/{typed}").get_json()["number"] == ticket["number"]
        print(f"\n{paper} mm: {len(payload)} characters, QR version {symbol.version}, {dots} dots = {dots / 8:.0f} mm")
    finally:
        a.extensions["loket"].store.dispose()


def test_links_in_messages_to_residents_stay_short_and_open_the_site_s_own_page(sites):
    """A WhatsApp/SMS link is opened, never scanned at another site: the site's HMAC code keeps it one SMS long."""
    from loket.core.booking import operations
    from loket.core.outbox import moments
    from loket.core.store import Ticket

    a = sites["kec-a"]
    ctx = a.extensions["loket"]
    ticket = issue(a.test_client())
    with ctx.store.read() as s:
        row = s.query(Ticket).one()
        link = moments.status_link(ctx, row)
    assert "/s/T1." in link and len(link) < 60
    assert a.test_client().get(f"/api/status/{code_of(link)}").get_json()["number"] == ticket["number"]
    made = book(a)
    booking = operations.booking_link(ctx, made["code"])
    assert "/s/B1." in booking and len(booking) < 70
    assert a.test_client().get(f"/api/status/{code_of(booking)}").get_json()["number"] == made["code"]


def test_a_single_office_reads_a_site_s_code_as_another_office_s(sites, tmp_path, demo_database):
    office = make_app(tmp_path / "office", demo_database, clock=monday_clock())
    try:
        assert office.extensions["loket"].signer.keys is None  # the embedded default: HMAC codes, no register
        qr = issue(sites["kec-a"].test_client())["qr"]
        said = desk(office).post("/api/scan", {"code": qr}).get_json()
        assert said["message"] == "Tiket ini dari kantor lain."
        assert "/s/T1." in issue(office.test_client())["qr"]
    finally:
        office.extensions["loket"].store.dispose()
