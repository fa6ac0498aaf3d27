"""Publishing domain events over Socket.IO: what changed to the boards, public ones to displays, all to staff.

Sent by the server only; received by the boards (room "board": display.delta, loket.realtime.board), the
kiosks and survey tablets (room "display": the public events themselves), the staff pages (room
"staff") and the staff pages of one counter (room "counter:<id>"). Every page gets settings.changed and
disruption.changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from flask import current_app

from loket.core.events import Event
from loket.core.speech import Reading, audio_query, call_sentence
from loket.extensions import socketio
from loket.office import call_repeat, voice_engine, voice_reading
from loket.services import loket
from loket.socket_queue import together

from .board import board_pusher

DISPLAY_ROOM = "display"
STAFF_ROOM = "staff"
#: Every resident's status page: hears "status.queue" (no payload) when the hall's queue moved.
STATUS_ROOM = "status"


def status_room(room: str) -> str:
    """The room of one status page's subject ("ticket:<id>"), joined only with its signed code."""
    return f"status:{room}"


def publish(events: Iterable[Event]) -> None:
    """Send each event to the rooms that may see it; the boards get a call at once, other changes coalesced."""
    pusher = board_pusher(current_app._get_current_object())
    # With Redis, the emits go to the other processes as one message, not one each (loket/socket_queue.py). The
    # boards' calls go after it, each at once: their versions must leave this process in the order taken.
    with together(socketio.server):
        calls, changed = _emit(events)
    for call in calls:
        pusher.call(call)
    if changed:
        pusher.poke()


def _emit(events: Iterable[Event]) -> tuple[list[dict], bool]:
    """Every room's emits but the boards': the calls to push to the boards, and whether anything else changed."""
    calls: list[dict] = []
    changed = queue_moved = False
    for event in events:
        if event.kind == "disruption.changed":
            # Every page (kiosks, boards, status pages, staff): the disruptions in force, whole (core/disruptions).
            socketio.emit(event.kind, event.payload)
            continue
        if event.kind in ("settings.changed", "catalog.changed"):
            # Kiosks, displays and counters reload what they show on settings.changed; an SOP
            # edit is announced the same way, so every screen picks it up at once.
            socketio.emit("settings.changed", event.payload)
            changed = True
            continue
        payload = with_voice(event.payload) if event.kind == "ticket.called" else event.payload
        if event.public:
            queue_moved = True
            if event.ticket_id is not None:  # its holder's page reads its status again; the event says nothing more
                socketio.emit("status.changed", {}, to=status_room(f"ticket:{event.ticket_id}"))
            socketio.emit(event.kind, payload, to=DISPLAY_ROOM)
            if event.kind == "ticket.called":
                calls.append(dict(payload, at=loket().clock.now().isoformat(), event=event.id))
            else:
                changed = True
        socketio.emit(event.kind, payload, to=STAFF_ROOM)
    if queue_moved:  # the other pages: their place in line may have moved (they refresh, spread out)
        socketio.emit("status.queue", {}, to=STATUS_ROOM)
    return calls, changed


def with_voice(call: dict) -> dict:
    """Add what the display says for a call: the sentence, and where its chime + voice audio is (signed)."""
    reading = Reading(voice_reading())
    recall = bool(call.get("recall"))
    return dict(
        call,
        say=call_sentence(call["number"], call["counter_number"], reading, recall=recall, times=call_repeat()),
        audio="/api/voice/call.wav?"
        + urlencode(audio_query(current_app.config["SECRET_KEY"], call["number"], call["counter_number"], recall)),
        voice_engine=voice_engine(),
    )


def counter_room(counter_id: int) -> str:
    return f"counter:{counter_id}"


def to_counter(counter_id: int, kind: str, payload: dict) -> None:
    """Send something to the staff pages working at one counter only."""
    socketio.emit(kind, payload, to=counter_room(counter_id))


def kiosk_room(name: str) -> str:
    return f"kiosk:{name}"


def to_kiosk(name: str, kind: str, payload: dict) -> None:
    """Send something to the page of one paired kiosk (e.g. print.outcome: its ticket printed or not)."""
    socketio.emit(kind, payload, to=kiosk_room(name))
