"""CSV and XLSX exports never carry a live formula: text a spreadsheet would run is escaped, in every export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from loket.core.register import RegisterRow, register_csv, register_xlsx
from loket.core.spreadsheet import FORMULA_STARTS

KTP = "pencetakan-ktp-el"
NIK = "3273011205900001"
HYPERLINK = '=HYPERLINK("http://x","y")'
NAMES = [HYPERLINK, "+62 811 1+1", "-2+3 Siti", "@SUM(A1) Budi", "\t=1+1 Ani", "\r=1+1 Wati"]


def csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


def xlsx_cells(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    book.close()
    return cells


def assert_no_formula(csv_text: str, xlsx: bytes) -> None:
    for cell in csv_cells(csv_text):
        assert not cell.startswith(FORMULA_STARTS), f"CSV cell {cell!r} would be read as a formula"
    for cell in xlsx_cells(xlsx):
        assert cell.data_type != "f", f"XLSX cell {cell.coordinate} is a formula: {cell.value!r}"
        if isinstance(cell.value, str):
            assert not cell.value.startswith(FORMULA_STARTS), cell.value


@pytest.mark.parametrize("name", NAMES)
def test_the_buku_harian_escapes_every_formula_start(name):
    row = RegisterRow(
        date(2026, 3, 2), "A-001", name, name, NIK, name, name, datetime(2026, 3, 2, 1, tzinfo=UTC), None, name
    )
    text, book = register_csv([row]), register_xlsx([row], name)
    assert_no_formula(text, book)
    assert f"'{name}" in csv_cells(text)  # shown as the text it is
    assert xlsx_cells(book)[0].value.startswith("'")  # the title (XML keeps a line end as \n)


def put(admin, url, data):
    r = admin.client.put(url, json=data, headers=admin.csrf())
    assert r.status_code == 200, r.get_json()


@pytest.mark.parametrize("name", NAMES[:4])  # the API folds tabs and line ends of a name into spaces
def test_every_export_through_the_api_is_formula_free(client, staff, name):
    admin = staff("admin", "admin")
    counters = admin.client.get("/api/admin/counters").get_json()["counters"]
    put(admin, f"/api/admin/counters/{next(c['id'] for c in counters if c['name'] == 'Loket 1')}", {"name": name})
    users = admin.client.get("/api/admin/users").get_json()["users"]
    put(admin, f"/api/admin/users/{next(u['id'] for u in users if u['username'] == 'pelayanan')}", {"full_name": name})

    client.post("/api/tickets", json={"service": KTP})
    desk = staff("pelayanan", "pelayanan", name)
    tid = desk.post("/api/counter/call-next").get_json()["ticket"]["id"]
    desk.post(f"/api/staff/tickets/{tid}/start")
    assert desk.post(f"/api/staff/tickets/{tid}/applicant", {"name": name, "nik": NIK}).status_code == 200
    desk.post(f"/api/staff/tickets/{tid}/advance")

    register_csv_text = desk.client.get("/api/register?format=csv").get_data(as_text=True)
    assert f"'{name}" in csv_cells(register_csv_text)  # the applicant, the officer and the counter
    assert_no_formula(register_csv_text, desk.client.get("/api/register?format=xlsx").data)
    assert_no_formula(
        admin.client.get("/api/reports/summary?format=csv").get_data(as_text=True),
        admin.client.get("/api/reports/summary?format=xlsx").data,
    )
    assert_no_formula(
        admin.client.get("/api/survey/report.csv").get_data(as_text=True),
        admin.client.get("/api/survey/report.xlsx").data,
    )
