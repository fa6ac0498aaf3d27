"""Socket.IO handlers: displays and staff pages connect; after that the server only pushes.

Namespace-free on purpose: every client connects to "/" with an `auth` object naming its channel,
as it did before the rooms were split, so no page had to change.
"""

from __future__ import annotations

from flask import current_app, request, session
from flask_login import current_user
from flask_socketio import emit, join_room

from loket.core import status
from loket.core.admin import paired_kiosk
from loket.core.errors import InvalidCode
from loket.extensions import socketio
from loket.services import loket

from .board import BOARD_ROOM, board_pusher
from .publish import DISPLAY_ROOM, STAFF_ROOM, STATUS_ROOM, counter_room, kiosk_room, status_room
from .staff_sockets import staff_sockets


def on_connect(auth=None):
    """Sent by a board, a display or a staff page on (re)connect; answered with display.state to it alone.

    A board (auth {"channel": "board"}) joins the board room and receives the full current state at
    once, so a reconnect heals it without a reload; then only deltas (loket.realtime.board). A kiosk
    or a survey tablet (auth {"channel": "display"}, the default) joins the display room, which hears
    the public events themselves (a board page loaded before the boards had their room does too). A logged-in
    officer (auth {"channel": "staff"}) joins the staff room and the room of the session's
    counter; anyone else asking for the staff channel is refused.
    """
    auth = auth if isinstance(auth, dict) else {}  # whatever a client sends, never a server error
    channel = auth.get("channel", "display")
    if channel == "status":
        return _status_page(auth.get("code"))
    if channel == "staff":
        if not current_user.is_authenticated:
            return False  # refuse the connection
        join_room(STAFF_ROOM)
        staff_sockets(current_app._get_current_object()).add(request.sid, current_user.session_id)
        if session.get("counter_id"):
            join_room(counter_room(session["counter_id"]))
    elif channel == "board":
        join_room(BOARD_ROOM)
    else:
        join_room(DISPLAY_ROOM)
        token = auth.get("kiosk_token")
        kiosk = paired_kiosk(loket(), token) if isinstance(token, str) else None
        if kiosk:  # a paired kiosk also hears how its own tickets printed
            join_room(kiosk_room(kiosk))
    emit("display.state", board_pusher(current_app._get_current_object()).state())


def _status_page(code) -> bool:
    """A resident's status page (auth {"channel": "status", "code": its signed code}): it joins the room of its
    own ticket (named on the server, never by the page) and the status pages' room, which hears only that the
    queue moved. A code that opens nothing is refused. Nothing is sent on connect: the page has its data."""
    if not isinstance(code, str):
        return False
    try:
        found = status.resolve(loket(), code)
    except InvalidCode:
        return False
    join_room(status_room(found.room))
    join_room(STATUS_ROOM)
    return True


def on_disconnect(reason=None):
    """A page went away: forget its connection (a staff page's, if it was one)."""
    staff_sockets(current_app._get_current_object()).discard(request.sid)


def on_sync():
    """Sent by a board that missed a delta (or a display that wants the full state); answered to it alone."""
    emit("display.state", board_pusher(current_app._get_current_object()).state())


def register() -> None:
    """Attach the handlers to the SocketIO server (call after socketio.init_app, once per app)."""
    socketio.on_event("connect", on_connect)
    socketio.on_event("disconnect", on_disconnect)
    socketio.on_event("display.sync", on_sync)
