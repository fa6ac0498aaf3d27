"""Publishing domain events over Socket.IO: public ones to displays, all to staff."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from flask import current_app

from core.events import Event
from core.speech import Reading, call_sentence

from .extensions import socketio

DISPLAY_ROOM = "display"
STAFF_ROOM = "staff"


def publish(events: Iterable[Event]) -> None:
    """Send each event to the rooms that may see it."""
    for event in events:
        if event.kind == "settings.changed":
            socketio.emit(event.kind, event.payload)  # every kiosk, display and counter reloads at once
            continue
        payload = with_voice(event.payload) if event.kind == "ticket.called" else event.payload
        if event.public:
            socketio.emit(event.kind, payload, to=DISPLAY_ROOM)
        socketio.emit(event.kind, payload, to=STAFF_ROOM)


def with_voice(call: dict) -> dict:
    """Add what the display says for a call: the sentence, and where its chime + voice audio is."""
    reading = Reading(current_app.config.get("VOICE_READING", "cardinal"))
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
