"""No server error on malformed input: each kind the outside fuzz campaign (issue #11) and our schemathesis
run found answers a clear 4xx in the one error shape, on SQLite and on PostgreSQL where the database matters.
"""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import create_engine

from loket.core.demo import ensure_demo
from loket.http import MAX_SITE_ID
from tests.fixtures.database import _empty_every_table
from tests.fixtures.web import KTP, Staff, make_app
from tests.openapi.quiet import NoDisplayPush

PIN = "2468"
SCANNER_TOKEN = "scanner-token"


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app(request, tmp_path, demo_database):
    """The app with the demo staff and three tickets, on each backend."""
    if request.param == "sqlite":
        url = demo_database
    else:
        url = request.getfixturevalue("pg_store_url")
        engine = create_engine(url)
        _empty_every_table(engine)
        engine.dispose()
    app = make_app(tmp_path, url, **INPUT_ONLY)
    app.extensions["board_pusher"] = NoDisplayPush(app)
    if request.param == "postgresql":
        list(ensure_demo(app.extensions["loket"]))
    client = app.test_client()
    for _ in range(3):
        assert client.post("/api/tickets", json={"service": KTP}).status_code == 201
    yield app
    app.extensions["loket"].store.dispose()


#: The apps here test what the handlers do with input: no rate limit and no PIN lockout in the way.
INPUT_ONLY = {"RATELIMIT_ENABLED": False, "KIOSK_PIN_LOCKOUT": "", "KIOSK_PIN": PIN, "SCANNER_TOKEN": SCANNER_TOKEN}


@pytest.fixture
def sqlite_app(tmp_path, demo_database):
    app = make_app(tmp_path, demo_database, **INPUT_ONLY)
    app.extensions["board_pusher"] = NoDisplayPush(app)
    assert app.test_client().post("/api/tickets", json={"service": KTP}).status_code == 201
    yield app
    app.extensions["loket"].store.dispose()


