"""Request bodies are bounded before they are read, and no error answer carries the input back."""

from __future__ import annotations

import io
import json

MB = 1024 * 1024
MARK = "<zq-MARK-7f3a>"  # what no answer may contain


class Endless(io.RawIOBase):
    """A request body of `size` bytes that counts what the server reads of it."""

    def __init__(self, size: int = 100 * MB):
        self.size = size
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True  # the test client measures the body by seeking to its end and back

    def tell(self) -> int:
        return self.read_bytes if not getattr(self, "_at_end", False) else self.size

    def seek(self, offset: int, whence: int = 0) -> int:
        self._at_end = whence == 2
        return self.tell()

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.size - self.read_bytes)
        buffer[:n] = b" " * n
        self.read_bytes += n
        return n


def test_a_huge_anonymous_json_body_is_refused_with_413_from_its_length_without_reading_it(client, app):
    body = Endless()
    r = client.post("/api/tickets", input_stream=body, content_type="application/json")
    assert r.status_code == 413
    assert r.get_json()["error"] == "too_large" and r.get_json()["message"]
    assert body.read_bytes == 0
    assert app.config["MAX_CONTENT_LENGTH"] == 256 * 1024


def test_a_huge_body_without_a_length_is_cut_at_the_bound(client, app):
    body = Endless()
    r = client.post(
        "/api/tickets",
        input_stream=body,
        content_type="application/json",
        environ_overrides={"wsgi.input_terminated": True, "HTTP_TRANSFER_ENCODING": "chunked"},
    )
    assert r.status_code == 413
    assert r.get_json()["error"] == "too_large"
    assert body.read_bytes <= app.config["MAX_CONTENT_LENGTH"] + 64 * 1024


def test_the_bound_holds_for_staff_json_and_forms_too(staff):
    admin = staff("admin", "admin")
    big = {"running_text": "x" * (300 * 1024)}
    r = admin.client.put("/api/admin/settings", json=big, headers=admin.csrf())
    assert r.status_code == 413 and r.get_json()["error"] == "too_large"
    # a form post (the CSRF check reads the form before the route) is bounded the same way
    r = admin.client.post("/api/login", data={"username": "x" * (300 * 1024), "password": "y"})
    assert r.status_code == 413 and r.get_json()["error"] == "too_large"


def test_the_sop_import_has_its_own_larger_bound(staff, app):
    admin = staff("admin", "admin")
    small_enough = b"# " + b"x" * (300 * 1024)  # over the JSON bound, under the import's
    r = admin.client.post(
        "/api/admin/sops/import", data={"files": (io.BytesIO(small_enough), "a.yaml")}, headers=admin.csrf()
    )
    assert r.status_code == 400, r.get_json()  # read, then refused for its content, not its size
    body = Endless(app.config["SOP_IMPORT_MAX_BYTES"] + 1)
    r = admin.client.post(
        "/api/admin/sops/import",
        input_stream=body,
        content_type="multipart/form-data; boundary=x",
        headers=admin.csrf(),
    )
    assert r.status_code == 413 and body.read_bytes == 0


def _no_mark(r) -> None:
    assert 400 <= r.status_code < 500, (r.status_code, r.get_data(as_text=True)[:300])
    text = r.get_data(as_text=True)
    assert MARK not in text and json.dumps(MARK)[1:-1] not in text, text[:500]


