"""The public kiosk cannot be abused: paired kiosks, the unpaired rate, staff alerts, retries, the PIN lockout."""

from __future__ import annotations

import pytest

from loket.app import socketio
from loket.core.store import Ticket
from tests.fixtures.web import make_app, pair_kiosk, staff_of

KTP = "pencetakan-ktp-el"
TOKEN = "X-Loket-Kiosk-Token"


@pytest.fixture
def office(tmp_path, demo_database):
    """An app with no paired test client: tickets come from a kiosk the test pairs, or from an unpaired device."""
    app = make_app(
        tmp_path,
        demo_database,
        kiosk=None,
        UNPAIRED_TICKET_RATE="3 per 10 minutes",
        KIOSK_REFUSED_ALERT="2 per 10 minutes",
        KIOSK_BURST_ALERT="5 per minute",
        KIOSK_PIN="2468",
        KIOSK_PIN_LOCKOUT="3 per 15 minutes",
        PIN_RATE_LIMIT="",
    )
    yield app
    app.extensions["loket"].store.dispose()


def take(client, headers=None, **body):
    return client.post("/api/tickets", json={"service": KTP, **body}, headers=headers or {})


def tickets(app) -> int:
    with app.extensions["loket"].store.read() as s:
        return s.query(Ticket).count()


def staff_watching(app):
    desk = staff_of(app)("pelayanan", "pelayanan", "Loket 1")
    return desk, socketio.test_client(app, flask_test_client=desk.client, auth={"channel": "staff"})


def alerts(desk) -> list[dict]:
    return desk.client.get("/api/staff/alerts").get_json()["kiosk_alerts"]


def test_an_unpaired_device_is_held_to_a_human_rate_and_its_burst_alerts_staff(office):
    desk, socket = staff_watching(office)
    phone = office.test_client()
    codes = [take(phone).status_code for _ in range(8)]
    assert codes == [201, 201, 201] + [429] * 5
    assert tickets(office) == 3, "the quota is not drained by one device"
    held = take(phone, {"X-Loket-Lang": "en"}).get_json()  # says why and where to go, not "wait a moment"
    assert held["error"] == "kiosk_not_paired_limit" and "meja informasi" in held["label"]["id"]
    assert "information desk" in held["message"]
    [alert] = alerts(desk)  # one alert, not one per refused try
    assert alert["reason"] == "unpaired_burst" and alert["address"] == "127.0.0.1"
    pushed = [e for e in socket.get_received() if e["name"] == "kiosk.alert"]
    assert len(pushed) == 1 and pushed[0]["args"][0]["reason"] == "unpaired_burst"


def test_a_paired_kiosk_issues_at_kiosk_speed_and_a_wrong_code_counts_as_unpaired(office):
    code = pair_kiosk(office, "lobby1")
    kiosk = office.test_client()
    numbers = [take(kiosk, {TOKEN: code}).get_json()["number"] for _ in range(5)]
    assert numbers == [f"B-00{i}" for i in range(1, 6)]
    wrong = code[:-1] + ("1" if code[-1] != "1" else "2")
    assert [take(kiosk, {TOKEN: wrong}).status_code for _ in range(4)] == [201, 201, 201, 429]


def test_re_pairing_kills_the_old_code(office):
    old = pair_kiosk(office, "lobby1")
    new = pair_kiosk(office, "lobby1")
    assert old != new
    kiosk = office.test_client()
    assert [take(kiosk, {TOKEN: new}).status_code for _ in range(5)] == [201] * 5
    assert [take(kiosk, {TOKEN: old}).status_code for _ in range(4)] == [201, 201, 201, 429]


def test_only_the_hash_of_the_pairing_code_is_stored(office):
    code = pair_kiosk(office, "lobby1")
    with office.extensions["loket"].store.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT * FROM devices").fetchall()
    digits = code.replace(" ", "")
    assert rows and not any(digits in str(value) for row in rows for value in row)


def test_a_paired_kiosk_issuing_faster_than_residents_alerts_staff(office):
    desk, _socket = staff_watching(office)
    code = pair_kiosk(office, "lobby1")
    kiosk = office.test_client()
    for _ in range(5):
        assert take(kiosk, {TOKEN: code}).status_code == 201
    assert alerts(desk) == []
    for _ in range(3):
        assert take(kiosk, {TOKEN: code}).status_code == 201  # still issued: a busy morning is no attack
    [alert] = alerts(desk)
    assert alert["reason"] == "kiosk_burst" and alert["kiosk"] == "lobby1"


def test_unpaired_devices_are_refused_when_the_office_allows_only_paired_kiosks(tmp_path, demo_database):
    app = make_app(tmp_path, demo_database, kiosk=None, UNPAIRED_TICKET_RATE="0")
    try:
        r = take(app.test_client())
        assert r.status_code == 403 and r.get_json()["error"] == "kiosk_not_paired"
        assert r.get_json()["label"]["en"]
        code = pair_kiosk(app, "lobby1")
        assert take(app.test_client(), {TOKEN: code}).status_code == 201
    finally:
        app.extensions["loket"].store.dispose()


