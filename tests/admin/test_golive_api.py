"""Siap digunakan? over HTTP: the checklist reads the app's configuration and data; a kiosk's test print counts."""

from __future__ import annotations

import pytest

from tests.fixtures.web import make_app, staff_of


@pytest.fixture
def golive_app(tmp_path, demo_database):
    app = make_app(tmp_path, demo_database, KIOSK_PIN="582914", PUBLIC_URL="")
    yield app
    app.extensions["loket"].store.dispose()


def states(admin):
    r = admin.client.get("/api/admin/golive")
    assert r.status_code == 200, r.get_json()
    return {c["key"]: c for c in r.get_json()["checks"]}, r.get_json()["summary"]


def test_the_checklist_reads_the_real_state_and_a_test_print_flips_the_printer(golive_app):
    admin = staff_of(golive_app)("admin", "admin")
    checks, summary = states(admin)
    assert checks["kiosk_pin"]["state"] == "done"
    assert checks["demo_passwords"]["state"] == "todo"  # the demo users still open with the demo password
    assert "admin" in checks["demo_passwords"]["detail"]["id"] and "loket123" not in str(checks)
    assert checks["printer"]["state"] == "todo" and checks["printer"]["link"] == "/admin/devices"
    assert checks["secret_key"]["state"] == "todo"  # the tests' SECRET_KEY is "test-secret"
    assert checks["public_url"]["state"] == "warning" and checks["public_url"]["setting"] == "LOKET_PUBLIC_URL"
    assert checks["hours"]["title"] == {"id": "Jam layanan diatur", "en": "Office hours set"}
    assert sum(summary.values()) == len(checks)

    printed = golive_app.test_client().post("/api/kiosk/test-print", json={"pin": "582914"})
    assert printed.status_code == 200, printed.get_json()
    checks, _summary = states(admin)
    assert checks["printer"]["state"] == "done"


def test_only_the_admin_reads_it(golive_app):
    officer = staff_of(golive_app)("pelayanan", "pelayanan", "Loket 1")
    assert officer.client.get("/api/admin/golive").status_code == 403
    assert golive_app.test_client().get("/admin/siap").status_code == 200  # the shell; it logs in itself