def test_no_error_answer_carries_the_input_back(client, staff):
    admin = staff("admin", "admin")
    officer = staff("pelayanan", "pelayanan", "Loket 1")
    csrf = admin.csrf()
    sop = admin.client.get("/api/admin/sops/pencetakan-ktp-el").get_json()["sop"]
    answers = [
        client.post("/api/tickets", json={"service": MARK}),
        client.post("/api/tickets", json={"service": "pencetakan-ktp-el", "priority": MARK}),
        admin.client.get(f"/api/admin/audit?from={MARK}", headers=csrf),
        admin.client.get(f"/api/admin/sops/{MARK}", headers=csrf),
        admin.client.get(f"/api/admin/sops/{MARK}/yaml", headers=csrf),
        admin.client.put("/api/admin/settings", json={MARK: 1}, headers=csrf),
        admin.client.put("/api/admin/settings", json={"services": {MARK: {"closed": True}}}, headers=csrf),
        admin.client.put("/api/admin/settings", json={"blanko_stock": MARK}, headers=csrf),
        admin.client.put("/api/admin/settings", json={"opening_time": MARK}, headers=csrf),
        admin.client.post("/api/admin/sops", json={"yaml": f"code: [{MARK}\n  x: : {MARK}"}, headers=csrf),
        admin.client.post("/api/admin/sops", json={"yaml": f"\t{MARK}: 1"}, headers=csrf),
        admin.client.post("/api/admin/sops", json={"sop": {**sop, "code": MARK}}, headers=csrf),
        admin.client.post("/api/admin/sops", json={"sop": {**sop, "group": MARK, MARK: 1}}, headers=csrf),
        admin.client.post(
            "/api/admin/devices",
            json={"name": "tv9", "kind": "display", "options": {"counters": [MARK]}},
            headers=csrf,
        ),
        admin.client.post(
            "/api/admin/users",
            json={"username": "baru", "full_name": "Baru", "password": "rahasia-panjang-1", "roles": [MARK]},
            headers=csrf,
        ),
        admin.client.post(
            "/api/admin/sops/import",
            data={"files": (io.BytesIO(f"code: {MARK}\n".encode()), f"{MARK}.yaml")},
            headers=csrf,
        ),
        admin.client.post("/api/admin/sops/import", data={"files": (io.BytesIO(b"x"), f"{MARK}.txt")}, headers=csrf),
        officer.post("/api/scan", {"code": MARK}),
        officer.post("/api/scan", {"code": f"A-{MARK}"}),
        officer.post("/api/scan", {"code": f"LKT1:dukcapil:{MARK}"}),
    ]
    for r in answers:
        _no_mark(r)


def test_the_sop_import_and_edit_refuse_bombs_with_a_clear_4xx(staff):
    from tests.core.test_sop_bounds import billion_laughs, zip_bomb

    admin = staff("admin", "admin")
    r = admin.client.post(
        "/api/admin/sops/import", data={"files": (io.BytesIO(zip_bomb()), "sop.zip")}, headers=admin.csrf()
    )
    assert r.status_code == 400 and r.get_json()["problems"][0]["field"] == "sop.zip/bom.yaml"
    r = admin.client.post("/api/admin/sops", json={"yaml": billion_laughs()}, headers=admin.csrf())
    assert r.status_code == 400 and r.get_json()["problems"][0]["field"] == "yaml"
    r = admin.client.post("/api/admin/sops", json={"yaml": "#" * (50 * MB)}, headers=admin.csrf())
    assert r.status_code == 413


def test_a_form_of_many_parts_or_a_long_field_is_refused(client):
    many = {f"f{i}": "x" for i in range(200)}
    r = client.post("/api/login", data=many, content_type="multipart/form-data")
    assert r.status_code == 413 and r.get_json()["error"] == "too_large"
    r = client.post("/api/login", data={"username": "x" * (100 * 1024)}, content_type="multipart/form-data")
    assert r.status_code == 413


def test_a_problem_under_a_code_keeps_its_field_so_the_page_can_show_it(staff):
    admin = staff("admin", "admin")
    changes = {"services": {"penerbitan-kia": {"quota": -1}}}
    r = admin.client.put("/api/admin/settings", json=changes, headers=admin.csrf())
    assert r.status_code == 400
    assert [p["field"] for p in r.get_json()["problems"]] == ["services.penerbitan-kia.quota"]


def test_socket_io_messages_are_bounded_too(client):
    """Engine.IO refuses a longer polling POST by its length (the handshake tells the client the bound)."""
    handshake = client.get("/socket.io/?EIO=4&transport=polling")
    assert json.loads(handshake.get_data(as_text=True)[1:])["maxPayload"] == 64 * 1024


def test_json_nested_too_deep_for_the_parser_is_a_400(client, staff):
    r = client.post("/api/tickets", data="[" * 200_000, content_type="application/json")
    assert r.status_code == 400 and r.get_json()["error"] == "bad_request"
    admin = staff("admin", "admin")
    r = admin.client.put(
        "/api/admin/settings", data='{"a":' * 50_000, content_type="application/json", headers=admin.csrf()
    )
    assert r.status_code == 400
