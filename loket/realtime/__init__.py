"""Realtime: domain events out to the rooms of Socket.IO, the display state, the connect handlers.

Who receives what:
- "display" room (every display): public events (ticket.called, …) and display.state;
- "staff" room (every logged-in staff page): every event;
- "counter:<id>" room (the staff pages at one counter): scanner.scan from the scanner agent;
- "kiosk:<name>" room (the page of one paired kiosk, auth {"kiosk_token"}): print.outcome of its tickets;
- "status:ticket:<id>" (a resident's status page, auth {"channel": "status", "code"}): status.changed, and
  "status" (every status page): status.queue; neither carries anything but the nudge to read again;
- everyone (kiosks too): settings.changed.

A staff connection lasts no longer than its log-in (staff_sockets.py).
"""

from flask import Flask

from . import handlers, hub_rules
from .publish import DISPLAY_ROOM, STAFF_ROOM, counter_room, kiosk_room, publish, to_counter, to_kiosk
from .staff_sockets import staff_sockets

__all__ = [
    "DISPLAY_ROOM",
    "STAFF_ROOM",
    "counter_room",
    "init_app",
    "kiosk_room",
    "publish",
    "staff_sockets",
    "to_counter",
    "to_kiosk",
]


def init_app(app: Flask) -> None:
    """Attach the connect handlers to the app's Socket.IO server (set up by loket.extensions first)."""
    handlers.register()
    hub_rules.init_app(app)
