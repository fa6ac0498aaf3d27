"""Publishing domain events over Socket.IO: public ones to displays, all to staff."""

from __future__ import annotations

from collections.abc import Iterable

from core.events import Event

from .extensions import socketio

DISPLAY_ROOM = "display"
STAFF_ROOM = "staff"


def publish(events: Iterable[Event]) -> None:
    """Send each event to the rooms that may see it."""
    for event in events:
        if event.kind == "settings.changed":
            socketio.emit(event.kind, event.payload)  # every kiosk, display and counter reloads at once
            continue
        if event.public:
            socketio.emit(event.kind, event.payload, to=DISPLAY_ROOM)
        socketio.emit(event.kind, event.payload, to=STAFF_ROOM)