def refusal(response, status: int, code: str | None = None) -> dict:
    """The response is the one JSON error with this status (and code); returns it."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert isinstance(data["error"], str) and data["message"], data
    assert set(data["label"]) == {"id", "en"} and all(data["label"].values()), data
    for p in data.get("problems", []):
        assert p["field"] and p["message"] and set(p["label"]) == {"id", "en"}, p
    if code is not None:
        assert data["error"] == code, data
    return data


def as_admin(app) -> Staff:
    return Staff(app.test_client()).login("admin", "admin")


def int_routes(app):
    """(method, url) for every /api/ rule with an <int:...> or <site_id:...> part, that part replaced by {id}."""
    out = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") and ("<int:" in rule.rule or "<site_id:" in rule.rule):
            url = re.sub(r"<(int|site_id):[a-z_]+>", "{id}", rule.rule).replace("<action>", "start")
            out += [(m, url) for m in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return out


# ---- ids beyond the database's integers ----------------------------------------------------


# 2^31 is beyond the 32-bit ids, and a ticket's or counter's at a site (their 64-bit ids up to MAX_SITE_ID): unknown.
@pytest.mark.parametrize("ticket_id", [2**31, 2**63, 2**64, 10**30], ids=["2^31", "2^63", "2^64", "10^30"])
def test_ids_beyond_the_databases_integers_in_any_url_are_unknown_addresses(any_app, ticket_id):
    admin = as_admin(any_app)
    routes = int_routes(any_app)
    assert len(routes) >= 9
    for method, url in routes:
        r = admin.client.open(url.format(id=ticket_id), method=method, json={}, headers=admin.csrf())
        refusal(r, 404, "not_found")


def test_the_largest_id_the_database_holds_is_looked_up_and_not_found(any_app):
    admin = as_admin(any_app)
    # A site's tickets and counters number up to MAX_SITE_ID (issue 16).
    assert admin.client.get(f"/api/staff/tickets/{MAX_SITE_ID}").status_code == 404
    r = admin.client.put(f"/api/admin/counters/{MAX_SITE_ID}", json={"name": "X"}, headers=admin.csrf())
    refusal(r, 404)


# ---- characters that are none: lone surrogates and NUL --------------------------------------

#: (who, url, field) of bodies whose text reaches a QR check, a lookup or the database.
TEXT_FIELDS = [
    ("anonymous", "/api/tickets", "service"),
    ("anonymous", "/api/survey", "code"),
    ("anonymous", "/api/kiosk/unlock", "pin"),
    ("anonymous", "/api/login", "username"),
    ("scanner", "/api/scanner/scan", "code"),
    ("pelayanan", "/api/scan", "code"),
    ("pelayanan", "/api/staff/tickets/1/advance", "note"),
    ("pelayanan", "/api/staff/tickets/1/reprint", "kiosk"),
]


def caller(app, who: str):
    """A client and its headers for `who`: anonymous (with a CSRF token), the scanner agent, or an officer."""
    if who in ("anonymous", "scanner"):
        client = app.test_client()
        headers = {"X-CSRFToken": client.get("/api/csrf").get_json()["csrf_token"]}
        if who == "scanner":
            headers["Authorization"] = f"Bearer {SCANNER_TOKEN}"
        return client, headers
    officer = Staff(app.test_client()).login(who, who, "Loket 1" if who == "pelayanan" else None)
    return officer.client, officer.csrf()


@pytest.mark.parametrize("who,url,field", TEXT_FIELDS, ids=[f"{u}:{f}" for _, u, f in TEXT_FIELDS])
@pytest.mark.parametrize("text", ["\ud800", "LKT1:\udfff", "A-001\x00"], ids=["surrogate", "low-surrogate", "nul"])
def test_a_body_with_a_lone_surrogate_or_nul_is_refused(any_app, who, url, field, text):
    client, headers = caller(any_app, who)
    body = {"code": "B-001", "counter_id": 1, "answers": {}, "password": "x", field: text}
    raw = json.dumps(body)  # ASCII: the surrogate and NUL travel as \ud800 and \u0000, as a fuzzer sends them
    assert "\\u" in raw
    r = client.post(url, data=raw, content_type="application/json", headers=headers)
    refusal(r, 400, "bad_request")


def test_a_surrogate_pair_is_a_character_and_is_accepted(sqlite_app):
    r = sqlite_app.test_client().post(
        "/api/tickets", data=json.dumps({"service": "\U0001f600"}), content_type="application/json"
    )
    refusal(r, 404)  # an unknown service, not a refused character


@pytest.mark.parametrize("path", ["/api/tickets/A-001%00", "/api/survey/ticket/LKT1%00x", "/api/admin/sops/a%00"])
def test_nul_in_an_address_is_an_unknown_address(any_app, path):
    admin = as_admin(any_app)
    refusal(admin.client.get(path), 404, "not_found")


def test_json_nested_deeper_than_the_parser_goes_is_refused(sqlite_app):
    deep = "[" * 100_000 + "]" * 100_000
    r = sqlite_app.test_client().post("/api/tickets", data=deep, content_type="application/json")
    refusal(r, 400, "bad_request")


def test_text_longer_than_its_postgresql_column_is_refused(any_app):
    """PostgreSQL enforces varchar lengths (SQLite does not): a ticket's `source` is varchar(20)."""
    r = any_app.test_client().post("/api/tickets", json={"service": KTP, "source": "x" * 300})
    data = refusal(r, 400, "invalid")
    assert [p["field"] for p in data["problems"]] == ["source"]


# ---- PINs and tokens in any script ----------------------------------------------------------


@pytest.mark.parametrize("pin", ["١٢٣٤", "pïn", "2468é", "🔑", "２４６８"])
@pytest.mark.parametrize("url", ["/api/kiosk/unlock", "/api/kiosk/test-print"])
def test_a_non_ascii_pin_is_a_wrong_pin(sqlite_app, url, pin):
    r = sqlite_app.test_client().post(url, json={"pin": pin, "kiosk": None})
    refusal(r, 403, "forbidden")


def test_the_right_pin_still_opens_the_panel(sqlite_app):
    assert sqlite_app.test_client().post("/api/kiosk/unlock", json={"pin": PIN}).status_code == 200