def test_the_kiosks_retry_of_one_tap_answers_the_same_ticket(office):
    code = pair_kiosk(office, "lobby1")
    kiosk = office.test_client()
    first = take(kiosk, {TOKEN: code, "Idempotency-Key": "tap-7f3a9c21"})
    retry = take(kiosk, {TOKEN: code, "Idempotency-Key": "tap-7f3a9c21"})
    assert first.status_code == 201 and retry.status_code == 200
    assert retry.get_json()["number"] == first.get_json()["number"] and retry.get_json()["replayed"] is True
    assert retry.get_json()["qr"] == first.get_json()["qr"]
    office.extensions["print_queues"].wait_idle()
    again = take(kiosk, {TOKEN: code, "Idempotency-Key": "tap-7f3a9c21"}).get_json()
    assert again["print"]["state"] == "replayed" and again["print"]["ok"] is True, "printed once, by the first try"
    assert tickets(office) == 1
    assert take(kiosk, {TOKEN: code, "Idempotency-Key": "tap-00000002"}).get_json()["number"] == "B-002"
    bad = take(kiosk, {TOKEN: code, "Idempotency-Key": "x"})
    assert bad.status_code == 400 and bad.get_json()["error"] == "bad_idempotency_key"


def pin(client, value, kiosk="lobby1", code=None):
    return client.post("/api/kiosk/unlock", json={"pin": value, "kiosk": kiosk}, headers={TOKEN: code} if code else {})


def test_wrong_pins_lock_the_panel_and_alert_staff(office):
    desk, socket = staff_watching(office)
    lobby1, lobby2 = pair_kiosk(office, "lobby1"), pair_kiosk(office, "lobby2")
    kiosk = office.test_client()
    assert pin(kiosk, "2468", code=lobby1).status_code == 200
    assert [pin(kiosk, "0000", code=lobby1).status_code for _ in range(2)] == [403, 403]
    locked = pin(kiosk, "1111", code=lobby1)
    assert locked.status_code == 429 and locked.get_json()["error"] == "pin_locked"
    assert pin(kiosk, "2468", code=lobby1).status_code == 429, "the right PIN waits out the lockout too"
    [alert] = alerts(desk)
    assert alert["reason"] == "pin_lockout" and alert["kiosk"] == "lobby1"
    assert [e["args"][0]["reason"] for e in socket.get_received() if e["name"] == "kiosk.alert"] == ["pin_lockout"]
    # another paired kiosk is not locked by this one's wrong tries
    assert pin(kiosk, "2468", code=lobby2).status_code == 200


def test_an_unpaired_guesser_cannot_dodge_the_lockout_by_naming_other_kiosks(office):
    guesser = office.test_client()
    codes = [pin(guesser, "0000", kiosk=f"kiosk-{i}").status_code for i in range(4)]
    assert codes == [403, 403, 429, 429]


@pytest.mark.parametrize("value", ["ÄÖÜ", "٢٤٦٨", "\ud800", 2468, None, ["2468"]])
def test_odd_pins_are_refused_never_a_server_error(office, value):
    r = pin(office.test_client(), value)
    if value == "\ud800":  # a lone surrogate is no text: the body itself is refused
        assert r.status_code == 400 and r.get_json()["error"] == "bad_request"
    else:
        assert r.status_code == 403 and r.get_json()["error"] == "forbidden"


def issuers(app) -> list[str | None]:
    with app.extensions["loket"].store.read() as s:
        return [t.issuer for t in s.query(Ticket).order_by(Ticket.id)]


def test_a_paired_kiosk_is_kept_between_requests_but_re_pairing_here_applies_at_once(office):
    """Issue 12: the pairing is not read on every ticket; a change made in this process still counts at once."""
    old = pair_kiosk(office, "lobby1")
    kiosk = office.test_client()
    assert take(kiosk, {TOKEN: old}).status_code == 201  # the pairing is kept from here on
    pair_kiosk(office, "lobby1")  # the admin pairs the kiosk again: the old code is dead
    assert take(kiosk, {TOKEN: old}).status_code == 201  # as an unpaired device (within its few tickets)
    assert issuers(office) == ["kiosk:lobby1", "addr:127.0.0.1"]


def test_a_change_made_by_another_process_applies_within_the_kept_seconds(office):
    loket = office.extensions["loket"]
    code = pair_kiosk(office, "lobby1")
    kiosk = office.test_client()
    assert take(kiosk, {TOKEN: code}).status_code == 201
    with loket.store.engine.begin() as conn:  # another process unpairs it: nothing in this process hears of it
        conn.exec_driver_sql("UPDATE devices SET token_hash = NULL WHERE name = 'lobby1'")
    assert take(kiosk, {TOKEN: code}).status_code == 201  # kept: still the paired kiosk, for kept_seconds
    loket.kept_seconds = 0  # ... which have passed
    assert take(kiosk, {TOKEN: code}).status_code == 201
    assert issuers(office) == ["kiosk:lobby1", "kiosk:lobby1", "addr:127.0.0.1"]
