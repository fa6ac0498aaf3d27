"""Socket.IO handlers. Displays and staff pages connect; the server pushes events."""

from __future__ import annotations

from flask import session
from flask_login import current_user
from flask_socketio import emit, join_room

from .extensions import socketio
from .pages import display_state
from .realtime import DISPLAY_ROOM, STAFF_ROOM, counter_room


@socketio.on("connect")
def on_connect(auth=None):
    """Sent by a display or a staff page on (re)connect.

    A display (auth {"channel": "display"}) joins the display room and receives
    the full current state at once, so a reconnect heals it without a reload.
    A logged-in officer also joins the staff room.
    """
    channel = (auth or {}).get("channel", "display")
    if channel == "staff":
        if not current_user.is_authenticated:
            return False  # refuse the connection
        join_room(STAFF_ROOM)
        if session.get("counter_id"):
            join_room(counter_room(session["counter_id"]))
    else:
        join_room(DISPLAY_ROOM)
    emit("display.state", display_state())


@socketio.on("display.sync")
def on_sync():
    """Sent by a display that wants the full state again; answered to it alone."""
    emit("display.state", display_state())
