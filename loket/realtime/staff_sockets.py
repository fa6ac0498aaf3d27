"""The staff pages' live connections end with their log-in.

A staff page's Socket.IO connection is opened with the page's log-in (auth {"channel": "staff"}) and
then only receives. When the log-in ends (log-out, a password reset, a deactivation, an idle
timeout), the connection must stop receiving too: a log-out in this process cuts its connections
at once, and every process checks its own staff connections against the open log-ins every few
seconds (`LOKET_STAFF_SOCKET_CHECK_SECONDS`), so one ended elsewhere (another process, the
shell) is cut there as well. One read per process per check, whatever the number of connections.
"""

from __future__ import annotations

import threading
from datetime import timedelta

from flask import Flask

from loket.core.accounts import live_sessions
from loket.extensions import socketio


class StaffSockets:
    """This process's staff connections: Socket.IO sid -> the log-in (session id) that opened it."""

    def __init__(self, app: Flask, interval: float):
        self.app = app
        self.interval = interval
        self._sockets: dict[str, str] = {}
        self._lock = threading.Lock()
        self._started = False

    def add(self, sid: str, session_id: str) -> None:
        with self._lock:
            self._sockets[sid] = session_id
            if not self._started and self.interval > 0:
                self._started = True
                socketio.start_background_task(self._run)

    def discard(self, sid: str) -> None:
        with self._lock:
            self._sockets.pop(sid, None)

    def end(self, session_id: str) -> None:
        """Cut this process's connections of one log-in now (it is being logged out here)."""
        with self._lock:
            ended = [sid for sid, sess in self._sockets.items() if sess == session_id]
        self._cut(ended)

    def sweep(self) -> int:
        """Cut the connections whose log-in is no longer open; returns how many were cut."""
        with self._lock:
            sockets = dict(self._sockets)
        if not sockets:
            return 0
        minutes = self.app.config.get("STAFF_SESSION_IDLE_MINUTES") or 0
        idle = timedelta(minutes=minutes) if minutes else None
        ctx = self.app.extensions["loket"]
        live = live_sessions(ctx.store, ctx.clock, set(sockets.values()), idle)
        ended = [sid for sid, sess in sockets.items() if sess not in live]
        self._cut(ended)
        return len(ended)

    def _cut(self, sids: list[str]) -> None:
        for sid in sids:
            self.discard(sid)
            socketio.server.disconnect(sid, namespace="/")

    def _run(self) -> None:
        while True:
            socketio.sleep(self.interval)
            try:
                self.sweep()
            except Exception:
                self.app.logger.exception("staff connection check failed")


def staff_sockets(app: Flask) -> StaffSockets:
    """The app's register of staff connections (one per app)."""
    registry = app.extensions.get("staff_sockets")
    if registry is None:
        registry = app.extensions["staff_sockets"] = StaffSockets(
            app, float(app.config.get("STAFF_SOCKET_CHECK_SECONDS", 5))
        )
    return registry
