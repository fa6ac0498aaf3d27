"""The display state pushed to every display after a change, at most every `interval` seconds.

Sent by the server (one background task per app); received by every display as display.state.
One state for all displays instead of each display asking after every event: the cost stays
flat however many screens hang in the hall.
"""

from __future__ import annotations

import threading

from flask import Flask

from loket.display.state import display_state
from loket.extensions import socketio

_lock = threading.Lock()


class StateBroadcaster:
    """Pushes display.state to `room` once per burst of changes."""

    def __init__(self, app: Flask, room: str, interval: float = 0.3):
        self.app = app
        self.room = room
        self.interval = interval
        self._dirty = threading.Event()
        socketio.start_background_task(self._run)

    def poke(self) -> None:
        self._dirty.set()

    def _run(self) -> None:
        while True:
            self._dirty.wait()
            socketio.sleep(self.interval)  # gather the events of one burst into one push
            self._dirty.clear()
            try:
                with self.app.app_context():
                    socketio.emit("display.state", display_state(), to=self.room)
            except Exception:
                self.app.logger.exception("display.state push failed")


def state_broadcaster(app: Flask, room: str) -> StateBroadcaster:
    """The app's broadcaster, started on the first change (an app that never publishes starts none)."""
    with _lock:
        if "display_state_broadcaster" not in app.extensions:
            app.extensions["display_state_broadcaster"] = StateBroadcaster(app, room)
        return app.extensions["display_state_broadcaster"]
