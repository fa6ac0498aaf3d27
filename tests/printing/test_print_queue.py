"""Printing off the request path: the resident's answer never waits for the printer; one queue per printer, in order."""

from __future__ import annotations

import socket
import threading

import pytest
from sqlalchemy import event, select

from loket.app import socketio
from loket.core.store import EventRecord
from loket.hardware.printer.emulator import NetworkPrinterEmulator
from loket.hardware.printer.readback import qr_payloads
from tests.fixtures.web import holder_status, make_app

KTP = "pencetakan-ktp-el"


class HeldPrinter(NetworkPrinterEmulator):
    """A network printer on 127.0.0.1 that accepts and reads nothing until `release()`: then it prints as usual."""

    def __post_init__(self) -> None:
        self.gate = threading.Event()
        self.accepted = 0
        super().__post_init__()

    def release(self) -> None:
        self.gate.set()

    def _session(self, conn: socket.socket) -> None:
        self.accepted += 1
        self.gate.wait()
        super()._session(conn)


class DeadPrinter:
    """A printer that accepts the connection and never reads or answers a byte; `hang_up()` closes it all."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.address = f"127.0.0.1:{self.server.getsockname()[1]}"
        self.connections: list[socket.socket] = []
        self.accepted = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.connections.append(conn)
            self.accepted.set()

    def hang_up(self) -> None:
        for conn in self.connections:
            conn.close()
        self.server.close()


@pytest.fixture
def held():
    printer = HeldPrinter()
    yield printer
    printer.release()
    printer.close()


def office(tmp_path, demo_database, address: str, timeout: float):
    return make_app(
        tmp_path, demo_database, KIOSK_PRINTERS=f"lobby=network:{address}", PRINTER_TIMEOUT=timeout, kiosk="lobby"
    )


def kiosk_page(app):
    return socketio.test_client(app, auth={"channel": "display", "kiosk_token": app.config["TEST_KIOSK_TOKEN"]})


def outcomes(page) -> list[dict]:
    return [e["args"][0] for e in page.get_received() if e["name"] == "print.outcome"]


def test_the_answer_does_not_wait_for_a_printer_that_never_answers(tmp_path, demo_database):
    dead = DeadPrinter()
    app = office(tmp_path, demo_database, dead.address, timeout=60)
    try:
        page = kiosk_page(app)
        r = app.test_client().post("/api/tickets", json={"service": KTP})
        # The answer is here while the printer has answered nothing (and cannot, within its 60 s timeout).
        assert r.status_code == 201 and r.get_json()["print"]["state"] == "queued"
        assert dead.accepted.wait(10), "the job went to the printer"
        assert outcomes(page) == []
        dead.hang_up()  # the printer dies: only now is the outcome known
        app.extensions["print_queues"].wait_idle()
        [outcome] = outcomes(page)
        assert outcome["number"] == r.get_json()["number"] and outcome["ok"] is False and outcome["message"]
        assert app.test_client().get(holder_status(r.get_json())).status_code == 200, "the ticket is valid"
    finally:
        dead.hang_up()
        app.extensions["loket"].store.dispose()


def test_the_printers_timeout_ends_a_silent_job(tmp_path, demo_database):
    dead = DeadPrinter()
    app = office(tmp_path, demo_database, dead.address, timeout=0.5)
    try:
        page = kiosk_page(app)
        assert app.test_client().post("/api/tickets", json={"service": KTP}).status_code == 201
        app.extensions["print_queues"].wait_idle()  # ends because the printer's timeout does
        [outcome] = outcomes(page)
        assert outcome["ok"] is False and outcome["reason"] in ("offline", "interrupted")
    finally:
        dead.hang_up()
        app.extensions["loket"].store.dispose()


def test_four_tickets_at_one_printer_are_answered_at_once_and_print_in_order(tmp_path, demo_database, held):
    app = office(tmp_path, demo_database, held.address, timeout=60)
    try:
        page = kiosk_page(app)
        client = app.test_client()
        answers = [client.post("/api/tickets", json={"service": KTP}).get_json() for _ in range(4)]
        # All four residents have their number while the printer has not printed the first ticket yet.
        assert [a["number"] for a in answers] == ["B-001", "B-002", "B-003", "B-004"]
        assert all(a["print"]["state"] == "queued" for a in answers)
        assert held.jobs == [] and outcomes(page) == [] and held.accepted <= 1
        held.release()
        app.extensions["print_queues"].wait_idle()
        pushed = outcomes(page)
        assert [(o["number"], o["ok"]) for o in pushed] == [
            ("B-001", True),
            ("B-002", True),
            ("B-003", True),
            ("B-004", True),
        ]
        held.close()
        assert [qr_payloads(job) for job in held.jobs] == [[a["qr"]] for a in answers], "printed in order, once each"
    finally:
        app.extensions["loket"].store.dispose()


def test_a_burst_of_prints_is_recorded_in_one_transaction_in_order(tmp_path, demo_database, held):
    """Issue 12: the printer's worker notes the prints of a burst together (one commit), each as before."""
    app = office(tmp_path, demo_database, held.address, timeout=60)
    engine = app.extensions["loket"].store.engine
    commits = []
    try:
        client = app.test_client()
        answers = [client.post("/api/tickets", json={"service": KTP}).get_json() for _ in range(4)]
        event.listen(engine, "commit", lambda conn: commits.append(conn))
        held.release()
        app.extensions["print_queues"].wait_idle()
        assert len(commits) == 1, "the four prints in one transaction"
        with engine.connect() as conn:
            rows = conn.execute(
                select(EventRecord.kind, EventRecord.ticket_id, EventRecord.payload)
                .where(EventRecord.kind == "ticket.printed")
                .order_by(EventRecord.id)
            ).all()
        assert [(r.payload["number"], r.payload["kind"], r.payload["kiosk"]) for r in rows] == [
            (a["number"], "ticket", "lobby") for a in answers
        ]
        assert all(r.ticket_id for r in rows)
    finally:
        app.extensions["loket"].store.dispose()
