"""Socket.IO: a display gets the full state on connect and every call as it happens."""

from __future__ import annotations

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


def test_displays_get_fresh_state_pushed_without_asking(app, client, staff, display):
    import time

    desk = staff("pelayanan", "pelayanan", "Loket 1")
    display.get_received()
    for _ in range(3):
        client.post("/api/tickets", json={"service": "pencetakan-ktp-el"})
    desk.post("/api/counter/call-next")
    states: list = []
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        states += _events(display, "display.state")
        if states and {c["counter"]: c["number"] for c in states[-1]["counters"]}["Loket 1"] == "B-001":
            break
        time.sleep(0.05)
    assert states, "the server pushes the state to displays by itself"
    assert states[-1]["waiting_groups"]["ktp-el"] == 2
    assert {c["counter"]: c["number"] for c in states[-1]["counters"]}["Loket 1"] == "B-001"
    assert len(states) < 4, "four events in a burst are pushed as fewer states"
