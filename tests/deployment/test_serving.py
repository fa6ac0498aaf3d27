"""The served process (loket/wsgi.py under gunicorn's gevent worker): its requests in turn, its heap frozen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import gevent
import gevent.socket

from loket.serving import freeze_heap, taking_turns

ROOT = Path(__file__).resolve().parents[2]


def test_a_connection_served_again_and_again_lets_a_readable_one_in():
    """A keep-alive connection whose next request is always there at once (its client is quick) gives way to a
    connection whose request came in meanwhile: the latter is served before the former's second request."""
    order: list[str] = []
    near, far = gevent.socket.socketpair()

    def waiting_connection():
        near.recv(1)  # a keep-alive connection waiting for its client's next request
        order.append("readable connection")

    def app(environ, start_response):
        order.append("request")
        return [b""]

    def quick_connection():
        served = taking_turns(app)
        for _ in range(3):
            served({}, None)

    reader = gevent.spawn(waiting_connection)
    gevent.sleep(0)  # it now waits on its socket
    far.sendall(b"x")  # its request is in: readable, not yet seen by gevent's loop
    quick = gevent.spawn(quick_connection)
    gevent.joinall([quick, reader], timeout=5, raise_error=True)
    near.close()
    far.close()
    assert order.count("request") == 3
    assert order.index("readable connection") <= 1


def test_a_request_gets_its_turn_while_other_sockets_stay_busy():
    """Two connections talking without a pause (a socket ready in every turn of the loop) hold no request back."""
    a, b = gevent.socket.socketpair()
    busy = True

    def talk(mine, first):
        if first:
            mine.sendall(b"x")
        while busy:
            mine.recv(1)  # waits for the loop each time: a socket event in every turn
            mine.sendall(b"x")

    talkers = [gevent.spawn(talk, a, True), gevent.spawn(talk, b, False)]
    gevent.sleep(0.05)
    request = gevent.spawn(taking_turns(lambda environ, start_response: [b"served"]), {}, None)
    served = request.get(timeout=2)
    busy = False
    gevent.killall(talkers)
    a.close()
    b.close()
    assert served == [b"served"]


def test_freeze_heap_keeps_the_loaded_objects_out_of_the_collector():
    import gc

    try:
        assert freeze_heap() > 0
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_the_served_app_takes_turns_and_is_frozen(tmp_path):
    """loket.wsgi as gunicorn's gevent worker imports it (the standard library patched first)."""
    script = (
        "from gevent import monkey; monkey.patch_all()\n"
        "import gc, loket.wsgi as w\n"
        "print(getattr(w.app.wsgi_app, 'taking_turns', False), gc.get_freeze_count() > 10000)\n"
    )
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{tmp_path / 'loket.db'}",
        SECRET_KEY="served",
        LOKET_INSTANCE_PATH=str(tmp_path / "instance"),
        LOKET_PRINTER=f"file:{tmp_path / 'tickets'}",
    )
    env.pop("SOCKETIO_MESSAGE_QUEUE", None)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["True", "True"], out.stderr[-2000:]
