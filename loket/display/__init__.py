"""The display board in the waiting hall: calls, queue lengths, the voice and the office's media."""

from pathlib import Path

from flask import Flask

from loket.hardware.voice import EspeakVoice, call_audio

from .routes import bp

__all__ = ["init_app"]


def init_app(app: Flask) -> None:
    """The board's routes, and the call audio (chime + espeak-ng) cached in the instance folder (bounded)."""
    app.extensions["call_audio"] = call_audio(
        EspeakVoice(),
        Path(app.instance_path) / "voice",
        max_files=app.config["VOICE_CACHE_FILES"],
        max_bytes=app.config["VOICE_CACHE_MB"] * 1024 * 1024,
    )
    app.register_blueprint(bp)
