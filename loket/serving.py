"""What the served process does once the app is loaded (loket/wsgi.py: gunicorn, as `make run` serves it).

Measured under 16 kiosks issuing tickets at once (docs/performance.md, "Tickets", branch `tickets`):

- `freeze_heap`: Python's full (generation 2) collection walked every object of the loaded app, about
  200,000 (modules, the catalog, compiled statements): one such pause of 110-250 ms about every 2,000
  tickets held every request in flight. Frozen, a full collection walks only what was made since (8-40 ms).
- `taking_turns`: under gevent a request runs until it waits for something. A connection whose next
  request is already in its socket was served again and again before the others (p50 3-5 ms, p99 480-700
  ms, once the rate limits' storage no longer switched to the hub by accident in the middle of each ticket).
  Each request now waits once for the next turn of gevent's loop (an idle watcher above the sockets'
  priority): the loop polls the sockets first, so requests are served in the order they were read, a
  turn at a time, and one served again at once waits for the next turn like the others. `gevent.sleep(0)`
  was not enough (the loop runs the callbacks queued while it runs them before it polls again), and an
  idle watcher of the sockets' own priority left the process idle half the time under load.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from typing import Any

import gevent

#: libev's priorities run from -2 to 2; the sockets' watchers have 0 (see `taking_turns`).
TURN_PRIORITY = 1

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def freeze_heap() -> int:
    """Collect once, then keep every object alive now out of the collector's later walks; how many were frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def taking_turns(wsgi_app: WSGIApp) -> WSGIApp:
    """`wsgi_app` behind one turn of gevent's loop per request (only for a gevent-patched process)."""

    def in_turn(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        gevent.idle(TURN_PRIORITY)  # the next turn of the loop, after it has polled the sockets
        return wsgi_app(environ, start_response)

    in_turn.taking_turns = True  # type: ignore[attr-defined]
    return in_turn
