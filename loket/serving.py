"""What the served process does once the app is loaded (loket/wsgi.py: gunicorn, as `make run` serves it).

Measured under 16 kiosks issuing tickets at once (docs/performance.md, "Tickets", 2026-12-01 13:xx):

- `freeze_heap`: Python's full (generation 2) collection walked every object of the loaded app, about
  200,000 (modules, the catalog, compiled statements): one such pause of 110-250 ms about every 2,000
  tickets held every request in flight. Frozen, a full collection walks only what was made since (8-40 ms).
- `taking_turns`: under gevent a request runs until it waits for something. A connection whose next
  request is already in its socket was served again and again before the others (p50 3 ms, p99 700 ms).
  Each request now waits once for gevent's loop to be idle (`gevent.idle`): every other connection whose
  request is readable is served first. `gevent.sleep(0)` was not enough: it queues a callback, and the
  loop runs its callbacks (the connections served again at once) before it looks at the sockets again.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from typing import Any

import gevent

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def freeze_heap() -> int:
    """Collect once, then keep every object alive now out of the collector's later walks; how many were frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def taking_turns(wsgi_app: WSGIApp) -> WSGIApp:
    """`wsgi_app` behind one idle turn of gevent's loop per request (only for a gevent-patched process)."""

    def in_turn(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        gevent.idle()  # after every connection whose request is already readable or running
        return wsgi_app(environ, start_response)

    in_turn.taking_turns = True  # type: ignore[attr-defined]
    return in_turn
