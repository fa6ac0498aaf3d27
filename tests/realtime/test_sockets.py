"""Socket.IO: a display gets the full state on connect and every call as it happens."""

from __future__ import annotations

import time

import pytest

from loket.app import socketio


def _events(client, name):
    return [e["args"][0] for e in client.get_received() if e["name"] == name]


def test_display_gets_state_on_connect_then_each_call(app, client, staff, display):
    [state] = _events(display, "display.state")
    assert state["calls"] == [] and {c["counter"] for c in state["counters"]} >= {"Loket 1", "Loket 2"}
    client.post("/api/tickets", json={"service": "pencetakan-ktp-el"})
    desk = staff("pelayanan", "pelayanan", "Loket 2")
    desk.post("/api/counter/call-next")
    received = display.get_received()
    calls = [e["args"][0] for e in received if e["name"] == "ticket.called"]
    assert calls[0]["audio"].startswith("/api/voice/call.wav?number=B-001&counter=2&recall=0&sig=")
    assert calls == [
        {
            "number": "B-001",
            "service": "pencetakan-ktp-el",
            "state": "called",
            "step": 1,
            "role": "pelayanan",
            "counter": "Loket 2",
            "counter_number": 2,
            "recall": False,
            "call_count": 1,
            "zone": None,
            "say": "Nomor antrean be nol nol satu, silakan menuju loket dua.",
            "audio": calls[0]["audio"],  # signed: tests/display/test_voice.py
            "voice_engine": "server",
        }
    ]
    # a display that reconnects gets the call in its state at once: the first thing it receives
    # (the state pushed after the call may follow it, when the push is late on a busy machine)
    late = socketio.test_client(app, auth={"channel": "display"})
    first = late.get_received()[0]
    assert first["name"] == "display.state"
    assert first["args"][0]["calls"][0]["number"] == "B-001"
    assert {c["counter"]: c["number"] for c in first["args"][0]["counters"]}["Loket 2"] == "B-001"
    late.disconnect()


def test_staff_channel_refuses_anonymous(app):
    c = socketio.test_client(app, auth={"channel": "staff"})
    assert not c.is_connected()


def test_display_sync_answers_with_the_state(display):
    display.get_received()
    display.emit("display.sync")
    assert _events(display, "display.state")


def test_display_state_lists_the_office_media(app, client):
    from pathlib import Path

    folder = Path(app.instance_path) / "media"
    folder.mkdir(parents=True)
    (folder / "01-info.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "notes.txt").write_text("not media")
    state = client.get("/api/display/state").get_json()
    assert state["media"] == [{"url": "/display/media/01-info.png", "kind": "image"}]
    image = client.get("/display/media/01-info.png")
    assert image.status_code == 200
    image.close()  # send_from_directory streams the file
    assert client.get("/display/media/../secret_key").status_code == 404
    assert state["office"]["name"] and state["voice"]["engine"] == "server"


@pytest.fixture
def board(app):
    """A board connected over Flask-SocketIO's test client."""
    c = socketio.test_client(app, auth={"channel": "board"})
    yield c
    if c.is_connected():
        c.disconnect()


def _deltas_until(board, done, seconds: float = 5) -> list[dict]:
    """The deltas the board receives until `done(deltas)` (the figures of a burst come a moment later)."""
    deltas: list[dict] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        deltas += _events(board, "display.delta")
        if done(deltas):
            break
        time.sleep(0.05)
    return deltas


def test_a_board_gets_the_state_on_connect_then_each_call_as_a_numbered_delta(app, client, staff, board):
    [state] = _events(board, "display.state")
    start = state["v"]
    desk = staff("pelayanan", "pelayanan", "Loket 2")
    client.post("/api/tickets", json={"service": "pencetakan-ktp-el"})
    desk.post("/api/counter/call-next")
    deltas = _deltas_until(board, lambda d: any("call" in x for x in d))
    [call] = [d for d in deltas if "call" in d]
    assert call["call"]["number"] == "B-001" and call["call"]["counter_number"] == 2
    assert call["call"]["say"] == "Nomor antrean be nol nol satu, silakan menuju loket dua."
    assert call["call"]["audio"].startswith("/api/voice/call.wav?number=B-001&counter=2&recall=0&sig=")
    assert {c["counter"]: c["number"] for c in call["counters"]}["Loket 2"] == "B-001"
    assert call["waiting_groups"]["ktp-el"] == 0
    assert "calls" not in call and "office" not in call and "media" not in call, "only what changed"
    assert [d["v"] for d in deltas] == list(range(start + 1, start + 1 + len(deltas))), "numbered one by one"
    # a board that missed one asks again and gets the state at the version it has reached
    board.emit("display.sync")
    [again] = _events(board, "display.state")
    assert again["v"] == deltas[-1]["v"] and again["calls"][0]["number"] == "B-001"
    assert again["seq"] >= call["seq"]


def test_boards_get_the_figures_once_per_burst_and_the_newest_last(app, client, staff, board):
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    board.get_received()
    for _ in range(3):
        client.post("/api/tickets", json={"service": "pencetakan-ktp-el"})
    deltas = _deltas_until(board, lambda d: bool(d) and d[-1]["waiting_groups"]["ktp-el"] == 3)
    assert deltas[-1]["waiting_groups"]["ktp-el"] == 3, "the waiting count is pushed without asking"
    assert len(deltas) < 3, "three tickets in a burst are pushed as fewer deltas"
    desk.post("/api/counter/call-next")
    after = _deltas_until(board, lambda d: any("call" in x for x in d))
    assert after[-1]["waiting_groups"]["ktp-el"] == 2
    assert after[-1]["seq"] > deltas[-1]["seq"], "the newer figures say so"


def test_kiosks_and_survey_tablets_still_hear_the_public_events_but_no_deltas(app, client, staff, display):
    desk = staff("pelayanan", "pelayanan", "Loket 1")
    client.post("/api/tickets", json={"service": "pencetakan-ktp-el"})
    desk.post("/api/counter/call-next")
    received = display.get_received()
    assert [e["args"][0]["number"] for e in received if e["name"] == "ticket.called"] == ["B-001"]
    assert not [e for e in received if e["name"] == "display.delta"]
