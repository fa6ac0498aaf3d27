"""At a site (issue 16): tell every page when the hub's rules arrive by replication.

A change the admin makes here is published as it is made (`settings.changed`: kiosks, boards and desks read again).
A change the hub makes arrives through the subscription, which publishes nothing; this process looks at the hub's
rows every `LOKET_HUB_RULES_CHECK_SECONDS` (default 5) and publishes `settings.changed` when they moved, so the boards'
running text, the kiosks' services and quotas follow the hub within seconds too. Started with the first request of a
process at a site; nothing at a single office or the hub.
"""

from __future__ import annotations

import os
import threading

from flask import Flask

from loket.core.events import Event
from loket.core.sites.rules import rules_version
from loket.extensions import socketio
from loket.services import loket

from .publish import publish


class HubRulesWatcher:
    """Compares the hub's rows with what it saw last; publishes settings.changed when they moved."""

    def __init__(self, app: Flask):
        self.app = app
        self.seen: tuple[tuple[str, str], ...] | None = None
        self.interval = float(os.environ.get("LOKET_HUB_RULES_CHECK_SECONDS") or 5)

    def check(self) -> bool:
        """Look once; True when the hub's rules moved since the last look (and the pages were told)."""
        with self.app.app_context():
            with loket().store.read() as s:
                now = rules_version(s)
            moved = self.seen is not None and now != self.seen
            self.seen = now
            if moved:
                publish([Event("settings.changed", {"changed": ["hub"]})])
            return moved

    def run(self) -> None:
        while True:
            try:
                self.check()
            except Exception:  # a database away for a moment: look again next time
                self.app.logger.exception("checking the hub's rules failed")
            socketio.sleep(self.interval)


_lock = threading.Lock()


def init_app(app: Flask) -> None:
    """At a site: the watcher, started once per process by its first request (tests call `check` themselves)."""
    if not app.config.get("SITE"):
        return
    watcher = app.extensions["hub_rules_watcher"] = HubRulesWatcher(app)
    if app.config.get("TESTING"):
        return
    started = [False]

    @app.before_request
    def _start_watching() -> None:
        if started[0]:
            return
        with _lock:
            if not started[0]:
                started[0] = True
                socketio.start_background_task(watcher.run)