@pytest.mark.parametrize("token", ["tökén", "scanner-tokén", "\xff\xfe"])
def test_a_non_ascii_scanner_token_is_a_wrong_token(sqlite_app, token):
    r = sqlite_app.test_client().post(
        "/api/scanner/scan", json={"code": "B-001", "counter_id": 1}, headers={"Authorization": f"Bearer {token}"}
    )
    refusal(r, 401, "unauthorized")


# ---- wrong JSON types --------------------------------------------------------------------------

WRONG_IDS = ["abc", [], {}, 2**70, -1, 0, 1.5, "1e999"]

#: (who, url, body without the field, field, wrong values)
WRONG_TYPES = [
    ("pelayanan", "/api/staff/tickets/1/transfer", {}, "counter_id", WRONG_IDS),
    ("pelayanan", "/api/session", {"role": "pelayanan"}, "counter_id", WRONG_IDS),
    ("scanner", "/api/scanner/scan", {"code": "B-001"}, "counter_id", WRONG_IDS),
    ("anonymous", "/api/tickets", {"service": KTP}, "kiosk", [{}, [], ["a"], 5, True, {"name": "k"}]),
    ("anonymous", "/api/kiosk/unlock", {"pin": PIN}, "kiosk", [{}, [], 5, True]),
    ("anonymous", "/api/kiosk/test-print", {"pin": PIN}, "kiosk", [{}, [], 5]),
    ("pelayanan", "/api/staff/tickets/1/reprint", {}, "kiosk", [{}, [], ["Kiosk 1"], 5, {"a": 1}]),
    ("pelayanan", "/api/staff/tickets/1/pickup-slip", {}, "kiosk", [{}, []]),
    ("pelayanan", "/api/staff/tickets/1/return", {}, "missing", ["fotokopi-kk", {"a": 1}, [{}], [[]], [1], 5]),
    ("pelayanan", "/api/staff/tickets/1/advance", {}, "note", [{}, [], {"a": [1]}, 5, True]),
    ("pelayanan", "/api/staff/tickets/1/pend", {"reason": "other"}, "note", [{}, [], 5]),
    ("pelayanan", "/api/staff/tickets/1/pend", {}, "reason", [{}, [], 5]),
    ("pelayanan", "/api/staff/tickets/1/return", {"missing": []}, "note", [{}, [1]]),
    ("pelayanan", "/api/staff/tickets/1/cancel", {}, "note", [{}, []]),
    ("pelayanan", "/api/staff/tickets/1/applicant", {"nik": "3171011501900001"}, "name", [{}, [], 5]),
    ("pelayanan", "/api/counter/walk-in", {}, "service", [{}, [], 5]),
    ("pelayanan", "/api/scan", {}, "code", [{}, [], 5, None]),
    ("anonymous", "/api/survey", {"code": "B-001", "answers": {}}, "comment", [{}, [], 5]),
    ("anonymous", "/api/login", {"password": "x"}, "username", [{}, []]),
    ("admin", "/api/admin/sops", {}, "sop", [[], "x", 5]),
    ("admin", "/api/admin/users/1", {}, "roles", [[{}], [[]], [{"a": 1}], "admin"]),
    ("admin", "/api/admin/counters", {"name": "Loket 9", "number": 9, "roles": ["pelayanan"]}, "services", [[{}]]),
]
CASES = [(who, url, base, field, value) for who, url, base, field, values in WRONG_TYPES for value in values]


@pytest.mark.parametrize(
    "who,url,base,field,value", CASES, ids=[f"{u.rsplit('/', 1)[-1]}:{f}={v!r}" for _, u, _, f, v in CASES]
)
def test_a_wrong_json_type_is_refused_with_its_field(sqlite_app, who, url, base, field, value):
    client, headers = caller(sqlite_app, who)
    method = "PUT" if re.search(r"/users/\d+$", url) else "POST"
    raw = json.dumps({**base, field: value}).replace('"1e999"', "1e999")  # 1e999: a JSON number Python reads as inf
    r = client.open(url, method=method, data=raw, content_type="application/json", headers=headers)
    data = refusal(r, 400)
    if data["error"] == "invalid":
        assert any(p["field"].split(".")[0].split("[")[0] == field for p in data["problems"]), data


