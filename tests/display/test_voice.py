"""The call audio: a chime and a real Indonesian voice (espeak-ng), made offline."""

from __future__ import annotations

from loket.hardware.voice import chime_wav, wav_stats


def test_call_audio_exists_is_loud_enough_and_plausibly_long(client):
    r = client.get("/api/voice/call.wav?number=A-012&counter=3")
    assert r.status_code == 200 and r.mimetype == "audio/wav"
    stats = wav_stats(r.data)
    chime = wav_stats(chime_wav())
    # a chime (~1.5 s) then about four seconds of speech
    assert 1.0 < chime.seconds < 2.0 and chime.rms > 0.05
    assert chime.seconds + 2.5 < stats.seconds < chime.seconds + 10
    assert stats.rms > 0.03 and stats.peak > 0.3, "the call must not be silent"


def test_longer_sentence_gives_longer_audio_and_is_cached(client, app):
    short = wav_stats(client.get("/api/voice/call.wav?number=A-1&counter=1").data).seconds
    long = client.get("/api/voice/call.wav?number=M-1234&counter=12&recall=1")
    assert wav_stats(long.data).seconds > short + 1
    folder = app.extensions["call_audio"].folder
    assert len(list(folder.glob("*.wav"))) == 2
    assert (
        client.get("/api/voice/call.wav?number=A-1&counter=1").data
        == client.get("/api/voice/call.wav?number=A-1&counter=1").data
    )


def test_bad_voice_requests_are_refused(client):
    assert client.get("/api/voice/call.wav?number=hello&counter=3").status_code == 400
    assert client.get("/api/voice/call.wav?number=A-1&counter=x").status_code == 400
    assert client.get("/api/voice/call.wav?number=A-1&counter=0").status_code == 400


def test_a_call_event_carries_the_sentence_and_audio(client, staff, display):
    client.post("/api/tickets", json={"service": "pencetakan-ktp-el"})
    staff("pelayanan", "pelayanan", "Loket 2").post("/api/counter/call-next")
    [call] = [e["args"][0] for e in display.get_received() if e["name"] == "ticket.called"]
    assert call["say"] == "Nomor antrean be nol nol satu, silakan menuju loket dua."
    assert call["audio"] == "/api/voice/call.wav?number=B-001&counter=2&recall=0"
