"""The survey API: a resident rates a handed-over ticket once; the admin and the head of office read the IKM."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from loket.core.clock import FrozenClock
from loket.core.roles import STEP_ROLES
from loket.core.survey import ELEMENT_KEYS
from tests.fixtures import web

KTP = "pencetakan-ktp-el"
ALL_FOUR = {k: 4 for k in ELEMENT_KEYS}
ALL_THREE = {k: 3 for k in ELEMENT_KEYS}
DAY = "2026-11-23"


def make_app(tmp_path, database_url, **config):
    """The shared app, on a frozen clock: 08:00 in Jakarta."""
    return web.make_app(tmp_path, database_url, clock=FrozenClock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC)), **config)


@pytest.fixture
def app(tmp_path, demo_database):
    """The app on a frozen clock, so the report's default period and the service day are known."""
    app = make_app(tmp_path, demo_database)
    yield app
    app.extensions["loket"].store.dispose()


def served_to_done(client, staff) -> dict:
    """A KTP-el ticket from the kiosk through the front desk and the operator to hand-over, via the API.

    Returns the berkas as staff see it (its number and signed QR text as "code").
    """
    client.post("/api/tickets", json={"service": KTP})
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    operator = staff("operator", "operator", "Ruang Operator")
    tid = desk.post("/api/counter/call-next").get_json()["ticket"]["id"]
    for officer, action in [(desk, "start"), (desk, "advance"), (operator, "start"), (operator, "advance")]:
        assert officer.post(f"/api/staff/tickets/{tid}/{action}").status_code == 200
    assert desk.post("/api/counter/call-next").get_json()["ticket"]["id"] == tid
    desk.post(f"/api/staff/tickets/{tid}/start")
    done = desk.post(f"/api/staff/tickets/{tid}/hand-over").get_json()["ticket"]
    assert done["state"] == "done"
    return done


def test_the_questionnaire_is_public_with_the_regulations_wording(client):
    data = client.get("/api/survey/questions").get_json()
    assert [e["key"] for e in data["elements"]] == list(ELEMENT_KEYS)
    biaya = next(e for e in data["elements"] if e["key"] == "biaya")
    assert [a["id"] for a in biaya["answers"]] == ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"]
    assert data["comment_max"] == 500


def test_a_handed_over_ticket_is_rated_once_without_a_session(client, staff):
    ticket = served_to_done(client, staff)
    number = ticket["number"]
    check = client.get(f"/api/survey/ticket/{number}")
    assert check.status_code == 200
    assert check.get_json() == {
        "ok": True,
        "number": number,
        "service": KTP,
        "service_name": check.get_json()["service_name"],
    }
    # No CSRF token, no cookie: the kiosk and the tablet have no session.
    r = client.post("/api/survey", json={"code": number, "answers": ALL_FOUR, "comment": "Cepat", "source": "tablet"})
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["service"] == KTP and "number" not in r.get_json()

    again = client.post("/api/survey", json={"code": ticket["code"], "answers": ALL_THREE})
    assert again.status_code == 409
    body = again.get_json()
    assert body["error"] == "already_rated"
    assert body["label"]["id"] == "Tiket ini sudah memberi penilaian. Terima kasih!"
    assert client.get(f"/api/survey/ticket/{number}").get_json()["error"] == "already_rated"


def test_refusals_say_why_in_plain_indonesian(client, staff):
    done = served_to_done(client, staff)
    waiting = client.post("/api/tickets", json={"service": KTP}).get_json()
    r = client.get(f"/api/survey/ticket/{waiting['number']}")
    assert r.status_code == 409 and r.get_json()["error"] == "not_done"
    assert r.get_json()["label"]["id"].startswith("Layanan untuk tiket ini belum selesai")
    assert client.post("/api/survey", json={"code": waiting["qr"], "answers": ALL_FOUR}).status_code == 409

    missing = client.get("/api/survey/ticket/Z-999")
    assert missing.status_code == 404 and missing.get_json()["label"]["id"].startswith("Nomor tiket tidak ditemukan")

    forged = client.get("/api/survey/ticket/" + waiting["qr"][:-2] + "xx")
    assert forged.status_code == 400 and forged.get_json()["error"] == "invalid_code"

    for bad in (
        {"code": done["number"], "answers": {**ALL_FOUR, "waktu": 5}},
        {"code": done["number"], "answers": {k: 4 for k in ELEMENT_KEYS[:8]}},
        {"code": done["number"], "answers": "4444"},
        {"answers": ALL_FOUR},
    ):
        r = client.post("/api/survey", json=bad)
        assert r.status_code == 400 and r.get_json()["error"] == "invalid", bad
    assert client.get(f"/api/survey/ticket/{done['number']}").status_code == 200  # nothing was stored


def test_the_submit_endpoint_is_rate_limited(tmp_path, demo_database):
    app = make_app(tmp_path, demo_database, SURVEY_RATE_LIMIT="2 per minute")
    try:
        client = app.test_client()
        codes = [client.post("/api/survey", json={"code": "B-001", "answers": ALL_FOUR}).status_code for _ in range(3)]
        assert codes == [404, 404, 429]
        assert client.post("/api/survey", json={}).get_json()["error"] == "rate_limited"
    finally:
        app.extensions["loket"].store.dispose()


def test_the_report_is_for_the_admin_and_the_head_of_office_only(client, staff):
    assert client.get("/api/survey/report").status_code == 401
    assert client.get("/api/survey/report.csv").status_code == 401
    for role in STEP_ROLES:
        officer = staff(role.value, role.value)
        for path in ("/api/survey/report", "/api/survey/report.csv", "/api/survey/report.xlsx"):
            assert officer.client.get(path).status_code == 403, (role, path)
    for who in ("admin", "kepala"):
        assert staff(who, who).client.get("/api/survey/report").status_code == 200


