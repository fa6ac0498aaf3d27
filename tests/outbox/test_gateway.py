"""The HTTP gateway channel against a real gateway on 127.0.0.1, and the worker running inside the app."""

from __future__ import annotations

import json
import socket
import time

import pytest
from sqlalchemy import select

from loket.core.accounts import create_counter, create_user
from loket.core.outbox.channels import HttpGateway, OutgoingMessage
from loket.core.roles import Actor, Role
from loket.core.store import OutboxMessage
from loket.core.tickets import issuing, queue
from loket.extensions import socketio
from tests.fixtures.web import make_app, staff_of
from tests.outbox.gateway import start_gateway

MESSAGE = OutgoingMessage(
    7, "dukcapil:ev42:phone", "081234567890", "Nomor antrean B-001", "Queue number B-001", "called"
)


@pytest.fixture
def gateway():
    gw = start_gateway()
    yield gw
    gw.close()


def test_the_gateway_gets_the_key_in_a_header_and_in_the_office_body_with_its_auth(gateway):
    body = json.dumps({"phone": "{to}", "msg": {"text": "{text}", "id": "{text_id}"}, "ref": "{key}", "n": 1})
    sent = HttpGateway(gateway.url, "X-Api-Key: rahasia", body).send(MESSAGE)
    assert sent.ok
    (seen,) = gateway.seen
    assert seen.header_key == MESSAGE.key and seen.headers["X-Api-Key"] == "rahasia"
    assert seen.body == {
        "phone": "081234567890",
        "msg": {"text": "Nomor antrean B-001\n\nQueue number B-001", "id": "Nomor antrean B-001"},
        "ref": MESSAGE.key,
        "n": 1,
    }


def test_a_gateway_down_is_tried_again_and_a_refusal_is_not(gateway):
    channel = HttpGateway(gateway.url)
    gateway.down = True
    down = channel.send(MESSAGE)
    assert not down.ok and down.retry and "503" in down.detail
    with socket.socket() as free:  # an address nobody listens on: refused
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    unreachable = HttpGateway(f"http://127.0.0.1:{port}/send", timeout=2).send(MESSAGE)
    assert not unreachable.ok and unreachable.retry
    gateway.down, gateway.refuse_with = False, 400
    refused = channel.send(MESSAGE)
    assert not refused.ok and not refused.retry and "400" in refused.detail
    gateway.refuse_with = 429  # too many requests: later
    assert channel.send(MESSAGE).retry
    gateway.refuse_with = 401  # the office's token is wrong: the channel's fault, the message waits for a fix
    assert channel.send(MESSAGE).retry
    assert not gateway.accepted


def test_the_app_runs_the_worker_and_the_link_opens_the_status_page(tmp_path, demo_database, gateway):
    app = make_app(
        tmp_path,
        demo_database,
        OUTBOX_WORKER="embedded",
        OUTBOX_WORKER_IN_TESTS=True,
        OUTBOX_GATEWAY_URL=gateway.url,
        OUTBOX_POLL_SECONDS=0.05,
        PUBLIC_URL="http://antrean.test",
    )
    loket = app.extensions["loket"]
    try:
        user = create_user(loket.store, loket.clock, "desk9", "Desk", "password123", [Role.PELAYANAN])
        desk = create_counter(loket.store, "Loket 9", 9, [Role.PELAYANAN])
        ticket = issuing.issue(loket, "pencetakan-ktp-el", phone="081234567890").ticket
        queue.call_next(loket, Actor(user.id, Role.PELAYANAN, desk.id))
        client = app.test_client()
        assert not gateway.seen  # nothing runs before the app's first request
        client.get("/")
        for _ in range(400):  # at most 20 s: the worker polls every 0.05 s
            if gateway.accepted:
                break
            time.sleep(0.05)
        (seen,) = gateway.seen
        text = seen.body["message"]
        assert f"Nomor antrean {ticket.number} dipanggil: silakan menuju Loket 9." in text
        link = next(word for word in text.split() if word.startswith("http://antrean.test/s/"))
        page = client.get(link.removeprefix("http://antrean.test"))
        assert page.status_code == 200 and ticket.number.encode() in page.data
    finally:
        app.extensions["outbox_stop"].set()
        loket.store.dispose()


def test_a_message_the_gateway_refuses_is_given_up_and_the_desks_hear_of_it(tmp_path, demo_database, gateway):
    app = make_app(
        tmp_path,
        demo_database,
        OUTBOX_WORKER="embedded",
        OUTBOX_WORKER_IN_TESTS=True,
        OUTBOX_GATEWAY_URL=gateway.url,
        OUTBOX_POLL_SECONDS=0.05,
    )
    loket = app.extensions["loket"]
    gateway.refuse_with = 400  # e.g. a number the gateway does not take: no retry changes that
    try:
        desk = staff_of(app)("pelayanan", "pelayanan", "Loket 1")
        watching = socketio.test_client(app, flask_test_client=desk.client, auth={"channel": "staff"})
        ticket = issuing.issue(loket, "pencetakan-ktp-el", phone="081234567890").ticket
        assert desk.post("/api/counter/call-next").status_code == 200  # the first request starts the worker

        def alerts() -> list[dict]:
            return desk.client.get("/api/staff/alerts").get_json()["kiosk_alerts"]

        for _ in range(400):  # at most 20 s
            if alerts():
                break
            time.sleep(0.05)
        (alert,) = alerts()  # one message refused: the channel itself is not "down"
        assert alert["reason"] == "message_failed" and alert["number"] == ticket.number
        assert "081234567890" not in str(alert)
        assert any(m["name"] == "kiosk.alert" for m in watching.get_received())  # the desks reload their alerts
        watching.disconnect()
    finally:
        app.extensions["outbox_stop"].set()
        loket.store.dispose()


def test_with_no_gateway_the_worker_command_says_what_to_set_and_messages_wait(tmp_path, demo_database):
    # Without a gateway the command still runs (it delivers webhooks, issue 14) and says what to set.
    app = make_app(tmp_path, demo_database, OUTBOX_GATEWAY_URL="")
    loket = app.extensions["loket"]
    try:
        user = create_user(loket.store, loket.clock, "desk9", "Desk", "password123", [Role.PELAYANAN])
        desk = create_counter(loket.store, "Loket 9", 9, [Role.PELAYANAN])
        issuing.issue(loket, "pencetakan-ktp-el", phone="081234567890")
        queue.call_next(loket, Actor(user.id, Role.PELAYANAN, desk.id))
        done = app.test_cli_runner().invoke(args=["outbox-worker", "--once"])
        assert done.exit_code == 0 and "LOKET_OUTBOX_GATEWAY_URL" in done.output and "sent 0," in done.output
        with loket.store.read() as s:
            assert s.scalars(select(OutboxMessage.state)).all() == ["pending"]  # the resident's message waits
    finally:
        app.extensions["loket"].store.dispose()
