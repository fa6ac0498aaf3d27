"""Publishing domain events over Socket.IO: public ones to displays, all to staff."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from urllib.parse import urlencode

from flask import current_app

from loket.core.events import Event
from loket.core.speech import Reading, call_sentence

from .extensions import socketio

DISPLAY_ROOM = "display"
STAFF_ROOM = "staff"


def publish(events: Iterable[Event]) -> None:
    """Send each event to the rooms that may see it; displays also get a fresh full state, coalesced."""
    changed = False
    for event in events:
        if event.kind in ("settings.changed", "catalog.changed"):
            # Kiosks, displays and counters reload what they show on settings.changed; an SOP
            # edit is announced the same way, so every screen picks it up at once.
            socketio.emit("settings.changed", event.payload)  # every kiosk, display and counter reloads at once
            changed = True
            continue
        payload = with_voice(event.payload) if event.kind == "ticket.called" else event.payload
        if event.public:
            socketio.emit(event.kind, payload, to=DISPLAY_ROOM)
            changed = True
        socketio.emit(event.kind, payload, to=STAFF_ROOM)
    if changed:
        _state_broadcaster(current_app._get_current_object()).poke()


class _StateBroadcaster:
    """Pushes display.state to every display at most every `interval` seconds after a change.

    One state for all displays instead of each display asking after every event: the cost
    stays flat however many screens hang in the hall.
    """

    def __init__(self, app, interval: float = 0.3):
        self.app = app
        self.interval = interval
        self._dirty = threading.Event()
        socketio.start_background_task(self._run)

    def poke(self) -> None:
        self._dirty.set()

    def _run(self) -> None:
        from .pages import display_state

        while True:
            self._dirty.wait()
            socketio.sleep(self.interval)  # gather the events of one burst into one push
            self._dirty.clear()
            try:
                with self.app.app_context():
                    socketio.emit("display.state", display_state(), to=DISPLAY_ROOM)
            except Exception:
                self.app.logger.exception("display.state push failed")


_broadcasters: dict[int, _StateBroadcaster] = {}
_broadcasters_lock = threading.Lock()


def _state_broadcaster(app) -> _StateBroadcaster:
    with _broadcasters_lock:
        if id(app) not in _broadcasters:
            _broadcasters[id(app)] = _StateBroadcaster(app)
        return _broadcasters[id(app)]


def voice_reading() -> str:
    """How numbers are read out: the admin's setting, else LOKET_VOICE_READING."""
    return current_app.extensions["loket"].settings().voice_reading or current_app.config.get(
        "VOICE_READING", "cardinal"
    )


def with_voice(call: dict) -> dict:
    """Add what the display says for a call: the sentence, and where its chime + voice audio is."""
    reading = Reading(voice_reading())
    query = {"number": call["number"], "counter": call["counter_number"], "recall": int(bool(call.get("recall")))}
    return dict(
        call,
        say=call_sentence(call["number"], call["counter_number"], reading, recall=bool(call.get("recall"))),
        audio="/api/voice/call.wav?" + urlencode(query),
        voice_engine=current_app.config.get("VOICE_ENGINE", "server"),
    )


def counter_room(counter_id: int) -> str:
    return f"counter:{counter_id}"


def to_counter(counter_id: int, kind: str, payload: dict) -> None:
    """Send something to the staff pages working at one counter only."""
    socketio.emit(kind, payload, to=counter_room(counter_id))
