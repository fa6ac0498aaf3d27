"""Schemathesis against the OpenAPI document, in-process through the Flask app (WSGI): every operation,
as an anonymous caller and as each role, valid and invalid data, bounded and derandomized.

Each role gets a fresh copy of the demo database (the `app` fixture's), with three tickets issued,
so that what the admin's writes change stays in that run. Every answer must be no server error and
match the document: a documented status, its content type and its schema (the one error shape for
refusals). Nothing is skipped: an operation the run cannot reach fails the test.
"""

from __future__ import annotations

import os
import traceback

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import create_engine

from loket.core import admin as ops
from loket.core.demo import DEMO_PASSWORD, ensure_demo
from loket.core.roles import CommandLine, Role
from tests.fixtures.database import _empty_every_table
from tests.fixtures.web import Staff, issue, make_app
from tests.openapi.quiet import NoDisplayPush

#: Cases per operation (three times as many where the path names a row): with ~70 operations and 9
#: callers the whole run takes about a minute on two shared cores. Derandomized: the same cases every
#: run. LOKET_FUZZ_EXAMPLES=50 makes a deeper run by hand.
MAX_EXAMPLES = int(os.environ.get("LOKET_FUZZ_EXAMPLES", "3"))

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

SCANNER_TOKEN = "scanner-test-token"

#: The demo station of each role (the head of office and the admin work at none).
STATIONS = {
    Role.PELAYANAN: "Loket 1",
    Role.PENDUKUNG: "Loket 3",
    Role.OPERATOR: "Ruang Operator",
    Role.SCAN: "Ruang Scan",
    Role.BIDANG: "Ruang Bidang",
    Role.REGISTER: "Ruang Register",
}

#: Operations after which the caller logs in again: they may end or change the caller's own session
#: (log out, log in, choose a station; the admin resetting their own password).
RELOGIN = {
    ("POST", "/api/logout"),
    ("POST", "/api/login"),
    ("POST", "/api/session"),
    ("POST", "/api/admin/users/{user_id}/password"),
    ("PUT", "/api/admin/users/{user_id}"),
}


#: The database the run uses: SQLite in the suite (a copy per caller); LOKET_FUZZ_BACKEND=postgresql
#: runs it on PostgreSQL by hand (its integers and varchar lengths are stricter than SQLite's).
BACKEND = os.environ.get("LOKET_FUZZ_BACKEND", "sqlite")


@pytest.fixture
def fuzz_app(request, tmp_path, demo_database):
    url = demo_database
    if BACKEND == "postgresql":
        url = request.getfixturevalue("pg_store_url")
        engine = create_engine(url)
        _empty_every_table(engine)
        engine.dispose()
    app = make_app(
        tmp_path,
        url,
        RATELIMIT_ENABLED=False,  # the handlers are fuzzed, not the limiter (its 429 is documented)
        SCANNER_TOKEN=SCANNER_TOKEN,
        KIOSK_PIN="2468",
        KIOSK_PIN_LOCKOUT="",  # the lockout (its 429 documented) would soon hide the PIN handlers from the fuzz
    )
    app.extensions["board_pusher"] = NoDisplayPush(app)
    if BACKEND == "postgresql":
        list(ensure_demo(app.extensions["loket"]))
    yield app
    app.extensions["loket"].store.dispose()


class Caller:
    """The session cookie and headers of an anonymous caller or an officer in a role."""

    def __init__(self, app, role: Role | None):
        self.app = app
        self.role = role
        self.cookies: dict[str, str] = {}
        self.headers: dict[str, str] = {"Authorization": f"Bearer {SCANNER_TOKEN}"}
        self.login()

    def login(self) -> None:
        client = self.app.test_client()
        staff = Staff(client)
        if self.role is not None:
            self._restore_password()
            staff.login(self.role.value, self.role.value, STATIONS.get(self.role))
        self.headers["X-CSRFToken"] = client.get("/api/csrf").get_json()["csrf_token"]
        self.cookies = {"session": client.get_cookie("session").value}

    def _restore_password(self) -> None:
        """The admin's run may have set the admin's own password: set the demo one again, as the shell can."""
        loket = self.app.extensions["loket"]
        user = next(u for u in ops.list_users(loket) if u["username"] == self.role.value)
        ops.reset_password(loket, CommandLine("test"), user["id"], DEMO_PASSWORD)


CALLERS = [None, *Role]


@pytest.mark.parametrize("role", CALLERS, ids=lambda r: r.value if r else "anonymous")
def test_every_operation_answers_as_documented(fuzz_app, role):
    client = fuzz_app.test_client()
    for _ in range(3):
        issue(client)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", fuzz_app)
    caller = Caller(fuzz_app, role)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()  # a schema error fails here, nothing is skipped
        operations += 1
        raw = operation.definition.raw
        if not may_call(raw, role):
            # Refused (401/403) whatever it is sent: a valid case shows the refusal is as documented.
            failures += run(operation, [operation.as_strategy(generation_mode=GenerationMode.POSITIVE)], caller, 1)
            continue
        ids = {p["name"]: 1 for p in raw.get("parameters", []) if p["in"] == "path" and p["name"].endswith("_id")}
        strategies = []
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategies.append(operation.as_strategy(generation_mode=mode))
            if ids:  # and on a row that exists (ticket 1, counter 1, …), so that the body reaches the operation
                strategies += [operation.as_strategy(generation_mode=mode, path_parameters=ids)] * 2
        failures += run(operation, strategies, caller, MAX_EXAMPLES * (3 if ids else 2))
    assert operations >= 70
    assert not failures, f"{len(failures)} failing cases as {role or 'anonymous'}:\n\n" + "\n\n".join(failures[:20])


def may_call(operation: dict, role: Role | None) -> bool:
    """Whether the document lets this caller past the refusals (the session, the roles)."""
    if not operation.get("security"):
        return True
    if "scanner" in operation["security"][0]:
        return True  # every caller sends the scanner's token
    if role is None:
        return False
    roles = operation.get("x-roles") or []
    return not roles or role.value in roles


def run(operation, strategies, caller: Caller, examples: int) -> list[str]:
    """Call the operation with `examples` cases drawn from the strategies; every failing case, described."""
    failures: list[str] = []
    calls = 0

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(strategies))
    def fuzz(case):
        nonlocal calls
        calls += 1
        label = f"{case.method} {case.formatted_path}"
        # The caller's own session and tokens, over whatever the document's security schemes made up.
        case.headers = {**(case.headers or {}), **caller.headers}
        case.cookies = {**(case.cookies or {}), **caller.cookies}
        try:
            response = case.call()
            case.validate_response(response, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"{label}: {type(exc).__name__}: {exc}\n{_short(exc)}\n{case.as_curl_command()[:2000]}")
        if (case.method.upper(), case.path) in RELOGIN and caller.role is not None:
            caller.login()

    fuzz()
    if calls == 0:  # (an operation without inputs has one case only: Hypothesis does not repeat it)
        failures.append(f"{operation.label}: no case was generated")
    return failures


def _short(exc: BaseException) -> str:
    return "".join(traceback.format_tb(exc.__traceback__)[-4:])