def rated_four_times(client, staff) -> None:
    """Four residents rate: two give 4 everywhere, two 3 everywhere (IKM 87.50, B)."""
    for answers, comment in ((ALL_FOUR, '=HYPERLINK("x")'), (ALL_THREE, None), (ALL_FOUR, None), (ALL_THREE, None)):
        ticket = served_to_done(client, staff)
        assert (
            client.post(
                "/api/survey", json={"code": ticket["number"], "answers": answers, "comment": comment}
            ).status_code
            == 201
        )


def test_the_report_json_gives_nrr_ikm_grade_and_distribution(client, staff):
    rated_four_times(client, staff)
    kepala = staff("kepala", "kepala")
    data = kepala.client.get("/api/survey/report").get_json()  # default: this month up to today
    assert (data["from"], data["to"]) == ("2026-11-01", DAY)
    overall = data["overall"]
    assert overall["responses"] == 4 and overall["hidden"] is False
    assert overall["nrr"]["waktu"] == 3.5
    assert (overall["ikm"], overall["ikm_regulation"], overall["grade"]) == (87.5, 87.41, "B")
    assert overall["label"] == {"id": "Baik", "en": "Good"}
    assert overall["distribution"]["perilaku"] == [0, 0, 2, 2]
    assert [s["service"] for s in data["services"]] == [KTP]
    assert data["regulation_weight"] == 0.111
    assert [c["text"] for c in data["comments"]] == ['=HYPERLINK("x")']

    other_day = kepala.client.get("/api/survey/report?from=2026-11-24&to=2026-11-30").get_json()
    assert other_day["overall"]["responses"] == 0 and other_day["overall"]["ikm"] is None
    other_service = kepala.client.get(f"/api/survey/report?from={DAY}&to={DAY}&service=penerbitan-kia").get_json()
    assert other_service["overall"]["responses"] == 0
    for bad in ("from=kemarin", "from=2026-11-30&to=2026-11-01", "service=no-such-service"):
        assert kepala.client.get(f"/api/survey/report?{bad}").status_code == 400, bad


def test_the_report_exports_as_csv_and_xlsx(client, staff):
    rated_four_times(client, staff)
    admin = staff("admin", "admin")
    r = admin.client.get(f"/api/survey/report.csv?from={DAY}&to={DAY}")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert r.headers["Content-Disposition"] == f'attachment; filename="ikm-{DAY}-{DAY}.csv"'
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["SURVEI KEPUASAN MASYARAKAT (PermenPANRB 14/2017)"]
    assert rows[2] == ["Periode", DAY, DAY] and rows[4] == ["Jumlah responden", "4"]
    header = rows.index(["No", "Unsur", "NRR", "NRR x 0.111", *[f"Jumlah {i} ({w})" for i, w in enumerate(
        ["Tidak baik", "Kurang baik", "Baik", "Sangat baik"], start=1)]])  # fmt: skip
    assert rows[header + 3] == ["3", "Waktu penyelesaian", "3.5", "0.389", "0", "0", "2", "2"]
    assert ["IKM (rata-rata NRR x 25)", "87.5"] in rows
    assert ["Mutu pelayanan", "B", "Baik"] in rows
    assert rows[-1] == ['\'=HYPERLINK("x")']  # the words only, never a formula

    english = admin.client.get(f"/api/survey/report.csv?from={DAY}&to={DAY}&lang=en").get_data(as_text=True)
    assert "Completion time" in english and "Grade,B,Good" in english

    x = admin.client.get(f"/api/survey/report.xlsx?from={DAY}&to={DAY}")
    assert x.status_code == 200 and x.headers["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(x.data))
    sheet = book.active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[4][:2] == ("Jumlah responden", 4)
    assert any(row[:2] == ("IKM (rata-rata NRR x 25)", 87.5) for row in values)
    assert sheet["A1"].font.bold
    assert all(not isinstance(c, str) or not c.startswith("=") for row in values for c in row)
    book.close()


def test_the_survey_and_report_pages_render(client):
    page = client.get("/survey")
    assert page.status_code == 200 and 'data-source="kiosk"' in page.get_data(as_text=True)
    tablet = client.get("/survey?counter=1").get_data(as_text=True)
    assert 'data-source="tablet"' in tablet and 'data-counter="Loket 1"' in tablet
    by_name = client.get("/survey?counter=loket 2").get_data(as_text=True)
    assert 'data-counter="Loket 2"' in by_name
    assert 'data-return="/kiosk/"' in client.get("/survey?from=kiosk").get_data(as_text=True)
    report = client.get("/survey/report")
    assert report.status_code == 200 and "Indeks Kepuasan Masyarakat" in report.get_data(as_text=True)


def test_a_small_group_shows_its_count_only(client, staff):
    ticket = served_to_done(client, staff)
    r = client.post("/api/survey", json={"code": ticket["number"], "answers": ALL_FOUR, "comment": "Ramah"})
    assert r.status_code == 201
    kepala = staff("kepala", "kepala")
    data = kepala.client.get("/api/survey/report").get_json()
    assert data["overall"]["responses"] == 1 and data["overall"]["hidden"] is True
    assert (data["overall"]["ikm"], data["overall"]["nrr"], data["overall"]["distribution"]) == (None, None, None)
    assert data["services"][0]["hidden"] is True and data["services"][0]["ikm"] is None
    assert data["comments"] == []
    text = kepala.client.get(f"/api/survey/report.csv?from={DAY}&to={DAY}").get_data(as_text=True)
    assert "Ramah" not in text and "Kurang dari 3 responden" in text