# ---- digits that are no numbers ("²" is a digit to str.isdigit, but int() refuses it) ---------------


@pytest.mark.parametrize("number", ["B-²", "B²", "b ¹²", "B-٣"])
def test_a_ticket_number_with_other_digits_is_not_found(sqlite_app, number):
    """Found by schemathesis (a deeper run): the number lookups did int() on whatever isdigit() allowed."""
    client = sqlite_app.test_client()
    refusal(client.get(f"/api/survey/ticket/{number}"), 404)
    pelayanan, headers = caller(sqlite_app, "pelayanan")
    refusal(pelayanan.post("/api/scan", json={"code": number}, headers=headers), 404)


@pytest.mark.parametrize("counter", ["²", "٣", "99999999999999999999"])
def test_the_survey_page_takes_any_counter(any_app, counter):
    r = any_app.test_client().get("/survey", query_string={"counter": counter})
    assert r.status_code == 200


# ---- texts that end up in exports ---------------------------------------------------------------


@pytest.mark.parametrize("field", ["office_name", "ticket_footer", "running_text"])
def test_an_office_text_with_a_control_character_is_refused(sqlite_app, field):
    """Found by schemathesis (a deeper run): an office name with \x01 made every XLSX export a server error."""
    admin = as_admin(sqlite_app)
    r = admin.client.put("/api/admin/settings", json={field: "Dukcapil\x01\x1f"}, headers=admin.csrf())
    data = refusal(r, 400, "invalid")
    assert [p["field"] for p in data["problems"]] == [field]
    assert (
        admin.client.put("/api/admin/settings", json={field: "Baris satu\nbaris dua"}, headers=admin.csrf()).status_code
        == 200
    )
    kepala = Staff(sqlite_app.test_client()).login("kepala", "kepala")
    assert kepala.client.get("/api/register", query_string={"format": "xlsx"}).status_code == 200


def test_an_applicant_name_with_a_control_character_is_refused(sqlite_app):
    """It went into the buku harian's XLSX export, which openpyxl then refused (a server error)."""
    pelayanan = Staff(sqlite_app.test_client()).login("pelayanan", "pelayanan", "Loket 1")
    assert pelayanan.post("/api/counter/call-next").status_code == 200
    assert pelayanan.post("/api/staff/tickets/1/start").status_code == 200
    r = pelayanan.post("/api/staff/tickets/1/applicant", {"name": "Budi\x01", "nik": "3171011501900001"})
    refusal(r, 400)
    assert pelayanan.client.get("/api/register", query_string={"format": "xlsx"}).status_code == 200


# ---- multipart bodies -------------------------------------------------------------------------

UNNAMED_PARTS = [
    b'--b\r\nContent-Disposition: form-data; filename="files"\r\n\r\nabc\r\n--b--\r\n',
    b"--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n",
]


@pytest.mark.parametrize("raw", UNNAMED_PARTS, ids=["file", "field"])
@pytest.mark.parametrize("who,url", [("anonymous", "/api/login"), ("admin", "/api/admin/sops/import")])
def test_a_multipart_part_without_a_name_is_ignored(sqlite_app, who, url, raw):
    """Found by schemathesis: werkzeug keeps such a part under the key None, and the CSRF check failed on it."""
    client, headers = caller(sqlite_app, who)
    r = client.post(url, data=raw, headers={**headers, "Content-Type": "multipart/form-data; boundary=b"})
    refusal(r, 401 if who == "anonymous" else 400)


# ---- other refusals, in the one shape ----------------------------------------------------------


def test_a_method_an_api_address_does_not_take_is_a_json_405(sqlite_app):
    r = sqlite_app.test_client().delete("/api/tickets")
    refusal(r, 405, "method_not_allowed")
    assert "POST" in r.headers["Allow"]


@pytest.mark.parametrize("limit", ["²", "٣", "99999999999999999999999", "-1", "1e3"])
def test_any_audit_limit_is_read_or_ignored(sqlite_app, limit):
    admin = as_admin(sqlite_app)
    assert admin.client.get("/api/admin/audit", query_string={"limit": limit}).status_code == 200
