"""The boards' channel: the full state on connect and on request, then only what changed.

Sent by the server; received by the display boards (room "board", auth {"channel": "board"}):
- display.state: the whole board (calls, counters, figures, office, voice, media) with the room's
  version `v`, to one board when it connects or asks (display.sync);
- display.delta: after each change, to every board: {v, seq, counters, waiting_groups, ready} and,
  for a call, the call itself (with its sentence and audio address).

`v` counts the room's messages one by one (across processes through Redis when there are several),
so a board that sees a number skipped knows it missed one and asks for the full state again: it
heals without a reload. `seq` is the last logged event the figures include (loket.core.tickets.views):
of two figures that arrive out of order, the board keeps the newer.

Why not the full state after every event, as before: each board asked for it after each event, so a
call cost the server one state query per board (at 500 boards a call took seconds to reach the
last one, and some never arrived). Now one query per change, whatever the number of boards.
"""

from __future__ import annotations

import itertools
import threading

import redis
from flask import Flask

from loket.core.tickets import views
from loket.display.state import display_state
from loket.extensions import socketio
from loket.services import loket

BOARD_ROOM = "board"

_lock = threading.Lock()


class LocalVersions:
    """The room's version in this process (one process: nobody else sends to its boards)."""

    def __init__(self) -> None:
        self._count = itertools.count(1)
        self._last = 0

    def current(self) -> int:
        return self._last

    def next(self) -> int:
        self._last = next(self._count)
        return self._last


class RedisVersions:
    """The room's version shared by every process on the same Redis message queue."""

    def __init__(self, url: str, key: str):
        # A blocking pool: a hundred boards connecting at once wait a moment for a connection
        # instead of failing with "Too many connections" (bench/display.py, 500 boards on 2 processes).
        pool = redis.BlockingConnectionPool.from_url(url, max_connections=32, timeout=20)
        self._redis = redis.Redis(connection_pool=pool)
        self._key = key

    def current(self) -> int:
        return int(self._redis.get(self._key) or 0)

    def next(self) -> int:
        return int(self._redis.incr(self._key))


class BoardPusher:
    """Sends display.delta to the boards: at once for a call, once per burst for anything else."""

    def __init__(self, app: Flask, interval: float = 0.3):
        self.app = app
        self.interval = interval
        queue = app.config.get("SOCKETIO_MESSAGE_QUEUE")
        channel = app.config.get("SOCKETIO_CHANNEL", "loket")
        self.versions = (
            RedisVersions(queue, f"{channel}:board:v") if queue and queue.startswith("redis") else LocalVersions()
        )
        # One push at a time in this process: versions leave it in the order they were taken.
        self._push_lock = threading.Lock()
        self._dirty = threading.Event()
        self._started = False

    def state(self) -> dict:
        """The full state for one board, with the version it is at (taken first: later deltas may repeat it)."""
        version = self.versions.current()
        return dict(display_state(), v=version)

    def call(self, call: dict) -> None:
        """Push a call, with the figures after it, to every board now."""
        self._push(call)

    def poke(self) -> None:
        """Something on the boards changed (not a call): push the figures after the burst settles."""
        self._dirty.set()
        if not self._started:
            with _lock:
                if not self._started:
                    self._started = True
                    socketio.start_background_task(self._run)

    def _push(self, call: dict | None) -> None:
        with self._push_lock:
            figures = views.board_figures(loket())
            figures.pop("waiting")  # per service: the kiosks' business, not the board's
            delta = {"v": self.versions.next(), **figures}
            if call is not None:
                delta["call"] = call
            socketio.emit("display.delta", delta, to=BOARD_ROOM)

    def _run(self) -> None:
        while True:
            self._dirty.wait()
            socketio.sleep(self.interval)  # gather the events of one burst into one push
            self._dirty.clear()
            try:
                with self.app.app_context():
                    self._push(None)
            except Exception:
                self.app.logger.exception("display.delta push failed")


def board_pusher(app: Flask) -> BoardPusher:
    """The app's board pusher (one per app)."""
    with _lock:
        if "board_pusher" not in app.extensions:
            app.extensions["board_pusher"] = BoardPusher(app)
        return app.extensions["board_pusher"]
