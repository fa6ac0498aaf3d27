"""Several processes (Redis): the emits of one change go to the other processes as one message (loket/socket_queue.py).

The whole path between two gunicorn processes is tests/realtime/test_multiprocess.py (a call made on one process
reaches the displays and boards of the other, a ticket reaches its own process's display once); here, what goes
to Redis and how a listener unpacks it (Flask-SocketIO's test client refuses a message queue).
"""

from __future__ import annotations

import json
import os
import time
import uuid

import pytest
import redis
import socketio as python_socketio

from loket.socket_queue import BatchingRedisManager
from tests.fixtures.web import make_app

REDIS_URL = os.environ.get("LOKET_TEST_REDIS", "redis://127.0.0.1:6379/0")


def _emit(event: str, room: str, host: str = "h") -> dict:
    return {"method": "emit", "event": event, "data": [{}], "room": room, "callback": None, "host_id": host}


def test_a_tickets_emits_reach_redis_as_one_message(tmp_path, demo_database):
    try:
        listener = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).pubsub()
        channel = f"loket-test-{uuid.uuid4().hex[:8]}"
        listener.subscribe(channel)
    except redis.RedisError as exc:
        pytest.fail(f"Redis is required ({REDIS_URL}): {exc}")
    app = make_app(tmp_path, demo_database, SOCKETIO_MESSAGE_QUEUE=REDIS_URL, SOCKETIO_CHANNEL=channel)
    try:
        number = app.test_client().post("/api/tickets", json={"service": "pencetakan-ktp-el"}).get_json()["number"]
        messages, end = [], time.monotonic() + 3
        while time.monotonic() < end:
            message = listener.get_message(timeout=0.2)
            if message and message["type"] == "message":
                messages.append(json.loads(message["data"]))
        [issued] = [m for m in messages if "ticket.issued" in json.dumps(m)]
        assert issued["method"] == "batch"
        assert [(m["event"], m["room"]) for m in issued["messages"]] == [
            ("status.changed", issued["messages"][0]["room"]),
            ("ticket.issued", "display"),
            ("ticket.issued", "staff"),
            ("status.queue", "status"),
        ]
        assert issued["messages"][1]["data"][0]["number"] == number
    finally:
        listener.close()
        app.extensions["loket"].store.dispose()


def test_the_listener_unpacks_another_processs_batch_and_skips_its_own(monkeypatch):
    manager = BatchingRedisManager(REDIS_URL, channel="unused")
    manager.json = json
    a, b, c = _emit("a", "display", "other"), _emit("b", "staff", "other"), _emit("c", "display", "other")
    raw = [
        json.dumps({"method": "batch", "messages": [a, b], "host_id": "other"}),
        json.dumps(
            {"method": "batch", "messages": [_emit("mine", "display", manager.host_id)], "host_id": manager.host_id}
        ),
        json.dumps(c),
        "not json",
    ]
    monkeypatch.setattr(python_socketio.RedisManager, "_listen", lambda self: iter(raw))
    assert list(manager._listen()) == [a, b, c, "not json"]


def test_emits_are_held_in_order_and_anything_else_goes_alone_in_its_place(monkeypatch):
    manager = BatchingRedisManager(REDIS_URL, channel="unused")
    sent: list[dict] = []
    monkeypatch.setattr(python_socketio.RedisManager, "_publish", lambda self, data: sent.append(data))
    a, b, c, d = (_emit(x, "display") for x in "abcd")
    leave = {"method": "leave_room", "sid": "s", "room": "r", "namespace": "/", "host_id": "h"}
    with manager.together():
        manager._publish(a)
        with manager.together():  # nested: the outer block sends
            manager._publish(b)
        assert sent == []
        manager._publish(leave)
        manager._publish(c)
    manager._publish(d)
    assert sent == [{"method": "batch", "messages": [a, b], "host_id": manager.host_id}, leave, c, d]
    with manager.together():
        pass
    assert len(sent) == 4
